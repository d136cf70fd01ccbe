/* bench-scale.c: costs that must not grow with a group or a crowd of readers
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each figure is measured at a large size against the same at a small size,
 * the baseline, alternately in the same run; the ratio is large / small.
 *
 * - Group write: a CsCondition with N members (cs_accessor_new_full() on it)
 *   and no reader anywhere in the group; the cost of a cs_accessor_set() of an
 *   int on one member, N = 10 000 against N = 10. A write that no reader can
 *   take should not visit the other members.
 *   Also reported, with no target: unreffing the members, in a shuffled order,
 *   per member, N = 10 000 against N = 100; it stays flat when a member leaves
 *   its group in O(1).
 * - Main-loop iteration: N default readers pending on one accessor, all with
 *   the same GCancellable, not cancelled; the cost of one
 *   g_main_context_iteration() that finds nothing ready, N = 10 000 against
 *   N = 10. Readers sharing a cancellable should add nothing to an iteration
 *   (no GSource a reader).
 *
 * A measured region holds only the measured calls, and for writes and unrefs
 * the main-context work they leave behind, drained inside it. Building the
 * group, registering the readers, cancelling them (the readers complete with
 * G_IO_ERROR_CANCELLED, so nothing leaks) and the rest of the teardown happen
 * outside it.
 */

#include <malloc.h>

#include <codestare.h>

#include "bench.h"

#define SMALL_N       10
#define LARGE_N       10000
#define SMALL_UNREF_N 100

/* Runs what is ready in the main context until nothing is. */
static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Builds a group of @n_members members; measures @n_writes writes to one of
 * them (none when 0), then unreffing every member. Returns nanoseconds a write
 * in @ns_per_write and a member in @ns_per_unref. */
static void
run_group (guint       n_members,
           guint64     n_writes,
           const char *write_region,
           const char *unref_region,
           double     *ns_per_write,
           double     *ns_per_unref)
{
  CsCondition *condition = cs_condition_new ();
  CsAccessor **members = g_new (CsAccessor *, n_members);
  CsAccessor *written;
  GRand *rand = g_rand_new_with_seed (42);
  GValue value = G_VALUE_INIT;
  guint64 generation;
  gint64 start, end;

  for (guint i = 0; i < n_members; i++)
    members[i] = cs_accessor_new_full (G_TYPE_INT, NULL, condition, NULL, NULL, NULL, NULL);
  /* neither the first nor the last member that a list would hold */
  written = members[n_members / 2];

  /* a first write, for whatever is set up lazily */
  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, -1);
  cs_accessor_set (written, &value, CS_SET_FLAGS_NONE, NULL, NULL);
  drain ();
  generation = cs_accessor_get_generation (written);

  *ns_per_write = 0;
  if (n_writes > 0)
    {
      if (write_region != NULL)
        bench_region_begin ();
      start = bench_now_ns ();

      for (guint64 i = 0; i < n_writes; i++)
        {
          g_value_set_int (&value, (int) (i % G_MAXINT));
          cs_accessor_set (written, &value, CS_SET_FLAGS_NONE, NULL, NULL);
        }
      drain ();

      end = bench_now_ns ();
      if (write_region != NULL)
        bench_region_end (write_region, n_writes);

      *ns_per_write = (double) (end - start) / (double) n_writes;
    }

  /* every write was applied, and nobody read */
  g_assert (cs_accessor_get_generation (written) == generation + n_writes);
  for (guint i = 0; i < n_members; i++)
    g_assert (!cs_accessor_has_waiting_read (members[i]));

  /* a shuffled order: a member found by a walk from either end of a list
   * costs half the group on average */
  for (guint i = n_members - 1; i > 0; i--)
    {
      guint j = (guint) g_rand_int_range (rand, 0, (gint32) i + 1);
      CsAccessor *tmp = members[i];

      members[i] = members[j];
      members[j] = tmp;
    }

  if (unref_region != NULL)
    bench_region_begin ();
  start = bench_now_ns ();

  for (guint i = 0; i < n_members; i++)
    g_object_unref (members[i]);
  drain ();

  end = bench_now_ns ();
  if (unref_region != NULL)
    bench_region_end (unref_region, n_members);

  *ns_per_unref = (double) (end - start) / (double) n_members;

  g_value_unset (&value);
  g_rand_free (rand);
  g_free (members);
  g_object_unref (condition);
}

typedef struct
{
  guint64  completed;
  guint64  expected;
  gboolean done;
} Readers;

static void
cancelled_read_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Readers *readers = user_data;
  g_autoptr(GError) error = NULL;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);

  g_assert (value == NULL);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (++readers->completed == readers->expected)
    readers->done = TRUE;
}

/* With @n_readers readers sharing a cancellable, measures @n_iterations
 * iterations of the main context; returns nanoseconds an iteration. */
