/* cs-accessor.c: the accessor class, its properties, constructors and close
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-value-private.h"

/**
 * CsAccessor:
 *
 * A value that readers can wait on (in the Python module
 * `codestare.async_utils`, an `accessor`).
 *
 * An accessor holds a value of one type, [property@Cs.Accessor:value-type].
 * Readers wait for it with [method@Cs.Accessor.get_async]: for the next write,
 * or until a [class@Cs.Predicate] matches. Writers change it with
 * [method@Cs.Accessor.set_async] or [method@Cs.Accessor.set], and can hand a
 * value over only to a waiting reader with %CS_SET_FLAGS_WAIT_FOR_READ.
 *
 * Every successful write emits `notify::value` and `notify::generation` once,
 * and the waiting readers are woken from that emission: a reader receives
 * exactly the value that satisfied it, at the moment it was written, never a
 * later one. While notifications are frozen with g_object_freeze_notify(),
 * writes coalesce and readers see the value at the thaw; the exception is a
 * %CS_SET_FLAGS_WAIT_FOR_READ write, which no reader may miss: a later write
 * delivers it to its readers first.
 *
 * Accessors that share a [class@Cs.Condition] form a group: a write to one of
 * them re-checks the predicates of the readers of all of them.
 *
 * An accessor belongs to the main context of its condition (without one, a
 * new condition of the thread-default main context of the thread that creates
 * it). Any thread may call any function: writes are applied, and
 * notifications, predicates and reader or writer functions run, in that
 * context. Completion callbacks run in the thread-default main context of the
 * thread that made the call, from its main loop: never inside a call into the
 * library.
 *
 * Since: 1.0
 */

GParamSpec *_cs_accessor_properties[CS_ACCESSOR_N_PROPS];
#define properties _cs_accessor_properties

static guint notify_signal_id;

G_DEFINE_FINAL_TYPE (CsAccessor, cs_accessor, G_TYPE_OBJECT)

const char *
_cs_accessor_name (CsAccessor *self)
{
  return self->name != NULL ? self->name : "(unnamed)";
}

/* Whether anyone listens to the accessor's notifications, with or without a
 * detail: the counts and the generation change at every read or write, and a
 * notification nobody hears would cost about as much as the read itself. */
gboolean
_cs_accessor_is_listened (CsAccessor *self)
{
  return g_signal_handler_find (self, G_SIGNAL_MATCH_ID, notify_signal_id, 0,
                                NULL, NULL, NULL) != 0;
}

/* Fills @value (uninitialized) with the current value, on the calling thread. */
void
_cs_accessor_read_value (CsAccessor *self,
                         GValue     *value)
{
  g_value_init (value, self->value_type);
  _cs_accessor_read_into (self, value);
}

/* Copies the current value into @value, initialized to the value type (a
 * property getter's), on the calling thread. */
void
_cs_accessor_read_into (CsAccessor *self,
                        GValue     *value)
{
  if (self->read != NULL)
    {
      GType type = G_VALUE_TYPE (value);

      self->read (value, self->user_data);

      /* a binding may have replaced the value with one of its own type */
      if (!G_VALUE_HOLDS (value, type))
        {
          GValue produced = *value;
          g_autoptr(GError) error = NULL;

          /* @value now belongs to @produced; the conversion initializes it
           * again, to the accessor's type */
          *value = (GValue) G_VALUE_INIT;
          if (!_cs_value_convert (&produced, type, value, &error))
            g_warning ("The reader of accessor “%s” produced a value of type “%s”: %s",
                       _cs_accessor_name (self), G_VALUE_TYPE_NAME (&produced),
                       error->message);
          g_value_unset (&produced);
        }
      return;
    }

  g_mutex_lock (&self->mutex);
  g_value_copy (&self->storage, value);
  g_mutex_unlock (&self->mutex);
}

gboolean
_cs_accessor_check_open (CsAccessor  *self,
                         GError     **error)
{
  if (g_atomic_int_get (&self->lifecycle) != CS_ACCESSOR_OPEN)
    {
      g_set_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED,
                   "Accessor “%s” is closed", _cs_accessor_name (self));
      return FALSE;
    }

  return TRUE;
}

