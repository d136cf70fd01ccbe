/* cs-operation.c: a pending read, write or wait, and its result
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-enums.h"
#include "cs-operation-private.h"

/* An asynchronous operation lives in the GAsyncResult its callback receives
 * (CsResult), so one allocation serves from the call to the callback. Unlike a
 * GTask it attaches no source to complete: it is delivered to the dispatcher
 * of the caller's context, which runs the callbacks of a batch from its one
 * source. A blocking call's operation is a plain structure, with the mutex and
 * condition its caller waits on: no object, no main context of its own.
 *
 * References: the creator's one reference belongs to the engine (posted work,
 * then the owner's lists) until the operation is delivered; delivery hands it
 * to the dispatcher, which drops it after the callback, or drops it once the
 * blocked caller is woken. A blocking caller and a watched cancellable each
 * hold one more. */

struct _CsResult
{
  GObject              parent_instance;

  /* Read-only after creation */
  gpointer             source_tag;
  GMainContext        *context;     /* owned: where the callback runs */
  CsDispatcher        *dispatcher;  /* of context */
  GAsyncReadyCallback  callback;
  gpointer             user_data;

  CsOperation          op;
};

typedef struct
{
  CsOperation  op;

  gint         ref_count;           /* atomic */

  /* Protected by mutex */
  GMutex       mutex;
  GCond        cond;
  gboolean     done;
  guint        n_running;           /* predicates of it running in the owner context */
  GThread     *running_thread;      /* the thread running them */
  gboolean     released;            /* cancelled from inside its own predicate */
} SyncOperation;

#define RESULT_OF(o) ((CsResult *) G_STRUCT_MEMBER_P ((o), -G_STRUCT_OFFSET (CsResult, op)))
#define SYNC_OF(o)   ((SyncOperation *) (o))

static void cs_result_async_result_iface_init (GAsyncResultIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CsResult, _cs_result, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_RESULT,
                                                      cs_result_async_result_iface_init))

static gpointer
cs_result_get_user_data (GAsyncResult *result)
{
  return ((CsResult *) result)->user_data;
}

static GObject *
cs_result_get_source_object (GAsyncResult *result)
{
  CsResult *self = (CsResult *) result;

  return self->op.source_object != NULL ? g_object_ref (self->op.source_object) : NULL;
}

static gboolean
cs_result_is_tagged (GAsyncResult *result,
                     gpointer      source_tag)
{
  return ((CsResult *) result)->source_tag == source_tag;
}

static void
cs_result_async_result_iface_init (GAsyncResultIface *iface)
{
  iface->get_user_data = cs_result_get_user_data;
  iface->get_source_object = cs_result_get_source_object;
  iface->is_tagged = cs_result_is_tagged;
}

/* Values here are either unset (zeroed) or hold a type: tested by their type,
 * since G_IS_VALUE () takes GType's lock for an unset one. */
static void
operation_clear (CsOperation *op)
{
  g_assert (op->list == NULL);
  g_assert (op->cancel_id == 0);

  g_clear_object (&op->predicate);
  if (G_VALUE_TYPE (&op->value) != G_TYPE_INVALID)
    g_value_unset (&op->value);
  g_clear_error (&op->error);
  g_clear_object (&op->cancellable);
  g_clear_object (&op->source_object);
}

static void
cs_result_finalize (GObject *object)
{
  CsResult *self = (CsResult *)object;

  operation_clear (&self->op);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (_cs_result_parent_class)->finalize (object);
}

static void
_cs_result_class_init (CsResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cs_result_finalize;
}

static void
_cs_result_init (CsResult *self)
{
}

static void
operation_init (CsOperation     *op,
                gpointer         source_object,
                CsOperationKind  kind,
                GCancellable    *cancellable)
{
  op->source_object = g_object_ref (source_object);
  op->kind = kind;
  op->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  op->link.data = op;
}

/* An asynchronous operation: @callback runs in the thread-default main
 * context of the calling thread. */
CsOperation *
_cs_operation_new (gpointer             source_object,
                   CsOperationKind      kind,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  CsResult *self = g_object_new (CS_TYPE_RESULT, NULL);

  operation_init (&self->op, source_object, kind, cancellable);
  self->source_tag = source_tag;
  self->callback = callback;
  self->user_data = user_data;
  self->dispatcher = _cs_dispatcher_get_thread_default (&self->context);

  return &self->op;
}

/* An operation a blocking call waits for with _cs_operation_wait_sync(). */
CsOperation *
_cs_operation_new_sync (gpointer         source_object,
                        CsOperationKind  kind,
                        GCancellable    *cancellable)
{
  SyncOperation *self = g_new0 (SyncOperation, 1);

  operation_init (&self->op, source_object, kind, cancellable);
  self->op.is_sync = TRUE;
  self->ref_count = 1;
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);

  return &self->op;
}

CsOperation *
_cs_operation_ref (CsOperation *self)
{
  if (self->is_sync)
    g_atomic_int_inc (&SYNC_OF (self)->ref_count);
  else
    g_object_ref (RESULT_OF (self));

  return self;
}

