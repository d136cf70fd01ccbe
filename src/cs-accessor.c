/* cs-accessor.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdlib.h>

#include "cs-accessor-private.h"
#include "cs-condition-private.h"
#include "cs-predicate-private.h"
#include "cs-value-private.h"

/**
 * CsAccessor:
 *
 * A value that readers can wait on (the seed's `accessor`).
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
 * writes coalesce and readers see the value at the thaw.
 *
 * Accessors that share a [class@Cs.Condition] form a group: a write to one of
 * them re-checks the predicates of the readers of all of them.
 *
 * An accessor belongs to the thread-default main context in which it was
 * created: its notifications, predicates and queued writes run there.
 *
 * Since: 1.0
 */

typedef enum
{
  WAITER_READ,
  WAITER_WRITE,
  WAITER_READ_WAIT,
} WaiterKind;

/* The equality readers waiting for one value, in order of arrival. */
typedef struct
{
  GValue key;
  GQueue readers;
} Bucket;

/* A pending operation: the task data of its GTask. While pending, its link is
 * in one of the accessor's queues, which then holds a reference on the task. */
typedef struct
{
  GList        link;
  GQueue      *queue;             /* the queue holding link, while queued */
  GTask       *task;              /* not owned: the task owns the waiter */
  GSource     *cancel_source;
  guint        kind : 2;          /* WaiterKind */
  guint        get_flags : 2;     /* CsGetFlags */
  guint        set_flags : 1;     /* CsSetFlags */
  guint        queued : 1;
  guint        wait_for_write : 1;
  union {
    struct {                      /* readers */
      CsPredicate *predicate;     /* NULL: the next write */
      Bucket      *bucket;        /* equality readers, while queued */
      guint64      start_generation;
      guint64      serial;        /* order of arrival among the readers */
    };
    GValue       value;           /* writes */
  };
} Waiter;

struct _CsAccessor
{
  GObject              parent_instance;

  GMutex               mutex;

  GType                value_type;
  char                *name;
  CsCondition         *condition;
  GMainContext        *context;
  GThread             *thread;      /* the creating thread (owned) */

  CsAccessorReadFunc   read;
  CsAccessorWriteFunc  write;
  gpointer             user_data;
  GDestroyNotify       destroy;
  GValue               storage;     /* when there are no read/write functions */

  guint64              generation;
  /* the generation whose readers have been woken */
  guint64              woken_generation;

  /* Readers, each in one place, each place in order of arrival: those
   * waiting for the next write; those whose predicate is a built-in equality,
   * in buckets by value (GValue* → GQueue*), so that a write finds them
   * without looking at the others; and the rest, whose predicates are
   * evaluated at every write. */
  GQueue               next_readers;
  GHashTable          *equal_readers;
  GQueue               scan_readers;
  guint                n_readers;
  guint64              next_serial;
  GQueue               writes;      /* WAIT_FOR_READ writes, in order */
  GQueue               read_waits;  /* wait_for_read_async calls */

  GSource             *pump_source;

  /* operations made from other threads, applied in the owner context */
  GQueue               incoming;
  GSource             *incoming_source;
  guint                n_incoming_changes;
  guint                close_pending : 1;
  guint                close_done : 1;

  guint                batch;       /* > 0: count notifications deferred */
  guint                batch_n_changed : 1;
  guint                batch_has_changed : 1;

  guint                external : 1;
  /* set by cs_accessor_close() from any thread: atomic */
  gint                 closed;
};

