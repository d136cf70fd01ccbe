/* cs-object.c: condition properties, and the accessor of any property
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-object.h"
#include "cs-property-accessor-private.h"

static GQuark condition_pspec_quark;
static GQuark accessor_quark_quark;
static GQuark instance_quark;
static GQuark constructed_level_quark;

/* The class functions that condition properties wrap, as each class had them
 * before (NULL: inherited, look further up): GType → ClassFuncs */
typedef struct
{
  GObjectSetPropertyFunc set_property;
  GObjectGetPropertyFunc get_property;
  void                 (*constructed) (GObject *object);
  void                 (*dispatch_properties_changed) (GObject      *object,
                                                       guint         n_pspecs,
                                                       GParamSpec  **pspecs);
} ClassFuncs;

typedef enum
{
  SET_PROPERTY,
  GET_PROPERTY,
  CONSTRUCTED,
  DISPATCH_PROPERTIES_CHANGED,
} ClassFunc;

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
      instance_quark = g_quark_from_static_string ("cs-instance");
      constructed_level_quark = g_quark_from_static_string ("cs-constructed-level");
      g_once_init_leave (&initialized, TRUE);
    }
}

static gboolean
is_condition_pspec (GParamSpec *pspec)
{
  ensure_globals ();
  return g_param_spec_get_qdata (pspec, condition_pspec_quark) != NULL;
}

/* What an instance with condition properties keeps, from its `constructed`
 * on (one record, so that a property write looks it up once). */
typedef struct
{
  /* Read-only: where the instance was constructed; its accessors belong
   * there, whichever thread first asks for them */
  CsOwner   owner;
  /* Atomic, cleared with accessors_mutex held: the thread constructing the
   * instance, until its construction is over */
  gpointer  constructing;
} Instance;

static Instance *
instance_get (GObject *object)
{
  return g_object_get_qdata (object, instance_quark);
}

static const CsOwner *
instance_owner (GObject *object)
{
  Instance *instance = instance_get (object);

  return instance != NULL ? &instance->owner : NULL;
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

/* The instance drops its cached accessor: what still waits on it fails. */
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
  g_autoptr(CsCondition) condition = NULL;
  gboolean stores_value = is_condition_pspec (pspec);
  const CsOwner *owner;
  CsAccessor *accessor;
  CsAccessor *made;

  g_mutex_lock (&accessors_mutex);
  accessor = g_object_get_qdata (object, quark);
  g_mutex_unlock (&accessors_mutex);

  if (accessor != NULL)
    return accessor;

  /* made without the lock: making it may run code of the user's (another
   * thread's queued writes, their notify handlers), which may ask for it */
  owner = instance_owner (object);
  if (stores_value && owner != NULL)
    condition = _cs_condition_new_for_owner (owner->context, owner->thread);
  made = _cs_property_accessor_new (object, pspec, stores_value, condition);

  g_mutex_lock (&accessors_mutex);
  accessor = g_object_get_qdata (object, quark);
  if (accessor == NULL)
    {
      accessor = made;
      made = NULL;
      g_object_set_qdata_full (object, quark, accessor, cached_accessor_free);
    }
  g_mutex_unlock (&accessors_mutex);

  /* another thread was quicker: its accessor is the one */
  if (made != NULL)
    cached_accessor_free (made);

  return accessor;
}

/* Construction
 *
 * The values given to g_object_new() are stored before it returns, even on a
 * thread that cannot work in the instance's main context (a worker with no
 * context of its own, while the main thread runs the default one), where
 * another write would be queued. Until the instance's construction is over,
 * the thread constructing it is the only one that can see it: the values set
 * before `constructed` (owner not yet known), and those g_object_new() sets
 * after it, on that thread, until the notifications it held back are
 * dispatched, someone asks for an accessor of the instance, or another thread
 * sets a condition property. */

/* The thread constructing @object, or NULL once the construction is over.
 * @instance is @object's record, NULL before `constructed`. */
static gpointer
constructing_thread (Instance *instance)
{
  if (instance == NULL)
    return g_thread_self ();

  return g_atomic_pointer_get (&instance->constructing);
}

/* The construction of the instance of @instance is over; or, with
 * @elsewhere, another thread than the constructing one sees it. */
static void
end_construction (Instance *instance,
                  gboolean  elsewhere)
{
  if (instance == NULL || g_atomic_pointer_get (&instance->constructing) == NULL)
    return;

  g_mutex_lock (&accessors_mutex);
  if (!elsewhere || instance->constructing != g_thread_self ())
    g_atomic_pointer_set (&instance->constructing, NULL);
  g_mutex_unlock (&accessors_mutex);
}

