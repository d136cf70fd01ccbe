/* cs-object.c: accessors over GObject properties, and condition properties
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-object.h"

/* What a property accessor knows of its property. Shared, reference counted,
 * between the accessor (its read/write data), the object's notify handler and
 * the object's weak reference, so that whichever of the accessor and the object
 * goes first, the other finds it intact. */
typedef struct
{
  GWeakRef    object;
  GWeakRef    accessor;
  GParamSpec *pspec;
  /* condition properties: the value itself */
  GMutex      mutex;
  GValue      storage;
  gint        written;    /* atomic: a write since the last notify */
  guint       condition : 1;
  gulong      notify_id;
} Binding;

static GQuark condition_pspec_quark;
static GQuark accessor_quark_quark;
static GQuark owner_quark;
static GQuark constructed_level_quark;

/* set_property, get_property and constructed of each class that installed a
 * condition property, as they were before (NULL: inherited, look further up):
 * GType → ClassFuncs */
typedef struct
{
  GObjectSetPropertyFunc set_property;
  GObjectGetPropertyFunc get_property;
  void                 (*constructed) (GObject *object);
} ClassFuncs;

/* Where an instance of such a class was constructed: its cached accessors
 * belong there, whichever thread first asks for them. */
typedef struct
{
  GMainContext *context;
  GThread      *thread;
} Owner;

static GMutex class_funcs_mutex;
static GHashTable *class_funcs;

/* guards the creation of an object's cached accessors */
static GMutex accessors_mutex;

static void
ensure_globals (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      class_funcs = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      condition_pspec_quark = g_quark_from_static_string ("cs-condition-property");
      accessor_quark_quark = g_quark_from_static_string ("cs-accessor-quark");
      owner_quark = g_quark_from_static_string ("cs-owner");
      constructed_level_quark = g_quark_from_static_string ("cs-constructed-level");
      g_once_init_leave (&initialized, TRUE);
    }
}

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

static gboolean
is_condition_pspec (GParamSpec *pspec)
{
  return condition_pspec_quark != 0 &&
         g_param_spec_get_qdata (pspec, condition_pspec_quark) != NULL;
}

/* The object's notify::NAME: a write, whoever made it. */
static void
binding_notify_cb (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  Binding *binding = user_data;
  g_autoptr(CsAccessor) accessor = NULL;

  /* GObject also notifies a value it rejected (out of range, without
   * G_PARAM_EXPLICIT_NOTIFY): for a condition property, which sees every
   * write, that is no write */
  if (binding->condition && !g_atomic_int_compare_and_exchange (&binding->written, TRUE, FALSE))
    return;

  accessor = g_weak_ref_get (&binding->accessor);
  if (accessor != NULL)
    _cs_accessor_changed (accessor);
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

  if (binding->condition)
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

  if (binding->condition)
    {
      g_mutex_lock (&binding->mutex);
      g_value_copy (value, &binding->storage);
      g_mutex_unlock (&binding->mutex);
      g_atomic_int_set (&binding->written, TRUE);
      g_object_notify_by_pspec (object, pspec);
    }
  else
    g_object_set_property (object, pspec->name, value);

  return TRUE;
}

