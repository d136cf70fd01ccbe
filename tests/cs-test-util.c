/* cs-test-util.c: helpers shared by the C test programs
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "cs-test-util.h"

#ifdef HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

/* Watchdogs {{{ */

/* The time a watchdog allows for @seconds of work: ten times as much under
 * valgrind, which runs one thread at a time and each of them far slower, so
 * that only a real hang trips it there. */
guint
cs_test_watchdog_seconds (guint seconds)
{
#ifdef HAVE_VALGRIND_H
  if (RUNNING_ON_VALGRIND)
    return seconds * 10;
#endif
  return seconds;
}

/* }}} */

/* Main context waits {{{ */

static gboolean
timeout_cb (gpointer data)
{
  g_error ("%s: nothing completed within %u s (hang)",
           g_test_get_path (), GPOINTER_TO_UINT (data));
  return G_SOURCE_REMOVE;
}

static guint
add_watchdog (guint timeout_seconds)
{
  guint seconds = cs_test_watchdog_seconds (timeout_seconds);

  return g_timeout_add_seconds (seconds, timeout_cb, GUINT_TO_POINTER (seconds));
}

/* Iterates the default main context until *@count reaches @target; after
 * @timeout_seconds the program aborts, so a missing wakeup fails instead of
 * hanging. */
void
cs_test_run_until (const guint *count,
                   guint        target,
                   guint        timeout_seconds)
{
  guint id = add_watchdog (timeout_seconds);

  while (*count < target)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
}

/* Iterates the default main context until *@flag is set, with the same
 * watchdog as cs_test_run_until(). */
void
cs_test_wait_until (const gboolean *flag,
                    guint           timeout_seconds)
{
  guint id = add_watchdog (timeout_seconds);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
}

/* Runs whatever is ready (idles, task returns, cancellations) without
 * blocking, so that what should stay pending had every chance to complete. */
void
cs_test_drain (void)
{
  guint i = 0;

  while (g_main_context_iteration (NULL, FALSE) && i++ < 1000)
    ;
}

/* Drops the reference in *@objectp (a GObject **) and checks that it was the
 * last one: nothing (a task, a source, a thread) still holds the object. */
void
cs_test_assert_last_unref (gpointer objectp)
{
  GObject **p = objectp;

  g_object_add_weak_pointer (*p, (gpointer *) p);
  g_object_unref (*p);
  g_assert_null (*p);
}

/* cs_test_drain(), then cs_test_assert_last_unref(). */
void
cs_test_finalize (gpointer objectp)
{
  cs_test_drain ();
  cs_test_assert_last_unref (objectp);
}

/* }}} */

/* Int values {{{ */

/* Frees a GValue from cs_accessor_dup_value() or cs_accessor_get_finish(). */
void
cs_test_value_free (GValue *value)
{
  g_boxed_free (G_TYPE_VALUE, value);
}

/* Initializes @value as an int holding @i. */
void
cs_test_value_init_int (GValue *value,
                        int     i)
{
  g_value_init (value, G_TYPE_INT);
  g_value_set_int (value, i);
}

/* Checks that @value holds the int @expected. */
void
cs_test_assert_value_int (const GValue *value,
                          int           expected)
{
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_INT (value));
  g_assert_cmpint (g_value_get_int (value), ==, expected);
}

/* A predicate matching the int @i. */
CsPredicate *
cs_test_predicate_equal_int (int i)
{
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, i);

  return cs_predicate_new_equal (&value);
}

/* Writes the int @i to @acc without flags. */
gboolean
cs_test_set_int (CsAccessor  *acc,
                 int          i,
                 GError     **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, i);

  return cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, NULL, error);
}

/* Writes the int @i to @acc without flags, and checks that it succeeded. */
void
cs_test_assert_set_int (CsAccessor *acc,
                        int         i)
{
  g_autoptr(GError) error = NULL;
  gboolean ret;

  ret = cs_test_set_int (acc, i, &error);
  g_assert_no_error (error);
  g_assert_true (ret);
}

/* The current value of @acc, which must be an int. */
int
cs_test_dup_int (CsAccessor *acc)
{
  GValue *value = cs_accessor_dup_value (acc);
  int ret;

  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_INT (value));
  ret = g_value_get_int (value);
  cs_test_value_free (value);

  return ret;
}

/* }}} */

/* Callbacks {{{ */

/* A notify handler counting its emissions in the guint at @user_data. */
void
cs_test_count_cb (GObject    *object G_GNUC_UNUSED,
                         GParamSpec *pspec G_GNUC_UNUSED,
                         gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

/* Empties @result for another read. */
void
cs_test_result_clear (CsTestResult *result)
{
  g_clear_pointer (&result->value, cs_test_value_free);
  g_clear_error (&result->error);
  result->done = FALSE;
}

/* Finishes a get_async into the CsTestResult at @user_data: once, with
 * either a value or an error. */
void
cs_test_get_done (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  CsTestResult *result = user_data;

  g_assert_false (result->done);
  result->value = cs_accessor_get_finish (CS_ACCESSOR (object), res, &result->error);
  g_assert_true ((result->value == NULL) != (result->error == NULL));
  result->done = TRUE;
}

/* }}} */
