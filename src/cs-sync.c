/* cs-sync.c: the blocking calls, for worker threads
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-accessor-private.h"
#include "cs-predicate-private.h"

/* A blocking call from a thread that may not work in the owner context posts
 * its operation there and waits on the operation's own mutex and condition:
 * no task, no main context of its own. A cancellation wakes it at once, even
 * while nobody runs the owner context, which forgets the operation when it
 * runs again. On a thread that may work there, a call that could only
 * deadlock fails with G_IO_ERROR_WOULD_BLOCK instead. */

/* A read on the owner's side: the current value if it will do. */
static GValue *
get_here (CsAccessor    *self,
          CsPredicate   *predicate,
          CsGetFlags     flags,
          GError       **error)
{
  GValue *value;
  int match = 1;

  if (!_cs_accessor_reads_current (predicate, flags))
    goto would_block;

  value = cs_accessor_dup_value (self);
  if (predicate != NULL)
    match = _cs_predicate_test (predicate, value, error);
  if (match > 0)
    return value;

  g_boxed_free (G_TYPE_VALUE, value);
  if (match < 0)
    return NULL;

would_block:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
               "Reading accessor “%s” here would block the thread that runs its main context",
               _cs_accessor_name (self));
  return NULL;
}

/**
 * cs_accessor_get:
 * @self: an accessor
 * @predicate: (nullable): the test to wait for
 * @flags: how to wait
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Waits for a value, blocking the calling thread, as
 * [method@Cs.Accessor.get_async] does.
 *
 * This is for worker threads. The read is registered and satisfied in the main
 * context that @self belongs to, which must be running; the predicate runs
 * there, not in the calling thread. A lone %CS_GET_FLAGS_NO_WAIT_FOR_WRITE read
 * is the exception: it returns the current value at once, from any thread.
 * On the thread that runs the accessor's context (or the thread that created
 * it, while nobody runs its context) the read could only deadlock: there it
 * completes at once when it can (a predicate that the current value matches)
 * and otherwise fails with %G_IO_ERROR_WOULD_BLOCK. Cancelling @cancellable
 * from any thread ends the wait at once with %G_IO_ERROR_CANCELLED, even while
 * nobody runs the accessor's context; if the predicate is running then, the
 * call returns when it is done (at once if the predicate itself cancelled),
 * and the predicate is not called again for this read.
 *
 * Returns: (transfer full): the value read, or %NULL on error
 *
 * Since: 1.0
 */
GValue *
cs_accessor_get (CsAccessor    *self,
                 CsPredicate   *predicate,
                 CsGetFlags     flags,
                 GCancellable  *cancellable,
                 GError       **error)
{
  CsOwnerScope scope;
  CsOperation *op;
  GValue *value;

  g_return_val_if_fail (CS_IS_ACCESSOR (self), NULL);
  g_return_val_if_fail (predicate == NULL || CS_IS_PREDICATE (predicate), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!_cs_accessor_check_read (self, flags, cancellable, error))
    return NULL;

  /* a read of the current value: on this thread, as dup_value */
  if ((flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE) && predicate == NULL)
    return cs_accessor_dup_value (self);

  if (_cs_owner_enter (self->owner, &scope))
    {
      value = get_here (self, predicate, flags, error);
      _cs_owner_leave (self->owner, &scope);
      return value;
    }

  op = _cs_operation_new_sync (self, CS_OPERATION_READ, cancellable);
  op->flags = flags & (CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  op->predicate = predicate != NULL ? g_object_ref (predicate) : NULL;

  _cs_operation_ref (op);
  _cs_operation_watch_cancellable (op, G_CALLBACK (_cs_accessor_sync_cancelled));
  _cs_accessor_post (self, op);
  _cs_operation_wait_sync (op);

  value = _cs_operation_propagate_value (op, error);
  _cs_operation_unref (op);

  return value;
}

/**
 * cs_accessor_set:
 * @self: an accessor
 * @value: the value to write; copied
 * @flags: how to write
 * @cancellable: (nullable): a cancellable
 * @error: return location for an error
 *
 * Writes a value, as [method@Cs.Accessor.set_async] does, blocking the calling
 * thread until the write is applied.
 *
 * On the thread that runs the main context @self belongs to (or the thread
 * that created it, while nobody runs its context), a write without flags is
 * applied before this returns. A %CS_SET_FLAGS_WAIT_FOR_READ write is applied
 * there only if a reader is already waiting and no other handoff is queued;
 * otherwise it could only deadlock, and fails with %G_IO_ERROR_WOULD_BLOCK.
 *
 * From another thread, the write is applied in the accessor's context, which
 * must be running, and this returns once it has been (for a
 * %CS_SET_FLAGS_WAIT_FOR_READ write, once a reader has taken it). Cancelling
 * @cancellable from any thread ends the wait at once with
 * %G_IO_ERROR_CANCELLED, and a write not yet applied then changes nothing.
 *
 * Returns: %TRUE if the value was written
 *
 * Since: 1.0
 */
gboolean
cs_accessor_set (CsAccessor     *self,
                 const GValue   *value,
                 CsSetFlags      flags,
                 GCancellable   *cancellable,
                 GError        **error)
{
  g_auto(GValue) converted = G_VALUE_INIT;
  CsOwnerScope scope;
  CsOperation *op;
  gboolean ret;

  g_return_val_if_fail (CS_IS_ACCESSOR (self), FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!_cs_accessor_prepare_write (self, value, &converted, error))
    return FALSE;

  if (_cs_owner_enter (self->owner, &scope))
    {
      GError *local_error = NULL;

      if (!(flags & CS_SET_FLAGS_WAIT_FOR_READ))
        ret = _cs_accessor_apply_write (self, &converted, error);
      else if (self->handoffs.length == 0 &&
               (_cs_accessor_hand_off (self, &converted, &local_error) || local_error != NULL))
        {
          ret = local_error == NULL;
          if (local_error != NULL)
            g_propagate_error (error, local_error);
        }
      else
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                       "No reader is waiting on accessor “%s”, and waiting here would "
                       "block the thread that runs its main context", _cs_accessor_name (self));
          ret = FALSE;
        }

      _cs_owner_leave (self->owner, &scope);
      return ret;
    }

  op = _cs_operation_new_sync (self, CS_OPERATION_WRITE, cancellable);
  op->flags = flags & CS_SET_FLAGS_WAIT_FOR_READ;
  op->value = converted;
  converted = (GValue) G_VALUE_INIT;

  _cs_operation_ref (op);
  _cs_operation_watch_cancellable (op, G_CALLBACK (_cs_accessor_sync_cancelled));
  _cs_accessor_post (self, op);
  _cs_operation_wait_sync (op);

  ret = _cs_operation_propagate_boolean (op, error);
  _cs_operation_unref (op);

  return ret;
}