static CsAccessor *
accessor_new_for_pspec (GObject    *object,
                        GParamSpec *pspec,
                        gboolean    condition)
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
  binding->condition = condition;
  if (condition)
    {
      g_value_init (&binding->storage, pspec->value_type);
      g_param_value_set_default (pspec, &binding->storage);
    }

  writable = (pspec->flags & G_PARAM_WRITABLE) != 0 &&
             (pspec->flags & G_PARAM_CONSTRUCT_ONLY) == 0;

  name = g_strdup_printf ("%s:%s", G_OBJECT_TYPE_NAME (object), pspec->name);
  accessor = _cs_accessor_new_external (pspec->value_type, name,
                                        binding_read,
                                        writable || condition ? binding_write : NULL,
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

static GParamSpec *
find_readable_property (GObject    *object,
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
 * Creates an accessor over a property of @object (the seed's `BetterThing`).
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
 * The accessor holds only a weak reference on @object: when @object is
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

  pspec = find_readable_property (object, property_name);
  if (pspec == NULL)
    return NULL;

  return accessor_new_for_pspec (object, pspec, FALSE);
}

/* The key of an object's cached accessor for @pspec, kept on the pspec. */
static GQuark
accessor_quark (GParamSpec *pspec)
{
  GQuark quark;

  ensure_globals ();

  quark = GPOINTER_TO_UINT (g_param_spec_get_qdata (pspec, accessor_quark_quark));
  if (quark == 0)
    {
      g_autofree char *key = g_strconcat ("cs-accessor::", pspec->name, NULL);

      quark = g_quark_from_string (key);
      g_param_spec_set_qdata (pspec, accessor_quark_quark, GUINT_TO_POINTER (quark));
    }

  return quark;
}

static void
cached_accessor_free (gpointer data)
{
  CsAccessor *accessor = data;

  cs_accessor_close (accessor);
  g_object_unref (accessor);
}

static CsAccessor *
ensure_accessor (GObject    *object,
                 GParamSpec *pspec)
{
  GQuark quark = accessor_quark (pspec);
  CsAccessor *accessor;

  g_mutex_lock (&accessors_mutex);
  accessor = g_object_get_qdata (object, quark);
  if (accessor == NULL)
    {
      Owner *owner = g_object_get_qdata (object, owner_quark);

      accessor = accessor_new_for_pspec (object, pspec, is_condition_pspec (pspec));
      if (owner != NULL)
        _cs_accessor_set_owner (accessor, owner->context, owner->thread);
      g_object_set_qdata_full (object, quark, accessor, cached_accessor_free);
    }
  g_mutex_unlock (&accessors_mutex);

  return accessor;
}

/**
 * cs_object_get_accessor:
 * @object: an object
 * @property_name: the name of a readable property of @object
 *
 * Gets the accessor that waits on a property of @object (the seed's cached
 * `condition_property`).
 *
 * It is created on first use and then is the same object on every call for
 * this instance and property; it lives as long as @object, and closes when
 * @object is finalized, failing the waiters still pending with
 * %CS_ACCESSOR_ERROR_CLOSED. For a property installed with
 * [func@Cs.object_class_install_condition_property] it holds the value; for any
 * other property it is an accessor as made by
 * [ctor@Cs.Accessor.new_for_property].
 *
 * Returns: (transfer none) (nullable): the accessor, or %NULL if @object has no
 *   readable property named @property_name
 *
 * Since: 1.0
 */
CsAccessor *
cs_object_get_accessor (GObject    *object,
                        const char *property_name)
{
  GParamSpec *pspec;

  g_return_val_if_fail (G_IS_OBJECT (object), NULL);
  g_return_val_if_fail (property_name != NULL, NULL);

  pspec = find_readable_property (object, property_name);
  if (pspec == NULL)
    return NULL;

  return ensure_accessor (object, pspec);
}

/* Condition properties */

typedef enum { SET_PROPERTY, GET_PROPERTY, CONSTRUCTED } ClassFunc;

/* The function of @type's class that its condition properties replaced, or,
 * for a class that inherited it, that of the nearest ancestor. Sets *@found_in
 * to the type whose class had it. */
static gpointer
lookup_class_func (GType      type,
                   ClassFunc  which,
                   GType     *found_in)
{
  gpointer func = NULL;

  g_mutex_lock (&class_funcs_mutex);
  for (; type != 0 && func == NULL; type = g_type_parent (type))
    {
      const ClassFuncs *funcs = g_hash_table_lookup (class_funcs, GSIZE_TO_POINTER (type));

      if (funcs == NULL)
        continue;

      switch (which)
        {
        case SET_PROPERTY: func = (gpointer) funcs->set_property; break;
        case GET_PROPERTY: func = (gpointer) funcs->get_property; break;
        case CONSTRUCTED:  func = (gpointer) funcs->constructed; break;
        default:
          g_assert_not_reached ();
        }

      if (func != NULL && found_in != NULL)
        *found_in = type;
    }
  g_mutex_unlock (&class_funcs_mutex);

  return func;
}

static void
owner_free (gpointer data)
{
  Owner *owner = data;

  g_main_context_unref (owner->context);
  g_thread_unref (owner->thread);
  g_free (owner);
}

/* Each class's constructed, chained up as the classes do; the outermost call
 * then records where the instance was constructed. A class whose own
 * constructed chains up to its parent's reaches this again: the instance
 * remembers which ancestor comes next. */
static void
condition_constructed (GObject *object)
{
  GType level = GPOINTER_TO_SIZE (g_object_get_qdata (object, constructed_level_quark));
  gboolean outermost = level == 0;
  void (*constructed) (GObject *object);
  GType found_in = 0;

  constructed = lookup_class_func (outermost ? G_OBJECT_TYPE (object) : level,
                                   CONSTRUCTED, &found_in);
  if (constructed != NULL)
    {
      g_object_set_qdata (object, constructed_level_quark,
                          GSIZE_TO_POINTER (g_type_parent (found_in)));
      constructed (object);
    }

  if (outermost)
    {
      Owner *owner = g_new0 (Owner, 1);

      g_object_set_qdata (object, constructed_level_quark, NULL);
      owner->context = g_main_context_ref_thread_default ();
      owner->thread = g_thread_ref (g_thread_self ());
      g_object_set_qdata_full (object, owner_quark, owner, owner_free);
    }
}

static void
condition_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GObjectSetPropertyFunc set_property;

  if (is_condition_pspec (pspec))
    {
      g_autoptr(GError) error = NULL;

      if (!cs_accessor_set (ensure_accessor (object, pspec), value,
                            CS_SET_FLAGS_NONE, NULL, &error))
        g_warning ("%s", error->message);
      return;
    }

  /* one of the class's own properties: hand it to the class */
  set_property = (GObjectSetPropertyFunc) lookup_class_func (pspec->owner_type, SET_PROPERTY,
                                                            NULL);
  if (set_property != NULL)
    set_property (object, prop_id, value, pspec);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
condition_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GObjectGetPropertyFunc get_property;

  if (is_condition_pspec (pspec))
    {
      _cs_accessor_read_into (ensure_accessor (object, pspec), value);
      return;
    }

  get_property = (GObjectGetPropertyFunc) lookup_class_func (pspec->owner_type, GET_PROPERTY,
                                                            NULL);
  if (get_property != NULL)
    get_property (object, prop_id, value, pspec);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

/**
 * cs_object_class_install_condition_property:
 * @klass: the class being initialized
 * @property_id: the property's id, unique within the class
 * @pspec: the property; a floating reference is sunk
 *
 * Installs an awaitable property (the seed's `condition_property`).
 *
 * Call it from `class_init`: it installs @pspec as an ordinary GObject
 * property whose value lives in a per-instance accessor, so the class writes
 * no code to get or set it. g_object_get(), g_object_set(), `notify::`,
 * [class@GObject.Binding] and introspection work as for any property, and
 * [func@Cs.object_get_accessor] hands out the accessor that waits on it. The
 * value starts as the default of @pspec; g_object_set() with a value the
 * property rejects logs a warning and keeps the old value.
 *
 * The accessor is how the class itself changes the value, so it can write a
 * property that is read-only or construct-only for everyone else. A value set
 * at construction (a %G_PARAM_CONSTRUCT property, or one passed to
 * g_object_new()) counts as a write in [property@Cs.Accessor:generation]. The
 * accessor closes when the instance is disposed.
 *
 * The accessors of an instance belong to the main context in which the
 * instance was constructed, whichever thread first asks for them. A write
 * from another thread is applied there; written with g_object_set(), its
 * `notify::` emission still happens on the writing thread, because
 * g_object_set() holds the object's notifications until it returns, so worker
 * threads write through the accessor ([method@Cs.Accessor.set]) instead.
 *
 * Call this after setting the class's `set_property`, `get_property` and
 * `constructed` (if it has them): it wraps them.
 *
 * Since: 1.0
 */
void
cs_object_class_install_condition_property (GObjectClass *klass,
                                            guint         property_id,
                                            GParamSpec   *pspec)
{
  GType type;

  g_return_if_fail (G_IS_OBJECT_CLASS (klass));
  g_return_if_fail (G_IS_PARAM_SPEC (pspec));
  g_return_if_fail (property_id > 0);
  g_return_if_fail ((pspec->flags & G_PARAM_READABLE) != 0);

  type = G_OBJECT_CLASS_TYPE (klass);

  ensure_globals ();

  g_mutex_lock (&class_funcs_mutex);
  if (klass->set_property != condition_set_property ||
      klass->get_property != condition_get_property ||
      klass->constructed != condition_constructed)
    {
      ClassFuncs *funcs = g_new0 (ClassFuncs, 1);

      /* what the class (or its parent, whose copy it holds) had before */
      funcs->set_property = klass->set_property != condition_set_property ?
                            klass->set_property : NULL;
      funcs->get_property = klass->get_property != condition_get_property ?
                            klass->get_property : NULL;
      funcs->constructed = klass->constructed != condition_constructed ?
                           klass->constructed : NULL;
      g_hash_table_replace (class_funcs, GSIZE_TO_POINTER (type), funcs);

      klass->set_property = condition_set_property;
      klass->get_property = condition_get_property;
      klass->constructed = condition_constructed;
    }
  g_mutex_unlock (&class_funcs_mutex);

  g_param_spec_set_qdata (pspec, condition_pspec_quark, GINT_TO_POINTER (TRUE));
  g_object_class_install_property (klass, property_id, pspec);
}