enum {
  PROP_0,
  PROP_VALUE_TYPE,
  PROP_VALUE,
  PROP_NAME,
  PROP_CONDITION,
  PROP_GENERATION,
  PROP_N_WAITING_READS,
  PROP_HAS_WAITING_READ,
  PROP_CLOSED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
static guint notify_signal_id;

G_DEFINE_FINAL_TYPE (CsAccessor, cs_accessor, G_TYPE_OBJECT)

static const char *
accessor_name (CsAccessor *self)
{
  return self->name != NULL ? self->name : "(unnamed)";
}

/* Waiters */

static void
waiter_free (gpointer data)
{
  Waiter *waiter = data;

  g_assert (!waiter->queued);
  g_assert (waiter->cancel_source == NULL);

  if (waiter->kind == WAITER_READ)
    g_clear_object (&waiter->predicate);
  else if (waiter->kind == WAITER_WRITE && G_VALUE_TYPE (&waiter->value) != 0)
    g_value_unset (&waiter->value);
  g_free (waiter);
}

static GTask *
accessor_task_new (CsAccessor          *self,
                   WaiterKind           kind,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  GTask *task;
  Waiter *waiter;

  task = g_task_new (self, cancellable, callback, user_data);
  /* the function, not GLib's macro: that would name every task after this
   * parameter, with an allocation per task; a named accessor names its tasks */
  (g_task_set_source_tag) (task, source_tag);
  if (self->name != NULL)
    g_task_set_name (task, self->name);
  /* a waiter that completed before its cancellation reports what it did */
  g_task_set_check_cancellable (task, FALSE);

  waiter = g_new0 (Waiter, 1);
  waiter->link.data = waiter;
  waiter->task = task;
  waiter->kind = kind;
  g_task_set_task_data (task, waiter, waiter_free);

  return task;
}

static inline Waiter *
task_waiter (GTask *task)
{
  return g_task_get_task_data (task);
}

/* Notifies @prop unless nobody listens. The counts and the generation change
 * at every read or write, and a notification nobody hears would cost about as
 * much as the read itself. (The value is always notified: that notification
 * wakes the readers.) */
static void
notify_if_watched (CsAccessor *self,
                   guint       prop)
{
  GParamSpec *pspec = properties[prop];

  if (g_signal_has_handler_pending (self, notify_signal_id,
                                    g_param_spec_get_name_quark (pspec), FALSE))
    g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* Count notifications: deferred while a batch is open, so that a write waking
 * many readers notifies once. */

static void
counts_changed (CsAccessor *self,
                guint       old_n,
                guint       new_n)
{
  gboolean has_changed = (old_n > 0) != (new_n > 0);

  if (old_n == new_n)
    return;

  if (self->batch > 0)
    {
      self->batch_n_changed = TRUE;
      self->batch_has_changed |= has_changed;
      return;
    }

  notify_if_watched (self, PROP_N_WAITING_READS);
  if (has_changed)
    notify_if_watched (self, PROP_HAS_WAITING_READ);
}

static void
batch_begin (CsAccessor *self)
{
  self->batch++;
}

static void
batch_end (CsAccessor *self)
{
  g_assert (self->batch > 0);

  if (--self->batch > 0)
    return;

  if (self->batch_n_changed)
    {
      gboolean has_changed = self->batch_has_changed;

      self->batch_n_changed = FALSE;
      self->batch_has_changed = FALSE;
      notify_if_watched (self, PROP_N_WAITING_READS);
      if (has_changed)
        notify_if_watched (self, PROP_HAS_WAITING_READ);
    }
}

static gboolean waiter_cancelled_cb (GCancellable *cancellable,
                                     gpointer      user_data);

static void
bucket_free (gpointer data)
{
  Bucket *bucket = data;

  g_assert (bucket->readers.length == 0);

  g_value_unset (&bucket->key);
  g_free (bucket);
}

/* The bucket of an equality predicate's readers, or NULL if the predicate is
 * not one the index can hold (a value the accessor's type cannot hold exactly
 * never matches, but waits like any other). Called with the lock held. */
static Bucket *
ensure_bucket_locked (CsAccessor  *self,
                      CsPredicate *predicate)
{
  g_auto(GValue) key = G_VALUE_INIT;
  Bucket *bucket;

  if (_cs_predicate_get_kind (predicate) != CS_PREDICATE_EQUAL ||
      !_cs_value_convert (_cs_predicate_get_value (predicate), self->value_type, &key, NULL) ||
      !_cs_value_is_hashable (&key))
    return NULL;

  bucket = g_hash_table_lookup (self->equal_readers, &key);
  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->key = key;
      key = (GValue) G_VALUE_INIT;
      g_hash_table_insert (self->equal_readers, &bucket->key, bucket);
    }

  return bucket;
}

/* The queue a waiter goes to. Called with the lock held. */
static GQueue *
waiter_queue_locked (CsAccessor *self,
                     Waiter     *waiter)
{
  switch (waiter->kind)
    {
    case WAITER_WRITE:
      return &self->writes;
    case WAITER_READ_WAIT:
      return &self->read_waits;
    case WAITER_READ:
      if (waiter->predicate == NULL)
        return &self->next_readers;
      waiter->bucket = ensure_bucket_locked (self, waiter->predicate);
      return waiter->bucket != NULL ? &waiter->bucket->readers : &self->scan_readers;
    default:
      g_assert_not_reached ();
    }
}

/* Queues the waiter of @task (taking a reference on it) and watches its
 * cancellable from the owner context. Called with the lock held. */
static void
enqueue_locked (CsAccessor *self,
                GTask      *task)
{
  Waiter *waiter = task_waiter (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  g_assert (!waiter->queued);

  g_object_ref (task);
  waiter->queue = waiter_queue_locked (self, waiter);
  g_queue_push_tail_link (waiter->queue, &waiter->link);
  waiter->queued = TRUE;
  if (waiter->kind == WAITER_READ)
    {
      waiter->serial = self->next_serial++;
      self->n_readers++;
    }

  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (waiter->cancel_source, "[codestare] cancelled");
      g_source_set_callback (waiter->cancel_source,
                             G_SOURCE_FUNC (waiter_cancelled_cb),
                             g_object_ref (task), g_object_unref);
      g_source_attach (waiter->cancel_source, self->context);
    }
}

/* Takes the waiter of @task out of its queue. Returns FALSE if it had already
 * left it (completed, cancelled or failed). Called with the lock held. */
static gboolean
dequeue_locked (CsAccessor *self,
                GTask      *task)
{
  Waiter *waiter = task_waiter (task);

  if (!waiter->queued)
    return FALSE;

  g_queue_unlink (waiter->queue, &waiter->link);
  waiter->queued = FALSE;

  if (waiter->kind == WAITER_READ)
    {
      self->n_readers--;
      /* an emptied bucket goes: the table holds only values waited for */
      if (waiter->bucket != NULL && waiter->bucket->readers.length == 0)
        g_hash_table_remove (self->equal_readers, &waiter->bucket->key);
      waiter->bucket = NULL;
    }
  waiter->queue = NULL;

  return TRUE;
}

/* Ends a waiter that left its queue: stops watching its cancellable and drops
 * the queue's reference once the task has been returned. */
static void
waiter_detach (GTask *task)
{
  Waiter *waiter = task_waiter (task);

  if (waiter->cancel_source != NULL)
    {
      g_source_destroy (waiter->cancel_source);
      g_clear_pointer (&waiter->cancel_source, g_source_unref);
    }
}

/* Takes a waiter out of its queue to complete it: it stops being counted and
 * watched, and a reader drops its predicate. Returns FALSE if it had already
 * left (completed, cancelled or failed); otherwise the caller returns the task
 * and drops the queue's reference. */
static gboolean
waiter_take (CsAccessor *self,
             GTask      *task)
{
  Waiter *waiter = task_waiter (task);
  gboolean dequeued;
  guint old_n, new_n;

  g_mutex_lock (&self->mutex);
  old_n = self->n_readers;
  dequeued = dequeue_locked (self, task);
  new_n = self->n_readers;
  g_mutex_unlock (&self->mutex);

  if (!dequeued)
    return FALSE;

  waiter_detach (task);
  /* a reader drops its predicate as it leaves (the task may live on) */
  if (waiter->kind == WAITER_READ)
    g_clear_object (&waiter->predicate);
  counts_changed (self, old_n, new_n);

  return TRUE;
}

/* Fails a queued waiter with @error (taken), if it is still queued. */
static void
waiter_fail (CsAccessor *self,
             GTask      *task,
             GError     *error)
{
  if (!waiter_take (self, task))
    {
      g_error_free (error);
      return;
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  GTask *task = user_data;
  CsAccessor *self = g_task_get_source_object (task);

  waiter_fail (self, task,
               g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                    "Operation was cancelled"));

  return G_SOURCE_REMOVE;
}

/* Threads: the owner context */

typedef enum
{
  NOT_OWNER,
  OWNER,           /* this thread runs the owner context */
  OWNER_ACQUIRED,  /* the creating thread, with the context acquired for it */
} Ownership;

/* Whether this thread may act for the owner context: it runs it, or it created
 * the accessor and nobody runs the context (set-up code before the main loop
 * runs). Release with leave_owner(). */
static Ownership
enter_owner (CsAccessor *self)
{
  if (g_main_context_is_owner (self->context))
    return OWNER;

  if (g_thread_self () == self->thread && g_main_context_acquire (self->context))
    return OWNER_ACQUIRED;

  return NOT_OWNER;
}

static void
leave_owner (CsAccessor *self,
             Ownership   ownership)
{
  if (ownership == OWNER_ACQUIRED)
    g_main_context_release (self->context);
}

static gboolean incoming_cb (gpointer user_data);

/* Called with the lock held. */
static void
ensure_incoming_source_locked (CsAccessor *self)
{
  if (self->incoming_source != NULL)
    return;

  self->incoming_source = g_idle_source_new ();
  g_source_set_priority (self->incoming_source, G_PRIORITY_DEFAULT);
  g_source_set_static_name (self->incoming_source, "[codestare] incoming");
  g_source_set_callback (self->incoming_source, incoming_cb,
                         g_object_ref (self), g_object_unref);
  g_source_attach (self->incoming_source, self->context);
}

/* Hands an operation made on another thread to the owner context, which
 * applies them in the order they came. */
static void
send_to_owner (CsAccessor *self,
               GTask      *task)
{
  Waiter *waiter = g_task_get_task_data (task);

  g_mutex_lock (&self->mutex);
  g_object_ref (task);
  g_queue_push_tail_link (&self->incoming, &waiter->link);
  ensure_incoming_source_locked (self);
  g_mutex_unlock (&self->mutex);
}

/* Values */

static void
value_free (gpointer data)
{
  GValue *value = data;

  g_value_unset (value);
  g_free (value);
}

static GValue *
value_dup (const GValue *value)
{
  GValue *copy = g_new0 (GValue, 1);

  g_value_init (copy, G_VALUE_TYPE (value));
  g_value_copy (value, copy);

  return copy;
}

/* A read's result: a copy that get_finish() hands over as it is. */
static void
return_value (GTask        *task,
              const GValue *value)
{
  g_task_return_pointer (task, value_dup (value), value_free);
}

void
_cs_accessor_read_into (CsAccessor *self,
                        GValue     *value)
{
  g_assert (G_VALUE_HOLDS (value, self->value_type));

  if (self->read != NULL)
    {
      self->read (value, self->user_data);
      return;
    }

  g_mutex_lock (&self->mutex);
  if (G_IS_VALUE (&self->storage))
    g_value_copy (&self->storage, value);
  g_mutex_unlock (&self->mutex);
}

/* Fills @value (uninitialized) with the current value. */
static void
read_value (CsAccessor *self,
            GValue     *value)
{
  g_value_init (value, self->value_type);
  _cs_accessor_read_into (self, value);
}

static gboolean
check_open (CsAccessor  *self,
            GError     **error)
{
  if (g_atomic_int_get (&self->closed))
    {
      g_set_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED,
                   "Accessor “%s” is closed", accessor_name (self));
      return FALSE;
    }

