/* test-bad-input.c: what every public function does with bad input
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every bad input is answered by a clear GError or by a g_return_if_fail()
 * critical in the "Codestare" domain (API.md, "Errors": programmer errors are
 * criticals), never by a crash; and a rejected call leaves the value, the
 * generation and the pending waiters as they were. Most programmer errors are
 * made against a "world" of two accessors with known state (a value, a
 * generation, a pending reader, a queued WAIT_FOR_READ write), checked again
 * after each call.
 *
 * Catalogue. C: a critical naming the failed check; the call returns its
 * failure value, starts nothing and calls no callback. E: a GError (in the
 * CS_ACCESSOR_ERROR domain unless G_IO_ERROR_ is named).
 *
 * function                     | bad input                         | answer
 * -----------------------------+-----------------------------------+----------------------
 * cs_accessor_new              | G_TYPE_INVALID, _NONE, _INTERFACE | C (NULL)
 * cs_accessor_new_full         | G_TYPE_INVALID, G_TYPE_NONE       | C (NULL)
 *                              | condition not a CsCondition       | C (NULL)
 *                              | write without read                | C (NULL)
 *                              | writer fails, sets no GError      | E FAILED, no change
 *                              | writer sets a GError, returns TRUE| write ok, no leak [2]
 * cs_accessor_new_with_closures| G_TYPE_NONE, bad condition,       | C (NULL)
 *                              | write without read                |
 * g_object_new (accessor)      | no or invalid value-type          | C; a closed accessor
 * cs_accessor_new_for_property | NULL / non-GObject object, NULL   | C (NULL)
 *                              | name, unknown, write-only property|
 *                              | read-only, construct-only property| E READ_ONLY on write
 *                              | wrong value type, out of range    | E INVALID_VALUE
 *                              | object finalized                  | E CLOSED, pending and
 *                              |                                   | later; reads default
 * getters, is_closed,          | NULL, GObject, CsCondition as self| C (INVALID/NULL/0/
 * has_waiting_read, dup_value, |                                   | TRUE/FALSE/NULL)
 * get_n_waiting_reads, close   |                                   |
 * cs_accessor_get              | NULL / wrong self, CsCondition as | C (NULL), *error
 *                              | predicate, GObject as cancellable,| untouched
 *                              | *error already set                |
 *                              | both WAIT flags                   | E G_IO_ERROR_INVALID_
 *                              |                                   | ARGUMENT
 *                              | cancelled cancellable             | E G_IO_ERROR_CANCELLED
 *                              | owner thread, nothing ready       | E G_IO_ERROR_WOULD_
 *                              |                                   | BLOCK
 *                              | closed accessor                   | E CLOSED
 * cs_accessor_get_async        | NULL / wrong self, predicate,     | C
 *                              | cancellable                       |
 *                              | both WAIT flags, cancelled, closed| E to the callback, once
 *                              | NULL callback                     | allowed
 *                              | unknown flag bits                 | ignored [3]
 * get_finish, set_finish,      | NULL / wrong self, NULL result,   | C (NULL/FALSE)
 * wait_for_read_finish         | another accessor's, another call's|
 *                              | or a foreign GTask, a GObject     |
 * cs_accessor_set              | NULL / wrong self, NULL value,    | C (FALSE), *error
 *                              | uninitialized GValue, GObject as  | untouched
 *                              | cancellable, *error already set   |
 *                              | wrong type, out of range, inexact | E INVALID_VALUE
 *                              | (1.5, NaN, 2^63-1 as double), bad |
 *                              | enum or flags value               |
 *                              | WAIT_FOR_READ on owner, no reader | E G_IO_ERROR_WOULD_
 *                              |                                   | BLOCK
 *                              | cancelled cancellable             | E G_IO_ERROR_CANCELLED
 *                              | closed accessor                   | E CLOSED
 * cs_accessor_set_async        | as cs_accessor_set                | C, or E to the callback
 * g_object_set (acc, "value")  | NULL GValue, wrong type, closed   | warning, no change
 * wait_for_read_async          | NULL / wrong self, bad cancellable| C
 *                              | closed, cancelled                 | E CLOSED / CANCELLED
 * cs_accessor_close            | twice                             | nothing more happens
 * cs_predicate_new             | NULL func                         | C (NULL)
 * cs_predicate_new_(not_)equal | NULL / uninitialized GValue       | C (NULL)
 * cs_predicate_evaluate        | NULL / CsCondition as self, NULL /| C (FALSE)
 *                              | uninitialized value               |
 *                              | value of another type             | exact conversion only
 * (a predicate of a read)      | writes the accessor               | sees every write
 *                              | closes the accessor, at the call, | E CLOSED (or the value);
 *                              | at a write, at a group notify     | predicate kept alive [1]
 * (a completion callback)      | drops the last reference to the   | no crash; accessor
 *                              | accessor (cancel, handoff, close  | finalized afterwards
 *                              | or write from another thread)     |
 * cs_condition_notify_all      | NULL / CsAccessor as self         | C
 * cs_object_get_accessor       | NULL / non-GObject, NULL name,    | C (NULL)
 *                              | unknown, write-only property      |
 *                              | value out of the pspec's range    | E INVALID_VALUE
 * cs_object_class_install_     | NULL class, NULL pspec, id 0,     | C
 *   condition_property         | write-only pspec                  |
 *
 * Every case passes but: [1] /bad-input/reentrancy/predicate-closes (a
 * predicate that closes its accessor is finalized, its destroy notify run,
 * while it runs) and [2] the writer's stray GError (leaked; seen by valgrind
 * and by ASan with G_SLICE=always-malloc) fail until the library is fixed;
 * [3] pins today's behaviour (unknown bits are not checked).
 */

#include <math.h>

#include <codestare.h>

#include "cs-test-util.h"

#define DOMAIN "Codestare"

/* a hang aborts after a minute */
#define TIMEOUT_SECONDS 60

/* A call that must fail a g_return_if_fail() check naming @pattern. */
#define EXPECT_CRITICAL(pattern, call)                                          \
  G_STMT_START {                                                                \
    g_test_expect_message (DOMAIN, G_LOG_LEVEL_CRITICAL, pattern);              \
    call;                                                                       \
    g_test_assert_expected_messages ();                                         \
  } G_STMT_END

/* Helpers {{{ */

/* A hook for a CsTestResult whose callback drops the last reference to the
 * accessor, the CsAccessor * at hook_data. */
static void
unref_hook (CsAccessor   *acc G_GNUC_UNUSED,
            CsTestResult *result)
{
  g_clear_object ((CsAccessor **) result->hook_data);
}

/* Keeps the GAsyncResult for a test that misuses it. */
static void
keep_result_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GAsyncResult **resultp = user_data;

  g_assert_null (*resultp);
  *resultp = g_object_ref (result);
}

/* }}} */

/* The world: known state that a rejected call must leave alone {{{ */

typedef struct
{
  /* int, value 7, generation 1, one reader waiting for a value that never comes */
  CsAccessor   *acc;
  CsPredicate  *never;
  CsTestResult  reader;
  /* int, value 0, generation 0, no reader, one queued WAIT_FOR_READ write */
  CsAccessor   *acc2;
  CsTestResult  handoff;
  /* bad instances */
  GObject      *object;
  CsCondition  *condition;
  CsPredicate  *predicate;
  GValue        one;
} World;

static void
world_init (World *w)
{
  g_auto(GValue) thousand = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  *w = (World) { 0 };

  w->acc = cs_accessor_new (G_TYPE_INT);
  g_assert_true (cs_test_set_int (w->acc, 7, &error));
  g_assert_no_error (error);
  cs_test_value_init_int (&thousand, 1000);
  w->never = cs_predicate_new_equal (&thousand);
  cs_accessor_get_async (w->acc, w->never, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &w->reader);

  w->acc2 = cs_accessor_new (G_TYPE_INT);
  cs_test_value_init_int (&w->one, 1);
  cs_accessor_set_async (w->acc2, &w->one, CS_SET_FLAGS_WAIT_FOR_READ, NULL,
                         cs_test_set_done, &w->handoff);

  w->object = g_object_new (G_TYPE_OBJECT, NULL);
  w->condition = cs_condition_new ();
  w->predicate = cs_predicate_new_equal (&w->one);
}

