/* test-predicate.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

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
int_func (const GValue  *value,
          gpointer       user_data,
          GError       **error)
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

/* Tests @value with @predicate; evaluate_int() and the equality table call
 * cs_predicate_evaluate() only through here. */
static gboolean
evaluate (CsPredicate  *predicate,
          const GValue *value)
{
  return cs_predicate_evaluate (predicate, value, NULL);
}

static gboolean
evaluate_int (CsPredicate *predicate,
              gint         i)
{
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, i);

  return evaluate (predicate, &value);
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

/* Issue 11, E3 (API.md, CsPredicate: "destroy is called exactly once, when the
 * predicate is finalized, whatever user_data is (NULL included)"). */
static guint n_null_data_destroyed;

static void
count_null_data_destroy (gpointer user_data)
{
  g_assert_null (user_data);
  n_null_data_destroyed++;
}

static void
test_destroy_null_data (void)
{
  CsPredicate *predicate;

  n_null_data_destroyed = 0;
  predicate = cs_predicate_new (int_func, NULL, count_null_data_destroy);
  g_object_add_weak_pointer (G_OBJECT (predicate), (gpointer *) &predicate);
  g_assert_cmpuint (n_null_data_destroyed, ==, 0);

  g_object_unref (predicate);
  g_assert_null (predicate);
  g_assert_cmpuint (n_null_data_destroyed, ==, 1);
}

static gboolean
at_least_five (const GValue  *value,
               gpointer       user_data,
               GError       **error)
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

  g_assert_true (cs_predicate_evaluate (eq, &va, NULL));
  g_assert_false (cs_predicate_evaluate (ne, &va, NULL));
  g_assert_false (cs_predicate_evaluate (eq, &vb, NULL));
  g_assert_true (cs_predicate_evaluate (ne, &vb, NULL));
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
  g_assert_true (cs_predicate_evaluate (eq, &value, NULL));
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
  g_assert_true (cs_predicate_evaluate (eq, &value, NULL));
  g_assert_false (cs_predicate_evaluate (ne, &value, NULL));
  g_value_set_int64 (&value, (gint64) 3 + ((gint64) 1 << 32));
  g_assert_false (cs_predicate_evaluate (eq, &value, NULL));
  g_assert_true (cs_predicate_evaluate (ne, &value, NULL));
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, 3);
  g_assert_true (cs_predicate_evaluate (eq, &value, NULL));
  g_assert_false (cs_predicate_evaluate (ne, &value, NULL));
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, 3.0);
  g_assert_true (cs_predicate_evaluate (eq, &value, NULL));
  g_assert_false (cs_predicate_evaluate (ne, &value, NULL));
  g_value_set_double (&value, 3.5);
  g_assert_false (cs_predicate_evaluate (eq, &value, NULL));
  g_assert_true (cs_predicate_evaluate (ne, &value, NULL));
  g_value_unset (&value);

  /* No int→string style transforms. */
  g_value_init (&value, G_TYPE_STRING);
  g_value_set_static_string (&value, "3");
  g_assert_false (cs_predicate_evaluate (eq, &value, NULL));
  g_assert_true (cs_predicate_evaluate (ne, &value, NULL));
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
  g_assert_false (cs_predicate_evaluate (eq, &other, NULL));
  g_value_set_uint64 (&other, (guint64) 1 << 63);
  g_assert_true (cs_predicate_evaluate (eq, &other, NULL));
}

static void
test_equal_negative_vs_unsigned (void)
{
  g_autoptr(CsPredicate) eq = equal_int (-1, TRUE);
  g_auto(GValue) value = G_VALUE_INIT;

  /* -1 is not G_MAXUINT64: no wrap-around when comparing. */
  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, G_MAXUINT64);
  g_assert_false (cs_predicate_evaluate (eq, &value, NULL));
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
  g_assert_false (cs_predicate_evaluate (eq_string, &value, NULL));
  g_value_set_string (&value, "original");
  g_assert_true (cs_predicate_evaluate (eq_string, &value, NULL));
  g_value_unset (&value);

  g_value_init (&value, G_TYPE_INT);
  g_value_set_int (&value, 42);
  eq_int = cs_predicate_new_equal (&value);
  g_value_set_int (&value, 43);
  g_assert_false (cs_predicate_evaluate (eq_int, &value, NULL));
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
  g_assert_true (cs_predicate_evaluate (eq_object, &value, NULL));
  g_value_unset (&value);

  g_clear_object (&eq_object);
  g_assert_cmpuint (G_OBJECT (object)->ref_count, ==, 1);
}

