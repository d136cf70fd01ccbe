/* test-owner.c: one owner context per group (issue 10, findings F1–F9)
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Regression tests for the findings of issue 10, one or more per finding,
 * named after it (/owner/f1-…). Each asserts what API.md requires: every
 * notification, predicate and callback happens in the owner context
 * (Semantics 10), property setters never block, blocking calls can always be
 * cancelled (Semantics 7), a close keeps its place (Semantics 8), callbacks
 * never run inside a library call (Semantics 12), and readers sharing a
 * cancellable attach no source each (F9).
 *
 * No test measures time. A hang fails: single-threaded waits go through
 * cs_test_run_until() or cs_test_wait_until(), whose timeout aborts, and the
 * tests with threads run under a watchdog thread that aborts, since their main
 * thread may be blocked in g_thread_join() or g_cond_wait(). Shared state is
 * atomic, or written by one thread and read by another only after
 * g_thread_join(). */

#include <codestare.h>

#include "cs-test-util.h"

#define TIMEOUT_SECONDS 10
#define WATCHDOG_SECONDS 20

/* the thread that runs main(): the default main context's thread, where every
 * accessor below is created unless a test says otherwise */
static GThread *main_thread;

/* Helpers {{{ */

/* Sets an atomic flag from a worker and wakes the main thread to look at it. */
static void
flag_set (gint *flag)
{
  g_atomic_int_set (flag, TRUE);
  g_main_context_wakeup (NULL);
}

/* Iterates the default main context until a worker has set @flag. */
static void
run_until_flag (gint *flag)
{
  while (!g_atomic_int_get (flag))
    g_main_context_iteration (NULL, TRUE);
}

/* Iterates the default main context until @acc has counted @generation writes:
 * writes queued by other threads are applied there. */
static void
run_until_generation (CsAccessor *acc,
                      guint64     generation)
{
  while (cs_accessor_get_generation (acc) < generation)
    g_main_context_iteration (NULL, TRUE);
}

/* A member of @condition's group that stores an int. */
static CsAccessor *
accessor_in_group (CsCondition *condition,
                   const char  *name)
{
  return g_object_new (CS_TYPE_ACCESSOR,
                       "value-type", G_TYPE_INT,
                       "name", name,
                       "condition", condition,
                       NULL);
}

/* Where something ran: calls on the main thread are counted by it alone,
 * calls on any other thread atomically. Handlers only count; tests assert. */
typedef struct
{
  guint on_main;
  gint  off_main;
} ThreadLog;

static void
thread_log_record (ThreadLog *log)
{
  if (g_thread_self () == main_thread)
    log->on_main++;
  else
    g_atomic_int_inc (&log->off_main);
}

static void
assert_all_on_main (ThreadLog  *log,
                    const char *what)
{
  if (g_atomic_int_get (&log->off_main) != 0)
    g_error ("%s: %d %s call(s) ran on another thread than the accessor's owner "
             "(%u on it)", g_test_get_path (), g_atomic_int_get (&log->off_main), what,
             log->on_main);
}

static void
log_notify_cb (GObject    *object G_GNUC_UNUSED,
               GParamSpec *pspec G_GNUC_UNUSED,
               gpointer    user_data)
{
  thread_log_record (user_data);
}

/* A reader that waits with a logging predicate and starts again each time it
 * completes, until its accessor closes. Its predicate matches the multiples
 * of @modulus (none if 0). */
typedef struct
{
  CsAccessor   *acc;
  CsGetFlags    flags;
  int           modulus;
  CsPredicate  *predicate;
  ThreadLog     predicate_log;
  ThreadLog     callback_log;
  CsTestResult  result;
  guint         n_matched;
  guint         n_closed;
} Rearm;

static gboolean
rearm_predicate (const GValue  *value,
                 gpointer       user_data,
                 GError       **error)
{
  Rearm *r = user_data;

  thread_log_record (&r->predicate_log);

  return r->modulus != 0 && g_value_get_int (value) % r->modulus == 0;
}

static void rearm_start (Rearm *r);

