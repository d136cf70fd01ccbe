/* test-accessor.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include <codestare.h>

#include "cs-test-util.h"

#define TEST_ERROR (test_error_quark ())
#define TEST_ERROR_NEGATIVE 42
#define TIMEOUT_SECONDS 10

static GQuark test_error_quark (void);
G_DEFINE_QUARK (cs-test-accessor-error-quark, test_error)

/* Helpers {{{ */

typedef struct
{
  guint n_notify;
  guint n_has_notify;
  guint last_n;           /* n-waiting-reads seen in the last notify */
  gboolean has_seen[8];   /* has-waiting-read seen in each notify */
} WaitCounts;

static void
n_waiting_notify_cb (GObject    *object,
                     GParamSpec *pspec G_GNUC_UNUSED,
                     gpointer    user_data)
{
  WaitCounts *wc = user_data;

  wc->n_notify++;
  wc->last_n = cs_accessor_get_n_waiting_reads (CS_ACCESSOR (object));
}

static void
has_waiting_notify_cb (GObject    *object,
                       GParamSpec *pspec G_GNUC_UNUSED,
                       gpointer    user_data)
{
  WaitCounts *wc = user_data;

  if (wc->n_has_notify < G_N_ELEMENTS (wc->has_seen))
    wc->has_seen[wc->n_has_notify] = cs_accessor_has_waiting_read (CS_ACCESSOR (object));
  wc->n_has_notify++;
}

static void
watch_waiting (CsAccessor *acc,
               WaitCounts *wc)
{
  g_signal_connect (acc, "notify::n-waiting-reads", G_CALLBACK (n_waiting_notify_cb), wc);
  g_signal_connect (acc, "notify::has-waiting-read", G_CALLBACK (has_waiting_notify_cb), wc);
}

/* Starts a read of @acc into @r, with @r's cancellable. */
static void
start_read (CsAccessor   *acc,
            CsTestResult *r,
            CsPredicate  *predicate,
            CsGetFlags    flags)
{
  cs_accessor_get_async (acc, predicate, flags, r->cancellable, cs_test_get_done, r);
}

static void
set_int_async (CsAccessor   *acc,
               int           i,
               CsSetFlags    flags,
               GCancellable *cancellable,
               CsTestResult *w)
{
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, i);
  cs_accessor_set_async (acc, &value, flags, cancellable, cs_test_set_done, w);
}

/* A write made from inside a main-context dispatch, so that completions can
 * run while the write is still being delivered. */
typedef struct
{
  CsAccessor *acc;
  int         value;
  guint       done;
} IdleWrite;

static gboolean
idle_write_cb (gpointer user_data)
{
  IdleWrite *w = user_data;

  cs_test_assert_set_int (w->acc, w->value);
  w->done++;

  return G_SOURCE_REMOVE;
}

static void
write_from_idle (IdleWrite *w)
{
  g_idle_add (idle_write_cb, w);
  cs_test_run_until (&w->done, 1, TIMEOUT_SECONDS);
}

/* Makes the write @w, from an idle or directly from the test. */
static void
write_maybe_from_idle (IdleWrite *w,
                       gboolean   from_idle)
{
  if (from_idle)
    write_from_idle (w);
  else
    cs_test_assert_set_int (w->acc, w->value);
}

/* A custom store for new_full. */
typedef struct
{
  int   stored;
  guint n_reads;
  guint n_writes;
  guint n_destroyed;
  gboolean normalize;
} Store;

static void
store_read (GValue   *value,
            gpointer  user_data)
{
  Store *store = user_data;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  store->n_reads++;
  g_value_set_int (value, store->stored);
}

static gboolean
store_write (const GValue  *value,
             gpointer       user_data,
             GError       **error)
{
  Store *store = user_data;
  int i;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  i = g_value_get_int (value);

  if (store->normalize)
    {
      store->stored = ABS (i);
      store->n_writes++;
      return TRUE;
    }

  if (i == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "Illegal value %d", i);
      return FALSE;
    }
  if (i < 0)
    {
      g_set_error (error, TEST_ERROR, TEST_ERROR_NEGATIVE, "Negative value %d", i);
      return FALSE;
    }

  store->stored = i;
  store->n_writes++;
  return TRUE;
}

static void
store_destroy (gpointer user_data)
{
  Store *store = user_data;

  store->n_destroyed++;
}

/* }}} */

/* Reads {{{ */

static void
test_read_default (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };

  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  /* A group notification is not a write to this accessor. */
  cs_condition_notify_all (cs_accessor_get_condition (acc));
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);

  cs_test_assert_set_int (acc, 7);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 7);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* Completed once only. */
  cs_test_assert_set_int (acc, 8);
  cs_test_drain ();
  cs_test_assert_result_int (&r, 7);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_read_default_wait_for_write (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };

  cs_test_assert_set_int (acc, 3);

  /* WAIT_FOR_WRITE alone is the default read. */
  start_read (acc, &r, NULL, CS_GET_FLAGS_WAIT_FOR_WRITE);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);

  cs_test_assert_set_int (acc, 3);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 3);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_read_predicate_current (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (5);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  WaitCounts wc = { 0 };

  cs_test_assert_set_int (acc, 5);
  watch_waiting (acc, &wc);

  start_read (acc, &r1, pred, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  start_read (acc, &r2, pred, CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* No write is needed. */
  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r1, 5);
  cs_test_assert_result_int (&r2, 5);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (wc.n_notify, ==, 0);
  g_assert_cmpuint (wc.n_has_notify, ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_finalize (&acc);
}

static void
test_read_predicate_later (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (3);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };

  start_read (acc, &r1, pred, CS_GET_FLAGS_NONE);
  start_read (acc, &r2, pred, CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 2);

  cs_test_assert_set_int (acc, 1);
  cs_test_drain ();
  cs_test_assert_set_int (acc, 2);
  cs_test_drain ();
  g_assert_cmpuint (r1.done, ==, 0);
  g_assert_cmpuint (r2.done, ==, 0);

  cs_test_assert_set_int (acc, 3);
  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_set_int (acc, 4);
  cs_test_drain ();

  cs_test_assert_result_int (&r1, 3);
  cs_test_assert_result_int (&r2, 3);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_finalize (&acc);
}

static int external_value;

static void
external_read (GValue   *value,
               gpointer  user_data G_GNUC_UNUSED)
{
  g_value_set_int (value, external_value);
}

static gboolean
external_write (const GValue  *value,
                gpointer       user_data G_GNUC_UNUSED,
                GError       **error G_GNUC_UNUSED)
{
  external_value = g_value_get_int (value);
  return TRUE;
}

static void
test_read_predicate_condition (void)
{
  CsAccessor *acc;
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (9);
  CsTestResult r = { 0 };

  external_value = 0;
  acc = cs_accessor_new_full (G_TYPE_INT, "external", NULL,
                              external_read, external_write, NULL, NULL);

  start_read (acc, &r, pred, CS_GET_FLAGS_NONE);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);

  /* Changed behind the accessor's back: only the group notification re-checks. */
  external_value = 9;
  cs_condition_notify_all (cs_accessor_get_condition (acc));
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 9);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_read_wait_for_write_predicate (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (5);
  CsTestResult r = { 0 };

  cs_test_assert_set_int (acc, 5);

  start_read (acc, &r, pred, CS_GET_FLAGS_WAIT_FOR_WRITE);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  /* No write yet: a group notification does not count. */
  cs_condition_notify_all (cs_accessor_get_condition (acc));
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);

  cs_test_assert_set_int (acc, 6);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);

  cs_test_assert_set_int (acc, 5);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 5);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_read_no_wait_for_write (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  WaitCounts wc = { 0 };

  cs_test_assert_set_int (acc, 12);
  watch_waiting (acc, &wc);

  start_read (acc, &r, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 12);
  g_assert_cmpuint (wc.n_notify, ==, 0);
  g_assert_cmpuint (wc.n_has_notify, ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_read_both_flags (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (0);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  WaitCounts wc = { 0 };

  watch_waiting (acc, &wc);

  start_read (acc, &r1, NULL, CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  start_read (acc, &r2, pred, CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r1, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  cs_test_assert_result_error (&r2, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_cmpuint (wc.n_notify, ==, 0);
  g_assert_cmpuint (wc.n_has_notify, ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_finalize (&acc);
}

static void
test_read_exact_values (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred1 = cs_test_predicate_equal_int (1);
  g_autoptr(CsPredicate) pred2 = cs_test_predicate_equal_int (2);
  CsTestResult r_eq1 = { 0 };
  CsTestResult r_default = { 0 };
  CsTestResult r_eq2 = { 0 };

  start_read (acc, &r_eq1, pred1, CS_GET_FLAGS_NONE);
  start_read (acc, &r_default, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r_eq2, pred2, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 3);

  /* Both writes before any callback can run. */
  cs_test_assert_set_int (acc, 1);
  cs_test_assert_set_int (acc, 2);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 2);

  cs_test_run_until (&r_eq1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r_default.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r_eq2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r_eq1, 1);
  cs_test_assert_result_int (&r_default, 1);
  cs_test_assert_result_int (&r_eq2, 2);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r_eq1);
  cs_test_result_clear (&r_default);
  cs_test_result_clear (&r_eq2);
  cs_test_finalize (&acc);
}

/* }}} */

/* WAIT_FOR_READ writes {{{ */

typedef struct
{
  CsTestResult readers[3];
  int          received[3];
  guint64      generation_seen[3];
  int          value_seen[3];
  guint        n_received;
} Chain;

static void
chain_hook (CsAccessor   *acc,
            CsTestResult *r)
{
  Chain *chain = r->hook_data;
  guint i = r - chain->readers;

  g_assert_cmpuint (i, ==, chain->n_received);
  g_assert_no_error (r->error);
  chain->received[i] = g_value_get_int (r->value);
  chain->generation_seen[i] = cs_accessor_get_generation (acc);
  chain->value_seen[i] = cs_test_dup_int (acc);
  chain->n_received++;

  if (i + 1 < G_N_ELEMENTS (chain->readers))
    {
      CsTestResult *next = &chain->readers[i + 1];

      next->hook = chain_hook;
      next->hook_data = chain;
      start_read (acc, next, NULL, CS_GET_FLAGS_NONE);
    }
}

static void
test_write_wait_for_read_handoff (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult w[3] = { { 0 } };
  Chain chain = { 0 };
  guint value_notify = 0;

  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);

  for (guint i = 0; i < 3; i++)
    set_int_async (acc, i + 1, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w[i]);

  cs_test_drain ();
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (w[i].done, ==, 0);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
  g_assert_cmpuint (value_notify, ==, 0);

  chain.readers[0].hook = chain_hook;
  chain.readers[0].hook_data = &chain;
  start_read (acc, &chain.readers[0], NULL, CS_GET_FLAGS_NONE);

  cs_test_run_until (&chain.n_received, 3, TIMEOUT_SECONDS);
  for (guint i = 0; i < 3; i++)
    cs_test_run_until (&w[i].done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();

  for (guint i = 0; i < 3; i++)
    {
      cs_test_assert_result_int (&chain.readers[i], i + 1);
      g_assert_cmpint (chain.received[i], ==, i + 1);
      /* Nothing was applied while no reader was pending. */
      g_assert_cmpuint (chain.generation_seen[i], ==, i + 1);
      g_assert_cmpint (chain.value_seen[i], ==, i + 1);
      cs_test_assert_result_ok (&w[i]);
    }

  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 3);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 3);
  g_assert_cmpuint (value_notify, ==, 3);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  for (guint i = 0; i < 3; i++)
    {
      cs_test_result_clear (&chain.readers[i]);
      cs_test_result_clear (&w[i]);
    }
  cs_test_finalize (&acc);
}

static void
test_write_wait_for_read_pending_reader (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  CsTestResult w = { 0 };

  /* A reader already pending: the write goes through at once. */
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  set_int_async (acc, 4, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w);

  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 4);
  cs_test_assert_result_ok (&w);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w);
  cs_test_finalize (&acc);
}

