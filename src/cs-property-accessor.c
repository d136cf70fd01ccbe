/* cs-property-accessor.c: accessors over the properties of any GObject
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-object.h"
#include "cs-property-accessor-private.h"

/* What a property accessor knows of its property. Shared, reference counted,
 * between the accessor (its read/write data), the object's notify handler and
 * the object's weak reference, so that whichever of the accessor and the object
 * goes first, the other finds it intact. */
typedef struct
{
  GWeakRef    object;
  GWeakRef    accessor;
  GParamSpec *pspec;
  gulong      notify_id;      /* owner context only */
  gboolean    stores_value;   /* read-only after construction: a condition property */
  GMutex      mutex;
  GValue      storage;        /* protected by mutex: a condition property's value */
  GValue      last_written;   /* protected by mutex: a plain property's, while
                               * its notification is not yet seen */
  gint        written;        /* atomic: a write counted, its notify not yet seen */
} Binding;

static Binding *
binding_ref (Binding *binding)
{
  return g_atomic_rc_box_acquire (binding);
}

static void
binding_clear (gpointer data)
{
  Binding *binding = data;

  g_weak_ref_clear (&binding->object);
  g_weak_ref_clear (&binding->accessor);
  g_param_spec_unref (binding->pspec);
  if (G_IS_VALUE (&binding->storage))
    g_value_unset (&binding->storage);
  if (G_IS_VALUE (&binding->last_written))
    g_value_unset (&binding->last_written);
  g_mutex_clear (&binding->mutex);
}

static void
binding_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, binding_clear);
}

static void
binding_closure_notify (gpointer  data,
                        GClosure *closure)
{
  binding_unref (data);
}

/* The object's notify::NAME: a change, whoever made it, on whatever thread. */
static void
binding_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  Binding *binding = user_data;
  g_autoptr(CsAccessor) accessor = NULL;
  gboolean counted = FALSE;

  /* The accessor counted its own writes as they were applied (several may
   * fold into one notification while the object's are frozen). GObject also
   * notifies a value it rejected (out of range, without
   * G_PARAM_EXPLICIT_NOTIFY): for a condition property, which sees every
   * write, that is no write. A plain property may change otherwise: its
   * notification is the accessor's write unless it shows the value the
   * accessor wrote last. */
  if (binding->stores_value)
    {
      if (!g_atomic_int_compare_and_exchange (&binding->written, TRUE, FALSE))
        return;
      counted = TRUE;
    }
  else if (g_atomic_int_compare_and_exchange (&binding->written, TRUE, FALSE))
    {
      g_auto(GValue) current = G_VALUE_INIT;

      g_value_init (&current, pspec->value_type);
      g_object_get_property (object, pspec->name, &current);
      g_mutex_lock (&binding->mutex);
      counted = g_param_values_cmp (pspec, &current, &binding->last_written) == 0;
      g_mutex_unlock (&binding->mutex);
    }

  accessor = g_weak_ref_get (&binding->accessor);
  if (accessor != NULL)
    _cs_accessor_changed (accessor, counted);
}

/* The object is going away: nothing waits forever on it. */
static void
binding_weak_notify (gpointer  data,
                     GObject  *where_the_object_was)
{
  Binding *binding = data;
  g_autoptr(CsAccessor) accessor = g_weak_ref_get (&binding->accessor);

  if (accessor != NULL)
    cs_accessor_close (accessor);

  binding_unref (binding);
}

/* The accessor is going away (its read/write data is freed). */
static void
binding_detach (gpointer data)
{
  Binding *binding = data;
  g_autoptr(GObject) object = g_weak_ref_get (&binding->object);

  if (object != NULL)
    {
      g_clear_signal_handler (&binding->notify_id, object);
      g_object_weak_unref (object, binding_weak_notify, binding);
      binding_unref (binding);
    }

  binding_unref (binding);
}

static void
binding_read (GValue   *value,
              gpointer  user_data)
{
  Binding *binding = user_data;
  g_autoptr(GObject) object = NULL;

  if (binding->stores_value)
    {
      g_mutex_lock (&binding->mutex);
      g_value_copy (&binding->storage, value);
      g_mutex_unlock (&binding->mutex);
      return;
    }

  /* once the object is gone the value reads as the type's default */
  object = g_weak_ref_get (&binding->object);
  if (object != NULL)
    g_object_get_property (object, binding->pspec->name, value);
}