/* Checks a value about to be written: open, writable, and of a type the
 * accessor can hold. On success @converted holds the value to store. */
gboolean
_cs_accessor_prepare_write (CsAccessor    *self,
                            const GValue  *value,
                            GValue        *converted,
                            GError       **error)
{
  if (!_cs_accessor_check_open (self, error))
    return FALSE;

  if (self->read != NULL && self->write == NULL)
    {
      g_set_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY,
                   "Accessor “%s” is read-only", _cs_accessor_name (self));
      return FALSE;
    }

  if (!_cs_value_convert (value, self->value_type, converted, error))
    {
      g_prefix_error (error, "Cannot write to accessor “%s”: ", _cs_accessor_name (self));
      return FALSE;
    }

  return TRUE;
}

/* What a property setter says of a rejected write: a warning, but for a
 * closed accessor (its object is going away, or the application closed it
 * while workers still write): that write is dropped, and that is no news. */
static void
warn_rejected (const GError *error)
{
  if (!g_error_matches (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED))
    g_warning ("%s", error->message);
}

/* A write through a property (value, or a condition property): a property
 * setter cannot fail, and never blocks, so a rejected value only warns, from
 * where it is applied. */
void
_cs_accessor_write_property (CsAccessor   *self,
                             const GValue *value)
{
  g_auto(GValue) converted = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  CsOwnerScope scope;
  CsOperation *op;

  if (value == NULL)
    {
      g_warning ("Cannot write a NULL GValue to accessor “%s”", _cs_accessor_name (self));
      return;
    }

  if (!_cs_accessor_prepare_write (self, value, &converted, &error))
    {
      warn_rejected (error);
      return;
    }

  if (_cs_owner_enter (self->owner, &scope))
    {
      gboolean was_property_write = self->in_property_write;
      gboolean applied;

      self->in_property_write = TRUE;
      applied = _cs_accessor_apply_write (self, &converted, &error);
      self->in_property_write = was_property_write;
      if (!applied)
        warn_rejected (error);
      _cs_owner_leave (self->owner, &scope);
      return;
    }

  op = _cs_operation_new (self, CS_OPERATION_WRITE, cs_accessor_set_async, NULL, NULL, NULL);
  op->warn_on_error = TRUE;
  op->value = converted;
  converted = (GValue) G_VALUE_INIT;
  _cs_accessor_post (self, op);
}

/* GObject */

static void
cs_accessor_dispatch_properties_changed (GObject     *object,
                                         guint        n_pspecs,
                                         GParamSpec **pspecs)
{
  CsDispatchFunc chain_up = G_OBJECT_CLASS (cs_accessor_parent_class)->dispatch_properties_changed;
  CsAccessor *self = (CsAccessor *)object;
  CsOwnerScope scope;

  /* construction notifies before a group exists */
  if (self->owner == NULL)
    {
      chain_up (object, n_pspecs, pspecs);
      return;
    }

  /* thawed on another thread (a worker's g_object_set): emit in the owner
   * context instead, as every notification of the accessor is */
  if (!_cs_owner_enter (self->owner, &scope))
    {
      _cs_accessor_forward_notify (self, n_pspecs, pspecs, chain_up);
      return;
    }

  _cs_accessor_dispatch_notify (self, n_pspecs, pspecs, chain_up);
  _cs_owner_leave (self->owner, &scope);
}

static void
cs_accessor_constructed (GObject *object)
{
  CsAccessor *self = (CsAccessor *)object;

  G_OBJECT_CLASS (cs_accessor_parent_class)->constructed (object);

  if (self->condition == NULL)
    self->condition = cs_condition_new ();
  _cs_accessor_engine_init (self);

  if (!G_TYPE_IS_VALUE_TYPE (self->value_type))
    {
      g_critical ("Accessor “%s” cannot hold values of type “%s”; it is closed",
                  _cs_accessor_name (self), g_type_name (self->value_type));
      self->value_type = G_TYPE_INT;
      self->lifecycle = CS_ACCESSOR_CLOSED;
    }

  g_value_init (&self->storage, self->value_type);
  self->owner = _cs_condition_get_owner (self->condition);
}

