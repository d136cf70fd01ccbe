/* test-predicate.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <codestare.h>

#include "cs-test-util.h"

#define TEST_TIMEOUT_SECONDS 10

typedef struct
{
  guint    n_calls;
  guint    n_destroyed;
  gint     last_value;
  gboolean answer;
} FuncData;

static gboolean
int_func (const GValue *value,
          gpointer      user_data)
{
  FuncData *data = user_data;

  g_assert_true (G_VALUE_HOLDS_INT (value));
  data->n_calls++;
  data->last_value = g_value_get_int (value);

  return data->answer;
}

static void
func_data_destroy (gpointer user_data)
{
  FuncData *data = user_data;

  data->n_destroyed++;
}

static CsPredicate *
equal_int (gint     i,
           gboolean equal)
{
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, i);

  return equal ? cs_predicate_new_equal (&value) : cs_predicate_new_not_equal (&value);
}

static gboolean
evaluate_int (CsPredicate *predicate,
              gint         i)
{
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, i);

  return cs_predicate_evaluate (predicate, &value);
}

static void
test_custom_func (void)
{
  FuncData data = { 0, };
  CsPredicate *predicate;

  predicate = cs_predicate_new (int_func, &data, func_data_destroy);
  g_assert_true (CS_IS_PREDICATE (predicate));
  g_object_add_weak_pointer (G_OBJECT (predicate), (gpointer *) &predicate);

  data.answer = TRUE;
  g_assert_true (evaluate_int (predicate, 17));
  g_assert_cmpuint (data.n_calls, ==, 1);
  g_assert_cmpint (data.last_value, ==, 17);

  data.answer = FALSE;
  g_assert_false (evaluate_int (predicate, -4));
  g_assert_cmpuint (data.n_calls, ==, 2);
  g_assert_cmpint (data.last_value, ==, -4);

  /* The user data lives as long as the predicate, not as long as a call. */
  g_assert_cmpuint (data.n_destroyed, ==, 0);

  g_object_unref (predicate);
  g_assert_null (predicate);
  g_assert_cmpuint (data.n_destroyed, ==, 1);
  g_assert_cmpuint (data.n_calls, ==, 2);
}

static void
test_custom_func_no_destroy (void)
{
  FuncData data = { 0, };
  CsPredicate *predicate;

  predicate = cs_predicate_new (int_func, &data, NULL);
  data.answer = TRUE;
  g_assert_true (evaluate_int (predicate, 1));
  g_assert_cmpuint (data.n_calls, ==, 1);
  g_object_unref (predicate);
  g_assert_cmpuint (data.n_destroyed, ==, 0);
}

static gboolean
at_least_five (const GValue *value,
               gpointer      user_data)
{
  FuncData *data = user_data;

  data->n_calls++;
  return g_value_get_int (value) >= 5;
}

