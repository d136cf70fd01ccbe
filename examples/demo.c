/* demo.c — codestare in one page
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Part 1: a thermostat. A sensor writes a temperature every 100 ms into a
 * CsAccessor; one reader waits for "temperature >= 30" (a predicate), another
 * simply waits for the next reading.
 *
 * Part 2: a handoff. A producer queues three parcels with
 * CS_SET_FLAGS_WAIT_FOR_READ: each is delivered only while the consumer is
 * reading, so none is overwritten before it was seen.
 */

#include <stdlib.h>

#include <codestare.h>

static const double readings[] = { 22.0, 27.5, 31.0, 35.5 };
static const char * const parcels[] = { "apple", "banana", "cherry" };

typedef struct
{
  GMainLoop  *loop;
  CsAccessor *temperature;  /* a gdouble */
  CsAccessor *mailbox;      /* a string */
  guint       n_readings;
  guint       n_received;
  guint       n_pending;    /* reads and writes not completed yet */
} Demo;

static void start_handoff (Demo *demo);

/* Part 1: the thermostat */

static gboolean
is_hot (const GValue  *value,
        gpointer       user_data,
        GError       **error)
{
  return g_value_get_double (value) >= 30.0;
}

static void
on_hot (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Demo *demo = user_data;
  g_autoptr(GError) error = NULL;
  GValue *value;

  value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);
  if (value == NULL)
    g_error ("alarm: %s", error->message);

  g_print ("  alarm:  it is hot: %.1f C\n", g_value_get_double (value));
  g_boxed_free (G_TYPE_VALUE, value);

  demo->n_pending--;
}

static void
on_next_reading (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Demo *demo = user_data;
  g_autoptr(GError) error = NULL;
  GValue *value;

  value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);
  if (value == NULL)
    g_error ("display: %s", error->message);

  g_print ("  display: the next reading was %.1f C\n", g_value_get_double (value));
  g_boxed_free (G_TYPE_VALUE, value);

  demo->n_pending--;
}

static gboolean
sensor_tick (gpointer user_data)
{
  Demo *demo = user_data;
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (demo->n_readings == G_N_ELEMENTS (readings))
    {
      start_handoff (demo);
      return G_SOURCE_REMOVE;
    }

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, readings[demo->n_readings++]);
  g_print ("sensor: %.1f C\n", g_value_get_double (&value));

  /* A plain write is applied at once; waiting readers see it. */
  if (!cs_accessor_set (demo->temperature, &value, CS_SET_FLAGS_NONE, NULL, &error))
    g_error ("sensor: %s", error->message);

  return G_SOURCE_CONTINUE;
}

static void
start_thermostat (Demo *demo)
{
  g_autoptr(CsPredicate) hot = cs_predicate_new (is_hot, NULL, NULL);

  g_print ("== thermostat ==\n");

  g_print ("alarm: waiting for temperature >= 30 C\n");
  cs_accessor_get_async (demo->temperature, hot, CS_GET_FLAGS_NONE, NULL, on_hot, demo);
  demo->n_pending++;

  g_print ("display: waiting for the next reading\n");
  cs_accessor_get_async (demo->temperature, NULL, CS_GET_FLAGS_NONE, NULL,
                         on_next_reading, demo);
  demo->n_pending++;

  g_print ("(%u readers waiting)\n", cs_accessor_get_n_waiting_reads (demo->temperature));

  g_timeout_add (100, sensor_tick, demo);
}

/* Part 2: the handoff */

static void
maybe_quit (Demo *demo)
{
  if (demo->n_pending == 0 && demo->n_received == G_N_ELEMENTS (parcels))
    {
      g_print ("done\n");
      g_main_loop_quit (demo->loop);
    }
}

typedef struct
{
  Demo       *demo;
  const char *name;
} Parcel;

static void
on_delivered (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autofree Parcel *parcel = user_data;
  g_autoptr(GError) error = NULL;

  if (!cs_accessor_set_finish (CS_ACCESSOR (source), result, &error))
    g_error ("producer: %s", error->message);

  g_print ("  producer: \"%s\" was taken\n", parcel->name);
  parcel->demo->n_pending--;
  maybe_quit (parcel->demo);
}

static void consume_one (Demo *demo);

static void
on_received (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Demo *demo = user_data;
  g_autoptr(GError) error = NULL;
  GValue *value;

  value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);
  if (value == NULL)
    g_error ("consumer: %s", error->message);

  g_print ("  consumer: got \"%s\"\n", g_value_get_string (value));
  g_boxed_free (G_TYPE_VALUE, value);
  demo->n_received++;
  demo->n_pending--;

  /* Reading again lets the next queued parcel in. */
  if (demo->n_received < G_N_ELEMENTS (parcels))
    consume_one (demo);

  maybe_quit (demo);
}

static void
consume_one (Demo *demo)
{
  g_print ("consumer: reading\n");
  cs_accessor_get_async (demo->mailbox, NULL, CS_GET_FLAGS_NONE, NULL, on_received, demo);
  demo->n_pending++;
}

static gboolean
consumer_arrives (gpointer user_data)
{
  Demo *demo = user_data;

  consume_one (demo);

  return G_SOURCE_REMOVE;
}

static void
start_handoff (Demo *demo)
{
  guint i;

  g_print ("\n== handoff ==\n");

  for (i = 0; i < G_N_ELEMENTS (parcels); i++)
    {
      g_auto(GValue) value = G_VALUE_INIT;
      Parcel *parcel = g_new0 (Parcel, 1);

      parcel->demo = demo;
      parcel->name = parcels[i];
      g_value_init (&value, G_TYPE_STRING);
      g_value_set_static_string (&value, parcels[i]);

      /* Not applied until someone reads; the three go one at a time, in order. */
      g_print ("producer: queueing \"%s\"\n", parcels[i]);
      cs_accessor_set_async (demo->mailbox, &value, CS_SET_FLAGS_WAIT_FOR_READ, NULL,
                             on_delivered, parcel);
      demo->n_pending++;
    }

  g_print ("(nobody reads yet: the mailbox has had %" G_GUINT64_FORMAT " writes)\n",
           cs_accessor_get_generation (demo->mailbox));

  g_timeout_add (100, consumer_arrives, demo);
}

/* A safety net: a demo should never hang, whatever goes wrong. */
static gboolean
give_up (gpointer user_data)
{
  g_printerr ("demo: gave up after 10 s\n");
  exit (EXIT_FAILURE);
}

int
main (int   argc,
      char *argv[])
{
  Demo demo = { 0, };
  guint safety_net;

  demo.loop = g_main_loop_new (NULL, FALSE);
  demo.temperature = cs_accessor_new (G_TYPE_DOUBLE);
  demo.mailbox = cs_accessor_new (G_TYPE_STRING);

  safety_net = g_timeout_add_seconds (10, give_up, NULL);
  start_thermostat (&demo);
  g_main_loop_run (demo.loop);
  g_source_remove (safety_net);

  g_clear_object (&demo.temperature);
  g_clear_object (&demo.mailbox);
  g_main_loop_unref (demo.loop);

  return 0;
}
