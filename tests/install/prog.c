/* prog.c — the smallest user of the installed codestare-1 */

#include <stdio.h>

#include <codestare.h>

int
main (void)
{
  g_autoptr(CsAccessor) accessor = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GValue *current;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 42);
  if (!cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, &error))
    {
      fprintf (stderr, "set: %s\n", error->message);
      return 1;
    }

  current = cs_accessor_dup_value (accessor);
  printf ("%s %d %" G_GUINT64_FORMAT "\n",
          CS_VERSION_S, g_value_get_int (current), cs_accessor_get_generation (accessor));
  g_boxed_free (G_TYPE_VALUE, current);

  return CS_CHECK_VERSION (1, 0, 0) ? 0 : 1;
}
