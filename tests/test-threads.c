/* test-threads.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* Threads (API.md, Semantics 10): any thread reads and writes, sync or async;
 * writes from other threads are applied in order in the owner context, every
 * notification and predicate call happens there, and completion callbacks run
 * in the thread-default context of the calling thread.
 *
 * No test measures time. Every wait is guarded by a watchdog thread that
 * aborts, so a lost wakeup or a deadlock fails instead of hanging. Shared
 * state is either atomic, or written by one thread and read by another only
 * after g_thread_join(). */

#include <string.h>

#include <codestare.h>

#include "cs-test-util.h"

/* the thread that runs main(): the default main context's thread */
static GThread *main_thread;

/* Helpers {{{ */

#define WATCHDOG_SECONDS 60

typedef gboolean (*CheckFunc) (gpointer data);

/* Runs the default main context until @check passes, holding it throughout as
 * g_main_loop_run() does. What @check looks at changes either in the context
 * itself or in a worker, which then calls flag_set() or
 * cs_test_result_complete(): both wake the context. */
static void
run_until (CheckFunc check,
           gpointer  data)
{
  g_assert_true (g_main_context_acquire (NULL));
  while (!check (data))
    g_main_context_iteration (NULL, TRUE);
  g_main_context_release (NULL);
}

/* Sets an atomic flag and wakes the main thread to look at it. */
static void
flag_set (gint *flag)
{
  g_atomic_int_set (flag, TRUE);
  g_main_context_wakeup (NULL);
}

static gboolean
flag_is_set (gpointer data)
{
  return g_atomic_int_get ((gint *) data) != 0;
}

typedef struct
{
  CsAccessor *acc;
  guint       n;
} WaitingReads;

static gboolean
has_n_waiting_reads (gpointer data)
{
  WaitingReads *wr = data;

  return cs_accessor_get_n_waiting_reads (wr->acc) == wr->n;
}

/* Iterates the main context until @acc has @n readers registered. */
static void
run_until_waiting (CsAccessor *acc,
                   guint       n)
{
  WaitingReads wr = { acc, n };

  run_until (has_n_waiting_reads, &wr);
}

/* Checks that @value holds the int @expected, and frees it. */
static void
assert_value_int (GValue *value,
                  int     expected)
{
  cs_test_assert_value_int (value, expected);
  cs_test_value_free (value);
}

/* The owner thread writes an int now: a write without flags is applied before
 * cs_accessor_set() returns there. */
static void
owner_set_int (CsAccessor *acc,
               int         i)
{
  cs_test_assert_set_int (acc, i);
  g_assert_cmpint (cs_test_dup_int (acc), ==, i);
}

/* A notify handler that counts its emissions, and those that ran on another
 * thread than the main one: handlers only record, the test asserts. */
typedef struct
{
  guint count;     /* emissions on the main thread */
  gint  off_main;  /* emissions on any other thread */
} NotifyLog;

static void
notify_log_cb (GObject    *object,
               GParamSpec *pspec,
               gpointer    user_data)
{
  NotifyLog *log = user_data;

  if (g_thread_self () != main_thread)
    g_atomic_int_inc (&log->off_main);
  else
    log->count++;
}

/* Whether the CsTestResult at @data completed, in whichever thread. */
static gboolean
result_done (gpointer data)
{
  CsTestResult *result = data;

  return g_atomic_int_get (&result->done) != 0;
}

/* A read made with get_async, and where its callback ran. */
typedef struct
{
  CsTestResult  result;
  GThread      *cb_thread;
  GMainContext *cb_context;
} Read;

static void
read_hook (CsAccessor   *acc G_GNUC_UNUSED,
           CsTestResult *result)
{
  Read *r = result->hook_data;

  r->cb_thread = g_thread_self ();
  r->cb_context = g_main_context_get_thread_default ();
}

/* Sets @r's CsTestResult to record where its callback runs, and returns it
 * for get_async with cs_test_get_done(). */
static CsTestResult *
read_result (Read *r)
{
  r->result.hook = read_hook;
  r->result.hook_data = r;

  return &r->result;
}

/* }}} */

/* Writes from a worker {{{ */

#define N_WRITES 100000

typedef struct
{
  CsAccessor *acc;
  guint       n;
  CsSetFlags  flags;
  guint       n_failed;
  GError     *error;      /* the first failure */
  gint        done;
} Writer;

static gpointer
writer_func (gpointer data)
{
  Writer *w = data;
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);

  for (guint i = 1; i <= w->n; i++)
    {
      GError *error = NULL;

      g_value_set_int (&value, i);
      if (!cs_accessor_set (w->acc, &value, w->flags, NULL, &error))
        {
          w->n_failed++;
          if (w->error == NULL)
            w->error = error;
          else
            g_error_free (error);
        }
    }

  flag_set (&w->done);

  return NULL;
}

typedef struct
{
  CsAccessor *acc;
  GArray     *values;    /* what notify::value saw, on the main thread */
  gint        off_main;
  Read        later;     /* a default read started from the handler */
} ValueLog;

static void
value_log_cb (GObject    *object,
              GParamSpec *pspec,
              gpointer    user_data)
{
  ValueLog *log = user_data;
  int v;

  if (g_thread_self () != main_thread)
    {
      g_atomic_int_inc (&log->off_main);
      return;
    }

  v = cs_test_dup_int (log->acc);
  g_array_append_val (log->values, v);

  /* a reader that arrives during the emission of a write gets the next one */
  if (v == N_WRITES / 2)
    cs_accessor_get_async (log->acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done,
                           read_result (&log->later));
}

typedef struct
{
  Writer *w;
  Read   *reads[3];
} SequenceDone;

static gboolean
sequence_done (gpointer data)
{
  SequenceDone *sd = data;

  if (!flag_is_set (&sd->w->done))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (sd->reads); i++)
    if (!result_done (&sd->reads[i]->result))
      return FALSE;

  return TRUE;
}

static void
test_worker_writes_sequence (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) last = cs_test_predicate_equal_int (N_WRITES);
  ValueLog log = { acc, g_array_new (FALSE, FALSE, sizeof (int)), 0, { { 0 } } };
  Writer w = { acc, N_WRITES, CS_SET_FLAGS_NONE, 0, NULL, 0 };
  Read pred_read = { 0 }, default_read = { 0 };
  SequenceDone sd = { &w, { &pred_read, &default_read, &log.later } };
  GThread *thread;

  g_signal_connect (acc, "notify::value", G_CALLBACK (value_log_cb), &log);

  cs_accessor_get_async (acc, last, CS_GET_FLAGS_NONE, NULL, cs_test_get_done,
                         read_result (&pred_read));
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done,
                         read_result (&default_read));
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 2);

  thread = g_thread_new ("writer", writer_func, &w);
  run_until (sequence_done, &sd);
  g_thread_join (thread);

  g_assert_no_error (w.error);
  g_assert_cmpuint (w.n_failed, ==, 0);

  /* every write applied, in order, each notified once on the main thread */
  g_assert_cmpint (g_atomic_int_get (&log.off_main), ==, 0);
  g_assert_cmpuint (log.values->len, ==, N_WRITES);
  for (guint i = 0; i < log.values->len; i++)
    {
      if (g_array_index (log.values, int, i) != (int) i + 1)
        g_error ("notify::value number %u saw %d, expected %u",
                 i + 1, g_array_index (log.values, int, i), i + 1);
    }
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, N_WRITES);
  g_assert_cmpint (cs_test_dup_int (acc), ==, N_WRITES);

  /* the readers got exactly the value that satisfied them */
  cs_test_assert_result_int (&pred_read.result, N_WRITES);
  cs_test_assert_result_int (&default_read.result, 1);
  cs_test_assert_result_int (&log.later.result, N_WRITES / 2 + 1);
  g_assert_true (pred_read.cb_thread == main_thread);
  g_assert_true (default_read.cb_thread == main_thread);
  g_assert_true (log.later.cb_thread == main_thread);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&pred_read.result);
  cs_test_result_clear (&default_read.result);
  cs_test_result_clear (&log.later.result);

  g_array_unref (log.values);
  g_signal_handlers_disconnect_by_data (acc, &log);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* Async writes from workers: each thread's writes applied in its order {{{ */

#define N_ASYNC_WRITERS 2
#define N_ASYNC_WRITES 10000
#define ASYNC_WRITER_TAG 1000000

typedef struct
{
  CsAccessor *acc;
  int         tag;           /* writes tag * ASYNC_WRITER_TAG + 1, + 2, … */
  GThread    *thread;
  guint       n_done;
  guint       n_failed;
  guint       n_misplaced;   /* callbacks out of order or off this thread */
  GError     *error;
  gint        done;
} AsyncWriter;