static gboolean
record_never_func (const GValue  *value,
                   gpointer       user_data,
                   GError       **error)
{
  GArray *seen = user_data;
  int i = g_value_get_int (value);

  g_array_append_val (seen, i);
  return FALSE;
}

static void
test_write_wait_for_read_predicate_sees_all (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GArray) seen = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(CsPredicate) pred = cs_predicate_new (record_never_func, seen, NULL);
  CsTestResult r = { 0 };
  CsTestResult w[3] = { { 0 } };

  for (guint i = 0; i < 3; i++)
    set_int_async (acc, i + 1, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w[i]);
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);

  /* One pending reader that never matches: each handoff goes through, one at
   * a time, and its predicate sees every one of them in order. */
  start_read (acc, &r, pred, CS_GET_FLAGS_NONE);
  for (guint i = 0; i < 3; i++)
    cs_test_run_until (&w[i].done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();

  for (guint i = 0; i < 3; i++)
    cs_test_assert_result_ok (&w[i]);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 3);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 3);
  g_assert_cmpuint (seen->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpint (g_array_index (seen, int, i), ==, i);
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  cs_accessor_close (acc);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  cs_test_result_clear (&r);
  for (guint i = 0; i < 3; i++)
    cs_test_result_clear (&w[i]);
  cs_test_finalize (&acc);
}

/* Issue 11, E7 (API.md, Semantics 5: the readers pending when a handoff is
 * applied are bound to it, "even if it is cancelled before the write reaches
 * it (notifications frozen): that cancellation comes too late"): the handoff
 * is never counted as taken by a reader that did not see it. */
static void
test_write_wait_for_read_frozen_bound (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  CsTestResult w = { 0 };

  g_object_freeze_notify (G_OBJECT (acc));
  r.cancellable = g_cancellable_new ();
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  set_int_async (acc, 7, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w);
  cs_test_drain ();

  /* applied, since a reader is pending; not delivered, since frozen */
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 7);
  g_assert_cmpuint (r.done, ==, 0);

  /* too late: the reader is bound to the handoff */
  g_cancellable_cancel (r.cancellable);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);

  g_object_thaw_notify (G_OBJECT (acc));
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&r, 7);
  cs_test_assert_result_ok (&w);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w);
  cs_test_finalize (&acc);
}

/* }}} */

/* Waiting readers {{{ */

static void
test_waiting_counts (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  CsTestResult r3 = { 0 };
  WaitCounts wc = { 0 };
  guint n_prop = 99;
  gboolean has_prop = TRUE;

  watch_waiting (acc, &wc);
  g_assert_false (cs_accessor_has_waiting_read (acc));
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* Register: counted as soon as get_async returns. */
  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);
  g_assert_true (cs_accessor_has_waiting_read (acc));
  g_assert_cmpuint (wc.n_notify, ==, 1);
  g_assert_cmpuint (wc.last_n, ==, 1);
  g_assert_cmpuint (wc.n_has_notify, ==, 1);
  g_assert_true (wc.has_seen[0]);

  g_object_get (acc, "n-waiting-reads", &n_prop, "has-waiting-read", &has_prop, NULL);
  g_assert_cmpuint (n_prop, ==, 1);
  g_assert_true (has_prop);

  /* A second reader changes the count, not has-waiting-read. */
  start_read (acc, &r2, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 2);
  g_assert_cmpuint (wc.n_notify, ==, 2);
  g_assert_cmpuint (wc.last_n, ==, 2);
  g_assert_cmpuint (wc.n_has_notify, ==, 1);

  /* Completion of both. */
  cs_test_assert_set_int (acc, 1);
  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r1, 1);
  cs_test_assert_result_int (&r2, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_false (cs_accessor_has_waiting_read (acc));
  g_assert_cmpuint (wc.n_notify, >=, 3);
  g_assert_cmpuint (wc.last_n, ==, 0);
  g_assert_cmpuint (wc.n_has_notify, ==, 2);
  g_assert_false (wc.has_seen[1]);

  g_object_get (acc, "n-waiting-reads", &n_prop, "has-waiting-read", &has_prop, NULL);
  g_assert_cmpuint (n_prop, ==, 0);
  g_assert_false (has_prop);

  /* One reader, completed by a write: one notify each way. */
  wc.n_notify = 0;
  start_read (acc, &r3, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (wc.n_notify, ==, 1);
  cs_test_assert_set_int (acc, 2);
  cs_test_run_until (&r3.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r3, 2);
  g_assert_cmpuint (wc.n_notify, ==, 2);
  g_assert_cmpuint (wc.last_n, ==, 0);
  g_assert_cmpuint (wc.n_has_notify, ==, 4);
  g_assert_true (wc.has_seen[2]);
  g_assert_false (wc.has_seen[3]);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&r3);
  cs_test_finalize (&acc);
}

static void
test_waiting_blip (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  WaitCounts wc = { 0 };
  CsTestResult w = { 0 };

  /* A queued handoff write: the reader arrives and is served at once, so
   * has-waiting-read goes FALSE → TRUE → FALSE quickly; both changes notify. */
  set_int_async (acc, 8, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w);
  cs_test_drain ();
  g_assert_cmpuint (w.done, ==, 0);

  watch_waiting (acc, &wc);
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();

  cs_test_assert_result_int (&r, 8);
  cs_test_assert_result_ok (&w);
  g_assert_cmpuint (wc.n_has_notify, ==, 2);
  g_assert_true (wc.has_seen[0]);
  g_assert_false (wc.has_seen[1]);
  g_assert_cmpuint (wc.n_notify, ==, 2);
  g_assert_cmpuint (wc.last_n, ==, 0);
  g_assert_false (cs_accessor_has_waiting_read (acc));
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w);
  cs_test_finalize (&acc);
}

static void
test_waiting_cancel (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  CsTestResult r2 = { 0 };
  WaitCounts wc = { 0 };

  watch_waiting (acc, &wc);

  r.cancellable = g_cancellable_new ();
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  g_cancellable_cancel (r.cancellable);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_false (cs_accessor_has_waiting_read (acc));
  g_assert_cmpuint (wc.n_notify, ==, 2);
  g_assert_cmpuint (wc.last_n, ==, 0);
  g_assert_cmpuint (wc.n_has_notify, ==, 2);
  g_assert_false (wc.has_seen[1]);

  /* Nothing left behind: a later reader counts from zero. */
  start_read (acc, &r2, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);
  cs_test_assert_set_int (acc, 3);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r2, 3);
  cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r);
  cs_test_result_clear (&r2);
  cs_test_finalize (&acc);
}

static void
test_waiting_wait_for_read (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  CsTestResult wfr1 = { 0 }, wfr2 = { 0 }, wfr3 = { 0 }, wfr4 = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  /* Not before a reader arrives. */
  cs_accessor_wait_for_read_async (acc, NULL, cs_test_wait_for_read_done, &wfr1);
  cs_test_drain ();
  g_assert_cmpuint (wfr1.done, ==, 0);

  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  cs_test_run_until (&wfr1.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_ok (&wfr1);
  /* It only watched; the reader is still pending. */
  g_assert_cmpuint (r1.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  /* At once when a reader is already pending. */
  cs_accessor_wait_for_read_async (acc, NULL, cs_test_wait_for_read_done, &wfr2);
  cs_test_run_until (&wfr2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_ok (&wfr2);
  g_assert_cmpuint (r1.done, ==, 0);

  cs_test_assert_set_int (acc, 1);
  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r1, 1);

  /* Each call waits afresh. */
  cs_accessor_wait_for_read_async (acc, NULL, cs_test_wait_for_read_done, &wfr3);
  cs_test_drain ();
  g_assert_cmpuint (wfr3.done, ==, 0);
  g_assert_cmpuint (wfr1.done, ==, 1);
  g_assert_cmpuint (wfr2.done, ==, 1);

  /* A cancelled wait. */
  cs_accessor_wait_for_read_async (acc, cancellable, cs_test_wait_for_read_done, &wfr4);
  cs_test_drain ();
  g_assert_cmpuint (wfr4.done, ==, 0);
  g_cancellable_cancel (cancellable);
  cs_test_run_until (&wfr4.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&wfr4, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (wfr3.done, ==, 0);

  start_read (acc, &r2, NULL, CS_GET_FLAGS_NONE);
  cs_test_run_until (&wfr3.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_ok (&wfr3);
  g_assert_cmpuint (wfr4.done, ==, 1);

  cs_test_assert_set_int (acc, 2);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r2, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&wfr1);
  cs_test_result_clear (&wfr2);
  cs_test_result_clear (&wfr3);
  cs_test_result_clear (&wfr4);
  cs_test_finalize (&acc);
}

/* }}} */

/* Cancellation {{{ */

static void
test_cancel_pending_read (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (4);
  CsTestResult r = { 0 };

  r.cancellable = g_cancellable_new ();
  start_read (acc, &r, pred, CS_GET_FLAGS_NONE);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);

  g_cancellable_cancel (r.cancellable);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* A later matching write does not complete it again. */
  cs_test_assert_set_int (acc, 4);
  cs_test_drain ();
  cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_cancel_already_cancelled (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  CsTestResult w = { 0 };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();

  g_cancellable_cancel (cancellable);

  r.cancellable = g_object_ref (cancellable);
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* Same for a handoff write: nothing changes. */
  set_int_async (acc, 5, CS_SET_FLAGS_WAIT_FOR_READ, cancellable, &w);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&w, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w);
  cs_test_finalize (&acc);
}

static void
test_cancel_wait_for_read_write (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CsTestResult r = { 0 };
  CsTestResult w = { 0 };
  guint value_notify = 0;
  guint generation_notify = 0;

  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  g_signal_connect (acc, "notify::generation", G_CALLBACK (cs_test_count_cb), &generation_notify);

  set_int_async (acc, 5, CS_SET_FLAGS_WAIT_FOR_READ, cancellable, &w);
  cs_test_drain ();
  g_assert_cmpuint (w.done, ==, 0);

  g_cancellable_cancel (cancellable);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&w, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
  g_assert_cmpuint (value_notify, ==, 0);
  g_assert_cmpuint (generation_notify, ==, 0);

  /* A later reader does not receive the cancelled write. */
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);

  cs_test_assert_set_int (acc, 6);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 6);
  cs_test_assert_result_error (&w, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w);
  cs_test_finalize (&acc);
}

static void
test_cancel_others_undisturbed (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (9);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  CsTestResult r3 = { 0 };
  CsTestResult r4 = { 0 };

  r2.cancellable = g_cancellable_new ();
  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r2, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r3, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r4, pred, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 4);

  g_cancellable_cancel (r2.cancellable);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 3);
  g_assert_cmpuint (r1.done, ==, 0);
  g_assert_cmpuint (r3.done, ==, 0);
  g_assert_cmpuint (r4.done, ==, 0);

  cs_test_assert_set_int (acc, 9);
  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r3.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r4.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r1, 9);
  cs_test_assert_result_int (&r3, 9);
  cs_test_assert_result_int (&r4, 9);
  cs_test_assert_result_error (&r2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&r3);
  cs_test_result_clear (&r4);
  cs_test_finalize (&acc);
}