  return TRUE;
}

/* Checks a value about to be written: open, writable, and of a type the
 * accessor can hold. On success @converted holds the value to store. */
static gboolean
prepare_write (CsAccessor    *self,
               const GValue  *value,
               GValue        *converted,
               GError       **error)
{
  if (!check_open (self, error))
    return FALSE;

  if (self->read != NULL && self->write == NULL)
    {
      g_set_error (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_READ_ONLY,
                   "Accessor “%s” is read-only", accessor_name (self));
      return FALSE;
    }

  if (!_cs_value_convert (value, self->value_type, converted, error))
    {
      g_prefix_error (error, "Cannot write to accessor “%s”: ", accessor_name (self));
      return FALSE;
    }

  return TRUE;
}

/* Counts a write and notifies it, in the owner context; the notification
 * wakes the readers. */
static void
count_write (CsAccessor *self)
{
  g_mutex_lock (&self->mutex);
  self->generation++;
  g_mutex_unlock (&self->mutex);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALUE]);
  notify_if_watched (self, PROP_GENERATION);
}

/* The one place where a write is applied: store the value, count the write and
 * notify, which wakes the readers. */
static gboolean
apply_write (CsAccessor    *self,
             const GValue  *value,
             GError       **error)
{
  if (!check_open (self, error))
    return FALSE;

  if (self->write != NULL)
    {
      GError *local_error = NULL;

      if (!self->write (value, self->user_data, &local_error))
        {
          if (local_error == NULL)
            local_error = g_error_new (CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_FAILED,
                                       "The writer of accessor “%s” rejected the value",
                                       accessor_name (self));
          g_propagate_error (error, local_error);
          return FALSE;
        }

      /* a writer that succeeded has nothing to report */
      g_clear_error (&local_error);

      /* the owner of the value reports the change itself */
      if (self->external)
        return TRUE;
    }
  else
    {
      g_mutex_lock (&self->mutex);
      g_value_copy (value, &self->storage);
      g_mutex_unlock (&self->mutex);
    }

  count_write (self);

  return TRUE;
}

/* WAIT_FOR_READ writes */

/* Whether the next queued handoff may be applied: a reader is waiting, and the
 * readers have seen the previous write (not so while notifications are frozen,
 * or while a dispatch is under way). Called with the lock held. */
static gboolean
can_hand_off_locked (CsAccessor *self)
{
  return !g_atomic_int_get (&self->closed) &&
         self->n_readers > 0 &&
         self->woken_generation == self->generation;
}

/* Whether a new WAIT_FOR_READ write may be applied at once, without queuing:
 * none is queued before it, and it can be handed off. Called with the lock
 * held. */
static gboolean
can_apply_handoff_now_locked (CsAccessor *self)
{
  return self->writes.length == 0 && can_hand_off_locked (self);
}