typedef struct
{
  AsyncWriter *w;
  guint        index;
} AsyncWrite;

static void
async_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AsyncWrite *op = user_data;
  AsyncWriter *w = op->w;
  GError *error = NULL;

  if (!cs_accessor_set_finish (CS_ACCESSOR (source), result, &error))
    {
      w->n_failed++;
      if (w->error == NULL)
        w->error = error;
      else
        g_error_free (error);
    }

  if (op->index != ++w->n_done || g_thread_self () != w->thread)
    w->n_misplaced++;
}

static gpointer
async_writer_func (gpointer data)
{
  AsyncWriter *w = data;
  GMainContext *context = g_main_context_new ();
  AsyncWrite *ops = g_new0 (AsyncWrite, N_ASYNC_WRITES);
  g_auto(GValue) value = G_VALUE_INIT;

  g_main_context_push_thread_default (context);

  /* all at once, without waiting for any */
  g_value_init (&value, G_TYPE_INT);
  for (guint i = 0; i < N_ASYNC_WRITES; i++)
    {
      ops[i].w = w;
      ops[i].index = i + 1;
      g_value_set_int (&value, w->tag * ASYNC_WRITER_TAG + i + 1);
      cs_accessor_set_async (w->acc, &value, CS_SET_FLAGS_NONE, NULL, async_written_cb, &ops[i]);
    }

  while (w->n_done < N_ASYNC_WRITES)
    g_main_context_iteration (context, TRUE);

  g_main_context_pop_thread_default (context);
  g_main_context_unref (context);
  g_free (ops);
  flag_set (&w->done);

  return NULL;
}

static gboolean
async_writers_done (gpointer data)
{
  AsyncWriter *writers = data;

  for (guint i = 0; i < N_ASYNC_WRITERS; i++)
    if (!flag_is_set (&writers[i].done))
      return FALSE;

  return TRUE;
}

static void
test_worker_async_writes_ordered (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  ValueLog log = { acc, g_array_new (FALSE, FALSE, sizeof (int)), 0, { { 0 } } };
  AsyncWriter writers[N_ASYNC_WRITERS] = { { 0 } };
  guint next[N_ASYNC_WRITERS + 1] = { 0 };

  g_signal_connect (acc, "notify::value", G_CALLBACK (value_log_cb), &log);

  for (guint i = 0; i < N_ASYNC_WRITERS; i++)
    {
      writers[i].acc = acc;
      writers[i].tag = i + 1;
      writers[i].thread = g_thread_new ("async-writer", async_writer_func, &writers[i]);
    }
  run_until (async_writers_done, writers);

  for (guint i = 0; i < N_ASYNC_WRITERS; i++)
    {
      g_thread_join (writers[i].thread);
      g_assert_no_error (writers[i].error);
      g_assert_cmpuint (writers[i].n_failed, ==, 0);
      g_assert_cmpuint (writers[i].n_done, ==, N_ASYNC_WRITES);
      g_assert_cmpuint (writers[i].n_misplaced, ==, 0);
    }

  /* every write notified once, on the main thread, each writer's in order */
  g_assert_cmpint (log.off_main, ==, 0);
  g_assert_cmpuint (log.values->len, ==, N_ASYNC_WRITERS * N_ASYNC_WRITES);
  for (guint i = 0; i < log.values->len; i++)
    {
      int v = g_array_index (log.values, int, i);
      int tag = v / ASYNC_WRITER_TAG;

      g_assert_cmpint (tag, >=, 1);
      g_assert_cmpint (tag, <=, N_ASYNC_WRITERS);
      if ((guint) (v % ASYNC_WRITER_TAG) != ++next[tag])
        g_error ("writer %d: write %d applied after write %u", tag, v % ASYNC_WRITER_TAG,
                 next[tag] - 1);
    }
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, N_ASYNC_WRITERS * N_ASYNC_WRITES);

  g_array_unref (log.values);
  g_signal_handlers_disconnect_by_data (acc, &log);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* Blocking readers in workers {{{ */

#define N_BLOCKING_READERS 4

typedef struct
{
  CsAccessor   *acc;
  int           wanted;
  gboolean      own_context;  /* push a thread-default context of its own */
  CsTestResult  result;
  GThread      *thread;
} BlockingRead;

static gpointer
blocking_read_func (gpointer data)
{
  BlockingRead *br = data;
  CsTestResult *r = &br->result;
  g_autoptr(CsPredicate) pred = cs_test_predicate_equal_int (br->wanted);
  GMainContext *context = NULL;

  if (br->own_context)
    {
      context = g_main_context_new ();
      g_main_context_push_thread_default (context);
    }

  r->value = cs_accessor_get (br->acc, pred, CS_GET_FLAGS_NONE, NULL, &r->error);

  if (context != NULL)
    {
      g_main_context_pop_thread_default (context);
      g_main_context_unref (context);
    }

  cs_test_result_complete (r, br->acc, r->value != NULL);

  return NULL;
}

static void
blocking_reads_spawn (BlockingRead *reads)
{
  for (guint i = 0; i < N_BLOCKING_READERS; i++)
    reads[i].thread = g_thread_new ("blocking-reader", blocking_read_func, &reads[i]);
}

static gboolean
spawn_blocking_reads_cb (gpointer data)
{
  blocking_reads_spawn (data);

  return G_SOURCE_REMOVE;
}

/* Writes 1 to 50 from inside the running main loop. */
static gboolean
write_1_to_50_cb (gpointer data)
{
  for (int i = 1; i <= 50; i++)
    owner_set_int (data, i);

  return G_SOURCE_REMOVE;
}

static gboolean
blocking_reads_done (gpointer data)
{
  BlockingRead *reads = data;

  for (guint i = 0; i < N_BLOCKING_READERS; i++)
    if (!result_done (&reads[i].result))
      return FALSE;

  return TRUE;
}

static void
check_blocking_readers (gboolean from_running_loop)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  BlockingRead reads[N_BLOCKING_READERS] = { { 0 } };

  for (guint i = 0; i < N_BLOCKING_READERS; i++)
    {
      reads[i].acc = acc;
      reads[i].wanted = 10 * (i + 1);
      reads[i].own_context = !from_running_loop;
    }

  /* Either the workers start once the main loop runs, or before it does,
   * each with a thread-default context of its own. */
  if (from_running_loop)
    g_idle_add (spawn_blocking_reads_cb, reads);
  else
    blocking_reads_spawn (reads);

  /* every reader must be registered before its value comes and goes */
  run_until_waiting (acc, N_BLOCKING_READERS);
  for (guint i = 0; i < N_BLOCKING_READERS; i++)
    g_assert_false (result_done (&reads[i].result));

  g_idle_add (write_1_to_50_cb, acc);
  run_until (blocking_reads_done, reads);

  for (guint i = 0; i < N_BLOCKING_READERS; i++)
    {
      g_thread_join (reads[i].thread);
      cs_test_assert_result_int (&reads[i].result, reads[i].wanted);
      cs_test_result_clear (&reads[i].result);
    }

  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 50);

  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

static void
test_blocking_readers_running_loop (void)
{
  check_blocking_readers (TRUE);
}

static void
test_blocking_readers_own_context (void)
{
  check_blocking_readers (FALSE);
}

/* }}} */

/* Handoffs across threads {{{ */

#define N_HANDOFFS 10000

typedef struct
{
  CsAccessor *acc;
  guint       n;
  GArray     *received;
  GError     *error;
  gint        off_main;
  gint        done;
} Consumer;

static void
consume_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Consumer *c = user_data;
  GValue *value;
  int v;

  if (g_thread_self () != main_thread)
    g_atomic_int_inc (&c->off_main);

  value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &c->error);
  if (value == NULL)
    {
      flag_set (&c->done);
      return;
    }

  v = g_value_get_int (value);
  g_boxed_free (G_TYPE_VALUE, value);
  g_array_append_val (c->received, v);

  if (c->received->len < c->n)
    cs_accessor_get_async (c->acc, NULL, CS_GET_FLAGS_NONE, NULL, consume_cb, c);
  else
    flag_set (&c->done);
}

static gboolean
producer_consumer_done (gpointer data)
{
  gint **flags = data;

  return flag_is_set (flags[0]) && flag_is_set (flags[1]);
}

/* Each value received exactly once, in order. */
static void
assert_sequence (GArray *values,
                 guint   n)
{
  g_assert_cmpuint (values->len, ==, n);
  for (guint i = 0; i < values->len; i++)
    {
      if (g_array_index (values, int, i) != (int) i + 1)
        g_error ("value number %u is %d, expected %u",
                 i + 1, g_array_index (values, int, i), i + 1);
    }
}

