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

struct _CsTestWatchdog
{
  GMutex      mutex;
  GCond       cond;
  gboolean    stopped;      /* protected by mutex */
  const char *name;
  guint       seconds;
  GThread    *thread;
};

static gpointer
watchdog_func (gpointer data)
{
  CsTestWatchdog *wd = data;
  gint64 deadline = g_get_monotonic_time () + wd->seconds * G_TIME_SPAN_SECOND;

  g_mutex_lock (&wd->mutex);
  while (!wd->stopped)
    {
      if (!g_cond_wait_until (&wd->cond, &wd->mutex, deadline) && !wd->stopped)
        g_error ("%s: still running after %u s: a call blocked or a wakeup was lost",
                 wd->name, wd->seconds);
    }
  g_mutex_unlock (&wd->mutex);

  return NULL;
}

CsTestWatchdog *
cs_test_watchdog_start (const char *name,
                        guint       seconds)
{
  CsTestWatchdog *wd = g_new0 (CsTestWatchdog, 1);

  g_mutex_init (&wd->mutex);
  g_cond_init (&wd->cond);
  wd->name = name;
  wd->seconds = cs_test_watchdog_seconds (seconds);
  wd->thread = g_thread_new ("watchdog", watchdog_func, wd);

  return wd;
}

void
cs_test_watchdog_stop (CsTestWatchdog *wd)
{
  g_mutex_lock (&wd->mutex);
  wd->stopped = TRUE;
  g_cond_signal (&wd->cond);
  g_mutex_unlock (&wd->mutex);

  g_thread_join (wd->thread);
  g_mutex_clear (&wd->mutex);
  g_cond_clear (&wd->cond);
  g_free (wd);
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

/* Runs what is ready in @context (NULL for the default one) without blocking
 * (idles, task returns, cancellations) until nothing is, so that what should
 * stay pending had every chance to complete. Gives up after @max_iterations,
 * for a source that is always ready; returns whether the context went idle. */
gboolean
cs_test_drain_context (GMainContext *context,
                       guint         max_iterations)
{
  for (guint i = 0; i < max_iterations; i++)
    if (!g_main_context_iteration (context, FALSE))
      return TRUE;

  return FALSE;
}

/* cs_test_drain_context() on the default main context. */
void
cs_test_drain (void)
{
  cs_test_drain_context (NULL, CS_TEST_DRAIN_ITERATIONS);
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

/* }}} */

/* Results {{{ */

/* Empties @result for another call: frees its value, error and cancellable
 * and zeroes its counts; the hook stays. */
void
cs_test_result_clear (CsTestResult *result)
{
  g_clear_pointer (&result->value, cs_test_value_free);
  g_clear_error (&result->error);
  g_clear_object (&result->cancellable);
  result->done = 0;
  result->ok = FALSE;
}

/* Records in @result the completion of a call to @acc, whose value and error
 * the caller stored there and to which the call answered @ok: checks that it
 * is the first one and that @ok agrees with the error, counts it, runs the
 * hook. The count is atomic and the default main context is woken after it,
 * so that a thread waiting there sees a completion made in a worker. */
void
cs_test_result_complete (CsTestResult *result,
                         CsAccessor   *acc,
                         gboolean      ok)
{
  g_assert_cmpuint (result->done, ==, 0);
  g_assert_true (ok == (result->error == NULL));
  result->ok = ok;
  g_atomic_int_inc (&result->done);

  if (result->hook != NULL)
    result->hook (acc, result);

  g_main_context_wakeup (NULL);
}

/* Finishes a get_async into the CsTestResult at @user_data. */
void
cs_test_get_done (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  CsTestResult *result = user_data;
  CsAccessor *acc = CS_ACCESSOR (object);

  result->value = cs_accessor_get_finish (acc, res, &result->error);
  cs_test_result_complete (result, acc, result->value != NULL);
}

typedef gboolean (*BooleanFinishFunc) (CsAccessor    *self,
                                       GAsyncResult  *res,
                                       GError       **error);

/* Finishes with @finish a call that answers a boolean into @result. */
static void
result_finish_boolean (GObject           *object,
                       GAsyncResult      *res,
                       CsTestResult      *result,
                       BooleanFinishFunc  finish)
{
  CsAccessor *acc = CS_ACCESSOR (object);
  gboolean ok;

  ok = finish (acc, res, &result->error);
  cs_test_result_complete (result, acc, ok);
}

/* Finishes a set_async into the CsTestResult at @user_data. */
void
cs_test_set_done (GObject      *object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  result_finish_boolean (object, res, user_data, cs_accessor_set_finish);
}

/* Finishes a wait_for_read_async into the CsTestResult at @user_data. */
void
cs_test_wait_for_read_done (GObject      *object,
                            GAsyncResult *res,
                            gpointer      user_data)
{
  result_finish_boolean (object, res, user_data, cs_accessor_wait_for_read_finish);
}

/* Checks that @result completed once, successfully. */
void
cs_test_assert_result_ok (const CsTestResult *result)
{
  g_assert_cmpuint (result->done, ==, 1);
  g_assert_no_error (result->error);
  g_assert_true (result->ok);
}

/* Checks that @result completed once, with the int @expected. */
void
cs_test_assert_result_int (const CsTestResult *result,
                           int                 expected)
{
  cs_test_assert_result_ok (result);
  cs_test_assert_value_int (result->value, expected);
}

/* Checks that @result completed once, with the error @domain, @code and no
 * value. */
void
cs_test_assert_result_error (const CsTestResult *result,
                             GQuark              domain,
                             int                 code)
{
  g_assert_cmpuint (result->done, ==, 1);
  g_assert_error (result->error, domain, code);
  g_assert_false (result->ok);
  g_assert_null (result->value);
}

/* }}} */