static void
cs_accessor_finalize (GObject *object)
{
  CsAccessor *self = (CsAccessor *)object;

  /* pending operations hold references on the accessor */
  g_assert (self->readers.n_readers == 0);
  g_assert (self->handoffs.length == 0);
  g_assert (self->read_waits.length == 0);
  g_assert (!self->member.watching);

  /* called whatever the data is, NULL included */
  if (self->destroy != NULL)
    self->destroy (self->user_data);
  if (G_IS_VALUE (&self->storage))
    g_value_unset (&self->storage);
  _cs_reader_index_clear (&self->readers);
  g_clear_object (&self->condition);
  g_clear_pointer (&self->name, g_free);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (cs_accessor_parent_class)->finalize (object);
}

static void
cs_accessor_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CsAccessor *self = CS_ACCESSOR (object);

  switch (prop_id)
    {
    case CS_ACCESSOR_PROP_VALUE_TYPE:
      g_value_set_gtype (value, self->value_type);
      break;

    case CS_ACCESSOR_PROP_VALUE:
      g_value_take_boxed (value, cs_accessor_dup_value (self));
      break;

    case CS_ACCESSOR_PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case CS_ACCESSOR_PROP_CONDITION:
      g_value_set_object (value, self->condition);
      break;

    case CS_ACCESSOR_PROP_GENERATION:
      g_value_set_uint64 (value, cs_accessor_get_generation (self));
      break;

    case CS_ACCESSOR_PROP_N_WAITING_READS:
      g_value_set_uint (value, cs_accessor_get_n_waiting_reads (self));
      break;

    case CS_ACCESSOR_PROP_HAS_WAITING_READ:
      g_value_set_boolean (value, cs_accessor_has_waiting_read (self));
      break;

    case CS_ACCESSOR_PROP_CLOSED:
      g_value_set_boolean (value, cs_accessor_is_closed (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_accessor_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  CsAccessor *self = CS_ACCESSOR (object);

  switch (prop_id)
    {
    case CS_ACCESSOR_PROP_VALUE_TYPE:
      self->value_type = g_value_get_gtype (value);
      break;

    case CS_ACCESSOR_PROP_VALUE:
      _cs_accessor_write_property (self, g_value_get_boxed (value));
      break;

    case CS_ACCESSOR_PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case CS_ACCESSOR_PROP_CONDITION:
      self->condition = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cs_accessor_class_init (CsAccessorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = cs_accessor_constructed;
  object_class->finalize = cs_accessor_finalize;
  object_class->get_property = cs_accessor_get_property;
  object_class->set_property = cs_accessor_set_property;
  object_class->dispatch_properties_changed = cs_accessor_dispatch_properties_changed;

  /**
   * CsAccessor:value-type:
   *
   * The type of the value held.
   *
   * Since: 1.0
   */
  properties[CS_ACCESSOR_PROP_VALUE_TYPE] =
    g_param_spec_gtype ("value-type", NULL, NULL,
                        G_TYPE_NONE,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:value:
   *
   * The current value.
   *
   * Reading it never yields %NULL: an unset value reads as the type's
   * default. Setting it is a write like [method@Cs.Accessor.set] where the
   * calling thread may work in the accessor's main context, and otherwise
   * like [method@Cs.Accessor.set_async] without a callback: queued, so that a
   * property setter never blocks. Since a property setter cannot fail, a
   * rejected value only logs a warning, from where it is applied; a write to a
   * closed accessor is dropped without one.
   *
   * Since: 1.0
   */
  properties[CS_ACCESSOR_PROP_VALUE] =
    g_param_spec_boxed ("value", NULL, NULL,
                        G_TYPE_VALUE,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:name:
   *
   * A name for debugging, shown in messages.
   *
   * Since: 1.0
   */
  properties[CS_ACCESSOR_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:condition:
   *
   * The notification group; a new one when none is given.
   *
   * Since: 1.0
   */
  properties[CS_ACCESSOR_PROP_CONDITION] =
    g_param_spec_object ("condition", NULL, NULL,
                         CS_TYPE_CONDITION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:generation:
   *
   * The number of successful writes so far.
   *
   * Since: 1.0
   */
  properties[CS_ACCESSOR_PROP_GENERATION] =
    g_param_spec_uint64 ("generation", NULL, NULL,
                         0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:n-waiting-reads:
   *
   * The number of readers waiting.
   *
   * Since: 1.0
   */
  properties[CS_ACCESSOR_PROP_N_WAITING_READS] =
    g_param_spec_uint ("n-waiting-reads", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:has-waiting-read:
   *
   * Whether a reader is waiting. It notifies on every change, including a
   * reader that arrives and leaves again, unless notifications are frozen.
   *
   * Since: 1.0
   */
  properties[CS_ACCESSOR_PROP_HAS_WAITING_READ] =
    g_param_spec_boolean ("has-waiting-read", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:closed:
   *
   * Whether [method@Cs.Accessor.close] was called, or the object behind the
   * accessor was finalized.
   *
   * Since: 1.0
   */
  properties[CS_ACCESSOR_PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, CS_ACCESSOR_N_PROPS, properties);

  notify_signal_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
}

static void
cs_accessor_init (CsAccessor *self)
{
  g_mutex_init (&self->mutex);
  self->value_type = G_TYPE_NONE;
}

/* Public API */

/**
 * cs_accessor_new:
 * @value_type: the type of the value to hold
 *
 * Creates an accessor that stores a value of @value_type itself, starting from
 * the type's default (0, %FALSE, %NULL, …).
 *
 * Returns: (transfer full): a new accessor
 *
 * Since: 1.0
 */
CsAccessor *
cs_accessor_new (GType value_type)
{
  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);

  return g_object_new (CS_TYPE_ACCESSOR, "value-type", value_type, NULL);
}

/* An accessor with reader and writer functions (none: it stores the value);
 * the caller checked the arguments. */
CsAccessor *
_cs_accessor_new_internal (GType                value_type,
                           const char          *name,
                           CsCondition         *condition,
                           CsAccessorReadFunc   read,
                           CsAccessorWriteFunc  write,
                           gpointer             user_data,
                           GDestroyNotify       destroy)
{
  CsAccessor *self;

  self = g_object_new (CS_TYPE_ACCESSOR,
                       "value-type", value_type,
                       "name", name,
                       "condition", condition,
                       NULL);
  self->read = read;
  self->write = write;
  self->user_data = user_data;
  self->destroy = destroy;

  return self;
}

/**
 * cs_accessor_new_full:
 * @value_type: the type of the value
 * @name: (nullable): a name for debugging
 * @condition: (nullable): the notification group to join; a new one if %NULL
 * @read: (nullable) (scope notified) (closure user_data) (destroy destroy): produces
 *   the current value
 * @write: (nullable) (scope notified) (closure user_data): stores a new value
 * @user_data: data for @read and @write
 * @destroy: (nullable): frees @user_data when the accessor is finalized
 *
 * Creates an accessor over a value kept elsewhere (in the Python module
 * `codestare.async_utils`, `accessor(funcs=(fget, fset))`).
 *
 * A write calls @write with a value of @value_type; if it fails, the write is
 * rejected: its error reaches the writer's caller unchanged and the value, the
 * generation and the waiters stay as they were. After a successful write, readers
 * receive what @read returns, so a writer that normalizes the value is seen
 * normalized. Both run in the accessor's main context, but for
 * [method@Cs.Accessor.dup_value] and a lone %CS_GET_FLAGS_NO_WAIT_FOR_WRITE
 * read, which call @read on the calling thread.
 *
 * Bindings that cannot pass two callbacks sharing one @user_data (Vala) use
 * [ctor@Cs.Accessor.new_with_closures].
 *
 * Without @write the accessor is read-only: writes fail with
 * %CS_ACCESSOR_ERROR_READ_ONLY. Without both, it stores the value itself, as
 * one made with [ctor@Cs.Accessor.new]. @destroy is called once, when the
 * accessor is finalized, whatever @user_data is.
 *
 * Returns: (transfer full): a new accessor
 *
 * Since: 1.0
 */
CsAccessor *
cs_accessor_new_full (GType                value_type,
                      const char          *name,
                      CsCondition         *condition,
                      CsAccessorReadFunc   read,
                      CsAccessorWriteFunc  write,
                      gpointer             user_data,
                      GDestroyNotify       destroy)
{
  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);
  g_return_val_if_fail (condition == NULL || CS_IS_CONDITION (condition), NULL);
  g_return_val_if_fail (read != NULL || write == NULL, NULL);

  return _cs_accessor_new_internal (value_type, name, condition, read, write, user_data, destroy);
}

/* An accessor whose successful writes are reported by the object behind it
 * (_cs_accessor_changed()), for instance from its notify signal. */
CsAccessor *
_cs_accessor_new_external (GType                value_type,
                           const char          *name,
                           CsCondition         *condition,
                           CsAccessorReadFunc   read,
                           CsAccessorWriteFunc  write,
                           gpointer             user_data,
                           GDestroyNotify       destroy)
{
  CsAccessor *self;

  self = _cs_accessor_new_internal (value_type, name, condition, read, write, user_data, destroy);
  self->external = TRUE;

  return self;
}

/**
 * cs_accessor_get_value_type:
 * @self: an accessor
 *
 * Gets the type of the value held.
 *
 * Returns: the value type
 *
 * Since: 1.0
 */
GType
cs_accessor_get_value_type (CsAccessor *self)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), G_TYPE_INVALID);

  return self->value_type;
}

/**
 * cs_accessor_get_name:
 * @self: an accessor
 *
 * Gets the name given at construction.
 *
 * Returns: (nullable): the name
 *
 * Since: 1.0
 */
const char *
cs_accessor_get_name (CsAccessor *self)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), NULL);

  return self->name;
}

/**
 * cs_accessor_get_condition:
 * @self: an accessor
 *
 * Gets the notification group of the accessor.
 *
 * Returns: (transfer none): the condition
 *
 * Since: 1.0
 */
CsCondition *
cs_accessor_get_condition (CsAccessor *self)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), NULL);

  return self->condition;
}