/* Nothing that the rejected calls could have disturbed has changed. */
static void
world_check (World *w)
{
  cs_test_drain ();

  g_assert_cmpint (cs_test_dup_int (w->acc), ==, 7);
  g_assert_cmpuint (cs_accessor_get_generation (w->acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (w->acc), ==, 1);
  g_assert_false (cs_accessor_is_closed (w->acc));
  g_assert_cmpuint (w->reader.done, ==, 0);

  g_assert_cmpint (cs_test_dup_int (w->acc2), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (w->acc2), ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (w->acc2), ==, 0);
  g_assert_false (cs_accessor_is_closed (w->acc2));
  g_assert_cmpuint (w->handoff.done, ==, 0);
}

static void
world_clear (World *w)
{
  world_check (w);

  /* the pending operations end, each once */
  cs_accessor_close (w->acc);
  cs_accessor_close (w->acc2);
  cs_test_drain ();
  cs_test_assert_result_error (&w->reader, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&w->handoff, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&w->reader);
  cs_test_result_clear (&w->handoff);

  cs_test_finalize (&w->acc);
  cs_test_finalize (&w->acc2);
  g_clear_object (&w->never);
  g_clear_object (&w->object);
  g_clear_object (&w->condition);
  g_clear_object (&w->predicate);
  g_value_unset (&w->one);
}

/* }}} */

/* Constructors {{{ */

static void
test_accessor_new (void)
{
  EXPECT_CRITICAL ("*cs_accessor_new*G_TYPE_IS_VALUE_TYPE (value_type)*",
                   g_assert_null (cs_accessor_new (G_TYPE_INVALID)));
  EXPECT_CRITICAL ("*cs_accessor_new*G_TYPE_IS_VALUE_TYPE (value_type)*",
                   g_assert_null (cs_accessor_new (G_TYPE_NONE)));
  EXPECT_CRITICAL ("*cs_accessor_new*G_TYPE_IS_VALUE_TYPE (value_type)*",
                   g_assert_null (cs_accessor_new (G_TYPE_INTERFACE)));
}

static gboolean
never_called_write (const GValue  *value,
                    gpointer       user_data,
                    GError       **error)
{
  g_assert_not_reached ();
}

static void
int_read (GValue   *value,
          gpointer  user_data)
{
  g_value_set_int (value, *(int *) user_data);
}

static void
test_accessor_new_full (void)
{
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(CsPredicate) predicate = NULL;
  g_auto(GValue) one = G_VALUE_INIT;
  int storage = 0;

  cs_test_value_init_int (&one, 1);
  predicate = cs_predicate_new_equal (&one);

  EXPECT_CRITICAL ("*cs_accessor_new_full*G_TYPE_IS_VALUE_TYPE (value_type)*",
                   g_assert_null (cs_accessor_new_full (G_TYPE_INVALID, "x", NULL, NULL, NULL,
                                                        NULL, NULL)));
  EXPECT_CRITICAL ("*cs_accessor_new_full*G_TYPE_IS_VALUE_TYPE (value_type)*",
                   g_assert_null (cs_accessor_new_full (G_TYPE_NONE, "x", NULL, int_read, NULL,
                                                        &storage, NULL)));
  EXPECT_CRITICAL ("*cs_accessor_new_full*CS_IS_CONDITION (condition)*",
                   g_assert_null (cs_accessor_new_full (G_TYPE_INT, "x",
                                                        (CsCondition *) object,
                                                        NULL, NULL, NULL, NULL)));
  /* a CsPredicate passed as the condition */
  EXPECT_CRITICAL ("*cs_accessor_new_full*CS_IS_CONDITION (condition)*",
                   g_assert_null (cs_accessor_new_full (G_TYPE_INT, "x",
                                                        (CsCondition *) predicate,
                                                        NULL, NULL, NULL, NULL)));
  EXPECT_CRITICAL ("*cs_accessor_new_full*read != NULL || write == NULL*",
                   g_assert_null (cs_accessor_new_full (G_TYPE_INT, "x", NULL, NULL,
                                                        never_called_write, &storage, NULL)));
}

static void
closure_read (GValue *value)
{
}

static void
test_accessor_new_with_closures (void)
{
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  GClosure *write;

  EXPECT_CRITICAL ("*cs_accessor_new_with_closures*G_TYPE_IS_VALUE_TYPE (value_type)*",
                   g_assert_null (cs_accessor_new_with_closures (G_TYPE_NONE, NULL, NULL,
                                                                 NULL, NULL)));
  EXPECT_CRITICAL ("*cs_accessor_new_with_closures*CS_IS_CONDITION (condition)*",
                   g_assert_null (cs_accessor_new_with_closures (G_TYPE_INT, NULL,
                                                                 (CsCondition *) object,
                                                                 NULL, NULL)));

  write = g_cclosure_new (G_CALLBACK (closure_read), NULL, NULL);
  EXPECT_CRITICAL ("*cs_accessor_new_with_closures*read != NULL || write == NULL*",
                   g_assert_null (cs_accessor_new_with_closures (G_TYPE_INT, NULL, NULL,
                                                                 NULL, write)));
  /* the rejected call did not take the floating reference */
  g_closure_sink (write);
}

/* A closed accessor, not a crash, from a construction with a bad value-type. */
static void
test_accessor_g_object_new (void)
{
  GType bad_types[] = { G_TYPE_NONE, G_TYPE_INVALID, G_TYPE_INTERFACE };

  for (guint i = 0; i < G_N_ELEMENTS (bad_types); i++)
    {
      CsAccessor *acc;
      g_autoptr(GError) error = NULL;
      CsTestResult r = { 0 };

      g_test_expect_message (DOMAIN, G_LOG_LEVEL_CRITICAL, "*cannot hold values of type*");
      if (bad_types[i] == G_TYPE_NONE)
        acc = g_object_new (CS_TYPE_ACCESSOR, NULL);  /* the default */
      else
        acc = g_object_new (CS_TYPE_ACCESSOR, "value-type", bad_types[i], NULL);
      g_test_assert_expected_messages ();

      g_assert_nonnull (acc);
      g_assert_true (cs_accessor_is_closed (acc));
      g_assert_true (G_TYPE_IS_VALUE_TYPE (cs_accessor_get_value_type (acc)));

      g_assert_false (cs_test_set_int (acc, 1, &error));
      g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

      cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
      cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
      cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      cs_test_result_clear (&r);

      g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
      cs_test_finalize (&acc);
    }
}

/* }}} */

/* Getters and the simple methods {{{ */

static void
test_accessor_getters (void)
{
  World w;

  world_init (&w);

  for (guint i = 0; i < 3; i++)
    {
      /* NULL, a plain GObject and a CsCondition passed as a CsAccessor */
      CsAccessor *bad = i == 0 ? NULL :
                        i == 1 ? (CsAccessor *) w.object : (CsAccessor *) w.condition;

      EXPECT_CRITICAL ("*cs_accessor_get_value_type*CS_IS_ACCESSOR (self)*",
                       g_assert_true (cs_accessor_get_value_type (bad) == G_TYPE_INVALID));
      EXPECT_CRITICAL ("*cs_accessor_get_name*CS_IS_ACCESSOR (self)*",
                       g_assert_null (cs_accessor_get_name (bad)));
      EXPECT_CRITICAL ("*cs_accessor_get_condition*CS_IS_ACCESSOR (self)*",
                       g_assert_null (cs_accessor_get_condition (bad)));
      EXPECT_CRITICAL ("*cs_accessor_get_generation*CS_IS_ACCESSOR (self)*",
                       g_assert_cmpuint (cs_accessor_get_generation (bad), ==, 0));
      EXPECT_CRITICAL ("*cs_accessor_is_closed*CS_IS_ACCESSOR (self)*",
                       g_assert_true (cs_accessor_is_closed (bad)));
      EXPECT_CRITICAL ("*CS_IS_ACCESSOR (self)*",
                       g_assert_false (cs_accessor_has_waiting_read (bad)));
      EXPECT_CRITICAL ("*cs_accessor_get_n_waiting_reads*CS_IS_ACCESSOR (self)*",
                       g_assert_cmpuint (cs_accessor_get_n_waiting_reads (bad), ==, 0));
      EXPECT_CRITICAL ("*cs_accessor_dup_value*CS_IS_ACCESSOR (self)*",
                       g_assert_null (cs_accessor_dup_value (bad)));
      EXPECT_CRITICAL ("*cs_accessor_close*CS_IS_ACCESSOR (self)*",
                       cs_accessor_close (bad));
    }

  world_clear (&w);
}

/* }}} */

/* Reads {{{ */

static void
test_accessor_get (void)
{
  World w;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  GError *error = NULL;
  GError *preset;

  world_init (&w);
  g_cancellable_cancel (cancelled);

  EXPECT_CRITICAL ("*cs_accessor_get*CS_IS_ACCESSOR (self)*",
                   g_assert_null (cs_accessor_get (NULL, NULL, CS_GET_FLAGS_NONE, NULL, &error)));
  EXPECT_CRITICAL ("*cs_accessor_get*CS_IS_ACCESSOR (self)*",
                   g_assert_null (cs_accessor_get ((CsAccessor *) w.object, NULL,
                                                   CS_GET_FLAGS_NONE, NULL, &error)));
  EXPECT_CRITICAL ("*cs_accessor_get*CS_IS_PREDICATE (predicate)*",
                   g_assert_null (cs_accessor_get (w.acc, (CsPredicate *) w.condition,
                                                   CS_GET_FLAGS_NONE, NULL, &error)));
  EXPECT_CRITICAL ("*cs_accessor_get*G_IS_CANCELLABLE (cancellable)*",
                   g_assert_null (cs_accessor_get (w.acc, NULL, CS_GET_FLAGS_NONE,
                                                   (GCancellable *) w.object, &error)));
  g_assert_no_error (error);

  /* *error already set: untouched */
  preset = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "preset");
  error = preset;
  EXPECT_CRITICAL ("*cs_accessor_get*error == NULL || *error == NULL*",
                   g_assert_null (cs_accessor_get (w.acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE,
                                                   NULL, &error)));
  g_assert_true (error == preset);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);

  /* errors: both flags, cancelled, and (on the owner thread) nothing ready */
  g_assert_null (cs_accessor_get (w.acc, NULL,
                                  CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE,
                                  NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  g_assert_null (cs_accessor_get (w.acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_null (cs_accessor_get (w.acc, NULL, CS_GET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  g_assert_null (cs_accessor_get (w.acc, w.never, CS_GET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  /* NULL error location: no crash */
  g_assert_null (cs_accessor_get (w.acc, NULL, CS_GET_FLAGS_NONE, NULL, NULL));

  world_clear (&w);
}

static void
test_accessor_get_async (void)
{
  World w;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  CsTestResult r = { 0 };

  world_init (&w);
  g_cancellable_cancel (cancelled);

  EXPECT_CRITICAL ("*cs_accessor_get_async*CS_IS_ACCESSOR (self)*",
                   cs_accessor_get_async (NULL, NULL, CS_GET_FLAGS_NONE, NULL,
                                          cs_test_get_done, &r));
  EXPECT_CRITICAL ("*cs_accessor_get_async*CS_IS_ACCESSOR (self)*",
                   cs_accessor_get_async ((CsAccessor *) w.condition, NULL, CS_GET_FLAGS_NONE,
                                          NULL, cs_test_get_done, &r));
  EXPECT_CRITICAL ("*cs_accessor_get_async*CS_IS_PREDICATE (predicate)*",
                   cs_accessor_get_async (w.acc, (CsPredicate *) w.condition, CS_GET_FLAGS_NONE,
                                          NULL, cs_test_get_done, &r));
  EXPECT_CRITICAL ("*cs_accessor_get_async*CS_IS_PREDICATE (predicate)*",
                   cs_accessor_get_async (w.acc, (CsPredicate *) w.acc, CS_GET_FLAGS_NONE,
                                          NULL, cs_test_get_done, &r));
  EXPECT_CRITICAL ("*cs_accessor_get_async*G_IS_CANCELLABLE (cancellable)*",
                   cs_accessor_get_async (w.acc, NULL, CS_GET_FLAGS_NONE,
                                          (GCancellable *) w.object, cs_test_get_done, &r));
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  world_check (&w);

  cs_accessor_get_async (w.acc, NULL,
                         CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE,
                         NULL, cs_test_get_done, &r);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  cs_test_result_clear (&r);

  cs_accessor_get_async (w.acc, w.predicate, CS_GET_FLAGS_NONE, cancelled, cs_test_get_done, &r);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_result_clear (&r);

  /* NULL callback: allowed; completes silently, counts nothing */
  cs_accessor_get_async (w.acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, NULL, NULL, NULL);
  cs_accessor_get_async (w.acc, NULL, CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE,
                         NULL, NULL, NULL);

  world_check (&w);
  world_clear (&w);
}

/* Unknown flag bits are not checked (see the report); they do not disturb
 * anything: the known bits decide. */
static void
test_accessor_unknown_flags (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GError) error = NULL;
  CsTestResult r = { 0 }, w = { 0 };
  g_auto(GValue) two = G_VALUE_INIT;

  cs_test_value_init_int (&two, 2);
  g_assert_true (cs_test_set_int (acc, 1, &error));

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE | (1 << 7), NULL,
                         cs_test_get_done, &r);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 1);
  cs_test_result_clear (&r);

  cs_accessor_set_async (acc, &two, CS_SET_FLAGS_NONE | (1 << 7), NULL, cs_test_set_done, &w);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  g_assert_true (w.ok);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  cs_test_result_clear (&w);

  cs_test_finalize (&acc);
}

static void
test_accessor_finish (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsAccessor *other = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(CsCondition) condition = cs_condition_new ();
  GAsyncResult *read_result = NULL, *set_result = NULL, *wait_result = NULL;
  GAsyncResult *other_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) foreign = NULL;
  g_auto(GValue) one = G_VALUE_INIT;
  GValue *value;
  CsTestResult pending = { 0 };

  cs_test_value_init_int (&one, 1);

  /* a reader that stays, a wait that it completes, a handoff that it takes,
   * and a read of the current value */
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &pending);
  cs_accessor_wait_for_read_async (acc, NULL, keep_result_cb, &wait_result);
  cs_accessor_set_async (acc, &one, CS_SET_FLAGS_WAIT_FOR_READ, NULL,
                         keep_result_cb, &set_result);
  cs_test_run_until (&pending.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&pending, 1);
  cs_test_result_clear (&pending);
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &pending);
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, NULL,
                         keep_result_cb, &read_result);
  cs_accessor_get_async (other, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, NULL,
                         keep_result_cb, &other_result);
  cs_test_drain ();
  g_assert_nonnull (read_result);
  g_assert_nonnull (set_result);
  g_assert_nonnull (wait_result);
  g_assert_nonnull (other_result);

  /* a GTask: not a result of ours */
  foreign = g_task_new (acc, NULL, NULL, NULL);
  g_task_return_boolean (foreign, TRUE);

  for (guint i = 0; i < 3; i++)
    {
      CsAccessor *bad = i == 0 ? NULL :
                        i == 1 ? (CsAccessor *) object : (CsAccessor *) condition;

      EXPECT_CRITICAL ("*cs_accessor_get_finish*CS_IS_ACCESSOR (self)*",
                       g_assert_null (cs_accessor_get_finish (bad, read_result, &error)));
      EXPECT_CRITICAL ("*cs_accessor_set_finish*CS_IS_ACCESSOR (self)*",
                       g_assert_false (cs_accessor_set_finish (bad, set_result, &error)));
      EXPECT_CRITICAL ("*cs_accessor_wait_for_read_finish*CS_IS_ACCESSOR (self)*",
                       g_assert_false (cs_accessor_wait_for_read_finish (bad, wait_result,
                                                                         &error)));
    }

  /* NULL, a plain GObject, a result of another accessor, of another call */
  EXPECT_CRITICAL ("*cs_accessor_get_finish*_cs_result_is_valid*",
                   g_assert_null (cs_accessor_get_finish (acc, NULL, &error)));
  EXPECT_CRITICAL ("*cs_accessor_get_finish*_cs_result_is_valid*",
                   g_assert_null (cs_accessor_get_finish (acc, (GAsyncResult *) object,
                                                          &error)));
  EXPECT_CRITICAL ("*cs_accessor_get_finish*_cs_result_is_valid*",
                   g_assert_null (cs_accessor_get_finish (acc, other_result, &error)));
  EXPECT_CRITICAL ("*cs_accessor_get_finish*source_tag*",
                   g_assert_null (cs_accessor_get_finish (acc, set_result, &error)));
  EXPECT_CRITICAL ("*cs_accessor_get_finish*_cs_result_is_valid*",
                   g_assert_null (cs_accessor_get_finish (acc, G_ASYNC_RESULT (foreign),
                                                          &error)));
  EXPECT_CRITICAL ("*cs_accessor_set_finish*_cs_result_is_valid*",
                   g_assert_false (cs_accessor_set_finish (acc, NULL, &error)));
  EXPECT_CRITICAL ("*cs_accessor_set_finish*source_tag*",
                   g_assert_false (cs_accessor_set_finish (acc, read_result, &error)));
  EXPECT_CRITICAL ("*cs_accessor_set_finish*source_tag*",
                   g_assert_false (cs_accessor_set_finish (acc, wait_result, &error)));
  EXPECT_CRITICAL ("*cs_accessor_wait_for_read_finish*_cs_result_is_valid*",
                   g_assert_false (cs_accessor_wait_for_read_finish (acc, NULL, &error)));
  EXPECT_CRITICAL ("*cs_accessor_wait_for_read_finish*_cs_result_is_valid*",
                   g_assert_false (cs_accessor_wait_for_read_finish (other, wait_result,
                                                                     &error)));
  EXPECT_CRITICAL ("*cs_accessor_wait_for_read_finish*source_tag*",
                   g_assert_false (cs_accessor_wait_for_read_finish (acc, set_result,
                                                                     &error)));
  g_assert_no_error (error);

  /* nothing changed, and the results are still good for the right calls */
  cs_test_drain ();
  g_assert_cmpint (cs_test_dup_int (acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);
  g_assert_cmpuint (pending.done, ==, 0);

  value = cs_accessor_get_finish (acc, read_result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_value_get_int (value), ==, 1);
  g_value_unset (value);
  g_free (value);
  g_assert_true (cs_accessor_set_finish (acc, set_result, &error));
  g_assert_true (cs_accessor_wait_for_read_finish (acc, wait_result, &error));
  g_assert_no_error (error);
  value = cs_accessor_get_finish (other, other_result, &error);
  g_assert_no_error (error);
  g_value_unset (value);
  g_free (value);

  g_clear_object (&read_result);
  g_clear_object (&set_result);
  g_clear_object (&wait_result);
  g_clear_object (&other_result);
  g_clear_object (&foreign);

  cs_accessor_close (acc);
  cs_test_drain ();
  cs_test_assert_result_error (&pending, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&pending);
  cs_test_finalize (&acc);
  cs_test_finalize (&other);
}

/* }}} */

/* Writes {{{ */

typedef enum { FLAG_A = 1 << 0, FLAG_B = 1 << 1 } TestFlags;
typedef enum { ENUM_A = 1, ENUM_B = 2 } TestEnum;

static GType test_flags_get_type (void);
static GType test_enum_get_type (void);
G_DEFINE_FLAGS_TYPE (TestFlags, test_flags,
                     G_DEFINE_ENUM_VALUE (FLAG_A, "a"),
                     G_DEFINE_ENUM_VALUE (FLAG_B, "b"))
G_DEFINE_ENUM_TYPE (TestEnum, test_enum,
                    G_DEFINE_ENUM_VALUE (ENUM_A, "a"),
                    G_DEFINE_ENUM_VALUE (ENUM_B, "b"))

/* Writes @value to @acc, sync and async; both must fail with INVALID_VALUE
 * and change nothing. */
static void
assert_write_rejected (CsAccessor   *acc,
                       const GValue *value)
{
  g_autoptr(GError) error = NULL;
  guint64 generation = cs_accessor_get_generation (acc);
  GValue *before = cs_accessor_dup_value (acc);
  GValue *after;
  CsTestResult w = { 0 };

  g_assert_false (cs_accessor_set (acc, value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_false (cs_accessor_set (acc, value, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  cs_accessor_set_async (acc, value, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &w);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&w, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  cs_test_result_clear (&w);

  cs_accessor_set_async (acc, value, CS_SET_FLAGS_WAIT_FOR_READ, NULL, cs_test_set_done, &w);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&w, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  cs_test_result_clear (&w);

  after = cs_accessor_dup_value (acc);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, generation);
  g_assert_true (G_VALUE_TYPE (before) == G_VALUE_TYPE (after));
  if (G_VALUE_HOLDS_INT (before))
    g_assert_cmpint (g_value_get_int (before), ==, g_value_get_int (after));
  g_value_unset (before);
  g_value_unset (after);
  g_free (before);
  g_free (after);
}

static void
test_accessor_set (void)
{
  World w;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  GValue uninit = G_VALUE_INIT;
  GError *error = NULL;
  GError *preset;

  world_init (&w);
  g_cancellable_cancel (cancelled);

  EXPECT_CRITICAL ("*cs_accessor_set*CS_IS_ACCESSOR (self)*",
                   g_assert_false (cs_accessor_set (NULL, &w.one, CS_SET_FLAGS_NONE, NULL,
                                                    &error)));
  EXPECT_CRITICAL ("*cs_accessor_set*CS_IS_ACCESSOR (self)*",
                   g_assert_false (cs_accessor_set ((CsAccessor *) w.predicate, &w.one,
                                                    CS_SET_FLAGS_NONE, NULL, &error)));
  EXPECT_CRITICAL ("*cs_accessor_set*G_IS_VALUE (value)*",
                   g_assert_false (cs_accessor_set (w.acc, NULL, CS_SET_FLAGS_NONE, NULL,
                                                    &error)));
  EXPECT_CRITICAL ("*cs_accessor_set*G_IS_VALUE (value)*",
                   g_assert_false (cs_accessor_set (w.acc, &uninit, CS_SET_FLAGS_NONE, NULL,
                                                    &error)));
  EXPECT_CRITICAL ("*cs_accessor_set*G_IS_CANCELLABLE (cancellable)*",
                   g_assert_false (cs_accessor_set (w.acc, &w.one, CS_SET_FLAGS_NONE,
                                                    (GCancellable *) w.object, &error)));
  g_assert_no_error (error);

  preset = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "preset");
  error = preset;
  EXPECT_CRITICAL ("*cs_accessor_set*error == NULL || *error == NULL*",
                   g_assert_false (cs_accessor_set (w.acc, &w.one, CS_SET_FLAGS_NONE, NULL,
                                                    &error)));
  g_assert_true (error == preset);
  g_clear_error (&error);

  g_assert_false (cs_accessor_set (w.acc, &w.one, CS_SET_FLAGS_NONE, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* a handoff on the owner thread while another handoff is queued */
  g_assert_false (cs_accessor_set (w.acc2, &w.one, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  world_check (&w);

  /* wrong type, out of range, not exact */
  {
    g_auto(GValue) v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_value_set_string (&v, "7");
    assert_write_rejected (w.acc, &v);
    g_value_unset (&v);

    g_value_init (&v, G_TYPE_OBJECT);
    g_value_set_object (&v, w.object);
    assert_write_rejected (w.acc, &v);
    g_value_unset (&v);

    g_value_init (&v, G_TYPE_INT64);
    g_value_set_int64 (&v, G_GINT64_CONSTANT (1) << 40);
    assert_write_rejected (w.acc, &v);
    g_value_unset (&v);

    g_value_init (&v, G_TYPE_UINT);
    g_value_set_uint (&v, G_MAXUINT);
    assert_write_rejected (w.acc, &v);
    g_value_unset (&v);

    g_value_init (&v, G_TYPE_DOUBLE);
    g_value_set_double (&v, 1.5);
    assert_write_rejected (w.acc, &v);
    g_value_set_double (&v, NAN);
    assert_write_rejected (w.acc, &v);
    g_value_set_double (&v, INFINITY);
    assert_write_rejected (w.acc, &v);
    g_value_unset (&v);

    g_value_init (&v, G_TYPE_BOOLEAN);
    g_value_set_boolean (&v, TRUE);
    assert_write_rejected (w.acc, &v);
    g_value_unset (&v);
  }

  world_check (&w);
  world_clear (&w);
}

static void
test_accessor_set_range (void)
{
  struct { GType type; GType written_type; gint64 i; double d; } cases[] = {
    { G_TYPE_UCHAR,  G_TYPE_INT,    300, 0 },
    { G_TYPE_UCHAR,  G_TYPE_INT,    -1, 0 },
    { G_TYPE_CHAR,   G_TYPE_INT,    128, 0 },
    { G_TYPE_UINT,   G_TYPE_INT,    -1, 0 },
    { G_TYPE_UINT64, G_TYPE_INT,    -1, 0 },
    { G_TYPE_INT,    G_TYPE_INT64,  G_MAXINT64, 0 },
    { G_TYPE_DOUBLE, G_TYPE_INT64,  G_MAXINT64, 0 },  /* 2^63-1 is not a double */
    { G_TYPE_FLOAT,  G_TYPE_DOUBLE, 0, 0.1 },         /* not a float exactly */
    { G_TYPE_INT64,  G_TYPE_DOUBLE, 0, 9223372036854775808.0 },
    { G_TYPE_UINT64, G_TYPE_DOUBLE, 0, -0.5 },
    { 0,             G_TYPE_INT,    3, 0 },           /* enum: no value 3 */
    { 0,             G_TYPE_UINT,   4, 0 },           /* flags: no bit 4 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(GValue) v = G_VALUE_INIT;
      GType type = cases[i].type;
      CsAccessor *acc;

      if (type == 0)
        type = i == G_N_ELEMENTS (cases) - 1 ? test_flags_get_type () : test_enum_get_type ();

      acc = cs_accessor_new (type);
      g_value_init (&v, cases[i].written_type);
      if (cases[i].written_type == G_TYPE_DOUBLE)
        g_value_set_double (&v, cases[i].d);
      else if (cases[i].written_type == G_TYPE_INT64)
        g_value_set_int64 (&v, cases[i].i);
      else if (cases[i].written_type == G_TYPE_UINT)
        g_value_set_uint (&v, (guint) cases[i].i);
      else
        g_value_set_int (&v, (int) cases[i].i);

      assert_write_rejected (acc, &v);
      g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
      cs_test_finalize (&acc);
    }
}

static void
test_accessor_set_async (void)
{
  World w;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  GValue uninit = G_VALUE_INIT;
  CsTestResult op = { 0 };

  world_init (&w);
  g_cancellable_cancel (cancelled);

  EXPECT_CRITICAL ("*cs_accessor_set_async*CS_IS_ACCESSOR (self)*",
                   cs_accessor_set_async (NULL, &w.one, CS_SET_FLAGS_NONE, NULL,
                                          cs_test_set_done, &op));
  EXPECT_CRITICAL ("*cs_accessor_set_async*CS_IS_ACCESSOR (self)*",
                   cs_accessor_set_async ((CsAccessor *) w.object, &w.one, CS_SET_FLAGS_NONE,
                                          NULL, cs_test_set_done, &op));
  EXPECT_CRITICAL ("*cs_accessor_set_async*G_IS_VALUE (value)*",
                   cs_accessor_set_async (w.acc, NULL, CS_SET_FLAGS_NONE, NULL,
                                          cs_test_set_done, &op));
  EXPECT_CRITICAL ("*cs_accessor_set_async*G_IS_VALUE (value)*",
                   cs_accessor_set_async (w.acc, &uninit, CS_SET_FLAGS_WAIT_FOR_READ, NULL,
                                          cs_test_set_done, &op));
  EXPECT_CRITICAL ("*cs_accessor_set_async*G_IS_CANCELLABLE (cancellable)*",
                   cs_accessor_set_async (w.acc, &w.one, CS_SET_FLAGS_NONE,
                                          (GCancellable *) w.condition, cs_test_set_done, &op));
  cs_test_drain ();
  g_assert_cmpuint (op.done, ==, 0);
  world_check (&w);

  cs_accessor_set_async (w.acc, &w.one, CS_SET_FLAGS_NONE, cancelled, cs_test_set_done, &op);
  cs_test_run_until (&op.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&op, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_result_clear (&op);

  cs_accessor_set_async (w.acc2, &w.one, CS_SET_FLAGS_WAIT_FOR_READ, cancelled,
                         cs_test_set_done, &op);
  cs_test_run_until (&op.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&op, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_result_clear (&op);

  world_check (&w);
  world_clear (&w);
}

static void
test_accessor_wait_for_read (void)
{
  World w;
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  CsTestResult op = { 0 };

  world_init (&w);
  g_cancellable_cancel (cancelled);

  EXPECT_CRITICAL ("*cs_accessor_wait_for_read_async*CS_IS_ACCESSOR (self)*",
                   cs_accessor_wait_for_read_async (NULL, NULL, cs_test_wait_for_read_done, &op));
  EXPECT_CRITICAL ("*cs_accessor_wait_for_read_async*CS_IS_ACCESSOR (self)*",
                   cs_accessor_wait_for_read_async ((CsAccessor *) w.condition, NULL,
                                                    cs_test_wait_for_read_done, &op));
  EXPECT_CRITICAL ("*cs_accessor_wait_for_read_async*G_IS_CANCELLABLE (cancellable)*",
                   cs_accessor_wait_for_read_async (w.acc, (GCancellable *) w.object,
                                                    cs_test_wait_for_read_done, &op));
  cs_test_drain ();
  g_assert_cmpuint (op.done, ==, 0);

  cs_accessor_wait_for_read_async (w.acc2, cancelled, cs_test_wait_for_read_done, &op);
  cs_test_run_until (&op.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&op, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_result_clear (&op);

  world_clear (&w);
}

static void
test_accessor_value_property (void)
{
  World w;
  g_auto(GValue) string = G_VALUE_INIT;

  world_init (&w);

  g_value_init (&string, G_TYPE_STRING);
  g_value_set_static_string (&string, "seven");

  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, "*NULL GValue*");
  g_object_set (w.acc, "value", NULL, NULL);
  g_test_assert_expected_messages ();

  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, "*cannot be stored*");
  g_object_set (w.acc, "value", &string, NULL);
  g_test_assert_expected_messages ();

  world_check (&w);
  world_clear (&w);
}

/* A writer that misbehaves */

static gboolean
write_fails_silently (const GValue  *value,
                      gpointer       user_data,
                      GError       **error)
{
  return FALSE;
}

static gboolean
write_succeeds_with_error (const GValue  *value,
                           gpointer       user_data,
                           GError       **error)
{
  *(int *) user_data = g_value_get_int (value);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "stray error");
  return TRUE;
}

static void
test_accessor_bad_writer (void)
{
  g_autoptr(GError) error = NULL;
  int storage = 5;
  CsAccessor *acc;
  CsTestResult r = { 0 };

  acc = cs_accessor_new_full (G_TYPE_INT, "silent", NULL, int_read, write_fails_silently,
                              &storage, NULL);
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
  g_assert_false (cs_test_set_int (acc, 1, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_FAILED);
  g_clear_error (&error);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 5);
  cs_accessor_close (acc);
  cs_test_drain ();
  cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&r);
  cs_test_finalize (&acc);

  /* a writer that says it succeeded: the write counts, its stray error must
   * not reach the caller (nor leak: ASan and valgrind check) */
  acc = cs_accessor_new_full (G_TYPE_INT, "stray", NULL, int_read, write_succeeds_with_error,
                              &storage, NULL);
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
  g_assert_true (cs_test_set_int (acc, 3, &error));
  g_assert_no_error (error);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 3);
  cs_test_result_clear (&r);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  cs_test_finalize (&acc);
}

/* }}} */

/* Closed accessors {{{ */

static void
test_accessor_closed (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) one = G_VALUE_INIT;
  g_autoptr(CsPredicate) predicate = NULL;
  CsTestResult r = { 0 }, w = { 0 }, wr = { 0 };
  guint n_closed_notifies = 0;

  cs_test_value_init_int (&one, 1);
  predicate = cs_predicate_new_equal (&one);
  g_assert_true (cs_test_set_int (acc, 7, &error));
  g_signal_connect (acc, "notify::closed", G_CALLBACK (cs_test_count_cb), &n_closed_notifies);

  cs_accessor_close (acc);
  cs_accessor_close (acc);  /* twice: nothing more */
  g_assert_true (cs_accessor_is_closed (acc));
  g_assert_cmpuint (n_closed_notifies, ==, 1);

  /* every later call fails with CLOSED */
  g_assert_null (cs_accessor_get (acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_null (cs_accessor_get (acc, predicate, CS_GET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cs_accessor_set (acc, &one, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (cs_accessor_set (acc, &one, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_clear_error (&error);

  cs_accessor_get_async (acc, predicate, CS_GET_FLAGS_WAIT_FOR_WRITE, NULL, cs_test_get_done, &r);
  cs_accessor_set_async (acc, &one, CS_SET_FLAGS_WAIT_FOR_READ, NULL, cs_test_set_done, &w);
  cs_accessor_wait_for_read_async (acc, NULL, cs_test_wait_for_read_done, &wr);
  cs_test_drain ();
  cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&w, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&wr, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&r);
  cs_test_result_clear (&w);
  cs_test_result_clear (&wr);

  /* a property setter drops a write to a closed accessor without a warning
   * (its object is going away, or the application closed it while workers
   * still write); G_DEBUG=fatal-warnings would abort on one */
  g_object_set (acc, "value", &one, NULL);
  cs_test_drain ();

  /* the value is still readable, unchanged */
  g_assert_cmpint (cs_test_dup_int (acc), ==, 7);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_cmpuint (n_closed_notifies, ==, 1);

  cs_test_finalize (&acc);
}

/* }}} */

/* Predicates {{{ */

static gboolean
never_called_predicate (const GValue  *value,
                        gpointer       user_data,
                        GError       **error)
{
  g_assert_not_reached ();
}

static void
test_predicate_args (void)
{
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsPredicate) predicate = NULL;
  g_auto(GValue) one = G_VALUE_INIT;
  GValue uninit = G_VALUE_INIT;

  cs_test_value_init_int (&one, 1);
  predicate = cs_predicate_new (never_called_predicate, NULL, NULL);

  EXPECT_CRITICAL ("*cs_predicate_new*func != NULL*",
                   g_assert_null (cs_predicate_new (NULL, NULL, NULL)));
  EXPECT_CRITICAL ("*cs_predicate_new_equal*G_IS_VALUE (value)*",
                   g_assert_null (cs_predicate_new_equal (NULL)));
  EXPECT_CRITICAL ("*cs_predicate_new_equal*G_IS_VALUE (value)*",
                   g_assert_null (cs_predicate_new_equal (&uninit)));
  EXPECT_CRITICAL ("*cs_predicate_new_not_equal*G_IS_VALUE (value)*",
                   g_assert_null (cs_predicate_new_not_equal (NULL)));
  EXPECT_CRITICAL ("*cs_predicate_new_not_equal*G_IS_VALUE (value)*",
                   g_assert_null (cs_predicate_new_not_equal (&uninit)));

  EXPECT_CRITICAL ("*cs_predicate_evaluate*CS_IS_PREDICATE (self)*",
                   g_assert_false (cs_predicate_evaluate (NULL, &one, NULL)));
  /* a CsCondition passed as a CsPredicate */
  EXPECT_CRITICAL ("*cs_predicate_evaluate*CS_IS_PREDICATE (self)*",
                   g_assert_false (cs_predicate_evaluate ((CsPredicate *) condition, &one, NULL)));
  EXPECT_CRITICAL ("*cs_predicate_evaluate*CS_IS_PREDICATE (self)*",
                   g_assert_false (cs_predicate_evaluate ((CsPredicate *) object, &one, NULL)));
  EXPECT_CRITICAL ("*cs_predicate_evaluate*G_IS_VALUE (value)*",
                   g_assert_false (cs_predicate_evaluate (predicate, NULL, NULL)));
  EXPECT_CRITICAL ("*cs_predicate_evaluate*G_IS_VALUE (value)*",
                   g_assert_false (cs_predicate_evaluate (predicate, &uninit, NULL)));

  EXPECT_CRITICAL ("*cs_condition_notify_all*CS_IS_CONDITION (self)*",
                   cs_condition_notify_all (NULL));
  EXPECT_CRITICAL ("*cs_condition_notify_all*CS_IS_CONDITION (self)*",
                   cs_condition_notify_all ((CsCondition *) predicate));
}

/* Built-in comparisons with values of another type: compared after an exact
 * conversion, never a crash, never a false match. */
static void
test_predicate_type_mismatch (void)
{
  g_auto(GValue) s = G_VALUE_INIT;
  g_auto(GValue) d = G_VALUE_INIT;
  g_auto(GValue) nan = G_VALUE_INIT;
  g_auto(GValue) three = G_VALUE_INIT;
  g_autoptr(CsPredicate) equal_string = NULL;
  g_autoptr(CsPredicate) equal_double = NULL;
  g_autoptr(CsPredicate) equal_nan = NULL;
  g_autoptr(CsPredicate) not_equal_nan = NULL;
  g_autoptr(GError) error = NULL;
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r1 = { 0 }, r2 = { 0 }, r3 = { 0 };

  g_value_init (&s, G_TYPE_STRING);
  g_value_set_static_string (&s, "3");
  g_value_init (&d, G_TYPE_DOUBLE);
  g_value_set_double (&d, 3.0);
  g_value_init (&nan, G_TYPE_DOUBLE);
  g_value_set_double (&nan, NAN);
  cs_test_value_init_int (&three, 3);

  equal_string = cs_predicate_new_equal (&s);
  equal_double = cs_predicate_new_equal (&d);
  equal_nan = cs_predicate_new_equal (&nan);
  not_equal_nan = cs_predicate_new_not_equal (&nan);

  g_assert_false (cs_predicate_evaluate (equal_string, &three, NULL));
  g_assert_true (cs_predicate_evaluate (equal_double, &three, NULL));
  g_assert_false (cs_predicate_evaluate (equal_nan, &nan, NULL));
  g_assert_true (cs_predicate_evaluate (not_equal_nan, &nan, NULL));
  g_assert_true (cs_predicate_evaluate (not_equal_nan, &three, NULL));

  cs_accessor_get_async (acc, equal_string, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r1);
  cs_accessor_get_async (acc, equal_double, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r2);
  cs_accessor_get_async (acc, equal_nan, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r3);
  g_assert_true (cs_test_set_int (acc, 3, &error));
  g_assert_no_error (error);
  cs_test_drain ();
  g_assert_cmpuint (r1.done, ==, 0);
  cs_test_assert_result_int (&r2, 3);
  g_assert_cmpuint (r3.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 2);

  cs_accessor_close (acc);
  cs_test_drain ();
  cs_test_assert_result_error (&r1, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&r3, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&r3);
  cs_test_finalize (&acc);
}

/* A predicate that writes the accessor it waits on: v < 3 writes v + 1 */
typedef struct
{
  CsAccessor *acc;
  guint       calls;
} Writer;

static gboolean
predicate_writes (const GValue  *value,
                  gpointer       user_data,
                  GError       **error)
{
  Writer *writer = user_data;
  int v = g_value_get_int (value);

  writer->calls++;
  if (v < 3)
    {
      g_autoptr(GError) set_error = NULL;

      g_assert_true (cs_test_set_int (writer->acc, v + 1, &set_error));
      g_assert_no_error (set_error);
    }

  return v == 3;
}

static void
test_predicate_writes (void)
{
  for (guint i = 0; i < 2; i++)
    {
      CsGetFlags flags = i == 0 ? CS_GET_FLAGS_NONE : CS_GET_FLAGS_WAIT_FOR_WRITE;
      Writer writer = { cs_accessor_new (G_TYPE_INT), 0 };
      g_autoptr(GError) error = NULL;
      CsPredicate *predicate = cs_predicate_new (predicate_writes, &writer, NULL);
      CsTestResult r = { 0 };

      cs_accessor_get_async (writer.acc, predicate, flags, NULL, cs_test_get_done, &r);
      g_clear_object (&predicate);
      if (flags == CS_GET_FLAGS_WAIT_FOR_WRITE)
        {
          g_assert_cmpuint (r.done, ==, 0);
          g_assert_true (cs_test_set_int (writer.acc, 0, &error));
        }
      cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);

      /* it saw 0, 1, 2 and 3, each once, and took 3 */
      cs_test_assert_result_int (&r, 3);
      g_assert_cmpuint (writer.calls, ==, 4);
      g_assert_cmpint (cs_test_dup_int (writer.acc), ==, 3);
      g_assert_cmpuint (cs_accessor_get_generation (writer.acc), ==, i == 0 ? 3 : 4);
      g_assert_cmpuint (cs_accessor_get_n_waiting_reads (writer.acc), ==, 0);
      cs_test_result_clear (&r);
      cs_test_finalize (&writer.acc);
    }
}

/* A predicate that closes the accessor it waits on, holding the only
 * reference to its data: the data must outlive the call. */
typedef struct
{
  CsAccessor *acc;
  int         close_at;
  gboolean    running;
  gboolean    destroyed;
  gboolean    destroyed_while_running;
  guint       calls;
} Closer;

static gboolean
predicate_closes (const GValue  *value,
                  gpointer       user_data,
                  GError       **error)
{
  Closer *closer = user_data;

  closer->calls++;
  if (g_value_get_int (value) != closer->close_at)
    return FALSE;

  closer->running = TRUE;
  cs_accessor_close (closer->acc);
  closer->running = FALSE;

  return TRUE;
}

static void
closer_destroy (gpointer data)
{
  Closer *closer = data;

  closer->destroyed = TRUE;
  if (closer->running)
    closer->destroyed_while_running = TRUE;
}

static void
test_predicate_closes (void)
{
  /* i == 0: at the call (the current value matches); i == 1: at a later write;
   * i == 2: at a group notification */
  for (guint i = 0; i < 3; i++)
    {
      Closer closer = { cs_accessor_new (G_TYPE_INT), i == 0 ? 0 : 5 };
      CsPredicate *predicate = cs_predicate_new (predicate_closes, &closer, closer_destroy);
      g_autoptr(GError) error = NULL;
      CsTestResult r = { 0 }, r2 = { 0 };

      cs_accessor_get_async (closer.acc, predicate, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
      /* the read holds the only reference */
      g_clear_object (&predicate);
      if (i > 0)
        {
          cs_accessor_get_async (closer.acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r2);
          g_assert_cmpuint (cs_accessor_get_n_waiting_reads (closer.acc), ==, 2);
          if (i == 1)
            {
              g_assert_true (cs_test_set_int (closer.acc, 5, &error));
            }
          else
            {
              CsCondition *group = cs_accessor_get_condition (closer.acc);
              g_autoptr(CsAccessor) other = cs_accessor_new_full (G_TYPE_INT, NULL, group,
                                                                  NULL, NULL, NULL, NULL);

              /* the value changes behind the accessor's back: no write */
              closer.close_at = 0;
              g_assert_true (cs_test_set_int (other, 1, &error));
            }
          g_assert_no_error (error);
        }
      cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);

      g_test_message ("case %u: the predicate closes at %s", i,
                      i == 0 ? "the call" : i == 1 ? "a write" : "a group notification");
      g_assert_false (closer.destroyed_while_running);
      g_assert_true (closer.destroyed);
      g_assert_true (cs_accessor_is_closed (closer.acc));
      g_assert_cmpuint (r.done, ==, 1);
      /* satisfied before the close took effect, or failed by it */
      if (!r.ok)
        g_assert_error (r.error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      if (i > 0)
        {
          cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
          if (!r2.ok)
            g_assert_error (r2.error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
        }
      cs_test_drain ();
      g_assert_cmpuint (r.done, ==, 1);
      g_assert_cmpuint (r2.done, ==, i > 0 ? 1 : 0);
      g_assert_cmpuint (cs_accessor_get_n_waiting_reads (closer.acc), ==, 0);
      cs_test_result_clear (&r);
      cs_test_result_clear (&r2);
      cs_test_finalize (&closer.acc);
    }
}

/* }}} */

/* Completion callbacks that drop the last reference {{{ */

static gpointer
close_thread (gpointer data)
{
  cs_accessor_close (data);
  g_object_unref (data);
  return NULL;
}

static gpointer
write_thread (gpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (cs_test_set_int (data, 9, &error));
  g_assert_no_error (error);
  g_object_unref (data);
  return NULL;
}

static void
test_callback_unrefs (void)
{
  /* 0: cancelled read; 1: handoff applied by the accessor's own source; 2:
   * closed from another thread; 3: written from another thread; 4:
   * wait_for_read completed by a reader arriving */
  for (guint i = 0; i < 5; i++)
    {
      CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
      CsAccessor *weak = acc;
      g_autoptr(GCancellable) cancellable = g_cancellable_new ();
      g_auto(GValue) five = G_VALUE_INIT;
      CsTestResult r = { 0 }, w = { 0 }, extra = { 0 };
      GThread *thread = NULL;

      cs_test_value_init_int (&five, 5);
      g_object_add_weak_pointer (G_OBJECT (acc), (gpointer *) &weak);

      if (i == 4)
        {
          /* the wait's callback drops the reference; the read holds its own */
          w.hook = unref_hook;
          w.hook_data = &acc;
          cs_accessor_wait_for_read_async (acc, NULL, cs_test_wait_for_read_done, &w);
          cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, cancellable,
                                 cs_test_get_done, &extra);
          cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
          g_assert_true (w.ok);
          g_assert_null (acc);
          g_assert_nonnull (weak);
          g_cancellable_cancel (cancellable);
          cs_test_run_until (&extra.done, 1, TIMEOUT_SECONDS);
          cs_test_assert_result_error (&extra, G_IO_ERROR, G_IO_ERROR_CANCELLED);
        }
      else
        {
          r.hook = unref_hook;
          r.hook_data = &acc;
          if (i == 1)
            cs_accessor_set_async (acc, &five, CS_SET_FLAGS_WAIT_FOR_READ, NULL,
                                   cs_test_set_done, &w);
          cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, cancellable, cs_test_get_done, &r);

          switch (i)
            {
            case 0:
              g_cancellable_cancel (cancellable);
              break;
            case 1:
              /* queued before the read: applied by the accessor's handoff source */
              break;
            case 2:
              thread = g_thread_new ("close", close_thread, g_object_ref (acc));
              break;
            case 3:
              thread = g_thread_new ("write", write_thread, g_object_ref (acc));
              break;
            default:
              g_assert_not_reached ();
            }

          cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
          g_assert_null (acc);
          if (i == 0)
            cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_CANCELLED);
          else if (i == 1)
            {
              cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
              g_assert_true (w.ok);
              cs_test_assert_result_int (&r, 5);
            }
          else if (i == 2)
            cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
          else
            cs_test_assert_result_int (&r, 9);
        }

      if (thread != NULL)
        g_thread_join (thread);
      cs_test_drain ();

      /* nothing is left holding it, and nothing completed twice */
      g_assert_null (weak);
      g_assert_cmpuint (r.done, <=, 1);
      g_assert_cmpuint (w.done, <=, 1);
      g_assert_cmpuint (extra.done, <=, 1);
      cs_test_result_clear (&r);
      cs_test_result_clear (&w);
      cs_test_result_clear (&extra);
    }
}

/* }}} */

/* Property accessors {{{ */

#define BAD_TYPE_THING (bad_thing_get_type ())
G_DECLARE_FINAL_TYPE (BadThing, bad_thing, BAD, THING, GObject)

struct _BadThing
{
  GObject parent_instance;
  int     number;
  int     write_only;
  int     construct_only;
};

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_WRITE_ONLY,
  PROP_READ_ONLY,
  PROP_CONSTRUCT_ONLY,
  PROP_LEVEL,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (BadThing, bad_thing, G_TYPE_OBJECT)

static void
bad_thing_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BadThing *self = BAD_THING (object);

  switch (prop_id)
    {
    case PROP_NUMBER:
      g_value_set_int (value, self->number);
      break;
    case PROP_READ_ONLY:
      g_value_set_int (value, 42);
      break;
    case PROP_CONSTRUCT_ONLY:
      g_value_set_int (value, self->construct_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bad_thing_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BadThing *self = BAD_THING (object);

  switch (prop_id)
    {
    case PROP_NUMBER:
      self->number = g_value_get_int (value);
      break;
    case PROP_WRITE_ONLY:
      self->write_only = g_value_get_int (value);
      break;
    case PROP_CONSTRUCT_ONLY:
      self->construct_only = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bad_thing_class_init (BadThingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_STATIC_STRINGS;

  object_class->get_property = bad_thing_get_property;
  object_class->set_property = bad_thing_set_property;

  g_object_class_install_property (object_class, PROP_NUMBER,
    g_param_spec_int ("number", NULL, NULL, 0, 10, 0, G_PARAM_READWRITE | flags));
  g_object_class_install_property (object_class, PROP_WRITE_ONLY,
    g_param_spec_int ("write-only", NULL, NULL, 0, 10, 0, G_PARAM_WRITABLE | flags));
  g_object_class_install_property (object_class, PROP_READ_ONLY,
    g_param_spec_int ("read-only", NULL, NULL, 0, 100, 0, G_PARAM_READABLE | flags));
  g_object_class_install_property (object_class, PROP_CONSTRUCT_ONLY,
    g_param_spec_int ("construct-only", NULL, NULL, 0, 10, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | flags));
  cs_object_class_install_condition_property (object_class, PROP_LEVEL,
    g_param_spec_int ("level", NULL, NULL, 0, 5, 1, G_PARAM_READWRITE | flags));
}

static void
bad_thing_init (BadThing *self)
{
}

static void
test_object_new_for_property (void)
{
  BadThing *thing = g_object_new (BAD_TYPE_THING, NULL);
  GParamSpec *not_object = g_param_spec_int ("x", NULL, NULL, 0, 1, 0, G_PARAM_READWRITE);
  const char *names[] = { "number", "read-only", "construct-only", "level" };

  g_param_spec_ref_sink (not_object);

  for (guint i = 0; i < 2; i++)
    {
      CsAccessor *(*make) (GObject *, const char *) =
        i == 0 ? cs_accessor_new_for_property : cs_object_get_accessor;
      const char *fname = i == 0 ? "*cs_accessor_new_for_property*" : "*cs_object_get_accessor*";
      g_autofree char *is_object = g_strconcat (fname, "G_IS_OBJECT (object)*", NULL);
      g_autofree char *name_set = g_strconcat (fname, "property_name != NULL*", NULL);

      EXPECT_CRITICAL (is_object, g_assert_null (make (NULL, "number")));
      /* a GTypeInstance that is not a GObject */
      EXPECT_CRITICAL (is_object, g_assert_null (make ((GObject *) not_object, "number")));
      EXPECT_CRITICAL (name_set, g_assert_null (make (G_OBJECT (thing), NULL)));
      EXPECT_CRITICAL ("*BadThing has no property named “nope”*",
                       g_assert_null (make (G_OBJECT (thing), "nope")));
      EXPECT_CRITICAL ("*“write-only”*not readable*",
                       g_assert_null (make (G_OBJECT (thing), "write-only")));
    }

  /* good accessors, bad writes */
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      CsAccessor *acc = g_object_ref (cs_object_get_accessor (G_OBJECT (thing), names[i]));
      g_autoptr(GError) error = NULL;
      g_auto(GValue) v = G_VALUE_INIT;
      int before = cs_test_dup_int (acc);
      CsTestResult r = { 0 };

      cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);

      g_assert_false (cs_test_set_int (acc, 11, &error));  /* out of every range but read-only's */
      if (i == 1 || i == 2)
        g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY);
      else
        g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
      g_clear_error (&error);

      g_assert_false (cs_test_set_int (acc, -1, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);

      g_value_init (&v, G_TYPE_STRING);
      g_value_set_static_string (&v, "1");
      g_assert_false (cs_accessor_set (acc, &v, CS_SET_FLAGS_NONE, NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == CS_ACCESSOR_ERROR);
      g_clear_error (&error);

      cs_test_drain ();
      g_assert_cmpuint (r.done, ==, 0);
      g_assert_cmpint (cs_test_dup_int (acc), ==, before);
      g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
      g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

      /* a good write still goes through */
      if (i == 0 || i == 3)
        {
          g_assert_true (cs_test_set_int (acc, 2, &error));
          g_assert_no_error (error);
          cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
          cs_test_assert_result_int (&r, 2);
        }
      else
        {
          cs_accessor_close (acc);
          cs_test_drain ();
          cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
        }
      cs_test_result_clear (&r);
      g_object_unref (acc);
    }

  g_assert_cmpint (thing->number, ==, 2);
  g_param_spec_unref (not_object);
  g_object_unref (thing);
}

/* The object behind a property accessor is finalized with calls pending. */
static void
test_object_finalized (void)
{
  BadThing *thing = g_object_new (BAD_TYPE_THING, NULL);
  CsAccessor *acc = cs_accessor_new_for_property (G_OBJECT (thing), "number");
  CsAccessor *acc2 = cs_accessor_new_for_property (G_OBJECT (thing), "number");
  CsAccessor *level = g_object_ref (cs_object_get_accessor (G_OBJECT (thing), "level"));
  g_autoptr(GError) error = NULL;
  g_auto(GValue) three = G_VALUE_INIT;
  CsTestResult r = { 0 }, h = { 0 }, lr = { 0 }, op = { 0 };
  GValue *value;

  cs_test_value_init_int (&three, 3);
  g_assert_true (cs_test_set_int (acc, 4, &error));
  g_assert_no_error (error);

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
  cs_accessor_set_async (acc2, &three, CS_SET_FLAGS_WAIT_FOR_READ, NULL, cs_test_set_done, &h);
  cs_accessor_get_async (level, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &lr);
  cs_test_drain ();
  g_assert_cmpuint (r.done + h.done + lr.done, ==, 0);

  g_clear_object (&thing);
  cs_test_drain ();

  cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&h, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&lr, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&r);
  cs_test_result_clear (&h);
  cs_test_result_clear (&lr);

  for (guint i = 0; i < 3; i++)
    {
      CsAccessor *a = i == 0 ? acc : i == 1 ? acc2 : level;

      g_assert_true (cs_accessor_is_closed (a));
      g_assert_cmpuint (cs_accessor_get_n_waiting_reads (a), ==, 0);
      /* acc and acc2 both saw the write to the property */
      g_assert_cmpuint (cs_accessor_get_generation (a), ==, a == level ? 0 : 1);

      /* reading never yields NULL */
      value = cs_accessor_dup_value (a);
      g_assert_true (G_VALUE_HOLDS_INT (value));
      g_value_unset (value);
      g_free (value);

      g_assert_false (cs_test_set_int (a, 1, &error));
      g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      g_clear_error (&error);

      g_assert_null (cs_accessor_get (a, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, NULL, &error));
      g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      g_clear_error (&error);

      cs_accessor_get_async (a, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &op);
      cs_test_run_until (&op.done, 1, TIMEOUT_SECONDS);
      cs_test_assert_result_error (&op, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      cs_test_result_clear (&op);

      cs_accessor_wait_for_read_async (a, NULL, cs_test_wait_for_read_done, &op);
      cs_test_run_until (&op.done, 1, TIMEOUT_SECONDS);
      cs_test_assert_result_error (&op, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      cs_test_result_clear (&op);
    }

  cs_test_finalize (&acc);
  cs_test_finalize (&acc2);
  cs_test_finalize (&level);
}

/* install_condition_property with bad arguments, from a class_init */

#define BAD_TYPE_INSTALL (bad_install_get_type ())
G_DECLARE_FINAL_TYPE (BadInstall, bad_install, BAD, INSTALL, GObject)

struct _BadInstall
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (BadInstall, bad_install, G_TYPE_OBJECT)

static void
bad_install_class_init (BadInstallClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamSpec *write_only = g_param_spec_int ("write-only", NULL, NULL, 0, 1, 0,
                                             G_PARAM_WRITABLE);
  GParamSpec *good = g_param_spec_int ("good", NULL, NULL, 0, 1, 0, G_PARAM_READWRITE);

  g_param_spec_ref_sink (write_only);
  g_param_spec_ref_sink (good);

  cs_object_class_install_condition_property (NULL, 1, good);
  cs_object_class_install_condition_property (object_class, 1, NULL);
  cs_object_class_install_condition_property (object_class, 0, good);
  cs_object_class_install_condition_property (object_class, 1, write_only);

  g_param_spec_unref (write_only);
  g_param_spec_unref (good);
}

static void
bad_install_init (BadInstall *self)
{
}

static void
test_object_install (void)
{
  g_autoptr(GObject) object = NULL;

  g_test_expect_message (DOMAIN, G_LOG_LEVEL_CRITICAL, "*G_IS_OBJECT_CLASS (klass)*");
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_CRITICAL, "*G_IS_PARAM_SPEC (pspec)*");
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_CRITICAL, "*property_id > 0*");
  g_test_expect_message (DOMAIN, G_LOG_LEVEL_CRITICAL, "*G_PARAM_READABLE*");
  object = g_object_new (BAD_TYPE_INSTALL, NULL);
  g_test_assert_expected_messages ();

  /* nothing was installed */
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (object), "good"));
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (object), "write-only"));
}

/* }}} */

/* Regressions from the adversarial review {{{ */

/* A reader function that hands back a string, which an int cannot hold. */
static void
read_replaced_string (GValue   *value,
                      gpointer  user_data)
{
  g_value_unset (value);
  g_value_init (value, G_TYPE_STRING);
  g_value_set_string (value, "forty-two");
}

/* Was broken: a reader function returning an unconvertible type: re-init, double free. */
static void
test_accessor_reader_wrong_type (void)
{
  CsAccessor *acc = cs_accessor_new_full (G_TYPE_INT, "int", NULL,
                                          read_replaced_string, NULL, NULL, NULL);
  GValue *value;

  g_test_expect_message (DOMAIN, G_LOG_LEVEL_WARNING, "*gchararray*");
  value = cs_accessor_dup_value (acc);
  g_test_assert_expected_messages ();

  /* the type's default, of the accessor's type */
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_INT (value));
  g_assert_cmpint (g_value_get_int (value), ==, 0);
  cs_test_value_free (value);

  cs_test_finalize (&acc);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bad-input/accessor/new", test_accessor_new);
  g_test_add_func ("/bad-input/accessor/new-full", test_accessor_new_full);
  g_test_add_func ("/bad-input/accessor/new-with-closures", test_accessor_new_with_closures);
  g_test_add_func ("/bad-input/accessor/g-object-new", test_accessor_g_object_new);
  g_test_add_func ("/bad-input/accessor/getters", test_accessor_getters);
  g_test_add_func ("/bad-input/accessor/get", test_accessor_get);
  g_test_add_func ("/bad-input/accessor/get-async", test_accessor_get_async);
  g_test_add_func ("/bad-input/accessor/unknown-flags", test_accessor_unknown_flags);
  g_test_add_func ("/bad-input/accessor/finish", test_accessor_finish);
  g_test_add_func ("/bad-input/accessor/set", test_accessor_set);
  g_test_add_func ("/bad-input/accessor/set-range", test_accessor_set_range);
  g_test_add_func ("/bad-input/accessor/set-async", test_accessor_set_async);
  g_test_add_func ("/bad-input/accessor/wait-for-read", test_accessor_wait_for_read);
  g_test_add_func ("/bad-input/accessor/value-property", test_accessor_value_property);
  g_test_add_func ("/bad-input/accessor/bad-writer", test_accessor_bad_writer);
  g_test_add_func ("/bad-input/accessor/closed", test_accessor_closed);
  g_test_add_func ("/bad-input/predicate/args", test_predicate_args);
  g_test_add_func ("/bad-input/predicate/type-mismatch", test_predicate_type_mismatch);
  g_test_add_func ("/bad-input/predicate/writes", test_predicate_writes);
  g_test_add_func ("/bad-input/callback/unrefs-accessor", test_callback_unrefs);
  g_test_add_func ("/bad-input/object/new-for-property", test_object_new_for_property);
  g_test_add_func ("/bad-input/object/finalized", test_object_finalized);
  g_test_add_func ("/bad-input/object/install", test_object_install);
  /* last: it fails until the predicate is kept alive while it runs (report
   * "predicate finalized during its own evaluation"), and a failure ends the
   * program */
  g_test_add_func ("/bad-input/reentrancy/predicate-closes", test_predicate_closes);
  g_test_add_func ("/bad-input/accessor/reader-wrong-type", test_accessor_reader_wrong_type);

  return g_test_run ();
}
