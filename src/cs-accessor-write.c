/* cs-accessor-write.c: the write path, notifications and the wake-ups of readers
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-predicate-private.h"

#define properties _cs_accessor_properties

/* In the owner context, as everything of the engine (cs-accessor-ops.c): a
 * write is applied in one place, counted, and notified; the notification of
 * the value queues the write's event in the group, and the group delivers it
 * back here, where the readers it concerns are checked and completed. */

/* Whether anyone listens to the accessor's notifications: asked once for as
 * long as only the engine runs (see _cs_owner_epoch()). */
static gboolean
is_listened (CsAccessor *self)
{
  guint64 epoch = _cs_owner_epoch (self->owner);

  if (self->listened_epoch != epoch)
    {
      self->listened = _cs_accessor_is_listened (self);
      self->listened_epoch = epoch;
    }

  return self->listened;
}

void
_cs_accessor_notify (CsAccessor *self,
                     guint       prop)
{
  g_object_notify_by_pspec ((GObject *) self, properties[prop]);
  _cs_owner_touch (self->owner);
}

/* Count notifications: n-waiting-reads and has-waiting-read notify the
 * changes since the last notification. The engine calls this at the end of
 * every step and before it runs code of the user's (a predicate, a reader or
 * writer function, a notification), so a change that such code could have
 * seen is never folded into a later one. */
void
_cs_accessor_flush_counts (CsAccessor *self)
{
  guint n = self->readers.n_readers;
  guint old = self->notified_n;

  if (n == old)
    return;

  self->notified_n = n;
  if (!is_listened (self))
    return;

  _cs_accessor_notify (self, CS_ACCESSOR_PROP_N_WAITING_READS);
  if ((n > 0) != (old > 0))
    _cs_accessor_notify (self, CS_ACCESSOR_PROP_HAS_WAITING_READ);
}

/* Before the engine runs code of the user's. */
void
_cs_accessor_before_user_code (CsAccessor *self)
{
  _cs_accessor_flush_counts (self);
  _cs_owner_touch (self->owner);
}

/* Runs @op's predicate on @value: 1 for a match, 0 for none (or an
 * operation that has its result already), -1 with @error set when the
 * predicate failed. The predicate is kept alive while it runs: it may
 * complete, cancel or close. */
int
_cs_accessor_test_predicate (CsAccessor    *self,
                             CsOperation   *op,
                             const GValue  *value,
                             GError       **error)
{
  g_autoptr(CsPredicate) predicate = g_object_ref (op->predicate);
  int match;

  _cs_accessor_before_user_code (self);

  if (!_cs_operation_begin_predicate (op))
    return 0;
  match = _cs_predicate_test (predicate, value, error);
  _cs_operation_end_predicate (op);

  return match;
}

/* Writes */

static void
notify_write (CsAccessor *self)
{
  _cs_accessor_flush_counts (self);

  /* the value's notification wakes the readers (Semantics 9) */
  g_object_notify_by_pspec ((GObject *) self, properties[CS_ACCESSOR_PROP_VALUE]);
  if (is_listened (self))
    _cs_accessor_notify (self, CS_ACCESSOR_PROP_GENERATION);
}

static void
count_write (CsAccessor *self)
{
  g_mutex_lock (&self->mutex);
  self->generation++;
  g_mutex_unlock (&self->mutex);
}

/* Queues the wake-up of the write that made @generation, with @value (taken;
 * unset when no reader waits). */
static void
push_write_event (CsAccessor *self,
                  GValue     *value,
                  guint64     generation)
{
  CsEvent *event;

  event = _cs_condition_push (self->condition, CS_EVENT_WRITE, &self->member);
  event->generation = generation;
  event->value = *value;
  *value = (GValue) G_VALUE_INIT;
  self->pushed_generation = MAX (self->pushed_generation, generation);
}

/* Reads the value for a wake-up: only readers already waiting can take a
 * write, so with none, reading it back is spared (the group is still
 * re-checked). */
