/* bench.c: what the benchmark programs share
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef HAVE_VALGRIND
# include <valgrind/callgrind.h>
#endif

#include "bench.h"

BenchOptions bench_options = { 5, 0, 0, FALSE };

/* GLib 2.74's GSlice keeps freed objects in its own caches, which hides from
 * mallinfo2() the memory a pending GTask holds once an earlier run freed some,
 * and GLib >= 2.76 allocates them with malloc anyway: run with
 * G_SLICE=always-malloc, restarting once to set it (GSlice reads it at start-up,
 * before main). Not under valgrind, whose child would not be traced. */
static void
ensure_always_malloc (char **argv)
{
  const char *slice = g_getenv ("G_SLICE");

  if (slice != NULL && strstr (slice, "always-malloc") != NULL)
    return;

#ifdef HAVE_VALGRIND
  if (RUNNING_ON_VALGRIND)
    {
      g_printerr ("warning: G_SLICE=always-malloc is not set; heap figures are not reliable\n");
      return;
    }
#endif

  g_setenv ("G_SLICE", "always-malloc", TRUE);
  execv ("/proc/self/exe", argv);
  g_printerr ("warning: could not restart with G_SLICE=always-malloc: %s\n", g_strerror (errno));
}

void
bench_init (int          *argc,
            char       ***argv,
            const char   *summary)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gint reps = 0;
  gint64 n = 0, writes = 0;
  const GOptionEntry entries[] = {
    { "reps", 'r', 0, G_OPTION_ARG_INT, &reps,
      "Wall-time repetitions (default 5; 1 with --callgrind)", "N" },
    { "n", 'n', 0, G_OPTION_ARG_INT64, &n,
      "Operations per repetition", "N" },
    { "writes", 'w', 0, G_OPTION_ARG_INT64, &writes,
      "Writes measured per size (bench-predicate)", "N" },
    { "callgrind", 0, 0, G_OPTION_ARG_NONE, &bench_options.callgrind,
      "Bracket the measured regions for valgrind --tool=callgrind "
      "--collect-atstart=no --instr-atstart=no, and run them once", NULL },
    { NULL }
  };

  ensure_always_malloc (*argv);

  context = g_option_context_new (NULL);
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_printerr ("%s\n", error->message);
      exit (2);
    }

#ifndef HAVE_VALGRIND
  if (bench_options.callgrind)
    g_printerr ("warning: built without <valgrind/callgrind.h>: --callgrind only runs once\n");
#endif

  if (reps > 0)
    bench_options.reps = reps;
  else if (bench_options.callgrind)
    bench_options.reps = 1;
  bench_options.n = n > 0 ? (guint64) n : 0;
  bench_options.writes = writes > 0 ? (guint64) writes : 0;

#ifdef HAVE_VALGRIND
  /* Instrument from here on, and collect only inside the regions. Starting or
   * stopping instrumentation resets the state of every thread, which loses
   * the collection state of a region that spans threads: so only once. */
  if (bench_options.callgrind)
    CALLGRIND_START_INSTRUMENTATION;
#endif

  /* the results go to a pipe when run by meson or the script */
  setvbuf (stdout, NULL, _IOLBF, 0);
}

guint64
bench_n (guint64 default_n)
{
  return bench_options.n > 0 ? bench_options.n : default_n;
}

gint64
bench_now_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

double
bench_median (double *samples,
              guint   n_samples)
{
  double *sorted;
  double median;

  g_assert (n_samples > 0);

  sorted = g_memdup2 (samples, n_samples * sizeof (double));
  qsort (sorted, n_samples, sizeof (double), compare_doubles);
  if (n_samples % 2 == 1)
    median = sorted[n_samples / 2];
  else
    median = (sorted[n_samples / 2 - 1] + sorted[n_samples / 2]) / 2;
  g_free (sorted);

  return median;
}

void
bench_region_begin (void)
{
#ifdef HAVE_VALGRIND
  if (!bench_options.callgrind)
    return;

  CALLGRIND_ZERO_STATS;
  CALLGRIND_TOGGLE_COLLECT;
#endif
}

void
bench_region_end (const char *name,
                  guint64     ops)
{
#ifdef HAVE_VALGRIND
  g_autofree char *trigger = NULL;

  if (!bench_options.callgrind)
    return;

  CALLGRIND_TOGGLE_COLLECT;
  trigger = g_strdup_printf ("bench:%s:%" G_GUINT64_FORMAT, name, ops);
  CALLGRIND_DUMP_STATS_AT (trigger);
#endif

  if (bench_options.callgrind)
    printf ("region: %s ops=%" G_GUINT64_FORMAT "\n", name, ops);
}

void
bench_region_toggle_thread (void)
{
#ifdef HAVE_VALGRIND
  if (bench_options.callgrind)
    CALLGRIND_TOGGLE_COLLECT;
#endif
}

gsize
bench_heap_in_use (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return info.uordblks + info.hblkhd;
}

void
bench_run_until (GMainContext *context,
                 gboolean     *flag)
{
  while (!*flag)
    g_main_context_iteration (context, TRUE);
}

void
bench_report (const char *bench,
              const char *variant,
              const char *metric,
              double      value)
{
  printf ("result: bench=%s variant=%s metric=%s value=%.6g\n", bench, variant, metric, value);
}

void
bench_report_pair (const char *bench,
                   const char *metric,
                   double     *baseline,
                   double     *ours,
                   guint       n_samples)
{
  double b = bench_median (baseline, n_samples);
  double o = bench_median (ours, n_samples);

  bench_report (bench, "baseline", metric, b);
  bench_report (bench, "ours", metric, o);
  bench_report (bench, "ratio", metric, b > 0 ? o / b : 0);
}

void
bench_compare (const char   *bench,
               const char   *metric,
               guint64       n,
               BenchRunFunc  run,
               gpointer      user_data)
{
  guint reps = bench_options.reps;
  g_autofree double *baseline = g_new0 (double, reps);
  g_autofree double *ours = g_new0 (double, reps);
  g_autofree char *baseline_region = g_strconcat (bench, "-baseline", NULL);
  g_autofree char *ours_region = g_strconcat (bench, "-ours", NULL);

  /* warm up: types, quarks, lazy bindings */
  run (FALSE, MIN (n, 100), NULL, user_data);
  run (TRUE, MIN (n, 100), NULL, user_data);

  for (guint i = 0; i < reps; i++)
    {
      baseline[i] = run (FALSE, n, i == 0 ? baseline_region : NULL, user_data);
      ours[i] = run (TRUE, n, i == 0 ? ours_region : NULL, user_data);
    }

  bench_report_pair (bench, metric, baseline, ours, reps);
}