static double
run_iterate (guint       n_readers,
             guint64     n_iterations,
             const char *region)
{
  CsAccessor *accessor = cs_accessor_new (G_TYPE_INT);
  GCancellable *cancellable = g_cancellable_new ();
  Readers readers = { 0, n_readers, FALSE };
  guint64 n_dispatched = 0;
  gint64 start, end;

  for (guint i = 0; i < n_readers; i++)
    cs_accessor_get_async (accessor, NULL, CS_GET_FLAGS_NONE, cancellable,
                           cancelled_read_cb, &readers);
  /* whatever registering them left (count notifications) runs now */
  drain ();
  g_assert (cs_accessor_get_n_waiting_reads (accessor) == n_readers);

  if (region != NULL)
    bench_region_begin ();
  start = bench_now_ns ();

  for (guint64 i = 0; i < n_iterations; i++)
    {
      if (g_main_context_iteration (NULL, FALSE))
        n_dispatched++;
    }

  end = bench_now_ns ();
  if (region != NULL)
    bench_region_end (region, n_iterations);

  /* the figure is for iterations that find nothing to do */
  if (n_dispatched > 0)
    g_printerr ("warning: %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                " iterations with %u readers dispatched something\n",
                n_dispatched, n_iterations, n_readers);

  g_cancellable_cancel (cancellable);
  bench_run_until (NULL, &readers.done);
  g_assert (cs_accessor_get_n_waiting_reads (accessor) == 0);

  g_object_unref (accessor);
  g_object_unref (cancellable);

  return (double) (end - start) / (double) n_iterations;
}

/* Reports the medians at both sizes and their ratio (large / small). */
static void
report_sizes (const char *bench,
              const char *metric,
              guint       small_n,
              guint       large_n,
              double     *small,
              double     *large,
              guint       n_samples)
{
  g_autofree char *small_variant = g_strdup_printf ("n%u", small_n);
  g_autofree char *large_variant = g_strdup_printf ("n%u", large_n);
  double s = bench_median (small, n_samples);
  double l = bench_median (large, n_samples);

  bench_report (bench, small_variant, metric, s);
  bench_report (bench, large_variant, metric, l);
  bench_report (bench, "ratio", metric, s > 0 ? l / s : 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *write_small_region = g_strdup_printf ("scale-write-%u", SMALL_N);
  g_autofree char *write_large_region = g_strdup_printf ("scale-write-%u", LARGE_N);
  g_autofree char *unref_small_region = g_strdup_printf ("scale-unref-%u", SMALL_UNREF_N);
  g_autofree char *unref_large_region = g_strdup_printf ("scale-unref-%u", LARGE_N);
  g_autofree char *iterate_small_region = g_strdup_printf ("scale-iterate-%u", SMALL_N);
  g_autofree char *iterate_large_region = g_strdup_printf ("scale-iterate-%u", LARGE_N);
  g_autofree double *write_small = NULL, *write_large = NULL;
  g_autofree double *unref_small = NULL, *unref_large = NULL;
  g_autofree double *iterate_small = NULL, *iterate_large = NULL;
  double unused;
  guint64 n;
  guint reps;

  bench_init (&argc, &argv,
              "Scale: a write in a group of 10 000 members with no reader, against\n"
              "a group of 10; a main-loop iteration with 10 000 readers sharing a\n"
              "cancellable, against 10 readers; unreffing members, 10 000 against 100.");
  n = bench_n (bench_options.callgrind ? 2000 : 20000);
  /* free() gives memory back to the system past the trim threshold, which
   * after the large group falls on a small group's teardown: 200 us or so,
   * 2 us a member of 100, the allocator's cost and not the library's */
  mallopt (M_TRIM_THRESHOLD, 256 * 1024 * 1024);
  reps = bench_options.reps;
  write_small = g_new0 (double, reps);
  write_large = g_new0 (double, reps);
  unref_small = g_new0 (double, reps);
  unref_large = g_new0 (double, reps);
  iterate_small = g_new0 (double, reps);
  iterate_large = g_new0 (double, reps);

  /* warm up: types, quarks, the library's sources */
  run_group (SMALL_N, 100, NULL, NULL, &unused, &unused);
  run_iterate (SMALL_N, 100, NULL);

  for (guint i = 0; i < reps; i++)
    {
      gboolean bracket = i == 0;

      run_group (SMALL_N, n, bracket ? write_small_region : NULL, NULL,
                 &write_small[i], &unused);
      run_group (LARGE_N, n, bracket ? write_large_region : NULL,
                 bracket ? unref_large_region : NULL, &write_large[i], &unref_large[i]);
      run_group (SMALL_UNREF_N, 0, NULL, bracket ? unref_small_region : NULL,
                 &unused, &unref_small[i]);
      iterate_small[i] = run_iterate (SMALL_N, n, bracket ? iterate_small_region : NULL);
      iterate_large[i] = run_iterate (LARGE_N, n, bracket ? iterate_large_region : NULL);
    }

  g_print ("group write with no reader, %" G_GUINT64_FORMAT " writes, median of %u:\n",
           n, reps);
  report_sizes ("scale-write", "ns_per_write", SMALL_N, LARGE_N,
                write_small, write_large, reps);
  g_print ("unreffing the members of a group, median of %u:\n", reps);
  report_sizes ("scale-unref", "ns_per_member", SMALL_UNREF_N, LARGE_N,
                unref_small, unref_large, reps);
  g_print ("main-loop iteration, readers sharing a cancellable, %" G_GUINT64_FORMAT
           " iterations, median of %u:\n", n, reps);
  report_sizes ("scale-iterate", "ns_per_iteration", SMALL_N, LARGE_N,
                iterate_small, iterate_large, reps);

  return 0;
}
