/* bench-predicate.c: readers waiting for distinct values, woken by equality
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * N readers each wait (cs_predicate_new_equal) for a distinct value 1..N, then
 * values are written in a shuffled order; each write wakes exactly one reader.
 * The figure is the cost of one write (with its callback) as N grows: with
 * built-in equality predicates it should not depend on N. 1000 writes are
 * measured per size (--writes; every value when it is >= N), so that the
 * figures at every size are over the same number of writes.
 */

#include <codestare.h>

#include "bench.h"

typedef struct
{
  guint64  count;
  guint64  expected;
  gboolean done;
} Readers;

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Readers *readers = user_data;
  g_autoptr(GError) error = NULL;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);

  if (value != NULL)
    g_boxed_free (G_TYPE_VALUE, value);
  else
    g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  if (++readers->count == readers->expected)
    readers->done = TRUE;
}

/* Returns nanoseconds a write, over @n_writes writes with @n readers waiting. */
static double
run (guint64     n,
     guint64     n_writes,
     const char *region)
{
  CsAccessor *accessor = cs_accessor_new (G_TYPE_INT);
  Readers readers = { 0, };
  GValue value = G_VALUE_INIT;
  GRand *rand = g_rand_new_with_seed (42);
  gint *order = g_new (gint, n);
  gint64 start, end;

  g_value_init (&value, G_TYPE_INT);

  /* the current value, 0, matches none of them */
  for (guint64 i = 0; i < n; i++)
    {
      CsPredicate *predicate;

      g_value_set_int (&value, (int) (i + 1));
      predicate = cs_predicate_new_equal (&value);
      cs_accessor_get_async (accessor, predicate, CS_GET_FLAGS_NONE, NULL, read_cb, &readers);
      g_object_unref (predicate);
    }
  g_assert (cs_accessor_get_n_waiting_reads (accessor) == n);

  /* a shuffled order of the values: a scan that stops at the match still
   * walks half the readers on average */
  for (guint64 i = 0; i < n; i++)
    order[i] = (gint) (i + 1);
  for (guint64 i = 0; i < n_writes; i++)
    {
      guint64 j = i + (guint64) g_rand_int_range (rand, 0, (gint32) (n - i));
      gint tmp = order[i];

      order[i] = order[j];
      order[j] = tmp;
    }

  readers.expected = n_writes;
  if (region != NULL)
    bench_region_begin ();
  start = bench_now_ns ();

  for (guint64 i = 0; i < n_writes; i++)
    {
      g_value_set_int (&value, order[i]);
      cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, NULL);
    }
  bench_run_until (NULL, &readers.done);

  end = bench_now_ns ();
  if (region != NULL)
    bench_region_end (region, n_writes);

  g_assert (cs_accessor_get_n_waiting_reads (accessor) == n - n_writes);

  /* the rest fail as closed */
  readers.done = n_writes == n;
  readers.expected = n;
  cs_accessor_close (accessor);
  bench_run_until (NULL, &readers.done);

  g_value_unset (&value);
  g_free (order);
  g_rand_free (rand);
  g_object_unref (accessor);

  return (double) (end - start) / (double) n_writes;
}

int
main (int   argc,
      char *argv[])
{
  const guint64 sizes[] = { 1000, 10000, 100000 };
  double medians[G_N_ELEMENTS (sizes)];
  guint64 max_writes;
  guint reps;
  double *samples;

  bench_init (&argc, &argv,
              "Predicate fan-out: N readers waiting for distinct values with\n"
              "cs_predicate_new_equal(); the cost of a write as N grows.");
  max_writes = bench_options.writes > 0 ? bench_options.writes
                                        : 1000;
  reps = bench_options.reps;
  samples = g_new0 (double, reps);

  run (100, 100, NULL);

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    {
      guint64 n = sizes[s];
      guint64 n_writes = MIN (n, max_writes);
      g_autofree char *region = g_strdup_printf ("predicate-%" G_GUINT64_FORMAT, n);
      g_autofree char *variant = g_strdup_printf ("n%" G_GUINT64_FORMAT, n);

      for (guint i = 0; i < reps; i++)
        samples[i] = run (n, n_writes, i == 0 ? region : NULL);
      medians[s] = bench_median (samples, reps);

      g_print ("predicate fan-out, %" G_GUINT64_FORMAT " readers, %" G_GUINT64_FORMAT
               " writes, median of %u:\n", n, n_writes, reps);
      bench_report ("predicate", variant, "ns_per_write", medians[s]);
    }

  bench_report ("predicate", "ratio", "ns_per_write_n100000_over_n1000",
                medians[2] / medians[0]);

  g_free (samples);

  return 0;
}