/**
 * cs_accessor_get_generation:
 * @self: an accessor
 *
 * Gets the number of successful writes so far.
 *
 * Returns: the generation
 *
 * Since: 1.0
 */
guint64
cs_accessor_get_generation (CsAccessor *self)
{
  guint64 generation;

  g_return_val_if_fail (CS_IS_ACCESSOR (self), 0);

  g_mutex_lock (&self->mutex);
  generation = self->generation;
  g_mutex_unlock (&self->mutex);

  return generation;
}

/**
 * cs_accessor_is_closed:
 * @self: an accessor
 *
 * Gets whether the accessor is closed.
 *
 * Returns: %TRUE once [method@Cs.Accessor.close] was called, or the object
 *   behind the accessor was finalized
 *
 * Since: 1.0
 */
gboolean
cs_accessor_is_closed (CsAccessor *self)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), TRUE);

  return g_atomic_int_get (&self->lifecycle) != CS_ACCESSOR_OPEN;
}

/**
 * cs_accessor_get_n_waiting_reads:
 * @self: an accessor
 *
 * Gets the number of readers waiting. A read counts from the moment
 * [method@Cs.Accessor.get_async] returns (called from another thread than the
 * one of the accessor's main context, once that context has registered it)
 * until it completes, is cancelled or fails; a read that completes at once
 * never counts.
 *
 * Returns: the number of waiting readers
 *
 * Since: 1.0
 */