void
_cs_operation_unref (CsOperation *self)
{
  if (!self->is_sync)
    g_object_unref (RESULT_OF (self));
  else if (g_atomic_int_dec_and_test (&SYNC_OF (self)->ref_count))
    {
      SyncOperation *sync = SYNC_OF (self);

      operation_clear (self);
      g_mutex_clear (&sync->mutex);
      g_cond_clear (&sync->cond);
      g_free (sync);
    }
}

/* Takes the operation to DONE, from PENDING or BOUND. Returns FALSE if
 * someone else did (a cancellation), who gave it its result. */
gboolean
_cs_operation_claim (CsOperation *self)
{
  return g_atomic_int_compare_and_exchange (&self->state, CS_OPERATION_PENDING,
                                            CS_OPERATION_DONE) ||
         g_atomic_int_compare_and_exchange (&self->state, CS_OPERATION_BOUND,
                                            CS_OPERATION_DONE);
}

/* Takes the operation to DONE from PENDING only: a cancellation, which comes
 * too late for a bound reader. */
gboolean
_cs_operation_claim_pending (CsOperation *self)
{
  return g_atomic_int_compare_and_exchange (&self->state, CS_OPERATION_PENDING,
                                            CS_OPERATION_DONE);
}

/* PENDING → BOUND: a cancellation can no longer take it. */
gboolean
_cs_operation_bind (CsOperation *self)
{
  return g_atomic_int_compare_and_exchange (&self->state, CS_OPERATION_PENDING,
                                            CS_OPERATION_BOUND);
}

/* BOUND → PENDING. */
gboolean
_cs_operation_unbind (CsOperation *self)
{
  return g_atomic_int_compare_and_exchange (&self->state, CS_OPERATION_BOUND,
                                            CS_OPERATION_PENDING);
}

gboolean
_cs_operation_is_pending (CsOperation *self)
{
  return g_atomic_int_get (&self->state) != CS_OPERATION_DONE;
}

static void
signal_sync (CsOperation *self)
{
  SyncOperation *sync = SYNC_OF (self);

  g_mutex_lock (&sync->mutex);
  sync->done = TRUE;
  g_cond_signal (&sync->cond);
  g_mutex_unlock (&sync->mutex);
}

static void
run_callback (CsWork *work)
{
  CsOperation *op = G_STRUCT_MEMBER_P (work, -G_STRUCT_OFFSET (CsOperation, work));
  CsResult *self = RESULT_OF (op);

  self->callback (op->source_object, (GAsyncResult *) self, self->user_data);
  g_object_unref (self);
}

/* Hands a claimed operation, with the engine's reference, to whoever waits
 * for it: the dispatcher of the caller's context, or the blocked caller. */
static void
deliver (CsOperation *self)
{
  CsResult *result;

  g_assert (g_atomic_int_get (&self->state) == CS_OPERATION_DONE);

  if (self->is_sync)
    {
      signal_sync (self);
      _cs_operation_unref (self);
      return;
    }

  result = RESULT_OF (self);
  if (result->callback != NULL)
    {
      self->work.func = run_callback;
      _cs_dispatcher_complete (result->dispatcher, &self->work);
      return;
    }

  /* a write made through a property setter: no one else to tell, but that
   * the object went away in the meantime is no news */
  if (self->error != NULL && self->warn_on_error &&
      !g_error_matches (self->error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED))
    g_warning ("%s", self->error->message);
  g_object_unref (result);
}

/* Completes a claimed read with a copy of @value. */
void
_cs_operation_return_value (CsOperation  *self,
                            const GValue *value)
{
  if (G_VALUE_TYPE (&self->value) != G_TYPE_INVALID)
    g_value_unset (&self->value);
  g_value_init (&self->value, G_VALUE_TYPE (value));
  g_value_copy (value, &self->value);
  deliver (self);
}

/* Completes a claimed read with @value, which it takes (leaving it unset). */
void
_cs_operation_take_value (CsOperation *self,
                          GValue      *value)
{
  if (G_VALUE_TYPE (&self->value) != G_TYPE_INVALID)
    g_value_unset (&self->value);
  self->value = *value;
  *value = (GValue) G_VALUE_INIT;
  deliver (self);
}

/* Completes a claimed write or wait with TRUE. */
void
_cs_operation_return_boolean (CsOperation *self)
{
  deliver (self);
}

/* Completes a claimed operation with @error, which it takes. */
void
_cs_operation_return_error (CsOperation *self,
                            GError      *error)
{
  g_assert (self->error == NULL);

  self->error = error;
  deliver (self);
}

/* Wakes the blocked caller of a blocking operation that its cancellation
 * claimed, with @error; the engine keeps its reference until it lets go of
 * the operation. Any thread. A cancellation made by the operation's own
 * predicate (which may go on to wait for the caller) releases the caller at
 * once: the predicate is not called again. */