/* Stores @value at once if @object is under construction by this thread. */
static gboolean
write_at_construction (GObject      *object,
                       Instance     *instance,
                       GParamSpec   *pspec,
                       const GValue *value)
{
  CsAccessor *accessor;
  gboolean constructing;

  /* the usual case */
  if (constructing_thread (instance) == NULL)
    return FALSE;

  end_construction (instance, TRUE);
  if (constructing_thread (instance) != g_thread_self ())
    return FALSE;

  accessor = ensure_accessor (object, pspec);

  /* under the lock: no other thread starts using the instance meanwhile.
   * What runs here runs no code of the user's: the instance's notifications
   * are held back while g_object_new() or g_object_set() sets properties. */
  g_mutex_lock (&accessors_mutex);
  constructing = constructing_thread (instance) == g_thread_self ();
  if (constructing)
    _cs_property_accessor_write_at_construction (accessor, value);
  g_mutex_unlock (&accessors_mutex);

  if (!constructing)
    _cs_accessor_write_property (accessor, value);

  return TRUE;
}

/**
 * cs_object_get_accessor:
 * @object: an object
 * @property_name: the name of a readable property of @object
 *
 * Gets the accessor that waits on a property of @object (in the Python module
 * `codestare.async_utils`, what a `condition_property` caches per instance).
 *
 * It is created on first use and then is the same object on every call for
 * this instance and property; it lives as long as @object, and closes when
 * @object is finalized, failing the waiters still pending with
 * %CS_ACCESSOR_ERROR_CLOSED. For a property installed with
 * [func@Cs.object_class_install_condition_property] it holds the value and
 * belongs to the main context in which @object was constructed; for any other
 * property it is an accessor as made by [ctor@Cs.Accessor.new_for_property],
 * belonging to the thread-default main context of the thread that first asks
 * for it.
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

  pspec = _cs_property_find_readable (object, property_name);
  if (pspec == NULL)
    return NULL;

  /* whoever asks for an accessor (after `constructed`) may share it: the
   * construction is over */
  end_construction (instance_get (object), FALSE);

  return ensure_accessor (object, pspec);
}

/* Condition properties */

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
        case DISPATCH_PROPERTIES_CHANGED:
          func = (gpointer) funcs->dispatch_properties_changed;
          break;
        default:
          g_assert_not_reached ();
        }

      if (func != NULL && found_in != NULL)
        *found_in = type;
    }
  g_mutex_unlock (&class_funcs_mutex);

  return func;
}

/* Whether an ancestor of @type installed condition properties. Called with
 * class_funcs_mutex held. */
static gboolean
has_condition_ancestor (GType type)
{
  for (type = g_type_parent (type); type != 0; type = g_type_parent (type))
    if (g_hash_table_contains (class_funcs, GSIZE_TO_POINTER (type)))
      return TRUE;

  return FALSE;
}

static void
instance_free (gpointer data)
{
  Instance *instance = data;

  _cs_owner_clear (&instance->owner);
  g_free (instance);
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
      g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
      Instance *instance = g_new0 (Instance, 1);

      g_object_set_qdata (object, constructed_level_quark, NULL);
      _cs_owner_init (&instance->owner, context, g_thread_self ());
      instance->constructing = g_thread_self ();
      g_mutex_lock (&accessors_mutex);
      g_object_set_qdata_full (object, instance_quark, instance, instance_free);
      g_mutex_unlock (&accessors_mutex);
    }
}