/* }}} */

/* Closing {{{ */

static void
test_close_pending (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsAccessor *acc2 = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (3);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  CsTestResult w = { 0 }, wfr = { 0 };
  WaitCounts wc = { 0 };
  guint closed_notify = 0;
  gboolean closed_prop = FALSE;

  /* Pending readers. */
  watch_waiting (acc, &wc);
  g_signal_connect (acc, "notify::closed", G_CALLBACK (cs_test_count_cb), &closed_notify);
  g_assert_false (cs_accessor_is_closed (acc));

  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r2, pred, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 2);

  cs_accessor_close (acc);
  g_assert_true (cs_accessor_is_closed (acc));
  g_object_get (acc, "closed", &closed_prop, NULL);
  g_assert_true (closed_prop);
  g_assert_cmpuint (closed_notify, ==, 1);

  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r1, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&r2, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_false (cs_accessor_has_waiting_read (acc));
  g_assert_cmpuint (wc.last_n, ==, 0);
  g_assert_cmpuint (wc.n_has_notify, ==, 2);
  g_assert_false (wc.has_seen[1]);

  /* Closing twice is harmless. */
  cs_accessor_close (acc);
  cs_test_drain ();
  g_assert_true (cs_accessor_is_closed (acc));
  g_assert_cmpuint (closed_notify, ==, 1);
  g_assert_cmpuint (r1.done, ==, 1);
  g_assert_cmpuint (r2.done, ==, 1);

  /* A pending handoff write and a pending wait_for_read. */
  set_int_async (acc2, 5, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w);
  cs_accessor_wait_for_read_async (acc2, NULL, cs_test_wait_for_read_done, &wfr);
  cs_test_drain ();
  g_assert_cmpuint (w.done, ==, 0);
  g_assert_cmpuint (wfr.done, ==, 0);

  cs_accessor_close (acc2);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&wfr.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&w, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&wfr, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_assert_cmpuint (cs_accessor_get_generation (acc2), ==, 0);
  g_assert_cmpint (cs_test_dup_int (acc2), ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&w);
  cs_test_result_clear (&wfr);
  cs_test_finalize (&acc);
  cs_test_finalize (&acc2);
}

static void
test_close_later (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  CsTestResult w1 = { 0 }, w2 = { 0 }, wfr = { 0 };
  guint value_notify = 0;

  cs_test_assert_set_int (acc, 1);
  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  cs_accessor_close (acc);

  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r2, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  set_int_async (acc, 2, CS_SET_FLAGS_NONE, NULL, &w1);
  set_int_async (acc, 3, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w2);
  cs_accessor_wait_for_read_async (acc, NULL, cs_test_wait_for_read_done, &wfr);

  cs_test_value_init_int (&value, 4);
  g_assert_false (cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&w1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&w2.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&wfr.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r1, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&r2, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&w1, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&w2, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&wfr, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (value_notify, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&w1);
  cs_test_result_clear (&w2);
  cs_test_result_clear (&wfr);
  cs_test_finalize (&acc);
}

/* Issue 11, E6 (API.md, Semantics 8: "readers of a write that was applied
 * before the close (including a close made from a notify::value handler of
 * that very write) receive that write"): the "close on the sentinel value"
 * pattern. */
static void
close_on_sentinel_cb (GObject    *object,
                      GParamSpec *pspec G_GNUC_UNUSED,
                      gpointer    user_data)
{
  guint *n_closes = user_data;

  if (cs_test_dup_int (CS_ACCESSOR (object)) == 9)
    {
      cs_accessor_close (CS_ACCESSOR (object));
      (*n_closes)++;
    }
}

static void
test_close_from_notify_of_the_write (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) is_9 = cs_test_predicate_equal_int (9);
  g_autoptr(CsPredicate) is_5 = cs_test_predicate_equal_int (5);
  g_autoptr(GError) error = NULL;
  CsTestResult first = { 0 }, next = { 0 }, at_9 = { 0 }, at_5 = { 0 };
  CsTestResult later = { 0 }, w = { 0 };
  guint n_closes = 0;

  g_signal_connect (acc, "notify::value", G_CALLBACK (close_on_sentinel_cb), &n_closes);

  /* not the sentinel: nothing closes */
  start_read (acc, &first, NULL, CS_GET_FLAGS_NONE);
  cs_test_assert_set_int (acc, 1);
  cs_test_run_until (&first.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&first, 1);
  g_assert_cmpuint (n_closes, ==, 0);

  /* the sentinel: its write succeeds and reaches its readers, the close
   * fails only the reader it does not satisfy */
  start_read (acc, &next, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &at_9, is_9, CS_GET_FLAGS_NONE);
  start_read (acc, &at_5, is_5, CS_GET_FLAGS_NONE);
  cs_test_assert_set_int (acc, 9);
  g_assert_cmpuint (n_closes, ==, 1);
  g_assert_true (cs_accessor_is_closed (acc));

  cs_test_run_until (&next.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&at_9.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&at_5.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&next, 9);
  cs_test_assert_result_int (&at_9, 9);
  cs_test_assert_result_error (&at_5, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* after it, everything fails */
  start_read (acc, &later, NULL, CS_GET_FLAGS_NONE);
  set_int_async (acc, 10, CS_SET_FLAGS_NONE, NULL, &w);
  cs_test_run_until (&later.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&later, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&w, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_assert_false (cs_test_set_int (acc, 11, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 9);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpuint (n_closes, ==, 1);

  cs_test_result_clear (&first);
  cs_test_result_clear (&next);
  cs_test_result_clear (&at_9);
  cs_test_result_clear (&at_5);
  cs_test_result_clear (&later);
  cs_test_result_clear (&w);
  cs_test_finalize (&acc);
}

/* }}} */

/* new_full {{{ */

static void
test_full_reject (void)
{
  Store store = { 0 };
  CsAccessor *acc;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  CsTestResult r = { 0 };
  CsTestResult w1 = { 0 }, w2 = { 0 };
  guint value_notify = 0;
  guint generation_notify = 0;

  acc = cs_accessor_new_full (G_TYPE_INT, "rejecting", NULL,
                              store_read, store_write, &store, store_destroy);
  cs_test_assert_set_int (acc, 3);
  g_assert_cmpint (store.stored, ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  g_signal_connect (acc, "notify::generation", G_CALLBACK (cs_test_count_cb), &generation_notify);
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);

  /* The writer's own error, unchanged. */
  cs_test_value_init_int (&value, 0);
  g_assert_false (cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "Illegal value 0");
  g_clear_error (&error);

  g_value_set_int (&value, -2);
  g_assert_false (cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, TEST_ERROR, TEST_ERROR_NEGATIVE);
  g_assert_cmpstr (error->message, ==, "Negative value -2");
  g_clear_error (&error);

  /* Through set_async, and as a handoff with a reader pending. */
  set_int_async (acc, 0, CS_SET_FLAGS_NONE, NULL, &w1);
  set_int_async (acc, -1, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w2);
  cs_test_run_until (&w1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&w2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&w1, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  cs_test_assert_result_error (&w2, TEST_ERROR, TEST_ERROR_NEGATIVE);

  cs_test_drain ();
  g_assert_cmpint (store.stored, ==, 3);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (value_notify, ==, 0);
  g_assert_cmpuint (generation_notify, ==, 0);
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  /* The reader still gets the next good write. */
  cs_test_assert_set_int (acc, 4);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 4);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpuint (value_notify, ==, 1);
  g_assert_cmpuint (generation_notify, ==, 1);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w1);
  cs_test_result_clear (&w2);
  g_assert_cmpuint (store.n_destroyed, ==, 0);
  cs_test_finalize (&acc);
  g_assert_cmpuint (store.n_destroyed, ==, 1);
}

static void
test_full_normalize (void)
{
  Store store = { .normalize = TRUE };
  CsAccessor *acc;
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (5);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };

  acc = cs_accessor_new_full (G_TYPE_INT, "normalizing", NULL,
                              store_read, store_write, &store, store_destroy);

  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r2, pred, CS_GET_FLAGS_NONE);

  cs_test_assert_set_int (acc, -5);
  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r1, 5);
  cs_test_assert_result_int (&r2, 5);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 5);
  g_assert_cmpint (store.stored, ==, 5);
  g_assert_cmpuint (store.n_writes, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_finalize (&acc);
  g_assert_cmpuint (store.n_destroyed, ==, 1);
}

static void
test_full_read_only (void)
{
  Store store = { .stored = 21 };
  CsAccessor *acc;
  g_autoptr(GError) error = NULL;
  CsTestResult r = { 0 };
  CsTestResult w1 = { 0 }, w2 = { 0 };
  guint value_notify = 0;

  acc = cs_accessor_new_full (G_TYPE_INT, "read-only", NULL,
                              store_read, NULL, &store, store_destroy);
  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 21);

  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);

  g_assert_false (cs_test_set_int (acc, 1, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY);

  set_int_async (acc, 2, CS_SET_FLAGS_NONE, NULL, &w1);
  set_int_async (acc, 3, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w2);
  cs_test_run_until (&w1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&w2.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&w1, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY);
  cs_test_assert_result_error (&w2, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY);

  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 21);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
  g_assert_cmpuint (value_notify, ==, 0);

  cs_accessor_close (acc);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w1);
  cs_test_result_clear (&w2);
  cs_test_finalize (&acc);
  g_assert_cmpuint (store.n_destroyed, ==, 1);
}

/* Issue 11, E3 (API.md, CsPredicate: destroy "is called exactly once, when
 * the predicate is finalized, whatever user_data is (NULL included) ... The
 * same holds for cs_accessor_new_full"). */
static guint n_null_data_destroyed;

static void
count_null_data_destroy (gpointer user_data)
{
  g_assert_null (user_data);
  n_null_data_destroyed++;
}

static void
test_full_destroy_null_data (void)
{
  CsAccessor *acc;

  n_null_data_destroyed = 0;
  acc = cs_accessor_new_full (G_TYPE_INT, "null-data", NULL,
                              store_read, store_write, NULL, count_null_data_destroy);
  cs_test_drain ();
  g_assert_cmpuint (n_null_data_destroyed, ==, 0);

  cs_test_finalize (&acc);
  g_assert_cmpuint (n_null_data_destroyed, ==, 1);
}

/* }}} */

/* Type conversion {{{ */

static void
test_convert_widen (void)
{
  CsAccessor *acc_i64 = cs_accessor_new (G_TYPE_INT64);
  CsAccessor *acc_u64 = cs_accessor_new (G_TYPE_UINT64);
  CsAccessor *acc_dbl = cs_accessor_new (G_TYPE_DOUBLE);
  CsTestResult r = { 0 };
  GValue *v;

  start_read (acc_i64, &r, NULL, CS_GET_FLAGS_NONE);

  cs_test_assert_set_int (acc_i64, -7);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  g_assert_no_error (r.error);
  g_assert_true (G_VALUE_HOLDS_INT64 (r.value));
  g_assert_cmpint (g_value_get_int64 (r.value), ==, -7);

  v = cs_accessor_dup_value (acc_i64);
  g_assert_true (G_VALUE_HOLDS_INT64 (v));
  g_assert_cmpint (g_value_get_int64 (v), ==, -7);
  g_boxed_free (G_TYPE_VALUE, v);

  cs_test_assert_set_int (acc_u64, 42);
  v = cs_accessor_dup_value (acc_u64);
  g_assert_true (G_VALUE_HOLDS_UINT64 (v));
  g_assert_cmpuint (g_value_get_uint64 (v), ==, 42);
  g_boxed_free (G_TYPE_VALUE, v);
  g_assert_cmpuint (cs_accessor_get_generation (acc_u64), ==, 1);

  cs_test_assert_set_int (acc_dbl, -3);
  v = cs_accessor_dup_value (acc_dbl);
  g_assert_true (G_VALUE_HOLDS_DOUBLE (v));
  g_assert_cmpfloat (g_value_get_double (v), ==, -3.0);
  g_boxed_free (G_TYPE_VALUE, v);
  g_assert_cmpuint (cs_accessor_get_generation (acc_dbl), ==, 1);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc_i64);
  cs_test_finalize (&acc_u64);
  cs_test_finalize (&acc_dbl);
}

