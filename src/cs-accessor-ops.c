/* cs-accessor-ops.c: reads, writes and handoffs, as the owner context applies them
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-predicate-private.h"
#include "cs-value-private.h"

#define properties _cs_accessor_properties

/* The engine runs in the owner context (see cs-owner.c), one step at a time:
 * an operation started directly or posted by another thread, an event of the
 * group (a write's wake-up, a re-check, a close: cs-accessor-write.c), a
 * cancellation. A pending operation is in exactly one of the accessor's
 * lists, named by its place; it leaves through leave_list() and is completed
 * by whoever claims it (cs-operation.c). Completions only queue the callback:
 * no callback runs here. */

static void cancel_operation (CsAccessor  *self,
                              CsOperation *op);

static void
update_reader_count (CsAccessor *self)
{
  g_atomic_int_set (&self->n_readers, (gint) self->readers.n_readers);
  _cs_condition_watch (self->condition, &self->member, self->readers.n_predicates > 0);
}

/* Takes a pending operation out of the list it waits in. */
static void
leave_list (CsAccessor  *self,
            CsOperation *op)
{
  switch (op->place)
    {
    case CS_OPERATION_IN_NEXT:
    case CS_OPERATION_IN_BUCKET:
    case CS_OPERATION_IN_SCAN:
      _cs_reader_index_remove (&self->readers, op);
      update_reader_count (self);
      break;

    case CS_OPERATION_IN_HANDOFFS:
    case CS_OPERATION_IN_READ_WAITS:
      g_queue_unlink (op->list, &op->link);
      op->list = NULL;
      op->place = CS_OPERATION_IN_NONE;
      break;

    case CS_OPERATION_IN_NONE:
    default:
      break;
    }

  _cs_operation_unwatch (op);
  /* a read drops its predicate as it leaves (its result may live on) */
  g_clear_object (&op->predicate);
}

/* Completes an operation that left its list (or never entered one) with
 * @error, or with success if @error is NULL. The engine's reference goes with
 * it; if a blocking caller's cancellation claimed it first, it is dropped. */
void
_cs_accessor_finish (CsAccessor  *self,
                     CsOperation *op,
                     GError      *error)
{
  leave_list (self, op);

  if (!_cs_operation_claim (op))
    {
      g_clear_error (&error);
      _cs_operation_unref (op);
    }
  else if (error != NULL)
    _cs_operation_return_error (op, error);
  else
    _cs_operation_return_boolean (op);
}

void
_cs_accessor_finish_with_value (CsAccessor   *self,
                                CsOperation  *op,
                                const GValue *value)
{
  leave_list (self, op);

  if (_cs_operation_claim (op))
    _cs_operation_return_value (op, value);
  else
    _cs_operation_unref (op);
}

/* The same, moving @value into the result: it is left unset. */
void
_cs_accessor_finish_taking_value (CsAccessor  *self,
                                  CsOperation *op,
                                  GValue      *value)
{
  leave_list (self, op);

  if (_cs_operation_claim (op))
    _cs_operation_take_value (op, value);
  else
    _cs_operation_unref (op);
}

GError *
_cs_accessor_closed_error (CsAccessor *self)
{
  return g_error_new (CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED,
                      "Accessor “%s” was closed", _cs_accessor_name (self));
}

static GError *
cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
}

gboolean
_cs_accessor_is_closed_now (CsAccessor *self)
{
  return g_atomic_int_get (&self->lifecycle) == CS_ACCESSOR_CLOSED;
}

/* WAIT_FOR_READ writes */

/* Whether the next handoff may be applied: a reader is waiting, and the
 * readers have seen the previous write (not so while notifications are
 * frozen, or while the group delivers an earlier event). */
static gboolean
can_hand_off (CsAccessor *self)
{
  return !self->close_queued &&
         !_cs_accessor_is_closed_now (self) &&
         self->readers.n_readers > 0 &&
         self->woken_generation == self->generation;
}