/* A pending read keeps its predicate alive, and drops it once it completes. */
static void
test_dropped_by_read (void)
{
  FuncData data = { 0, };
  g_autoptr(CsAccessor) accessor = cs_accessor_new (G_TYPE_INT);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  CsPredicate *predicate;
  CsTestResult get = { 0, };

  predicate = cs_predicate_new (at_least_five, &data, func_data_destroy);
  cs_accessor_get_async (accessor, predicate, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &get);
  g_object_unref (predicate);

  cs_test_drain ();
  g_assert_cmpuint (get.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (accessor), ==, 1);
  g_assert_cmpuint (data.n_destroyed, ==, 0);

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 2);
  g_assert_true (cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  cs_test_drain ();
  g_assert_cmpuint (get.done, ==, 0);
  g_assert_cmpuint (data.n_destroyed, ==, 0);

  g_value_set_int (&value, 5);
  g_assert_true (cs_accessor_set (accessor, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);

  cs_test_run_until (&get.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_drain ();

  cs_test_assert_result_int (&get, 5);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (accessor), ==, 0);
  g_assert_cmpuint (data.n_destroyed, ==, 1);

  cs_test_result_clear (&get);
}

/* A read that fails (cancelled here) drops its predicate before its callback
 * runs, as a completed one does, although the callback still holds the task:
 * the hook of its CsTestResult checks, from the callback. */
static void
assert_predicate_dropped (CsAccessor   *acc G_GNUC_UNUSED,
                          CsTestResult *result)
{
  FuncData *func = result->hook_data;

  g_assert_cmpuint (func->n_destroyed, ==, 1);
}

static void
test_dropped_by_cancelled_read (void)
{
  FuncData func = { 0, };
  CsTestResult reader = { .hook = assert_predicate_dropped, .hook_data = &func };
  g_autoptr(CsAccessor) accessor = cs_accessor_new (G_TYPE_INT);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  CsPredicate *predicate;

  predicate = cs_predicate_new (at_least_five, &func, func_data_destroy);
  cs_accessor_get_async (accessor, predicate, CS_GET_FLAGS_NONE, cancellable,
                         cs_test_get_done, &reader);
  g_object_unref (predicate);

  cs_test_drain ();
  g_assert_cmpuint (reader.done, ==, 0);
  g_assert_cmpuint (func.n_destroyed, ==, 0);

  g_cancellable_cancel (cancellable);
  cs_test_run_until (&reader.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_drain ();

  cs_test_assert_result_error (&reader, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (func.n_destroyed, ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (accessor), ==, 0);

  cs_test_result_clear (&reader);
}

typedef void (*SetFunc) (GValue *value, gconstpointer data);

static void
check_equal (GType          type,
             SetFunc        set,
             gconstpointer  a,
             gconstpointer  b)
{
  g_auto(GValue) va = G_VALUE_INIT;
  g_auto(GValue) vb = G_VALUE_INIT;
  g_autoptr(CsPredicate) eq = NULL;
  g_autoptr(CsPredicate) ne = NULL;

  g_value_init (&va, type);
  g_value_init (&vb, type);
  set (&va, a);
  set (&vb, b);

  eq = cs_predicate_new_equal (&va);
  ne = cs_predicate_new_not_equal (&va);
  g_assert_true (CS_IS_PREDICATE (eq));
  g_assert_true (CS_IS_PREDICATE (ne));

  g_assert_true (cs_predicate_evaluate (eq, &va));
  g_assert_false (cs_predicate_evaluate (ne, &va));
  g_assert_false (cs_predicate_evaluate (eq, &vb));
  g_assert_true (cs_predicate_evaluate (ne, &vb));
}

static void
set_int (GValue *value, gconstpointer data)
{
  g_value_set_int (value, *(const gint *) data);
}

static void
set_int64 (GValue *value, gconstpointer data)
{
  g_value_set_int64 (value, *(const gint64 *) data);
}

static void
set_uint64 (GValue *value, gconstpointer data)
{
  g_value_set_uint64 (value, *(const guint64 *) data);
}

static void
set_double (GValue *value, gconstpointer data)
{
  g_value_set_double (value, *(const gdouble *) data);
}

static void
set_boolean (GValue *value, gconstpointer data)
{
  g_value_set_boolean (value, *(const gboolean *) data);
}

static void
set_string (GValue *value, gconstpointer data)
{
  g_value_set_string (value, data);
}

static void
set_enum (GValue *value, gconstpointer data)
{
  g_value_set_enum (value, *(const gint *) data);
}

static void
set_object (GValue *value, gconstpointer data)
{
  g_value_set_object (value, (gpointer) data);
}

static void
test_equal_int (void)
{
  const gint values[] = { 0, 1, -1, 3, G_MININT, G_MAXINT };
  gsize i, j;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    for (j = 0; j < G_N_ELEMENTS (values); j++)
      if (i != j)
        check_equal (G_TYPE_INT, set_int, &values[i], &values[j]);
}

static void
test_equal_int64 (void)
{
  const gint64 values[] = { 0, -1, G_MININT64, G_MAXINT64, (gint64) G_MAXINT + 1 };
  gsize i, j;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    for (j = 0; j < G_N_ELEMENTS (values); j++)
      if (i != j)
        check_equal (G_TYPE_INT64, set_int64, &values[i], &values[j]);
}

static void
test_equal_uint64 (void)
{
  /* G_MAXUINT64 and G_MAXUINT64 - 1 are distinct, though equal as doubles. */
  const guint64 values[] = { 0, 1, G_MAXUINT64, G_MAXUINT64 - 1, (guint64) 1 << 63 };
  gsize i, j;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    for (j = 0; j < G_N_ELEMENTS (values); j++)
      if (i != j)
        check_equal (G_TYPE_UINT64, set_uint64, &values[i], &values[j]);
}

static void
test_equal_double (void)
{
  const gdouble values[] = { 0.0, 3.0, 3.5, -3.5, 1e300, 0.1 };
  gsize i, j;

  for (i = 0; i < G_N_ELEMENTS (values); i++)
    for (j = 0; j < G_N_ELEMENTS (values); j++)
      if (i != j)
        check_equal (G_TYPE_DOUBLE, set_double, &values[i], &values[j]);
}

static void
test_equal_boolean (void)
{
  const gboolean yes = TRUE;
  const gboolean no = FALSE;

  check_equal (G_TYPE_BOOLEAN, set_boolean, &yes, &no);
  check_equal (G_TYPE_BOOLEAN, set_boolean, &no, &yes);
}

static void
test_equal_string (void)
{
  /* Compared by contents: a different buffer with the same text is equal. */
  g_autofree char *copy = g_strdup ("Bar");
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(CsPredicate) eq = NULL;

  check_equal (G_TYPE_STRING, set_string, "Bar", "Baz");
  check_equal (G_TYPE_STRING, set_string, "Bar", "");
  check_equal (G_TYPE_STRING, set_string, "Bar", "bar");
  check_equal (G_TYPE_STRING, set_string, "", "Bar");
  check_equal (G_TYPE_STRING, set_string, NULL, "");
  check_equal (G_TYPE_STRING, set_string, "", NULL);
  check_equal (G_TYPE_STRING, set_string, NULL, "Bar");
  check_equal (G_TYPE_STRING, set_string, "Bar", NULL);

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, "Bar");
  eq = cs_predicate_new_equal (&value);
  g_value_set_string (&value, copy);
  g_assert_true (cs_predicate_evaluate (eq, &value));
}

static void
test_equal_enum (void)
{
  const gint closed = CS_ACCESSOR_ERROR_CLOSED;
  const gint failed = CS_ACCESSOR_ERROR_FAILED;
  const gint invalid = CS_ACCESSOR_ERROR_INVALID_VALUE;

  check_equal (CS_TYPE_ACCESSOR_ERROR, set_enum, &closed, &failed);
  check_equal (CS_TYPE_ACCESSOR_ERROR, set_enum, &invalid, &closed);
  check_equal (CS_TYPE_ACCESSOR_ERROR, set_enum, &failed, &invalid);
}

static void
test_equal_object (void)
{
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);

  /* Objects compare by identity: two objects of one type are not equal. */
  check_equal (G_TYPE_OBJECT, set_object, a, b);
  check_equal (G_TYPE_OBJECT, set_object, b, a);
  check_equal (G_TYPE_OBJECT, set_object, a, NULL);
  check_equal (G_TYPE_OBJECT, set_object, NULL, b);
}

static void
test_equal_across_numeric_types (void)
{
  g_autoptr(CsPredicate) eq = NULL;
  g_autoptr(CsPredicate) ne = NULL;
  g_auto(GValue) value = G_VALUE_INIT;

  eq = equal_int (3, TRUE);
  ne = equal_int (3, FALSE);

  g_value_init (&value, G_TYPE_INT64);
  g_value_set_int64 (&value, 3);
  g_assert_true (cs_predicate_evaluate (eq, &value));
  g_assert_false (cs_predicate_evaluate (ne, &value));
  g_value_set_int64 (&value, (gint64) 3 + ((gint64) 1 << 32));
  g_assert_false (cs_predicate_evaluate (eq, &value));
  g_assert_true (cs_predicate_evaluate (ne, &value));
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, 3);
  g_assert_true (cs_predicate_evaluate (eq, &value));
  g_assert_false (cs_predicate_evaluate (ne, &value));
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 3.0);
  g_assert_true (cs_predicate_evaluate (eq, &value));
  g_assert_false (cs_predicate_evaluate (ne, &value));
  g_value_set_double (&value, 3.5);
  g_assert_false (cs_predicate_evaluate (eq, &value));
  g_assert_true (cs_predicate_evaluate (ne, &value));
  g_value_unset (&value);

  /* No int→string style transforms. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, "3");
  g_assert_false (cs_predicate_evaluate (eq, &value));
  g_assert_true (cs_predicate_evaluate (ne, &value));
  g_value_unset (&value);
}

static void
test_equal_double_across_types (void)
{
  g_autoptr(CsPredicate) eq = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  g_auto(GValue) other = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 3.0);
  eq = cs_predicate_new_equal (&value);
  g_assert_true (evaluate_int (eq, 3));
  g_assert_false (evaluate_int (eq, 4));
  g_clear_object (&eq);

  g_value_set_double (&value, 3.5);
  eq = cs_predicate_new_equal (&value);
  g_assert_false (evaluate_int (eq, 3));
  g_assert_false (evaluate_int (eq, 4));
  g_clear_object (&eq);

  /* 2^63 + 1 rounds to 2^63 as a double: the numbers are not the same. */
  g_value_set_double (&value, 9223372036854775808.0);
  eq = cs_predicate_new_equal (&value);
  g_value_init (&other, G_TYPE_UINT64);
  g_value_set_uint64 (&other, ((guint64) 1 << 63) + 1);
  g_assert_false (cs_predicate_evaluate (eq, &other));
  g_value_set_uint64 (&other, (guint64) 1 << 63);
  g_assert_true (cs_predicate_evaluate (eq, &other));
}