static gboolean
values_equal (const GValue *a,
              const GValue *b)
{
  if (G_VALUE_TYPE (a) != G_VALUE_TYPE (b))
    return FALSE;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (a)))
    {
    case G_TYPE_INT:
      return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_UINT:
      return g_value_get_uint (a) == g_value_get_uint (b);
    case G_TYPE_INT64:
      return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_DOUBLE:
      return g_value_get_double (a) == g_value_get_double (b);
    case G_TYPE_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_OBJECT:
      return g_value_get_object (a) == g_value_get_object (b);
    default:
      g_assert_not_reached ();
    }

  return FALSE;
}

/* A rejected write changes nothing and notifies nothing. */
static void
assert_invalid (CsAccessor   *acc,
                const GValue *value)
{
  g_autoptr(GError) error = NULL;
  CsTestResult w = { 0 };
  guint64 generation = cs_accessor_get_generation (acc);
  GValue *before = cs_accessor_dup_value (acc);
  GValue *after;
  guint value_notify = 0;
  guint generation_notify = 0;
  gulong id1, id2;

  id1 = g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  id2 = g_signal_connect (acc, "notify::generation", G_CALLBACK (cs_test_count_cb),
                          &generation_notify);

  g_assert_false (cs_accessor_set (acc, value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);

  cs_accessor_set_async (acc, value, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &w);
  cs_test_run_until (&w.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&w, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);

  after = cs_accessor_dup_value (acc);
  g_assert_true (values_equal (before, after));
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, generation);
  g_assert_cmpuint (value_notify, ==, 0);
  g_assert_cmpuint (generation_notify, ==, 0);

  g_signal_handler_disconnect (acc, id1);
  g_signal_handler_disconnect (acc, id2);
  g_boxed_free (G_TYPE_VALUE, before);
  g_boxed_free (G_TYPE_VALUE, after);
  cs_test_result_clear (&w);
}

static void
test_convert_reject (void)
{
  CsAccessor *acc_int = cs_accessor_new (G_TYPE_INT);
  CsAccessor *acc_uint = cs_accessor_new (G_TYPE_UINT);
  CsAccessor *acc_i64 = cs_accessor_new (G_TYPE_INT64);
  CsAccessor *acc_dbl = cs_accessor_new (G_TYPE_DOUBLE);
  CsAccessor *acc_str = cs_accessor_new (G_TYPE_STRING);
  CsTestResult r = { 0 };
  g_auto(GValue) v_dbl = G_VALUE_INIT;
  g_auto(GValue) v_int = G_VALUE_INIT;
  g_auto(GValue) v_str = G_VALUE_INIT;
  g_auto(GValue) v_i64 = G_VALUE_INIT;
  g_auto(GValue) v_u64 = G_VALUE_INIT;

  cs_test_assert_set_int (acc_int, 11);
  start_read (acc_int, &r, NULL, CS_GET_FLAGS_NONE);

  g_value_init (&v_dbl, G_TYPE_DOUBLE);
  g_value_set_double (&v_dbl, 2.5);
  assert_invalid (acc_int, &v_dbl);
  g_value_set_double (&v_dbl, 1e10);
  assert_invalid (acc_int, &v_dbl);
  g_value_set_double (&v_dbl, NAN);
  assert_invalid (acc_int, &v_dbl);

  cs_test_value_init_int (&v_int, -1);
  assert_invalid (acc_uint, &v_int);
  g_value_set_int (&v_int, 5);
  assert_invalid (acc_str, &v_int);

  g_value_init (&v_str, G_TYPE_STRING);
  g_value_set_string (&v_str, "5");
  assert_invalid (acc_int, &v_str);

  g_value_init (&v_i64, G_TYPE_INT64);
  g_value_set_int64 (&v_i64, (gint64) G_MAXINT + 1);
  assert_invalid (acc_int, &v_i64);
  /* 2^53 + 1 has no exact double. */
  g_value_set_int64 (&v_i64, G_GINT64_CONSTANT (9007199254740993));
  assert_invalid (acc_dbl, &v_i64);

  g_value_init (&v_u64, G_TYPE_UINT64);
  g_value_set_uint64 (&v_u64, G_MAXUINT64);
  assert_invalid (acc_i64, &v_u64);

  /* The pending reader saw none of it. */
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpint (cs_test_dup_int (acc_int), ==, 11);
  cs_test_assert_set_int (acc_int, 12);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 12);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc_int);
  cs_test_finalize (&acc_uint);
  cs_test_finalize (&acc_i64);
  cs_test_finalize (&acc_dbl);
  cs_test_finalize (&acc_str);
}

static void
test_convert_double_exact (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsAccessor *acc_dbl = cs_accessor_new (G_TYPE_DOUBLE);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) v_dbl = G_VALUE_INIT;
  g_auto(GValue) v_i64 = G_VALUE_INIT;
  CsTestResult r = { 0 };
  GValue *v;

  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);

  g_value_init (&v_dbl, G_TYPE_DOUBLE);
  g_value_set_double (&v_dbl, 3.0);
  g_assert_true (cs_accessor_set (acc, &v_dbl, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 3);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  /* 2^53 fits a double exactly. */
  g_value_init (&v_i64, G_TYPE_INT64);
  g_value_set_int64 (&v_i64, G_GINT64_CONSTANT (9007199254740992));
  g_assert_true (cs_accessor_set (acc_dbl, &v_i64, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  v = cs_accessor_dup_value (acc_dbl);
  g_assert_true (G_VALUE_HOLDS_DOUBLE (v));
  g_assert_cmpfloat (g_value_get_double (v), ==, 9007199254740992.0);
  g_boxed_free (G_TYPE_VALUE, v);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
  cs_test_finalize (&acc_dbl);
}

static void
test_convert_subtype (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INPUT_STREAM);
  g_autoptr(GInputStream) stream = g_memory_input_stream_new ();
  g_autoptr(GCancellable) other = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) bad = G_VALUE_INIT;
  GValue *v;

  v = cs_accessor_dup_value (acc);
  g_assert_true (G_VALUE_HOLDS (v, G_TYPE_INPUT_STREAM));
  g_assert_null (g_value_get_object (v));
  g_boxed_free (G_TYPE_VALUE, v);

  g_value_init (&value, G_TYPE_MEMORY_INPUT_STREAM);
  g_value_set_object (&value, stream);
  g_assert_true (cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  v = cs_accessor_dup_value (acc);
  g_assert_true (G_VALUE_HOLDS (v, G_TYPE_INPUT_STREAM));
  g_assert_true (g_value_get_object (v) == (gpointer) stream);
  g_boxed_free (G_TYPE_VALUE, v);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  /* An unrelated object type. */
  g_value_init (&bad, G_TYPE_CANCELLABLE);
  g_value_set_object (&bad, other);
  assert_invalid (acc, &bad);

  v = cs_accessor_dup_value (acc);
  g_assert_true (g_value_get_object (v) == (gpointer) stream);
  g_boxed_free (G_TYPE_VALUE, v);

  cs_test_finalize (&acc);
}

/* }}} */

/* Notify {{{ */

static void
test_notify_once_per_write (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  guint value_notify = 0;
  guint generation_notify = 0;
  guint64 generation = 99;

  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  g_signal_connect (acc, "notify::generation", G_CALLBACK (cs_test_count_cb), &generation_notify);

  cs_test_assert_set_int (acc, 1);
  g_assert_cmpuint (value_notify, ==, 1);
  g_assert_cmpuint (generation_notify, ==, 1);

  cs_test_assert_set_int (acc, 2);
  cs_test_assert_set_int (acc, 3);
  g_assert_cmpuint (value_notify, ==, 3);
  g_assert_cmpuint (generation_notify, ==, 3);

  /* Writing an equal value is still a write. */
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  cs_test_assert_set_int (acc, 3);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 3);
  g_assert_cmpuint (value_notify, ==, 4);
  g_assert_cmpuint (generation_notify, ==, 4);

  g_object_get (acc, "generation", &generation, NULL);
  g_assert_cmpuint (generation, ==, 4);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 4);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_notify_freeze (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  guint value_notify = 0;

  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);

  g_object_freeze_notify (G_OBJECT (acc));
  cs_test_assert_set_int (acc, 1);
  cs_test_assert_set_int (acc, 2);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpuint (value_notify, ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);

  g_object_thaw_notify (G_OBJECT (acc));
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&r, 2);
  g_assert_cmpuint (value_notify, ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_notify_freeze_late_reader (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult early = { 0 };
  CsTestResult late = { 0 };

  start_read (acc, &early, NULL, CS_GET_FLAGS_NONE);

  g_object_freeze_notify (G_OBJECT (acc));
  cs_test_assert_set_int (acc, 1);
  /* Arrives after the write, before its notification. */
  start_read (acc, &late, NULL, CS_GET_FLAGS_NONE);
  g_object_thaw_notify (G_OBJECT (acc));

  cs_test_run_until (&early.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&early, 1);
  g_assert_cmpuint (late.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  cs_test_assert_set_int (acc, 2);
  cs_test_run_until (&late.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&late, 2);
  cs_test_assert_result_int (&early, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&early);
  cs_test_result_clear (&late);
  cs_test_finalize (&acc);
}

static void
value_seen_cb (GObject    *object,
               GParamSpec *pspec G_GNUC_UNUSED,
               gpointer    user_data)
{
  int *seen = user_data;

  *seen = cs_test_dup_int (CS_ACCESSOR (object));
}

static void
test_notify_handler_sees_value (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  int seen = -1;

  g_signal_connect (acc, "notify::value", G_CALLBACK (value_seen_cb), &seen);
  cs_test_assert_set_int (acc, 7);
  g_assert_cmpint (seen, ==, 7);
  cs_test_assert_set_int (acc, 8);
  g_assert_cmpint (seen, ==, 8);

  cs_test_finalize (&acc);
}

/* Issue 11, E9 (API.md, Semantics 9: "handlers connected to plain notify,
 * without a detail, see them too"; and the property table): a generic
 * property logger sees generation, n-waiting-reads and has-waiting-read. No
 * detailed handler is connected here. */
typedef struct
{
  guint value;
  guint generation;
  guint n_waiting_reads;
  guint has_waiting_read;
} PlainNotifies;

static void
plain_notify_cb (GObject    *object G_GNUC_UNUSED,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  PlainNotifies *seen = user_data;

  if (g_str_equal (pspec->name, "value"))
    seen->value++;
  else if (g_str_equal (pspec->name, "generation"))
    seen->generation++;
  else if (g_str_equal (pspec->name, "n-waiting-reads"))
    seen->n_waiting_reads++;
  else if (g_str_equal (pspec->name, "has-waiting-read"))
    seen->has_waiting_read++;
}

static void
test_notify_plain_notify_handler (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  PlainNotifies seen = { 0 };
  CsTestResult r = { 0 };

  g_signal_connect (acc, "notify", G_CALLBACK (plain_notify_cb), &seen);

  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (seen.n_waiting_reads, ==, 1);
  g_assert_cmpuint (seen.has_waiting_read, ==, 1);

  cs_test_assert_set_int (acc, 1);
  g_assert_cmpuint (seen.value, ==, 1);
  g_assert_cmpuint (seen.generation, ==, 1);

  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&r, 1);
  g_assert_cmpuint (seen.value, ==, 1);
  g_assert_cmpuint (seen.generation, ==, 1);
  g_assert_cmpuint (seen.n_waiting_reads, ==, 2);
  g_assert_cmpuint (seen.has_waiting_read, ==, 2);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

/* }}} */

/* Re-entrancy {{{ */

typedef struct
{
  CsAccessor *acc;
  guint       calls;
  gboolean    wrote;
} PredWrite;

static gboolean
pred_write_func (const GValue  *value,
                 gpointer       user_data,
                 GError       **error)
{
  PredWrite *pw = user_data;
  int i = g_value_get_int (value);

  pw->calls++;

  if (i == 1 && !pw->wrote)
    {
      pw->wrote = TRUE;
      cs_test_assert_set_int (pw->acc, 2);
      return FALSE;
    }

  return i == 2;
}

static void
check_predicate_writes (gboolean from_idle)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  PredWrite pw = { acc, 0, FALSE };
  g_autoptr(CsPredicate) pred = cs_predicate_new (pred_write_func, &pw, NULL);
  CsTestResult r_pred = { 0 };
  CsTestResult r_default = { 0 };
  IdleWrite w = { acc, 1, 0 };

  start_read (acc, &r_pred, pred, CS_GET_FLAGS_NONE);
  start_read (acc, &r_default, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 2);

  write_maybe_from_idle (&w, from_idle);

  cs_test_run_until (&r_pred.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r_default.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();

  g_assert_true (pw.wrote);
  cs_test_assert_result_int (&r_pred, 2);
  /* The default reader's next write was 1, even though 2 followed at once. */
  cs_test_assert_result_int (&r_default, 1);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 2);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r_pred);
  cs_test_result_clear (&r_default);
  cs_test_finalize (&acc);
}