static void
condition_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GObjectSetPropertyFunc set_property;

  /* a property setter never blocks: from another thread, the write is
   * queued for the instance's main context */
  if (is_condition_pspec (pspec))
    {
      if (!write_at_construction (object, instance_get (object), pspec, value))
        _cs_accessor_write_property (ensure_accessor (object, pspec), value);
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

typedef struct
{
  CsWork       work;
  GObject     *object;
  guint        n_pspecs;
  GParamSpec  *pspecs[];
} DispatchWork;

static void
dispatch_chain (GObject     *object,
                guint        n_pspecs,
                GParamSpec **pspecs)
{
  CsDispatchFunc dispatch;

  dispatch = (CsDispatchFunc) lookup_class_func (G_OBJECT_TYPE (object),
                                                 DISPATCH_PROPERTIES_CHANGED, NULL);
  dispatch (object, n_pspecs, pspecs);
}

static void
dispatch_work (CsWork *work)
{
  DispatchWork *item = (DispatchWork *) work;

  dispatch_chain (item->object, item->n_pspecs, item->pspecs);

  for (guint i = 0; i < item->n_pspecs; i++)
    g_param_spec_unref (item->pspecs[i]);
  g_object_unref (item->object);
  g_free (item);
}

/* Notifications of condition properties dispatched on a thread that may not
 * work in the instance's main context (the thaw of a worker's g_object_set)
 * are emitted there instead; the others stay where they are. */
static void
condition_dispatch_properties_changed (GObject     *object,
                                       guint        n_pspecs,
                                       GParamSpec **pspecs)
{
  Instance *instance = instance_get (object);
  const CsOwner *owner = instance != NULL ? &instance->owner : NULL;
  g_autofree GParamSpec **here = NULL;
  DispatchWork *item = NULL;
  CsOwnerScope scope;
  guint n_here = 0;

  /* the notifications held back while g_object_new() set the properties:
   * the construction is over */
  end_construction (instance, FALSE);

  if (owner == NULL || _cs_owner_enter (owner, &scope))
    {
      dispatch_chain (object, n_pspecs, pspecs);
      if (owner != NULL)
        _cs_owner_leave (owner, &scope);
      return;
    }

  here = g_new (GParamSpec *, n_pspecs);
  for (guint i = 0; i < n_pspecs; i++)
    {
      if (!is_condition_pspec (pspecs[i]))
        {
          here[n_here++] = pspecs[i];
          continue;
        }

      if (item == NULL)
        {
          item = g_malloc0 (sizeof (DispatchWork) + n_pspecs * sizeof (GParamSpec *));
          item->work.func = dispatch_work;
          item->object = g_object_ref (object);
        }
      item->pspecs[item->n_pspecs++] = g_param_spec_ref (pspecs[i]);
    }

  if (n_here > 0)
    dispatch_chain (object, n_here, here);
  if (item != NULL)
    _cs_owner_post (owner, &item->work);
}

/**
 * cs_object_class_install_condition_property:
 * @klass: the class being initialized
 * @property_id: the property's id, unique within the class
 * @pspec: the property; a floating reference is sunk
 *
 * Installs an awaitable property (in the Python module
 * `codestare.async_utils`, a `condition_property`).
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
 * g_object_new()) counts as a write in [property@Cs.Accessor:generation], and
 * so does every write, also those whose notifications fold into one while the
 * instance's notifications are frozen. The accessor closes when the instance
 * is finalized.
 *
 * The accessors of an instance belong to the main context in which the
 * instance was constructed, whichever thread first asks for them. A write from
 * another thread, g_object_set() included, is queued and applied there, and
 * never blocks the writing thread; the property's `notify::` is emitted there
 * too, once. The values given to g_object_new() are the exception: they are
 * stored before it returns, on any thread.
 *
 * Call this after setting the class's `set_property`, `get_property`,
 * `constructed` and `dispatch_properties_changed` (if it has them): it wraps
 * them. Condition properties are for classes written in C; from other
 * languages, use [func@Cs.object_get_accessor] on an ordinary property.
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
  if (!g_hash_table_contains (class_funcs, GSIZE_TO_POINTER (type)))
    {
      ClassFuncs *funcs = g_new0 (ClassFuncs, 1);

      /* what the class (or its parent, whose copy it holds) had before */
      if (klass->set_property != condition_set_property)
        funcs->set_property = klass->set_property;
      if (klass->get_property != condition_get_property)
        funcs->get_property = klass->get_property;
      if (klass->constructed != condition_constructed)
        funcs->constructed = klass->constructed;
      /* Only the first class of the line to install condition properties
       * wraps dispatch_properties_changed: a subclass's own one chains up to
       * it, and wrapping that again would call it back from the wrapper. */
      if (klass->dispatch_properties_changed != condition_dispatch_properties_changed &&
          !has_condition_ancestor (type))
        {
          funcs->dispatch_properties_changed = klass->dispatch_properties_changed;
          klass->dispatch_properties_changed = condition_dispatch_properties_changed;
        }
      g_hash_table_replace (class_funcs, GSIZE_TO_POINTER (type), funcs);

      klass->set_property = condition_set_property;
      klass->get_property = condition_get_property;
      klass->constructed = condition_constructed;
    }
  g_mutex_unlock (&class_funcs_mutex);

  g_param_spec_set_qdata (pspec, condition_pspec_quark, GINT_TO_POINTER (TRUE));
  g_object_class_install_property (klass, property_id, pspec);
}
