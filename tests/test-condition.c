/* test-condition.c — accessors grouped by a shared CsCondition
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <codestare.h>

#define TEST_TIMEOUT_SECONDS 10

typedef struct
{
  gboolean  done;
  GValue   *value;
  GError   *error;
} Result;

/* What a predicate looks at besides the value it is given. */
typedef struct
{
  CsAccessor *other;      /* (nullable): an accessor of the group */
  gint        threshold;
  gboolean    flag;
  guint       n_calls;
} Watch;

static gboolean
on_timeout (gpointer user_data)
{
  g_error ("%s: timed out", (const char *) user_data);
  return G_SOURCE_REMOVE;
}

static void
wait_until (const gboolean *flag)
{
  guint id = g_timeout_add_seconds (TEST_TIMEOUT_SECONDS, on_timeout, (gpointer) G_STRFUNC);

  while (!*flag)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (id);
}

/* Runs whatever is ready, so that a reader that should stay pending had every
 * chance to complete. */
static void
drain_main_context (void)
{
  guint i;

  for (i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static void
value_free (GValue *value)
{
  g_boxed_free (G_TYPE_VALUE, value);
}

static void
result_clear (Result *result)
{
  g_clear_pointer (&result->value, value_free);
  g_clear_error (&result->error);
  result->done = FALSE;
}

static void
get_done (GObject      *object,
          GAsyncResult *res,
          gpointer      user_data)
{
  Result *result = user_data;

  g_assert_false (result->done);
  result->value = cs_accessor_get_finish (CS_ACCESSOR (object), res, &result->error);
  g_assert_true ((result->value == NULL) != (result->error == NULL));
  result->done = TRUE;
}

static CsAccessor *
int_accessor_new (const char  *name,
                  CsCondition *condition)
{
  return g_object_new (CS_TYPE_ACCESSOR,
                       "value-type", G_TYPE_INT,
                       "name", name,
                       "condition", condition,
                       NULL);
}

static void
accessor_set_int (CsAccessor *accessor,
                  gint        i)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, i);
  g_assert_true (cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
}

static gint
accessor_get_int (CsAccessor *accessor)
{
  GValue *value = cs_accessor_dup_value (accessor);
  gint ret;

  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_INT (value));
  ret = g_value_get_int (value);
  value_free (value);

  return ret;
}

static gint
result_get_int (const Result *result)
{
  g_assert_true (result->done);
  g_assert_no_error (result->error);
  g_assert_nonnull (result->value);
  g_assert_true (G_VALUE_HOLDS_INT (result->value));

  return g_value_get_int (result->value);
}

/* Matches once the other accessor of the group reaches the threshold. */
static gboolean
other_reached_threshold (const GValue *value,
                         gpointer      user_data)
{
  Watch *watch = user_data;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  watch->n_calls++;

  return accessor_get_int (watch->other) >= watch->threshold;
}

/* Matches once the flag (a plain C variable) is set. */
static gboolean
flag_is_set (const GValue *value,
             gpointer      user_data)
{
  Watch *watch = user_data;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  watch->n_calls++;

  return watch->flag;
}

static void
test_condition_property (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsCondition) from_property = NULL;
  g_autoptr(CsAccessor) a = int_accessor_new ("a", condition);
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  g_autoptr(CsAccessor) alone = cs_accessor_new (G_TYPE_INT);
  g_autoptr(CsAccessor) alone2 = cs_accessor_new (G_TYPE_INT);

  g_assert_true (CS_IS_CONDITION (condition));
  g_assert_true (cs_accessor_get_condition (a) == condition);
  g_assert_true (cs_accessor_get_condition (b) == condition);
  g_object_get (a, "condition", &from_property, NULL);
  g_assert_true (from_property == condition);
  g_assert_cmpstr (cs_accessor_get_name (a), ==, "a");
  g_assert_cmpuint (cs_accessor_get_value_type (b), ==, G_TYPE_INT);

  /* Without one, every accessor gets a condition of its own. */
  g_assert_true (CS_IS_CONDITION (cs_accessor_get_condition (alone)));
  g_assert_true (CS_IS_CONDITION (cs_accessor_get_condition (alone2)));
  g_assert_true (cs_accessor_get_condition (alone) != cs_accessor_get_condition (alone2));
  g_assert_true (cs_accessor_get_condition (alone) != condition);
}

/* A write to A re-checks a predicate waiting on B, and the reader receives B's
 * value, not A's. */
