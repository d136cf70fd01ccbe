/* test-object.c: condition properties and accessors over GObject properties
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <codestare.h>

#include "cs-test-util.h"

#define TIMEOUT_SECONDS 10

/* g_set_str() is GLib 2.76 */
static gboolean
replace_str (char       **str_pointer,
             const char  *new_str)
{
  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  g_free (*str_pointer);
  *str_pointer = g_strdup (new_str);

  return TRUE;
}

/* TestThing: a derivable class with two condition properties ("progress",
 * "state") and ordinary properties handled by its own set/get_property {{{ */

#define TEST_TYPE_THING (test_thing_get_type ())
G_DECLARE_DERIVABLE_TYPE (TestThing, test_thing, TEST, THING, GObject)

struct _TestThingClass
{
  GObjectClass parent_class;
};

typedef struct
{
  char  *label;
  int    count;
  int    serial;
  char  *secret;
  guint  n_label_sets;
  guint  n_count_sets;
} TestThingPrivate;

G_DEFINE_TYPE_WITH_PRIVATE (TestThing, test_thing, G_TYPE_OBJECT)

enum {
  THING_PROP_0,
  THING_PROP_PROGRESS,  /* condition */
  THING_PROP_STATE,     /* condition */
  THING_PROP_LABEL,     /* ordinary, explicit notify */
  THING_PROP_COUNT,     /* ordinary, 0..1000, automatic notify */
  THING_PROP_SERIAL,    /* ordinary, read-only */
  THING_PROP_SECRET,    /* ordinary, write-only */
  THING_PROP_VOLUME,    /* condition, 0..11, automatic notify */
  THING_N_PROPS
};

static void
test_thing_finalize (GObject *object)
{
  TestThingPrivate *priv = test_thing_get_instance_private (TEST_THING (object));

  g_clear_pointer (&priv->label, g_free);
  g_clear_pointer (&priv->secret, g_free);

  G_OBJECT_CLASS (test_thing_parent_class)->finalize (object);
}