static void
test_reentrancy_predicate_writes (void)
{
  check_predicate_writes (FALSE);
  check_predicate_writes (TRUE);
}

static void
write_plus_ten_hook (CsAccessor   *acc,
                     CsTestResult *r)
{
  int i = g_value_get_int (r->value);

  if (i < 10)
    cs_test_assert_set_int (acc, i + 10);
}

static void
check_callback_writes (gboolean from_idle)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (11);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  CsTestResult r3 = { 0 };
  IdleWrite w = { acc, 1, 0 };

  r1.hook = write_plus_ten_hook;
  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r2, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r3, pred, CS_GET_FLAGS_NONE);

  write_maybe_from_idle (&w, from_idle);

  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r3.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();

  cs_test_assert_result_int (&r1, 1);
  cs_test_assert_result_int (&r2, 1);
  cs_test_assert_result_int (&r3, 11);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 11);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&r3);
  cs_test_finalize (&acc);
}

static void
test_reentrancy_callback_writes (void)
{
  check_callback_writes (FALSE);
  check_callback_writes (TRUE);
}

static void
read_again_hook (CsAccessor   *acc,
                 CsTestResult *r)
{
  CsTestResult *next = r->hook_data;

  start_read (acc, next, NULL, CS_GET_FLAGS_NONE);
}

static void
check_callback_reads (gboolean from_idle)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  CsTestResult next = { 0 };
  IdleWrite w = { acc, 1, 0 };

  r1.hook = read_again_hook;
  r1.hook_data = &next;
  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r2, NULL, CS_GET_FLAGS_NONE);

  write_maybe_from_idle (&w, from_idle);

  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();

  cs_test_assert_result_int (&r1, 1);
  cs_test_assert_result_int (&r2, 1);
  /* The new read waits for the next write, not the one that woke r1. */
  g_assert_cmpuint (next.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  cs_test_assert_set_int (acc, 2);
  cs_test_run_until (&next.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&next, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&next);
  cs_test_finalize (&acc);
}

static void
test_reentrancy_callback_reads (void)
{
  check_callback_reads (FALSE);
  check_callback_reads (TRUE);
}

/* Issue 11, E10 (API.md, Semantics 6: has-waiting-read and n-waiting-reads
 * "notify every change, 1→0→1 blips included"): a reader whose completion
 * callback reads again takes the count from 1 to 0 and back to 1; a
 * notify::has-waiting-read handler sees FALSE, then TRUE. */
static void
check_blip_from_callback (gboolean from_idle)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  CsTestResult next = { 0 };
  WaitCounts wc = { 0 };
  IdleWrite w = { acc, 1, 0 };

  watch_waiting (acc, &wc);
  r.hook = read_again_hook;
  r.hook_data = &next;
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (wc.n_has_notify, ==, 1);
  g_assert_true (wc.has_seen[0]);

  write_maybe_from_idle (&w, from_idle);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&r, 1);
  g_assert_cmpuint (next.done, ==, 0);
  g_assert_true (cs_accessor_has_waiting_read (acc));
  g_assert_cmpuint (wc.n_has_notify, ==, 3);
  g_assert_false (wc.has_seen[1]);
  g_assert_true (wc.has_seen[2]);
  g_assert_cmpuint (wc.n_notify, ==, 3);
  g_assert_cmpuint (wc.last_n, ==, 1);

  cs_test_assert_set_int (acc, 2);
  cs_test_run_until (&next.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&next, 2);
  g_assert_cmpuint (wc.n_has_notify, ==, 4);
  g_assert_false (wc.has_seen[3]);
  g_assert_cmpuint (wc.n_notify, ==, 4);
  g_assert_cmpuint (wc.last_n, ==, 0);

  cs_test_result_clear (&r);
  cs_test_result_clear (&next);
  cs_test_finalize (&acc);
}

static void
test_waiting_blip_from_callback (void)
{
  check_blip_from_callback (FALSE);
  check_blip_from_callback (TRUE);
}

static void
read_from_notify_cb (GObject    *object,
                     GParamSpec *pspec G_GNUC_UNUSED,
                     gpointer    user_data)
{
  CsTestResult *r = user_data;

  /* once only */
  if (r->hook_data == NULL)
    {
      r->hook_data = r;
      start_read (CS_ACCESSOR (object), r, NULL, CS_GET_FLAGS_NONE);
    }
}

static void
test_reentrancy_notify_handler_reads (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  CsTestResult from_handler = { 0 };
  gulong id;

  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  id = g_signal_connect (acc, "notify::value", G_CALLBACK (read_from_notify_cb), &from_handler);

  cs_test_assert_set_int (acc, 1);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&r, 1);
  /* Started during the write's notification: it waits for the next write. */
  g_assert_nonnull (from_handler.hook_data);
  g_assert_cmpuint (from_handler.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  g_signal_handler_disconnect (acc, id);
  cs_test_assert_set_int (acc, 2);
  cs_test_run_until (&from_handler.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&from_handler, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r);
  cs_test_result_clear (&from_handler);
  cs_test_finalize (&acc);
}

static void
cancel_other_hook (CsAccessor   *acc G_GNUC_UNUSED,
                   CsTestResult *r)
{
  GCancellable *other = r->hook_data;

  g_cancellable_cancel (other);
}

/* Either the value or the cancellation, exactly once. */
static void
assert_value_or_cancelled (const CsTestResult *r,
                           int                 expected)
{
  g_assert_cmpuint (r->done, ==, 1);
  if (r->error != NULL)
    cs_test_assert_result_error (r, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  else
    cs_test_assert_result_int (r, expected);
}

typedef struct
{
  GCancellable *other;
  guint         calls;
} PredCancel;

static gboolean
pred_cancel_func (const GValue  *value,
                  gpointer       user_data,
                  GError       **error)
{
  PredCancel *pc = user_data;
  int i = g_value_get_int (value);

  pc->calls++;
  if (i == 5)
    {
      g_cancellable_cancel (pc->other);
      return TRUE;
    }

  return FALSE;
}

static void
check_cancel_other (gboolean from_idle)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred_never = cs_test_predicate_equal_int (100);
  g_autoptr(CsPredicate) pred_cancel = NULL;
  PredCancel pc = { 0 };
  CsTestResult r1 = { 0 };
  CsTestResult r2 = { 0 };
  CsTestResult r3 = { 0 };
  CsTestResult p = { 0 };
  CsTestResult victim = { 0 };
  CsTestResult r4 = { 0 };
  CsTestResult late = { 0 };
  IdleWrite w1 = { acc, 1, 0 };
  IdleWrite w5 = { acc, 5, 0 };

  /* A completion callback cancels another reader woken by the same write. */
  r2.cancellable = g_cancellable_new ();
  r1.hook = cancel_other_hook;
  r1.hook_data = r2.cancellable;
  start_read (acc, &r1, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r2, NULL, CS_GET_FLAGS_NONE);
  start_read (acc, &r3, NULL, CS_GET_FLAGS_NONE);

  write_maybe_from_idle (&w1, from_idle);

  cs_test_run_until (&r1.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r2.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r3.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&r1, 1);
  assert_value_or_cancelled (&r2, 1);
  cs_test_assert_result_int (&r3, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* A predicate cancels a reader that the write does not satisfy. */
  victim.cancellable = g_cancellable_new ();
  pc.other = victim.cancellable;
  pred_cancel = cs_predicate_new (pred_cancel_func, &pc, NULL);
  start_read (acc, &p, pred_cancel, CS_GET_FLAGS_NONE);
  start_read (acc, &victim, pred_never, CS_GET_FLAGS_NONE);
  start_read (acc, &r4, NULL, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 3);

  write_maybe_from_idle (&w5, from_idle);

  cs_test_run_until (&p.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&victim.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&r4.done, 1, TIMEOUT_SECONDS);
  cs_test_drain ();
  cs_test_assert_result_int (&p, 5);
  cs_test_assert_result_error (&victim, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_assert_result_int (&r4, 5);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* Still working afterwards. */
  start_read (acc, &late, NULL, CS_GET_FLAGS_NONE);
  cs_test_assert_set_int (acc, 6);
  cs_test_run_until (&late.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&late, 6);
  g_assert_cmpuint (r1.done + r2.done + r3.done + p.done + victim.done + r4.done, ==, 6);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&r3);
  cs_test_result_clear (&p);
  cs_test_result_clear (&victim);
  cs_test_result_clear (&r4);
  cs_test_result_clear (&late);
  cs_test_finalize (&acc);
}

static void
test_reentrancy_cancel_other (void)
{
  check_cancel_other (FALSE);
  check_cancel_other (TRUE);
}

/* }}} */

/* Properties {{{ */

static void
test_properties_dup_value (void)
{
  CsAccessor *acc_int = cs_accessor_new (G_TYPE_INT);
  CsAccessor *acc_str = cs_accessor_new (G_TYPE_STRING);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GValue *v;

  v = cs_accessor_dup_value (acc_int);
  g_assert_nonnull (v);
  g_assert_true (G_VALUE_HOLDS_INT (v));
  g_assert_cmpint (g_value_get_int (v), ==, 0);
  g_boxed_free (G_TYPE_VALUE, v);

  v = cs_accessor_dup_value (acc_str);
  g_assert_nonnull (v);
  g_assert_true (G_VALUE_HOLDS_STRING (v));
  g_assert_null (g_value_get_string (v));
  g_boxed_free (G_TYPE_VALUE, v);

  /* A copy: changing it leaves the accessor alone. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, "abc");
  g_assert_true (cs_accessor_set (acc_str, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  g_value_set_string (&value, "changed");

  v = cs_accessor_dup_value (acc_str);
  g_assert_cmpstr (g_value_get_string (v), ==, "abc");
  g_value_set_string (v, "xyz");
  g_boxed_free (G_TYPE_VALUE, v);

  v = cs_accessor_dup_value (acc_str);
  g_assert_cmpstr (g_value_get_string (v), ==, "abc");
  g_boxed_free (G_TYPE_VALUE, v);

  cs_test_finalize (&acc_int);
  cs_test_finalize (&acc_str);
}

static void
test_properties_getters (void)
{
  g_autoptr(CsCondition) cond = cs_condition_new ();
  Store store = { .stored = 17 };
  CsAccessor *acc;
  CsAccessor *acc2;
  CsAccessor *plain;
  g_autofree char *name = NULL;
  g_autoptr(CsCondition) cond_prop = NULL;
  GType value_type = G_TYPE_INVALID;
  guint64 generation = 99;
  GValue *value_prop = NULL;
  gboolean closed = TRUE;

  acc = cs_accessor_new_full (G_TYPE_INT, "my-name", cond,
                              store_read, store_write, &store, NULL);
  acc2 = cs_accessor_new_full (G_TYPE_INT, "other", cond,
                               store_read, store_write, &store, NULL);
  plain = cs_accessor_new (G_TYPE_STRING);

  g_assert_cmpstr (cs_accessor_get_name (acc), ==, "my-name");
  g_assert_cmpuint (cs_accessor_get_value_type (acc), ==, G_TYPE_INT);
  g_assert_true (cs_accessor_get_condition (acc) == cond);
  g_assert_true (cs_accessor_get_condition (acc2) == cond);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
  g_assert_false (cs_accessor_is_closed (acc));

  g_assert_cmpuint (cs_accessor_get_value_type (plain), ==, G_TYPE_STRING);
  g_assert_true (CS_IS_CONDITION (cs_accessor_get_condition (plain)));
  g_assert_true (cs_accessor_get_condition (plain) != cond);

  cs_test_assert_set_int (acc, 4);

  g_object_get (acc,
                "name", &name,
                "value-type", &value_type,
                "condition", &cond_prop,
                "generation", &generation,
                "value", &value_prop,
                "closed", &closed,
                NULL);
  g_assert_cmpstr (name, ==, "my-name");
  g_assert_cmpuint (value_type, ==, G_TYPE_INT);
  g_assert_true (cond_prop == cond);
  g_assert_cmpuint (generation, ==, 1);
  g_assert_cmpuint (generation, ==, cs_accessor_get_generation (acc));
  g_assert_false (closed);
  g_assert_nonnull (value_prop);
  g_assert_true (G_VALUE_HOLDS_INT (value_prop));
  g_assert_cmpint (g_value_get_int (value_prop), ==, 4);
  g_assert_cmpint (g_value_get_int (value_prop), ==, cs_test_dup_int (acc));
  g_boxed_free (G_TYPE_VALUE, value_prop);

  /* The value property of a fresh string accessor is never NULL either. */
  g_object_get (plain, "value", &value_prop, NULL);
  g_assert_nonnull (value_prop);
  g_assert_true (G_VALUE_HOLDS_STRING (value_prop));
  g_assert_null (g_value_get_string (value_prop));
  g_boxed_free (G_TYPE_VALUE, value_prop);

  cs_test_finalize (&acc);
  cs_test_finalize (&acc2);
  cs_test_finalize (&plain);
}

static void
test_properties_set_value (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  g_auto(GValue) value = G_VALUE_INIT;
  guint value_notify = 0;

  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);

  cs_test_value_init_int (&value, 4);
  g_object_set (acc, "value", &value, NULL);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&r, 4);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 4);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (value_notify, ==, 1);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