static void
read_for_readers (CsAccessor *self,
                  GValue     *value)
{
  if (self->readers.n_readers > 0)
    {
      _cs_accessor_before_user_code (self);
      _cs_accessor_read_value (self, value);
    }
}

/* Queues the wake-up of the last write, with the value as it is now. */
static void
push_write (CsAccessor *self)
{
  GValue value = G_VALUE_INIT;

  read_for_readers (self, &value);
  push_write_event (self, &value, self->generation);
}

/* A handoff whose notification a freeze holds back reaches the readers bound
 * to it before a write overwrites it, even one that its write function then
 * rejects: no handoff is applied unseen (Semantics 5). The next handoff still
 * waits for the thaw. */
static void
find_bound (gpointer data,
            gpointer user_data)
{
  gboolean *found = user_data;

  if (g_atomic_int_get (&((CsOperation *) data)->state) == CS_OPERATION_BOUND)
    *found = TRUE;
}

static void
deliver_held_handoff (CsAccessor *self)
{
  gboolean was_pumping = self->pumping;
  gboolean found = FALSE;

  if (!self->has_bound || self->pushed_generation == self->generation)
    return;

  /* a re-check of the group may have completed the bound readers already */
  _cs_reader_index_foreach (&self->readers, find_bound, &found);
  if (!found)
    return;

  self->pumping = TRUE;
  push_write (self);
  _cs_condition_dispatch (self->condition);
  self->pumping = was_pumping;
}

/* A close made by the write function takes effect once the write has been
 * notified: the readers waiting for it receive it (Semantics 8). */
static void
close_if_deferred (CsAccessor *self)
{
  if (self->writing == 0 && self->close_deferred)
    {
      self->close_deferred = FALSE;
      _cs_accessor_close_now (self);
    }
}

/* The one place where a write is applied: store the value (taken from @value,
 * which is left holding something to unset), count the write and notify it,
 * which wakes the readers. A write queued before a close still applies. */
gboolean
_cs_accessor_apply_write (CsAccessor  *self,
                          GValue      *value,
                          GError     **error)
{
  if (_cs_accessor_is_closed_now (self))
    {
      g_propagate_error (error, _cs_accessor_closed_error (self));
      return FALSE;
    }

  deliver_held_handoff (self);

  if (self->write != NULL)
    {
      GError *local_error = NULL;
      gboolean written;

      _cs_accessor_before_user_code (self);
      self->writing++;
      written = self->write (value, self->user_data, &local_error);
      self->writing--;

      if (!written)
        {
          if (local_error == NULL)
            local_error = g_error_new (CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_FAILED,
                                       "The writer of accessor “%s” rejected the value",
                                       _cs_accessor_name (self));
          g_propagate_error (error, local_error);
          close_if_deferred (self);
          return FALSE;
        }

      /* a writer that succeeded has nothing to report */
      g_clear_error (&local_error);

      /* the object behind it reports the change itself */
      if (self->external)
        {
          close_if_deferred (self);
          return TRUE;
        }

      count_write (self);
    }
  else
    {
      GValue old;

      /* moved, not copied */
      g_mutex_lock (&self->mutex);
      old = self->storage;
      self->storage = *value;
      self->generation++;
      g_mutex_unlock (&self->mutex);
      *value = old;
    }

  notify_write (self);
  close_if_deferred (self);

  return TRUE;
}

CsAccessorWork *
_cs_accessor_work_new (CsAccessor *self,
                       CsWorkFunc  func)
{
  CsAccessorWork *item = g_new0 (CsAccessorWork, 1);

  item->work.func = func;
  item->accessor = g_object_ref (self);

  return item;
}

void
_cs_accessor_work_free (CsAccessorWork *item)
{
  g_object_unref (item->accessor);
  g_free (item);
}

/* Counts a write applied by the object behind a property accessor, whose
 * notification comes later (several may fold into one). Owner context. */
void
_cs_accessor_count_write (CsAccessor *self)
{
  count_write (self);
}

static void
changed_now (CsAccessor *self,
             guint       n_writes)
{
  if (n_writes > 0)
    {
      g_mutex_lock (&self->mutex);
      self->generation += n_writes;
      g_mutex_unlock (&self->mutex);
    }
  notify_write (self);
}

