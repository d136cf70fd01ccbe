/* test-condition.c — accessors grouped by a shared CsCondition
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <codestare.h>

#include "cs-test-util.h"

#define TEST_TIMEOUT_SECONDS 10

/* What a predicate looks at besides the value it is given. */
typedef struct
{
  CsAccessor *other;      /* (nullable): an accessor of the group */
  gint        threshold;
  gboolean    flag;
  guint       n_calls;
} Watch;

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

/* Matches once the other accessor of the group reaches the threshold. */
static gboolean
other_reached_threshold (const GValue  *value,
                         gpointer       user_data,
                         GError       **error)
{
  Watch *watch = user_data;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  watch->n_calls++;

  return cs_test_dup_int (watch->other) >= watch->threshold;
}

/* Matches once the flag (a plain C variable) is set. */
static gboolean
flag_is_set (const GValue  *value,
             gpointer       user_data,
             GError       **error)
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
  CsTestResult reader = { 0, };
  guint n_calls;

  watch.other = a;
  watch.threshold = 10;
  predicate = cs_predicate_new (other_reached_threshold, &watch, NULL);

  cs_test_assert_set_int (b, 7);
  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  /* Below the threshold: re-checked, still pending. */
  n_calls = watch.n_calls;
  cs_test_assert_set_int (a, 5);
  cs_test_drain ();
  g_assert_cmpuint (watch.n_calls, >, n_calls);
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  cs_test_assert_set_int (a, 10);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader, 7);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (a), ==, 2);
  g_assert_cmpuint (cs_accessor_get_generation (b), ==, 1);

  cs_test_result_clear (&reader);
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
  CsTestResult reader = { 0, };

  predicate = cs_predicate_new (flag_is_set, &watch, NULL);
  cs_test_assert_set_int (b, 42);

  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);

  /* Nobody told the group yet. */
  watch.flag = TRUE;
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  cs_condition_notify_all (condition);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader, 42);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (b), ==, 1);

  cs_test_result_clear (&reader);
}

/* notify_all with the predicate still false leaves the reader pending. */
static void
test_notify_all_false (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  g_autoptr(CsPredicate) predicate = NULL;
  Watch watch = { 0, };
  CsTestResult reader = { 0, };
  guint n_calls;

  predicate = cs_predicate_new (flag_is_set, &watch, NULL);
  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);

  n_calls = watch.n_calls;
  cs_condition_notify_all (condition);
  cs_test_drain ();
  g_assert_cmpuint (watch.n_calls, >, n_calls);
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  /* A write to B re-checks it too. */
  watch.flag = TRUE;
  cs_test_assert_set_int (b, -3);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader, -3);

  cs_test_result_clear (&reader);
}

/* A default read waits for a write to its own accessor: writes to the rest of
 * the group and group notifications do not wake it. */
static void
test_default_read_ignores_group (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) a = int_accessor_new ("a", condition);
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  CsTestResult reader = { 0, };

  cs_accessor_get_async (b, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);

  cs_test_assert_set_int (a, 1);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);

  cs_condition_notify_all (condition);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);

  cs_test_assert_set_int (a, 2);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (b), ==, 0);

  cs_test_assert_set_int (b, 9);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader, 9);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 0);

  cs_test_result_clear (&reader);
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
  CsTestResult reader = { 0, };
  CsTestResult default_reader = { 0, };
  guint n_calls;

  watch.other = a;
  watch.threshold = 1;
  predicate = cs_predicate_new (other_reached_threshold, &watch, NULL);

  cs_test_assert_set_int (c, 11);
  cs_accessor_get_async (c, predicate, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  cs_accessor_get_async (c, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &default_reader);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (c), ==, 2);

  /* A is in another group: its write and its group's notification do not
   * re-check C's reader, though its predicate would now match. */
  n_calls = watch.n_calls;
  cs_test_assert_set_int (a, 1);
  cs_test_drain ();
  cs_condition_notify_all (condition1);
  cs_test_drain ();
  g_assert_cmpuint (watch.n_calls, ==, n_calls);
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (default_reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (c), ==, 2);

  /* C's own group does. */
  cs_condition_notify_all (condition2);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader, 11);
  cs_test_drain ();
  g_assert_cmpuint (default_reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (c), ==, 1);

  cs_test_assert_set_int (c, 12);
  cs_test_run_until (&default_reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&default_reader, 12);

  cs_test_result_clear (&reader);
  cs_test_result_clear (&default_reader);
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
  CsTestResult reader = { 0, };

  predicate = cs_predicate_new (flag_is_set, &watch, NULL);
  cs_test_assert_set_int (b, 1);

  /* The current value would match: WAIT_FOR_WRITE ignores it. */
  watch.flag = TRUE;
  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_WAIT_FOR_WRITE, NULL,
                         cs_test_get_done, &reader);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);

  cs_condition_notify_all (condition);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);

  cs_test_assert_set_int (a, 5);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 1);

  cs_test_assert_set_int (b, 2);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader, 2);
  cs_test_result_clear (&reader);

  /* After a write that did not match, a notification re-checks it. */
  watch.flag = FALSE;
  cs_accessor_get_async (b, predicate, CS_GET_FLAGS_WAIT_FOR_WRITE, NULL,
                         cs_test_get_done, &reader);
  cs_test_assert_set_int (b, 3);
  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);

  watch.flag = TRUE;
  cs_condition_notify_all (condition);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader, 3);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (b), ==, 0);
  cs_test_result_clear (&reader);
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
  CsTestResult reader_b = { 0, };
  CsTestResult reader_c = { 0, };

  watch_b.other = a;
  watch_b.threshold = 3;
  watch_c.other = a;
  watch_c.threshold = 4;
  on_b = cs_predicate_new (other_reached_threshold, &watch_b, NULL);
  on_c = cs_predicate_new (other_reached_threshold, &watch_c, NULL);

  cs_test_assert_set_int (b, 20);
  cs_test_assert_set_int (c, 30);
  cs_accessor_get_async (b, on_b, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader_b);
  cs_accessor_get_async (c, on_c, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader_c);

  cs_test_assert_set_int (a, 3);
  cs_test_run_until (&reader_b.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_drain ();
  g_assert_cmpuint (reader_c.done, ==, 0);
  cs_test_assert_result_int (&reader_b, 20);

  cs_test_assert_set_int (a, 4);
  cs_test_run_until (&reader_c.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&reader_c, 30);

  cs_test_result_clear (&reader_b);
  cs_test_result_clear (&reader_c);
}

