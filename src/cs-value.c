/* cs-value.c: the value rules shared by accessors and predicates
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>

#include "cs-enums.h"
#include "cs-value-private.h"

/* A number read out of a GValue without loss: an integer (signed or not) or
 * a floating-point value. */
typedef enum { NUM_SIGNED, NUM_UNSIGNED, NUM_FLOAT } NumKind;

typedef struct
{
  NumKind kind;
  union {
    gint64  i;
    guint64 u;
    double  d;
  };
} Number;

static gboolean
number_from_value (const GValue *value,
                   Number       *num)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_CHAR:   num->kind = NUM_SIGNED;   num->i = g_value_get_schar (value);  return TRUE;
    case G_TYPE_INT:    num->kind = NUM_SIGNED;   num->i = g_value_get_int (value);    return TRUE;
    case G_TYPE_LONG:   num->kind = NUM_SIGNED;   num->i = g_value_get_long (value);   return TRUE;
    case G_TYPE_INT64:  num->kind = NUM_SIGNED;   num->i = g_value_get_int64 (value);  return TRUE;
    case G_TYPE_UCHAR:  num->kind = NUM_UNSIGNED; num->u = g_value_get_uchar (value);  return TRUE;
    case G_TYPE_UINT:   num->kind = NUM_UNSIGNED; num->u = g_value_get_uint (value);   return TRUE;
    case G_TYPE_ULONG:  num->kind = NUM_UNSIGNED; num->u = g_value_get_ulong (value);  return TRUE;
    case G_TYPE_UINT64: num->kind = NUM_UNSIGNED; num->u = g_value_get_uint64 (value); return TRUE;
    case G_TYPE_FLOAT:  num->kind = NUM_FLOAT;    num->d = g_value_get_float (value);  return TRUE;
    case G_TYPE_DOUBLE: num->kind = NUM_FLOAT;    num->d = g_value_get_double (value); return TRUE;
    default:
      return FALSE;
    }
}

/* Whether @num is an integer in [min, max] (signed bounds), stored in *out. */
static gboolean
number_to_signed (const Number *num,
                  gint64        min,
                  gint64        max,
                  gint64       *out)
{
  switch (num->kind)
    {
    case NUM_SIGNED:
      *out = num->i;
      break;
    case NUM_UNSIGNED:
      if (num->u > G_MAXINT64)
        return FALSE;
      *out = (gint64) num->u;
      break;
    case NUM_FLOAT:
      /* -2^63 is exact as a double; 2^63 is the first value out of range */
      if (!isfinite (num->d) || num->d != floor (num->d) ||
          num->d < -9223372036854775808.0 || num->d >= 9223372036854775808.0)
        return FALSE;
      *out = (gint64) num->d;
      break;
    default:
      g_assert_not_reached ();
    }

  return *out >= min && *out <= max;
}

static gboolean
number_to_unsigned (const Number *num,
                    guint64       max,
                    guint64      *out)
{
  switch (num->kind)
    {
    case NUM_SIGNED:
      if (num->i < 0)
        return FALSE;
      *out = (guint64) num->i;
      break;
    case NUM_UNSIGNED:
      *out = num->u;
      break;
    case NUM_FLOAT:
      if (!isfinite (num->d) || num->d != floor (num->d) ||
          num->d < 0 || num->d >= 18446744073709551616.0)
        return FALSE;
      *out = (guint64) num->d;
      break;
    default:
      g_assert_not_reached ();
    }

  return *out <= max;
}

