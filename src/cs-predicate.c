/* cs-predicate.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-predicate-private.h"
#include "cs-value-private.h"

/**
 * CsPredicate:
 *
 * The test a reader of a [class@Cs.Accessor] waits for.
 *
 * A predicate is either a callback ([ctor@Cs.Predicate.new]) or one of the
 * built-in comparisons ([ctor@Cs.Predicate.new_equal],
 * [ctor@Cs.Predicate.new_not_equal]), which run no user code. A callback may
 * fail: its read then fails with its error. Being an object,
 * it gives every asynchronous call exactly one callback/closure pair, which
 * language bindings need.
 *
 * A predicate is evaluated in the main context that owns the accessor, each
 * time a value is written to it (or to another accessor of its condition
 * group), with the value that was written.
 *
 * Since: 1.0
 */
struct _CsPredicate
{
  GObject          parent_instance;

  /* Read-only after construction: a predicate may be evaluated in any
   * accessor's owner context, and on the calling thread of a blocking read */
  CsPredicateKind  kind;
  CsPredicateFunc  func;
  gpointer         user_data;
  GDestroyNotify   destroy;
  GValue           value;
};

G_DEFINE_FINAL_TYPE (CsPredicate, cs_predicate, G_TYPE_OBJECT)

static void
cs_predicate_finalize (GObject *object)
{
  CsPredicate *self = (CsPredicate *)object;

  /* called whatever the data is, NULL included */
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  /* unset but for the built-in predicates; G_IS_VALUE () would take GType's
   * lock for an unset value */
  if (G_VALUE_TYPE (&self->value) != G_TYPE_INVALID)
    g_value_unset (&self->value);

  G_OBJECT_CLASS (cs_predicate_parent_class)->finalize (object);
}

static void
cs_predicate_class_init (CsPredicateClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_predicate_finalize;
}

static void
cs_predicate_init (CsPredicate *self)
{
}

/**
 * cs_predicate_new:
 * @func: (scope notified) (closure user_data) (destroy destroy): the test
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data when the predicate is finalized
 *
 * Creates a predicate that calls @func.
 *
 * Returns: (transfer full): a new predicate
 *
 * Since: 1.0
 */
CsPredicate *
cs_predicate_new (CsPredicateFunc func,
                  gpointer        user_data,
                  GDestroyNotify  destroy)
{
  CsPredicate *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_object_new (CS_TYPE_PREDICATE, NULL);
  self->kind = CS_PREDICATE_CUSTOM;
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;

  return self;
}

static CsPredicate *
predicate_new_compare (CsPredicateKind  kind,
                       const GValue    *value)
{
  CsPredicate *self = g_object_new (CS_TYPE_PREDICATE, NULL);

  self->kind = kind;
  g_value_init (&self->value, G_VALUE_TYPE (value));
  g_value_copy (value, &self->value);

  return self;
}

/**
 * cs_predicate_new_equal:
 * @value: the value to wait for; copied
 *
 * Creates a predicate that matches values equal to @value.
 *
 * Equality is one relation, symmetric, the same whether the reader is found
 * by the index or evaluated: numbers (integers, floating point, enums and
 * flags) are equal when they denote the same number (an `int` 2 equals an enum
 * or flags value 2 and a `double` 2.0; NaN equals nothing); booleans equal
 * booleans; strings, string arrays, variants, [struct@GLib.Bytes],
 * [struct@GLib.String], [struct@GLib.DateTime], [struct@GLib.Date] and
 * [struct@GLib.VariantType] values compare by content; objects and other boxed
 * values by identity. Values of other kinds are not equal. No user code runs
 * when it is evaluated.
 *
 * Returns: (transfer full): a new predicate
 *
 * Since: 1.0
 */
CsPredicate *
cs_predicate_new_equal (const GValue *value)
{
  g_return_val_if_fail (G_IS_VALUE (value), NULL);

  return predicate_new_compare (CS_PREDICATE_EQUAL, value);
}

/**
 * cs_predicate_new_not_equal:
 * @value: the value to wait to change from; copied
 *
 * Creates a predicate that matches values not equal to @value, in the sense of
 * [ctor@Cs.Predicate.new_equal].
 *
 * Returns: (transfer full): a new predicate
 *
 * Since: 1.0
 */
CsPredicate *
cs_predicate_new_not_equal (const GValue *value)
{
  g_return_val_if_fail (G_IS_VALUE (value), NULL);

  return predicate_new_compare (CS_PREDICATE_NOT_EQUAL, value);
}

/**
 * cs_predicate_evaluate:
 * @self: a predicate
 * @value: the value to test
 * @error: return location for an error
 *
 * Tests @value, as a reader waiting with @self would.
 *
 * Returns: %TRUE if @value matches; %FALSE if it does not, or if the test
 *   failed, with @error set
 *
 * Since: 1.0
 */
gboolean
cs_predicate_evaluate (CsPredicate   *self,
                       const GValue  *value,
                       GError       **error)
{
  g_return_val_if_fail (CS_IS_PREDICATE (self), FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _cs_predicate_test (self, value, error) > 0;
}

CsPredicateKind
_cs_predicate_get_kind (CsPredicate *self)
{
  g_assert (CS_IS_PREDICATE (self));

  return self->kind;
}

const GValue *
_cs_predicate_get_value (CsPredicate *self)
{
  g_assert (CS_IS_PREDICATE (self));

  return G_IS_VALUE (&self->value) ? &self->value : NULL;
}

/* Tests @value for a reader: 1 for a match, 0 for none, -1 when the predicate
 * failed, with @error set. */
int
_cs_predicate_test (CsPredicate   *self,
                    const GValue  *value,
                    GError       **error)
{
  GError *local_error = NULL;

  switch (self->kind)
    {
    case CS_PREDICATE_EQUAL:
      return _cs_value_equal (&self->value, value);
    case CS_PREDICATE_NOT_EQUAL:
      return !_cs_value_equal (&self->value, value);
    case CS_PREDICATE_CUSTOM:
      break;
    default:
      g_assert_not_reached ();
    }

  if (self->func (value, self->user_data, &local_error))
    {
      /* a match is a match: an error that came with it goes */
      g_clear_error (&local_error);
      return 1;
    }

  if (local_error == NULL)
    return 0;

  g_propagate_error (error, local_error);
  return -1;
}