guint
cs_accessor_get_n_waiting_reads (CsAccessor *self)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), 0);

  return (guint) g_atomic_int_get (&self->n_readers);
}

/**
 * cs_accessor_has_waiting_read:
 * @self: an accessor
 *
 * Gets whether a reader is waiting.
 *
 * Returns: %TRUE if [property@Cs.Accessor:n-waiting-reads] is not 0
 *
 * Since: 1.0
 */
gboolean
cs_accessor_has_waiting_read (CsAccessor *self)
{
  return cs_accessor_get_n_waiting_reads (self) > 0;
}

/**
 * cs_accessor_dup_value:
 * @self: an accessor
 *
 * Gets a copy of the current value, without waiting (in the Python module
 * `codestare.async_utils`, `accessor.value`). It runs on the calling thread,
 * whatever thread that is.
 *
 * Returns: (transfer full): the current value, never %NULL
 *
 * Since: 1.0
 */
GValue *
cs_accessor_dup_value (CsAccessor *self)
{
  GValue *value;

  g_return_val_if_fail (CS_IS_ACCESSOR (self), NULL);

  value = g_new0 (GValue, 1);
  _cs_accessor_read_value (self, value);

  return value;
}

/* Closing */

/* Fails everything pending, once, when the close's turn has come. */
void
_cs_accessor_finish_close (CsAccessor *self)
{
  CsOperationList pending;
  GList *l;

  g_atomic_int_set (&self->lifecycle, CS_ACCESSOR_CLOSED);

  /* in the order they came: readers, then writes and waits */
  _cs_operation_list_init (&pending);
  _cs_reader_index_collect_all (&self->readers, &pending);
  for (l = self->handoffs.head; l != NULL; l = l->next)
    _cs_operation_list_add (&pending, l->data);
  for (l = self->read_waits.head; l != NULL; l = l->next)
    _cs_operation_list_add (&pending, l->data);

  /* the lists' references go with the operations; the list's are its own */
  for (guint i = 0; i < pending.len; i++)
    _cs_accessor_finish (self, pending.ops[i], _cs_accessor_closed_error (self));
  _cs_operation_list_clear (&pending);

  _cs_accessor_flush_counts (self);
  _cs_accessor_notify (self, CS_ACCESSOR_PROP_CLOSED);
}

