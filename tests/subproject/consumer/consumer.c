/* consumer.c: a reader waits for a value, a writer writes it
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <codestare.h>

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);

  g_assert_no_error (error);
  g_print ("read %d, codestare %d.%d.%d\n", g_value_get_int (value),
           CS_MAJOR_VERSION, CS_MINOR_VERSION, CS_MICRO_VERSION);
  g_boxed_free (G_TYPE_VALUE, value);
  g_main_loop_quit (user_data);
}

int
main (void)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(CsAccessor) accessor = cs_accessor_new (G_TYPE_INT);
  g_auto(GValue) value = G_VALUE_INIT;

  cs_accessor_get_async (accessor, NULL, CS_GET_FLAGS_NONE, NULL, on_read, loop);
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 42);
  cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, NULL);
  g_main_loop_run (loop);

  return 0;
}