static void
rearm_done (GObject      *object,
            GAsyncResult *res,
            gpointer      user_data)
{
  Rearm *r = user_data;

  thread_log_record (&r->callback_log);
  cs_test_get_done (object, res, &r->result);

  if (r->result.error != NULL)
    {
      cs_test_assert_result_error (&r->result, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      r->n_closed++;
      return;
    }

  g_assert_cmpint (g_value_get_int (r->result.value) % r->modulus, ==, 0);
  r->n_matched++;
  cs_test_result_clear (&r->result);
  rearm_start (r);
}

static void
rearm_start (Rearm *r)
{
  cs_accessor_get_async (r->acc, r->predicate, r->flags, NULL, rearm_done, r);
}

static void
rearm_init (Rearm      *r,
            CsAccessor *acc,
            CsGetFlags  flags,
            int         modulus)
{
  r->acc = acc;
  r->flags = flags;
  r->modulus = modulus;
  r->predicate = cs_predicate_new (rearm_predicate, r, NULL);
  rearm_start (r);
}

/* Closes the reader's accessor, waits for the reader to fail with CLOSED, and
 * checks that its predicate and callbacks all ran on the main thread. */
static void
rearm_finish (Rearm *r)
{
  cs_accessor_close (r->acc);
  cs_test_run_until (&r->n_closed, 1, TIMEOUT_SECONDS);

  assert_all_on_main (&r->predicate_log, "predicate");
  assert_all_on_main (&r->callback_log, "completion callback");
  g_assert_cmpuint (r->callback_log.on_main, ==, r->n_matched + 1);

  cs_test_result_clear (&r->result);
  g_clear_object (&r->predicate);
}

/* OwnerThing: a class with one condition property, "count" {{{ */

#define OWNER_TYPE_THING (owner_thing_get_type ())
G_DECLARE_FINAL_TYPE (OwnerThing, owner_thing, OWNER, THING, GObject)

struct _OwnerThing
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (OwnerThing, owner_thing, G_TYPE_OBJECT)

enum {
  THING_PROP_0,
  THING_PROP_COUNT,
  THING_N_PROPS
};

static void
owner_thing_class_init (OwnerThingClass *klass)
{
  cs_object_class_install_condition_property (G_OBJECT_CLASS (klass), THING_PROP_COUNT,
    g_param_spec_int ("count", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

static void
owner_thing_init (OwnerThing *self G_GNUC_UNUSED)
{
}

/* }}} */

/* }}} */

/* F1: g_object_set of "value" on a worker {{{ */

#define N_WRITES 20000
#define WORKER_BASE 1000000
#define MATCH_EVERY 97

typedef struct
{
  CsAccessor *acc;
  gint        done;
} Worker;

static gpointer
g_object_set_writer_func (gpointer data)
{
  Worker *w = data;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);
  for (int i = 1; i <= N_WRITES; i++)
    {
      g_value_set_int (&value, WORKER_BASE + i);
      g_object_set (w->acc, "value", &value, NULL);
    }

  flag_set (&w->done);

  return NULL;
}

/* F1 (Semantics 10): a worker writes with g_object_set() while the owner thread
 * writes with cs_accessor_set(). g_object_set() freezes the accessor's
 * notifications on the worker; the thaw must not emit them there. Every
 * notify::value handler call, every predicate call and every completion runs
 * on the thread that created the accessor, every write of both threads is
 * counted once, and the value ends as one of the two threads' last writes. */
static void
test_f1_worker_g_object_set (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (g_test_get_path (), WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  ThreadLog notify_log = { 0 };
  Rearm reader = { 0 };
  Worker w = { .acc = acc };
  GThread *thread;
  int final;

  g_signal_connect (acc, "notify::value", G_CALLBACK (log_notify_cb), &notify_log);
  rearm_init (&reader, acc, CS_GET_FLAGS_WAIT_FOR_WRITE, MATCH_EVERY);

  thread = g_thread_new ("g-object-set-writer", g_object_set_writer_func, &w);
  for (int i = 1; i <= N_WRITES; i++)
    {
      cs_test_assert_set_int (acc, i);
      g_main_context_iteration (NULL, FALSE);
    }
  run_until_flag (&w.done);
  g_thread_join (thread);

  /* the worker's writes may still be queued for the owner context */
  run_until_generation (acc, 2 * N_WRITES);
  cs_test_drain ();

  assert_all_on_main (&notify_log, "notify::value");
  assert_all_on_main (&reader.predicate_log, "predicate");
  assert_all_on_main (&reader.callback_log, "completion callback");
  g_assert_cmpuint (notify_log.on_main, >, 0);
  g_assert_cmpuint (reader.predicate_log.on_main, >, 0);

  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2 * N_WRITES);
  final = cs_test_dup_int (acc);
  if (final != N_WRITES && final != WORKER_BASE + N_WRITES)
    g_error ("the value ended as %d, not one of the last writes (%d, %d)",
             final, N_WRITES, WORKER_BASE + N_WRITES);

  rearm_finish (&reader);
  g_signal_handlers_disconnect_by_data (acc, &notify_log);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* F2: cs_condition_notify_all() on a worker {{{ */

#define N_NOTIFY_AFTER 1000

typedef struct
{
  CsCondition *condition;
  gint         writes_done;  /* set by the main thread */
  gint         done;
} Notifier;

/* Notifies while the main thread writes, and then a while longer, while it
 * only runs its main loop. */
static gpointer
notifier_func (gpointer data)
{
  Notifier *n = data;

  while (!g_atomic_int_get (&n->writes_done))
    cs_condition_notify_all (n->condition);

  for (guint i = 0; i < N_NOTIFY_AFTER; i++)
    cs_condition_notify_all (n->condition);

  flag_set (&n->done);

  return NULL;
}

/* F2 (Semantics 10, CsCondition): a worker calls cs_condition_notify_all() in
 * a loop while the owner thread writes to a member of the group, then while
 * the owner thread only runs its main loop. The re-checks happen in the
 * condition's context: predicates of readers pending on the members run only
 * on the main thread, and nothing crashes. */
static void
test_f2_worker_notify_all (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (g_test_get_path (), WATCHDOG_SECONDS);
  g_autoptr(CsCondition) condition = cs_condition_new ();
  CsAccessor *written = accessor_in_group (condition, "f2-written");
  CsAccessor *other = accessor_in_group (condition, "f2-other");
  Rearm written_reader = { 0 }, other_reader = { 0 };
  Notifier n = { .condition = condition };
  GThread *thread;

  /* one reader of each member: on the written one, re-armed at each match;
   * on the other, never matching, re-checked by every write and notify_all */
  rearm_init (&written_reader, written, CS_GET_FLAGS_WAIT_FOR_WRITE, MATCH_EVERY);
  rearm_init (&other_reader, other, CS_GET_FLAGS_NONE, 0);

  thread = g_thread_new ("notifier", notifier_func, &n);
  for (int i = 1; i <= N_WRITES; i++)
    {
      cs_test_assert_set_int (written, i);
      g_main_context_iteration (NULL, FALSE);
    }
  g_atomic_int_set (&n.writes_done, TRUE);
  run_until_flag (&n.done);
  g_thread_join (thread);
  cs_test_drain ();

  assert_all_on_main (&written_reader.predicate_log, "predicate");
  assert_all_on_main (&other_reader.predicate_log, "predicate");
  g_assert_cmpuint (other_reader.predicate_log.on_main, >, 0);
  g_assert_cmpuint (cs_accessor_get_generation (written), ==, N_WRITES);

  rearm_finish (&written_reader);
  rearm_finish (&other_reader);
  cs_test_finalize (&written);
  cs_test_finalize (&other);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* F3: a group with members created in two threads' contexts {{{ */

#define N_GROUP_WRITES 5000

typedef struct
{
  CsCondition *condition;
  CsAccessor  *acc;          /* created by the worker */
  ThreadLog    notify_log;
  gint         created;
  GMutex       mutex;
  GCond        cond;
  gboolean     go;
  guint        n_failed;
  gint         done;
} GroupWorker;

static gpointer
group_worker_func (gpointer data)
{
  GroupWorker *gw = data;
  GMainContext *context = g_main_context_new ();

  /* the member is created under the worker's own context: it still belongs
   * to its condition's, the main thread's */
  g_main_context_push_thread_default (context);
  gw->acc = accessor_in_group (gw->condition, "f3-worker");
  g_signal_connect (gw->acc, "notify::value", G_CALLBACK (log_notify_cb), &gw->notify_log);
  flag_set (&gw->created);

  g_mutex_lock (&gw->mutex);
  while (!gw->go)
    g_cond_wait (&gw->cond, &gw->mutex);
  g_mutex_unlock (&gw->mutex);

  for (int i = 1; i <= N_GROUP_WRITES; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!cs_test_set_int (gw->acc, WORKER_BASE + i, &error))
        gw->n_failed++;
    }

  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  flag_set (&gw->done);

  return NULL;
}

/* F3 (Semantics 10, now: a group lives in its condition's context): one
 * condition, created on the main thread; a second member created by a worker
 * under a thread-default context of its own; both threads write. All notify
 * handlers and predicates, of both members, run on the main thread, and
 * nothing crashes. */
static void
test_f3_group_two_contexts (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (g_test_get_path (), WATCHDOG_SECONDS);
  g_autoptr(CsCondition) condition = cs_condition_new ();
  CsAccessor *acc = accessor_in_group (condition, "f3-main");
  GroupWorker gw = { .condition = condition };
  ThreadLog notify_log = { 0 };
  Rearm main_reader = { 0 }, worker_reader = { 0 };
  GThread *thread;

  g_mutex_init (&gw.mutex);
  g_cond_init (&gw.cond);
  g_signal_connect (acc, "notify::value", G_CALLBACK (log_notify_cb), &notify_log);
  rearm_init (&main_reader, acc, CS_GET_FLAGS_WAIT_FOR_WRITE, MATCH_EVERY);

  thread = g_thread_new ("group-worker", group_worker_func, &gw);
  run_until_flag (&gw.created);
  rearm_init (&worker_reader, gw.acc, CS_GET_FLAGS_WAIT_FOR_WRITE, MATCH_EVERY);

  g_mutex_lock (&gw.mutex);
  gw.go = TRUE;
  g_cond_signal (&gw.cond);
  g_mutex_unlock (&gw.mutex);

  for (int i = 1; i <= N_GROUP_WRITES; i++)
    {
      cs_test_assert_set_int (acc, i);
      g_main_context_iteration (NULL, FALSE);
    }
  run_until_flag (&gw.done);
  g_thread_join (thread);
  cs_test_drain ();

  assert_all_on_main (&notify_log, "notify::value (main member)");
  assert_all_on_main (&gw.notify_log, "notify::value (worker's member)");
  assert_all_on_main (&main_reader.predicate_log, "predicate (main member)");
  assert_all_on_main (&worker_reader.predicate_log, "predicate (worker's member)");
  g_assert_cmpuint (gw.n_failed, ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, N_GROUP_WRITES);
  g_assert_cmpuint (cs_accessor_get_generation (gw.acc), ==, N_GROUP_WRITES);
  g_assert_cmpint (cs_test_dup_int (gw.acc), ==, WORKER_BASE + N_GROUP_WRITES);

  rearm_finish (&main_reader);
  rearm_finish (&worker_reader);
  g_signal_handlers_disconnect_by_data (acc, &notify_log);
  g_signal_handlers_disconnect_by_data (gw.acc, &gw.notify_log);
  cs_test_finalize (&acc);
  cs_test_finalize (&gw.acc);
  g_mutex_clear (&gw.mutex);
  g_cond_clear (&gw.cond);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* F4: a nested main loop in a completion callback {{{ */

typedef struct
{
  CsAccessor   *acc;
  CsTestResult  outer;
  CsTestResult  inner;
} NestedRead;

static gboolean
write_1_cb (gpointer data)
{
  cs_test_assert_set_int (data, 1);

  return G_SOURCE_REMOVE;
}

static gboolean
write_2_cb (gpointer data)
{
  cs_test_assert_set_int (data, 2);

  return G_SOURCE_REMOVE;
}

static void
nested_outer_done (GObject      *object,
                   GAsyncResult *res,
                   gpointer      user_data)
{
  NestedRead *nr = user_data;

  cs_test_get_done (object, res, &nr->outer);

  cs_accessor_get_async (nr->acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &nr->inner);
  g_idle_add (write_2_cb, nr->acc);
  cs_test_run_until (&nr->inner.done, 1, TIMEOUT_SECONDS);
}

/* F4 (Semantics 4, 12): a completion callback starts a read, schedules a
 * write from an idle and spins a nested main loop until that read completes.
 * The nested loop sees the later write and its completion as the outer loop
 * would. The first write also comes from an idle, so that the callback runs
 * from inside a dispatch, as in a running program. */
static void
test_f4_nested_loop_in_callback (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  NestedRead nr = { .acc = acc };

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, nested_outer_done, &nr);
  g_idle_add (write_1_cb, acc);
  cs_test_run_until (&nr.outer.done, 1, TIMEOUT_SECONDS);

  cs_test_assert_result_int (&nr.outer, 1);
  cs_test_assert_result_int (&nr.inner, 2);

  cs_test_result_clear (&nr.outer);
  cs_test_result_clear (&nr.inner);
  cs_test_finalize (&acc);
}

/* }}} */

/* F5: g_object_set of a condition property never blocks {{{ */

typedef struct
{
  GObject  *object;
  GMutex    mutex;
  GCond     cond;
  gboolean  returned;
} PropertySetter;

static gpointer
property_setter_func (gpointer data)
{
  PropertySetter *ps = data;

  g_object_set (ps->object, "count", 5, NULL);

  g_mutex_lock (&ps->mutex);
  ps->returned = TRUE;
  g_cond_signal (&ps->cond);
  g_mutex_unlock (&ps->mutex);

  return NULL;
}

/* F5 (Semantics 10: a property setter never blocks): an object with a
 * condition property is constructed under a temporary thread-default context,
 * which is then popped and not run. g_object_set() of the property on another
 * thread queues the write and returns. The main thread waits for it with a
 * deadline, so a blocked setter fails the test instead of hanging. Whoever
 * runs the context later applies the write. */
static void
test_f5_property_set_never_blocks (void)
{
  GMainContext *context = g_main_context_new ();
  guint seconds = cs_test_watchdog_seconds (TIMEOUT_SECONDS);
  PropertySetter ps = { 0 };
  gint64 deadline;
  int count;
  GThread *thread;

  g_mutex_init (&ps.mutex);
  g_cond_init (&ps.cond);

  g_main_context_push_thread_default (context);
  ps.object = g_object_new (OWNER_TYPE_THING, NULL);
  g_main_context_pop_thread_default (context);

  thread = g_thread_new ("property-setter", property_setter_func, &ps);

  deadline = g_get_monotonic_time () + seconds * G_TIME_SPAN_SECOND;
  g_mutex_lock (&ps.mutex);
  while (!ps.returned)
    {
      if (!g_cond_wait_until (&ps.cond, &ps.mutex, deadline) && !ps.returned)
        g_error ("%s: g_object_set() of a condition property still blocked after %u s",
                 g_test_get_path (), seconds);
    }
  g_mutex_unlock (&ps.mutex);
  g_thread_join (thread);

  /* the write waits in the context, which the main thread now runs */
  cs_test_drain_context (context, CS_TEST_DRAIN_ITERATIONS);
  g_object_get (ps.object, "count", &count, NULL);
  g_assert_cmpint (count, ==, 5);

  g_object_unref (ps.object);
  g_main_context_unref (context);
  g_mutex_clear (&ps.mutex);
  g_cond_clear (&ps.cond);
}

/* }}} */

/* F6: blocking reads while the owner thread is blocked {{{ */

typedef struct
{
  CsAccessor   *acc;
  CsGetFlags    flags;
  gint          entered;     /* atomic: about to call cs_accessor_get() */
  CsTestResult  result;      /* read by the main thread after g_thread_join() */
} BlockingGet;

static gpointer
blocking_get_func (gpointer data)
{
  BlockingGet *bg = data;

  g_atomic_int_set (&bg->entered, TRUE);
  bg->result.value = cs_accessor_get (bg->acc, NULL, bg->flags, bg->result.cancellable,
                                      &bg->result.error);
  cs_test_result_complete (&bg->result, bg->acc, bg->result.value != NULL);

  return NULL;
}

static gpointer
canceller_func (gpointer data)
{
  BlockingGet *bg = data;

  while (!g_atomic_int_get (&bg->entered))
    g_usleep (1000);

  /* Not a timed assertion: only a delay so that the worker is blocked in
   * cs_accessor_get() and the main thread in g_thread_join() when the
   * cancellation comes. Were it to come earlier, the read would fail at once
   * with the same error. */
  g_usleep (100 * 1000);
  g_cancellable_cancel (bg->result.cancellable);

  return NULL;
}

/* F6a (Semantics 7): a worker's blocking default read, with a cancellable,
 * is cancelled from a third thread while the owner thread is blocked in
 * g_thread_join() on the worker, so the owner context is not running: the read
 * returns G_IO_ERROR_CANCELLED and the join returns. */
static void
test_f6_cancel_blocking_get_owner_joined (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (g_test_get_path (), WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  BlockingGet bg = { .acc = acc, .flags = CS_GET_FLAGS_NONE };
  GThread *reader, *canceller;

  bg.result.cancellable = g_cancellable_new ();
  reader = g_thread_new ("blocking-reader", blocking_get_func, &bg);
  canceller = g_thread_new ("canceller", canceller_func, &bg);
  g_thread_join (reader);
  g_thread_join (canceller);

  cs_test_assert_result_error (&bg.result, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* the read posted to the owner context leaves once it runs again */
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&bg.result);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* F6b (Semantics 3, 10): a worker's blocking NO_WAIT_FOR_WRITE read without a
 * predicate is a read of the current value: it returns it on the worker while
 * the owner thread is blocked in g_thread_join(), without waiting for the
 * owner context. */
static void
test_f6_no_wait_get_owner_joined (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (g_test_get_path (), WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  BlockingGet bg = { .acc = acc, .flags = CS_GET_FLAGS_NO_WAIT_FOR_WRITE };

  cs_test_assert_set_int (acc, 7);
  g_thread_join (g_thread_new ("no-wait-reader", blocking_get_func, &bg));

  cs_test_assert_result_int (&bg.result, 7);

  cs_test_result_clear (&bg.result);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* F7: a worker's write, then its close {{{ */

typedef struct
{
  CsAccessor   *acc;
  CsTestResult  write;        /* the write made before the close */
  CsTestResult  later_write;  /* one made after it */
  gint          done;
} WriteThenClose;

static gpointer
write_then_close_func (gpointer data)
{
  WriteThenClose *wc = data;
  GMainContext *context = g_main_context_new ();
  g_auto(GValue) value = G_VALUE_INIT;

  g_main_context_push_thread_default (context);

  cs_test_value_init_int (&value, 42);
  cs_accessor_set_async (wc->acc, &value, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &wc->write);
  cs_accessor_close (wc->acc);
  g_value_set_int (&value, 43);
  cs_accessor_set_async (wc->acc, &value, CS_SET_FLAGS_NONE, NULL, cs_test_set_done,
                         &wc->later_write);

  while (!wc->write.done || !wc->later_write.done)
    g_main_context_iteration (context, TRUE);

  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  flag_set (&wc->done);

  return NULL;
}

/* F7 (Semantics 8: a close keeps its place): on a worker,
 * cs_accessor_set_async (42) then cs_accessor_close (), while a reader started
 * on the main thread is pending. The write, queued before the close, is
 * applied before it, as it would be on the owner thread: it succeeds and the
 * reader receives 42, not CLOSED. Calls made after the close fail with
 * CS_ACCESSOR_ERROR_CLOSED, on both threads. */
static void
test_f7_worker_write_then_close (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (g_test_get_path (), WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  WriteThenClose wc = { .acc = acc };
  CsTestResult reader = { 0 }, later_read = { 0 };
  g_autoptr(GError) error = NULL;
  GThread *thread;

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  thread = g_thread_new ("write-then-close", write_then_close_func, &wc);
  run_until_flag (&wc.done);
  g_thread_join (thread);
  cs_test_run_until (&reader.done, 1, TIMEOUT_SECONDS);

  /* the write came before the close */
  cs_test_assert_result_ok (&wc.write);
  cs_test_assert_result_int (&reader, 42);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_true (cs_accessor_is_closed (acc));

  /* what came after it fails */
  cs_test_assert_result_error (&wc.later_write, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_assert_false (cs_test_set_int (acc, 44, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &later_read);
  cs_test_run_until (&later_read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&later_read, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&wc.write);
  cs_test_result_clear (&wc.later_write);
  cs_test_result_clear (&reader);
  cs_test_result_clear (&later_read);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* F8: no callback inside a library call {{{ */

/* The library call under way on the main thread, if any: a completion
 * callback that finds it set runs inside that call. */
static const char *inside;

/* The hook of every result below: its callback must not run inside a call. */
static void
assert_not_inside_hook (CsAccessor   *acc G_GNUC_UNUSED,
                        CsTestResult *result G_GNUC_UNUSED)
{
  g_assert_cmpstr (inside, ==, NULL);
}

typedef struct
{
  GObject      *object;
  CsTestResult  reader;
  gboolean      unreffed;
} UnrefFinalize;

static gboolean
unref_finalize_cb (gpointer data)
{
  UnrefFinalize *uf = data;

  g_object_add_weak_pointer (uf->object, (gpointer *) &uf->object);
  inside = "g_object_unref";
  g_object_unref (uf->object);
  inside = NULL;

  g_assert_null (uf->object);
  g_assert_cmpuint (uf->reader.done, ==, 0);
  uf->unreffed = TRUE;

  return G_SOURCE_REMOVE;
}

/* F8a (Semantics 8, 12): a reader is pending on the accessor of a condition
 * property; the g_object_unref() that finalizes the object, made from an idle
 * as in a running program, closes the accessor but does not run the reader's
 * callback: that runs on a later main-loop iteration, with
 * CS_ACCESSOR_ERROR_CLOSED. */
static void
test_f8_unref_finalize (void)
{
  UnrefFinalize uf = { .object = g_object_new (OWNER_TYPE_THING, NULL) };
  CsAccessor *acc = cs_object_get_accessor (uf.object, "count");

  uf.reader.hook = assert_not_inside_hook;
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &uf.reader);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  /* the accessor dies with the object, once nothing is pending on it */
  g_object_add_weak_pointer (G_OBJECT (acc), (gpointer *) &acc);
  g_idle_add (unref_finalize_cb, &uf);
  cs_test_wait_until (&uf.unreffed, TIMEOUT_SECONDS);
  cs_test_run_until (&uf.reader.done, 1, TIMEOUT_SECONDS);

  cs_test_assert_result_error (&uf.reader, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&uf.reader);
  cs_test_drain ();
  g_assert_null (acc);
}

/* The state of a test of F8b: calls pending before the idle, and those the
 * idle makes, each result with assert_not_inside_hook(). */
typedef struct
{
  CsAccessor   *acc;
  CsCondition  *condition;
  gboolean      ready;       /* what ready_predicate() looks at */
  CsTestResult  reader;      /* a read pending before the call */
  CsTestResult  wait;        /* a wait_for_read_async pending before the call */
  CsTestResult  at_once;     /* a read that completes at once */
  CsTestResult  write;       /* a set_async */
  gboolean      called;
} Reentry;

typedef void (*ReentryFunc) (Reentry *re);

typedef struct
{
  Reentry     *re;
  ReentryFunc  func;
} ReentryCall;

static void
reentry_init (Reentry     *re,
              CsCondition *condition)
{
  re->acc = accessor_in_group (condition, "f8");
  re->condition = condition;
  re->reader.hook = assert_not_inside_hook;
  re->wait.hook = assert_not_inside_hook;
  re->at_once.hook = assert_not_inside_hook;
  re->write.hook = assert_not_inside_hook;
}

static void
reentry_clear (Reentry *re)
{
  cs_test_result_clear (&re->reader);
  cs_test_result_clear (&re->wait);
  cs_test_result_clear (&re->at_once);
  cs_test_result_clear (&re->write);
  cs_test_finalize (&re->acc);
}

static gboolean
reentry_idle_cb (gpointer data)
{
  ReentryCall *call = data;

  call->func (call->re);
  call->re->called = TRUE;

  return G_SOURCE_REMOVE;
}

/* Runs @func from an idle, so that the library call it makes happens inside a
 * dispatch of the main loop, as it would in a running program. */
static void
reentry_run (Reentry     *re,
             ReentryFunc  func)
{
  ReentryCall call = { re, func };

  g_idle_add (reentry_idle_cb, &call);
  cs_test_wait_until (&re->called, TIMEOUT_SECONDS);
}

static void
call_set (Reentry *re)
{
  inside = "cs_accessor_set";
  cs_test_assert_set_int (re->acc, 1);
  inside = NULL;
}

/* F8b (Semantics 12): a write made with cs_accessor_set() from an idle
 * satisfies a pending reader; the reader's callback does not run inside the
 * set, but later, from the main loop, with the value. */
static void
test_f8_inside_set (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  Reentry re = { 0 };

  reentry_init (&re, condition);
  cs_accessor_get_async (re.acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &re.reader);
  reentry_run (&re, call_set);
  cs_test_run_until (&re.reader.done, 1, TIMEOUT_SECONDS);

  cs_test_assert_result_int (&re.reader, 1);
  reentry_clear (&re);
}

static void
call_close (Reentry *re)
{
  inside = "cs_accessor_close";
  cs_accessor_close (re->acc);
  inside = NULL;
}

/* F8b (Semantics 8, 12): cs_accessor_close() from an idle fails a pending
 * reader; its callback runs after the close has returned, with
 * CS_ACCESSOR_ERROR_CLOSED. */
static void
test_f8_inside_close (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  Reentry re = { 0 };

  reentry_init (&re, condition);
  cs_accessor_get_async (re.acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &re.reader);
  reentry_run (&re, call_close);
  cs_test_run_until (&re.reader.done, 1, TIMEOUT_SECONDS);

  cs_test_assert_result_error (&re.reader, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  reentry_clear (&re);
}

static void
call_get_async (Reentry *re)
{
  g_autoptr(CsPredicate) zero = cs_test_predicate_equal_int (0);

  inside = "cs_accessor_get_async";
  /* matches the current value: completes at once */
  cs_accessor_get_async (re->acc, zero, CS_GET_FLAGS_NONE, NULL, cs_test_get_done,
                         &re->at_once);
  /* waits: now a reader is pending, which completes the wait_for_read */
  cs_accessor_get_async (re->acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done,
                         &re->reader);
  inside = NULL;
}

/* F8b (Semantics 6, 12): cs_accessor_get_async() from an idle runs no callback
 * inside itself: neither that of a read that completes at once, nor that of a
 * pending wait_for_read_async() that the new pending reader satisfies. */
static void
test_f8_inside_get_async (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  Reentry re = { 0 };

  reentry_init (&re, condition);
  cs_accessor_wait_for_read_async (re.acc, NULL, cs_test_wait_for_read_done, &re.wait);
  reentry_run (&re, call_get_async);
  cs_test_run_until (&re.at_once.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&re.wait.done, 1, TIMEOUT_SECONDS);

  cs_test_assert_result_int (&re.at_once, 0);
  cs_test_assert_result_ok (&re.wait);
  g_assert_cmpuint (re.reader.done, ==, 0);

  cs_test_assert_set_int (re.acc, 1);
  cs_test_run_until (&re.reader.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&re.reader, 1);
  reentry_clear (&re);
}

static void
call_set_async (Reentry *re)
{
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, 1);
  inside = "cs_accessor_set_async";
  cs_accessor_set_async (re->acc, &value, CS_SET_FLAGS_NONE, NULL, cs_test_set_done,
                         &re->write);
  inside = NULL;
}

/* F8b (Semantics 12): cs_accessor_set_async() from an idle satisfies a pending
 * reader; neither the reader's callback nor the write's own runs inside it. */
static void
test_f8_inside_set_async (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  Reentry re = { 0 };

  reentry_init (&re, condition);
  cs_accessor_get_async (re.acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &re.reader);
  reentry_run (&re, call_set_async);
  cs_test_run_until (&re.reader.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&re.write.done, 1, TIMEOUT_SECONDS);

  cs_test_assert_result_ok (&re.write);
  cs_test_assert_result_int (&re.reader, 1);
  reentry_clear (&re);
}

/* Matches once the gboolean at @user_data is set: a state outside the group,
 * which only cs_condition_notify_all() makes the reader look at again. */
static gboolean
ready_predicate (const GValue  *value G_GNUC_UNUSED,
                 gpointer       user_data,
                 GError       **error G_GNUC_UNUSED)
{
  return *(gboolean *) user_data;
}

static void
call_notify_all (Reentry *re)
{
  re->ready = TRUE;
  inside = "cs_condition_notify_all";
  cs_condition_notify_all (re->condition);
  inside = NULL;
}

/* F8b (CsCondition, Semantics 12): cs_condition_notify_all() from an idle
 * re-checks a pending reader's predicate, which now matches; the reader's
 * callback runs after notify_all has returned. */
static void
test_f8_inside_notify_all (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsPredicate) ready = NULL;
  Reentry re = { 0 };

  reentry_init (&re, condition);
  ready = cs_predicate_new (ready_predicate, &re.ready, NULL);
  cs_accessor_get_async (re.acc, ready, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &re.reader);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (re.acc), ==, 1);
  reentry_run (&re, call_notify_all);
  cs_test_run_until (&re.reader.done, 1, TIMEOUT_SECONDS);

  cs_test_assert_result_int (&re.reader, 0);
  reentry_clear (&re);
}

/* }}} */

/* F9: readers sharing a cancellable attach no source each {{{ */

#define N_SHARED_READERS 1000

static gboolean
nothing_cb (gpointer data G_GNUC_UNUSED)
{
  return G_SOURCE_REMOVE;
}

/* Attaches an idle source to the default main context; returns its id, which
 * GLib hands out in increasing order within a context. */
static guint
attach_marker_source (void)
{
  GSource *source = g_idle_source_new ();
  guint id;

  g_source_set_callback (source, nothing_cb, NULL, NULL);
  id = g_source_attach (source, NULL);
  g_source_unref (source);

  return id;
}

/* F9 (Semantics 7: readers sharing a cancellable cost nothing per iteration):
 * 1 000 readers sharing one GCancellable attach no GSource each to the main
 * context: the ids of two sources attached before and after them differ by
 * far fewer than 1 000. Then the cancellation still reaches every one of
 * them. (The costs of F9 that only timing shows are left to the benchmarks.) */
static void
test_f9_shared_cancellable_sources (void)
{
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CsTestResult *readers = g_new0 (CsTestResult, N_SHARED_READERS);
  guint before, after;

  before = attach_marker_source ();
  for (guint i = 0; i < N_SHARED_READERS; i++)
    cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, cancellable, cs_test_get_done,
                           &readers[i]);
  after = attach_marker_source ();

  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, N_SHARED_READERS);
  g_assert_cmpuint (after - before, <, 10);

  g_cancellable_cancel (cancellable);
  for (guint i = 0; i < N_SHARED_READERS; i++)
    {
      cs_test_run_until (&readers[i].done, 1, TIMEOUT_SECONDS);
      cs_test_assert_result_error (&readers[i], G_IO_ERROR, G_IO_ERROR_CANCELLED);
      cs_test_result_clear (&readers[i]);
    }
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  g_free (readers);
  cs_test_finalize (&acc);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  main_thread = g_thread_self ();

  g_test_add_func ("/owner/f1-worker-g-object-set", test_f1_worker_g_object_set);
  g_test_add_func ("/owner/f2-worker-notify-all", test_f2_worker_notify_all);
  g_test_add_func ("/owner/f3-group-two-contexts", test_f3_group_two_contexts);
  g_test_add_func ("/owner/f4-nested-loop-in-callback", test_f4_nested_loop_in_callback);
  g_test_add_func ("/owner/f5-property-set-never-blocks", test_f5_property_set_never_blocks);
  g_test_add_func ("/owner/f6-cancel-blocking-get-owner-joined",
                   test_f6_cancel_blocking_get_owner_joined);
  g_test_add_func ("/owner/f6-no-wait-get-owner-joined", test_f6_no_wait_get_owner_joined);
  g_test_add_func ("/owner/f7-worker-write-then-close", test_f7_worker_write_then_close);
  g_test_add_func ("/owner/f8-unref-finalize", test_f8_unref_finalize);
  g_test_add_func ("/owner/f8-inside-set", test_f8_inside_set);
  g_test_add_func ("/owner/f8-inside-close", test_f8_inside_close);
  g_test_add_func ("/owner/f8-inside-get-async", test_f8_inside_get_async);
  g_test_add_func ("/owner/f8-inside-set-async", test_f8_inside_set_async);
  g_test_add_func ("/owner/f8-inside-notify-all", test_f8_inside_notify_all);
  g_test_add_func ("/owner/f9-shared-cancellable-sources", test_f9_shared_cancellable_sources);

  return g_test_run ();
}
