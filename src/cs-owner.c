/* cs-owner.c: main contexts, the work posted to them, and who may work there
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-owner-private.h"

/* Working in an owner context is exclusive: GLib hands a main context to one
 * thread at a time (g_main_context_acquire(), or the thread that iterates
 * it), under the context's own lock. GLib is not built with
 * ThreadSanitizer, which therefore cannot see that ordering; in such builds
 * the library states it where a thread starts and stops working there. */
#if defined(__SANITIZE_THREAD__)
# define CS_TSAN 1
#elif defined(__has_feature)
# if __has_feature(thread_sanitizer)
#  define CS_TSAN 1
# endif
#endif

#ifdef CS_TSAN
# include <sanitizer/tsan_interface.h>
# define OWNER_WORK_BEGINS(dispatcher) __tsan_acquire (dispatcher)
# define OWNER_WORK_ENDS(dispatcher)   __tsan_release (dispatcher)
#else
# define OWNER_WORK_BEGINS(dispatcher) ((void) 0)
# define OWNER_WORK_ENDS(dispatcher)   ((void) 0)
#endif

/* Everything the library runs happens in the owner context of a group:
 *
 *   any other thread ──post──▶ [posted work] ─┐
 *                                             ├─▶ dispatcher source ─▶ engine
 *   owner thread ─────────── directly ────────┘                        │
 *                                                                      ▼
 *   engine ──complete──▶ [completions] of the caller's context ─▶ callbacks
 *
 * A main context has one dispatcher: a source that runs, in batches, the work
 * other threads posted to it and the completions delivered to it. Its queues
 * are woken once per batch (the first item wakes the context), and the source
 * never dispatches anything on a thread that does not run its context. */

typedef struct
{
  CsWork  *head;
  CsWork **tail;
  guint    length;
} WorkQueue;

struct _CsDispatcher
{
  GSource       source;

  /* Read-only after construction */
  GMainContext *context;        /* not owned: the context owns the source */

  /* Protected by mutex */
  GMutex        mutex;
  WorkQueue     posted;         /* work for the owner context, in order */
  WorkQueue     completions;    /* callbacks to run in this context, in order */

  /* Atomic: items in both queues, read without the lock by prepare/check */
  gint          n_pending;
  /* Atomic: items in posted, read by _cs_owner_enter() without the lock */
  gint          n_posted;

  /* Owner context only */
  guint         depth;          /* > 0 while work of the context runs (a posted
                                 * batch, or an operation started directly) */
  guint64       epoch;          /* moves on whenever code outside the engine may
                                 * have run: see _cs_owner_epoch() */
};

/* The dispatcher whose context this thread is working in right now: while a
 * dispatcher runs, and while an operation runs directly (_cs_owner_enter()).
 * Spares the owner checks for calls made from inside that work. */
static __thread CsDispatcher *current_dispatcher;

/* GMainContext* → CsDispatcher*, without references: a dispatcher leaves when
 * its context destroys it. */
static GMutex registry_mutex;
static GHashTable *registry;

/* The thread-default context and its dispatcher, as last looked up by this
 * thread (a reference on the context keeps both). */
typedef struct
{
  GMainContext *context;
  CsDispatcher *dispatcher;
} ThreadCache;

static __thread ThreadCache *thread_cache_fast;   /* what thread_cache holds */

static void
thread_cache_free (gpointer data)
{
  ThreadCache *cache = data;

  thread_cache_fast = NULL;
  g_main_context_unref (cache->context);
  g_free (cache);
}

static GPrivate thread_cache = G_PRIVATE_INIT (thread_cache_free);

static void
work_queue_push (WorkQueue *queue,
                 CsWork    *work)
{
  if (queue->tail == NULL)
    queue->tail = &queue->head;

  work->next = NULL;
  *queue->tail = work;
  queue->tail = &work->next;
  queue->length++;
}

static CsWork *
work_queue_pop (WorkQueue *queue)
{
  CsWork *work = queue->head;

  if (work == NULL)
    return NULL;

  queue->head = work->next;
  if (queue->head == NULL)
    queue->tail = &queue->head;
  queue->length--;
  work->next = NULL;

  return work;
}

/* Runs at most @budget items, so that work that keeps adding work cannot
 * hold the context. One at a time: a nested main loop run by one of them runs
 * the next ones, in order. */
