/* bench-fanout.c: many pending default readers woken by one write
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * N readers wait for the next write; one write wakes them all and the main
 * context runs their callbacks. Baseline: N pending bare GTasks, each completed
 * with g_task_return_pointer(). Also reports the heap each pending reader
 * holds (mallinfo2 deltas), for both.
 */

#include <codestare.h>

#include "bench.h"

typedef struct
{
  guint64  count;
  guint64  n;
  gboolean done;
} FanOut;

static void
baseline_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  FanOut *fo = user_data;
  gpointer value = g_task_propagate_pointer (G_TASK (result), NULL);

  g_assert (value != NULL);
  if (++fo->count == fo->n)
    fo->done = TRUE;
}

static void
ours_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  FanOut *fo = user_data;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, NULL);

  g_assert (value != NULL);
  g_boxed_free (G_TYPE_VALUE, value);
  if (++fo->count == fo->n)
    fo->done = TRUE;
}

/* Returns nanoseconds a reader; @heap: bytes a pending reader. */
static double
run_baseline (guint64     n,
              const char *region,
              double     *heap)
{
  FanOut fo = { 0, n, FALSE };
  GObject *source = g_object_new (G_TYPE_OBJECT, NULL);
  GTask **tasks = g_new (GTask *, n);
  gint64 start, end;
  gsize heap_before;

  heap_before = bench_heap_in_use ();
  for (guint64 i = 0; i < n; i++)
    tasks[i] = g_task_new (source, NULL, baseline_cb, &fo);
  *heap = (double) (bench_heap_in_use () - heap_before) / (double) n;

  if (region != NULL)
    bench_region_begin ();
  start = bench_now_ns ();

  for (guint64 i = 0; i < n; i++)
    {
      g_task_return_pointer (tasks[i], GSIZE_TO_POINTER (1), NULL);
      g_object_unref (tasks[i]);
    }
  bench_run_until (NULL, &fo.done);

  end = bench_now_ns ();
  if (region != NULL)
    bench_region_end (region, n);

  g_free (tasks);
  g_object_unref (source);

  return (double) (end - start) / (double) n;
}

static double
run_ours (guint64     n,
          const char *region,
          double     *heap)
{
  FanOut fo = { 0, n, FALSE };
  CsAccessor *accessor = cs_accessor_new (G_TYPE_INT);
  GValue value = G_VALUE_INIT;
  gint64 start, end;
  gsize heap_before;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 1);

  heap_before = bench_heap_in_use ();
  for (guint64 i = 0; i < n; i++)
    cs_accessor_get_async (accessor, NULL, CS_GET_FLAGS_NONE, NULL, ours_cb, &fo);
  *heap = (double) (bench_heap_in_use () - heap_before) / (double) n;
  g_assert (cs_accessor_get_n_waiting_reads (accessor) == n);

  if (region != NULL)
    bench_region_begin ();
  start = bench_now_ns ();

  cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, NULL);
  bench_run_until (NULL, &fo.done);

  end = bench_now_ns ();
  if (region != NULL)
    bench_region_end (region, n);

  g_object_unref (accessor);

  return (double) (end - start) / (double) n;
}

int
main (int   argc,
      char *argv[])
{
  guint64 n;
  guint reps;
  double *baseline, *ours, *baseline_heap, *ours_heap;

  bench_init (&argc, &argv,
              "Fan-out: N pending default readers woken by one write, against N\n"
              "pending bare GTasks completed; and the heap a pending reader holds.");
  n = bench_n (100000);
  reps = bench_options.reps;
  baseline = g_new0 (double, reps);
  ours = g_new0 (double, reps);
  baseline_heap = g_new0 (double, reps);
  ours_heap = g_new0 (double, reps);

  /* warm up (and let malloc grow its arena once) */
  run_baseline (MIN (n, 1000), NULL, &baseline_heap[0]);
  run_ours (MIN (n, 1000), NULL, &ours_heap[0]);

  for (guint i = 0; i < reps; i++)
    {
      baseline[i] = run_baseline (n, i == 0 ? "fanout-baseline" : NULL, &baseline_heap[i]);
      ours[i] = run_ours (n, i == 0 ? "fanout-ours" : NULL, &ours_heap[i]);
    }

  g_print ("fan-out, %" G_GUINT64_FORMAT " pending readers, median of %u:\n", n, reps);
  bench_report_pair ("fanout", "ns_per_reader", baseline, ours, reps);
  bench_report_pair ("fanout", "heap_bytes_per_reader", baseline_heap, ours_heap, reps);

  g_free (baseline);
  g_free (ours);
  g_free (baseline_heap);
  g_free (ours_heap);

  return 0;
}