static gboolean
binding_write (const GValue  *value,
               gpointer       user_data,
               GError       **error)
{
  Binding *binding = user_data;
  GParamSpec *pspec = binding->pspec;
  g_autoptr(GObject) object = g_weak_ref_get (&binding->object);

  if (object == NULL)
    {
      g_set_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED,
                   "The object of property “%s” was finalized", pspec->name);
      return FALSE;
    }

  /* the pspec would clamp or reject it: say so instead */
  if (!g_param_value_is_valid (pspec, value))
    {
      g_autofree char *contents = g_strdup_value_contents (value);

      g_set_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_INVALID_VALUE,
                   "Value %s is invalid or out of range for property “%s” of “%s”",
                   contents, pspec->name, G_OBJECT_TYPE_NAME (object));
      return FALSE;
    }

  if (binding->stores_value)
    {
      g_autoptr(CsAccessor) accessor = g_weak_ref_get (&binding->accessor);

      g_mutex_lock (&binding->mutex);
      g_value_copy (value, &binding->storage);
      g_mutex_unlock (&binding->mutex);

      /* counted now: writes made while the object's notifications are
       * frozen fold into one notification, but each is a write */
      if (accessor != NULL)
        _cs_accessor_count_write (accessor);
      g_atomic_int_set (&binding->written, TRUE);
      g_object_notify_by_pspec (object, pspec);
    }
  else
    {
      g_autoptr(CsAccessor) accessor = g_weak_ref_get (&binding->accessor);

      g_mutex_lock (&binding->mutex);
      g_value_copy (value, &binding->last_written);
      g_mutex_unlock (&binding->mutex);

      if (accessor != NULL)
        _cs_accessor_count_write (accessor);
      g_atomic_int_set (&binding->written, TRUE);
      g_object_set_property (object, pspec->name, value);
    }

  return TRUE;
}

/* An accessor over @pspec of @object, in the group @condition (NULL: a new
 * one). With @stores_value it holds the value of a condition property. */
CsAccessor *
_cs_property_accessor_new (GObject     *object,
                           GParamSpec  *pspec,
                           gboolean     stores_value,
                           CsCondition *condition)
{
  g_autofree char *name = NULL;
  g_autofree char *signal = NULL;
  gboolean writable;
  CsAccessor *accessor;
  Binding *binding;

  binding = g_atomic_rc_box_new0 (Binding);
  g_weak_ref_init (&binding->object, object);
  g_weak_ref_init (&binding->accessor, NULL);
  g_mutex_init (&binding->mutex);
  binding->pspec = g_param_spec_ref (pspec);
  binding->stores_value = stores_value;
  if (stores_value)
    {
      g_value_init (&binding->storage, pspec->value_type);
      g_param_value_set_default (pspec, &binding->storage);
    }
  else
    g_value_init (&binding->last_written, pspec->value_type);

  writable = (pspec->flags & G_PARAM_WRITABLE) != 0 &&
             (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0;

  name = g_strdup_printf ("%s:%s", G_OBJECT_TYPE_NAME (object), pspec->name);
  accessor = _cs_accessor_new_external (pspec->value_type, name, condition,
                                        binding_read,
                                        writable || stores_value ? binding_write : NULL,
                                        binding, binding_detach);
  g_weak_ref_set (&binding->accessor, accessor);

  signal = g_strconcat ("notify::", pspec->name, NULL);
  binding->notify_id = g_signal_connect_data (object, signal,
                                              G_CALLBACK (binding_notify_cb),
                                              binding_ref (binding),
                                              binding_closure_notify, 0);
  g_object_weak_ref (object, binding_weak_notify, binding_ref (binding));

  return accessor;
}

/* The readable property @property_name of @object, or NULL with a critical. */
GParamSpec *
_cs_property_find_readable (GObject    *object,
                            const char *property_name)
{
  GParamSpec *pspec;

  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (object), property_name);

  if (pspec == NULL)
    {
      g_critical ("%s has no property named “%s”", G_OBJECT_TYPE_NAME (object), property_name);
      return NULL;
    }

  if ((pspec->flags & G_PARAM_READABLE) == 0)
    {
      g_critical ("Property “%s” of %s is not readable", property_name,
                  G_OBJECT_TYPE_NAME (object));
      return NULL;
    }

  return pspec;
}

/**
 * cs_accessor_new_for_property:
 * @object: an object
 * @property_name: the name of a readable property of @object
 *
 * Creates an accessor over a property of @object (in the documentation of the
 * Python module `codestare.async_utils`, the `BetterThing` example).
 *
 * The accessor reads with g_object_get_property() and writes with
 * g_object_set_property(), and its waiters are woken from the object's
 * `notify::` signal for the property, so a change made by anyone, through
 * g_object_set(), a [class@GObject.Binding] or the object's own code, wakes
 * them. A value that the property's [class@GObject.ParamSpec] would clamp or
 * reject fails with %CS_ACCESSOR_ERROR_INVALID_VALUE instead of being altered;
 * writing a property that is not writable fails with
 * %CS_ACCESSOR_ERROR_READ_ONLY.
 *
 * The accessor belongs to the thread-default main context of the calling
 * thread, and holds only a weak reference on @object: when @object is
 * finalized, the accessor closes.
 *
 * Returns: (transfer full) (nullable): a new accessor, or %NULL if @object has
 *   no readable property named @property_name
 *
 * Since: 1.0
 */
CsAccessor *
cs_accessor_new_for_property (GObject    *object,
                              const char *property_name)
{
  GParamSpec *pspec;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);
  g_return_val_if_fail (property_name != NULL, NULL);

  pspec = _cs_property_find_readable (object, property_name);
  if (pspec == NULL)
    return NULL;

  return _cs_property_accessor_new (object, pspec, FALSE, NULL);
}