static void
test_write_rechecks_group (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) a = int_accessor_new ("a", condition);
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  g_autoptr(CsPredicate) predicate = NULL;
  Watch watch = { 0, };
  Result reader = { 0, };
  guint n_calls;

  watch.other = a;
  watch.threshold = 10;
  predicate = cs_predicate_new (other_reached_threshold, &watch, NULL);

  accessor_set_int (b, 7);
  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_NONE, NULL, get_done, &reader);
  drain_main_context ();
  g_assert_false (reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  /* Below the threshold: re-checked, still pending. */
  n_calls = watch.n_calls;
  accessor_set_int (a, 5);
  drain_main_context ();
  g_assert_cmpuint (watch.n_calls, >, n_calls);
  g_assert_false (reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  accessor_set_int (a, 10);
  wait_until (&reader.done);
  g_assert_cmpint (result_get_int (&reader), ==, 7);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (a), ==, 2);
  g_assert_cmpuint (cs_accessor_get_generation (b), ==, 1);

  result_clear (&reader);
}

/* cs_condition_notify_all re-checks predicates that look at something outside
 * any accessor. */
static void
test_notify_all (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  g_autoptr(CsPredicate) predicate = NULL;
  Watch watch = { 0, };
  Result reader = { 0, };

  predicate = cs_predicate_new (flag_is_set, &watch, NULL);
  accessor_set_int (b, 42);

  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_NONE, NULL, get_done, &reader);
  drain_main_context ();
  g_assert_false (reader.done);

  /* Nobody told the group yet. */
  watch.flag = TRUE;
  drain_main_context ();
  g_assert_false (reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  cs_condition_notify_all (condition);
  wait_until (&reader.done);
  g_assert_cmpint (result_get_int (&reader), ==, 42);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (b), ==, 1);

  result_clear (&reader);
}

/* notify_all with the predicate still false leaves the reader pending. */
static void
test_notify_all_false (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  g_autoptr(CsPredicate) predicate = NULL;
  Watch watch = { 0, };
  Result reader = { 0, };
  guint n_calls;

  predicate = cs_predicate_new (flag_is_set, &watch, NULL);
  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_NONE, NULL, get_done, &reader);

  n_calls = watch.n_calls;
  cs_condition_notify_all (condition);
  drain_main_context ();
  g_assert_cmpuint (watch.n_calls, >, n_calls);
  g_assert_false (reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  /* A write to B re-checks it too. */
  watch.flag = TRUE;
  accessor_set_int (b, -3);
  wait_until (&reader.done);
  g_assert_cmpint (result_get_int (&reader), ==, -3);

  result_clear (&reader);
}

/* A default read waits for a write to its own accessor: writes to the rest of
 * the group and group notifications do not wake it. */
static void
test_default_read_ignores_group (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) a = int_accessor_new ("a", condition);
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  Result reader = { 0, };

  cs_accessor_get_async (b, NULL, CS_GET_FLAGS_NONE, NULL, get_done, &reader);

  accessor_set_int (a, 1);
  drain_main_context ();
  g_assert_false (reader.done);

  cs_condition_notify_all (condition);
  drain_main_context ();
  g_assert_false (reader.done);

  accessor_set_int (a, 2);
  drain_main_context ();
  g_assert_false (reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (b), ==, 0);

  accessor_set_int (b, 9);
  wait_until (&reader.done);
  g_assert_cmpint (result_get_int (&reader), ==, 9);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 0);

  result_clear (&reader);
}

/* Accessors with different conditions do not affect each other. */
static void
test_separate_conditions (void)
{
  g_autoptr(CsCondition) condition1 = cs_condition_new ();
  g_autoptr(CsCondition) condition2 = cs_condition_new ();
  g_autoptr(CsAccessor) a = int_accessor_new ("a", condition1);
  g_autoptr(CsAccessor) c = int_accessor_new ("c", condition2);
  g_autoptr(CsPredicate) predicate = NULL;
  Watch watch = { 0, };
  Result reader = { 0, };
  Result default_reader = { 0, };
  guint n_calls;

  watch.other = a;
  watch.threshold = 1;
  predicate = cs_predicate_new (other_reached_threshold, &watch, NULL);

  accessor_set_int (c, 11);
  cs_accessor_get_async (c, predicate, CS_GET_FLAGS_NONE, NULL, get_done, &reader);
  cs_accessor_get_async (c, NULL, CS_GET_FLAGS_NONE, NULL, get_done, &default_reader);
  drain_main_context ();
  g_assert_false (reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (c), ==, 2);

  /* A is in another group: its write and its group's notification do not
   * re-check C's reader, though its predicate would now match. */
  n_calls = watch.n_calls;
  accessor_set_int (a, 1);
  drain_main_context ();
  cs_condition_notify_all (condition1);
  drain_main_context ();
  g_assert_cmpuint (watch.n_calls, ==, n_calls);
  g_assert_false (reader.done);
  g_assert_false (default_reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (c), ==, 2);

  /* C's own group does. */
  cs_condition_notify_all (condition2);
  wait_until (&reader.done);
  g_assert_cmpint (result_get_int (&reader), ==, 11);
  drain_main_context ();
  g_assert_false (default_reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (c), ==, 1);

  accessor_set_int (c, 12);
  wait_until (&default_reader.done);
  g_assert_cmpint (result_get_int (&default_reader), ==, 12);

  result_clear (&reader);
  result_clear (&default_reader);
}