static void
test_equal_negative_vs_unsigned (void)
{
  g_autoptr(CsPredicate) eq = equal_int (-1, TRUE);
  g_auto(GValue) value = G_VALUE_INIT;

  /* -1 is not G_MAXUINT64: no wrap-around when comparing. */
  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, G_MAXUINT64);
  g_assert_false (cs_predicate_evaluate (eq, &value));
}

static void
test_equal_copies_value (void)
{
  g_autoptr(GObject) object = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(CsPredicate) eq_string = NULL;
  g_autoptr(CsPredicate) eq_object = NULL;
  g_autoptr(CsPredicate) eq_int = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  char *text = g_strdup ("original");

  g_value_init (&value, G_TYPE_STRING);
  g_value_take_string (&value, text);
  eq_string = cs_predicate_new_equal (&value);
  /* Overwriting frees the buffer the predicate was made from. */
  g_value_set_string (&value, "changed");
  g_assert_false (cs_predicate_evaluate (eq_string, &value));
  g_value_set_string (&value, "original");
  g_assert_true (cs_predicate_evaluate (eq_string, &value));
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 42);
  eq_int = cs_predicate_new_equal (&value);
  g_value_set_int (&value, 43);
  g_assert_false (cs_predicate_evaluate (eq_int, &value));
  g_value_unset (&value);
  g_assert_true (evaluate_int (eq_int, 42));

  /* The predicate keeps its own reference to an object it compares with. */
  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, object);
  eq_object = cs_predicate_new_equal (&value);
  g_value_unset (&value);
  g_assert_cmpuint (G_OBJECT (object)->ref_count, ==, 2);

  g_value_init (&value, G_TYPE_OBJECT);
  g_value_set_object (&value, object);
  g_assert_true (cs_predicate_evaluate (eq_object, &value));
  g_value_unset (&value);

  g_clear_object (&eq_object);
  g_assert_cmpuint (G_OBJECT (object)->ref_count, ==, 1);
}