static gboolean
pump_cb (gpointer user_data)
{
  CsAccessor *self = user_data;

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->pump_source, g_source_unref);

  while (self->writes.length > 0 && can_hand_off_locked (self))
    {
      Waiter *waiter = self->writes.head->data;
      GTask *task = waiter->task;
      GError *error = NULL;

      dequeue_locked (self, task);
      g_mutex_unlock (&self->mutex);

      waiter_detach (task);
      if (apply_write (self, &waiter->value, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      g_object_unref (task);

      g_mutex_lock (&self->mutex);
    }

  g_mutex_unlock (&self->mutex);

  return G_SOURCE_REMOVE;
}

/* Applies queued handoffs from the owner context once they can go. */
static void
schedule_pump (CsAccessor *self)
{
  g_mutex_lock (&self->mutex);

  if (self->pump_source == NULL &&
      self->writes.length > 0 &&
      can_hand_off_locked (self))
    {
      self->pump_source = g_idle_source_new ();
      g_source_set_static_name (self->pump_source, "[codestare] handoff");
      g_source_set_callback (self->pump_source, pump_cb,
                             g_object_ref (self), g_object_unref);
      g_source_attach (self->pump_source, self->context);
    }

  g_mutex_unlock (&self->mutex);
}

/* Readers */

/* Checks what fails a read before it waits. */
static gboolean
check_read (CsAccessor    *self,
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

  return check_open (self, error);
}

/* Whether a read with @flags looks at the current value before waiting. */
static inline gboolean
reads_current_value (CsPredicate *predicate,
                     CsGetFlags   flags)
{
  return (flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE) != 0 ||
         (predicate != NULL && (flags & CS_GET_FLAGS_WAIT_FOR_WRITE) == 0);
}

static void
complete_reader (CsAccessor   *self,
                 GTask        *task,
                 const GValue *value)
{
  if (!waiter_take (self, task))
    return;

  return_value (task, value);
  g_object_unref (task);
}

/* Whether a reader with a predicate is re-checked at a group notification: a
 * WAIT_FOR_WRITE reader only once a write to @self has come after it. Called
 * with the lock held. */
static inline gboolean
checked_at_notification_locked (CsAccessor *self,
                                Waiter     *waiter)
{
  return !waiter->wait_for_write || self->woken_generation > waiter->start_generation;
}

/* The readers an event concerns, each with a reference: on the stack while
 * they are few, as they usually are. */
typedef struct
{
  GTask **tasks;
  guint   len;
  guint   size;
  GTask  *inline_tasks[8];
} TaskList;

static void
task_list_init (TaskList *list)
{
  list->tasks = list->inline_tasks;
  list->len = 0;
  list->size = G_N_ELEMENTS (list->inline_tasks);
}

static void
task_list_add (TaskList *list,
               GTask    *task)
{
  if (list->len == list->size)
    {
      list->size *= 2;
      if (list->tasks == list->inline_tasks)
        list->tasks = g_memdup2 (list->inline_tasks, sizeof list->inline_tasks);
      list->tasks = g_renew (GTask *, list->tasks, list->size);
    }

  list->tasks[list->len++] = g_object_ref (task);
}

static void
task_list_clear (TaskList *list)
{
  for (guint i = 0; i < list->len; i++)
    g_object_unref (list->tasks[i]);
  if (list->tasks != list->inline_tasks)
    g_free (list->tasks);
  task_list_init (list);
}

/* Adds the readers of @queue that an event concerns to @due, in order: for a
 * write, those that came before it; for a notification, those it re-checks.
 * Returns whether it added any. Called with the lock held. */
static gboolean
collect_locked (CsAccessor *self,
                GQueue     *queue,
                gboolean    is_write,
                guint64     generation,
                TaskList   *due)
{
  gboolean added = FALSE;

  for (GList *l = queue->head; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (is_write)
        {
          /* in order of arrival: the rest came after the write */
          if (waiter->start_generation >= generation)
            break;
        }
      else if (!checked_at_notification_locked (self, waiter))
        continue;

      task_list_add (due, waiter->task);
      added = TRUE;
    }

  return added;
}

static int
compare_arrival (gconstpointer a,
                 gconstpointer b)
{
  guint64 serial_a = task_waiter (*(GTask * const *) a)->serial;
  guint64 serial_b = task_waiter (*(GTask * const *) b)->serial;

  return serial_a < serial_b ? -1 : serial_a > serial_b;
}

void
_cs_accessor_wake (CsAccessor   *self,
                   const GValue *value,
                   guint64       generation,
                   gboolean      is_write)
{
  g_auto(GValue) current = G_VALUE_INIT;
  TaskList due;
  Bucket *bucket = NULL;
  guint n_lists = 0;

  g_assert (CS_IS_ACCESSOR (self));

  if (!is_write)
    {
      gboolean has_predicates;

      /* only predicates are re-checked: spare the read when there are none */
      g_mutex_lock (&self->mutex);
      has_predicates = self->scan_readers.length > 0 ||
                       g_hash_table_size (self->equal_readers) > 0;
      g_mutex_unlock (&self->mutex);

      if (!has_predicates)
        return;

      read_value (self, &current);
      value = &current;
    }

  task_list_init (&due);

  /* Take the readers this event concerns; those that arrive while it is
   * dispatched wait for the next one (so a write made while none waited, whose
   * value was not read, finds none). Equality readers are found by the value,
   * without looking at those waiting for another one. */
  g_mutex_lock (&self->mutex);

  if (is_write)
    {
      self->woken_generation = MAX (self->woken_generation, generation);
      n_lists += collect_locked (self, &self->next_readers, is_write, generation, &due);
    }

  if (g_hash_table_size (self->equal_readers) > 0 && _cs_value_is_hashable (value))
    bucket = g_hash_table_lookup (self->equal_readers, value);
  if (bucket != NULL)
    n_lists += collect_locked (self, &bucket->readers, is_write, generation, &due);

  n_lists += collect_locked (self, &self->scan_readers, is_write, generation, &due);

  g_mutex_unlock (&self->mutex);

  if (due.len > 0)
    {
      /* complete them in the order they came */
      if (n_lists > 1)
        qsort (due.tasks, due.len, sizeof (GTask *), compare_arrival);

      batch_begin (self);

      for (guint i = 0; i < due.len; i++)
        {
          GTask *task = due.tasks[i];
          Waiter *waiter = task_waiter (task);

          /* an earlier callback may have completed or cancelled it */
          if (!waiter->queued)
            continue;

          /* the bucket already matched equality readers; a predicate that
           * closes the accessor must not be freed while it runs */
          if (waiter->predicate != NULL && waiter->bucket == NULL)
            {
              g_autoptr(CsPredicate) predicate = g_object_ref (waiter->predicate);

              if (!cs_predicate_evaluate (predicate, value))
                continue;
            }

          complete_reader (self, task, value);
        }

      batch_end (self);
      task_list_clear (&due);
    }

  if (is_write)
    schedule_pump (self);
}

/* Completes every wait_for_read_async call: a reader is waiting. */
static void
complete_read_waits (CsAccessor *self)
{
  g_autoptr(GPtrArray) waits = NULL;

  /* the queue's references on the tasks pass to the array */
  g_mutex_lock (&self->mutex);
  if (self->read_waits.length > 0)
    waits = g_ptr_array_new_full (self->read_waits.length, g_object_unref);
  while (self->read_waits.head != NULL)
    {
      GTask *task = ((Waiter *) self->read_waits.head->data)->task;

      dequeue_locked (self, task);
      g_ptr_array_add (waits, task);
    }
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; waits != NULL && i < waits->len; i++)
    {
      GTask *task = g_ptr_array_index (waits, i);

      waiter_detach (task);
      g_task_return_boolean (task, TRUE);
    }
}

/* GObject */