/* WAIT_FOR_WRITE + predicate: group notifications do not complete it before
 * the first write to its own accessor; after one, they do re-check it. */
static void
test_wait_for_write_needs_own_write (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) a = int_accessor_new ("a", condition);
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  g_autoptr(CsPredicate) predicate = NULL;
  Watch watch = { 0, };
  Result reader = { 0, };

  predicate = cs_predicate_new (flag_is_set, &watch, NULL);
  accessor_set_int (b, 1);

  /* The current value would match: WAIT_FOR_WRITE ignores it. */
  watch.flag = TRUE;
  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_WAIT_FOR_WRITE, NULL, get_done, &reader);
  drain_main_context ();
  g_assert_false (reader.done);

  cs_condition_notify_all (condition);
  drain_main_context ();
  g_assert_false (reader.done);

  accessor_set_int (a, 5);
  drain_main_context ();
  g_assert_false (reader.done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  accessor_set_int (b, 2);
  wait_until (&reader.done);
  g_assert_cmpint (result_get_int (&reader), ==, 2);
  result_clear (&reader);

  /* After a write that did not match, a notification re-checks it. */
  watch.flag = FALSE;
  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_WAIT_FOR_WRITE, NULL, get_done, &reader);
  accessor_set_int (b, 3);
  drain_main_context ();
  g_assert_false (reader.done);

  watch.flag = TRUE;
  cs_condition_notify_all (condition);
  wait_until (&reader.done);
  g_assert_cmpint (result_get_int (&reader), ==, 3);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 0);
  result_clear (&reader);
}

/* One write re-checks the readers of every accessor of the group. */
static void
test_group_of_three (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) a = int_accessor_new ("a", condition);
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  g_autoptr(CsAccessor) c = int_accessor_new ("c", condition);
  g_autoptr(CsPredicate) on_b = NULL;
  g_autoptr(CsPredicate) on_c = NULL;
  Watch watch_b = { 0, };
  Watch watch_c = { 0, };
  Result reader_b = { 0, };
  Result reader_c = { 0, };

  watch_b.other = a;
  watch_b.threshold = 3;
  watch_c.other = a;
  watch_c.threshold = 4;
  on_b = cs_predicate_new (other_reached_threshold, &watch_b, NULL);
  on_c = cs_predicate_new (other_reached_threshold, &watch_c, NULL);

  accessor_set_int (b, 20);
  accessor_set_int (c, 30);
  cs_accessor_get_async (b, on_b, CS_GET_FLAGS_NONE, NULL, get_done, &reader_b);
  cs_accessor_get_async (c, on_c, CS_GET_FLAGS_NONE, NULL, get_done, &reader_c);

  accessor_set_int (a, 3);
  wait_until (&reader_b.done);
  drain_main_context ();
  g_assert_false (reader_c.done);
  g_assert_cmpint (result_get_int (&reader_b), ==, 20);

  accessor_set_int (a, 4);
  wait_until (&reader_c.done);
  g_assert_cmpint (result_get_int (&reader_c), ==, 30);

  result_clear (&reader_b);
  result_clear (&reader_c);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/condition/property", test_condition_property);
  g_test_add_func ("/condition/write-rechecks-group", test_write_rechecks_group);
  g_test_add_func ("/condition/notify-all", test_notify_all);
  g_test_add_func ("/condition/notify-all-false", test_notify_all_false);
  g_test_add_func ("/condition/default-read-ignores-group", test_default_read_ignores_group);
  g_test_add_func ("/condition/separate-conditions", test_separate_conditions);
  g_test_add_func ("/condition/wait-for-write-needs-own-write",
                   test_wait_for_write_needs_own_write);
  g_test_add_func ("/condition/group-of-three", test_group_of_three);

  return g_test_run ();
}