static void
bind_reader (gpointer data,
             gpointer user_data)
{
  gboolean *bound = user_data;

  if (_cs_operation_bind (data))
    *bound = TRUE;
}

/* The readers pending when a handoff is applied are bound to it: each checks
 * it, even if it is cancelled before the write reaches it (notifications
 * frozen, or the group busy with an earlier event). Returns FALSE, binding
 * none, if none is still pending: all were cancelled by blocking callers, and
 * the owner context has not yet seen them go. */
static gboolean
bind_readers (CsAccessor *self)
{
  _cs_reader_index_foreach (&self->readers, bind_reader, &self->has_bound);

  return self->has_bound;
}

static void
unbind_reader (gpointer data,
               gpointer user_data)
{
  CsOperation *op = data;
  CsOperationList *cancelled = user_data;

  if (_cs_operation_unbind (op) && op->cancel_seen)
    _cs_operation_list_add (cancelled, op);
}

/* After the handoff's wake-up (or its failure): the readers it did not
 * complete may be cancelled again, and those cancelled meanwhile are. */
void
_cs_accessor_unbind_readers (CsAccessor *self)
{
  CsOperationList cancelled;

  if (!self->has_bound)
    return;

  self->has_bound = FALSE;
  _cs_operation_list_init (&cancelled);
  _cs_reader_index_foreach (&self->readers, unbind_reader, &cancelled);
  for (guint i = 0; i < cancelled.len; i++)
    cancel_operation (self, cancelled.ops[i]);
  _cs_operation_list_clear (&cancelled);
}

/* Applies a handoff's value if it can go now: a reader is waiting for it and
 * none is queued before it. Returns FALSE, changing nothing, if not. */
gboolean
_cs_accessor_hand_off (CsAccessor  *self,
                       GValue      *value,
                       GError     **error)
{
  if (!can_hand_off (self) || !bind_readers (self))
    return FALSE;

  if (!_cs_accessor_apply_write (self, value, error))
    {
      _cs_accessor_unbind_readers (self);
      return FALSE;
    }

  /* delivered already, or (a property that did not notify) never will be */
  if (self->woken_generation == self->generation)
    _cs_accessor_unbind_readers (self);

  return TRUE;
}

/* Applies a write operation, which it completes. */
static void
apply_operation_write (CsAccessor  *self,
                       CsOperation *op)
{
  GError *error = NULL;
  gboolean was_property_write;
  gboolean applied;

  if (!_cs_operation_claim (op))
    {
      _cs_operation_unref (op);
      return;
    }

  was_property_write = self->in_property_write;
  self->in_property_write = op->warn_on_error;
  applied = _cs_accessor_apply_write (self, &op->value, &error);
  self->in_property_write = was_property_write;

  if (applied)
    {
      g_value_unset (&op->value);
      _cs_operation_return_boolean (op);
    }
  else
    _cs_operation_return_error (op, error);
}

/* Tries to apply the handoff @op, which has left its list or never entered
 * one. Returns FALSE if it cannot go yet. */
static gboolean
try_hand_off (CsAccessor  *self,
              CsOperation *op)
{
  if (!can_hand_off (self) || !bind_readers (self))
    return FALSE;

  leave_list (self, op);
  apply_operation_write (self, op);

  /* a handoff that failed, or was cancelled meanwhile, reached nobody */
  if (self->woken_generation == self->generation)
    _cs_accessor_unbind_readers (self);

  return TRUE;
}

/* Applies the queued handoffs that can go, one at a time: each waits until
 * the previous one has reached its readers. */
void
_cs_accessor_pump_handoffs (CsAccessor *self)
{
  /* a handoff's own wake-up comes back here: the outer loop goes on */
  if (self->pumping)
    return;

  self->pumping = TRUE;
  while (self->handoffs.length > 0 && try_hand_off (self, g_queue_peek_head (&self->handoffs)))
    ;
  self->pumping = FALSE;
}

/* Starting operations */