static void
changed_work (CsWork *work)
{
  CsAccessorWork *item = (CsAccessorWork *) work;
  GObject *object = item->object != NULL ? g_weak_ref_get (item->object) : NULL;

  /* an object finalized meanwhile cannot be read: no value is made up for
   * the change, and the close that follows fails the readers */
  if (item->object == NULL || object != NULL)
    changed_now (item->accessor, item->n_writes);
  g_clear_object (&object);
  _cs_accessor_work_free (item);
}

/* A change reported by the object behind a property accessor (its notify
 * signal), on any thread: @n_writes more writes counted (none: counted as
 * they were applied), and notified, in the owner context. The reader
 * function runs there too (Semantics 10), so a change notified on another
 * thread is read when the owner context gets to it, if the object behind
 * (@object, a weak reference that lives as long as the accessor, when given)
 * is still alive then. */
void
_cs_accessor_changed (CsAccessor *self,
                      guint       n_writes,
                      GWeakRef   *object)
{
  CsOwnerScope scope;

  if (_cs_owner_enter (self->owner, &scope))
    {
      changed_now (self, n_writes);
      _cs_owner_leave (self->owner, &scope);
    }
  else
    {
      CsAccessorWork *item = _cs_accessor_work_new (self, changed_work);

      item->n_writes = n_writes;
      item->object = object;
      _cs_owner_post (self->owner, &item->work);
    }
}

/* Notifications */

/* Before a close: a write applied while notifications are frozen (the
 * accessor's, or the object's behind it) reaches its readers first, as it
 * would have if the close had come after the thaw (Semantics 8). */
void
_cs_accessor_push_held_write (CsAccessor *self)
{
  if (self->pushed_generation < self->generation)
    push_write (self);
}

/* Whether the write being applied comes from a property setter, whose
 * g_object_set() notifies the property itself. */
gboolean
_cs_accessor_in_property_write (CsAccessor *self)
{
  return self->in_property_write;
}

/* Emits the accessor's notifications; a write's wakes its readers. The
 * wake-up is queued with the value as it is now, before the handlers run, so
 * that a write they make is delivered after this one. */
void
_cs_accessor_dispatch_notify (CsAccessor   *self,
                              guint         n_pspecs,
                              GParamSpec  **pspecs,
                              CsDispatchFunc  chain_up)
{
  gboolean wrote = FALSE;

  for (guint i = 0; i < n_pspecs && !wrote; i++)
    wrote = pspecs[i] == properties[CS_ACCESSOR_PROP_VALUE];

  if (wrote)
    push_write (self);

  _cs_owner_touch (self->owner);
  chain_up ((GObject *) self, n_pspecs, pspecs);

  if (wrote)
    _cs_condition_dispatch (self->condition);
}

typedef struct
{
  CsWork        work;
  CsAccessor   *accessor;
  CsDispatchFunc  chain_up;
  guint         n_pspecs;
  GParamSpec   *pspecs[];
} NotifyWork;

static void
notify_work (CsWork *work)
{
  NotifyWork *item = (NotifyWork *) work;

  _cs_accessor_dispatch_notify (item->accessor, item->n_pspecs, item->pspecs, item->chain_up);

  for (guint i = 0; i < item->n_pspecs; i++)
    g_param_spec_unref (item->pspecs[i]);
  g_object_unref (item->accessor);
  g_free (item);
}

/* Posts notifications dispatched on a thread that may not work in the owner
 * context (a worker's thaw) to the owner context, to be emitted there. */
void
_cs_accessor_forward_notify (CsAccessor   *self,
                             guint         n_pspecs,
                             GParamSpec  **pspecs,
                             CsDispatchFunc  chain_up)
{
  NotifyWork *item = g_malloc0 (sizeof (NotifyWork) + n_pspecs * sizeof (GParamSpec *));

  item->work.func = notify_work;
  item->accessor = g_object_ref (self);
  item->chain_up = chain_up;
  item->n_pspecs = n_pspecs;
  for (guint i = 0; i < n_pspecs; i++)
    item->pspecs[i] = g_param_spec_ref (pspecs[i]);

  _cs_owner_post (self->owner, &item->work);
}

