/* bench.h: what the benchmark programs share
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint    reps;       /* wall-time repetitions; the median is reported */
  guint64  n;          /* operations per repetition; 0: the program's default */
  guint64  writes;     /* bench-predicate: writes per size; 0: its default */
  gboolean callgrind;  /* bracket the measured regions for callgrind, one repetition */
} BenchOptions;

extern BenchOptions bench_options;

/* Parses the common options (--reps, --n, --callgrind, …), exiting on error. */
void     bench_init         (int         *argc,
                             char      ***argv,
                             const char  *summary);
guint64  bench_n            (guint64      default_n);
gint64   bench_now_ns       (void);
double   bench_median       (double      *samples,
                             guint        n_samples);

/* A measured region. Under callgrind (--callgrind, and valgrind run with
 * --collect-atstart=no --instr-atstart=no) each region is dumped on its own,
 * named "bench:NAME:OPS", so that instructions per operation can be read from
 * the dump. Otherwise these do nothing. */
void     bench_region_begin (void);
void     bench_region_end   (const char  *name,
                             guint64      ops);

/* Toggles the collection of the calling thread only (callgrind's collection
 * state is per thread): for a region that spans several threads, the other
 * threads call this at its start and its end. */
void     bench_region_toggle_thread (void);

/* Heap in use (mallinfo2: uordblks + hblkhd), in bytes. */
gsize    bench_heap_in_use  (void);

/* Runs @context until *@flag is TRUE. */
void     bench_run_until    (GMainContext *context,
                             gboolean     *flag);

/* One line a figure, easy to read and to parse:
 *   result: bench=NAME variant=VARIANT metric=METRIC value=VALUE */
void     bench_report       (const char  *bench,
                             const char  *variant,
                             const char  *metric,
                             double       value);
/* Reports both medians and their ratio (ours / baseline). */
void     bench_report_pair  (const char  *bench,
                             const char  *metric,
                             double      *baseline,
                             double      *ours,
                             guint        n_samples);

/* Measures @n operations, of the baseline or of ours, bracketing them as the
 * region @region when it is not NULL; returns nanoseconds an operation. */
typedef double (*BenchRunFunc) (gboolean     ours,
                                guint64      n,
                                const char  *region,
                                gpointer     user_data);

/* Warms both up, runs them alternately --reps times (the first repetition
 * bracketed as the regions BENCH-baseline and BENCH-ours) and reports the
 * medians and their ratio as @metric. */
void     bench_compare      (const char  *bench,
                             const char  *metric,
                             guint64      n,
                             BenchRunFunc run,
                             gpointer     user_data);

G_END_DECLS