static void
cs_accessor_dispatch_properties_changed (GObject     *object,
                                         guint        n_pspecs,
                                         GParamSpec **pspecs)
{
  CsAccessor *self = (CsAccessor *)object;
  CsConditionEvent event = { NULL, G_VALUE_INIT, 0, FALSE };
  gboolean wrote = FALSE;

  for (guint i = 0; i < n_pspecs && !wrote; i++)
    wrote = pspecs[i] == properties[PROP_VALUE];

  /* Queue the readers' wake-up with the value as it is now, before the
   * handlers run: a write they make is then dispatched after this one. */
  if (wrote)
    {
      gboolean has_readers;

      g_mutex_lock (&self->mutex);
      event.generation = self->generation;
      has_readers = self->n_readers > 0;
      g_mutex_unlock (&self->mutex);

      /* only readers already waiting can take this write: with none, spare
       * reading the value back (the event still re-checks the group) */
      event.source = self;
      if (has_readers)
        read_value (self, &event.value);

      _cs_condition_push (self->condition, &event);
    }

  G_OBJECT_CLASS (cs_accessor_parent_class)->dispatch_properties_changed (object, n_pspecs, pspecs);

  if (wrote)
    _cs_condition_dispatch (self->condition);
}

static void
cs_accessor_constructed (GObject *object)
{
  CsAccessor *self = (CsAccessor *)object;

  G_OBJECT_CLASS (cs_accessor_parent_class)->constructed (object);

  if (self->condition == NULL)
    self->condition = cs_condition_new ();
  _cs_condition_add_member (self->condition, self);

  if (!G_TYPE_IS_VALUE_TYPE (self->value_type))
    {
      g_critical ("Accessor “%s” cannot hold values of type “%s”; it is closed",
                  accessor_name (self), g_type_name (self->value_type));
      self->value_type = G_TYPE_INT;
      self->closed = TRUE;
      self->close_done = TRUE;
    }

  if (self->read == NULL && self->write == NULL)
    g_value_init (&self->storage, self->value_type);
}

static void
cs_accessor_dispose (GObject *object)
{
  CsAccessor *self = (CsAccessor *)object;

  if (self->condition != NULL)
    _cs_condition_remove_member (self->condition, self);

  G_OBJECT_CLASS (cs_accessor_parent_class)->dispose (object);
}

