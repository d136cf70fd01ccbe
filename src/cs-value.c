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
    case G_TYPE_ENUM:   num->kind = NUM_SIGNED;   num->i = g_value_get_enum (value);   return TRUE;
    case G_TYPE_FLAGS:  num->kind = NUM_UNSIGNED; num->u = g_value_get_flags (value);  return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_enum_like (const GValue *value)
{
  GType fundamental = G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value));

  return fundamental == G_TYPE_ENUM || fundamental == G_TYPE_FLAGS;
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

  /* enums and flags count as numbers, but are no floating-point values */
  if (number_from_value (src, &num) &&
      !(is_enum_like (src) && (G_VALUE_HOLDS_FLOAT (dest) || G_VALUE_HOLDS_DOUBLE (dest))) &&
      number_to_value (&num, dest))
    return TRUE;

  g_set_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE,
               "A value of type “%s” cannot be stored as “%s”%s",
               G_VALUE_TYPE_NAME (src), g_type_name (dest_type),
               number_from_value (src, &num) ? " without changing it" : "");
  return FALSE;
}

/* Equality */

/* Whether two numbers denote the same number: exactly, whatever their kinds;
 * NaN denotes none. */
static gboolean
number_equal (const Number *a,
              const Number *b)
{
  if (a->kind == NUM_FLOAT || b->kind == NUM_FLOAT)
    {
      const Number *f = a->kind == NUM_FLOAT ? a : b;
      const Number *o = f == a ? b : a;
      gint64 i;
      guint64 u;

      if (o->kind == NUM_FLOAT)
        return f->d == o->d;
      if (o->kind == NUM_SIGNED)
        return number_to_signed (f, G_MININT64, G_MAXINT64, &i) && i == o->i;
      return number_to_unsigned (f, G_MAXUINT64, &u) && u == o->u;
    }

  if (a->kind == b->kind)
    return a->kind == NUM_SIGNED ? a->i == b->i : a->u == b->u;

  /* one signed, one unsigned */
  if (a->kind == NUM_SIGNED)
    return a->i >= 0 && (guint64) a->i == b->u;
  return b->i >= 0 && (guint64) b->i == a->u;
}

/* The number an integral value denotes, as the 64 bits of its two's
 * complement, the same whether it came signed, unsigned or floating: for
 * hashing. Returns FALSE for a floating-point value that is no integer. */
static gboolean
number_integral_bits (const Number *num,
                      guint64      *bits)
{
  gint64 i;

  switch (num->kind)
    {
    case NUM_SIGNED:
      *bits = (guint64) num->i;
      return TRUE;
    case NUM_UNSIGNED:
      *bits = num->u;
      return TRUE;
    case NUM_FLOAT:
      if (number_to_signed (num, G_MININT64, G_MAXINT64, &i))
        {
          *bits = (guint64) i;
          return TRUE;
        }
      return number_to_unsigned (num, G_MAXUINT64, bits);
    default:
      g_assert_not_reached ();
    }
}

typedef enum
{
  KIND_OTHER,     /* compared by identity */
  KIND_NUMBER,
  KIND_BOOLEAN,
  KIND_STRING,
  KIND_STRV,
  KIND_VARIANT,
  KIND_BYTES,
  KIND_GSTRING,
  KIND_DATE_TIME,
  KIND_DATE,
  KIND_VARIANT_TYPE,
  KIND_GTYPE,
  KIND_OBJECT,
} EqualityKind;

/* How values of @type compare: the kinds compare by content, but objects and
 * other boxed or pointer values, which compare by identity. */
static EqualityKind
equality_kind (GType type)
{
  if (type == G_TYPE_GTYPE)
    return KIND_GTYPE;
  if (g_type_is_a (type, G_TYPE_STRV))
    return KIND_STRV;
  if (g_type_is_a (type, G_TYPE_BYTES))
    return KIND_BYTES;
  if (g_type_is_a (type, G_TYPE_GSTRING))
    return KIND_GSTRING;
  if (g_type_is_a (type, G_TYPE_DATE_TIME))
    return KIND_DATE_TIME;
  if (g_type_is_a (type, G_TYPE_DATE))
    return KIND_DATE;
  if (g_type_is_a (type, G_TYPE_VARIANT_TYPE))
    return KIND_VARIANT_TYPE;

  switch (G_TYPE_FUNDAMENTAL (type))
    {
    case G_TYPE_CHAR:
    case G_TYPE_UCHAR:
    case G_TYPE_INT:
    case G_TYPE_UINT:
    case G_TYPE_LONG:
    case G_TYPE_ULONG:
    case G_TYPE_INT64:
    case G_TYPE_UINT64:
    case G_TYPE_FLOAT:
    case G_TYPE_DOUBLE:
    case G_TYPE_ENUM:
    case G_TYPE_FLAGS:
      return KIND_NUMBER;
    case G_TYPE_BOOLEAN:
      return KIND_BOOLEAN;
    case G_TYPE_STRING:
      return KIND_STRING;
    case G_TYPE_VARIANT:
      return KIND_VARIANT;
    case G_TYPE_OBJECT:
    case G_TYPE_INTERFACE:
      return KIND_OBJECT;
    default:
      return KIND_OTHER;
    }
}

/* NULL equals NULL, and nothing else. */
#define NULL_OR(pa, pb, expr) ((pa) == NULL || (pb) == NULL ? (pa) == (pb) : (expr))

