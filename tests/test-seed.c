/* test-seed.c — the two examples of the seed's documentation, in C
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <codestare.h>

#include "cs-test-util.h"

#define TEST_TIMEOUT_SECONDS 10

/* The seed's `wait_for_write`: `print (await accessor_.get ())`, as the hook of
 * the reader's CsTestResult. */
static void
print_value (CsAccessor   *acc G_GNUC_UNUSED,
             CsTestResult *result)
{
  if (result->value != NULL)
    {
      g_autofree char *text = g_strdup_value_contents (result->value);

      g_test_message ("reader got %s", text);
    }
}

/*
 * >>> foo = accessor()
 * >>> background = asyncio.create_task(wait_for_write(foo))
 * >>> await foo.set("Bar")
 * Bar
 */
static void
test_simple (void)
{
  g_autoptr(CsAccessor) foo = cs_accessor_new (G_TYPE_STRING);
  g_auto(GValue) bar = G_VALUE_INIT;
  CsTestResult reader = { .hook = print_value };
  CsTestResult writer = { 0, };

  cs_accessor_get_async (foo, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (foo), ==, 1);
  g_assert_true (cs_accessor_has_waiting_read (foo));

  /* Nothing was written yet: the reader waits. */
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (foo), ==, 0);

  g_value_init (&bar, G_TYPE_STRING);
  g_value_set_static_string (&bar, "Bar");
  cs_accessor_set_async (foo, &bar, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &writer);

  cs_test_run_until (&writer.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_ok (&writer);
  cs_test_assert_result_ok (&reader);
  g_assert_nonnull (reader.value);
  g_assert_true (G_VALUE_HOLDS_STRING (reader.value));
  g_assert_cmpstr (g_value_get_string (reader.value), ==, "Bar");
  g_assert_cmpuint (cs_accessor_get_generation (foo), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (foo), ==, 0);
  g_assert_false (cs_accessor_has_waiting_read (foo));

  cs_test_result_clear (&reader);
  cs_test_result_clear (&writer);
}