/* Regressions from the adversarial review {{{ */

/* the most calls after which a livelocked predicate stops notifying, so that
 * the test can end and say so */
#define NOTIFYING_GUARD 50

/* A predicate that never matches and notifies its own group, once armed. */
typedef struct
{
  CsCondition *condition;
  gboolean     armed;
  guint        n_calls;
} Notifier;

static gboolean
notify_own_group (const GValue  *value,
                  gpointer       user_data,
                  GError       **error)
{
  Notifier *notifier = user_data;

  if (notifier->armed)
    {
      notifier->n_calls++;
      if (notifier->n_calls < NOTIFYING_GUARD)
        cs_condition_notify_all (notifier->condition);
    }

  return FALSE;
}

/* Was broken: a predicate calling notify_all on its own group livelocked in the write. */
static void
test_notify_all_from_predicate (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) a = int_accessor_new ("a", condition);
  g_autoptr(CsAccessor) b = int_accessor_new ("b", condition);
  g_autoptr(CsPredicate) predicate = NULL;
  Notifier notifier = { condition, FALSE, 0 };
  CsTestResult reader = { 0, };

  predicate = cs_predicate_new (notify_own_group, &notifier, NULL);
  cs_accessor_get_async (a, predicate, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &reader);
  g_assert_true (cs_test_drain_context (NULL, CS_TEST_DRAIN_ITERATIONS));
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (a), ==, 1);

  notifier.armed = TRUE;
  cs_test_assert_set_int (b, 1);
  g_assert_true (cs_test_drain_context (NULL, CS_TEST_DRAIN_ITERATIONS));
  g_assert_cmpuint (notifier.n_calls, >=, 1);
  g_assert_cmpuint (notifier.n_calls, <=, 3);
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (a), ==, 1);

  notifier.armed = FALSE;
  cs_accessor_close (a);
  cs_test_drain ();
  cs_test_assert_result_error (&reader, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  cs_test_result_clear (&reader);
}

/* Two readers of one accessor: B waits for a flag; A's predicate, at its
 * second check, sets the flag and tells the group. */
typedef struct
{
  CsCondition *condition;
  gboolean     flag;
  guint        a_calls;
} FlagSetter;

static gboolean
waits_for_flag (const GValue  *value,
             gpointer       user_data,
             GError       **error)
{
  FlagSetter *fs = user_data;

  return fs->flag;
}

static gboolean
set_flag_and_notify (const GValue  *value,
                     gpointer       user_data,
                     GError       **error)
{
  FlagSetter *fs = user_data;

  if (fs->a_calls++ == 0)
    return FALSE;

  fs->flag = TRUE;
  cs_condition_notify_all (fs->condition);

  return TRUE;
}

/* Was broken (second review): a predicate's notify_all made while the group
 * was being re-checked was dropped, and a reader checked before it in that
 * round waited for ever ("re-check every predicate waiting in the group"). */
static void
test_notify_all_from_predicate_rechecks_earlier (void)
{
  g_autoptr(CsCondition) condition = cs_condition_new ();
  g_autoptr(CsAccessor) x = int_accessor_new ("x", condition);
  FlagSetter fs = { condition, FALSE, 0 };
  g_autoptr(CsPredicate) waits = cs_predicate_new (waits_for_flag, &fs, NULL);
  g_autoptr(CsPredicate) sets = cs_predicate_new (set_flag_and_notify, &fs, NULL);
  CsTestResult b = { 0 }, a = { 0 };

  cs_accessor_get_async (x, waits, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &b);
  cs_accessor_get_async (x, sets, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &a);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (x), ==, 2);

  cs_condition_notify_all (condition);
  cs_test_drain ();

  g_assert_true (fs.flag);
  cs_test_assert_result_int (&a, 0);
  cs_test_assert_result_int (&b, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (x), ==, 0);

  cs_test_result_clear (&a);
  cs_test_result_clear (&b);
}

/* }}} */

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

  g_test_add_func ("/condition/notify-all-from-predicate", test_notify_all_from_predicate);
  g_test_add_func ("/condition/notify-all-from-predicate-rechecks-earlier",
                   test_notify_all_from_predicate_rechecks_earlier);

  return g_test_run ();
}