static gboolean
number_to_double (const Number *num,
                  double       *out)
{
  switch (num->kind)
    {
    case NUM_SIGNED:
      *out = (double) num->i;
      /* 2^63 rounds up out of range: compare before converting back */
      return *out < 9223372036854775808.0 && (gint64) *out == num->i;
    case NUM_UNSIGNED:
      *out = (double) num->u;
      return *out < 18446744073709551616.0 && (guint64) *out == num->u;
    case NUM_FLOAT:
      *out = num->d;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
number_to_value (const Number *num,
                 GValue       *dest)
{
  gint64 i;
  guint64 u;
  double d;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (dest)))
    {
    case G_TYPE_CHAR:
      if (!number_to_signed (num, G_MININT8, G_MAXINT8, &i))
        return FALSE;
      g_value_set_schar (dest, (gint8) i);
      return TRUE;
    case G_TYPE_INT:
      if (!number_to_signed (num, G_MININT, G_MAXINT, &i))
        return FALSE;
      g_value_set_int (dest, (int) i);
      return TRUE;
    case G_TYPE_LONG:
      if (!number_to_signed (num, G_MINLONG, G_MAXLONG, &i))
        return FALSE;
      g_value_set_long (dest, (long) i);
      return TRUE;
    case G_TYPE_INT64:
      if (!number_to_signed (num, G_MININT64, G_MAXINT64, &i))
        return FALSE;
      g_value_set_int64 (dest, i);
      return TRUE;
    case G_TYPE_UCHAR:
      if (!number_to_unsigned (num, G_MAXUINT8, &u))
        return FALSE;
      g_value_set_uchar (dest, (guchar) u);
      return TRUE;
    case G_TYPE_UINT:
      if (!number_to_unsigned (num, G_MAXUINT, &u))
        return FALSE;
      g_value_set_uint (dest, (guint) u);
      return TRUE;
    case G_TYPE_ULONG:
      if (!number_to_unsigned (num, G_MAXULONG, &u))
        return FALSE;
      g_value_set_ulong (dest, (gulong) u);
      return TRUE;
    case G_TYPE_UINT64:
      if (!number_to_unsigned (num, G_MAXUINT64, &u))
        return FALSE;
      g_value_set_uint64 (dest, u);
      return TRUE;
    case G_TYPE_FLOAT:
      if (!number_to_double (num, &d) || (isfinite (d) && (double) (float) d != d))
        return FALSE;
      g_value_set_float (dest, (float) d);
      return TRUE;
    case G_TYPE_DOUBLE:
      if (!number_to_double (num, &d))
        return FALSE;
      g_value_set_double (dest, d);
      return TRUE;
    case G_TYPE_ENUM:
      {
        g_autoptr(GEnumClass) klass = g_type_class_ref (G_VALUE_TYPE (dest));

        if (!number_to_signed (num, G_MININT, G_MAXINT, &i) ||
            g_enum_get_value (klass, (int) i) == NULL)
          return FALSE;
        g_value_set_enum (dest, (int) i);
        return TRUE;
      }
    case G_TYPE_FLAGS:
      {
        g_autoptr(GFlagsClass) klass = g_type_class_ref (G_VALUE_TYPE (dest));

        if (!number_to_unsigned (num, G_MAXUINT, &u) || (u & ~(guint64) klass->mask) != 0)
          return FALSE;
        g_value_set_flags (dest, (guint) u);
        return TRUE;
      }
    default:
      return FALSE;
    }
}

/* Whether @value can be stored as it is in a @type value: the same type, a
 * subtype, or an object-typed value whose instance is of @type. */
static gboolean
value_conforms (const GValue *value,
                GType         type)
{
  if (g_type_is_a (G_VALUE_TYPE (value), type))
    return TRUE;

  if (G_VALUE_HOLDS_OBJECT (value) && g_type_is_a (type, G_TYPE_OBJECT))
    {
      GObject *object = g_value_get_object (value);

      return object == NULL || g_type_is_a (G_OBJECT_TYPE (object), type);
    }

  return FALSE;
}

/*
 * _cs_value_convert:
 * @src: the value to store
 * @dest_type: the type to store it as
 * @dest: (out caller-allocates): uninitialized, set to a @dest_type value
 *
 * Applies the accessor's conversion rule: @src is taken as it is when it
 * conforms to @dest_type, and a number of another numeric type is taken when it
 * fits exactly. Nothing else is converted. @dest is initialized to @dest_type
 * whether or not the conversion succeeds.
 */
gboolean
_cs_value_convert (const GValue  *src,
                   GType          dest_type,
                   GValue        *dest,
                   GError       **error)
{
  Number num;

  g_value_init (dest, dest_type);

  if (value_conforms (src, dest_type))
    {
      if (G_VALUE_TYPE (src) == dest_type)
        g_value_copy (src, dest);
      else if (G_VALUE_HOLDS_OBJECT (src))
        g_value_set_object (dest, g_value_get_object (src));
      else
        {
          /* a subtype of a non-object type: store the same instance */
          GValue tmp = G_VALUE_INIT;

          g_value_init (&tmp, G_VALUE_TYPE (src));
          g_value_copy (src, &tmp);
          g_value_unset (dest);
          *dest = tmp;
        }
      return TRUE;
    }

  if (number_from_value (src, &num) && number_to_value (&num, dest))
    return TRUE;

  g_set_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE,
               "A value of type “%s” cannot be stored as “%s”%s",
               G_VALUE_TYPE_NAME (src), g_type_name (dest_type),
               number_from_value (src, &num) ? " without changing it" : "");
  return FALSE;
}

/* Equality for the built-in predicates: numbers compare by value across
 * numeric types, strings by content, everything else by identity. */