static void
run_items (CsDispatcher *self,
           WorkQueue    *queue,
           gboolean      is_posted,
           guint         budget)
{
  while (budget-- > 0)
    {
      CsWork *work;

      g_mutex_lock (&self->mutex);
      work = work_queue_pop (queue);
      if (work != NULL)
        {
          g_atomic_int_dec_and_test (&self->n_pending);
          if (is_posted)
            g_atomic_int_dec_and_test (&self->n_posted);
        }
      g_mutex_unlock (&self->mutex);

      if (work == NULL)
        break;

      if (is_posted)
        self->depth++;
      work->func (work);
      if (is_posted)
        self->depth--;
      self->epoch++;
    }
}

/* Runs the items queued when it started. */
static void
run_queue (CsDispatcher *self,
           WorkQueue    *queue,
           gboolean      is_posted)
{
  guint budget;

  g_mutex_lock (&self->mutex);
  budget = queue->length;
  g_mutex_unlock (&self->mutex);

  run_items (self, queue, is_posted, budget);
}

/* How many posted items must run before this thread's next call, so that its
 * calls keep their order: up to the last one it posted itself (when it could
 * not work in the context at that moment). Usually none. */
static guint
posted_by_this_thread (CsDispatcher *self)
{
  GThread *self_thread = g_thread_self ();
  guint n = 0, i = 0;

  g_mutex_lock (&self->mutex);
  for (CsWork *work = self->posted.head; work != NULL; work = work->next)
    {
      i++;
      if (work->poster == self_thread)
        n = i;
    }
  g_mutex_unlock (&self->mutex);

  return n;
}

static gboolean
dispatcher_prepare (GSource *source,
                    gint    *timeout)
{
  CsDispatcher *self = (CsDispatcher *) source;

  *timeout = -1;

  return g_atomic_int_get (&self->n_pending) > 0;
}

static gboolean
dispatcher_check (GSource *source)
{
  CsDispatcher *self = (CsDispatcher *) source;

  return g_atomic_int_get (&self->n_pending) > 0;
}

static gboolean
dispatcher_dispatch (GSource     *source,
                     GSourceFunc  callback,
                     gpointer     user_data)
{
  CsDispatcher *self = (CsDispatcher *) source;
  CsDispatcher *previous = current_dispatcher;

  OWNER_WORK_BEGINS (self);
  current_dispatcher = self;
  run_queue (self, &self->posted, TRUE);
  run_queue (self, &self->completions, FALSE);
  current_dispatcher = previous;
  OWNER_WORK_ENDS (self);

  return G_SOURCE_CONTINUE;
}

static void
dispatcher_finalize (GSource *source)
{
  CsDispatcher *self = (CsDispatcher *) source;

  g_mutex_lock (&registry_mutex);
  if (g_hash_table_lookup (registry, self->context) == self)
    g_hash_table_remove (registry, self->context);
  g_mutex_unlock (&registry_mutex);

  /* the queued items hold references on the context: none can be left */
  g_assert (self->posted.head == NULL && self->completions.head == NULL);
  g_mutex_clear (&self->mutex);
}

static GSourceFuncs dispatcher_funcs = {
  dispatcher_prepare,
  dispatcher_check,
  dispatcher_dispatch,
  dispatcher_finalize,
  NULL, NULL,
};

/* The dispatcher of @context, created and attached on first use. */
CsDispatcher *
_cs_dispatcher_get_for_context (GMainContext *context)
{
  CsDispatcher *self;

  g_assert (context != NULL);

  g_mutex_lock (&registry_mutex);

  if (registry == NULL)
    registry = g_hash_table_new (NULL, NULL);

  self = g_hash_table_lookup (registry, context);
  if (self == NULL)
    {
      GSource *source = g_source_new (&dispatcher_funcs, sizeof (CsDispatcher));

      self = (CsDispatcher *) source;
      self->context = context;
      g_mutex_init (&self->mutex);
      g_source_set_static_name (source, "[codestare] dispatcher");
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      /* a nested main loop run by a callback runs the next callbacks */
      g_source_set_can_recurse (source, TRUE);
      g_source_attach (source, context);
      g_source_unref (source);
      g_hash_table_insert (registry, context, self);
    }

  g_mutex_unlock (&registry_mutex);

  return self;
}

/* The dispatcher of this thread's thread-default context; *@context is set to
 * that context, with a reference for the caller. */
CsDispatcher *
_cs_dispatcher_get_thread_default (GMainContext **context)
{
  GMainContext *current = g_main_context_get_thread_default ();
  ThreadCache *cache = thread_cache_fast;

  if (current == NULL)
    current = g_main_context_default ();

  if (cache == NULL || cache->context != current)
    {
      if (cache == NULL)
        {
          cache = g_new0 (ThreadCache, 1);
          g_private_set (&thread_cache, cache);
          thread_cache_fast = cache;
        }
      else
        g_main_context_unref (cache->context);

      cache->context = g_main_context_ref (current);
      cache->dispatcher = _cs_dispatcher_get_for_context (current);
    }

  *context = g_main_context_ref (current);

  return cache->dispatcher;
}