/* Waking readers */

/* Checks the readers of @due against @value, in order, and completes those
 * that match. Equality readers found by the value have matched already. The
 * last one may take @value, which the caller does not need after. */
static void
check_and_complete (CsAccessor      *self,
                    CsOperationList *due,
                    GValue          *value)
{
  for (guint i = 0; i < due->len; i++)
    {
      CsOperation *op = due->ops[i];

      /* an earlier predicate or reader may have completed or cancelled it */
      if (op->list == NULL)
        continue;

      if (op->place != CS_OPERATION_IN_BUCKET && op->predicate != NULL)
        {
          GError *error = NULL;
          int match;

          /* a re-check round of the group may stop short (cs-condition.c) */
          if (!_cs_condition_begin_check (self->condition))
            continue;

          match = _cs_accessor_test_predicate (self, op, value, &error);

          if (op->list == NULL)
            {
              g_clear_error (&error);
              continue;
            }

          if (match < 0)
            {
              _cs_accessor_finish (self, op, error);
              continue;
            }

          if (match == 0)
            continue;
        }

      if (i + 1 == due->len)
        _cs_accessor_finish_taking_value (self, op, value);
      else
        _cs_accessor_finish_with_value (self, op, value);
    }
}

/* A write to this accessor: its readers that came before it. */
static void
wake_write (CsAccessor    *self,
            CsEvent       *event)
{
  if (self->readers.n_readers > 0 && G_VALUE_TYPE (&event->value) != G_TYPE_INVALID)
    {
      CsOperationList due;

      _cs_operation_list_init (&due);
      _cs_reader_index_collect_write (&self->readers, &event->value, event->generation, &due);
      check_and_complete (self, &due, &event->value);
      _cs_operation_list_clear (&due);
    }

  _cs_accessor_flush_counts (self);
}

/* A write of this accessor has reached its readers and the whole group: the
 * readers bound to it may be cancelled again, and the next handoff may go. */
static void
write_delivered (CsConditionMember *member,
                 CsEvent           *event)
{
  CsAccessor *self = (CsAccessor *) member->instance;

  self->woken_generation = MAX (self->woken_generation, event->generation);
  _cs_accessor_unbind_readers (self);
  _cs_accessor_pump_handoffs (self);
  _cs_accessor_flush_counts (self);
}

/* A change elsewhere in the group: re-check the predicates with the value as
 * it is now. */
static void
wake_recheck (CsAccessor *self)
{
  g_auto(GValue) current = G_VALUE_INIT;
  CsOperationList due;

  if (self->readers.n_predicates == 0)
    return;

  _cs_accessor_before_user_code (self);
  _cs_accessor_read_value (self, &current);

  _cs_operation_list_init (&due);
  _cs_reader_index_collect_recheck (&self->readers, &current, self->woken_generation, &due);
  check_and_complete (self, &due, &current);
  _cs_operation_list_clear (&due);

  _cs_accessor_flush_counts (self);
}

static void
accessor_wake (CsConditionMember *member,
               CsEvent           *event)
{
  CsAccessor *self = (CsAccessor *) member->instance;

  switch (event->kind)
    {
    case CS_EVENT_WRITE:
      if (event->source == member)
        wake_write (self, event);
      else
        wake_recheck (self);
      break;

    case CS_EVENT_NOTIFY_ALL:
      wake_recheck (self);
      break;

    case CS_EVENT_CLOSE:
      _cs_accessor_finish_close (self);
      break;

    default:
      g_assert_not_reached ();
    }
}

void
_cs_accessor_engine_init (CsAccessor *self)
{
  self->listened_epoch = G_MAXUINT64;
  _cs_condition_member_init (&self->member, (GObject *) self, accessor_wake,
                             write_delivered);
  _cs_reader_index_init (&self->readers);
  g_queue_init (&self->handoffs);
  g_queue_init (&self->read_waits);
}