void
_cs_operation_cancel_sync (CsOperation *self,
                           GError      *error)
{
  SyncOperation *sync = SYNC_OF (self);

  g_assert (self->is_sync);

  self->error = error;

  g_mutex_lock (&sync->mutex);
  if (sync->running_thread == g_thread_self ())
    sync->released = TRUE;
  sync->done = TRUE;
  g_cond_broadcast (&sync->cond);
  g_mutex_unlock (&sync->mutex);
}

static void
watch_notify (gpointer  data,
              GClosure *closure)
{
  _cs_operation_unref (data);
}

/* Calls @cancelled (a handler of GCancellable::cancelled taking the operation
 * as its data) when the cancellable is cancelled, on the cancelling thread,
 * or at once if it already is. No source: many operations sharing one
 * cancellable cost nothing while it is not cancelled. */
void
_cs_operation_watch_cancellable (CsOperation *self,
                                 GCallback    cancelled)
{
  static guint cancelled_signal;
  GClosure *closure;

  if (self->cancellable == NULL)
    return;

  if (g_atomic_int_get (&cancelled_signal) == 0)
    g_atomic_int_set (&cancelled_signal, g_signal_lookup ("cancelled", G_TYPE_CANCELLABLE));

  closure = g_cclosure_new (cancelled, _cs_operation_ref (self), watch_notify);
  self->cancel_id = g_signal_connect_closure_by_id (self->cancellable,
                                                    (guint) g_atomic_int_get (&cancelled_signal),
                                                    0, closure, FALSE);

  /* cancelled before the handler was connected: handlers are idempotent */
  if (g_cancellable_is_cancelled (self->cancellable))
    ((void (*) (GCancellable *, gpointer)) cancelled) (self->cancellable, self);
}

/* Stops watching the cancellable; once, in the owner context. A handler
 * running on another thread meanwhile keeps its reference until it returns. */
void
_cs_operation_unwatch (CsOperation *self)
{
  if (self->cancel_id != 0)
    {
      g_signal_handler_disconnect (self->cancellable, self->cancel_id);
      self->cancel_id = 0;
    }
}

/* Before the owner context runs @self's predicate: FALSE if the operation
 * has its result already, and the predicate must not run. A blocking caller
 * whose cancellation claimed the operation may be returning on its thread:
 * it does not return while the predicate runs, so after it returns the
 * predicate is never called again for it. */
gboolean
_cs_operation_begin_predicate (CsOperation *self)
{
  SyncOperation *sync = SYNC_OF (self);
  gboolean pending;

  if (!self->is_sync)
    return _cs_operation_is_pending (self);

  g_mutex_lock (&sync->mutex);
  pending = _cs_operation_is_pending (self);
  if (pending)
    {
      sync->n_running++;
      sync->running_thread = g_thread_self ();
    }
  g_mutex_unlock (&sync->mutex);

  return pending;
}

void
_cs_operation_end_predicate (CsOperation *self)
{
  SyncOperation *sync = SYNC_OF (self);

  if (!self->is_sync)
    return;

  g_mutex_lock (&sync->mutex);
  if (--sync->n_running == 0)
    {
      sync->running_thread = NULL;
      g_cond_broadcast (&sync->cond);
    }
  g_mutex_unlock (&sync->mutex);
}

/* Blocks until the operation has its result, and no predicate of it runs
 * (unless the predicate itself cancelled it). */
void
_cs_operation_wait_sync (CsOperation *self)
{
  SyncOperation *sync = SYNC_OF (self);

  g_assert (self->is_sync);

  g_mutex_lock (&sync->mutex);
  while (!sync->done || (sync->n_running > 0 && !sync->released))
    g_cond_wait (&sync->cond, &sync->mutex);
  g_mutex_unlock (&sync->mutex);
}

/* Whether @result is the result of a complete operation of @source_object. */
gboolean
_cs_result_is_valid (GAsyncResult *result,
                     gpointer      source_object)
{
  CsResult *self;

  if (!CS_IS_RESULT (result))
    return FALSE;

  self = (CsResult *) result;

  return self->op.source_object == source_object &&
         g_atomic_int_get (&self->op.state) == CS_OPERATION_DONE;
}

gpointer
_cs_result_get_source_tag (GAsyncResult *result)
{
  return ((CsResult *) result)->source_tag;
}

CsOperation *
_cs_result_get_operation (GAsyncResult *result)
{
  return &((CsResult *) result)->op;
}

/* Moves the result out: the value read (transfer full) or the error. */
GValue *
_cs_operation_propagate_value (CsOperation  *self,
                               GError      **error)
{
  GValue *value;

  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      return NULL;
    }

  g_return_val_if_fail (G_IS_VALUE (&self->value), NULL);

  value = g_new (GValue, 1);
  *value = self->value;
  self->value = (GValue) G_VALUE_INIT;

  return value;
}

gboolean
_cs_operation_propagate_boolean (CsOperation  *self,
                                 GError      **error)
{
  if (self->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&self->error));
      return FALSE;
    }

  return TRUE;
}