static void
test_properties_set_value_rejected (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  g_auto(GValue) value = G_VALUE_INIT;
  guint value_notify = 0;
  guint generation_notify = 0;

  cs_test_assert_set_int (acc, 6);
  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &value_notify);
  g_signal_connect (acc, "notify::generation", G_CALLBACK (cs_test_count_cb), &generation_notify);
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 2.5);
  g_test_expect_message ("Codestare", G_LOG_LEVEL_WARNING, "*");
  g_object_set (acc, "value", &value, NULL);
  g_test_assert_expected_messages ();

  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 6);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (value_notify, ==, 0);
  g_assert_cmpuint (generation_notify, ==, 0);

  cs_accessor_close (acc);
  cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&r, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

/* }}} */

/* Blocking calls {{{ */

static void
test_sync_owner_thread (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (3);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GValue *v;

  cs_test_assert_set_int (acc, 3);

  /* Nothing could ever satisfy these on the owner thread. */
  v = cs_accessor_get (acc, NULL, CS_GET_FLAGS_NONE, NULL, &error);
  g_assert_null (v);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  cs_test_value_init_int (&value, 4);
  g_assert_false (cs_accessor_set (acc, &value, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* These need no wait. */
  v = cs_accessor_get (acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (v);
  g_assert_cmpint (g_value_get_int (v), ==, 3);
  g_boxed_free (G_TYPE_VALUE, v);

  v = cs_accessor_get (acc, pred, CS_GET_FLAGS_NONE, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (v);
  g_assert_cmpint (g_value_get_int (v), ==, 3);
  g_boxed_free (G_TYPE_VALUE, v);

  /* With a reader pending, a handoff write has someone to go to. */
  {
    CsTestResult r = { 0 };

    start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
    g_assert_true (cs_accessor_set (acc, &value, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &error));
    g_assert_no_error (error);
    cs_test_run_until (&r.done, 1, TIMEOUT_SECONDS);
    cs_test_assert_result_int (&r, 4);
    g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
    cs_test_result_clear (&r);
  }

  cs_test_finalize (&acc);
}

/* A blocking read made in a worker. */
typedef struct
{
  CsAccessor   *acc;
  CsTestResult  result;
} WorkerRead;

static gpointer
worker_read_func (gpointer data)
{
  WorkerRead *wr = data;
  CsTestResult *r = &wr->result;

  r->value = cs_accessor_get (wr->acc, NULL, CS_GET_FLAGS_NONE, NULL, &r->error);
  cs_test_result_complete (r, wr->acc, r->value != NULL);

  return NULL;
}

static void
poll_until (gboolean (*check) (gpointer), gpointer data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!check (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
has_reader (gpointer data)
{
  return cs_accessor_get_n_waiting_reads (data) == 1;
}

static gboolean
worker_done (gpointer data)
{
  WorkerRead *wr = data;

  return g_atomic_int_get (&wr->result.done) != 0;
}

static void
check_sync_worker_thread (gboolean hold_context)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  WorkerRead wr = { acc, { 0 } };
  GThread *thread;

  /* Either this thread runs the owner context throughout, as g_main_loop_run()
   * would, or only now and then: the worker is never the owner thread. */
  if (hold_context)
    g_assert_true (g_main_context_acquire (NULL));

  thread = g_thread_new ("reader", worker_read_func, &wr);
  poll_until (has_reader, acc);
  g_assert_false (worker_done (&wr));

  cs_test_assert_set_int (acc, 13);
  poll_until (worker_done, &wr);
  g_thread_join (thread);

  cs_test_assert_result_int (&wr.result, 13);
  cs_test_result_clear (&wr.result);
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  if (hold_context)
    g_main_context_release (NULL);

  cs_test_finalize (&acc);
}

static void
test_sync_worker_thread (void)
{
  check_sync_worker_thread (TRUE);
  check_sync_worker_thread (FALSE);
}

/* }}} */

/* Programmer errors {{{ */

static void
test_programmer_errors (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GObject) not_accessor = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  CsTestResult r = { 0 };
  CsTestResult w = { 0 };

  cs_test_value_init_int (&value, 1);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_null (cs_accessor_dup_value (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_null (cs_accessor_dup_value ((CsAccessor *) not_accessor));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_cmpuint (cs_accessor_get_generation (NULL), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads ((CsAccessor *) not_accessor), ==, 0);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_false (cs_accessor_has_waiting_read (NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_false (cs_accessor_set (NULL, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_false (cs_accessor_set (acc, NULL, CS_SET_FLAGS_NONE, NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_false (cs_accessor_set ((CsAccessor *) not_accessor, &value, CS_SET_FLAGS_NONE,
                                   NULL, &error));
  g_test_assert_expected_messages ();
  g_assert_no_error (error);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  cs_accessor_get_async (NULL, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  cs_accessor_set_async (acc, NULL, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &w);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  cs_accessor_wait_for_read_async (NULL, NULL, cs_test_wait_for_read_done, &w);
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  cs_accessor_close ((CsAccessor *) not_accessor);
  g_test_assert_expected_messages ();

  /* None of the failed calls started anything. */
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 0);
  g_assert_cmpuint (w.done, ==, 0);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_false (cs_accessor_is_closed (acc));

  cs_test_finalize (&acc);
}

/* }}} */

/* Equality readers are found by value at each write, not by scanning: they
 * must still complete exactly as any other reader, in the order readers came. */

typedef struct
{
  guint order[16];
  guint n;
} Completions;

static Completions *index_completions;

static void
record_completion (CsAccessor   *acc G_GNUC_UNUSED,
                   CsTestResult *r)
{
  index_completions->order[index_completions->n++] = GPOINTER_TO_UINT (r->hook_data);
}

static gboolean
at_least_3 (const GValue  *value,
            gpointer       user_data G_GNUC_UNUSED,
            GError       **error G_GNUC_UNUSED)
{
  return g_value_get_int (value) >= 3;
}

static void
test_index_order_and_types (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_auto(GValue) v = G_VALUE_INIT;
  CsPredicate *predicates[7];
  CsGetFlags flags[7] = { 0, 0, 0, 0, 0, 0, CS_GET_FLAGS_WAIT_FOR_WRITE };
  CsTestResult readers[7] = { { 0 } };
  Completions completions = { { 0 } };
  const guint order[] = { 0, 2, 3, 6, 5, 1 };

  index_completions = &completions;

  predicates[0] = cs_test_predicate_equal_int (3);
  predicates[1] = NULL;
  predicates[2] = cs_predicate_new (at_least_3, NULL, NULL);
  g_value_init (&v, G_TYPE_DOUBLE);
  g_value_set_double (&v, 3.0);
  predicates[3] = cs_predicate_new_equal (&v);      /* held as the int 3 */
  g_value_set_double (&v, 3.5);
  predicates[4] = cs_predicate_new_equal (&v);      /* no int equals it */
  g_value_unset (&v);
  cs_test_value_init_int (&v, 0);
  predicates[5] = cs_predicate_new_not_equal (&v);
  g_value_unset (&v);
  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, 3);
  predicates[6] = cs_predicate_new_equal (&v);
  g_value_unset (&v);

  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      readers[i].hook = record_completion;
      readers[i].hook_data = GUINT_TO_POINTER (i);
      start_read (acc, &readers[i], predicates[i], flags[i]);
    }
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 7);

  /* only the default reader takes a 2 (the not-equal one too: 2 != 0) */
  cs_test_assert_set_int (acc, 2);
  cs_test_run_until (&completions.n, 2, TIMEOUT_SECONDS);
  cs_test_drain ();
  g_assert_cmpuint (completions.n, ==, 2);
  g_assert_cmpuint (completions.order[0], ==, 1);
  g_assert_cmpuint (completions.order[1], ==, 5);
  cs_test_assert_result_int (&readers[1], 2);
  cs_test_assert_result_int (&readers[5], 2);

  /* both again, now last in order of arrival */
  for (guint i = 1; i <= 5; i += 4)
    cs_test_result_clear (&readers[i]);
  completions.n = 0;
  /* != 2: the current value does not match it at once */
  g_clear_object (&predicates[5]);
  cs_test_value_init_int (&v, 2);
  predicates[5] = cs_predicate_new_not_equal (&v);
  g_value_unset (&v);
  start_read (acc, &readers[5], predicates[5], CS_GET_FLAGS_NONE);
  start_read (acc, &readers[1], NULL, CS_GET_FLAGS_NONE);

  cs_test_assert_set_int (acc, 3);
  cs_test_run_until (&completions.n, 6, TIMEOUT_SECONDS);
  cs_test_drain ();
  g_assert_cmpuint (completions.n, ==, 6);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_assert_cmpuint (completions.order[i], ==, order[i]);
      cs_test_assert_result_int (&readers[order[i]], 3);
    }
  g_assert_cmpuint (readers[4].done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  cs_accessor_close (acc);
  cs_test_run_until (&readers[4].done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&readers[4], CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      cs_test_result_clear (&readers[i]);
      g_clear_object (&predicates[i]);
    }
  index_completions = NULL;
  cs_test_finalize (&acc);
}

/* Two readers of one value share a bucket; one leaving keeps the other, the
 * last leaving removes it, and strings are found by content. */
static void
test_index_buckets (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_STRING);
  g_auto(GValue) v = G_VALUE_INIT;
  g_autoptr(CsPredicate) done = NULL;
  CsTestResult a = { 0 }, b = { 0 }, c = { 0 };
  g_autofree char *text = g_strconcat ("do", "ne", NULL);

  g_value_init (&v, G_TYPE_STRING);
  g_value_set_static_string (&v, "done");
  done = cs_predicate_new_equal (&v);

  a.cancellable = g_cancellable_new ();
  start_read (acc, &a, done, CS_GET_FLAGS_NONE);
  start_read (acc, &b, done, CS_GET_FLAGS_NONE);
  g_cancellable_cancel (a.cancellable);
  cs_test_run_until (&a.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&a, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  g_value_set_static_string (&v, "running");
  g_assert_true (cs_accessor_set (acc, &v, CS_SET_FLAGS_NONE, NULL, NULL));
  cs_test_drain ();
  g_assert_cmpuint (b.done, ==, 0);

  /* another string with the same content */
  g_value_set_string (&v, text);
  g_assert_true (cs_accessor_set (acc, &v, CS_SET_FLAGS_NONE, NULL, NULL));
  cs_test_run_until (&b.done, 1, TIMEOUT_SECONDS);
  g_assert_no_error (b.error);
  g_assert_cmpstr (g_value_get_string (b.value), ==, "done");
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* the bucket went with its last reader: a new one starts afresh */
  g_value_set_static_string (&v, "idle");
  g_assert_true (cs_accessor_set (acc, &v, CS_SET_FLAGS_NONE, NULL, NULL));
  start_read (acc, &c, done, CS_GET_FLAGS_WAIT_FOR_WRITE);
  g_value_set_static_string (&v, "done");
  g_assert_true (cs_accessor_set (acc, &v, CS_SET_FLAGS_NONE, NULL, NULL));
  cs_test_run_until (&c.done, 1, TIMEOUT_SECONDS);
  g_assert_cmpstr (g_value_get_string (c.value), ==, "done");

  cs_test_result_clear (&a);
  cs_test_result_clear (&b);
  cs_test_result_clear (&c);
  cs_test_finalize (&acc);
}

/* A group notification re-checks equality readers by the current value; a
 * WAIT_FOR_WRITE one only after a write to its own accessor. */
static void
read_external_int (GValue   *value,
                   gpointer  user_data)
{
  g_value_set_int (value, *(int *) user_data);
}

static void
test_index_group_notification (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  int outside = 0;
  CsAccessor *acc = cs_accessor_new_full (G_TYPE_INT, "outside", condition,
                                          read_external_int, NULL, &outside, NULL);
  g_autoptr(CsPredicate) five = cs_test_predicate_equal_int (5);
  CsTestResult plain = { 0 }, wait_for_write = { 0 };

  start_read (acc, &plain, five, CS_GET_FLAGS_NONE);
  start_read (acc, &wait_for_write, five, CS_GET_FLAGS_WAIT_FOR_WRITE);

  outside = 4;
  cs_condition_notify_all (condition);
  cs_test_drain ();
  g_assert_cmpuint (plain.done, ==, 0);

  outside = 5;
  cs_condition_notify_all (condition);
  cs_test_run_until (&plain.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&plain, 5);
  cs_test_drain ();
  g_assert_cmpuint (wait_for_write.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  cs_accessor_close (acc);
  cs_test_run_until (&wait_for_write.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&wait_for_write, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  cs_test_result_clear (&plain);
  cs_test_result_clear (&wait_for_write);
  cs_test_finalize (&acc);
}

/* Regressions from the adversarial review {{{ */

/* A predicate that cancels its own read, with a count of its calls. */
typedef struct
{
  GCancellable *cancellable;
  guint         n_calls;
} SelfCancel;

static gboolean
cancel_own_read_cb (const GValue  *value,
                    gpointer       user_data,
                    GError       **error)
{
  SelfCancel *sc = user_data;

  sc->n_calls++;
  g_cancellable_cancel (sc->cancellable);

  return FALSE;
}

/* Was broken: a read its own predicate cancelled during the first check never completed. */
static void
test_cancel_by_own_predicate (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 };
  SelfCancel sc = { 0 };
  g_autoptr(CsPredicate) pred = cs_predicate_new (cancel_own_read_cb, &sc, NULL);

  r.cancellable = g_cancellable_new ();
  sc.cancellable = r.cancellable;
  start_read (acc, &r, pred, CS_GET_FLAGS_NONE);
  g_assert_cmpuint (sc.n_calls, ==, 1);
  g_assert_true (g_cancellable_is_cancelled (r.cancellable));
  g_assert_cmpuint (r.done, ==, 0);

  cs_test_drain ();
  cs_test_assert_result_error (&r, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* gone: a write reaches neither the read nor its predicate */
  cs_test_assert_set_int (acc, 1);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 1);
  g_assert_cmpuint (sc.n_calls, ==, 1);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

/* Was broken: a handoff applied while frozen, then close, then thaw: its reader got CLOSED. */
static void
test_close_frozen_handoff (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GError) error = NULL;
  CsTestResult r = { 0 }, w = { 0 };

  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  g_object_freeze_notify (G_OBJECT (acc));
  set_int_async (acc, 7, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w);
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (r.done, ==, 0);

  cs_accessor_close (acc);
  g_object_thaw_notify (G_OBJECT (acc));
  cs_test_drain ();

  cs_test_assert_result_int (&r, 7);
  cs_test_assert_result_ok (&w);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_false (cs_test_set_int (acc, 8, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w);
  cs_test_finalize (&acc);
}

/* A reader's predicate that runs a main loop once, in which an idle writes 2;
 * another records the values it sees. */
typedef struct
{
  CsAccessor *acc;
  gboolean    nested;
  GString    *seen;
  IdleWrite   two;
} NestedOrder;

static gboolean
nesting_predicate (const GValue  *value,
                   gpointer       user_data,
                   GError       **error)
{
  NestedOrder *no = user_data;

  if (!no->nested)
    {
      no->nested = TRUE;
      g_idle_add (idle_write_cb, &no->two);
      cs_test_drain ();
    }

  return FALSE;
}

static gboolean
recording_predicate (const GValue  *value,
                     gpointer       user_data,
                     GError       **error)
{
  NestedOrder *no = user_data;

  g_string_append_printf (no->seen, "%d ", g_value_get_int (value));

  return FALSE;
}

/* Was broken (second review): a main loop run by one reader's predicate
 * delivered the write made in it to the other readers of the same accessor
 * before they had seen the write being checked: a default reader got 2
 * instead of 1, a predicate saw "2 1" (Semantics 1, 4). */
static void
test_reentrancy_nested_loop_keeps_order (void)
{
  NestedOrder no = { cs_accessor_new (G_TYPE_INT), FALSE, g_string_new (NULL) };
  IdleWrite one = { no.acc, 1, 0 };
  g_autoptr(CsPredicate) nesting = cs_predicate_new (nesting_predicate, &no, NULL);
  g_autoptr(CsPredicate) recording = cs_predicate_new (recording_predicate, &no, NULL);
  CsTestResult a = { 0 }, b = { 0 }, c = { 0 };

  a.cancellable = g_cancellable_new ();
  c.cancellable = g_cancellable_new ();
  start_read (no.acc, &a, nesting, CS_GET_FLAGS_WAIT_FOR_WRITE);
  start_read (no.acc, &b, NULL, CS_GET_FLAGS_NONE);
  start_read (no.acc, &c, recording, CS_GET_FLAGS_WAIT_FOR_WRITE);

  /* the first write from the main loop, as an application makes it */
  no.two = (IdleWrite) { no.acc, 2, 0 };
  g_idle_add (idle_write_cb, &one);
  cs_test_drain ();

  g_assert_true (no.nested);
  cs_test_assert_result_int (&b, 1);
  g_assert_cmpstr (no.seen->str, ==, "1 2 ");
  g_assert_cmpuint (cs_accessor_get_generation (no.acc), ==, 2);

  g_cancellable_cancel (a.cancellable);
  g_cancellable_cancel (c.cancellable);
  cs_test_drain ();
  cs_test_assert_result_error (&a, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_assert_result_error (&c, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  cs_test_result_clear (&a);
  cs_test_result_clear (&b);
  cs_test_result_clear (&c);
  g_string_free (no.seen, TRUE);
  cs_test_finalize (&no.acc);
}

/* Was broken: a write applied while frozen, then close, then thaw: its reader
 * got CLOSED (Semantics 8: readers of a write applied before the close
 * receive it). A reader that came after the write fails. */
static void
test_close_frozen_write (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult before = { 0 }, after = { 0 };
  guint n_value = 0;

  g_signal_connect (acc, "notify::value", G_CALLBACK (cs_test_count_cb), &n_value);
  start_read (acc, &before, NULL, CS_GET_FLAGS_NONE);
  g_object_freeze_notify (G_OBJECT (acc));
  cs_test_assert_set_int (acc, 5);
  start_read (acc, &after, NULL, CS_GET_FLAGS_NONE);

  cs_accessor_close (acc);
  cs_test_drain ();
  cs_test_assert_result_int (&before, 5);
  cs_test_assert_result_error (&after, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  /* the notification itself still waits for the thaw */
  g_assert_cmpuint (n_value, ==, 0);

  g_object_thaw_notify (G_OBJECT (acc));
  cs_test_drain ();
  g_assert_cmpuint (n_value, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&before);
  cs_test_result_clear (&after);
  cs_test_finalize (&acc);
}

/* Was broken: a frozen handoff overwritten before the thaw: its reader got the later value. */
static void
test_write_wait_for_read_frozen_overwritten (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  CsTestResult r = { 0 }, w = { 0 };

  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);
  g_object_freeze_notify (G_OBJECT (acc));
  set_int_async (acc, 7, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &w);
  cs_test_assert_set_int (acc, 8);
  g_object_thaw_notify (G_OBJECT (acc));
  cs_test_drain ();

  cs_test_assert_result_int (&r, 7);
  cs_test_assert_result_ok (&w);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 8);

  cs_test_result_clear (&r);
  cs_test_result_clear (&w);
  cs_test_finalize (&acc);
}

/* A store whose writer closes its own accessor. */
typedef struct
{
  CsAccessor *acc;
  int         stored;
  guint       n_writes;
} ClosingStore;

static void
closing_store_read (GValue   *value,
                    gpointer  user_data)
{
  ClosingStore *store = user_data;

  g_value_set_int (value, store->stored);
}

static gboolean
closing_store_write (const GValue  *value,
                     gpointer       user_data,
                     GError       **error)
{
  ClosingStore *store = user_data;

  store->stored = g_value_get_int (value);
  store->n_writes++;
  cs_accessor_close (store->acc);

  return TRUE;
}

/* Was broken: a writer function that closed its accessor failed the reader of its write. */
static void
test_full_writer_closes (void)
{
  ClosingStore store = { 0 };
  g_autoptr(GError) error = NULL;
  CsTestResult r = { 0 };
  CsAccessor *acc;

  acc = cs_accessor_new_full (G_TYPE_INT, "closing", NULL,
                              closing_store_read, closing_store_write, &store, NULL);
  store.acc = acc;
  start_read (acc, &r, NULL, CS_GET_FLAGS_NONE);

  cs_test_assert_set_int (acc, 1);
  g_assert_true (cs_accessor_is_closed (acc));
  cs_test_drain ();
  cs_test_assert_result_int (&r, 1);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  g_assert_false (cs_test_set_int (acc, 2, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_assert_cmpint (store.stored, ==, 1);
  g_assert_cmpuint (store.n_writes, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

/* A reader function that hands back a GValue of its own type, as a binding
 * may: an int 42. */
static void
read_replaced_int (GValue   *value,
                   gpointer  user_data)
{
  g_value_unset (value);
  g_value_init (value, G_TYPE_INT);
  g_value_set_int (value, 42);
}

/* Was broken: a reader function returning another, convertible type: GValue re-init. */
static void
test_full_reader_replaces_type (void)
{
  CsAccessor *acc = cs_accessor_new_full (G_TYPE_INT64, "int64", NULL,
                                          read_replaced_int, NULL, NULL, NULL);
  CsTestResult r = { 0 };
  GValue *value;

  value = cs_accessor_dup_value (acc);
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_INT64 (value));
  g_assert_cmpint (g_value_get_int64 (value), ==, 42);
  cs_test_value_free (value);

  start_read (acc, &r, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  cs_test_drain ();
  cs_test_assert_result_ok (&r);
  g_assert_true (G_VALUE_HOLDS_INT64 (r.value));
  g_assert_cmpint (g_value_get_int64 (r.value), ==, 42);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

/* A predicate or notify handler that runs a nested main loop until a read of
 * another member of the group completes, which a write from an idle
 * satisfies. */
typedef struct
{
  CsAccessor   *a;
  CsAccessor   *b;
  gboolean      nested;
  CsTestResult  inner;
  guint         inner_done_in_nested;
  IdleWrite     write_b;
} NestedLoop;

static void
nested_loop_run (NestedLoop *nl)
{
  if (nl->nested)
    return;
  nl->nested = TRUE;

  cs_accessor_get_async (nl->b, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &nl->inner);
  nl->write_b = (IdleWrite) { nl->b, 2, 0 };
  g_idle_add (idle_write_cb, &nl->write_b);
  for (guint i = 0; i < CS_TEST_DRAIN_ITERATIONS && nl->inner.done == 0; i++)
    g_main_context_iteration (NULL, FALSE);
  nl->inner_done_in_nested = nl->inner.done;
}

static gboolean
nested_loop_predicate (const GValue  *value,
                       gpointer       user_data,
                       GError       **error)
{
  nested_loop_run (user_data);

  return TRUE;
}

static void
nested_loop_waiting_cb (GObject    *object,
                        GParamSpec *pspec G_GNUC_UNUSED,
                        gpointer    user_data)
{
  if (cs_accessor_get_n_waiting_reads (CS_ACCESSOR (object)) == 0)
    nested_loop_run (user_data);
}

/* Was broken: a nested loop in a predicate/notify handler never saw a later group write. */
static void
test_reentrancy_nested_loop_in_group (gconstpointer data)
{
  gboolean in_predicate = GPOINTER_TO_INT (data);
  g_autoptr(CsCondition) condition = cs_condition_new ();
  NestedLoop nl = { 0 };
  g_autoptr(CsPredicate) pred = cs_predicate_new (nested_loop_predicate, &nl, NULL);
  CsTestResult outer = { 0 };

  nl.a = cs_accessor_new_full (G_TYPE_INT, "a", condition, NULL, NULL, NULL, NULL);
  nl.b = cs_accessor_new_full (G_TYPE_INT, "b", condition, NULL, NULL, NULL, NULL);

  if (in_predicate)
    start_read (nl.a, &outer, pred, CS_GET_FLAGS_WAIT_FOR_WRITE);
  else
    {
      g_signal_connect (nl.a, "notify::n-waiting-reads",
                        G_CALLBACK (nested_loop_waiting_cb), &nl);
      start_read (nl.a, &outer, NULL, CS_GET_FLAGS_NONE);
    }

  cs_test_assert_set_int (nl.a, 1);
  g_assert_true (nl.nested);
  g_assert_cmpuint (nl.inner_done_in_nested, ==, 1);
  cs_test_drain ();
  cs_test_assert_result_int (&nl.inner, 2);
  cs_test_assert_result_int (&outer, 1);
  g_assert_cmpuint (cs_accessor_get_generation (nl.b), ==, 1);

  g_signal_handlers_disconnect_by_data (nl.a, &nl);
  cs_test_result_clear (&outer);
  cs_test_result_clear (&nl.inner);
  cs_test_finalize (&nl.a);
  cs_test_finalize (&nl.b);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/accessor/read/default", test_read_default);
  g_test_add_func ("/accessor/read/default-wait-for-write", test_read_default_wait_for_write);
  g_test_add_func ("/accessor/read/predicate-current", test_read_predicate_current);
  g_test_add_func ("/accessor/read/predicate-later", test_read_predicate_later);
  g_test_add_func ("/accessor/read/predicate-condition", test_read_predicate_condition);
  g_test_add_func ("/accessor/read/wait-for-write-predicate", test_read_wait_for_write_predicate);
  g_test_add_func ("/accessor/read/no-wait-for-write", test_read_no_wait_for_write);
  g_test_add_func ("/accessor/read/both-flags", test_read_both_flags);
  g_test_add_func ("/accessor/read/exact-values", test_read_exact_values);
  g_test_add_func ("/accessor/write/wait-for-read-handoff", test_write_wait_for_read_handoff);
  g_test_add_func ("/accessor/write/wait-for-read-pending-reader",
                   test_write_wait_for_read_pending_reader);
  g_test_add_func ("/accessor/write/wait-for-read-predicate-sees-all",
                   test_write_wait_for_read_predicate_sees_all);
  g_test_add_func ("/accessor/write/wait-for-read-frozen-bound",
                   test_write_wait_for_read_frozen_bound);
  g_test_add_func ("/accessor/waiting/counts", test_waiting_counts);
  g_test_add_func ("/accessor/waiting/blip", test_waiting_blip);
  g_test_add_func ("/accessor/waiting/blip-from-callback", test_waiting_blip_from_callback);
  g_test_add_func ("/accessor/waiting/cancel", test_waiting_cancel);
  g_test_add_func ("/accessor/waiting/wait-for-read", test_waiting_wait_for_read);
  g_test_add_func ("/accessor/cancel/pending-read", test_cancel_pending_read);
  g_test_add_func ("/accessor/cancel/already-cancelled", test_cancel_already_cancelled);
  g_test_add_func ("/accessor/cancel/wait-for-read-write", test_cancel_wait_for_read_write);
  g_test_add_func ("/accessor/cancel/others-undisturbed", test_cancel_others_undisturbed);
  g_test_add_func ("/accessor/close/pending", test_close_pending);
  g_test_add_func ("/accessor/close/later", test_close_later);
  g_test_add_func ("/accessor/close/from-notify-of-the-write",
                   test_close_from_notify_of_the_write);
  g_test_add_func ("/accessor/full/reject", test_full_reject);
  g_test_add_func ("/accessor/full/normalize", test_full_normalize);
  g_test_add_func ("/accessor/full/read-only", test_full_read_only);
  g_test_add_func ("/accessor/full/destroy-null-data", test_full_destroy_null_data);
  g_test_add_func ("/accessor/convert/widen", test_convert_widen);
  g_test_add_func ("/accessor/convert/reject", test_convert_reject);
  g_test_add_func ("/accessor/convert/double-exact", test_convert_double_exact);
  g_test_add_func ("/accessor/convert/subtype", test_convert_subtype);
  g_test_add_func ("/accessor/notify/once-per-write", test_notify_once_per_write);
  g_test_add_func ("/accessor/notify/freeze", test_notify_freeze);
  g_test_add_func ("/accessor/notify/freeze-late-reader", test_notify_freeze_late_reader);
  g_test_add_func ("/accessor/notify/handler-sees-value", test_notify_handler_sees_value);
  g_test_add_func ("/accessor/notify/plain-notify-handler", test_notify_plain_notify_handler);
  g_test_add_func ("/accessor/reentrancy/predicate-writes", test_reentrancy_predicate_writes);
  g_test_add_func ("/accessor/reentrancy/callback-writes", test_reentrancy_callback_writes);
  g_test_add_func ("/accessor/reentrancy/callback-reads", test_reentrancy_callback_reads);
  g_test_add_func ("/accessor/reentrancy/notify-handler-reads",
                   test_reentrancy_notify_handler_reads);
  g_test_add_func ("/accessor/reentrancy/cancel-other", test_reentrancy_cancel_other);
  g_test_add_func ("/accessor/properties/dup-value", test_properties_dup_value);
  g_test_add_func ("/accessor/properties/getters", test_properties_getters);
  g_test_add_func ("/accessor/properties/set-value", test_properties_set_value);
  g_test_add_func ("/accessor/properties/set-value-rejected", test_properties_set_value_rejected);
  g_test_add_func ("/accessor/sync/owner-thread", test_sync_owner_thread);
  g_test_add_func ("/accessor/sync/worker-thread", test_sync_worker_thread);
  g_test_add_func ("/accessor/index/order-and-types", test_index_order_and_types);
  g_test_add_func ("/accessor/index/buckets", test_index_buckets);
  g_test_add_func ("/accessor/index/group-notification", test_index_group_notification);
  g_test_add_func ("/accessor/programmer-errors", test_programmer_errors);

  g_test_add_func ("/accessor/cancel/by-own-predicate", test_cancel_by_own_predicate);
  g_test_add_func ("/accessor/close/frozen-handoff", test_close_frozen_handoff);
  g_test_add_func ("/accessor/close/frozen-write", test_close_frozen_write);
  g_test_add_func ("/accessor/reentrancy/nested-loop-keeps-order",
                   test_reentrancy_nested_loop_keeps_order);
  g_test_add_func ("/accessor/write/wait-for-read-frozen-overwritten",
                   test_write_wait_for_read_frozen_overwritten);
  g_test_add_func ("/accessor/full/writer-closes", test_full_writer_closes);
  g_test_add_func ("/accessor/full/reader-replaces-type", test_full_reader_replaces_type);
  g_test_add_data_func ("/accessor/reentrancy/nested-loop-in-predicate", GINT_TO_POINTER (TRUE),
                        test_reentrancy_nested_loop_in_group);
  g_test_add_data_func ("/accessor/reentrancy/nested-loop-in-waiting-notify",
                        GINT_TO_POINTER (FALSE), test_reentrancy_nested_loop_in_group);

  return g_test_run ();
}