static void
test_thing_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TestThingPrivate *priv = test_thing_get_instance_private (TEST_THING (object));

  switch (prop_id)
    {
    case THING_PROP_LABEL:
      g_value_set_string (value, priv->label);
      break;

    case THING_PROP_COUNT:
      g_value_set_int (value, priv->count);
      break;

    case THING_PROP_SERIAL:
      g_value_set_int (value, priv->serial);
      break;

    default:
      /* the condition properties must never get here */
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_thing_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TestThingPrivate *priv = test_thing_get_instance_private (TEST_THING (object));

  switch (prop_id)
    {
    case THING_PROP_LABEL:
      priv->n_label_sets++;
      if (replace_str (&priv->label, g_value_get_string (value)))
        g_object_notify_by_pspec (object, pspec);
      break;

    case THING_PROP_COUNT:
      priv->n_count_sets++;
      priv->count = g_value_get_int (value);
      break;

    case THING_PROP_SECRET:
      replace_str (&priv->secret, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_thing_class_init (TestThingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = test_thing_finalize;
  object_class->get_property = test_thing_get_property;
  object_class->set_property = test_thing_set_property;

  g_object_class_install_property (object_class, THING_PROP_LABEL,
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, THING_PROP_COUNT,
    g_param_spec_int ("count", NULL, NULL, 0, 1000, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, THING_PROP_SERIAL,
    g_param_spec_int ("serial", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_property (object_class, THING_PROP_SECRET,
    g_param_spec_string ("secret", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS));

  /* one with explicit notify, one without: both must notify once per write */
  cs_object_class_install_condition_property (object_class, THING_PROP_PROGRESS,
    g_param_spec_int ("progress", NULL, NULL, 0, 100, 5,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  cs_object_class_install_condition_property (object_class, THING_PROP_STATE,
    g_param_spec_string ("state", NULL, NULL, "idle",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  cs_object_class_install_condition_property (object_class, THING_PROP_VOLUME,
    g_param_spec_int ("volume", NULL, NULL, 0, 11, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_thing_init (TestThing *self)
{
}

/* The class's own change of its read-only property. */
static void
test_thing_bump_serial (TestThing *self)
{
  TestThingPrivate *priv = test_thing_get_instance_private (self);

  priv->serial++;
  g_object_notify (G_OBJECT (self), "serial");
}

static guint
test_thing_get_n_label_sets (TestThing *self)
{
  TestThingPrivate *priv = test_thing_get_instance_private (self);

  return priv->n_label_sets;
}

static guint
test_thing_get_n_count_sets (TestThing *self)
{
  TestThingPrivate *priv = test_thing_get_instance_private (self);

  return priv->n_count_sets;
}

static const char *
test_thing_get_secret (TestThing *self)
{
  TestThingPrivate *priv = test_thing_get_instance_private (self);

  return priv->secret;
}

/* }}} */

/* TestDerived: a subclass adding a condition property ("level") and an
 * ordinary one ("tag"). Its property ids deliberately reuse the parent's
 * numbers: ids are per class. {{{ */

#define TEST_TYPE_DERIVED (test_derived_get_type ())
G_DECLARE_FINAL_TYPE (TestDerived, test_derived, TEST, DERIVED, TestThing)

struct _TestDerived
{
  TestThing  parent_instance;
  char      *tag;
  guint      n_tag_sets;
};

G_DEFINE_FINAL_TYPE (TestDerived, test_derived, TEST_TYPE_THING)

enum {
  DERIVED_PROP_0,
  DERIVED_PROP_TAG,    /* ordinary: same id as the parent's "progress" */
  DERIVED_PROP_LEVEL,  /* condition: same id as the parent's "state" */
  DERIVED_N_PROPS
};

static void
test_derived_finalize (GObject *object)
{
  TestDerived *self = TEST_DERIVED (object);

  g_clear_pointer (&self->tag, g_free);

  G_OBJECT_CLASS (test_derived_parent_class)->finalize (object);
}

static void
test_derived_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TestDerived *self = TEST_DERIVED (object);

  switch (prop_id)
    {
    case DERIVED_PROP_TAG:
      g_value_set_string (value, self->tag);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_derived_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TestDerived *self = TEST_DERIVED (object);

  switch (prop_id)
    {
    case DERIVED_PROP_TAG:
      self->n_tag_sets++;
      replace_str (&self->tag, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_derived_class_init (TestDerivedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = test_derived_finalize;
  object_class->get_property = test_derived_get_property;
  object_class->set_property = test_derived_set_property;

  g_object_class_install_property (object_class, DERIVED_PROP_TAG,
    g_param_spec_string ("tag", NULL, NULL, "none",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  cs_object_class_install_condition_property (object_class, DERIVED_PROP_LEVEL,
    g_param_spec_uint ("level", NULL, NULL, 0, 10, 3,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

static void
test_derived_init (TestDerived *self)
{
  self->tag = g_strdup ("none");
}

/* }}} */

/* TestBetterThing: the seed's Thing, whose "value" setter rejects 0. A GObject
 * setter cannot fail, so the rejection is the pspec's range (1..G_MAXINT). {{{ */

#define TEST_TYPE_BETTER_THING (test_better_thing_get_type ())
G_DECLARE_FINAL_TYPE (TestBetterThing, test_better_thing, TEST, BETTER_THING, GObject)

struct _TestBetterThing
{
  GObject parent_instance;
  int     value;
  guint   n_sets;
};

G_DEFINE_FINAL_TYPE (TestBetterThing, test_better_thing, G_TYPE_OBJECT)

enum {
  BETTER_PROP_0,
  BETTER_PROP_VALUE,
  BETTER_N_PROPS
};

static void
test_better_thing_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  TestBetterThing *self = TEST_BETTER_THING (object);

  switch (prop_id)
    {
    case BETTER_PROP_VALUE:
      g_value_set_int (value, self->value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_better_thing_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TestBetterThing *self = TEST_BETTER_THING (object);

  switch (prop_id)
    {
    case BETTER_PROP_VALUE:
      /* the seed's "if not val: raise": the pspec keeps 0 from getting here */
      g_assert_cmpint (g_value_get_int (value), !=, 0);
      self->n_sets++;
      if (self->value != g_value_get_int (value))
        {
          self->value = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_better_thing_class_init (TestBetterThingClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_better_thing_get_property;
  object_class->set_property = test_better_thing_set_property;

  g_object_class_install_property (object_class, BETTER_PROP_VALUE,
    g_param_spec_int ("value", NULL, NULL, 1, G_MAXINT, 1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

static void
test_better_thing_init (TestBetterThing *self)
{
  self->value = 1;
}

/* }}} */

/* TestSized: condition properties that GObject sets at construction, and
 * one holding an object. {{{ */

#define TEST_TYPE_SIZED (test_sized_get_type ())
G_DECLARE_FINAL_TYPE (TestSized, test_sized, TEST, SIZED, GObject)

struct _TestSized
{
  GObject parent_instance;
};

G_DEFINE_FINAL_TYPE (TestSized, test_sized, G_TYPE_OBJECT)

enum {
  SIZED_PROP_0,
  SIZED_PROP_SIZE,     /* condition, construct */
  SIZED_PROP_KIND,     /* condition, construct-only */
  SIZED_PROP_PAYLOAD,  /* condition, an object */
  SIZED_N_PROPS
};

static void
test_sized_class_init (TestSizedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  /* no get_property/set_property at all */
  cs_object_class_install_condition_property (object_class, SIZED_PROP_SIZE,
    g_param_spec_int ("size", NULL, NULL, 0, 100, 8,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                      G_PARAM_STATIC_STRINGS));
  cs_object_class_install_condition_property (object_class, SIZED_PROP_KIND,
    g_param_spec_string ("kind", NULL, NULL, "plain",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  cs_object_class_install_condition_property (object_class, SIZED_PROP_PAYLOAD,
    g_param_spec_object ("payload", NULL, NULL, G_TYPE_OBJECT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

static void
test_sized_init (TestSized *self)
{
}

/* }}} */

/* Helpers {{{ */

static void
assert_string_value (const GValue *value,
                     const char   *expected)
{
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_STRING (value));
  g_assert_cmpstr (g_value_get_string (value), ==, expected);
}

static char *
dup_string (CsAccessor *acc)
{
  GValue *value = cs_accessor_dup_value (acc);
  char *ret;

  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS_STRING (value));
  ret = g_value_dup_string (value);
  g_boxed_free (G_TYPE_VALUE, value);

  return ret;
}

static void
assert_set_string (CsAccessor *acc,
                   const char *s)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, s);
  g_assert_true (cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_no_error (error);
}

static int
get_int (gpointer    object,
         const char *name)
{
  int ret = -1;

  g_object_get (object, name, &ret, NULL);

  return ret;
}

static char *
get_string (gpointer    object,
            const char *name)
{
  char *ret = NULL;

  g_object_get (object, name, &ret, NULL);

  return ret;
}

static CsPredicate *
predicate_equal_string (const char *s)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, s);

  return cs_predicate_new_equal (&value);
}

static gboolean
at_least_cb (const GValue  *value,
             gpointer       user_data,
             GError       **error)
{
  return g_value_get_int (value) >= GPOINTER_TO_INT (user_data);
}

/* }}} */

/* Condition properties {{{ */

static void
close_accessor_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  CsAccessor **accessor = user_data;

  cs_accessor_close (*accessor);
}

/* Was broken: a notify::progress handler connected before anyone asked for
 * the accessor closes it on a g_object_set(): the reader of that very write
 * got CLOSED (Semantics 8: it receives the write). */
static void
test_condition_close_from_earlier_handler (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = NULL;
  CsTestResult r = { 0 };

  /* connected before the accessor hears of the property's changes */
  g_signal_connect (thing, "notify::progress", G_CALLBACK (close_accessor_cb), &progress_acc);
  progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");

  cs_accessor_get_async (progress_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
  g_object_set (thing, "progress", 9, NULL);
  cs_test_drain ();

  cs_test_assert_result_int (&r, 9);
  g_assert_true (cs_accessor_is_closed (progress_acc));
  cs_test_result_clear (&r);
}

static void
test_condition_defaults (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  g_autoptr(TestThing) other = NULL;
  g_autofree char *state = NULL;
  g_autofree char *acc_state = NULL;
  CsAccessor *progress_acc;
  CsAccessor *state_acc;

  /* read through GObject first: the value is there before any accessor use */
  g_assert_cmpint (get_int (thing, "progress"), ==, 5);
  state = get_string (thing, "state");
  g_assert_cmpstr (state, ==, "idle");

  progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");
  state_acc = cs_object_get_accessor (G_OBJECT (thing), "state");
  g_assert_true (CS_IS_ACCESSOR (progress_acc));
  g_assert_true (CS_IS_ACCESSOR (state_acc));
  g_assert_cmpuint (cs_accessor_get_value_type (progress_acc), ==, G_TYPE_INT);
  g_assert_cmpuint (cs_accessor_get_value_type (state_acc), ==, G_TYPE_STRING);
  g_assert_cmpint (cs_test_dup_int (progress_acc), ==, 5);
  acc_state = dup_string (state_acc);
  g_assert_cmpstr (acc_state, ==, "idle");
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (state_acc), ==, 0);
  g_assert_false (cs_accessor_is_closed (progress_acc));

  /* the ordinary properties are untouched */
  g_assert_cmpint (get_int (thing, "count"), ==, 0);
  g_assert_cmpuint (test_thing_get_n_count_sets (thing), ==, 0);

  /* accessor first, then GObject: same default */
  other = g_object_new (TEST_TYPE_THING, "progress", 42, NULL);
  g_assert_cmpint (cs_test_dup_int (cs_object_get_accessor (G_OBJECT (other), "progress")),
                   ==, 42);
  g_assert_cmpint (get_int (other, "progress"), ==, 42);
  g_assert_cmpint (get_int (thing, "progress"), ==, 5);
}

static void
test_condition_get_set (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");
  CsAccessor *state_acc = cs_object_get_accessor (G_OBJECT (thing), "state");
  guint n_progress = 0, n_state = 0, n_label = 0;
  guint n_acc_value = 0, n_acc_generation = 0;
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;
  g_autofree char *s3 = NULL;
  g_autofree char *label = NULL;

  g_signal_connect (thing, "notify::progress", G_CALLBACK (cs_test_count_cb), &n_progress);
  g_signal_connect (thing, "notify::state", G_CALLBACK (cs_test_count_cb), &n_state);
  g_signal_connect (thing, "notify::label", G_CALLBACK (cs_test_count_cb), &n_label);
  g_signal_connect (progress_acc, "notify::value", G_CALLBACK (cs_test_count_cb), &n_acc_value);
  g_signal_connect (progress_acc, "notify::generation", G_CALLBACK (cs_test_count_cb),
                    &n_acc_generation);

  /* g_object_set → GObject and the accessor see it, one notify each */
  g_object_set (thing, "progress", 10, NULL);
  g_assert_cmpint (get_int (thing, "progress"), ==, 10);
  g_assert_cmpint (cs_test_dup_int (progress_acc), ==, 10);
  g_assert_cmpuint (n_progress, ==, 1);
  g_assert_cmpuint (n_acc_value, ==, 1);
  g_assert_cmpuint (n_acc_generation, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 1);

  /* the accessor → GObject sees it, one notify each */
  cs_test_assert_set_int (progress_acc, 20);
  g_assert_cmpint (get_int (thing, "progress"), ==, 20);
  g_assert_cmpint (cs_test_dup_int (progress_acc), ==, 20);
  g_assert_cmpuint (n_progress, ==, 2);
  g_assert_cmpuint (n_acc_value, ==, 2);
  g_assert_cmpuint (n_acc_generation, ==, 2);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 2);

  /* the accessor's own "value" property is a write too */
  {
    g_auto(GValue) v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_INT);
    g_value_set_int (&v, 25);
    g_object_set (progress_acc, "value", &v, NULL);
  }
  g_assert_cmpint (get_int (thing, "progress"), ==, 25);
  g_assert_cmpuint (n_progress, ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 3);

  /* the string property (no explicit notify) */
  g_object_set (thing, "state", "running", NULL);
  s1 = dup_string (state_acc);
  g_assert_cmpstr (s1, ==, "running");
  g_assert_cmpuint (n_state, ==, 1);
  assert_set_string (state_acc, "done");
  s2 = get_string (thing, "state");
  g_assert_cmpstr (s2, ==, "done");
  g_assert_cmpuint (n_state, ==, 2);
  g_assert_cmpuint (cs_accessor_get_generation (state_acc), ==, 2);

  /* several at once, ordinary and condition mixed: each notifies once */
  g_object_set (thing,
                "progress", 30,
                "label", "hello",
                "state", "idle",
                "count", 7,
                NULL);
  g_assert_cmpint (get_int (thing, "progress"), ==, 30);
  s3 = dup_string (state_acc);
  g_assert_cmpstr (s3, ==, "idle");
  label = get_string (thing, "label");
  g_assert_cmpstr (label, ==, "hello");
  g_assert_cmpint (get_int (thing, "count"), ==, 7);
  g_assert_cmpuint (n_progress, ==, 4);
  g_assert_cmpuint (n_state, ==, 3);
  g_assert_cmpuint (n_label, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 4);
  g_assert_cmpuint (cs_accessor_get_generation (state_acc), ==, 3);

  /* the class's own setter saw only its own properties */
  g_assert_cmpuint (test_thing_get_n_label_sets (thing), ==, 1);
  g_assert_cmpuint (test_thing_get_n_count_sets (thing), ==, 1);

  /* a write-only ordinary property still reaches the class */
  g_object_set (thing, "secret", "s3cr3t", NULL);
  g_assert_cmpstr (test_thing_get_secret (thing), ==, "s3cr3t");
}

static void
test_condition_waiters (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");
  CsAccessor *state_acc = cs_object_get_accessor (G_OBJECT (thing), "state");
  g_autoptr(CsPredicate) half = cs_predicate_new (at_least_cb, GINT_TO_POINTER (50), NULL);
  g_autoptr(CsPredicate) done = predicate_equal_string ("done");
  CsTestResult next = { 0 }, at_half = { 0 }, is_done = { 0 }, now = { 0 };

  /* a default reader wakes on a plain g_object_set, with that value */
  cs_accessor_get_async (progress_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &next);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (progress_acc), ==, 1);
  cs_test_drain ();
  g_assert_cmpuint (next.done, ==, 0);
  g_object_set (thing, "progress", 40, NULL);
  cs_test_run_until (&next.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&next, 40);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (progress_acc), ==, 0);

  /* a predicate reader gets exactly the first value that matched (60), even
   * though 70 was written before it could run */
  cs_accessor_get_async (progress_acc, half, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &at_half);
  cs_accessor_get_async (state_acc, done, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &is_done);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (progress_acc), ==, 1);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (state_acc), ==, 1);
  g_object_set (thing, "progress", 45, NULL);
  cs_test_drain ();
  g_assert_cmpuint (at_half.done, ==, 0);
  g_object_set (thing, "progress", 60, NULL);
  g_object_set (thing, "progress", 70, NULL);
  cs_test_run_until (&at_half.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&at_half, 60);
  g_assert_cmpint (get_int (thing, "progress"), ==, 70);

  g_object_set (thing, "state", "running", NULL);
  cs_test_drain ();
  g_assert_cmpuint (is_done.done, ==, 0);
  g_object_set (thing, "state", "done", NULL);
  cs_test_run_until (&is_done.done, 1, TIMEOUT_SECONDS);
  g_assert_no_error (is_done.error);
  assert_string_value (is_done.value, "done");

  /* a predicate that already matches completes at once */
  cs_accessor_get_async (progress_acc, half, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &now);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (progress_acc), ==, 0);
  cs_test_run_until (&now.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&now, 70);

  cs_test_result_clear (&next);
  cs_test_result_clear (&at_half);
  cs_test_result_clear (&is_done);
  cs_test_result_clear (&now);

  /* the same through an accessor over an ordinary property, cached too */
  {
    CsAccessor *label_acc = cs_object_get_accessor (G_OBJECT (thing), "label");

    cs_accessor_get_async (label_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &next);
    g_object_set (thing, "label", "ready", NULL);
    cs_test_run_until (&next.done, 1, TIMEOUT_SECONDS);
    g_assert_no_error (next.error);
    assert_string_value (next.value, "ready");
    cs_test_result_clear (&next);
  }
}

static void
test_condition_construct (void)
{
  g_autoptr(TestSized) plain = g_object_new (TEST_TYPE_SIZED, NULL);
  g_autoptr(TestSized) special = g_object_new (TEST_TYPE_SIZED,
                                               "size", 3,
                                               "kind", "special",
                                               NULL);
  TestSized *holder = g_object_new (TEST_TYPE_SIZED, NULL);
  GObject *payload = g_object_new (G_TYPE_OBJECT, NULL);
  gpointer weak_payload = payload;
  CsAccessor *size_acc = cs_object_get_accessor (G_OBJECT (special), "size");
  g_autofree char *kind1 = NULL;
  g_autofree char *kind2 = NULL;
  GObject *got = NULL;
  CsTestResult read = { 0 };

  /* construct and construct-only: the pspec's default, or the given value */
  g_assert_cmpint (get_int (plain, "size"), ==, 8);
  kind1 = get_string (plain, "kind");
  g_assert_cmpstr (kind1, ==, "plain");
  g_assert_cmpint (get_int (special, "size"), ==, 3);
  g_assert_cmpint (cs_test_dup_int (size_acc), ==, 3);
  kind2 = dup_string (cs_object_get_accessor (G_OBJECT (special), "kind"));
  g_assert_cmpstr (kind2, ==, "special");

  /* and they wait like any other */
  cs_accessor_get_async (size_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);
  g_object_set (special, "size", 4, NULL);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&read, 4);
  cs_test_result_clear (&read);

  /* an object value: held while set, released with the instance */
  g_object_add_weak_pointer (payload, &weak_payload);
  g_object_set (holder, "payload", payload, NULL);
  g_object_unref (payload);
  g_assert_nonnull (weak_payload);
  g_object_get (holder, "payload", &got, NULL);
  g_assert_true (got == weak_payload);
  g_clear_object (&got);
  g_object_unref (holder);
  cs_test_drain ();
  g_assert_null (weak_payload);
}

static void
test_condition_binding (void)
{
  g_autoptr(TestThing) a = g_object_new (TEST_TYPE_THING, NULL);
  g_autoptr(TestThing) b = g_object_new (TEST_TYPE_THING, NULL);
  g_autoptr(TestThing) c = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *a_progress = cs_object_get_accessor (G_OBJECT (a), "progress");
  CsAccessor *a_state = cs_object_get_accessor (G_OBJECT (a), "state");
  CsAccessor *b_state = cs_object_get_accessor (G_OBJECT (b), "state");
  CsTestResult read = { 0 };
  g_autofree char *s1 = NULL;
  g_autofree char *s2 = NULL;

  /* condition property → ordinary property */
  g_object_bind_property (a, "progress", b, "count", G_BINDING_SYNC_CREATE);
  g_assert_cmpint (get_int (b, "count"), ==, 5);
  cs_test_assert_set_int (a_progress, 33);
  g_assert_cmpint (get_int (b, "count"), ==, 33);
  g_object_set (a, "progress", 34, NULL);
  g_assert_cmpint (get_int (b, "count"), ==, 34);

  /* condition property ↔ condition property */
  g_object_bind_property (a, "state", b, "state", G_BINDING_BIDIRECTIONAL);
  assert_set_string (a_state, "running");
  s1 = dup_string (b_state);
  g_assert_cmpstr (s1, ==, "running");

  /* a write to the target wakes a reader of the source */
  cs_accessor_get_async (a_state, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);
  g_object_set (b, "state", "done", NULL);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  g_assert_no_error (read.error);
  assert_string_value (read.value, "done");
  s2 = get_string (a, "state");
  g_assert_cmpstr (s2, ==, "done");
  cs_test_result_clear (&read);

  /* ordinary property → condition property: a reader of the target wakes
   * (from a third object: a → b → a would be a notify loop, as with any
   * properties that notify on every set) */
  g_object_bind_property (c, "count", a, "progress", G_BINDING_DEFAULT);
  cs_accessor_get_async (a_progress, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);
  g_object_set (c, "count", 77, NULL);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&read, 77);
  g_assert_cmpint (get_int (a, "progress"), ==, 77);
  g_assert_cmpint (get_int (b, "count"), ==, 77);
  cs_test_result_clear (&read);
}

static void
test_condition_derived (void)
{
  g_autoptr(TestDerived) derived = g_object_new (TEST_TYPE_DERIVED, NULL);
  g_autoptr(TestThing) plain = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (derived), "progress");
  CsAccessor *level_acc = cs_object_get_accessor (G_OBJECT (derived), "level");
  CsTestResult progress_read = { 0 }, level_read = { 0 };
  guint n_level = 0, n_tag = 0;
  g_autofree char *tag = NULL;
  g_autofree char *label = NULL;
  g_autofree char *state = NULL;
  guint level = 0;

  g_assert_cmpuint (cs_accessor_get_value_type (level_acc), ==, G_TYPE_UINT);

  /* defaults of all four kinds */
  g_object_get (derived, "level", &level, "tag", &tag, "state", &state, NULL);
  g_assert_cmpuint (level, ==, 3);
  g_assert_cmpstr (tag, ==, "none");
  g_assert_cmpstr (state, ==, "idle");
  g_assert_cmpint (get_int (derived, "progress"), ==, 5);
  g_clear_pointer (&tag, g_free);
  g_clear_pointer (&state, g_free);

  g_signal_connect (derived, "notify::level", G_CALLBACK (cs_test_count_cb), &n_level);
  g_signal_connect (derived, "notify::tag", G_CALLBACK (cs_test_count_cb), &n_tag);

  /* readers on the parent's and the subclass's condition properties */
  cs_accessor_get_async (progress_acc, NULL, CS_GET_FLAGS_NONE, NULL,
                         cs_test_get_done, &progress_read);
  cs_accessor_get_async (level_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &level_read);

  g_object_set (derived,
                "progress", 12,
                "state", "running",
                "label", "parent's",
                "level", 7,
                "tag", "child's",
                NULL);

  cs_test_run_until (&progress_read.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&level_read.done, 1, TIMEOUT_SECONDS);
  g_assert_no_error (progress_read.error);
  g_assert_no_error (level_read.error);
  cs_test_assert_result_int (&progress_read, 12);
  g_assert_nonnull (level_read.value);
  g_assert_true (G_VALUE_HOLDS_UINT (level_read.value));
  g_assert_cmpuint (g_value_get_uint (level_read.value), ==, 7);

  g_object_get (derived,
                "level", &level,
                "tag", &tag,
                "label", &label,
                "state", &state,
                NULL);
  g_assert_cmpuint (level, ==, 7);
  g_assert_cmpstr (tag, ==, "child's");
  g_assert_cmpstr (label, ==, "parent's");
  g_assert_cmpstr (state, ==, "running");
  g_assert_cmpint (get_int (derived, "progress"), ==, 12);
  g_assert_cmpuint (n_level, ==, 1);
  g_assert_cmpuint (n_tag, ==, 1);

  /* each class's setter ran for its own ordinary property, once */
  g_assert_cmpuint (derived->n_tag_sets, ==, 1);
  g_assert_cmpuint (test_thing_get_n_label_sets (TEST_THING (derived)), ==, 1);

  /* the subclass's condition property through its accessor, with its range */
  {
    g_auto(GValue) v = G_VALUE_INIT;
    g_autoptr(GError) error = NULL;

    g_value_init (&v, G_TYPE_UINT);
    g_value_set_uint (&v, 9);
    g_assert_true (cs_accessor_set (level_acc, &v, CS_SET_FLAGS_NONE, NULL, &error));
    g_assert_no_error (error);
    g_object_get (derived, "level", &level, NULL);
    g_assert_cmpuint (level, ==, 9);
    g_assert_cmpuint (n_level, ==, 2);

    g_value_set_uint (&v, 11);
    g_assert_false (cs_accessor_set (level_acc, &v, CS_SET_FLAGS_NONE, NULL, &error));
    g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
    g_object_get (derived, "level", &level, NULL);
    g_assert_cmpuint (level, ==, 9);
    g_assert_cmpuint (n_level, ==, 2);
    g_assert_cmpuint (cs_accessor_get_generation (level_acc), ==, 2);
  }

  /* the parent class on its own is unaffected by the subclass */
  g_object_set (plain, "progress", 99, "label", "plain", NULL);
  g_assert_cmpint (get_int (plain, "progress"), ==, 99);
  g_assert_cmpuint (test_thing_get_n_label_sets (plain), ==, 1);
  g_assert_cmpint (get_int (derived, "progress"), ==, 12);
  g_assert_null (g_object_class_find_property (G_OBJECT_GET_CLASS (plain), "level"));

  cs_test_result_clear (&progress_read);
  cs_test_result_clear (&level_read);
}

/* }}} */

/* Accessors over plain properties {{{ */

static void
test_property_better_thing (void)
{
  g_autoptr(TestBetterThing) better_thing = g_object_new (TEST_TYPE_BETTER_THING, NULL);
  g_autoptr(CsAccessor) value_accessor = NULL;
  g_autoptr(GError) error = NULL;
  CsTestResult background = { 0 };
  CsTestResult set = { 0 };
  g_auto(GValue) v = G_VALUE_INIT;

  value_accessor = cs_accessor_new_for_property (G_OBJECT (better_thing), "value");
  g_assert_nonnull (value_accessor);
  g_assert_cmpint (cs_test_dup_int (value_accessor), ==, 1);

  /* background = create_task (wait_for_write (...)); await set (3) → 3 */
  cs_accessor_get_async (value_accessor, NULL, CS_GET_FLAGS_NONE, NULL,
                         cs_test_get_done, &background);
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, 3);
  cs_accessor_set_async (value_accessor, &v, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &set);
  cs_test_run_until (&set.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&background.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_ok (&set);
  cs_test_assert_result_int (&background, 3);

  /* better_thing.value → 3, written by the class's own setter */
  g_assert_cmpint (get_int (better_thing, "value"), ==, 3);
  g_assert_cmpint (better_thing->value, ==, 3);
  g_assert_cmpuint (better_thing->n_sets, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (value_accessor), ==, 1);
  cs_test_result_clear (&background);
  cs_test_result_clear (&set);

  /* await set (0) → ValueError: a pending reader is not woken */
  cs_accessor_get_async (value_accessor, NULL, CS_GET_FLAGS_NONE, NULL,
                         cs_test_get_done, &background);
  g_value_set_int (&v, 0);
  cs_accessor_set_async (value_accessor, &v, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &set);
  cs_test_run_until (&set.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&set, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  g_assert_false (cs_accessor_set (value_accessor, &v, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  cs_test_drain ();
  g_assert_cmpuint (background.done, ==, 0);
  g_assert_cmpint (get_int (better_thing, "value"), ==, 3);
  g_assert_cmpint (cs_test_dup_int (value_accessor), ==, 3);
  g_assert_cmpuint (better_thing->n_sets, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (value_accessor), ==, 1);

  /* a change made through plain g_object_set wakes it */
  g_object_set (better_thing, "value", 8, NULL);
  cs_test_run_until (&background.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&background, 8);

  cs_test_result_clear (&background);
  cs_test_result_clear (&set);
}

static void
test_property_foreign_class (void)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("go", NULL);
  g_autoptr(CsAccessor) enabled = NULL;
  g_autoptr(CsPredicate) disabled = NULL;
  g_auto(GValue) v = G_VALUE_INIT;
  CsTestResult read = { 0 };

  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, FALSE);
  disabled = cs_predicate_new_equal (&v);

  enabled = cs_accessor_new_for_property (G_OBJECT (action), "enabled");
  g_assert_nonnull (enabled);
  g_assert_cmpuint (cs_accessor_get_value_type (enabled), ==, G_TYPE_BOOLEAN);

  cs_accessor_get_async (enabled, disabled, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (enabled), ==, 1);
  cs_test_drain ();
  g_assert_cmpuint (read.done, ==, 0);

  /* the class's own API and its own notify */
  g_simple_action_set_enabled (action, FALSE);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  g_assert_no_error (read.error);
  g_assert_nonnull (read.value);
  g_assert_true (G_VALUE_HOLDS_BOOLEAN (read.value));
  g_assert_false (g_value_get_boolean (read.value));
  g_assert_cmpuint (cs_accessor_get_generation (enabled), ==, 1);
  cs_test_result_clear (&read);

  /* and the other way round */
  g_value_set_boolean (&v, TRUE);
  g_assert_true (cs_accessor_set (enabled, &v, CS_SET_FLAGS_NONE, NULL, NULL));
  g_assert_true (g_action_get_enabled (G_ACTION (action)));
  g_assert_cmpuint (cs_accessor_get_generation (enabled), ==, 2);
}

/* }}} */

/* Ranges and flags {{{ */

static void
test_range_condition (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");
  g_autoptr(GError) error = NULL;
  guint n_progress = 0;
  CsTestResult read = { 0 };

  g_object_set (thing, "progress", 50, NULL);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 1);
  g_signal_connect (thing, "notify::progress", G_CALLBACK (cs_test_count_cb), &n_progress);
  cs_accessor_get_async (progress_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);

  /* through the accessor: an error, nothing changes */
  g_assert_false (cs_test_set_int (progress_acc, 200, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (cs_test_set_int (progress_acc, -1, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* a value of the wrong type */
  {
    g_auto(GValue) v = G_VALUE_INIT;

    g_value_init (&v, G_TYPE_STRING);
    g_value_set_string (&v, "60");
    g_assert_false (cs_accessor_set (progress_acc, &v, CS_SET_FLAGS_NONE, NULL, &error));
    g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
    g_clear_error (&error);
  }

  g_assert_cmpint (cs_test_dup_int (progress_acc), ==, 50);
  g_assert_cmpint (get_int (thing, "progress"), ==, 50);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 1);
  g_assert_cmpuint (n_progress, ==, 0);

  /* through g_object_set: GObject's own warning, nothing changes */
  g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING, "*out of range*");
  g_object_set (thing, "progress", 200, NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpint (cs_test_dup_int (progress_acc), ==, 50);
  g_assert_cmpint (get_int (thing, "progress"), ==, 50);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 1);
  g_assert_cmpuint (n_progress, ==, 0);

  cs_test_drain ();
  g_assert_cmpuint (read.done, ==, 0);

  /* the bounds themselves are fine */
  cs_test_assert_set_int (progress_acc, 100);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&read, 100);
  cs_test_assert_set_int (progress_acc, 0);
  g_assert_cmpint (get_int (thing, "progress"), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 3);
  g_assert_cmpuint (n_progress, ==, 2);

  cs_test_result_clear (&read);
}

static void
test_range_property (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, "count", 10, NULL);
  g_autoptr(CsAccessor) count_acc = cs_accessor_new_for_property (G_OBJECT (thing), "count");
  g_autoptr(GError) error = NULL;
  guint n_sets = test_thing_get_n_count_sets (thing);
  CsTestResult read = { 0 };

  g_assert_cmpuint (n_sets, ==, 1);
  cs_accessor_get_async (count_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);

  g_assert_false (cs_test_set_int (count_acc, 2000, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  g_assert_false (cs_test_set_int (count_acc, -5, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* not clamped: the class never saw it */
  g_assert_cmpint (get_int (thing, "count"), ==, 10);
  g_assert_cmpint (cs_test_dup_int (count_acc), ==, 10);
  g_assert_cmpuint (test_thing_get_n_count_sets (thing), ==, n_sets);
  g_assert_cmpuint (cs_accessor_get_generation (count_acc), ==, 0);

  cs_test_drain ();
  g_assert_cmpuint (read.done, ==, 0);

  cs_test_assert_set_int (count_acc, 1000);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&read, 1000);
  g_assert_cmpint (get_int (thing, "count"), ==, 1000);
  g_assert_cmpuint (test_thing_get_n_count_sets (thing), ==, n_sets + 1);
  g_assert_cmpuint (cs_accessor_get_generation (count_acc), ==, 1);

  /* g_object_set warns and keeps the value. (GObject itself still emits
   * notify::count for the rejected value, since "count" has no
   * G_PARAM_EXPLICIT_NOTIFY, and the accessor follows notify: so no claim is
   * made here about its generation.) */
  g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING, "*out of range*");
  g_object_set (thing, "count", 2000, NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpint (get_int (thing, "count"), ==, 1000);
  g_assert_cmpint (cs_test_dup_int (count_acc), ==, 1000);
  g_assert_cmpuint (test_thing_get_n_count_sets (thing), ==, n_sets + 1);

  cs_test_result_clear (&read);
}

/* A condition property without G_PARAM_EXPLICIT_NOTIFY: GObject queues a
 * notify even for a value it rejected, but that is no write (API.md,
 * semantics 1 and 9; "generation" counts successful writes). */
static void
test_range_condition_auto_notify (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *volume_acc = cs_object_get_accessor (G_OBJECT (thing), "volume");
  g_autoptr(GError) error = NULL;
  CsTestResult read = { 0 };

  g_object_set (thing, "volume", 4, NULL);
  g_assert_cmpuint (cs_accessor_get_generation (volume_acc), ==, 1);
  cs_accessor_get_async (volume_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);

  g_assert_false (cs_test_set_int (volume_acc, 12, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE);

  g_test_expect_message ("GLib-GObject", G_LOG_LEVEL_WARNING, "*out of range*");
  g_object_set (thing, "volume", 12, NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpint (get_int (thing, "volume"), ==, 4);
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (volume_acc), ==, 1);
  g_assert_cmpuint (read.done, ==, 0);

  g_object_set (thing, "volume", 11, NULL);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&read, 11);
  g_assert_cmpuint (cs_accessor_get_generation (volume_acc), ==, 2);

  cs_test_result_clear (&read);
}

static void
test_read_only_property (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  g_autoptr(GSimpleAction) action = g_simple_action_new ("go", NULL);
  g_autoptr(CsAccessor) serial = cs_accessor_new_for_property (G_OBJECT (thing), "serial");
  g_autoptr(CsAccessor) name = cs_accessor_new_for_property (G_OBJECT (action), "name");
  CsAccessor *cached = cs_object_get_accessor (G_OBJECT (thing), "serial");
  g_autoptr(GError) error = NULL;
  CsTestResult set = { 0 };
  CsTestResult read = { 0 };
  g_auto(GValue) v = G_VALUE_INIT;
  g_autofree char *action_name = NULL;

  g_assert_nonnull (serial);
  g_assert_nonnull (name);
  g_assert_nonnull (cached);

  g_assert_false (cs_test_set_int (serial, 4, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (cs_test_set_int (cached, 4, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, 4);
  cs_accessor_set_async (serial, &v, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &set);
  cs_test_run_until (&set.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&set, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY);
  g_assert_cmpint (get_int (thing, "serial"), ==, 0);
  g_assert_cmpuint (cs_accessor_get_generation (serial), ==, 0);

  /* construct-only is not writable either */
  {
    g_auto(GValue) s = G_VALUE_INIT;

    g_value_init (&s, G_TYPE_STRING);
    g_value_set_string (&s, "stop");
    g_assert_false (cs_accessor_set (name, &s, CS_SET_FLAGS_NONE, NULL, &error));
    g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY);
    g_clear_error (&error);
    action_name = dup_string (name);
    g_assert_cmpstr (action_name, ==, "go");
  }

  /* but it can be read and waited on: the class changes it itself */
  cs_accessor_get_async (serial, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);
  test_thing_bump_serial (thing);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&read, 1);
  g_assert_cmpint (cs_test_dup_int (cached), ==, 1);

  cs_test_result_clear (&set);
  cs_test_result_clear (&read);
}

static void
test_invalid_property (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *acc;

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*");
  acc = cs_accessor_new_for_property (G_OBJECT (thing), "no-such-property");
  g_test_assert_expected_messages ();
  g_assert_null (acc);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*");
  acc = cs_object_get_accessor (G_OBJECT (thing), "no-such-property");
  g_test_assert_expected_messages ();
  g_assert_null (acc);

  /* write-only: nothing to read or wait on */
  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*");
  acc = cs_accessor_new_for_property (G_OBJECT (thing), "secret");
  g_test_assert_expected_messages ();
  g_assert_null (acc);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*");
  acc = cs_object_get_accessor (G_OBJECT (thing), "secret");
  g_test_assert_expected_messages ();
  g_assert_null (acc);

  /* programmer errors */
  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*");
  acc = cs_accessor_new_for_property (NULL, "progress");
  g_test_assert_expected_messages ();
  g_assert_null (acc);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*");
  acc = cs_object_get_accessor (NULL, "progress");
  g_test_assert_expected_messages ();
  g_assert_null (acc);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*");
  acc = cs_object_get_accessor (G_OBJECT (thing), NULL);
  g_test_assert_expected_messages ();
  g_assert_null (acc);

  g_test_expect_message ("Codestare", G_LOG_LEVEL_CRITICAL, "*");
  acc = cs_accessor_new_for_property (G_OBJECT (thing), NULL);
  g_test_assert_expected_messages ();
  g_assert_null (acc);

  /* nothing of that broke the good ones */
  g_assert_nonnull (cs_object_get_accessor (G_OBJECT (thing), "progress"));
}

/* }}} */

/* Lifetime {{{ */

static void
test_lifetime_pending (void)
{
  TestThing *thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");
  CsAccessor *state_acc = cs_object_get_accessor (G_OBJECT (thing), "state");
  CsAccessor *count_acc = cs_object_get_accessor (G_OBJECT (thing), "count");
  CsAccessor *label_acc = cs_accessor_new_for_property (G_OBJECT (thing), "label");
  g_autoptr(CsPredicate) done = predicate_equal_string ("done");
  CsTestResult progress_read = { 0 }, state_read = { 0 }, label_read = { 0 };
  CsTestResult handoff = { 0 }, read_wait = { 0 };
  g_auto(GValue) v = G_VALUE_INIT;
  gpointer weak_thing = thing;

  g_object_add_weak_pointer (G_OBJECT (thing), &weak_thing);
  g_object_add_weak_pointer (G_OBJECT (progress_acc), (gpointer *) &progress_acc);
  g_object_add_weak_pointer (G_OBJECT (state_acc), (gpointer *) &state_acc);
  g_object_add_weak_pointer (G_OBJECT (count_acc), (gpointer *) &count_acc);
  g_object_add_weak_pointer (G_OBJECT (label_acc), (gpointer *) &label_acc);

  cs_accessor_get_async (progress_acc, NULL, CS_GET_FLAGS_NONE, NULL,
                         cs_test_get_done, &progress_read);
  cs_accessor_get_async (state_acc, done, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &state_read);
  cs_accessor_get_async (label_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &label_read);
  g_value_init (&v, G_TYPE_INT);
  g_value_set_int (&v, 3);
  cs_accessor_set_async (count_acc, &v, CS_SET_FLAGS_WAIT_FOR_READ, NULL,
                         cs_test_set_done, &handoff);
  cs_accessor_wait_for_read_async (count_acc, NULL, cs_test_wait_for_read_done, &read_wait);
  cs_test_drain ();
  g_assert_cmpuint (progress_read.done + state_read.done + label_read.done, ==, 0);
  g_assert_cmpuint (handoff.done + read_wait.done, ==, 0);

  g_object_unref (thing);
  g_assert_null (weak_thing);

  cs_test_run_until (&progress_read.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&state_read.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&label_read.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&handoff.done, 1, TIMEOUT_SECONDS);
  cs_test_run_until (&read_wait.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&progress_read, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&state_read, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&label_read, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&handoff, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_assert_result_error (&read_wait, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);

  /* the cached ones died with the object; ours is closed */
  cs_test_drain ();
  g_assert_null (progress_acc);
  g_assert_null (state_acc);
  g_assert_null (count_acc);
  g_assert_nonnull (label_acc);
  g_assert_true (cs_accessor_is_closed (label_acc));
  g_object_unref (label_acc);
  g_assert_null (label_acc);

  cs_test_result_clear (&progress_read);
  cs_test_result_clear (&state_read);
  cs_test_result_clear (&label_read);
  cs_test_result_clear (&handoff);
  cs_test_result_clear (&read_wait);
}

static void
assert_closed_cleanly (CsAccessor   *acc,
                       const GValue *to_write)
{
  g_autoptr(GError) error = NULL;
  CsTestResult read = { 0 };
  CsTestResult set = { 0 }, read_wait = { 0 };
  GValue *value;

  g_assert_true (cs_accessor_is_closed (acc));

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&read, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&read);

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NO_WAIT_FOR_WRITE, NULL, cs_test_get_done, &read);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&read, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&read);

  cs_accessor_set_async (acc, to_write, CS_SET_FLAGS_NONE, NULL, cs_test_set_done, &set);
  cs_test_run_until (&set.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&set, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&set);

  cs_accessor_set_async (acc, to_write, CS_SET_FLAGS_WAIT_FOR_READ, NULL, cs_test_set_done, &set);
  cs_test_run_until (&set.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&set, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&set);

  g_assert_false (cs_accessor_set (acc, to_write, CS_SET_FLAGS_NONE, NULL, &error));
  g_assert_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  g_clear_error (&error);

  cs_accessor_wait_for_read_async (acc, NULL, cs_test_wait_for_read_done, &read_wait);
  cs_test_run_until (&read_wait.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&read_wait, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED);
  cs_test_result_clear (&read_wait);

  value = cs_accessor_dup_value (acc);
  g_assert_nonnull (value);
  g_assert_true (G_VALUE_HOLDS (value, cs_accessor_get_value_type (acc)));
  g_boxed_free (G_TYPE_VALUE, value);

  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);
}

static void
test_lifetime_outlive (void)
{
  TestThing *thing = g_object_new (TEST_TYPE_THING, "progress", 33, "count", 4, NULL);
  CsAccessor *progress_acc = g_object_ref (cs_object_get_accessor (G_OBJECT (thing), "progress"));
  CsAccessor *state_acc = g_object_ref (cs_object_get_accessor (G_OBJECT (thing), "state"));
  CsAccessor *count_acc = cs_accessor_new_for_property (G_OBJECT (thing), "count");
  CsAccessor *label_acc = g_object_ref (cs_object_get_accessor (G_OBJECT (thing), "label"));
  guint n_closed = 0;
  g_auto(GValue) i = G_VALUE_INIT;
  g_auto(GValue) s = G_VALUE_INIT;

  g_value_init (&i, G_TYPE_INT);
  g_value_set_int (&i, 1);
  g_value_init (&s, G_TYPE_STRING);
  g_value_set_string (&s, "done");

  g_signal_connect (progress_acc, "notify::closed", G_CALLBACK (cs_test_count_cb), &n_closed);
  g_assert_false (cs_accessor_is_closed (progress_acc));
  g_assert_false (cs_accessor_is_closed (count_acc));

  g_object_unref (thing);

  g_assert_cmpuint (n_closed, ==, 1);
  assert_closed_cleanly (progress_acc, &i);
  assert_closed_cleanly (state_acc, &s);
  assert_closed_cleanly (count_acc, &i);
  assert_closed_cleanly (label_acc, &s);

  cs_test_drain ();
  g_object_add_weak_pointer (G_OBJECT (progress_acc), (gpointer *) &progress_acc);
  g_object_add_weak_pointer (G_OBJECT (state_acc), (gpointer *) &state_acc);
  g_object_add_weak_pointer (G_OBJECT (count_acc), (gpointer *) &count_acc);
  g_object_add_weak_pointer (G_OBJECT (label_acc), (gpointer *) &label_acc);
  g_object_unref (progress_acc);
  g_object_unref (state_acc);
  g_object_unref (count_acc);
  g_object_unref (label_acc);
  g_assert_null (progress_acc);
  g_assert_null (state_acc);
  g_assert_null (count_acc);
  g_assert_null (label_acc);
}

/* An accessor released before its object: the object stays usable and a new
 * one can be made. */
static void
test_lifetime_accessor_first (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *count_acc = cs_accessor_new_for_property (G_OBJECT (thing), "count");
  g_autoptr(CsAccessor) again = NULL;
  CsTestResult read = { 0 };

  g_object_add_weak_pointer (G_OBJECT (count_acc), (gpointer *) &count_acc);
  g_object_unref (count_acc);
  g_assert_null (count_acc);

  /* no handler of the dead accessor runs */
  g_object_set (thing, "count", 9, NULL);
  g_assert_cmpint (get_int (thing, "count"), ==, 9);

  again = cs_accessor_new_for_property (G_OBJECT (thing), "count");
  cs_accessor_get_async (again, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &read);
  g_object_set (thing, "count", 10, NULL);
  cs_test_run_until (&read.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&read, 10);
  cs_test_result_clear (&read);
}

/* }}} */

/* Frozen notifications {{{ */

static void
test_freeze_notify (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CsPredicate) is_10 = cs_test_predicate_equal_int (10);
  CsTestResult next = { 0 }, ten = { 0 };
  guint n_progress = 0;

  g_signal_connect (thing, "notify::progress", G_CALLBACK (cs_test_count_cb), &n_progress);

  cs_accessor_get_async (progress_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &next);
  cs_accessor_get_async (progress_acc, is_10, CS_GET_FLAGS_NONE, cancellable,
                         cs_test_get_done, &ten);

  g_object_freeze_notify (G_OBJECT (thing));
  g_object_set (thing, "progress", 10, NULL);
  g_object_set (thing, "progress", 20, NULL);
  cs_test_drain ();
  g_assert_cmpuint (next.done, ==, 0);
  g_assert_cmpuint (ten.done, ==, 0);
  g_assert_cmpuint (n_progress, ==, 0);
  /* the value itself is already there */
  g_assert_cmpint (get_int (thing, "progress"), ==, 20);

  g_object_thaw_notify (G_OBJECT (thing));
  cs_test_run_until (&next.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&next, 20);
  g_assert_cmpuint (n_progress, ==, 1);
  /* one notification, but two writes (API.md, Semantics 9) */
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 2);

  /* coalesced: 10 was never seen */
  cs_test_drain ();
  g_assert_cmpuint (next.done, ==, 1);
  g_assert_cmpuint (ten.done, ==, 0);
  g_cancellable_cancel (cancellable);
  cs_test_run_until (&ten.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_error (&ten, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  cs_test_result_clear (&next);
  cs_test_result_clear (&ten);

  /* the same with writes through the accessor */
  cs_accessor_get_async (progress_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &next);
  g_object_freeze_notify (G_OBJECT (thing));
  cs_test_assert_set_int (progress_acc, 30);
  cs_test_assert_set_int (progress_acc, 40);
  cs_test_drain ();
  g_assert_cmpuint (next.done, ==, 0);
  g_object_thaw_notify (G_OBJECT (thing));
  cs_test_run_until (&next.done, 1, TIMEOUT_SECONDS);
  cs_test_assert_result_int (&next, 40);
  g_assert_cmpuint (n_progress, ==, 2);
  cs_test_result_clear (&next);
}

/* Issue 11, E8 (API.md, Semantics 9: "generation counts every successful
 * write when it is applied, also those that coalesce while notifications are
 * frozen and those made through a condition property"): one g_object_set() of
 * a condition property three times is three writes, notified once. */
static void
test_condition_generation_counts_each_set (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");
  CsAccessor *volume_acc = cs_object_get_accessor (G_OBJECT (thing), "volume");
  guint n_progress = 0, n_volume = 0;

  g_signal_connect (thing, "notify::progress", G_CALLBACK (cs_test_count_cb), &n_progress);
  g_signal_connect (thing, "notify::volume", G_CALLBACK (cs_test_count_cb), &n_volume);

  /* explicit notify and automatic notify alike */
  g_object_set (thing, "progress", 1, "progress", 2, "progress", 3, NULL);
  g_object_set (thing, "volume", 1, "volume", 2, "volume", 3, NULL);

  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 3);
  g_assert_cmpuint (cs_accessor_get_generation (volume_acc), ==, 3);
  g_assert_cmpint (cs_test_dup_int (progress_acc), ==, 3);
  g_assert_cmpint (cs_test_dup_int (volume_acc), ==, 3);
  g_assert_cmpuint (n_progress, ==, 1);
  g_assert_cmpuint (n_volume, ==, 1);
}

/* Issue 11, E8 (API.md, Semantics 9, as above): writes made while the
 * instance's notifications are frozen count when they are applied, not once
 * at the thaw, whether they go through the accessor or through
 * g_object_set(). */
static void
test_condition_generation_counts_frozen_writes (void)
{
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (thing), "progress");
  guint n_progress = 0;

  g_signal_connect (thing, "notify::progress", G_CALLBACK (cs_test_count_cb), &n_progress);

  g_object_freeze_notify (G_OBJECT (thing));
  cs_test_assert_set_int (progress_acc, 10);
  cs_test_assert_set_int (progress_acc, 20);
  cs_test_assert_set_int (progress_acc, 30);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 3);
  g_object_thaw_notify (G_OBJECT (thing));
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 3);
  g_assert_cmpint (get_int (thing, "progress"), ==, 30);
  g_assert_cmpuint (n_progress, ==, 1);

  g_object_freeze_notify (G_OBJECT (thing));
  g_object_set (thing, "progress", 40, NULL);
  g_object_set (thing, "progress", 50, NULL);
  g_object_set (thing, "progress", 60, NULL);
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 6);
  g_object_thaw_notify (G_OBJECT (thing));
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (progress_acc), ==, 6);
  g_assert_cmpint (cs_test_dup_int (progress_acc), ==, 60);
  g_assert_cmpuint (n_progress, ==, 2);
}

/* E8 (API.md, Semantics 9): an accessor over a plain property counts each
 * of its own writes, also those made while the object's notifications are
 * frozen and fold into one; it counts them at the notification, which is how
 * it learns that the object took them, as it counts a change made by someone
 * else. */
static void
test_property_generation_counts_frozen_writes (void)
{
  g_autoptr(GSimpleAction) action = g_simple_action_new ("go", NULL);
  g_autoptr(CsAccessor) enabled = cs_accessor_new_for_property (G_OBJECT (action), "enabled");
  g_auto(GValue) value = G_VALUE_INIT;
  guint n_enabled = 0;

  g_signal_connect (action, "notify::enabled", G_CALLBACK (cs_test_count_cb), &n_enabled);
  g_value_init (&value, G_TYPE_BOOLEAN);

  g_object_freeze_notify (G_OBJECT (action));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GError) error = NULL;

      g_value_set_boolean (&value, i % 2 == 1);
      g_assert_true (cs_accessor_set (enabled, &value, CS_SET_FLAGS_NONE, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (cs_accessor_get_generation (enabled), ==, 0);
  g_object_thaw_notify (G_OBJECT (action));
  cs_test_drain ();
  g_assert_cmpuint (n_enabled, ==, 1);
  g_assert_cmpuint (cs_accessor_get_generation (enabled), ==, 3);
  g_assert_false (g_action_get_enabled (G_ACTION (action)));

  /* someone else's change counts once, at its notification */
  g_simple_action_set_enabled (action, TRUE);
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (enabled), ==, 4);
  g_assert_cmpuint (n_enabled, ==, 2);
}

/* }}} */

/* The cache {{{ */

static void
read_progress_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  guint *n_reads = user_data;
  int progress;

  /* what a GBinding does */
  g_object_get (object, "progress", &progress, NULL);
  (*n_reads)++;
}

static gpointer
set_progress_func (gpointer data)
{
  g_object_set (data, "progress", 50, NULL);

  return NULL;
}

/* cs_object_get_accessor() makes a new accessor while another thread's write
 * waits in the owner context's queue, whose notify handler reads a condition
 * property: making the accessor runs none of that queued work, and holds no
 * lock while code of the user's may run (it deadlocked: a global lock was held
 * across the accessor's construction, which ran the queued write). */
static void
test_get_accessor_while_writes_queued (void)
{
  CsTestWatchdog *wd = cs_test_watchdog_start (G_STRFUNC, 20);
  g_autoptr(TestThing) thing = g_object_new (TEST_TYPE_THING, NULL);
  g_autoptr(GSimpleAction) action = g_simple_action_new ("go", NULL);
  CsAccessor *progress = cs_object_get_accessor (G_OBJECT (thing), "progress");
  guint n_reads = 0;

  g_signal_connect (thing, "notify::progress", G_CALLBACK (read_progress_cb), &n_reads);
  g_thread_join (g_thread_new ("writer", set_progress_func, thing));

  /* the worker's write is queued, not applied yet */
  g_assert_cmpuint (cs_accessor_get_generation (progress), ==, 0);
  g_assert_nonnull (cs_object_get_accessor (G_OBJECT (action), "enabled"));
  g_assert_nonnull (cs_object_get_accessor (G_OBJECT (thing), "volume"));
  g_assert_cmpuint (n_reads, ==, 0);

  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (progress), ==, 1);
  g_assert_cmpuint (n_reads, ==, 1);
  cs_test_watchdog_stop (wd);
}


static void
test_get_accessor_cached (void)
{
  g_autoptr(TestThing) a = g_object_new (TEST_TYPE_THING, NULL);
  g_autoptr(TestThing) b = g_object_new (TEST_TYPE_THING, NULL);
  g_autoptr(GSimpleAction) action = g_simple_action_new ("go", NULL);
  g_autoptr(CsAccessor) fresh1 = NULL;
  g_autoptr(CsAccessor) fresh2 = NULL;
  CsAccessor *a_progress = cs_object_get_accessor (G_OBJECT (a), "progress");
  CsAccessor *a_label;
  CsAccessor *enabled;

  g_assert_nonnull (a_progress);
  g_assert_true (cs_object_get_accessor (G_OBJECT (a), "progress") == a_progress);
  g_assert_true (cs_object_get_accessor (G_OBJECT (b), "progress") != a_progress);
  g_assert_true (cs_object_get_accessor (G_OBJECT (b), "progress") ==
                 cs_object_get_accessor (G_OBJECT (b), "progress"));
  g_assert_true (cs_object_get_accessor (G_OBJECT (a), "state") != a_progress);

  /* after a write through GObject, still the same one */
  g_object_set (a, "progress", 60, NULL);
  g_assert_true (cs_object_get_accessor (G_OBJECT (a), "progress") == a_progress);

  /* a plain property of our class, and of a foreign one */
  a_label = cs_object_get_accessor (G_OBJECT (a), "label");
  g_assert_nonnull (a_label);
  g_assert_true (cs_object_get_accessor (G_OBJECT (a), "label") == a_label);
  g_assert_true (cs_object_get_accessor (G_OBJECT (b), "label") != a_label);
  enabled = cs_object_get_accessor (G_OBJECT (action), "enabled");
  g_assert_nonnull (enabled);
  g_assert_true (cs_object_get_accessor (G_OBJECT (action), "enabled") == enabled);

  /* the cache holds its own reference: transfer none */
  g_assert_cmpuint (G_OBJECT (a_progress)->ref_count, ==, 1);

  /* new_for_property is never cached */
  fresh1 = cs_accessor_new_for_property (G_OBJECT (a), "label");
  fresh2 = cs_accessor_new_for_property (G_OBJECT (a), "label");
  g_assert_true (fresh1 != fresh2);
  g_assert_true (fresh1 != a_label);
}

/* }}} */

/* Regressions from the adversarial review {{{ */

/* TestRelay: a subclass of TestThing that adds a condition property of its
 * own ("stage") and overrides dispatch_properties_changed, chaining up. */

#define TEST_TYPE_RELAY (test_relay_get_type ())
G_DECLARE_FINAL_TYPE (TestRelay, test_relay, TEST, RELAY, TestThing)

struct _TestRelay
{
  TestThing parent_instance;
  guint     depth;        /* nested calls of its dispatch_properties_changed */
  guint     max_depth;
};

G_DEFINE_FINAL_TYPE (TestRelay, test_relay, TEST_TYPE_THING)

/* deep enough to be a recursion, shallow enough to unwind */
#define RELAY_DEPTH_LIMIT 8

static void
test_relay_dispatch_properties_changed (GObject     *object,
                                        guint        n_pspecs,
                                        GParamSpec **pspecs)
{
  TestRelay *self = TEST_RELAY (object);

  self->depth++;
  self->max_depth = MAX (self->max_depth, self->depth);
  if (self->depth <= RELAY_DEPTH_LIMIT)
    G_OBJECT_CLASS (test_relay_parent_class)->dispatch_properties_changed (object, n_pspecs,
                                                                           pspecs);
  self->depth--;
}

static void
test_relay_class_init (TestRelayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispatch_properties_changed = test_relay_dispatch_properties_changed;

  cs_object_class_install_condition_property (object_class, 1,
    g_param_spec_int ("stage", NULL, NULL, 0, 100, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_relay_init (TestRelay *self)
{
}

/* Was broken: two class levels of condition properties + a dispatch override: recursion. */
static void
test_condition_dispatch_override (void)
{
  g_autoptr(TestRelay) relay = g_object_new (TEST_TYPE_RELAY, NULL);
  CsAccessor *progress_acc = cs_object_get_accessor (G_OBJECT (relay), "progress");
  CsAccessor *stage_acc = cs_object_get_accessor (G_OBJECT (relay), "stage");
  CsTestResult progress_read = { 0 }, stage_read = { 0 };
  guint n_progress = 0, n_stage = 0;

  g_signal_connect (relay, "notify::progress", G_CALLBACK (cs_test_count_cb), &n_progress);
  g_signal_connect (relay, "notify::stage", G_CALLBACK (cs_test_count_cb), &n_stage);
  cs_accessor_get_async (progress_acc, NULL, CS_GET_FLAGS_NONE, NULL,
                         cs_test_get_done, &progress_read);
  cs_accessor_get_async (stage_acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &stage_read);

  g_object_set (relay, "progress", 30, NULL);
  g_assert_cmpuint (relay->max_depth, ==, 1);
  g_assert_cmpuint (n_progress, ==, 1);
  g_assert_cmpuint (n_stage, ==, 0);

  g_object_set (relay, "stage", 4, NULL);
  g_assert_cmpuint (relay->max_depth, ==, 1);
  g_assert_cmpuint (n_progress, ==, 1);
  g_assert_cmpuint (n_stage, ==, 1);

  cs_test_drain ();
  cs_test_assert_result_int (&progress_read, 30);
  cs_test_assert_result_int (&stage_read, 4);
  g_assert_cmpint (get_int (relay, "progress"), ==, 30);
  g_assert_cmpint (get_int (relay, "stage"), ==, 4);

  cs_test_result_clear (&progress_read);
  cs_test_result_clear (&stage_read);
}

static void
set_int_async (CsAccessor   *acc,
               int           i,
               CsSetFlags    flags,
               CsTestResult *w)
{
  g_auto(GValue) value = G_VALUE_INIT;

  cs_test_value_init_int (&value, i);
  cs_accessor_set_async (acc, &value, flags, NULL, cs_test_set_done, w);
}

/* Was broken: an unnotified handoff (current value) made its reader uncancellable. */
static void
test_property_unnotified_handoff (void)
{
  g_autoptr(TestBetterThing) thing = g_object_new (TEST_TYPE_BETTER_THING, NULL);
  CsAccessor *acc = cs_accessor_new_for_property (G_OBJECT (thing), "value");
  CsTestResult r1 = { 0 }, r2 = { 0 }, h1 = { 0 }, h2 = { 0 };

  r1.cancellable = g_cancellable_new ();
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, r1.cancellable, cs_test_get_done, &r1);
  set_int_async (acc, 1, CS_SET_FLAGS_WAIT_FOR_READ, &h1);
  cs_test_drain ();
  cs_test_assert_result_ok (&h1);
  g_assert_cmpuint (thing->n_sets, ==, 1);
  g_assert_cmpuint (r1.done, ==, 0);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 1);

  /* the reader the object never woke can still be cancelled */
  g_cancellable_cancel (r1.cancellable);
  cs_test_drain ();
  cs_test_assert_result_error (&r1, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (acc), ==, 0);

  /* and the next handoff goes to the next reader */
  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r2);
  set_int_async (acc, 5, CS_SET_FLAGS_WAIT_FOR_READ, &h2);
  cs_test_drain ();
  cs_test_assert_result_int (&r2, 5);
  cs_test_assert_result_ok (&h2);
  g_assert_cmpint (thing->value, ==, 5);

  /* the write that was never notified is not counted */
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&r1);
  cs_test_result_clear (&r2);
  cs_test_result_clear (&h1);
  cs_test_result_clear (&h2);
  cs_test_finalize (&acc);
}

/* Was broken: an unnotified write (current value) kept later handoffs from being applied. */
static void
test_property_unnotified_write (void)
{
  g_autoptr(TestBetterThing) thing = g_object_new (TEST_TYPE_BETTER_THING, NULL);
  CsAccessor *acc = cs_accessor_new_for_property (G_OBJECT (thing), "value");
  CsTestResult r = { 0 }, h = { 0 };

  cs_test_assert_set_int (acc, 1);
  g_assert_cmpuint (thing->n_sets, ==, 1);

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
  set_int_async (acc, 5, CS_SET_FLAGS_WAIT_FOR_READ, &h);
  cs_test_drain ();
  cs_test_assert_result_int (&r, 5);
  cs_test_assert_result_ok (&h);
  g_assert_cmpint (thing->value, ==, 5);

  /* the write that was never notified is not counted */
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);

  cs_test_result_clear (&r);
  cs_test_result_clear (&h);
  cs_test_finalize (&acc);
}

/* TestRounded: a plain property "v" whose setter stores the value rounded
 * down to a multiple of 10, notified by GObject on every set. */

#define TEST_TYPE_ROUNDED (test_rounded_get_type ())
G_DECLARE_FINAL_TYPE (TestRounded, test_rounded, TEST, ROUNDED, GObject)

struct _TestRounded
{
  GObject parent_instance;
  int     v;
};

G_DEFINE_FINAL_TYPE (TestRounded, test_rounded, G_TYPE_OBJECT)

static void
test_rounded_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  g_value_set_int (value, TEST_ROUNDED (object)->v);
}

static void
test_rounded_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TEST_ROUNDED (object)->v = g_value_get_int (value) / 10 * 10;
}

static void
test_rounded_class_init (TestRoundedClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_rounded_get_property;
  object_class->set_property = test_rounded_set_property;

  g_object_class_install_property (object_class, 1,
    g_param_spec_int ("v", NULL, NULL, 0, 1000, 0,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
test_rounded_init (TestRounded *self)
{
}

/* Was broken: a write the setter normalized (37 stored as 30) was counted twice. */
static void
test_property_normalizing_setter (void)
{
  g_autoptr(TestRounded) rounded = g_object_new (TEST_TYPE_ROUNDED, NULL);
  CsAccessor *acc = cs_accessor_new_for_property (G_OBJECT (rounded), "v");
  CsTestResult r = { 0 };
  guint n_generation = 0;

  g_signal_connect (acc, "notify::generation", G_CALLBACK (cs_test_count_cb), &n_generation);

  cs_test_assert_set_int (acc, 20);
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 1);
  g_assert_cmpuint (n_generation, ==, 1);

  cs_accessor_get_async (acc, NULL, CS_GET_FLAGS_NONE, NULL, cs_test_get_done, &r);
  cs_test_assert_set_int (acc, 37);
  cs_test_drain ();
  g_assert_cmpuint (cs_accessor_get_generation (acc), ==, 2);
  g_assert_cmpuint (n_generation, ==, 2);
  cs_test_assert_result_int (&r, 30);
  g_assert_cmpint (cs_test_dup_int (acc), ==, 30);

  cs_test_result_clear (&r);
  cs_test_finalize (&acc);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/object/condition/defaults", test_condition_defaults);
  g_test_add_func ("/object/condition/get-set", test_condition_get_set);
  g_test_add_func ("/object/condition/waiters", test_condition_waiters);
  g_test_add_func ("/object/condition/construct", test_condition_construct);
  g_test_add_func ("/object/condition/binding", test_condition_binding);
  g_test_add_func ("/object/condition/derived", test_condition_derived);
  g_test_add_func ("/object/property/better-thing", test_property_better_thing);
  g_test_add_func ("/object/property/foreign-class", test_property_foreign_class);
  g_test_add_func ("/object/range/condition", test_range_condition);
  g_test_add_func ("/object/range/property", test_range_property);
  g_test_add_func ("/object/range/condition-auto-notify", test_range_condition_auto_notify);
  g_test_add_func ("/object/property/read-only", test_read_only_property);
  g_test_add_func ("/object/property/invalid", test_invalid_property);
  g_test_add_func ("/object/lifetime/pending", test_lifetime_pending);
  g_test_add_func ("/object/lifetime/outlive", test_lifetime_outlive);
  g_test_add_func ("/object/lifetime/accessor-first", test_lifetime_accessor_first);
  g_test_add_func ("/object/freeze-notify", test_freeze_notify);
  g_test_add_func ("/object/condition/generation-counts-each-set",
                   test_condition_generation_counts_each_set);
  g_test_add_func ("/object/condition/generation-counts-frozen-writes",
                   test_condition_generation_counts_frozen_writes);
  g_test_add_func ("/object/property/generation-counts-frozen-writes",
                   test_property_generation_counts_frozen_writes);
  g_test_add_func ("/object/get-accessor/cached", test_get_accessor_cached);
  g_test_add_func ("/object/get-accessor/while-writes-queued",
                   test_get_accessor_while_writes_queued);

  g_test_add_func ("/object/condition/dispatch-override", test_condition_dispatch_override);
  g_test_add_func ("/object/condition/close-from-earlier-handler",
                   test_condition_close_from_earlier_handler);
  g_test_add_func ("/object/property/unnotified-handoff", test_property_unnotified_handoff);
  g_test_add_func ("/object/property/unnotified-write", test_property_unnotified_write);
  g_test_add_func ("/object/property/normalizing-setter", test_property_normalizing_setter);

  return g_test_run ();
}