gboolean
_cs_value_equal (const GValue *a,
                 const GValue *b)
{
  GType type = G_VALUE_TYPE (a);

  if (type != G_VALUE_TYPE (b))
    {
      g_auto(GValue) tmp = G_VALUE_INIT;
      gboolean ok;

      /* compare in a's type; fails (not equal) when b does not fit it exactly */
      ok = _cs_value_convert (b, type, &tmp, NULL);
      return ok && _cs_value_equal (a, &tmp);
    }

  if (type == G_TYPE_GTYPE)
    return g_value_get_gtype (a) == g_value_get_gtype (b);

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_BOOLEAN: return !g_value_get_boolean (a) == !g_value_get_boolean (b);
    case G_TYPE_CHAR:    return g_value_get_schar (a) == g_value_get_schar (b);
    case G_TYPE_UCHAR:   return g_value_get_uchar (a) == g_value_get_uchar (b);
    case G_TYPE_INT:     return g_value_get_int (a) == g_value_get_int (b);
    case G_TYPE_UINT:    return g_value_get_uint (a) == g_value_get_uint (b);
    case G_TYPE_LONG:    return g_value_get_long (a) == g_value_get_long (b);
    case G_TYPE_ULONG:   return g_value_get_ulong (a) == g_value_get_ulong (b);
    case G_TYPE_INT64:   return g_value_get_int64 (a) == g_value_get_int64 (b);
    case G_TYPE_UINT64:  return g_value_get_uint64 (a) == g_value_get_uint64 (b);
    case G_TYPE_FLOAT:   return g_value_get_float (a) == g_value_get_float (b);
    case G_TYPE_DOUBLE:  return g_value_get_double (a) == g_value_get_double (b);
    case G_TYPE_ENUM:    return g_value_get_enum (a) == g_value_get_enum (b);
    case G_TYPE_FLAGS:   return g_value_get_flags (a) == g_value_get_flags (b);
    case G_TYPE_STRING:  return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case G_TYPE_VARIANT:
      {
        GVariant *va = g_value_get_variant (a);
        GVariant *vb = g_value_get_variant (b);

        if (va == NULL || vb == NULL)
          return va == vb;
        return g_variant_type_equal (g_variant_get_type (va), g_variant_get_type (vb)) &&
               g_variant_equal (va, vb);
      }
    case G_TYPE_BOXED:
      if (type == G_TYPE_STRV)
        {
          const char * const *sa = g_value_get_boxed (a);
          const char * const *sb = g_value_get_boxed (b);

          if (sa == NULL || sb == NULL)
            return sa == sb;
          return g_strv_equal (sa, sb);
        }
      return g_value_get_boxed (a) == g_value_get_boxed (b);
    case G_TYPE_OBJECT:  return g_value_get_object (a) == g_value_get_object (b);
    case G_TYPE_POINTER: return g_value_get_pointer (a) == g_value_get_pointer (b);
    default:
      return a->data[0].v_pointer == b->data[0].v_pointer;
    }
}

/* Hashing consistent with _cs_value_equal() for values of one type, so that
 * equality predicates can be looked up by the value written. Types compared by
 * content that have no cheap hash, and NaN (equal to nothing), are not
 * hashable. */
gboolean
_cs_value_is_hashable (const GValue *value)
{
  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_FLOAT:
      return !isnan (g_value_get_float (value));
    case G_TYPE_DOUBLE:
      return !isnan (g_value_get_double (value));
    case G_TYPE_BOOLEAN:
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
    case G_TYPE_STRING:
    case G_TYPE_OBJECT:
    case G_TYPE_POINTER:
      return TRUE;
    default:
      return FALSE;
    }
}

guint
_cs_value_hash (gconstpointer data)
{
  const GValue *value = data;
  double d;

  switch (G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)))
    {
    case G_TYPE_BOOLEAN: return g_value_get_boolean (value) != FALSE;
    case G_TYPE_CHAR:    return (guint) g_value_get_schar (value);
    case G_TYPE_UCHAR:   return g_value_get_uchar (value);
    case G_TYPE_INT:     return (guint) g_value_get_int (value);
    case G_TYPE_UINT:    return g_value_get_uint (value);
    case G_TYPE_LONG:    return (guint) g_value_get_long (value);
    case G_TYPE_ULONG:   return (guint) g_value_get_ulong (value);
    case G_TYPE_INT64:   return g_int64_hash (&value->data[0].v_int64);
    case G_TYPE_UINT64:  return g_int64_hash (&value->data[0].v_uint64);
    case G_TYPE_ENUM:    return (guint) g_value_get_enum (value);
    case G_TYPE_FLAGS:   return g_value_get_flags (value);
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
      d = G_VALUE_HOLDS_FLOAT (value) ? g_value_get_float (value) : g_value_get_double (value);
      /* -0.0 == 0.0 */
      if (d == 0)
        d = 0;
      return g_double_hash (&d);
    case G_TYPE_STRING:
      return value->data[0].v_pointer != NULL ? g_str_hash (value->data[0].v_pointer) : 0;
    case G_TYPE_OBJECT:
    case G_TYPE_POINTER:
      return g_direct_hash (value->data[0].v_pointer);
    default:
      g_assert_not_reached ();
    }
}

gboolean
_cs_value_hash_equal (gconstpointer a,
                      gconstpointer b)
{
  return _cs_value_equal (a, b);
}