/* Whether a read with @flags looks at the current value before waiting. */
gboolean
_cs_accessor_reads_current (CsPredicate *predicate,
                            CsGetFlags   flags)
{
  return (flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE) != 0 ||
         (predicate != NULL && (flags & CS_GET_FLAGS_WAIT_FOR_WRITE) == 0);
}

/* Checks what fails a read before it starts. */
gboolean
_cs_accessor_check_read (CsAccessor    *self,
                         CsGetFlags     flags,
                         GCancellable  *cancellable,
                         GError       **error)
{
  if ((flags & CS_GET_FLAGS_WAIT_FOR_WRITE) && (flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "WAIT_FOR_WRITE and NO_WAIT_FOR_WRITE exclude each other");
      return FALSE;
    }

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return _cs_accessor_check_open (self, error);
}

/* The key under which an equality reader waits: the value it waits for, when
 * the index can hold it (equality is one relation across types, so the key
 * finds the values of the accessor's type that equal it). */
static gboolean
equality_key (CsPredicate *predicate,
              GValue      *key)
{
  const GValue *value;

  if (predicate == NULL || _cs_predicate_get_kind (predicate) != CS_PREDICATE_EQUAL)
    return FALSE;

  value = _cs_predicate_get_value (predicate);
  if (!_cs_value_is_hashable (value))
    return FALSE;

  g_value_init (key, G_VALUE_TYPE (value));
  g_value_copy (value, key);

  return TRUE;
}

static void
complete_read_waits (CsAccessor *self)
{
  while (self->read_waits.length > 0)
    _cs_accessor_finish (self, g_queue_peek_head (&self->read_waits), NULL);
}

static void
register_reader (CsAccessor  *self,
                 CsOperation *op)
{
  GValue key = G_VALUE_INIT;

  op->start_generation = self->generation;
  _cs_reader_index_add (&self->readers, op,
                        equality_key (op->predicate, &key) ? &key : NULL);
  update_reader_count (self);
}

/* An operation cancelled before it entered a list: a blocking caller's
 * cancellation claimed it (drop it), or its cancellation came while the
 * owner context ran code of the user's for it (fail it). */
static gboolean
drop_if_cancelled (CsAccessor  *self,
                   CsOperation *op)
{
  if (!_cs_operation_is_pending (op))
    {
      leave_list (self, op);
      _cs_operation_unref (op);
      return TRUE;
    }

  if (op->cancel_seen)
    {
      _cs_accessor_finish (self, op, cancelled_error ());
      return TRUE;
    }

  return FALSE;
}

static void
start_read (CsAccessor  *self,
            CsOperation *op)
{
  if (_cs_accessor_reads_current (op->predicate, op->flags))
    {
      for (;;)
        {
          g_auto(GValue) current = G_VALUE_INIT;
          guint64 generation = self->generation;
          GError *error = NULL;
          int match = 1;

          _cs_accessor_before_user_code (self);
          _cs_accessor_read_value (self, &current);
          if (op->predicate != NULL)
            match = _cs_accessor_test_predicate (self, op, &current, &error);

          if (match < 0)
            {
              _cs_accessor_finish (self, op, error);
              return;
            }

          if (match > 0)
            {
              _cs_accessor_finish_with_value (self, op, &current);
              return;
            }

          /* the predicate may have closed the accessor, cancelled the read,
           * or written to the accessor */
          if (_cs_accessor_is_closed_now (self))
            {
              _cs_accessor_finish (self, op, _cs_accessor_closed_error (self));
              return;
            }

          if (drop_if_cancelled (self, op))
            return;

          if (generation == self->generation)
            break;
        }
    }

  register_reader (self, op);
  complete_read_waits (self);
  _cs_accessor_pump_handoffs (self);
}