static void
test_handoff_worker_producer (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  Writer w = { acc, N_HANDOFFS, CS_SET_FLAGS_WAIT_FOR_READ, 0, NULL, 0 };
  Consumer c = { acc, N_HANDOFFS, g_array_new (FALSE, FALSE, sizeof (int)), NULL, 0, 0 };
  gint *flags[] = { &w.done, &c.done };
  GThread *thread;

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, consume_cb, &c);

  thread = g_thread_new ("producer", writer_func, &w);
  run_until (producer_consumer_done, flags);
  g_thread_join (thread);

  g_assert_no_error (w.error);
  g_assert_cmpuint (w.n_failed, ==, 0);
  g_assert_no_error (c.error);
  g_assert_cmpint (c.off_main, ==, 0);
  assert_sequence (c.received, N_HANDOFFS);
  /* no handoff was applied unseen */
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, N_HANDOFFS);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  g_array_unref (c.received);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

typedef struct
{
  CsAccessor *acc;
  guint       n;
  GArray     *received;
  GError     *error;
  gint        done;
} BlockingConsumer;

static gpointer
blocking_consumer_func (gpointer data)
{
  BlockingConsumer *bc = data;

  while (bc->received->len < bc->n)
    {
      GValue *value = cs_accessor_get (bc->acc, NULL, CS_GET_FLAGS_NONE, NULL, &bc->error);
      int v;

      if (value == NULL)
        break;

      v = g_value_get_int (value);
      g_boxed_free (G_TYPE_VALUE, value);
      g_array_append_val (bc->received, v);
    }

  flag_set (&bc->done);

  return NULL;
}

typedef struct
{
  guint   n_done;
  guint   n_failed;
  guint   n_out_of_order;
  GError *error;
  gint    all_done;
} Producer;

typedef struct
{
  Producer *p;
  guint     index;   /* 1-based: the value written */
} ProducerOp;

static void
produced_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ProducerOp *op = user_data;
  Producer *p = op->p;
  GError *error = NULL;

  if (!cs_accessor_set_finish (CS_ACCESSOR (source), result, &error))
    {
      p->n_failed++;
      if (p->error == NULL)
        p->error = error;
      else
        g_error_free (error);
    }

  if (op->index != ++p->n_done)
    p->n_out_of_order++;

  if (g_thread_self () != main_thread)
    p->n_out_of_order++;

  if (p->n_done == N_HANDOFFS)
    flag_set (&p->all_done);
}

