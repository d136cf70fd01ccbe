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
  gint        written;        /* atomic: a condition property's write counted, its
                               * notification not yet seen */
  gint        own_writes;     /* atomic: a plain property's writes by the accessor
                               * whose notification is not yet seen */
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
  guint n_writes;

  /* A condition property sees every write: the accessor counted each as it
   * was applied (several may fold into one notification while the object's
   * are frozen), and a notification without one (GObject notifies a value it
   * rejected, unless G_PARAM_EXPLICIT_NOTIFY) is no write. A plain property
   * counts at its notification: the accessor's own writes that it covers
   * (several while frozen), or one change made by someone else. A write the
   * object never notifies (a setter that ignores an unchanged value) is not
   * counted, and wakes no one. */
  if (binding->stores_value)
    {
      if (!g_atomic_int_compare_and_exchange (&binding->written, TRUE, FALSE))
        return;
      n_writes = 0;
    }
  else
    {
      n_writes = (guint) g_atomic_int_exchange (&binding->own_writes, 0);
      n_writes = MAX (n_writes, 1);
    }

  accessor = g_weak_ref_get (&binding->accessor);
  if (accessor != NULL)
    _cs_accessor_changed (accessor, n_writes,
                          binding->stores_value ? NULL : &binding->object);
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

/* A condition property's write: stored and counted at once, so that writes
 * made while the object's notifications are frozen, which fold into one
 * notification, each count. The notification is the object's: emitted here,
 * unless it comes from GObject's own g_object_set() (@by_setter, for a
 * property without G_PARAM_EXPLICIT_NOTIFY), which would make it twice when
 * the setter ran on another thread. */
static void
binding_store (Binding      *binding,
               CsAccessor   *accessor,
               GObject      *object,
               const GValue *value,
               gboolean      by_setter)
{
  g_mutex_lock (&binding->mutex);
  g_value_copy (value, &binding->storage);
  g_mutex_unlock (&binding->mutex);

  if (accessor != NULL)
    _cs_accessor_count_write (accessor);
  g_atomic_int_set (&binding->written, TRUE);
  if (!by_setter || (binding->pspec->flags & G_PARAM_EXPLICIT_NOTIFY))
    g_object_notify_by_pspec (object, binding->pspec);
}

/* Takes back one of a plain property's own writes. */
static void
drop_own_write (Binding *binding)
{
  int n;

  do
    n = g_atomic_int_get (&binding->own_writes);
  while (n > 0 && !g_atomic_int_compare_and_exchange (&binding->own_writes, n, n - 1));
}

/* Writes @value to the property of @binding, whose accessor is @accessor
 * (NULL once finalized); @by_setter as for binding_store(). */
static gboolean
binding_apply (Binding       *binding,
               CsAccessor    *accessor,
               const GValue  *value,
               gboolean       by_setter,
               GError       **error)
{
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
    binding_store (binding, accessor, object, value, by_setter);
  else
    {
      gboolean explicit_notify = (pspec->flags & G_PARAM_EXPLICIT_NOTIFY) != 0;
      g_auto(GValue) before = G_VALUE_INIT;
      g_auto(GValue) after = G_VALUE_INIT;

      if (explicit_notify)
        {
          g_value_init (&before, pspec->value_type);
          g_object_get_property (object, pspec->name, &before);
        }

      g_atomic_int_inc (&binding->own_writes);
      g_object_set_property (object, pspec->name, value);

      /* A setter that notifies explicitly usually ignores a value that
       * changes nothing: no notification is coming for this write. */
      if (explicit_notify)
        {
          g_value_init (&after, pspec->value_type);
          g_object_get_property (object, pspec->name, &after);
          if (g_param_values_cmp (pspec, &before, &after) == 0)
            drop_own_write (binding);
        }
    }

  return TRUE;
}

static gboolean
binding_write (const GValue  *value,
               gpointer       user_data,
               GError       **error)
{
  Binding *binding = user_data;
  g_autoptr(CsAccessor) accessor = g_weak_ref_get (&binding->accessor);

  return binding_apply (binding, accessor, value,
                        accessor != NULL && _cs_accessor_in_property_write (accessor),
                        error);
}

/* A condition property's value set while its instance is constructed (by
 * g_object_new()), on the constructing thread: stored at once, wherever the
 * instance's main context runs, as nobody else can see the instance yet. The
 * notification is queued until the construction ends, and wakes the readers
 * from there. */
void
_cs_property_accessor_write_at_construction (CsAccessor   *accessor,
                                             const GValue *value)
{
  g_auto(GValue) converted = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;

  if (!_cs_accessor_prepare_write (accessor, value, &converted, &error) ||
      !binding_apply (accessor->user_data, accessor, &converted, TRUE, &error))
    g_warning ("%s", error->message);
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
 * The accessor learns of a change from the notification, so that is where it
 * counts it in [property@Cs.Accessor:generation]: its own writes that one
 * notification covers (several, while the object's notifications are frozen),
 * or one change made by someone else. A write the object never notifies (a
 * setter of a %G_PARAM_EXPLICIT_NOTIFY property that ignores a value equal to
 * the current one) counts nothing and wakes no reader, though it succeeds.
 * Handlers of `notify::` connected to @object before the accessor was made run
 * before the accessor hears of the change.
 *
 * A change made on another thread (a worker's g_object_set()) is notified by
 * GObject on that thread; the accessor reads the property when its main
 * context handles the notification, since its reader runs there. Its readers
 * see the value the property holds at that moment: changes made on the other
 * thread in quick succession may coalesce, as while notifications are frozen,
 * though each is counted. If @object is finalized before then, the change
 * cannot be read: no reader receives a value for it, and they fail with
 * %CS_ACCESSOR_ERROR_CLOSED as the accessor closes. For
 * exact values from worker threads, write through the accessor
 * ([method@Cs.Accessor.set]), or make the property a condition property
 * ([func@Cs.object_class_install_condition_property]).
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