/* The equality table {{{ */

/* Issue 11, E1 and E2 (API.md, CsPredicate, the paragraph on equality): one
 * relation, symmetric, the same whether a reader is evaluated or indexed;
 * numbers (integers, floating point, enums, flags) equal when they denote the
 * same number, NaN equal to nothing; booleans equal booleans only; strings,
 * string arrays, variants, GBytes and GString by content; objects and other
 * boxed values by identity; values that cannot be converted are not equal.
 *
 * Each sample names what it denotes: two samples are equal exactly when they
 * denote the same thing. NaN denotes nothing, so it is not even equal to
 * itself. Every ordered pair of samples is checked. */
typedef struct
{
  const char *name;
  const char *denotes;  /* (nullable): NULL for NaN */
  GValue      value;
} Sample;

static void
sample_free (gpointer data)
{
  Sample *sample = data;

  g_value_unset (&sample->value);
  g_free (sample);
}

/* Adds a sample of @type to @samples and returns its value, for the caller
 * to set. */
static GValue *
add_sample (GPtrArray  *samples,
            const char *name,
            const char *denotes,
            GType       type)
{
  Sample *sample = g_new0 (Sample, 1);

  sample->name = name;
  sample->denotes = denotes;
  g_value_init (&sample->value, type);
  g_ptr_array_add (samples, sample);

  return &sample->value;
}

/* the enum and flags samples below denote 2 */
G_STATIC_ASSERT (CS_ACCESSOR_ERROR_READ_ONLY == 2);
G_STATIC_ASSERT (CS_GET_FLAGS_NO_WAIT_FOR_WRITE == 2);