static void
test_handoff_main_producer (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  BlockingConsumer bc = { acc, N_HANDOFFS, g_array_new (FALSE, FALSE, sizeof (int)), NULL, 0 };
  Producer p = { 0 };
  ProducerOp *ops = g_new0 (ProducerOp, N_HANDOFFS);
  gint *flags[] = { &bc.done, &p.all_done };
  g_auto(GValue) value = G_VALUE_INIT;
  GThread *thread;

  /* queue every handoff at once: they go one at a time, in order, each only
   * to a reader waiting for it */
  g_value_init (&value, G_TYPE_INT);
  for (guint i = 0; i < N_HANDOFFS; i++)
    {
      ops[i].p = &p;
      ops[i].index = i + 1;
      g_value_set_int (&value, i + 1);
      cs_accessor_set_async (acc, &value, CS_SET_FLAGS_WAIT_FOR_READ, NULL,
                             produced_cb, &ops[i]);
    }
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);
  g_assert_cmpuint (p.n_done, ==, 0);

  thread = g_thread_new ("consumer", blocking_consumer_func, &bc);
  run_until (producer_consumer_done, flags);
  g_thread_join (thread);

  g_assert_no_error (bc.error);
  assert_sequence (bc.received, N_HANDOFFS);
  g_assert_no_error (p.error);
  g_assert_cmpuint (p.n_failed, ==, 0);
  g_assert_cmpuint (p.n_out_of_order, ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, N_HANDOFFS);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  g_array_unref (bc.received);
  g_free (ops);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* Cancellation and WOULD_BLOCK {{{ */

typedef struct
{
  CsAccessor   *acc;
  GCancellable *cancellable;
  CsTestResult  result;
} CancelRead;

static gpointer
cancel_read_func (gpointer data)
{
  CancelRead *cr = data;
  CsTestResult *r = &cr->result;

  r->value = cs_accessor_get (cr->acc, NULL, CS_GET_FLAGS_NONE, cr->cancellable, &r->error);
  cs_test_result_complete (r, cr->acc, r->value != NULL);

  return NULL;
}

static gpointer
cancel_func (gpointer data)
{
  g_cancellable_cancel (data);

  return NULL;
}

static void
check_cancel_blocking_get (gboolean from_third_thread)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CancelRead cr = { acc, cancellable, { 0 } };
  NotifyLog counts = { 0 };
  GThread *thread;

  g_signal_connect (acc, "notify::n-waiting-reads", G_CALLBACK (notify_log_cb), &counts);

  thread = g_thread_new ("reader", cancel_read_func, &cr);
  run_until_waiting (acc, 1);
  g_assert_false (result_done (&cr.result));

  if (from_third_thread)
    g_thread_join (g_thread_new ("canceller", cancel_func, cancellable));
  else
    g_cancellable_cancel (cancellable);

  run_until (result_done, &cr.result);
  g_thread_join (thread);

  /* the blocked read returns at once; the owner context forgets it when it
   * runs next (API.md, Semantics 7) */
  cs_test_assert_result_error (&cr.result, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_result_clear (&cr.result);
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  g_assert_false (cs_accessor_has_waiting_read (acc));
  /* 0 → 1 → 0, on the main thread */
  g_assert_cmpuint (counts.count, ==, 2);
  g_assert_cmpint (counts.off_main, ==, 0);

  /* the cancelled reader is gone: a write has nobody to go to */
  owner_set_int (acc, 7);
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (counts.count, ==, 2);

  /* cancelled before the call: fails at once, never counts */
  thread = g_thread_new ("reader", cancel_read_func, &cr);
  run_until (result_done, &cr.result);
  g_thread_join (thread);
  cs_test_assert_result_error (&cr.result, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_result_clear (&cr.result);
  cs_test_drain ();
  g_assert_cmpuint (counts.count, ==, 2);

  g_signal_handlers_disconnect_by_data (acc, &counts);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

static void
test_cancel_blocking_get_from_main (void)
{
  check_cancel_blocking_get (FALSE);
}

static void
test_cancel_blocking_get_from_thread (void)
{
  check_cancel_blocking_get (TRUE);
}

/* On the owner thread the blocking calls could only deadlock: they fail at
 * once with WOULD_BLOCK, or complete at once when they need no wait. */
static void
check_would_block (CsAccessor *acc)
{
  g_autoptr(CsPredicate) three = cs_test_predicate_equal_int (3);
  g_autoptr(CsPredicate) four = cs_test_predicate_equal_int (4);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  guint64 generation = cs_accessor_get_generation (acc);

  g_assert_cmpint (cs_test_dup_int (acc), ==, 3);

  g_assert_null (cs_accessor_get (acc, NULL, CS_GET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  g_assert_null (cs_accessor_get (acc, four, CS_GET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  g_assert_null (cs_accessor_get (acc, three, CS_GET_FLAGS_WAIT_FOR_WRITE, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  cs_test_value_init_int (&value, 4);
  g_assert_false (cs_accessor_set (acc, &value, CS_SET_FLAGS_WAIT_FOR_READ, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  g_clear_error (&error);

  /* nothing changed, nothing was left waiting */
  g_assert_cmpint (cs_test_dup_int (acc), ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, generation);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* these need no wait */
  assert_value_int (cs_accessor_get (acc, three, CS_GET_FLAGS_NONE, NULL, &error), 3);
  g_assert_no_error (error);
  assert_value_int (cs_accessor_get (acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, NULL, &error), 3);
  g_assert_no_error (error);
}

static gboolean
would_block_cb (gpointer data)
{
  CsAccessor *acc = data;

  /* inside the running loop: this thread runs the owner context */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  check_would_block (acc);
  g_object_set_data (G_OBJECT (acc), "checked", GINT_TO_POINTER (TRUE));

  return G_SOURCE_REMOVE;
}

static gboolean
would_block_checked (gpointer data)
{
  return g_object_get_data (data, "checked") != NULL;
}

static void
test_would_block_owner_thread (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);

  owner_set_int (acc, 3);

  /* before the main loop runs */
  check_would_block (acc);

  /* and from inside it */
  g_idle_add (would_block_cb, acc);
  run_until (would_block_checked, acc);

  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* Async reads in workers' own contexts {{{ */

typedef struct
{
  CsAccessor   *acc;
  CsPredicate  *predicate;   /* nullable, owned */
  gboolean      own_context;
  GMainContext *context;     /* the worker's own, if any */
  GThread      *thread;
  Read          read;
} AsyncReader;

static gpointer
async_reader_func (gpointer data)
{
  AsyncReader *ar = data;

  if (!ar->own_context)
    {
      /* the callback goes to this thread's default: the global one */
      cs_accessor_get_async (ar->acc, ar->predicate, CS_GET_FLAGS_NONE, NULL,
                             cs_test_get_done, &ar->read.result);
      return NULL;
    }

  g_main_context_push_thread_default (ar->context);
  cs_accessor_get_async (ar->acc, ar->predicate, CS_GET_FLAGS_NONE, NULL,
                         cs_test_get_done, &ar->read.result);
  while (!result_done (&ar->read.result))
    g_main_context_iteration (ar->context, TRUE);
  g_main_context_pop_thread_default (ar->context);

  return NULL;
}

static void
async_reader_start (AsyncReader *ar,
                    CsAccessor  *acc,
                    CsPredicate *predicate,
                    gboolean     own_context)
{
  ar->acc = acc;
  ar->predicate = predicate != NULL ? g_object_ref (predicate) : NULL;
  ar->own_context = own_context;
  ar->context = own_context ? g_main_context_new () : NULL;
  read_result (&ar->read);  /* before the worker can start the read */
  ar->thread = g_thread_new ("async-reader", async_reader_func, ar);
}

/* Joins the worker; where the callback ran is checked by the caller. */
static void
async_reader_finish (AsyncReader *ar)
{
  run_until (result_done, &ar->read.result);
  g_thread_join (ar->thread);

  if (ar->own_context)
    {
      g_assert_true (ar->read.cb_thread == ar->thread);
      g_assert_true (ar->read.cb_context == ar->context);
    }
  else
    {
      g_assert_true (ar->read.cb_thread == main_thread);
      g_assert_true (ar->read.cb_context == NULL);
    }

  g_clear_pointer (&ar->context, g_main_context_unref);
  g_clear_object (&ar->predicate);
}

typedef struct
{
  int     wanted;
  gint    calls;
  gint    off_main;
  GArray *seen;     /* values checked on the main thread */
} PredicateLog;

static gboolean
recording_predicate (const GValue  *value,
                     gpointer       user_data,
                     GError       **error)
{
  PredicateLog *log = user_data;
  int v = g_value_get_int (value);

  g_atomic_int_inc (&log->calls);
  if (g_thread_self () != main_thread)
    g_atomic_int_inc (&log->off_main);
  else
    g_array_append_val (log->seen, v);

  return v == log->wanted;
}

static void
check_get_async_worker (gboolean own_context)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  PredicateLog log = { 5, 0, 0, g_array_new (FALSE, FALSE, sizeof (int)) };
  CsPredicate *pred = cs_predicate_new (recording_predicate, &log, NULL);
  AsyncReader ar = { 0 };

  async_reader_start (&ar, acc, pred, own_context);
  g_clear_object (&pred);
  run_until_waiting (acc, 1);
  g_assert_false (result_done (&ar.read.result));

  for (int i = 1; i <= 6; i++)
    owner_set_int (acc, i);
  async_reader_finish (&ar);

  cs_test_assert_result_int (&ar.read.result, 5);
  cs_test_result_clear (&ar.read.result);

  /* the predicate ran on the main thread only: on the value current when the
   * read was registered, then on every write until it matched */
  g_assert_cmpint (log.off_main, ==, 0);
  g_assert_cmpint (log.calls, ==, (int) log.seen->len);
  g_assert_cmpuint (log.seen->len, >=, 6);
  g_assert_cmpint (g_array_index (log.seen, int, 0), ==, 0);
  for (guint i = 1; i <= 5; i++)
    g_assert_cmpint (g_array_index (log.seen, int, log.seen->len - 6 + i), ==, (int) i);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  g_array_unref (log.seen);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

static void
test_get_async_worker_own_context (void)
{
  check_get_async_worker (TRUE);
}

static void
test_get_async_worker_default_context (void)
{
  check_get_async_worker (FALSE);
}

static gpointer
close_func (gpointer data)
{
  cs_accessor_close (data);

  return NULL;
}

static gpointer
blocking_write_func (gpointer data)
{
  Writer *w = data;
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, 1);
  if (!cs_accessor_set (w->acc, &value, w->flags, NULL, &w->error))
    w->n_failed++;
  flag_set (&w->done);

  return NULL;
}

static void
test_close_from_worker (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsPredicate) never = cs_test_predicate_equal_int (99);
  AsyncReader readers[2] = { { 0 } };
  NotifyLog closed = { 0 }, counts = { 0 };
  BlockingRead later_read = { acc, 1, FALSE, { 0 }, NULL };
  Writer later_write = { acc, 1, CS_SET_FLAGS_NONE, 0, NULL, 0 };
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  GThread *thread;

  g_signal_connect (acc, "notify::closed", G_CALLBACK (notify_log_cb), &closed);
  g_signal_connect (acc, "notify::n-waiting-reads", G_CALLBACK (notify_log_cb), &counts);

  async_reader_start (&readers[0], acc, NULL, TRUE);
  async_reader_start (&readers[1], acc, never, TRUE);
  run_until_waiting (acc, 2);

  g_thread_join (g_thread_new ("closer", close_func, acc));
  /* later calls fail at once, from any thread */
  g_assert_true (cs_accessor_is_closed (acc));

  for (guint i = 0; i < G_N_ELEMENTS (readers); i++)
    {
      async_reader_finish (&readers[i]);
      cs_test_assert_result_error (&readers[i].read.result,
                                   CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      cs_test_result_clear (&readers[i].read.result);
    }

  cs_test_drain ();
  g_assert_cmpuint (closed.count, ==, 1);
  g_assert_cmpint (closed.off_main, ==, 0);
  g_assert_cmpint (counts.off_main, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  thread = g_thread_new ("later-reader", blocking_read_func, &later_read);
  run_until (result_done, &later_read.result);
  g_thread_join (thread);
  cs_test_assert_result_error (&later_read.result, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&later_read.result);

  thread = g_thread_new ("later-writer", blocking_write_func, &later_write);
  run_until (flag_is_set, &later_write.done);
  g_thread_join (thread);
  g_assert_cmpuint (later_write.n_failed, ==, 1);
  g_assert_error (later_write.error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_clear_error (&later_write.error);

  cs_test_value_init_int (&value, 1);
  g_assert_false (cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  cs_test_drain ();
  g_assert_cmpuint (closed.count, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);

  g_signal_handlers_disconnect_by_data (acc, &closed);
  g_signal_handlers_disconnect_by_data (acc, &counts);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* Properties written from a worker {{{ */

#define TEST_TYPE_THING (test_thing_get_type ())
G_DECLARE_FINAL_TYPE (TestThing, test_thing, TEST, THING, GObject)

struct _TestThing
{
  GObject parent_instance;
  int     plain;
  gint    set_off_main;   /* set_property calls on another thread */
};

enum {
  THING_PROP_0,
  THING_PROP_PLAIN,
  THING_PROP_COUNT,
  THING_PROP_TOTAL,
  THING_N_PROPS
};

G_DEFINE_FINAL_TYPE (TestThing, test_thing, G_TYPE_OBJECT)

static void
test_thing_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TestThing *self = TEST_THING (object);

  switch (prop_id)
    {
    case THING_PROP_PLAIN:
      g_value_set_int (value, g_atomic_int_get (&self->plain));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_thing_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TestThing *self = TEST_THING (object);

  switch (prop_id)
    {
    case THING_PROP_PLAIN:
      if (g_thread_self () != main_thread)
        g_atomic_int_inc (&self->set_off_main);
      g_atomic_int_set (&self->plain, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_thing_class_init (TestThingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_thing_get_property;
  object_class->set_property = test_thing_set_property;

  g_object_class_install_property (object_class, THING_PROP_PLAIN,
    g_param_spec_int ("plain", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  cs_object_class_install_condition_property (object_class, THING_PROP_COUNT,
    g_param_spec_int ("count", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* notified by GObject at the end of every g_object_set() too */
  cs_object_class_install_condition_property (object_class, THING_PROP_TOTAL,
    g_param_spec_int ("total", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_thing_init (TestThing *self)
{
}

#define N_PROPERTY_WRITES 1000

/* What notify::NAME of the object saw, read on the main thread. */
typedef struct
{
  const char *name;
  GArray     *values;
  gint        off_main;
} PropertyLog;

static void
property_log_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  PropertyLog *log = user_data;
  int v;

  if (g_thread_self () != main_thread)
    {
      g_atomic_int_inc (&log->off_main);
      return;
    }

  g_object_get (object, log->name, &v, NULL);
  g_array_append_val (log->values, v);
}

typedef struct
{
  GObject    *object;
  const char *name;
  gboolean    fetch;      /* fetch the accessor in the worker, first use */
  GThread    *thread;
  Writer      w;
} PropertyWriter;

static gpointer
property_writer_func (gpointer data)
{
  PropertyWriter *pw = data;

  if (pw->fetch)
    pw->w.acc = cs_object_get_accessor (pw->object, pw->name);

  return writer_func (&pw->w);
}

/* Starts the writer once the main loop runs, as in an application. */
static gboolean
spawn_property_writer_cb (gpointer data)
{
  PropertyWriter *pw = data;

  pw->thread = g_thread_new ("property-writer", property_writer_func, pw);

  return G_SOURCE_REMOVE;
}

static void
check_property_from_worker (const char *name,
                            gboolean    fetch_in_worker)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  TestThing *thing = g_object_new (TEST_TYPE_THING, NULL);
  GObject *object = G_OBJECT (thing);
  g_autofree char *signal = g_strconcat ("notify::", name, NULL);
  PropertyLog log = { name, g_array_new (FALSE, FALSE, sizeof (int)), 0 };
  NotifyLog acc_log = { 0 };
  PropertyWriter pw = { object, name, fetch_in_worker, NULL,
                        { NULL, N_PROPERTY_WRITES, CS_SET_FLAGS_NONE, 0, NULL, 0 } };
  CsAccessor *acc = NULL;
  int v;

  g_signal_connect (object, signal, G_CALLBACK (property_log_cb), &log);
  if (!fetch_in_worker)
    {
      acc = cs_object_get_accessor (object, name);
      pw.w.acc = acc;
      g_signal_connect (acc, "notify::value", G_CALLBACK (notify_log_cb), &acc_log);
    }

  g_idle_add (spawn_property_writer_cb, &pw);
  run_until (flag_is_set, &pw.w.done);
  g_thread_join (pw.thread);
  cs_test_drain ();

  g_assert_no_error (pw.w.error);
  g_assert_cmpuint (pw.w.n_failed, ==, 0);
  g_assert_true (cs_object_get_accessor (object, name) == pw.w.acc);
  g_assert_cmpint (g_atomic_int_get (&thing->set_off_main), ==, 0);

  /* every write applied, notified on the main thread */
  g_assert_cmpint (log.off_main, ==, 0);
  assert_sequence (log.values, N_PROPERTY_WRITES);
  g_object_get (object, name, &v, NULL);
  g_assert_cmpint (v, ==, N_PROPERTY_WRITES);
  g_assert_cmpint (cs_test_dup_int (pw.w.acc), ==, N_PROPERTY_WRITES);
  if (acc != NULL)
    {
      g_assert_cmpint (acc_log.off_main, ==, 0);
      g_assert_cmpuint (acc_log.count, ==, N_PROPERTY_WRITES);
      g_assert_cmpuint (cs_accessor_get_generation (acc), ==, N_PROPERTY_WRITES);
      g_signal_handlers_disconnect_by_data (acc, &acc_log);
    }

  g_signal_handlers_disconnect_by_data (object, &log);
  g_array_unref (log.values);
  cs_test_finalize (&thing);
  cs_test_watchdog_stop (wd);
}

static void
test_property_condition_from_worker (void)
{
  check_property_from_worker ("count", FALSE);
}

static void
test_property_plain_from_worker (void)
{
  check_property_from_worker ("plain", FALSE);
}

static void
test_property_first_use_in_worker (void)
{
  check_property_from_worker ("count", TRUE);
}

typedef struct
{
  GObject      *object;
  GMainContext *context;
} FirstReader;

static gpointer
first_reader_func (gpointer data)
{
  FirstReader *fr = data;
  int v;

  g_main_context_push_thread_default (fr->context);
  g_object_get (fr->object, "count", &v, NULL);
  g_main_context_pop_thread_default (fr->context);

  return NULL;
}

/* A worker that only reads a condition property, first, in a context of its
 * own, does not take the property away from the object's thread: there, with
 * no main loop running, a write is applied at once, and notified there. (If
 * the accessor belonged to the worker's context, which nobody runs any more,
 * a g_object_set() on the object's own thread would block for ever.) */
static void
test_property_first_read_in_worker_context (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  GObject *object = g_object_new (TEST_TYPE_THING, NULL);
  FirstReader fr = { object, g_main_context_new () };
  NotifyLog log = { 0 };
  g_auto(GValue) value = G_VALUE_INIT;
  CsTestResult set = { 0 };
  CsAccessor *acc;

  g_thread_join (g_thread_new ("first-reader", first_reader_func, &fr));

  acc = cs_object_get_accessor (object, "count");
  g_signal_connect (object, "notify::count", G_CALLBACK (notify_log_cb), &log);

  cs_test_value_init_int (&value, 5);
  cs_accessor_set_async (acc, &value, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &set);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 5);
  run_until (result_done, &set);
  cs_test_assert_result_ok (&set);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 5);
  g_assert_cmpuint (log.count, ==, 1);
  g_assert_cmpint (log.off_main, ==, 0);


  g_signal_handlers_disconnect_by_data (object, &log);
  cs_test_finalize (&object);
  g_main_context_unref (fr.context);
  cs_test_watchdog_stop (wd);
}

typedef struct
{
  GObject    *object;
  const char *property;   /* set to 1, 2, … n */
  guint       n;
  gint        done;
} ObjectSetter;

static gpointer
object_set_func (gpointer data)
{
  ObjectSetter *os = data;

  for (guint i = 1; i <= os->n; i++)
    g_object_set (os->object, os->property, (int) i, NULL);
  flag_set (&os->done);

  return NULL;
}

/* Values notified in order, ending with @last: each notification sees the
 * value of the latest write, and several writes whose notifications were
 * frozen together show once. With @repeats, a value may show again (GObject's
 * own notification at the end of a g_object_set() of a property without
 * G_PARAM_EXPLICIT_NOTIFY), but at most twice for each write. */
static void
assert_increasing (GArray   *values,
                   int       last,
                   gboolean  repeats)
{
  g_assert_cmpuint (values->len, >, 0);
  g_assert_cmpuint (values->len, <=, (guint) last * (repeats ? 2 : 1));
  for (guint i = 1; i < values->len; i++)
    {
      if (repeats)
        g_assert_cmpint (g_array_index (values, int, i - 1), <=, g_array_index (values, int, i));
      else
        g_assert_cmpint (g_array_index (values, int, i - 1), <, g_array_index (values, int, i));
    }
  g_assert_cmpint (g_array_index (values, int, values->len - 1), ==, last);
}

/* g_object_set() of a condition property from a worker queues the write, as
 * cs_accessor_set_async() does, and returns: applied in the owner context, in
 * order, and notified there (API.md, Semantics 10). The worker's next
 * g_object_set() may freeze the object's notifications while the owner applies
 * a write: then the notification comes at the thaw, forwarded to the owner
 * context, for the writes made meanwhile together (Semantics 4). */
static void
test_property_g_object_set_from_worker (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  GObject *object = g_object_new (TEST_TYPE_THING, NULL);
  PropertyLog log = { "count", g_array_new (FALSE, FALSE, sizeof (int)), 0 };
  ObjectSetter os = { object, "count", 100, 0 };
  CsAccessor *acc = cs_object_get_accessor (object, "count");
  ValueLog acc_log = { acc, g_array_new (FALSE, FALSE, sizeof (int)), 0, { { 0 } } };
  GThread *thread;

  g_signal_connect (object, "notify::count", G_CALLBACK (property_log_cb), &log);
  g_signal_connect (acc, "notify::value", G_CALLBACK (value_log_cb), &acc_log);

  thread = g_thread_new ("g-object-set", object_set_func, &os);
  run_until (flag_is_set, &os.done);
  g_thread_join (thread);
  cs_test_drain ();

  /* every write applied and counted, in order */
  g_assert_cmpint (cs_test_dup_int (acc), ==, 100);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 100);

  /* the accessor's notify::value and the object's notify::count, on the
   * main thread only */
  g_assert_cmpint (acc_log.off_main, ==, 0);
  assert_increasing (acc_log.values, 100, FALSE);
  g_assert_cmpint (g_atomic_int_get (&log.off_main), ==, 0);
  assert_increasing (log.values, 100, TRUE);

  g_signal_handlers_disconnect_by_data (object, &log);
  g_signal_handlers_disconnect_by_data (acc, &acc_log);
  g_array_unref (log.values);
  g_array_unref (acc_log.values);
  cs_test_finalize (&object);
  cs_test_watchdog_stop (wd);
}

/* An ordinary property set on a worker: GObject notifies it there, and the
 * accessor reads the property when the owner context handles the
 * notification (the reader function runs there, Semantics 10), keeping the
 * object alive until then. */

static gboolean
record_int (const GValue  *value,
            gpointer       user_data,
            GError       **error G_GNUC_UNUSED)
{
  GArray *seen = user_data;
  int v = g_value_get_int (value);

  g_assert_true (g_thread_self () == main_thread);
  g_array_append_val (seen, v);
  return FALSE;
}

static gboolean
at_least_fifty (const GValue  *value,
                gpointer       user_data G_GNUC_UNUSED,
                GError       **error G_GNUC_UNUSED)
{
  return g_value_get_int (value) >= 50;
}

/* Each write is counted and wakes the readers in the owner context; the
 * values they see are ones the worker wrote, in order, up to the last one
 * (writes the owner context has not handled yet coalesce, Semantics 4). */
static void
test_property_plain_from_worker_each_value (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  GObject *object = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *acc = g_object_ref (cs_object_get_accessor (object, "plain"));
  GArray *seen = g_array_new (FALSE, FALSE, sizeof (int));
  g_autoptr(CsPredicate) record = cs_predicate_new (record_int, seen, NULL);
  g_autoptr(CsPredicate) fifty = cs_predicate_new (at_least_fifty, NULL, NULL);
  CsTestResult at_fifty = { 0 };
  CsTestResult recorder = { 0 };
  ObjectSetter os = { object, "plain", 100, 0 };
  GThread *thread;
  int fifty_value;

  recorder.cancellable = g_cancellable_new ();
  cs_accessor_get_async (acc, fifty, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &at_fifty);
  cs_accessor_get_async (acc, record, CS_GET_FLAGS_WAIT_FOR_WRITE, recorder.cancellable,
                         cs_test_get_done, &recorder);

  thread = g_thread_new ("plain-set", object_set_func, &os);
  run_until (flag_is_set, &os.done);
  g_thread_join (thread);
  /* the worker's notifications may still be queued for the owner context */
  while (cs_accessor_get_generation (acc) < 100)
    g_main_context_iteration (NULL, TRUE);
  cs_test_drain ();

  cs_test_assert_result_ok (&at_fifty);
  fifty_value = g_value_get_int (at_fifty.value);
  g_assert_cmpint (fifty_value, >=, 50);
  g_assert_cmpint (fifty_value, <=, 100);
  g_assert_cmpuint (seen->len, ==, 100);
  for (guint i = 0; i < seen->len; i++)
    {
      g_assert_cmpint (g_array_index (seen, int, i), >=, 1);
      if (i > 0)
        g_assert_cmpint (g_array_index (seen, int, i - 1), <=, g_array_index (seen, int, i));
    }
  g_assert_cmpint (g_array_index (seen, int, seen->len - 1), ==, 100);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 100);

  g_cancellable_cancel (recorder.cancellable);
  cs_test_drain ();
  cs_test_assert_result_error (&recorder, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_result_clear (&recorder);
  cs_test_result_clear (&at_fifty);
  g_array_unref (seen);
  cs_test_finalize (&object);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

static gpointer
set_then_drop_func (gpointer data)
{
  GObject *object = data;

  g_object_set (object, "plain", 5, NULL);
  g_object_set (object, "plain", 6, NULL);
  g_object_unref (object);

  return NULL;
}

/* The worker holds the last reference: the object is gone before the owner
 * context reads its changes, and the accessor holds only a weak reference, so
 * the readers fail with CLOSED (Semantics 8), never receiving a value nobody
 * wrote (the type's default, read from a dead object). */
static void
test_property_plain_from_worker_then_finalized (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);

  for (int round = 0; round < 20; round++)
    {
      GObject *object = g_object_new (TEST_TYPE_THING, NULL);
      CsAccessor *acc = g_object_ref (cs_object_get_accessor (object, "plain"));
      g_autoptr(CsPredicate) six = cs_test_predicate_equal_int (6);
      CsTestResult next = { 0 };
      CsTestResult at_six = { 0 };
      gpointer alive = object;

      cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &next);
      cs_accessor_get_async (acc, six, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &at_six);

      g_object_add_weak_pointer (object, &alive);

      /* the owner context runs only once the worker is done; the object died
       * with the worker's unref, on the worker */
      g_thread_join (g_thread_new ("set-then-drop", set_then_drop_func, object));
      g_assert_null (alive);
      cs_test_drain ();

      cs_test_assert_result_error (&next, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      cs_test_assert_result_error (&at_six, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      g_assert_true (cs_accessor_is_closed (acc));
      g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 0);

      cs_test_result_clear (&next);
      cs_test_result_clear (&at_six);
      cs_test_finalize (&acc);
    }

  cs_test_watchdog_stop (wd);
}

/* }}} */

/* Concurrent dup_value {{{ */

#define N_DUP_READERS 4
#define N_DUP_WRITES 20000

typedef struct
{
  CsAccessor *strings;   /* "v000001", … */
  CsAccessor *ints;      /* a condition property */
  gint       *stop;
  gint        n_reads;
  gint        n_failed;
} DupReader;

static gpointer
dup_reader_func (gpointer data)
{
  DupReader *dr = data;
  guint last_string = 0;
  int last_int = 0;

  /* at least one round, even if the writes are already over */
  do
    {
      GValue *value = cs_accessor_dup_value (dr->strings);
      const char *s;

      /* never NULL, always a value of the sequence, never an older one */
      if (value == NULL || !G_VALUE_HOLDS_STRING (value))
        {
          g_atomic_int_inc (&dr->n_failed);
        }
      else if ((s = g_value_get_string (value)) == NULL)
        {
          if (last_string != 0)
            g_atomic_int_inc (&dr->n_failed);
        }
      else
        {
          guint64 n = 0;

          if (s[0] != 'v' || strlen (s) != 7 ||
              !g_ascii_string_to_unsigned (s + 1, 10, 1, N_DUP_WRITES, &n, NULL) ||
              n < last_string)
            g_atomic_int_inc (&dr->n_failed);
          else
            last_string = n;
        }
      if (value != NULL)
        g_boxed_free (G_TYPE_VALUE, value);

      value = cs_accessor_dup_value (dr->ints);
      if (value == NULL || !G_VALUE_HOLDS_INT (value) ||
          g_value_get_int (value) < last_int || g_value_get_int (value) > N_DUP_WRITES)
        g_atomic_int_inc (&dr->n_failed);
      else
        last_int = g_value_get_int (value);
      if (value != NULL)
        g_boxed_free (G_TYPE_VALUE, value);

      g_atomic_int_inc (&dr->n_reads);
    }
  while (!g_atomic_int_get (dr->stop));

  return NULL;
}

static void
test_dup_value_concurrent (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  GObject *object = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *strings = cs_accessor_new (G_TYPE_STRING);
  CsAccessor *ints = cs_object_get_accessor (object, "count");
  DupReader readers[N_DUP_READERS] = { { 0 } };
  GThread *threads[N_DUP_READERS];
  g_auto(GValue) value = G_VALUE_INIT;
  gint stop = FALSE;

  for (guint i = 0; i < N_DUP_READERS; i++)
    {
      readers[i].strings = strings;
      readers[i].ints = ints;
      readers[i].stop = &stop;
      threads[i] = g_thread_new ("dup-reader", dup_reader_func, &readers[i]);
    }

  g_value_init (&value, G_TYPE_STRING);
  for (guint i = 1; i <= N_DUP_WRITES; i++)
    {
      g_value_take_string (&value, g_strdup_printf ("v%06u", i));
      g_assert_true (cs_accessor_set (strings, &value, CS_SET_FLAGS_NONE, NULL, NULL));
      g_object_set (object, "count", (int) i, NULL);
    }

  g_atomic_int_set (&stop, TRUE);
  for (guint i = 0; i < N_DUP_READERS; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpint (readers[i].n_failed, ==, 0);
      g_assert_cmpint (readers[i].n_reads, >, 0);
    }

  g_assert_cmpuint (cs_accessor_get_generation (strings), ==, N_DUP_WRITES);
  g_assert_cmpuint (cs_accessor_get_generation (ints), ==, N_DUP_WRITES);

  cs_test_finalize (&strings);
  cs_test_finalize (&object);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* An owner context run by a worker {{{ */

#define N_OWNER_WRITES 1000

typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  CsAccessor   *acc;
  GArray       *seen;      /* notify::value, on the owner thread */
  gint          off_owner;
  gint          ready;
} OwnerThread;

static void
owner_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  OwnerThread *ot = user_data;
  int v;

  if (g_thread_self () != ot->thread)
    {
      g_atomic_int_inc (&ot->off_owner);
      return;
    }

  v = cs_test_dup_int (ot->acc);
  g_array_append_val (ot->seen, v);
}

static gpointer
owner_func (gpointer data)
{
  OwnerThread *ot = data;

  g_main_context_push_thread_default (ot->context);

  ot->acc = cs_accessor_new (G_TYPE_INT);
  g_signal_connect (ot->acc, "notify::value", G_CALLBACK (owner_notify_cb), ot);
  flag_set (&ot->ready);

  g_main_loop_run (ot->loop);

  g_signal_handlers_disconnect_by_data (ot->acc, ot);
  cs_test_drain_context (ot->context, CS_TEST_DRAIN_ITERATIONS);
  g_clear_object (&ot->acc);

  g_main_context_pop_thread_default (ot->context);

  return NULL;
}

/* An accessor belongs to the context in which it was created, whichever
 * thread runs it: here a worker's, and the main thread is the foreign one. */
static void
test_owner_worker_context (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  OwnerThread ot = { 0 };
  g_autoptr(CsPredicate) last = cs_test_predicate_equal_int (N_OWNER_WRITES);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  CsAccessor *acc;

  ot.context = g_main_context_new ();
  ot.loop = g_main_loop_new (ot.context, FALSE);
  ot.seen = g_array_new (FALSE, FALSE, sizeof (int));
  ot.thread = g_thread_new ("owner", owner_func, &ot);
  run_until (flag_is_set, &ot.ready);
  acc = g_object_ref (ot.acc);

  /* from the main thread the blocking calls go to the owner thread */
  g_value_init (&value, G_TYPE_INT);
  for (int i = 1; i <= N_OWNER_WRITES; i++)
    {
      g_value_set_int (&value, i);
      g_assert_true (cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, NULL, &error));
      g_assert_no_error (error);
    }
  assert_value_int (cs_accessor_get (acc, last, CS_GET_FLAGS_NONE, NULL, &error),
                    N_OWNER_WRITES);
  g_assert_no_error (error);

  g_main_loop_quit (ot.loop);
  g_thread_join (ot.thread);

  g_assert_cmpint (ot.off_owner, ==, 0);
  assert_sequence (ot.seen, N_OWNER_WRITES);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, N_OWNER_WRITES);

  g_array_unref (ot.seen);
  g_main_loop_unref (ot.loop);
  g_main_context_unref (ot.context);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* }}} */

/* Regressions from the adversarial review {{{ */

/* A blocking read with a predicate that never matches and counts its calls
 * (atomically: the owner context calls it, the test reads it). */
typedef struct
{
  CsAccessor   *acc;
  CsPredicate  *predicate;
  gint          n_calls;
  CsTestResult  result;
} PredicateRead;

static gboolean
count_calls_predicate (const GValue  *value,
                       gpointer       user_data,
                       GError       **error)
{
  PredicateRead *pr = user_data;

  g_atomic_int_inc (&pr->n_calls);

  return FALSE;
}

static gpointer
predicate_read_func (gpointer data)
{
  PredicateRead *pr = data;
  CsTestResult *r = &pr->result;

  r->value = cs_accessor_get (pr->acc, pr->predicate, CS_GET_FLAGS_NONE, r->cancellable,
                              &r->error);
  cs_test_result_complete (r, pr->acc, r->value != NULL);

  return NULL;
}

/* Was broken: writes still called the predicate of a cancelled, returned blocking get. */
static void
test_cancel_blocking_get_predicate_not_called_after_return (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  PredicateRead pr = { acc, NULL, 0, { 0 } };
  GThread *thread;
  gint n_calls;

  pr.predicate = cs_predicate_new (count_calls_predicate, &pr, NULL);
  pr.result.cancellable = g_cancellable_new ();
  thread = g_thread_new ("reader", predicate_read_func, &pr);
  run_until_waiting (acc, 1);
  g_assert_cmpint (g_atomic_int_get (&pr.n_calls), ==, 1);

  /* cancelled from a third thread: the get returns while the owner context
   * has not run since */
  g_thread_join (g_thread_new ("canceller", cancel_func, pr.result.cancellable));
  g_thread_join (thread);
  cs_test_assert_result_error (&pr.result, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  n_calls = g_atomic_int_get (&pr.n_calls);

  owner_set_int (acc, 1);
  owner_set_int (acc, 2);
  cs_test_drain ();
  owner_set_int (acc, 3);
  cs_test_drain ();
  g_assert_cmpint (g_atomic_int_get (&pr.n_calls), ==, n_calls);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  cs_test_result_clear (&pr.result);
  g_clear_object (&pr.predicate);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* A read whose first check (inside get_async) has another thread cancel it,
 * then runs a nested main loop, where the cancellation arrives. */
typedef struct
{
  CsTestResult result;
  guint        n_calls;
} NestedCancel;

static gboolean
cancel_in_first_check_predicate (const GValue  *value,
                                 gpointer       user_data,
                                 GError       **error)
{
  NestedCancel *nc = user_data;

  if (nc->n_calls++ == 0)
    {
      g_thread_join (g_thread_new ("canceller", cancel_func, nc->result.cancellable));
      cs_test_drain ();
    }

  return FALSE;
}

/* Was broken: a read cancelled from a thread during its first check never completed. */
static void
test_cancel_during_first_check (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CsAccessor *acc = cs_accessor_new (G_TYPE_INT);
  NestedCancel nc = { { 0 }, 0 };
  g_autoptr(CsPredicate) pred = cs_predicate_new (cancel_in_first_check_predicate, &nc, NULL);

  nc.result.cancellable = g_cancellable_new ();
  cs_accessor_get_async (acc, pred, CS_GET_FLAGS_NONE, nc.result.cancellable,
                         cs_test_get_done, &nc.result);
  g_assert_cmpuint (nc.n_calls, ==, 1);
  g_assert_true (g_cancellable_is_cancelled (nc.result.cancellable));

  cs_test_drain ();
  cs_test_assert_result_error (&nc.result, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  owner_set_int (acc, 1);
  cs_test_drain ();
  g_assert_cmpuint (nc.n_calls, ==, 1);

  cs_test_result_clear (&nc.result);
  cs_test_finalize (&acc);
  cs_test_watchdog_stop (wd);
}

/* What a worker saw of the object it constructed with "count" = 5. */
typedef struct
{
  GObject *object;
  int      count;
  int      acc_value;
} WorkerConstruct;

static int
get_count (GObject *object)
{
  int count = -1;

  g_object_get (object, "count", &count, NULL);

  return count;
}

static gpointer
construct_func (gpointer data)
{
  WorkerConstruct *wc = data;

  wc->object = g_object_new (TEST_TYPE_THING, "count", 5, NULL);
  wc->count = get_count (wc->object);
  wc->acc_value = cs_test_dup_int (cs_object_get_accessor (wc->object, "count"));

  return NULL;
}

/* Was broken: a worker's g_object_new with a condition property value read the default. */
static void
test_property_construct_in_worker (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  WorkerConstruct wc = { NULL, -1, -1 };
  CsAccessor *acc;

  /* owned, as by a running main loop, and not run until the worker is done */
  g_assert_true (g_main_context_acquire (NULL));
  g_thread_join (g_thread_new ("constructor", construct_func, &wc));
  g_main_context_release (NULL);

  g_assert_cmpint (wc.count, ==, 5);
  g_assert_cmpint (wc.acc_value, ==, 5);

  /* applied once: a value set at construction counts as one write */
  cs_test_drain ();
  acc = cs_object_get_accessor (wc.object, "count");
  g_assert_cmpint (cs_test_dup_int (acc), ==, 5);
  g_assert_cmpint (get_count (wc.object), ==, 5);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_finalize (&wc.object);
  cs_test_watchdog_stop (wd);
}

/* A worker's blocking read whose predicate, at its second check, cancels the
 * read and then joins the worker. */
typedef struct
{
  PredicateRead  pr;
  GThread       *worker;
} CancelJoin;

static gboolean
cancel_and_join_predicate (const GValue  *value,
                           gpointer       user_data,
                           GError       **error)
{
  CancelJoin *cj = user_data;

  if (g_atomic_int_add (&cj->pr.n_calls, 1) == 1)
    {
      g_cancellable_cancel (cj->pr.result.cancellable);
      g_thread_join (g_steal_pointer (&cj->worker));
    }

  return FALSE;
}

/* Was broken (second review): a predicate that cancelled its own blocking
 * read and then waited for the worker deadlocked: the worker waited for the
 * predicate to return (Semantics 7: the cancelled call returns promptly). */
static void
test_cancel_from_own_predicate_then_join (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  CancelJoin cj = { { cs_accessor_new (G_TYPE_INT), NULL, 0, { 0 } }, NULL };

  cj.pr.predicate = cs_predicate_new (cancel_and_join_predicate, &cj, NULL);
  cj.pr.result.cancellable = g_cancellable_new ();
  cj.worker = g_thread_new ("reader", predicate_read_func, &cj.pr);

  /* the read is registered once the owner context has run it */
  while (cs_accessor_get_n_waiting_reads (cj.pr.acc) == 0)
    g_main_context_iteration (NULL, TRUE);

  /* the second check: the predicate cancels, and joins the worker */
  cs_test_assert_set_int (cj.pr.acc, 1);
  g_assert_null (cj.worker);
  cs_test_assert_result_error (&cj.pr.result, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  cs_test_drain ();
  g_assert_cmpint (g_atomic_int_get (&cj.pr.n_calls), ==, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (cj.pr.acc), ==, 0);

  g_object_unref (cj.pr.predicate);
  cs_test_result_clear (&cj.pr.result);
  cs_test_finalize (&cj.pr.acc);
  cs_test_watchdog_stop (wd);
}

/* What a worker saw right after its g_object_set() of an instance it
 * constructed and then handed an accessor of. */
static gpointer
construct_then_share_func (gpointer data)
{
  WorkerConstruct *wc = data;

  wc->object = g_object_new (TEST_TYPE_THING, NULL);
  cs_object_get_accessor (wc->object, "count");
  g_object_set (wc->object, "count", 5, NULL);
  wc->count = get_count (wc->object);

  return NULL;
}

/* Was broken (second review): a worker that constructed an instance without
 * property values and asked for an accessor of it still counted as
 * constructing it, and its next g_object_set() was applied on the worker,
 * racing with the owner context (Semantics 10: queued, applied there). */
static void
test_property_construct_then_share (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  WorkerConstruct wc = { NULL, -1, -1 };
  guint n_notify = 0;
  CsAccessor *acc;

  /* owned, as by a running main loop, and not run until the worker is done */
  g_assert_true (g_main_context_acquire (NULL));
  g_thread_join (g_thread_new ("constructor", construct_then_share_func, &wc));
  g_main_context_release (NULL);

  /* queued for the owner context, not applied on the worker */
  g_assert_cmpint (wc.count, ==, 0);

  acc = cs_object_get_accessor (wc.object, "count");
  g_signal_connect (wc.object, "notify::count", G_CALLBACK (cs_test_count_cb), &n_notify);
  cs_test_drain ();
  g_assert_cmpint (get_count (wc.object), ==, 5);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (n_notify, ==, 1);

  cs_test_finalize (&wc.object);
  cs_test_watchdog_stop (wd);
}

static gpointer
set_total_func (gpointer data)
{
  g_object_set (data, "total", 7, NULL);

  return NULL;
}

/* Was broken: a worker's g_object_set of a condition property notified twice. */
static void
test_property_worker_set_notifies_once (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, WATCHDOG_SECONDS);
  GObject *object = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *acc = cs_object_get_accessor (object, "total");
  NotifyLog log = { 0 };

  g_signal_connect (object, "notify::total", G_CALLBACK (notify_log_cb), &log);

  g_object_set (object, "total", 3, NULL);
  g_assert_cmpuint (log.count, ==, 1);

  g_thread_join (g_thread_new ("g-object-set", set_total_func, object));
  cs_test_drain ();
  g_assert_cmpint (cs_test_dup_int (acc), ==, 7);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpint (g_atomic_int_get (&log.off_main), ==, 0);
  g_assert_cmpuint (log.count, ==, 2);

  g_signal_handlers_disconnect_by_data (object, &log);
  cs_test_finalize (&object);
  cs_test_watchdog_stop (wd);
}

/* Two threads held at a gate, then released together. */
typedef struct
{
  GMutex mutex;
  GCond  cond;
  guint  n_waiting;   /* protected by mutex */
  GQuark quarks[2];   /* each written by one thread, read after the join */
} QuarkRace;

static gpointer
error_quark_func (gpointer data)
{
  QuarkRace *qr = data;
  guint i;

  g_mutex_lock (&qr->mutex);
  i = qr->n_waiting++;
  if (qr->n_waiting == G_N_ELEMENTS (qr->quarks))
    g_cond_broadcast (&qr->cond);
  while (qr->n_waiting < G_N_ELEMENTS (qr->quarks))
    g_cond_wait (&qr->cond, &qr->mutex);
  g_mutex_unlock (&qr->mutex);

  qr->quarks[i] = CS_ACCESSOR_ERROR;

  return NULL;
}

/* Was broken: first use of CS_ACCESSOR_ERROR from two threads raced (TSan); in a subprocess. */
static void
test_error_quark_first_use (void)
{
  if (g_test_subprocess ())
    {
      QuarkRace qr = { 0 };
      GThread *threads[G_N_ELEMENTS (qr.quarks)];

      g_mutex_init (&qr.mutex);
      g_cond_init (&qr.cond);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        threads[i] = g_thread_new ("first-use", error_quark_func, &qr);
      for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
        g_thread_join (threads[i]);
      g_mutex_clear (&qr.mutex);
      g_cond_clear (&qr.cond);

      g_assert_cmpuint (qr.quarks[0], !=, 0);
      g_assert_cmpuint (qr.quarks[0], ==, qr.quarks[1]);
      g_assert_cmpstr (g_quark_to_string (qr.quarks[0]), ==, "cs-accessor-error-quark");
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  main_thread = g_thread_self ();

  g_test_add_func ("/threads/worker-writes-sequence", test_worker_writes_sequence);
  g_test_add_func ("/threads/worker-async-writes-ordered", test_worker_async_writes_ordered);
  g_test_add_func ("/threads/blocking-readers/running-loop", test_blocking_readers_running_loop);
  g_test_add_func ("/threads/blocking-readers/own-context", test_blocking_readers_own_context);
  g_test_add_func ("/threads/handoff/worker-producer", test_handoff_worker_producer);
  g_test_add_func ("/threads/handoff/main-producer", test_handoff_main_producer);
  g_test_add_func ("/threads/cancel/from-main", test_cancel_blocking_get_from_main);
  g_test_add_func ("/threads/cancel/from-thread", test_cancel_blocking_get_from_thread);
  g_test_add_func ("/threads/would-block", test_would_block_owner_thread);
  g_test_add_func ("/threads/get-async/own-context", test_get_async_worker_own_context);
  g_test_add_func ("/threads/get-async/default-context", test_get_async_worker_default_context);
  g_test_add_func ("/threads/close-from-worker", test_close_from_worker);
  g_test_add_func ("/threads/property/condition", test_property_condition_from_worker);
  g_test_add_func ("/threads/property/plain", test_property_plain_from_worker);
  g_test_add_func ("/threads/property/first-use-in-worker", test_property_first_use_in_worker);
  g_test_add_func ("/threads/property/first-read-in-worker-context",
                   test_property_first_read_in_worker_context);
  g_test_add_func ("/threads/property/g-object-set", test_property_g_object_set_from_worker);
  g_test_add_func ("/threads/property/plain-from-worker-each-value",
                   test_property_plain_from_worker_each_value);
  g_test_add_func ("/threads/property/plain-from-worker-then-finalized",
                   test_property_plain_from_worker_then_finalized);
  g_test_add_func ("/threads/dup-value", test_dup_value_concurrent);
  g_test_add_func ("/threads/owner/worker-context", test_owner_worker_context);

  g_test_add_func ("/threads/cancel/predicate-not-called-after-return",
                   test_cancel_blocking_get_predicate_not_called_after_return);
  g_test_add_func ("/threads/cancel/during-first-check", test_cancel_during_first_check);
  g_test_add_func ("/threads/property/construct-in-worker", test_property_construct_in_worker);
  g_test_add_func ("/threads/property/construct-then-share", test_property_construct_then_share);
  g_test_add_func ("/threads/cancel/from-own-predicate-then-join",
                   test_cancel_from_own_predicate_then_join);
  g_test_add_func ("/threads/property/worker-set-notifies-once",
                   test_property_worker_set_notifies_once);
  g_test_add_func ("/threads/error-quark/first-use", test_error_quark_first_use);

  return g_test_run ();
}