static void
start_write (CsAccessor  *self,
             CsOperation *op)
{
  if (op->flags & CS_SET_FLAGS_WAIT_FOR_READ)
    {
      if (self->handoffs.length == 0 && try_hand_off (self, op))
        return;

      op->list = &self->handoffs;
      op->place = CS_OPERATION_IN_HANDOFFS;
      g_queue_push_tail_link (&self->handoffs, &op->link);
      return;
    }

  _cs_operation_unwatch (op);
  apply_operation_write (self, op);
}

static void
start_read_wait (CsAccessor  *self,
                 CsOperation *op)
{
  if (self->readers.n_readers > 0)
    {
      _cs_accessor_finish (self, op, NULL);
      return;
    }

  op->list = &self->read_waits;
  op->place = CS_OPERATION_IN_READ_WAITS;
  g_queue_push_tail_link (&self->read_waits, &op->link);
}

static void
start_operation (CsAccessor  *self,
                 CsOperation *op)
{
  /* cancelled on its way here */
  if (drop_if_cancelled (self, op))
    ;
  else if (_cs_accessor_is_closed_now (self))
    _cs_accessor_finish (self, op, _cs_accessor_closed_error (self));
  else
    {
      switch ((CsOperationKind) op->kind)
        {
        case CS_OPERATION_READ:
          start_read (self, op);
          break;
        case CS_OPERATION_WRITE:
          start_write (self, op);
          break;
        case CS_OPERATION_READ_WAIT:
          start_read_wait (self, op);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  _cs_accessor_flush_counts (self);
}

static void
start_work (CsWork *work)
{
  CsOperation *op = G_STRUCT_MEMBER_P (work, -G_STRUCT_OFFSET (CsOperation, work));

  start_operation ((CsAccessor *) op->source_object, op);
}

/* Starts @op, with the caller's reference: now if this thread may work in
 * the owner context, otherwise there, in the order this thread made its
 * calls. */
void
_cs_accessor_submit (CsAccessor  *self,
                     CsOperation *op)
{
  CsOwnerScope scope;

  if (_cs_owner_enter (self->owner, &scope))
    {
      start_operation (self, op);
      _cs_owner_leave (self->owner, &scope);
    }
  else
    _cs_accessor_post (self, op);
}

/* Starts @op in the owner context, from a thread that may not work there. */
void
_cs_accessor_post (CsAccessor  *self,
                   CsOperation *op)
{
  op->work.func = start_work;
  _cs_owner_post (self->owner, &op->work);
}

/* Cancellation */

/* In the owner context: a waiting operation leaves with the cancellation, or
 * is dropped if a blocking caller's cancellation took it already; one that is
 * not waiting yet (not started, or running its first predicate check) fails
 * when it would. A bound reader ignores it. */
static void
cancel_operation (CsAccessor  *self,
                  CsOperation *op)
{
  if (op->list == NULL)
    {
      op->cancel_seen = TRUE;
      return;
    }

  /* too late: it checks the handoff first (unbind_readers() cancels it) */
  if (g_atomic_int_get (&op->state) == CS_OPERATION_BOUND)
    {
      op->cancel_seen = TRUE;
      return;
    }

  leave_list (self, op);

  if (_cs_operation_claim_pending (op))
    _cs_operation_return_error (op, cancelled_error ());
  else
    _cs_operation_unref (op);

  _cs_accessor_flush_counts (self);
}

typedef struct
{
  CsWork       work;
  CsOperation *op;
} CancelWork;

static void
cancel_work (CsWork *work)
{
  CancelWork *item = (CancelWork *) work;

  cancel_operation ((CsAccessor *) item->op->source_object, item->op);
  _cs_operation_unref (item->op);
  g_free (item);
}

/* Tells the owner context that @op was cancelled: at once if this thread may
 * work there, otherwise through its queue. */
static void
send_cancel (CsOperation *op)
{
  CsAccessor *self = (CsAccessor *) op->source_object;
  CsOwnerScope scope;

  if (_cs_owner_enter (self->owner, &scope))
    {
      cancel_operation (self, op);
      _cs_owner_leave (self->owner, &scope);
    }
  else
    {
      CancelWork *item = g_new0 (CancelWork, 1);

      item->work.func = cancel_work;
      item->op = _cs_operation_ref (op);
      _cs_owner_post (self->owner, &item->work);
    }
}

/* GCancellable::cancelled of an asynchronous operation, on the cancelling
 * thread. */
static void
async_cancelled (GCancellable *cancellable,
                 CsOperation  *op)
{
  send_cancel (op);
}

/* GCancellable::cancelled of a blocking call: it returns at once, even while
 * nobody runs the owner context, which forgets the operation later. */
void
_cs_accessor_sync_cancelled (GCancellable *cancellable,
                             CsOperation  *op)
{
  if (_cs_operation_claim_pending (op))
    _cs_operation_cancel_sync (op, cancelled_error ());

  send_cancel (op);
}

/* The asynchronous calls */

/**
 * cs_accessor_get_async:
 * @self: an accessor
 * @predicate: (nullable): the test to wait for
 * @flags: how to wait
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async) (closure user_data): called when the read completes
 * @user_data: data for @callback
 *
 * Waits for a value.
 *
 * Without a predicate, the read completes with the value of the next successful
 * write to @self. With a predicate, it completes at once if the current value
 * matches, and otherwise with the first written value that matches; the
 * predicate is checked at every write to @self and every notification of its
 * condition group. %CS_GET_FLAGS_WAIT_FOR_WRITE ignores the current value: the
 * read completes with the first value written after the call that matches.
 * %CS_GET_FLAGS_NO_WAIT_FOR_WRITE without a predicate completes at once with the
 * current value, read on the calling thread.
 *
 * The reader receives exactly the value that satisfied it, even if it has been
 * overwritten by the time @callback runs. A predicate that fails fails the
 * read with its error.
 *
 * The predicate runs in the main context that @self belongs to; @callback
 * runs in the thread-default main context of the calling thread, from its main
 * loop, never before this function returns. Called from another thread than the
 * one of the accessor's context, the read counts as waiting once that context
 * has registered it.
 *
 * Since: 1.0
 */
void
cs_accessor_get_async (CsAccessor          *self,
                       CsPredicate         *predicate,
                       CsGetFlags           flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GError *error = NULL;
  CsOperation *op;

  g_return_if_fail (CS_IS_ACCESSOR (self));
  g_return_if_fail (predicate == NULL || CS_IS_PREDICATE (predicate));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = _cs_operation_new (self, CS_OPERATION_READ, cs_accessor_get_async,
                          cancellable, callback, user_data);
  op->flags = flags & (CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE);

  if (!_cs_accessor_check_read (self, flags, cancellable, &error))
    {
      _cs_operation_claim (op);
      _cs_operation_return_error (op, error);
      return;
    }

  /* a read of the current value: on this thread, as dup_value */
  if ((flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE) && predicate == NULL)
    {
      g_auto(GValue) current = G_VALUE_INIT;

      _cs_accessor_read_value (self, &current);
      _cs_operation_claim (op);
      _cs_operation_return_value (op, &current);
      return;
    }

  op->predicate = predicate != NULL ? g_object_ref (predicate) : NULL;
  _cs_operation_watch_cancellable (op, G_CALLBACK (async_cancelled));
  _cs_accessor_submit (self, op);
}

/**
 * cs_accessor_get_finish:
 * @self: an accessor
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes a read started with [method@Cs.Accessor.get_async].
 *
 * Returns: (transfer full): the value read, or %NULL on error
 *
 * Since: 1.0
 */
GValue *
cs_accessor_get_finish (CsAccessor    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), NULL);
  g_return_val_if_fail (_cs_result_is_valid (result, self), NULL);
  g_return_val_if_fail (_cs_result_get_source_tag (result) == cs_accessor_get_async, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return _cs_operation_propagate_value (_cs_result_get_operation (result), error);
}

/**
 * cs_accessor_set_async:
 * @self: an accessor
 * @value: the value to write; copied
 * @flags: how to write
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async) (closure user_data): called when the write completes
 * @user_data: data for @callback
 *
 * Writes a value.
 *
 * The value must be of [property@Cs.Accessor:value-type], of a subtype, or a
 * number of another numeric type that the type holds exactly; anything else
 * fails with %CS_ACCESSOR_ERROR_INVALID_VALUE.
 *
 * Without flags the write is applied at once. With
 * %CS_SET_FLAGS_WAIT_FOR_READ it is a handoff: it is applied only while a
 * reader is waiting, and several such writes go one at a time, in order, so
 * that none is overwritten unseen. A cancelled handoff changes nothing.
 *
 * A write made from another thread is applied in the main context that @self
 * belongs to, in order with the other calls of that thread; @callback runs in
 * the thread-default main context of the calling thread, from its main loop.
 *
 * Since: 1.0
 */
void
cs_accessor_set_async (CsAccessor          *self,
                       const GValue        *value,
                       CsSetFlags           flags,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GError *error = NULL;
  CsOperation *op;

  g_return_if_fail (CS_IS_ACCESSOR (self));
  g_return_if_fail (G_IS_VALUE (value));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = _cs_operation_new (self, CS_OPERATION_WRITE, cs_accessor_set_async,
                          cancellable, callback, user_data);
  op->flags = flags & CS_SET_FLAGS_WAIT_FOR_READ;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !_cs_accessor_prepare_write (self, value, &op->value, &error))
    {
      _cs_operation_claim (op);
      _cs_operation_return_error (op, error);
      return;
    }

  _cs_operation_watch_cancellable (op, G_CALLBACK (async_cancelled));
  _cs_accessor_submit (self, op);
}