GMainContext *
_cs_dispatcher_get_context (CsDispatcher *self)
{
  return self->context;
}

/* Queues @work to run from the dispatcher's source, in its context. Any
 * thread. The caller holds a reference on the context until @work has run. */
void
_cs_dispatcher_complete (CsDispatcher *self,
                         CsWork       *work)
{
  gboolean was_empty;

  g_mutex_lock (&self->mutex);
  was_empty = g_atomic_int_add (&self->n_pending, 1) == 0;
  work_queue_push (&self->completions, work);
  g_mutex_unlock (&self->mutex);

  /* a thread working in the context looks at the source before it polls */
  if (was_empty &&
      current_dispatcher != self &&
      !g_main_context_is_owner (self->context))
    g_main_context_wakeup (self->context);
}

/* Owners */

void
_cs_owner_init (CsOwner      *owner,
                GMainContext *context,
                GThread      *thread)
{
  owner->context = g_main_context_ref (context);
  owner->dispatcher = _cs_dispatcher_get_for_context (context);
  owner->thread = g_thread_ref (thread);
}

void
_cs_owner_clear (CsOwner *owner)
{
  g_clear_pointer (&owner->thread, g_thread_unref);
  owner->dispatcher = NULL;
  g_clear_pointer (&owner->context, g_main_context_unref);
}

/* Whether this thread may work in the owner context now: it is already working
 * there, it runs the context, or it is the owner thread and can acquire the
 * context (nobody runs it). If so, what this thread posted earlier runs first,
 * so that its operations keep their order, and the caller works directly until
 * _cs_owner_leave(). Otherwise it must post its work. */
gboolean
_cs_owner_enter (const CsOwner *owner,
                 CsOwnerScope  *scope)
{
  CsDispatcher *dispatcher = owner->dispatcher;

  scope->previous = current_dispatcher;
  scope->acquired = FALSE;

  if (scope->previous != dispatcher)
    {
      if (g_main_context_is_owner (owner->context))
        ;
      else if (g_thread_self () == owner->thread && g_main_context_acquire (owner->context))
        scope->acquired = TRUE;
      else
        return FALSE;

      current_dispatcher = dispatcher;
    }

  OWNER_WORK_BEGINS (dispatcher);

  /* what this thread posted before goes first (not from inside a batch:
   * that would run later items before earlier ones) */
  if (dispatcher->depth == 0 && g_atomic_int_get (&dispatcher->n_posted) > 0)
    {
      guint n = posted_by_this_thread (dispatcher);

      if (n > 0)
        run_items (dispatcher, &dispatcher->posted, TRUE, n);
    }

  dispatcher->depth++;

  return TRUE;
}

void
_cs_owner_leave (const CsOwner *owner,
                 CsOwnerScope  *scope)
{
  CsDispatcher *dispatcher = owner->dispatcher;

  g_assert (dispatcher->depth > 0);
  if (--dispatcher->depth == 0)
    dispatcher->epoch++;

  if (scope->previous != dispatcher)
    current_dispatcher = scope->previous;
  OWNER_WORK_ENDS (dispatcher);
  if (scope->acquired)
    g_main_context_release (owner->context);
}

/* Queues @work for the owner context, from a thread that may not work there
 * (_cs_owner_enter() returned FALSE). The owner context runs posted work in
 * the order it came, whoever runs it; the first item of a batch wakes it. */
void
_cs_owner_post (const CsOwner *owner,
                CsWork        *work)
{
  CsDispatcher *dispatcher = owner->dispatcher;
  gboolean was_empty;

  work->poster = g_thread_self ();

  g_mutex_lock (&dispatcher->mutex);
  was_empty = g_atomic_int_add (&dispatcher->n_pending, 1) == 0;
  g_atomic_int_inc (&dispatcher->n_posted);
  work_queue_push (&dispatcher->posted, work);
  g_mutex_unlock (&dispatcher->mutex);

  if (was_empty)
    g_main_context_wakeup (owner->context);
}

/* A number that stays the same as long as only the engine has run in the
 * owner context: it moves on when a step of work ends and whenever the
 * engine is about to run code of the user's (_cs_owner_touch()). What the
 * engine learned of the world (is anyone listening?) holds while it does. */
guint64
_cs_owner_epoch (const CsOwner *owner)
{
  return owner->dispatcher->epoch;
}

void
_cs_owner_touch (const CsOwner *owner)
{
  owner->dispatcher->epoch++;
}