static void
cs_accessor_finalize (GObject *object)
{
  CsAccessor *self = (CsAccessor *)object;

  g_assert (self->n_readers == 0);
  g_assert (g_hash_table_size (self->equal_readers) == 0);
  g_assert (self->writes.length == 0);
  g_assert (self->read_waits.length == 0);
  g_assert (self->pump_source == NULL);
  g_assert (self->incoming.length == 0);
  g_assert (self->incoming_source == NULL);

  if (self->destroy != NULL)
    g_clear_pointer (&self->user_data, self->destroy);
  if (G_IS_VALUE (&self->storage))
    g_value_unset (&self->storage);
  g_clear_object (&self->condition);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->thread, g_thread_unref);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->equal_readers, g_hash_table_unref);
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
    case PROP_VALUE_TYPE:
      g_value_set_gtype (value, self->value_type);
      break;

    case PROP_VALUE:
      g_value_take_boxed (value, cs_accessor_dup_value (self));
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_CONDITION:
      g_value_set_object (value, self->condition);
      break;

    case PROP_GENERATION:
      g_value_set_uint64 (value, cs_accessor_get_generation (self));
      break;

    case PROP_N_WAITING_READS:
      g_value_set_uint (value, cs_accessor_get_n_waiting_reads (self));
      break;

    case PROP_HAS_WAITING_READ:
      g_value_set_boolean (value, cs_accessor_has_waiting_read (self));
      break;

    case PROP_CLOSED:
      g_value_set_boolean (value, g_atomic_int_get (&self->closed));
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
    case PROP_VALUE_TYPE:
      self->value_type = g_value_get_gtype (value);
      break;

    case PROP_VALUE:
      {
        const GValue *new_value = g_value_get_boxed (value);
        g_autoptr(GError) error = NULL;

        if (new_value == NULL)
          g_warning ("Cannot write a NULL GValue to accessor “%s”", accessor_name (self));
        else if (!cs_accessor_set (self, new_value, CS_SET_FLAGS_NONE, NULL, &error))
          g_warning ("%s", error->message);
      }
      break;

    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;

    case PROP_CONDITION:
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
  object_class->dispose = cs_accessor_dispose;
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
  properties[PROP_VALUE_TYPE] =
    g_param_spec_gtype ("value-type", NULL, NULL,
                        G_TYPE_NONE,
                        (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:value:
   *
   * The current value.
   *
   * Reading it never yields %NULL: an unset value reads as the type's
   * default. Setting it is a write like [method@Cs.Accessor.set]; since a
   * property setter cannot fail, a rejected value only logs a warning.
   *
   * Since: 1.0
   */
  properties[PROP_VALUE] =
    g_param_spec_boxed ("value", NULL, NULL,
                        G_TYPE_VALUE,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * CsAccessor:name:
   *
   * A name for debugging, shown in messages and task names.
   *
   * Since: 1.0
   */
  properties[PROP_NAME] =
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
  properties[PROP_CONDITION] =
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
  properties[PROP_GENERATION] =
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
  properties[PROP_N_WAITING_READS] =
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
  properties[PROP_HAS_WAITING_READ] =
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
  properties[PROP_CLOSED] =
    g_param_spec_boolean ("closed", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  notify_signal_id = g_signal_lookup ("notify", G_TYPE_OBJECT);
}

static void
cs_accessor_init (CsAccessor *self)
{
  g_mutex_init (&self->mutex);
  self->value_type = G_TYPE_NONE;
  self->context = g_main_context_ref_thread_default ();
  self->thread = g_thread_ref (g_thread_self ());
  self->equal_readers = g_hash_table_new_full (_cs_value_hash, _cs_value_hash_equal,
                                               NULL, bucket_free);
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
 * Creates an accessor over a value kept elsewhere (the seed's `funcs`).
 *
 * A write calls @write with a value of @value_type; if it fails, the write is
 * rejected: its error reaches the writer's caller unchanged and the value, the
 * generation and the waiters stay as they were. After a successful write, readers
 * receive what @read returns, so a writer that normalizes the value is seen
 * normalized.
 *
 * Bindings that cannot pass two callbacks sharing one @user_data (Vala) use
 * [ctor@Cs.Accessor.new_with_closures].
 *
 * Without @write the accessor is read-only: writes fail with
 * %CS_ACCESSOR_ERROR_READ_ONLY. Without both, it stores the value itself, as
 * one made with [ctor@Cs.Accessor.new].
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
  CsAccessor *self;

  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);
  g_return_val_if_fail (condition == NULL || CS_IS_CONDITION (condition), NULL);
  g_return_val_if_fail (read != NULL || write == NULL, NULL);

  self = g_object_new (CS_TYPE_ACCESSOR,
                       "value-type", value_type,
                       "name", name,
                       "condition", condition,
                       NULL);
  self->read = read;
  self->write = write;
  self->user_data = user_data;
  self->destroy = destroy;

  if (read != NULL && G_IS_VALUE (&self->storage))
    g_value_unset (&self->storage);

  return self;
}

typedef struct
{
  GClosure *read;
  GClosure *write;
} Closures;

static void
closures_free (gpointer data)
{
  Closures *closures = data;

  g_clear_pointer (&closures->read, g_closure_unref);
  g_clear_pointer (&closures->write, g_closure_unref);
  g_free (closures);
}

static void
closures_read (GValue   *value,
               gpointer  user_data)
{
  Closures *closures = user_data;

  g_closure_invoke (closures->read, value, 0, NULL, NULL);
}

static gboolean
closures_write (const GValue  *value,
                gpointer       user_data,
                GError       **error)
{
  Closures *closures = user_data;
  g_auto(GValue) accepted = G_VALUE_INIT;

  g_value_init (&accepted, G_TYPE_BOOLEAN);
  g_closure_invoke (closures->write, &accepted, 1, value, NULL);

  if (!g_value_get_boolean (&accepted))
    {
      g_set_error_literal (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_FAILED,
                           "The writer rejected the value");
      return FALSE;
    }

  return TRUE;
}

/**
 * cs_accessor_new_with_closures:
 * @value_type: the type of the value
 * @name: (nullable): a name for debugging
 * @condition: (nullable): the notification group to join; a new one if %NULL
 * @read: (nullable): a closure taking no argument and returning the current
 *   value, of @value_type
 * @write: (nullable): a closure taking the new value and returning %TRUE if it
 *   stored it
 *
 * Creates an accessor over a value kept elsewhere, as
 * [ctor@Cs.Accessor.new_full] does, with closures: the form language bindings
 * use. A write that @write refuses fails with %CS_ACCESSOR_ERROR_FAILED.
 *
 * Returns: (transfer full): a new accessor
 *
 * Since: 1.0
 */
CsAccessor *
cs_accessor_new_with_closures (GType        value_type,
                               const char  *name,
                               CsCondition *condition,
                               GClosure    *read,
                               GClosure    *write)
{
  Closures *closures;

  g_return_val_if_fail (G_TYPE_IS_VALUE_TYPE (value_type), NULL);
  g_return_val_if_fail (condition == NULL || CS_IS_CONDITION (condition), NULL);
  g_return_val_if_fail (read != NULL || write == NULL, NULL);

  if (read == NULL)
    return cs_accessor_new_full (value_type, name, condition, NULL, NULL, NULL, NULL);

  closures = g_new0 (Closures, 1);
  closures->read = g_closure_ref (read);
  g_closure_sink (read);
  if (G_CLOSURE_NEEDS_MARSHAL (read))
    g_closure_set_marshal (read, g_cclosure_marshal_generic);
  if (write != NULL)
    {
      closures->write = g_closure_ref (write);
      g_closure_sink (write);
      if (G_CLOSURE_NEEDS_MARSHAL (write))
        g_closure_set_marshal (write, g_cclosure_marshal_generic);
    }

  return cs_accessor_new_full (value_type, name, condition,
                               closures_read, write != NULL ? closures_write : NULL,
                               closures, closures_free);
}

CsAccessor *
_cs_accessor_new_external (GType                value_type,
                           const char          *name,
                           CsAccessorReadFunc   read,
                           CsAccessorWriteFunc  write,
                           gpointer             user_data,
                           GDestroyNotify       destroy)
{
  CsAccessor *self;

  self = cs_accessor_new_full (value_type, name, NULL, read, write, user_data, destroy);
  self->external = TRUE;

  return self;
}

void
_cs_accessor_set_owner (CsAccessor   *self,
                        GMainContext *context,
                        GThread      *thread)
{
  g_assert (self->n_readers == 0 && self->incoming.length == 0);

  g_main_context_ref (context);
  g_main_context_unref (self->context);
  self->context = context;
  g_thread_ref (thread);
  g_thread_unref (self->thread);
  self->thread = thread;
}

/* Counts a write and notifies it; the notification wakes the readers. A change
 * reported from another thread is notified in the owner context. */
void
_cs_accessor_changed (CsAccessor *self)
{
  Ownership ownership = enter_owner (self);

  if (ownership == NOT_OWNER)
    {
      g_mutex_lock (&self->mutex);
      self->n_incoming_changes++;
      ensure_incoming_source_locked (self);
      g_mutex_unlock (&self->mutex);
      return;
    }

  count_write (self);
  leave_owner (self, ownership);
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
 * Returns: %TRUE after [method@Cs.Accessor.close]
 *
 * Since: 1.0
 */
gboolean
cs_accessor_is_closed (CsAccessor *self)
{
  g_return_val_if_fail (CS_IS_ACCESSOR (self), TRUE);

  return g_atomic_int_get (&self->closed);
}

/**
 * cs_accessor_get_n_waiting_reads:
 * @self: an accessor
 *
 * Gets the number of readers waiting. A read counts from the moment
 * [method@Cs.Accessor.get_async] returns until it completes, is cancelled or
 * fails; a read that completes at once never counts.
 *
 * Returns: the number of waiting readers
 *
 * Since: 1.0
 */
guint
cs_accessor_get_n_waiting_reads (CsAccessor *self)
{
  guint n;

  g_return_val_if_fail (CS_IS_ACCESSOR (self), 0);

  g_mutex_lock (&self->mutex);
  n = self->n_readers;
  g_mutex_unlock (&self->mutex);

  return n;
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
 * Gets a copy of the current value (the seed's `value`), without waiting.
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
  read_value (self, value);

  return value;
}

/* The operations, as applied in the owner context */

static void
start_read (CsAccessor *self,
            GTask      *task)
{
  Waiter *waiter = task_waiter (task);
  g_autoptr(GError) error = NULL;
  gboolean check_now = reads_current_value (waiter->predicate, waiter->get_flags);
  guint old_n, new_n;

  for (;;)
    {
      g_auto(GValue) current = G_VALUE_INIT;
      guint64 generation = cs_accessor_get_generation (self);

      if (check_now)
        {
          read_value (self, &current);
          if (waiter->predicate == NULL || cs_predicate_evaluate (waiter->predicate, &current))
            {
              g_clear_object (&waiter->predicate);
              return_value (task, &current);
              return;
            }
        }

      g_mutex_lock (&self->mutex);

      /* the predicate may have closed the accessor or written to it */
      if (!check_open (self, &error))
        {
          g_mutex_unlock (&self->mutex);
          g_clear_object (&waiter->predicate);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      if (check_now && generation != self->generation)
        {
          g_mutex_unlock (&self->mutex);
          continue;
        }

      waiter->start_generation = self->generation;
      old_n = self->n_readers;
      enqueue_locked (self, task);
      new_n = self->n_readers;
      g_mutex_unlock (&self->mutex);
      break;
    }

  counts_changed (self, old_n, new_n);
  complete_read_waits (self);
  schedule_pump (self);
}

static void
start_write (CsAccessor *self,
             GTask      *task)
{
  Waiter *waiter = task_waiter (task);
  g_autoptr(GError) error = NULL;

  if (waiter->set_flags & CS_SET_FLAGS_WAIT_FOR_READ)
    {
      gboolean apply_now;

      g_mutex_lock (&self->mutex);
      apply_now = can_apply_handoff_now_locked (self);
      if (!apply_now && check_open (self, &error))
        enqueue_locked (self, task);
      g_mutex_unlock (&self->mutex);

      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      if (!apply_now)
        {
          schedule_pump (self);
          return;
        }
    }

  if (apply_write (self, &waiter->value, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
start_read_wait (CsAccessor *self,
                 GTask      *task)
{
  g_autoptr(GError) error = NULL;
  gboolean waiting = FALSE;

  g_mutex_lock (&self->mutex);
  if (check_open (self, &error))
    {
      waiting = self->n_readers > 0;
      if (!waiting)
        enqueue_locked (self, task);
    }
  g_mutex_unlock (&self->mutex);

  if (error != NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (waiting)
    g_task_return_boolean (task, TRUE);
}

static void
append_tasks (GPtrArray *tasks,
              GQueue    *queue)
{
  for (GList *l = queue->head; l != NULL; l = l->next)
    g_ptr_array_add (tasks, ((Waiter *) l->data)->task);
}

/* Fails everything pending; once, in the owner context. */
static void
finish_close (CsAccessor *self)
{
  g_autoptr(GPtrArray) pending = NULL;
  GHashTableIter iter;
  Bucket *bucket;
  guint n_readers;
  guint old_n;

  g_object_ref (self);

  g_mutex_lock (&self->mutex);
  if (self->close_done)
    {
      g_mutex_unlock (&self->mutex);
      g_object_unref (self);
      return;
    }
  self->close_done = TRUE;
  g_atomic_int_set (&self->closed, TRUE);
  old_n = self->n_readers;

  /* fail them in the order they came: readers, then writes and waits; the
   * queues' references on the tasks pass to the array */
  pending = g_ptr_array_new_with_free_func (g_object_unref);
  append_tasks (pending, &self->next_readers);
  append_tasks (pending, &self->scan_readers);
  g_hash_table_iter_init (&iter, self->equal_readers);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
    append_tasks (pending, &bucket->readers);
  n_readers = pending->len;
  g_ptr_array_sort (pending, compare_arrival);
  append_tasks (pending, &self->writes);
  append_tasks (pending, &self->read_waits);

  for (guint i = 0; i < pending->len; i++)
    dequeue_locked (self, g_ptr_array_index (pending, i));
  g_assert (self->n_readers == 0 && n_readers == old_n);

  if (self->pump_source != NULL)
    {
      g_source_destroy (self->pump_source);
      g_clear_pointer (&self->pump_source, g_source_unref);
    }
  g_mutex_unlock (&self->mutex);

  for (guint i = 0; i < pending->len; i++)
    {
      GTask *task = g_ptr_array_index (pending, i);

      waiter_detach (task);
      if (i < n_readers)
        g_clear_object (&task_waiter (task)->predicate);
      g_task_return_new_error (task, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED,
                               "Accessor “%s” was closed", accessor_name (self));
    }

  counts_changed (self, old_n, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CLOSED]);

  g_object_unref (self);
}

static void
start_operation (CsAccessor *self,
                 GTask      *task)
{
  switch (task_waiter (task)->kind)
    {
    case WAITER_READ:
      start_read (self, task);
      break;
    case WAITER_WRITE:
      start_write (self, task);
      break;
    case WAITER_READ_WAIT:
      start_read_wait (self, task);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Starts @task now if this thread acts for the owner context, else sends it
 * there. */
static void
dispatch_operation (CsAccessor *self,
                    GTask      *task)
{
  Ownership ownership = enter_owner (self);

  if (ownership == NOT_OWNER)
    {
      send_to_owner (self, task);
      return;
    }

  start_operation (self, task);
  leave_owner (self, ownership);
}

/* The owner context applies what other threads sent, in order. */
static gboolean
incoming_cb (gpointer user_data)
{
  CsAccessor *self = user_data;

  g_mutex_lock (&self->mutex);
  g_clear_pointer (&self->incoming_source, g_source_unref);

  for (;;)
    {
      if (self->n_incoming_changes > 0)
        {
          self->n_incoming_changes--;
          g_mutex_unlock (&self->mutex);
          count_write (self);
        }
      else if (self->incoming.head != NULL)
        {
          Waiter *waiter = self->incoming.head->data;
          GTask *task = waiter->task;

          g_queue_unlink (&self->incoming, &waiter->link);
          g_mutex_unlock (&self->mutex);
          start_operation (self, task);
          g_object_unref (task);
        }
      else if (self->close_pending)
        {
          self->close_pending = FALSE;
          g_mutex_unlock (&self->mutex);
          finish_close (self);
        }
      else
        break;

      g_mutex_lock (&self->mutex);
    }

  g_mutex_unlock (&self->mutex);

  return G_SOURCE_REMOVE;
}

/* Blocking calls: the asynchronous call, with its callback in a private main
 * context that this thread runs until the call completes. Each thread keeps
 * its context for the next call. */

static GPrivate sync_contexts = G_PRIVATE_INIT ((GDestroyNotify) g_main_context_unref);

typedef struct
{
  GMainContext *context;
  GAsyncResult *result;
} SyncCall;

static void
sync_call_begin (SyncCall *call)
{
  call->context = g_private_get (&sync_contexts);
  if (call->context == NULL)
    {
      call->context = g_main_context_new ();
      g_private_set (&sync_contexts, call->context);
    }
  call->result = NULL;
  g_main_context_push_thread_default (call->context);
}

static void
sync_call_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncCall *call = user_data;

  call->result = g_object_ref (result);
}

static GAsyncResult *
sync_call_wait (SyncCall *call)
{
  while (call->result == NULL)
    g_main_context_iteration (call->context, TRUE);

  g_main_context_pop_thread_default (call->context);
  call->context = NULL;

  return call->result;
}

/* Public API: operations */

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
 * current value.
 *
 * The reader receives exactly the value that satisfied it, even if it has been
 * overwritten by the time @callback runs.
 *
 * The predicate is called in the main context that owns @self; @callback runs
 * in the thread-default main context of the calling thread. Called from another
 * thread, the read counts as waiting once the owner context has registered it.
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
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Waiter *waiter;

  g_return_if_fail (CS_IS_ACCESSOR (self));
  g_return_if_fail (predicate == NULL || CS_IS_PREDICATE (predicate));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = accessor_task_new (self, WAITER_READ, cs_accessor_get_async,
                            cancellable, callback, user_data);

  if (!check_read (self, flags, cancellable, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  waiter = task_waiter (task);
  waiter->get_flags = flags;
  waiter->wait_for_write = (flags & CS_GET_FLAGS_WAIT_FOR_WRITE) != 0;
  waiter->predicate = predicate != NULL ? g_object_ref (predicate) : NULL;

  dispatch_operation (self, task);
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
 * context that owns @self, so that context must be running; the predicate runs
 * there, not in the calling thread. On the thread that runs the owner context
 * (or that created @self, while nobody runs its context) the read could only
 * deadlock: there it completes at once when it can
 * (%CS_GET_FLAGS_NO_WAIT_FOR_WRITE, or a predicate that the current value
 * matches) and otherwise fails with %G_IO_ERROR_WOULD_BLOCK. Cancelling
 * @cancellable from any thread ends the wait with %G_IO_ERROR_CANCELLED.
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
  g_autoptr(GAsyncResult) result = NULL;
  Ownership ownership;
  SyncCall call;

  g_return_val_if_fail (CS_IS_ACCESSOR (self), NULL);
  g_return_val_if_fail (predicate == NULL || CS_IS_PREDICATE (predicate), NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ownership = enter_owner (self);
  if (ownership != NOT_OWNER)
    {
      GValue *value = NULL;

      if (check_read (self, flags, cancellable, error))
        {
          if (reads_current_value (predicate, flags))
            {
              value = cs_accessor_dup_value (self);
              if (predicate != NULL && !cs_predicate_evaluate (predicate, value))
                g_clear_pointer (&value, value_free);
            }

          if (value == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                         "Reading accessor “%s” here would block the thread that "
                         "runs its main context", accessor_name (self));
        }

      leave_owner (self, ownership);
      return value;
    }

  sync_call_begin (&call);
  cs_accessor_get_async (self, predicate, flags, cancellable, sync_call_cb, &call);
  result = sync_call_wait (&call);

  return cs_accessor_get_finish (self, result, error);
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
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_accessor_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
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
 * A write made from another thread is applied in the main context that owns
 * @self, in order with the other writes from that thread; @callback runs in the
 * thread-default main context of the calling thread.
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
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Waiter *waiter;

  g_return_if_fail (CS_IS_ACCESSOR (self));
  g_return_if_fail (G_IS_VALUE (value));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = accessor_task_new (self, WAITER_WRITE, cs_accessor_set_async,
                            cancellable, callback, user_data);
  waiter = task_waiter (task);
  waiter->set_flags = flags;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (!prepare_write (self, value, &waiter->value, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  dispatch_operation (self, task);
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
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_accessor_set_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
 * On the thread that runs the main context owning @self, a write without flags
 * is applied before this returns. A %CS_SET_FLAGS_WAIT_FOR_READ write is
 * applied there only if a reader is already waiting and no other handoff is
 * queued; otherwise it could only deadlock, and fails with
 * %G_IO_ERROR_WOULD_BLOCK.
 *
 * From another thread, the write is applied in the owner context, which must be
 * running, and this returns once it has been (for a %CS_SET_FLAGS_WAIT_FOR_READ
 * write, once a reader has taken it). Cancelling @cancellable ends the wait for
 * a reader with %G_IO_ERROR_CANCELLED and changes nothing.
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
  g_autoptr(GAsyncResult) result = NULL;
  Ownership ownership;
  gboolean ret = FALSE;
  SyncCall call;

  g_return_val_if_fail (CS_IS_ACCESSOR (self), FALSE);
  g_return_val_if_fail (G_IS_VALUE (value), FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  if (!prepare_write (self, value, &converted, error))
    return FALSE;

  ownership = enter_owner (self);
  if (ownership != NOT_OWNER)
    {
      gboolean can_apply = TRUE;

      if (flags & CS_SET_FLAGS_WAIT_FOR_READ)
        {
          g_mutex_lock (&self->mutex);
          can_apply = can_apply_handoff_now_locked (self);
          g_mutex_unlock (&self->mutex);
        }

      if (can_apply)
        ret = apply_write (self, &converted, error);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                     "No reader is waiting on accessor “%s”, and waiting here would "
                     "block the thread that runs its main context", accessor_name (self));

      leave_owner (self, ownership);
      return ret;
    }

  sync_call_begin (&call);
  cs_accessor_set_async (self, &converted, flags, cancellable, sync_call_cb, &call);
  result = sync_call_wait (&call);

  return cs_accessor_set_finish (self, result, error);
}

/**
 * cs_accessor_wait_for_read_async:
 * @self: an accessor
 * @cancellable: (nullable): a cancellable
 * @callback: (scope async) (closure user_data): called when a reader is waiting
 * @user_data: data for @callback
 *
 * Waits until a reader is waiting on @self: completes at once if one already
 * is. Each call waits afresh.
 *
 * Since: 1.0
 */
void
cs_accessor_wait_for_read_async (CsAccessor          *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CS_IS_ACCESSOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = accessor_task_new (self, WAITER_READ_WAIT, cs_accessor_wait_for_read_async,
                            cancellable, callback, user_data);

  if (g_task_return_error_if_cancelled (task))
    return;

  dispatch_operation (self, task);
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
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cs_accessor_wait_for_read_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cs_accessor_close:
 * @self: an accessor
 *
 * Closes the accessor: every pending read, write and wait fails with
 * %CS_ACCESSOR_ERROR_CLOSED, and so does every later one. Closing twice does
 * nothing.
 *
 * From another thread, later calls fail at once, and the pending ones are
 * failed (and `notify::closed` emitted) in the main context that owns @self.
 *
 * Since: 1.0
 */
void
cs_accessor_close (CsAccessor *self)
{
  Ownership ownership;

  g_return_if_fail (CS_IS_ACCESSOR (self));

  ownership = enter_owner (self);
  if (ownership == NOT_OWNER)
    {
      g_mutex_lock (&self->mutex);
      g_atomic_int_set (&self->closed, TRUE);
      if (!self->close_done)
        {
          self->close_pending = TRUE;
          ensure_incoming_source_locked (self);
        }
      g_mutex_unlock (&self->mutex);
      return;
    }

  finish_close (self);
  leave_owner (self, ownership);
}