/**
 * cs_accessor_set_finish:
 * @self: an accessor
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes a write started with [method@Cs.Accessor.set_async].
 *
 * Returns: %TRUE if the value was written
 *
 * Since: 1.0
 */
gboolean
cs_accessor_set_finish (CsAccessor    *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), FALSE);
  g_return_val_if_fail (_cs_result_is_valid (result, self), FALSE);
  g_return_val_if_fail (_cs_result_get_source_tag (result) == cs_accessor_set_async, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _cs_operation_propagate_boolean (_cs_result_get_operation (result), error);
}

/**
 * cs_accessor_wait_for_read_async:
 * @self: an accessor
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async) (closure user_data): called when a reader is waiting
 * @user_data: data for @callback
 *
 * Waits until a reader is waiting on @self: completes as soon as one is, at
 * once if one already is. Each call waits afresh.
 *
 * Since: 1.0
 */
void
cs_accessor_wait_for_read_async (CsAccessor          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GError *error = NULL;
  CsOperation *op;

  g_return_if_fail (CS_IS_ACCESSOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  op = _cs_operation_new (self, CS_OPERATION_READ_WAIT, cs_accessor_wait_for_read_async,
                          cancellable, callback, user_data);

  if (g_cancellable_set_error_if_cancelled (cancellable, &error) ||
      !_cs_accessor_check_open (self, &error))
    {
      _cs_operation_claim (op);
      _cs_operation_return_error (op, error);
      return;
    }

  _cs_operation_watch_cancellable (op, G_CALLBACK (async_cancelled));
  _cs_accessor_submit (self, op);
}

/**
 * cs_accessor_wait_for_read_finish:
 * @self: an accessor
 * @result: the result given to the callback
 * @error: return location for an error
 *
 * Finishes [method@Cs.Accessor.wait_for_read_async].
 *
 * Returns: %TRUE once a reader is waiting, %FALSE on error
 *
 * Since: 1.0
 */
gboolean
cs_accessor_wait_for_read_finish (CsAccessor    *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), FALSE);
  g_return_val_if_fail (_cs_result_is_valid (result, self), FALSE);
  g_return_val_if_fail (_cs_result_get_source_tag (result) == cs_accessor_wait_for_read_async,
                        FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return _cs_operation_propagate_boolean (_cs_result_get_operation (result), error);
}
