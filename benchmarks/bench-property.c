/* bench-property.c: waiting on a condition property through g_object_set()
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A cycle: a reader waits on a condition property (cs_object_get_accessor() and
 * a default get_async), g_object_set() writes it, the callback runs. Baseline:
 * a bare notify::level handler on a plain GObject property, and g_object_set().
 * There is no target: the baseline has no GTask and no main-loop round trip,
 * so this shows what waiting costs on top of a plain property.
 */

#include <codestare.h>

#include "bench.h"

enum { PROP_0, PROP_LEVEL, N_PROPS };

/* Our object: "level" is a condition property. */
#define BENCH_TYPE_THING (bench_thing_get_type ())
G_DECLARE_FINAL_TYPE (BenchThing, bench_thing, BENCH, THING, GObject)

struct _BenchThing
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (BenchThing, bench_thing, G_TYPE_OBJECT)

static void
bench_thing_class_init (BenchThingClass *klass)
{
  cs_object_class_install_condition_property (G_OBJECT_CLASS (klass), PROP_LEVEL,
    g_param_spec_int ("level", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

static void
bench_thing_init (BenchThing *self)
{
}

/* The baseline's object: a plain property. */
#define BENCH_TYPE_PLAIN (bench_plain_get_type ())
G_DECLARE_FINAL_TYPE (BenchPlain, bench_plain, BENCH, PLAIN, GObject)

struct _BenchPlain
{
  GObject parent_instance;
  int     level;
};

G_DEFINE_FINAL_TYPE (BenchPlain, bench_plain, G_TYPE_OBJECT)

static GParamSpec *plain_properties[N_PROPS];

static void
bench_plain_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BenchPlain *self = BENCH_PLAIN (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      g_value_set_int (value, self->level);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bench_plain_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BenchPlain *self = BENCH_PLAIN (object);

  switch (prop_id)
    {
    case PROP_LEVEL:
      if (self->level != g_value_get_int (value))
        {
          self->level = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bench_plain_class_init (BenchPlainClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = bench_plain_get_property;
  object_class->set_property = bench_plain_set_property;

  plain_properties[PROP_LEVEL] =
    g_param_spec_int ("level", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, plain_properties);
}

static void
bench_plain_init (BenchPlain *self)
{
}

typedef struct
{
  GObject *object;
  guint64  count;
  guint64  n;
  gboolean done;
} Cycle;

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  Cycle *cycle = user_data;

  cycle->count++;
}

static void ours_cycle (Cycle *cycle);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Cycle *cycle = user_data;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, NULL);

  g_assert (value != NULL);
  g_boxed_free (G_TYPE_VALUE, value);

  if (++cycle->count == cycle->n)
    cycle->done = TRUE;
  else
    ours_cycle (cycle);
}

static void
ours_cycle (Cycle *cycle)
{
  CsAccessor *accessor = cs_object_get_accessor (cycle->object, "level");

  cs_accessor_get_async (accessor, NULL, CS_GET_FLAGS_NONE, NULL, read_cb, cycle);
  g_object_set (cycle->object, "level", (int) (cycle->count + 1), NULL);
}

/* Returns nanoseconds a cycle. */
static double
run (gboolean    ours,
     guint64     n,
     const char *region,
     gpointer    user_data)
{
  Cycle cycle = { 0, };
  gint64 start, end;

  cycle.n = n;
  cycle.object = g_object_new (ours ? BENCH_TYPE_THING : BENCH_TYPE_PLAIN, NULL);
  if (ours)
    cs_object_get_accessor (cycle.object, "level");
  else
    g_signal_connect (cycle.object, "notify::level", G_CALLBACK (notify_cb), &cycle);

  if (region != NULL)
    bench_region_begin ();
  start = bench_now_ns ();

  if (ours)
    {
      ours_cycle (&cycle);
      bench_run_until (NULL, &cycle.done);
    }
  else
    {
      for (guint64 i = 0; i < n; i++)
        g_object_set (cycle.object, "level", (int) (i + 1), NULL);
      g_assert (cycle.count == n);
    }

  end = bench_now_ns ();
  if (region != NULL)
    bench_region_end (region, n);

  g_object_unref (cycle.object);

  return (double) (end - start) / (double) n;
}

int
main (int   argc,
      char *argv[])
{
  guint64 n;

  bench_init (&argc, &argv,
              "Condition property: a reader waiting on a property through\n"
              "g_object_set(), against a bare notify handler.");
  n = bench_n (bench_options.callgrind ? 20000 : 100000);

  g_print ("condition property, %" G_GUINT64_FORMAT " cycles, median of %u:\n",
           n, bench_options.reps);
  bench_compare ("property", "ns_per_cycle", n, run, NULL);

  return 0;
}