/* The same with the synchronous set, which never blocks without WAIT_FOR_READ. */
static void
test_simple_sync_set (void)
{
  g_autoptr(CsAccessor) foo = cs_accessor_new (G_TYPE_STRING);
  g_autoptr(GError) error = NULL;
  g_auto(GValue) bar = G_VALUE_INIT;
  CsTestResult reader = { .hook = print_value };

  cs_accessor_get_async (foo, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);

  g_value_init (&bar, G_TYPE_STRING);
  g_value_set_static_string (&bar, "Bar");
  g_assert_true (cs_accessor_set (foo, &bar, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  /* Changing the caller's value afterwards does not change what was written. */
  g_value_set_static_string (&bar, "Baz");

  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_ok (&reader);
  g_assert_cmpstr (g_value_get_string (reader.value), ==, "Bar");

  cs_test_result_clear (&reader);
}

/* The seed's Thing: a plain value whose setter rejects falsy values. */

#define THING_ERROR (thing_error_quark ())

typedef enum
{
  THING_ERROR_ILLEGAL_VALUE = 7,
} ThingError;

static GQuark thing_error_quark (void);
G_DEFINE_QUARK (test-thing-error-quark, thing_error)

typedef struct
{
  gint  value;
  guint n_reads;
  guint n_writes;
  guint n_freed;
} Thing;

static gint
thing_get_value (Thing *thing)
{
  return thing->value;
}

static gboolean
thing_set_value (Thing   *thing,
                 gint     value,
                 GError **error)
{
  if (!value)
    {
      g_set_error (error, THING_ERROR, THING_ERROR_ILLEGAL_VALUE, "Illegal value %d", value);
      return FALSE;
    }

  thing->value = value;
  return TRUE;
}

/* BetterThing: the same getter and setter, behind an accessor. */

static void
thing_read (GValue   *value,
            gpointer  user_data)
{
  Thing *thing = user_data;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  thing->n_reads++;
  g_value_set_int (value, thing_get_value (thing));
}

static gboolean
thing_write (const GValue  *value,
             gpointer       user_data,
             GError       **error)
{
  Thing *thing = user_data;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  thing->n_writes++;
  return thing_set_value (thing, g_value_get_int (value), error);
}

static void
thing_destroy (gpointer user_data)
{
  Thing *thing = user_data;

  thing->n_freed++;
}

/*
 * >>> thing = Thing()
 * >>> thing.value = 3
 * >>> thing.value
 * 3
 * >>> thing.value = 0
 * ValueError: Illegal value 0
 */
static void
test_thing (void)
{
  Thing thing = { 0, };
  g_autoptr(GError) error = NULL;

  g_assert_true (thing_set_value (&thing, 3, &error));
  g_assert_no_error (error);
  g_assert_cmpint (thing_get_value (&thing), ==, 3);

  g_assert_false (thing_set_value (&thing, 0, &error));
  g_assert_error (error, THING_ERROR, THING_ERROR_ILLEGAL_VALUE);
  g_assert_cmpstr (error->message, ==, "Illegal value 0");
  g_assert_cmpint (thing_get_value (&thing), ==, 3);
}

/*
 * >>> better_thing = BetterThing()
 * >>> background = asyncio.create_task(wait_for_write(better_thing.value_accessor))
 * >>> await better_thing.value_accessor.set(3)
 * 3
 * >>> better_thing.value
 * 3
 * >>> await better_thing.value_accessor.set(0)
 * ValueError: Illegal value 0
 */
static void
test_better_thing (void)
{
  Thing thing = { 0, };
  CsAccessor *accessor;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  CsTestResult reader = { .hook = print_value };
  CsTestResult writer = { 0, };
  guint n_writes;

  accessor = cs_accessor_new_full (G_TYPE_INT, "better-thing-value", NULL,
                                   thing_read, thing_write, &thing, thing_destroy);
  g_assert_true (CS_IS_ACCESSOR (accessor));
  g_assert_cmpstr (cs_accessor_get_name (accessor), ==, "better-thing-value");
  g_assert_cmpuint (cs_accessor_get_value_type (accessor), ==, G_TYPE_INT);
  g_assert_nonnull (cs_accessor_get_condition (accessor));

  /* The background reader waits for the next write. */
  cs_accessor_get_async (accessor, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (accessor), ==, 1);

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 3);
  cs_accessor_set_async (accessor, &value, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &writer);
  cs_test_run_until (&writer.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_ok (&writer);
  cs_test_assert_result_int (&reader, 3);
  g_assert_cmpint (thing.value, ==, 3);
  g_assert_cmpint (cs_test_dup_int (accessor), ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (accessor), ==, 1);
  g_assert_cmpuint (thing.n_writes, ==, 1);
  g_assert_cmpuint (thing.n_reads, >=, 1);
  cs_test_result_clear (&reader);
  cs_test_result_clear (&writer);

  /* A rejected write: the setter's error reaches the caller unchanged, and
   * nothing changes — not the value, the generation, nor a pending reader. */
  cs_accessor_get_async (accessor, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (accessor), ==, 1);

  g_value_set_int (&value, 0);
  g_assert_false (cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, THING_ERROR, THING_ERROR_ILLEGAL_VALUE);
  g_assert_cmpstr (error->message, ==, "Illegal value 0");
  g_clear_error (&error);
  g_assert_cmpuint (thing.n_writes, ==, 2);

  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpint (thing.value, ==, 3);
  g_assert_cmpint (cs_test_dup_int (accessor), ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (accessor), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (accessor), ==, 1);

  /* The same through the async setter, as the seed's `await ….set(0)`. */
  cs_accessor_set_async (accessor, &value, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &writer);
  cs_test_run_until (&writer.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_error (&writer, THING_ERROR, THING_ERROR_ILLEGAL_VALUE);
  g_assert_cmpstr (writer.error->message, ==, "Illegal value 0");
  cs_test_result_clear (&writer);

  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpint (thing.value, ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (accessor), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (accessor), ==, 1);

  /* The reader still gets the next good value, not the rejected one. */
  n_writes = thing.n_writes;
  g_value_set_int (&value, 5);
  g_assert_true (cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (thing.n_writes, ==, n_writes + 1);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader, 5);
  g_assert_cmpint (thing.value, ==, 5);
  g_assert_cmpuint (cs_accessor_get_generation (accessor), ==, 2);
  cs_test_result_clear (&reader);

  cs_test_drain ();
  g_assert_cmpuint (thing.n_freed, ==, 0);
  g_object_unref (accessor);
  g_assert_cmpuint (thing.n_freed, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/seed/accessor/simple", test_simple);
  g_test_add_func ("/seed/accessor/simple-sync-set", test_simple_sync_set);
  g_test_add_func ("/seed/accessor/thing", test_thing);
  g_test_add_func ("/seed/accessor/better-thing", test_better_thing);

  return g_test_run ();
}