/* The close's turn in the owner context: queued after the write being
 * applied, if the write function closed, and after a write whose
 * notification is held back. */
void
_cs_accessor_close_now (CsAccessor *self)
{
  if (self->writing > 0)
    {
      self->close_deferred = TRUE;
      return;
    }

  /* no handoff goes once the close has its place */
  self->close_queued = TRUE;
  _cs_accessor_push_held_write (self);
  _cs_condition_push (self->condition, CS_EVENT_CLOSE, &self->member);
  _cs_condition_dispatch (self->condition);
}

static void
close_work (CsWork *work)
{
  CsAccessorWork *item = (CsAccessorWork *) work;

  _cs_accessor_close_now (item->accessor);
  _cs_accessor_work_free (item);
}

/* Closes to new calls at once; fails what is pending when the close's turn
 * comes in the owner context, after the writes and events before it. */
void
_cs_accessor_request_close (CsAccessor *self)
{
  CsOwnerScope scope;

  if (!g_atomic_int_compare_and_exchange (&self->lifecycle, CS_ACCESSOR_OPEN,
                                          CS_ACCESSOR_CLOSING))
    return;

  if (_cs_owner_enter (self->owner, &scope))
    {
      _cs_accessor_close_now (self);
      _cs_owner_leave (self->owner, &scope);
    }
  else
    _cs_owner_post (self->owner, &_cs_accessor_work_new (self, close_work)->work);
}

/**
 * cs_accessor_close:
 * @self: an accessor
 *
 * Closes the accessor: every pending read, write and wait fails with
 * %CS_ACCESSOR_ERROR_CLOSED, and so does every later one. Closing twice does
 * nothing.
 *
 * A close keeps its place in the order of operations: the readers of a write
 * applied before it receive that write — one being notified while the close
 * is made, one whose notification g_object_freeze_notify() holds back, and
 * the write under way when a write function (see
 * [ctor@Cs.Accessor.new_with_funcs]) closes its own accessor — and a write
 * that a thread queued before closing is applied first. A `WAIT_FOR_READ`
 * write still queued fails. Later calls fail at once; the pending ones are
 * failed (and `notify::closed` emitted) in the accessor's main context.
 *
 * Since: 1.0
 */
void
cs_accessor_close (CsAccessor *self)
{
  g_return_if_fail (CS_IS_ACCESSOR (self));

  _cs_accessor_request_close (self);
}