static void
test_programmer_errors (void)
{
  CsPredicate *predicate;
  g_autoptr(CsPredicate) valid = equal_int (1, TRUE);
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_INT);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  predicate = cs_predicate_new (NULL, NULL, NULL);
  g_test_assert_expected_messages ();
  g_assert_null (predicate);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  predicate = cs_predicate_new_equal (NULL);
  g_test_assert_expected_messages ();
  g_assert_null (predicate);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  predicate = cs_predicate_new_not_equal (NULL);
  g_test_assert_expected_messages ();
  g_assert_null (predicate);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_false (cs_predicate_evaluate (valid, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_false (cs_predicate_evaluate (NULL, &value));
  g_test_assert_expected_messages ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/predicate/custom-func", test_custom_func);
  g_test_add_func ("/predicate/custom-func-no-destroy", test_custom_func_no_destroy);
  g_test_add_func ("/predicate/dropped-by-read", test_dropped_by_read);
  g_test_add_func ("/predicate/dropped-by-cancelled-read", test_dropped_by_cancelled_read);
  g_test_add_func ("/predicate/equal/int", test_equal_int);
  g_test_add_func ("/predicate/equal/int64", test_equal_int64);
  g_test_add_func ("/predicate/equal/uint64", test_equal_uint64);
  g_test_add_func ("/predicate/equal/double", test_equal_double);
  g_test_add_func ("/predicate/equal/boolean", test_equal_boolean);
  g_test_add_func ("/predicate/equal/string", test_equal_string);
  g_test_add_func ("/predicate/equal/enum", test_equal_enum);
  g_test_add_func ("/predicate/equal/object", test_equal_object);
  g_test_add_func ("/predicate/equal/across-numeric-types", test_equal_across_numeric_types);
  g_test_add_func ("/predicate/equal/double-across-types", test_equal_double_across_types);
  g_test_add_func ("/predicate/equal/negative-vs-unsigned", test_equal_negative_vs_unsigned);
  g_test_add_func ("/predicate/equal/copies-value", test_equal_copies_value);
  g_test_add_func ("/predicate/programmer-errors", test_programmer_errors);

  return g_test_run ();
}