static GPtrArray *
equality_samples (GObject      *a,
                  GObject      *b,
                  GMainContext *c,
                  GMainContext *d)
{
  GPtrArray *samples = g_ptr_array_new_with_free_func (sample_free);
  const char * const ab[] = { "a", "b", NULL };
  const char * const a_only[] = { "a", NULL };
  const gint64 two_53 = G_GINT64_CONSTANT (1) << 53;

  /* numbers, across all the numeric types */
  g_value_set_int (add_sample (samples, "int 2", "2", G_TYPE_INT), 2);
  g_value_set_uint (add_sample (samples, "uint 2", "2", G_TYPE_UINT), 2);
  g_value_set_int64 (add_sample (samples, "int64 2", "2", G_TYPE_INT64), 2);
  g_value_set_uint64 (add_sample (samples, "uint64 2", "2", G_TYPE_UINT64), 2);
  g_value_set_double (add_sample (samples, "double 2.0", "2", G_TYPE_DOUBLE), 2.0);
  g_value_set_float (add_sample (samples, "float 2.0", "2", G_TYPE_FLOAT), 2.0f);
  g_value_set_enum (add_sample (samples, "enum 2", "2", CS_TYPE_ACCESSOR_ERROR),
                    CS_ACCESSOR_ERROR_READ_ONLY);
  g_value_set_flags (add_sample (samples, "flags 2", "2", CS_TYPE_GET_FLAGS),
                     CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  g_value_set_int (add_sample (samples, "int 1", "1", G_TYPE_INT), 1);
  g_value_set_double (add_sample (samples, "double 1.0", "1", G_TYPE_DOUBLE), 1.0);
  g_value_set_int (add_sample (samples, "int 0", "0", G_TYPE_INT), 0);
  g_value_set_double (add_sample (samples, "double 1.5", "1.5", G_TYPE_DOUBLE), 1.5);
  g_value_set_float (add_sample (samples, "float 1.5", "1.5", G_TYPE_FLOAT), 1.5f);
  g_value_set_double (add_sample (samples, "double 0.1", "0.1", G_TYPE_DOUBLE), 0.1);
  g_value_set_float (add_sample (samples, "float 0.1", "(float) 0.1", G_TYPE_FLOAT), 0.1f);
  g_value_set_int (add_sample (samples, "int -1", "-1", G_TYPE_INT), -1);
  g_value_set_int64 (add_sample (samples, "int64 -1", "-1", G_TYPE_INT64), -1);
  g_value_set_uint (add_sample (samples, "uint G_MAXUINT", "2^32-1", G_TYPE_UINT), G_MAXUINT);
  g_value_set_uint64 (add_sample (samples, "uint64 G_MAXUINT64", "2^64-1", G_TYPE_UINT64),
                      G_MAXUINT64);
  g_value_set_int64 (add_sample (samples, "int64 2^53", "2^53", G_TYPE_INT64), two_53);
  g_value_set_double (add_sample (samples, "double 2^53", "2^53", G_TYPE_DOUBLE),
                      (double) two_53);
  g_value_set_int64 (add_sample (samples, "int64 2^53+1", "2^53+1", G_TYPE_INT64), two_53 + 1);
  g_value_set_double (add_sample (samples, "double NaN", NULL, G_TYPE_DOUBLE), NAN);
  g_value_set_float (add_sample (samples, "float NaN", NULL, G_TYPE_FLOAT), NAN);

  /* booleans equal booleans only */
  g_value_set_boolean (add_sample (samples, "boolean TRUE", "TRUE", G_TYPE_BOOLEAN), TRUE);
  g_value_set_boolean (add_sample (samples, "boolean FALSE", "FALSE", G_TYPE_BOOLEAN), FALSE);

  /* by content */
  g_value_set_static_string (add_sample (samples, "string \"1\"", "\"1\"", G_TYPE_STRING), "1");
  g_value_set_static_string (add_sample (samples, "string \"x\"", "\"x\"", G_TYPE_STRING), "x");
  g_value_take_string (add_sample (samples, "another string \"x\"", "\"x\"", G_TYPE_STRING),
                       g_strdup ("x"));
  g_value_set_static_string (add_sample (samples, "string \"\"", "\"\"", G_TYPE_STRING), "");
  add_sample (samples, "NULL string", "NULL string", G_TYPE_STRING);

  g_value_set_boxed (add_sample (samples, "strv {a, b}", "strv {a, b}", G_TYPE_STRV), ab);
  g_value_set_boxed (add_sample (samples, "another strv {a, b}", "strv {a, b}", G_TYPE_STRV),
                     ab);
  g_value_set_boxed (add_sample (samples, "strv {a}", "strv {a}", G_TYPE_STRV), a_only);
  add_sample (samples, "NULL strv", "NULL strv", G_TYPE_STRV);

  g_value_set_variant (add_sample (samples, "variant int32 1", "variant int32 1",
                                   G_TYPE_VARIANT), g_variant_new_int32 (1));
  g_value_set_variant (add_sample (samples, "another variant int32 1", "variant int32 1",
                                   G_TYPE_VARIANT), g_variant_new_int32 (1));
  g_value_set_variant (add_sample (samples, "variant int64 1", "variant int64 1",
                                   G_TYPE_VARIANT), g_variant_new_int64 (1));
  g_value_set_variant (add_sample (samples, "variant \"x\"", "variant \"x\"", G_TYPE_VARIANT),
                       g_variant_new_string ("x"));
  add_sample (samples, "NULL variant", "NULL variant", G_TYPE_VARIANT);

  g_value_take_boxed (add_sample (samples, "GBytes \"x\"", "GBytes \"x\"", G_TYPE_BYTES),
                      g_bytes_new ("x", 1));
  g_value_take_boxed (add_sample (samples, "another GBytes \"x\"", "GBytes \"x\"", G_TYPE_BYTES),
                      g_bytes_new ("x", 1));
  g_value_take_boxed (add_sample (samples, "GBytes \"y\"", "GBytes \"y\"", G_TYPE_BYTES),
                      g_bytes_new ("y", 1));
  add_sample (samples, "NULL GBytes", "NULL GBytes", G_TYPE_BYTES);

  g_value_take_boxed (add_sample (samples, "GString \"x\"", "GString \"x\"", G_TYPE_GSTRING),
                      g_string_new ("x"));
  g_value_take_boxed (add_sample (samples, "another GString \"x\"", "GString \"x\"",
                                  G_TYPE_GSTRING), g_string_new ("x"));
  g_value_take_boxed (add_sample (samples, "GString \"y\"", "GString \"y\"", G_TYPE_GSTRING),
                      g_string_new ("y"));
  add_sample (samples, "NULL GString", "NULL GString", G_TYPE_GSTRING);

  /* by identity */
  g_value_set_object (add_sample (samples, "object a", "object a", G_TYPE_OBJECT), a);
  g_value_set_object (add_sample (samples, "object a as its own type", "object a",
                                  G_OBJECT_TYPE (a)), a);
  g_value_set_object (add_sample (samples, "object b", "object b", G_TYPE_OBJECT), b);
  add_sample (samples, "NULL object", "NULL object", G_TYPE_OBJECT);

  g_value_set_boxed (add_sample (samples, "GMainContext c", "GMainContext c",
                                 G_TYPE_MAIN_CONTEXT), c);
  g_value_set_boxed (add_sample (samples, "GMainContext d", "GMainContext d",
                                 G_TYPE_MAIN_CONTEXT), d);
  add_sample (samples, "NULL GMainContext", "NULL GMainContext", G_TYPE_MAIN_CONTEXT);

  return samples;
}

/* Whether a reader of an accessor of @value's type, waiting with @predicate
 * for the next write, receives a write of @value: the answer of the read path,
 * where equality readers wait in the accessor's index by value. */
static gboolean
read_matches (CsPredicate  *predicate,
              const GValue *value)
{
  CsAccessor *acc = cs_accessor_new (G_VALUE_TYPE (value));
  g_autoptr(GError) error = NULL;
  CsTestResult r = { 0 };
  gboolean matched;

  /* WAIT_FOR_WRITE: the accessor's default value must not answer */
  cs_accessor_get_async (acc, predicate, CS_GET_FLAGS_WAIT_FOR_WRITE, NULL,
                         cs_test_get_done, &r);
  g_assert_true (cs_accessor_set (acc, value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
  cs_test_drain ();

  matched = r.done == 1;
  if (matched)
    {
      cs_test_assert_result_ok (&r);
      g_assert_true (G_VALUE_TYPE (r.value) == G_VALUE_TYPE (value));
    }

  cs_accessor_close (acc);
  cs_test_drain ();
  g_assert_cmpuint (r.done, ==, 1);
  cs_test_result_clear (&r);
  cs_test_finalize (&acc);

  return matched;
}

/* Checks the predicates made from @b on the value of @a, evaluated and by a
 * reader; reports each disagreement and returns their number. */
static guint
check_equality_pair (const Sample *a,
                     const Sample *b)
{
  gboolean expected = a->denotes != NULL && g_strcmp0 (a->denotes, b->denotes) == 0;
  g_autoptr(CsPredicate) eq = cs_predicate_new_equal (&b->value);
  g_autoptr(CsPredicate) ne = cs_predicate_new_not_equal (&b->value);
  struct {
    const char *how;
    gboolean    equal;
    gboolean    not_equal;
  } answers[] = {
    { "evaluated", evaluate (eq, &a->value), evaluate (ne, &a->value) },
    { "read", read_matches (eq, &a->value), read_matches (ne, &a->value) },
  };
  guint n_wrong = 0;

  for (gsize i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      if (answers[i].equal != expected)
        {
          g_test_message ("%s: new_equal (%s) on %s: %s, expected %s", answers[i].how,
                          b->name, a->name, answers[i].equal ? "TRUE" : "FALSE",
                          expected ? "TRUE" : "FALSE");
          n_wrong++;
        }
      if (answers[i].not_equal == expected)
        {
          g_test_message ("%s: new_not_equal (%s) on %s: %s, expected %s", answers[i].how,
                          b->name, a->name, answers[i].not_equal ? "TRUE" : "FALSE",
                          expected ? "FALSE" : "TRUE");
          n_wrong++;
        }
    }

  return n_wrong;
}

static void
test_equal_table (void)
{
  g_autoptr(GObject) a = G_OBJECT (g_simple_action_new ("a", NULL));
  g_autoptr(GObject) b = G_OBJECT (g_simple_action_new ("b", NULL));
  g_autoptr(GMainContext) c = g_main_context_new ();
  g_autoptr(GMainContext) d = g_main_context_new ();
  g_autoptr(GPtrArray) samples = equality_samples (a, b, c, d);
  guint n_wrong = 0;

  /* both orders of each pair, and each sample with itself */
  for (guint i = 0; i < samples->len; i++)
    for (guint j = 0; j < samples->len; j++)
      n_wrong += check_equality_pair (g_ptr_array_index (samples, i),
                                      g_ptr_array_index (samples, j));

  /* the wrong answers are listed above */
  g_assert_cmpuint (n_wrong, ==, 0);
}

/* }}} */

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
  g_assert_false (cs_predicate_evaluate (valid, NULL, NULL));
  g_test_assert_expected_messages ();

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*assertion*");
  g_assert_false (cs_predicate_evaluate (NULL, &value, NULL));
  g_test_assert_expected_messages ();
}

/* Failing predicates {{{ */

#define TEST_PREDICATE_ERROR (g_quark_from_static_string ("test-predicate-error"))

/* Fails on 13 (with its own error: domain, code and words), matches 20 and
 * more; on 42 it matches and sets an error too, which must be ignored. */
static gboolean
unlucky_func (const GValue  *value,
              gpointer       user_data,
              GError       **error)
{
  int v = g_value_get_int (value);
  guint *n_calls = user_data;

  (*n_calls)++;

  if (v == 13)
    {
      g_set_error (error, TEST_PREDICATE_ERROR, 7, "cannot look at %d", v);
      return FALSE;
    }

  if (v == 42)
    g_set_error_literal (error, TEST_PREDICATE_ERROR, 8, "a match with an error");

  return v >= 20;
}

static void
assert_unlucky_error (const GError *error)
{
  g_assert_error (error, TEST_PREDICATE_ERROR, 7);
  g_assert_cmpstr (error->message, ==, "cannot look at 13");
}

/* API.md, CsPredicate (E4): cs_predicate_evaluate() reports a predicate's
 * failure with its error; a match that came with an error is a match. */
static void
test_fails_evaluate (void)
{
  guint n_calls = 0;
  g_autoptr(CsPredicate) unlucky = cs_predicate_new (unlucky_func, &n_calls, NULL);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  cs_test_value_init_int (&value, 13);
  g_assert_false (cs_predicate_evaluate (unlucky, &value, &error));
  assert_unlucky_error (error);
  g_clear_error (&error);

  /* no error location: the error goes */
  g_assert_false (cs_predicate_evaluate (unlucky, &value, NULL));

  g_value_set_int (&value, 5);
  g_assert_false (cs_predicate_evaluate (unlucky, &value, &error));
  g_assert_no_error (error);

  g_value_set_int (&value, 42);
  g_assert_true (cs_predicate_evaluate (unlucky, &value, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_calls, ==, 4);
}

/* API.md, CsPredicate and Semantics 13 (E4): a predicate that fails fails the
 * read it belongs to with its error, unchanged, wherever it runs: at a write,
 * at once on the current value, at a group re-check, in a blocking read on
 * the owner's thread. The other readers and the value are not affected. */
static void
test_fails_read (void)
{
  guint n_calls = 0;
  g_autoptr(CsPredicate) unlucky = cs_predicate_new (unlucky_func, &n_calls, NULL);
  g_autoptr(CsCondition) condition = cs_condition_new ();
  CsAccessor *acc = cs_accessor_new_full (G_TYPE_INT, "unlucky", condition,
                                          NULL, NULL, NULL, NULL);
  CsAccessor *other = cs_accessor_new_full (G_TYPE_INT, "other", condition,
                                            NULL, NULL, NULL, NULL);
  CsTestResult at_write = { 0 }, plain = { 0 }, later = { 0 }, at_once = { 0 };
  CsTestResult at_recheck = { 0 };
  g_autoptr(GError) error = NULL;
  GValue *value;

  /* at a write: this reader fails, the default reader gets the value, a
   * reader that did not match keeps waiting */
  cs_accessor_get_async (acc, unlucky, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &at_write);
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &plain);
  cs_test_assert_set_int (acc, 5);
  cs_test_run_until (&plain.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&plain, 5);
  cs_test_result_clear (&plain);
  g_assert_cmpuint (at_write.done, ==, 0);

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &plain);
  cs_test_assert_set_int (acc, 13);
  cs_test_run_until (&at_write.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_run_until (&plain.done, 1, TEST_TIMEOUT_SECONDS);
  g_assert_null (at_write.value);
  assert_unlucky_error (at_write.error);
  cs_test_assert_result_int (&plain, 13);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 13);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* at once, on the current value */
  cs_accessor_get_async (acc, unlucky, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &at_once);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
  cs_test_run_until (&at_once.done, 1, TEST_TIMEOUT_SECONDS);
  assert_unlucky_error (at_once.error);

  /* blocking, on the owner's thread: the error, not WOULD_BLOCK */
  value = cs_accessor_get (acc, unlucky, CS_GET_FLAGS_NONE, NULL, &error);
  g_assert_null (value);
  assert_unlucky_error (error);
  g_clear_error (&error);

  /* at a re-check of the group: the other member's write, or notify_all */
  cs_test_assert_set_int (acc, 1);
  cs_accessor_get_async (acc, unlucky, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &at_recheck);
  cs_accessor_get_async (acc, unlucky, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &later);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 2);
  cs_test_assert_set_int (other, 3);
  cs_test_drain ();
  g_assert_cmpuint (at_recheck.done, ==, 0);
  {
    /* the value changes behind the accessor's back, as for a reader of
     * several accessors: write 13 while the reader is frozen out */
    g_object_freeze_notify (G_OBJECT (acc));
    cs_test_assert_set_int (acc, 13);
    cs_condition_notify_all (condition);
    cs_test_run_until (&at_recheck.done, 1, TEST_TIMEOUT_SECONDS);
    g_object_thaw_notify (G_OBJECT (acc));
  }
  assert_unlucky_error (at_recheck.error);
  cs_test_run_until (&later.done, 1, TEST_TIMEOUT_SECONDS);
  assert_unlucky_error (later.error);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* a match that came with an error completes with the value */
  cs_test_result_clear (&later);
  cs_test_assert_set_int (acc, 1);
  cs_accessor_get_async (acc, unlucky, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &later);
  cs_test_assert_set_int (acc, 42);
  cs_test_run_until (&later.done, 1, TEST_TIMEOUT_SECONDS);
  cs_test_assert_result_int (&later, 42);

  cs_test_result_clear (&at_write);
  cs_test_result_clear (&plain);
  cs_test_result_clear (&later);
  cs_test_result_clear (&at_once);
  cs_test_result_clear (&at_recheck);
  cs_test_finalize (&acc);
  cs_test_finalize (&other);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/predicate/custom-func", test_custom_func);
  g_test_add_func ("/predicate/custom-func-no-destroy", test_custom_func_no_destroy);
  g_test_add_func ("/predicate/destroy-null-data", test_destroy_null_data);
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
  g_test_add_func ("/predicate/equal/table", test_equal_table);
  g_test_add_func ("/predicate/fails/evaluate", test_fails_evaluate);
  g_test_add_func ("/predicate/fails/read", test_fails_read);
  g_test_add_func ("/predicate/programmer-errors", test_programmer_errors);

  return g_test_run ();
}
