/* bench-thread.c: a worker thread writes, a main-loop reader wakes
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A worker calls cs_accessor_set() N times; each write is applied in the main
 * context, which wakes the default reader waiting there, and the worker's call
 * returns once it has been applied. Baseline: the same round trip by hand, the
 * worker g_main_context_invoke()s a function into the main context and waits
 * (GMutex + GCond) until the main loop has run it.
 *
 * The writes are CS_SET_FLAGS_WAIT_FOR_READ handoffs, so that every one of
 * them wakes the reader however the two threads are scheduled (a plain write
 * made before the reader's callback has started the next read would be seen by
 * nobody, which under valgrind's serialized threads is most of them). When the
 * reader is already waiting, as it nearly always is natively, a handoff is
 * applied at once like a plain write.
 *
 * The measured region spans both threads: the main thread starts and ends it
 * (from functions the worker invokes there), the worker toggles its own
 * collection, callgrind's collection state being per thread.
 */

#include <codestare.h>

#include "bench.h"

typedef struct
{
  GMainContext *context;
  CsAccessor   *accessor;
  guint64       n;
  const char   *region;
  gint64        elapsed;
  guint64       n_woken;
  gboolean      done;
  /* the baseline's handshake */
  GMutex        mutex;
  GCond         cond;
  gboolean      ran;
} Trip;

static gboolean invoked_cb (gpointer user_data);

static gboolean
set_done_cb (gpointer user_data)
{
  Trip *trip = user_data;

  trip->done = TRUE;

  return G_SOURCE_REMOVE;
}

static gboolean
region_begin_cb (gpointer user_data)
{
  Trip *trip = user_data;

  bench_region_begin ();
  return invoked_cb (trip);
}

static gboolean
region_end_cb (gpointer user_data)
{
  Trip *trip = user_data;

  bench_region_end (trip->region, trip->n);
  return invoked_cb (trip);
}

/* Runs @func in the main context and waits until it has run. */
static void
invoke_and_wait (Trip        *trip,
                 GSourceFunc  func)
{
  trip->ran = FALSE;
  g_main_context_invoke (trip->context, func, trip);

  g_mutex_lock (&trip->mutex);
  while (!trip->ran)
    g_cond_wait (&trip->cond, &trip->mutex);
  g_mutex_unlock (&trip->mutex);
}

static void
worker_begin (Trip *trip)
{
  if (trip->region == NULL)
    return;

  /* collect in this thread from now on; the region starts by zeroing */
  bench_region_toggle_thread ();
  invoke_and_wait (trip, region_begin_cb);
}

static void
worker_end (Trip *trip)
{
  if (trip->region == NULL)
    return;

  invoke_and_wait (trip, region_end_cb);
  bench_region_toggle_thread ();
}

static gboolean
invoked_cb (gpointer user_data)
{
  Trip *trip = user_data;

  g_mutex_lock (&trip->mutex);
  trip->ran = TRUE;
  g_cond_signal (&trip->cond);
  g_mutex_unlock (&trip->mutex);

  return G_SOURCE_REMOVE;
}

static gpointer
baseline_worker (gpointer user_data)
{
  Trip *trip = user_data;
  GMainContext *own = g_main_context_new ();
  gint64 start;

  /* g_main_context_invoke() runs the function at once in the calling thread
   * when that thread's default context is the target and it can acquire it:
   * give this thread its own, as a worker running GIO calls has */
  g_main_context_push_thread_default (own);

  worker_begin (trip);
  start = bench_now_ns ();

  for (guint64 i = 0; i < trip->n; i++)
    invoke_and_wait (trip, invoked_cb);

  trip->elapsed = bench_now_ns () - start;
  worker_end (trip);

  g_main_context_invoke (trip->context, set_done_cb, trip);
  g_main_context_pop_thread_default (own);
  g_main_context_unref (own);

  return NULL;
}

static gpointer
ours_worker (gpointer user_data)
{
  Trip *trip = user_data;
  GMainContext *own = g_main_context_new ();
  GValue value = G_VALUE_INIT;
  gint64 start;

  /* as in baseline_worker, for invoke_and_wait() */
  g_main_context_push_thread_default (own);
  g_value_init (&value, G_TYPE_INT);

  worker_begin (trip);
  start = bench_now_ns ();

  for (guint64 i = 0; i < trip->n; i++)
    {
      gboolean ok;

      g_value_set_int (&value, (int) (i + 1));
      ok = cs_accessor_set (trip->accessor, &value, CS_SET_FLAGS_WAIT_FOR_READ, NULL, NULL);
      g_assert (ok);
    }

  trip->elapsed = bench_now_ns () - start;
  worker_end (trip);

  g_main_context_invoke (trip->context, set_done_cb, trip);
  g_main_context_pop_thread_default (own);
  g_main_context_unref (own);

  return NULL;
}

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Trip *trip = user_data;
  g_autoptr(GError) error = NULL;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);

  if (value == NULL)
    {
      g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
      return;
    }

  g_boxed_free (G_TYPE_VALUE, value);
  trip->n_woken++;
  cs_accessor_get_async (trip->accessor, NULL, CS_GET_FLAGS_NONE, NULL, read_cb, trip);
}

/* Returns nanoseconds a round trip. */
static double
run (gboolean    ours,
     guint64     n,
     const char *region,
     gpointer    user_data)
{
  guint64 *n_woken = user_data;
  Trip trip = { 0, };
  GThread *thread;

  trip.context = g_main_context_default ();
  trip.n = n;
  trip.region = region;
  g_mutex_init (&trip.mutex);
  g_cond_init (&trip.cond);

  if (ours)
    {
      trip.accessor = cs_accessor_new (G_TYPE_INT);
      cs_accessor_get_async (trip.accessor, NULL, CS_GET_FLAGS_NONE, NULL, read_cb, &trip);
    }

  thread = g_thread_new ("bench-worker", ours ? ours_worker : baseline_worker, &trip);
  bench_run_until (trip.context, &trip.done);
  g_thread_join (thread);

  if (ours)
    {
      /* the last reader fails as closed */
      cs_accessor_close (trip.accessor);
      while (g_main_context_pending (trip.context))
        g_main_context_iteration (trip.context, FALSE);
      g_object_unref (trip.accessor);
      *n_woken = trip.n_woken;
    }

  g_mutex_clear (&trip.mutex);
  g_cond_clear (&trip.cond);

  return (double) trip.elapsed / (double) n;
}

int
main (int   argc,
      char *argv[])
{
  guint64 n, n_woken = 0;

  bench_init (&argc, &argv,
              "Cross-thread: a worker writes with cs_accessor_set() (handoffs), a\n"
              "main-loop reader wakes; against a g_main_context_invoke() round trip.");
  n = bench_n (bench_options.callgrind ? 5000 : 10000);

  g_print ("cross-thread, %" G_GUINT64_FORMAT " writes, median of %u:\n", n, bench_options.reps);
  bench_compare ("thread", "ns_per_write", n, run, &n_woken);
  /* how many of the last run's writes the reader saw */
  bench_report ("thread", "ours", "reader_wakeups_per_write", (double) n_woken / (double) n);

  return 0;
}
