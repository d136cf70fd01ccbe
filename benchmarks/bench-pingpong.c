/* bench-pingpong.c: one reader, one writer, one value at a time
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A cycle: a reader starts waiting, a writer gives it a value, its callback
 * runs and starts the next cycle. Baseline: the same with a bare GTask that the
 * "writer" completes with g_task_return_pointer(). Both complete from an idle
 * source of the main context, as GTask always does outside a dispatch.
 */

#include <codestare.h>

#include "bench.h"

typedef struct
{
  GObject    *source;
  CsAccessor *accessor;
  GValue      value;
  guint64     count;
  guint64     n;
  gboolean    done;
} PingPong;

static void baseline_cycle (PingPong *pp);
static void ours_cycle     (PingPong *pp);

static void
baseline_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PingPong *pp = user_data;
  gpointer value = g_task_propagate_pointer (G_TASK (result), NULL);

  g_assert (value != NULL);

  if (++pp->count == pp->n)
    pp->done = TRUE;
  else
    baseline_cycle (pp);
}

static void
baseline_cycle (PingPong *pp)
{
  /* the reader waits… */
  GTask *task = g_task_new (pp->source, NULL, baseline_cb, pp);

  /* …and the writer completes it */
  g_task_return_pointer (task, GSIZE_TO_POINTER (pp->count + 1), NULL);
  g_object_unref (task);
}

static void
ours_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  PingPong *pp = user_data;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, NULL);

  g_assert (value != NULL);
  g_boxed_free (G_TYPE_VALUE, value);

  if (++pp->count == pp->n)
    pp->done = TRUE;
  else
    ours_cycle (pp);
}

static void
ours_cycle (PingPong *pp)
{
  cs_accessor_get_async (pp->accessor, NULL, CS_GET_FLAGS_NONE, NULL, ours_cb, pp);

  g_value_set_int (&pp->value, (int) (pp->count + 1));
  cs_accessor_set (pp->accessor, &pp->value, CS_SET_FLAGS_NONE, NULL, NULL);
}

/* Runs @n cycles; returns nanoseconds a cycle. */
static double
run (gboolean    ours,
     guint64     n,
     const char *region,
     gpointer    user_data)
{
  PingPong pp = { 0, };
  gint64 start, end;

  pp.source = g_object_new (G_TYPE_OBJECT, NULL);
  pp.accessor = cs_accessor_new (G_TYPE_INT);
  g_value_init (&pp.value, G_TYPE_INT);
  pp.n = n;

  if (region != NULL)
    bench_region_begin ();
  start = bench_now_ns ();

  if (ours)
    ours_cycle (&pp);
  else
    baseline_cycle (&pp);
  bench_run_until (NULL, &pp.done);

  end = bench_now_ns ();
  if (region != NULL)
    bench_region_end (region, n);

  g_value_unset (&pp.value);
  g_object_unref (pp.accessor);
  g_object_unref (pp.source);

  return (double) (end - start) / (double) n;
}

int
main (int   argc,
      char *argv[])
{
  guint64 n;

  bench_init (&argc, &argv,
              "Ping-pong: a default reader and a writer, one value a cycle,\n"
              "against a bare GTask completed with g_task_return_pointer().");
  n = bench_n (bench_options.callgrind ? 20000 : 100000);

  g_print ("ping-pong, %" G_GUINT64_FORMAT " cycles, median of %u:\n", n, bench_options.reps);
  bench_compare ("pingpong", "ns_per_cycle", n, run, NULL);

  return 0;
}