/*
 * _cs_value_equal:
 *
 * The equality of the built-in predicates, one relation for the index and
 * for evaluation, symmetric: numbers (integers, floating point, enums and
 * flags) are equal when they denote the same number; booleans equal booleans;
 * strings, string arrays, variants, GBytes, GString, GDateTime, GDate and
 * GVariantType by content; GTypes as types; objects, and every other boxed or
 * pointer value, by identity. Values of kinds that differ are not equal.
 */
gboolean
_cs_value_equal (const GValue *a,
                 const GValue *b)
{
  EqualityKind kind = equality_kind (G_VALUE_TYPE (a));
  Number na, nb;
  gconstpointer pa, pb;

  if (kind != equality_kind (G_VALUE_TYPE (b)))
    return FALSE;

  switch (kind)
    {
    case KIND_NUMBER:
      number_from_value (a, &na);
      number_from_value (b, &nb);
      return number_equal (&na, &nb);
    case KIND_BOOLEAN:
      return !g_value_get_boolean (a) == !g_value_get_boolean (b);
    case KIND_GTYPE:
      return g_value_get_gtype (a) == g_value_get_gtype (b);
    case KIND_STRING:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case KIND_OBJECT:
      return a->data[0].v_pointer == b->data[0].v_pointer;
    case KIND_VARIANT:
      pa = g_value_get_variant (a);
      pb = g_value_get_variant (b);
      return NULL_OR (pa, pb, g_variant_equal (pa, pb));
    case KIND_OTHER:
      /* the boxed pointer, or any other fundamental's one datum */
      if (G_VALUE_TYPE (a) != G_VALUE_TYPE (b) &&
          !g_type_is_a (G_VALUE_TYPE (a), G_VALUE_TYPE (b)) &&
          !g_type_is_a (G_VALUE_TYPE (b), G_VALUE_TYPE (a)))
        return FALSE;
      return a->data[0].v_pointer == b->data[0].v_pointer;
    default:
      break;
    }

  /* the boxed types with a GLib equality */
  pa = g_value_get_boxed (a);
  pb = g_value_get_boxed (b);

  switch (kind)
    {
    case KIND_STRV:         return NULL_OR (pa, pb, g_strv_equal (pa, pb));
    case KIND_BYTES:        return NULL_OR (pa, pb, g_bytes_equal (pa, pb));
    case KIND_GSTRING:      return NULL_OR (pa, pb, g_string_equal (pa, pb));
    case KIND_DATE_TIME:    return NULL_OR (pa, pb, g_date_time_equal (pa, pb));
    case KIND_DATE:         return NULL_OR (pa, pb, g_date_valid (pa) && g_date_valid (pb) &&
                                                    g_date_compare (pa, pb) == 0);
    case KIND_VARIANT_TYPE: return NULL_OR (pa, pb, g_variant_type_equal (pa, pb));
    default:
      g_assert_not_reached ();
    }
}

/* Whether _cs_value_hash() can hash @value, consistently with
 * _cs_value_equal() across types: numbers (but NaN, equal to nothing),
 * booleans, strings, basic variants, GBytes, GString, GTypes, objects and
 * pointers. The rest of what compares by content has no cheap hash. */
gboolean
_cs_value_is_hashable (const GValue *value)
{
  GVariant *variant;
  Number num;

  switch (equality_kind (G_VALUE_TYPE (value)))
    {
    case KIND_NUMBER:
      number_from_value (value, &num);
      return num.kind != NUM_FLOAT || !isnan (num.d);
    case KIND_VARIANT:
      variant = g_value_get_variant (value);
      return variant == NULL || g_variant_type_is_basic (g_variant_get_type (variant));
    case KIND_BOOLEAN:
    case KIND_STRING:
    case KIND_BYTES:
    case KIND_GSTRING:
    case KIND_GTYPE:
    case KIND_OBJECT:
      return TRUE;
    case KIND_OTHER:
      /* identity: hashable only where the values of one type are one pointer */
      return G_TYPE_FUNDAMENTAL (G_VALUE_TYPE (value)) == G_TYPE_POINTER;
    default:
      return FALSE;
    }
}

guint
_cs_value_hash (gconstpointer data)
{
  const GValue *value = data;
  gconstpointer p;
  guint64 bits;
  Number num;
  double d;

  switch (equality_kind (G_VALUE_TYPE (value)))
    {
    case KIND_NUMBER:
      number_from_value (value, &num);
      if (number_integral_bits (&num, &bits))
        return g_int64_hash (&bits);
      d = num.d;
      return g_double_hash (&d);
    case KIND_BOOLEAN:
      return g_value_get_boolean (value) ? 1 : 0;
    case KIND_STRING:
      p = g_value_get_string (value);
      return p != NULL ? g_str_hash (p) : 0;
    case KIND_VARIANT:
      p = g_value_get_variant (value);
      return p != NULL ? g_variant_hash (p) : 0;
    case KIND_BYTES:
      p = g_value_get_boxed (value);
      return p != NULL ? g_bytes_hash (p) : 0;
    case KIND_GSTRING:
      p = g_value_get_boxed (value);
      return p != NULL ? g_string_hash (p) : 0;
    case KIND_GTYPE:
      bits = g_value_get_gtype (value);
      return g_int64_hash (&bits);
    case KIND_OBJECT:
    case KIND_OTHER:
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
