/* test-stress.c: many threads reading, writing, cancelling and closing at once
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Each round makes an accessor in the main thread, whose main loop runs the
 * owner context, and starts five threads that, for a bounded number of
 * operations each, at random:
 *
 *   - read with cs_accessor_get(): no predicate or a random one, random flags
 *     (now and then both WAIT flags), always with a cancellable;
 *   - write with cs_accessor_set(), plain or WAIT_FOR_READ;
 *   - (one thread) read and write asynchronously from its own pushed main
 *     context, a batch at a time;
 *   - (one thread) cancel random pending operations and write.
 *
 * Meanwhile the main thread writes (plain and WAIT_FOR_READ, sync and async),
 * reads without blocking, notifies the condition group and cancels at random;
 * once every operation of the round has started, it cancels what is still
 * pending, so that every round ends. Every third round it closes the accessor
 * instead, at a random point of the round's last quarter (with WAIT_FOR_READ
 * writes of its own just queued), and from then on nobody cancels: the close
 * alone must end every pending operation.
 *
 * Every written value is a unique id. Checked, per round:
 *   - every operation completes exactly once (callbacks counted), none is lost:
 *     with a value or success, G_IO_ERROR_CANCELLED, CS_ACCESSOR_ERROR_CLOSED,
 *     G_IO_ERROR_WOULD_BLOCK (owner thread only) or G_IO_ERROR_INVALID_ARGUMENT
 *     (both WAIT flags only);
 *   - a reader receives only values whose write succeeded: nothing invented,
 *     nothing from a failed or cancelled write;
 *   - every successful WAIT_FOR_READ value was received by a reader or seen by
 *     a waiting reader's predicate (API.md, semantics 5). In every other round
 *     the readers use the built-in (equal/not-equal) predicates instead, which
 *     cannot report what they saw, so this is checked in the other rounds;
 *   - predicates run in the owner context, callbacks in the caller's;
 *   - n-waiting-reads is back to 0, and the accessor is finalized at the end.
 *
 * CS_STRESS_ITERATIONS sets the number of rounds (default 20).
 */

#include <codestare.h>

#include "cs-test-util.h"

#define N_THREADS      5
#define OPS_PER_THREAD 100
#define ASYNC_BATCH    6

typedef enum
{
  OP_READ,
  OP_WRITE,
  OP_HANDOFF,
} OpKind;

/* One operation */
typedef struct
{
  OpKind        kind;
  guint64       id;              /* writes: the value written */
  gboolean      both_flags;      /* reads: INVALID_ARGUMENT is the expected answer */
  gboolean      on_owner;        /* WOULD_BLOCK may be the answer */
  GCancellable *cancellable;
  GMainContext *context;         /* async: where the callback must run */
  gint          done;            /* atomic: completions */
} Rec;

typedef struct
{
  GMutex        mutex;
  GThread      *main_thread;

  CsCondition  *condition;
  CsAccessor   *acc;
  guint         round;
  gboolean      builtin_round;   /* readers use built-in predicates */
  gboolean      closing_round;

  GPtrArray    *recs;            /* Rec*, all of the round's operations */
  GPtrArray    *pool;            /* GCancellable*, of the operations pending */
  GHashTable   *written;         /* id → itself: writes that succeeded */
  GHashTable   *received;        /* id → itself: values that readers got */
  GHashTable   *seen;            /* id → itself: values a predicate looked at */
  GPtrArray    *handoffs;        /* Rec*, WAIT_FOR_READ writes that succeeded */

  gint          remaining;       /* atomic: operations not yet started */
  gint          n_finished;      /* atomic: threads done */
  gboolean      closed;          /* under the mutex */
  gint          close_at;        /* close once this few operations remain */
  guint64       main_counter;

  guint64       n_ops, n_values, n_cancelled, n_closed, n_would_block;
} Stress;

static Stress S;

/* Bookkeeping {{{ */

static void
rec_free (gpointer data)
{
  Rec *rec = data;

  g_clear_object (&rec->cancellable);
  g_free (rec);
}

/* A new operation, with a fresh id for a write, its cancellable in the pool;
 * counts it as started. */
static Rec *
rec_new (OpKind    kind,
         guint64  *counter,
         guint     thread_index)
{
  Rec *rec = g_new0 (Rec, 1);

  rec->kind = kind;
  rec->cancellable = g_cancellable_new ();
  if (kind != OP_READ)
    rec->id = ((guint64) (thread_index + 1) << 48) | ++(*counter);

  g_mutex_lock (&S.mutex);
  g_ptr_array_add (S.recs, rec);
  g_ptr_array_add (S.pool, g_object_ref (rec->cancellable));
  g_mutex_unlock (&S.mutex);

  g_atomic_int_add (&S.remaining, -1);

  return rec;
}

static void
set_add (GHashTable *set,
         guint64     id)
{
  g_hash_table_add (set, g_memdup2 (&id, sizeof id));
}

static gboolean
set_contains (GHashTable *set,
              guint64     id)
{
  return g_hash_table_contains (set, &id);
}

/* Records how @rec ended: once, with an answer it may have. */
static void
rec_finish (Rec          *rec,
            gboolean      ok,
            const GValue *value,
            const GError *error)
{
  g_assert_cmpint (g_atomic_int_add (&rec->done, 1), ==, 0);

  if (rec->context != NULL)
    g_assert_true (g_main_context_get_thread_default () == rec->context);

  g_mutex_lock (&S.mutex);
  g_ptr_array_remove_fast (S.pool, rec->cancellable);
  S.n_ops++;

  if (ok)
    {
      g_assert_null (error);
      S.n_values++;
      if (rec->kind == OP_READ)
        {
          g_assert_nonnull (value);
          g_assert_true (G_VALUE_HOLDS_UINT64 (value));
          set_add (S.received, g_value_get_uint64 (value));
          g_assert_false (rec->both_flags);
        }
      else
        {
          set_add (S.written, rec->id);
          if (rec->kind == OP_HANDOFF)
            g_ptr_array_add (S.handoffs, rec);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    S.n_cancelled++;
  else if (g_error_matches (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED))
    S.n_closed++;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_assert_true (rec->on_owner);
      S.n_would_block++;
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
    g_assert_true (rec->both_flags);
  else
    g_error ("unexpected answer: %s", error != NULL ? error->message : "none");

  g_mutex_unlock (&S.mutex);
}

/* }}} */

/* Predicates {{{ */

/* Custom predicates record what they see; @mode: 0 never, 1 always, 2.. a
 * residue of the id. */
static gboolean
tracking_predicate (const GValue  *value,
                    gpointer       user_data,
                    GError       **error)
{
  guint mode = GPOINTER_TO_UINT (user_data);
  guint64 id = g_value_get_uint64 (value);

  /* API.md, semantics 10: predicates run in the owner context */
  g_assert_true (g_thread_self () == S.main_thread);

  g_mutex_lock (&S.mutex);
  set_add (S.seen, id);
  g_mutex_unlock (&S.mutex);

  switch (mode)
    {
    case 0:  return FALSE;
    case 1:  return TRUE;
    default: return id % mode == 0;
    }
}

static CsPredicate *
random_predicate (GRand   *rand,
                  guint64  recent_id)
{
  g_auto(GValue) value = G_VALUE_INIT;

  if (g_rand_int_range (rand, 0, 3) == 0)
    return NULL;

  if (!S.builtin_round)
    return cs_predicate_new (tracking_predicate,
                             GUINT_TO_POINTER (g_rand_int_range (rand, 0, 5)), NULL);

  g_value_init (&value, G_TYPE_UINT64);
  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      /* a value already written: matches only while it is current */
      g_value_set_uint64 (&value, recent_id);
      return cs_predicate_new_equal (&value);
    case 1:
      g_value_set_uint64 (&value, G_MAXUINT64);  /* never written */
      return cs_predicate_new_equal (&value);
    case 2:
      g_value_set_uint64 (&value, recent_id);
      return cs_predicate_new_not_equal (&value);
    default:
      g_value_set_uint64 (&value, 0);
      return cs_predicate_new_not_equal (&value);
    }
}

static CsGetFlags
random_get_flags (GRand *rand)
{
  switch (g_rand_int_range (rand, 0, 20))
    {
    case 0:           return CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE;
    case 1: case 2:   return CS_GET_FLAGS_NO_WAIT_FOR_WRITE;
    case 3: case 4:
    case 5: case 6:   return CS_GET_FLAGS_WAIT_FOR_WRITE;
    default:          return CS_GET_FLAGS_NONE;
    }
}

/* }}} */

/* Worker threads {{{ */

typedef struct
{
  guint    index;
  guint32  seed;
  guint64  counter;
  guint64  recent_id;
  GRand   *rand;
  /* the async thread */
  GMainContext *context;
  guint    pending;
} Worker;

static void
worker_read (Worker *w)
{
  Rec *rec = rec_new (OP_READ, &w->counter, w->index);
  g_autoptr(CsPredicate) predicate = random_predicate (w->rand, w->recent_id);
  CsGetFlags flags = random_get_flags (w->rand);
  g_autoptr(GError) error = NULL;
  GValue *value;

  rec->both_flags = (flags & CS_GET_FLAGS_WAIT_FOR_WRITE) &&
                    (flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
  value = cs_accessor_get (S.acc, predicate, flags, rec->cancellable, &error);
  rec_finish (rec, value != NULL, value, error);
  if (value != NULL)
    {
      w->recent_id = g_value_get_uint64 (value);
      g_value_unset (value);
      g_free (value);
    }
}

static void
worker_write (Worker     *w,
              CsSetFlags  flags)
{
  Rec *rec = rec_new (flags & CS_SET_FLAGS_WAIT_FOR_READ ? OP_HANDOFF : OP_WRITE,
                      &w->counter, w->index);
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, rec->id);
  ok = cs_accessor_set (S.acc, &value, flags, rec->cancellable, &error);
  rec_finish (rec, ok, NULL, error);
  if (ok)
    w->recent_id = rec->id;
}

static void
worker_cancel (Worker *w)
{
  g_autoptr(GCancellable) cancellable = NULL;

  g_mutex_lock (&S.mutex);
  /* once closed, the close alone must end what is pending */
  if (S.pool->len > 0 && !S.closed)
    cancellable = g_object_ref (g_ptr_array_index (S.pool,
                                                   g_rand_int_range (w->rand, 0, S.pool->len)));
  g_mutex_unlock (&S.mutex);

  if (cancellable != NULL)
    g_cancellable_cancel (cancellable);
}

static gpointer
blocking_thread (gpointer data)
{
  Worker *w = data;

  for (guint i = 0; i < OPS_PER_THREAD; i++)
    {
      guint choice = g_rand_int_range (w->rand, 0, 8);

      if (choice < 4)
        worker_read (w);
      else if (choice < 6)
        worker_write (w, CS_SET_FLAGS_NONE);
      else
        worker_write (w, CS_SET_FLAGS_WAIT_FOR_READ);
    }

  g_atomic_int_inc (&S.n_finished);
  g_main_context_wakeup (NULL);
  return NULL;
}

static gpointer
cancel_thread (gpointer data)
{
  Worker *w = data;

  for (guint i = 0; i < OPS_PER_THREAD; i++)
    {
      if (g_rand_int_range (w->rand, 0, 3) == 0)
        worker_write (w, CS_SET_FLAGS_NONE);
      else
        {
          /* still counts as one of the thread's operations */
          g_atomic_int_add (&S.remaining, -1);
          worker_cancel (w);
        }
      g_thread_yield ();
    }

  g_atomic_int_inc (&S.n_finished);
  g_main_context_wakeup (NULL);
  return NULL;
}

static void
async_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Rec *rec = user_data;
  Worker *w = g_object_get_data (G_OBJECT (rec->cancellable), "worker");
  g_autoptr(GError) error = NULL;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);

  rec_finish (rec, value != NULL, value, error);
  if (value != NULL)
    {
      g_value_unset (value);
      g_free (value);
    }
  w->pending--;
}

static void
async_write_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Rec *rec = user_data;
  Worker *w = g_object_get_data (G_OBJECT (rec->cancellable), "worker");
  g_autoptr(GError) error = NULL;
  gboolean ok = cs_accessor_set_finish (CS_ACCESSOR (source), result, &error);

  rec_finish (rec, ok, NULL, error);
  w->pending--;
}

static gpointer
async_thread (gpointer data)
{
  Worker *w = data;

  w->context = g_main_context_new ();
  g_main_context_push_thread_default (w->context);

  for (guint i = 0; i < OPS_PER_THREAD; i += ASYNC_BATCH)
    {
      for (guint j = 0; j < ASYNC_BATCH; j++)
        {
          guint choice = g_rand_int_range (w->rand, 0, 6);
          Rec *rec;

          if (choice < 3)
            {
              g_autoptr(CsPredicate) predicate = random_predicate (w->rand, w->recent_id);
              CsGetFlags flags = random_get_flags (w->rand);

              rec = rec_new (OP_READ, &w->counter, w->index);
              rec->both_flags = (flags & CS_GET_FLAGS_WAIT_FOR_WRITE) &&
                                (flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE);
              rec->context = w->context;
              g_object_set_data (G_OBJECT (rec->cancellable), "worker", w);
              w->pending++;
              cs_accessor_get_async (S.acc, predicate, flags, rec->cancellable,
                                     async_read_cb, rec);
            }
          else
            {
              g_auto(GValue) value = G_VALUE_INIT;
              CsSetFlags flags = choice < 5 ? CS_SET_FLAGS_NONE : CS_SET_FLAGS_WAIT_FOR_READ;

              rec = rec_new (flags ? OP_HANDOFF : OP_WRITE, &w->counter, w->index);
              rec->context = w->context;
              g_object_set_data (G_OBJECT (rec->cancellable), "worker", w);
              g_value_init (&value, G_TYPE_UINT64);
              g_value_set_uint64 (&value, rec->id);
              w->pending++;
              cs_accessor_set_async (S.acc, &value, flags, rec->cancellable,
                                     async_write_cb, rec);
            }
        }

      while (w->pending > 0)
        g_main_context_iteration (w->context, TRUE);
    }

  g_main_context_pop_thread_default (w->context);
  g_clear_pointer (&w->context, g_main_context_unref);

  g_atomic_int_inc (&S.n_finished);
  g_main_context_wakeup (NULL);
  return NULL;
}

/* }}} */

/* The main thread {{{ */

static GRand *main_rand;

static void
main_write (CsSetFlags flags)
{
  g_auto(GValue) value = G_VALUE_INIT;
  g_autoptr(GError) error = NULL;
  gboolean ok;
  Rec *rec;

  /* an extra operation, not one of the threads' */
  g_atomic_int_inc (&S.remaining);
  rec = rec_new (flags ? OP_HANDOFF : OP_WRITE, &S.main_counter, N_THREADS);
  rec->on_owner = TRUE;
  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, rec->id);
  ok = cs_accessor_set (S.acc, &value, flags, rec->cancellable, &error);
  rec_finish (rec, ok, NULL, error);
}

static void
main_read (void)
{
  g_autoptr(GError) error = NULL;
  GValue *value;
  Rec *rec;

  g_atomic_int_inc (&S.remaining);
  rec = rec_new (OP_READ, &S.main_counter, N_THREADS);
  rec->on_owner = TRUE;
  value = cs_accessor_get (S.acc, NULL,
                           g_rand_boolean (main_rand) ? CS_GET_FLAGS_NO_WAIT_FOR_WRITE :
                                                        CS_GET_FLAGS_NONE,
                           rec->cancellable, &error);
  rec_finish (rec, value != NULL, value, error);
  if (value != NULL)
    {
      g_value_unset (value);
      g_free (value);
    }
}

static void
main_write_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = cs_accessor_set_finish (CS_ACCESSOR (source), result, &error);

  rec_finish (user_data, ok, NULL, error);
}

/* A handoff that the close may find queued */
static void
main_write_async (void)
{
  g_auto(GValue) value = G_VALUE_INIT;
  Rec *rec;

  g_atomic_int_inc (&S.remaining);
  rec = rec_new (OP_HANDOFF, &S.main_counter, N_THREADS);
  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, rec->id);
  cs_accessor_set_async (S.acc, &value, CS_SET_FLAGS_WAIT_FOR_READ, rec->cancellable,
                         main_write_cb, rec);
}

static void
cancel_all (void)
{
  g_autoptr(GPtrArray) pool = NULL;

  g_mutex_lock (&S.mutex);
  pool = g_ptr_array_new_full (S.pool->len, g_object_unref);
  for (guint i = 0; i < S.pool->len; i++)
    g_ptr_array_add (pool, g_object_ref (g_ptr_array_index (S.pool, i)));
  g_mutex_unlock (&S.mutex);

  for (guint i = 0; i < pool->len; i++)
    g_cancellable_cancel (g_ptr_array_index (pool, i));
}

/* The main thread's share, every millisecond: keeps things moving, and ends
 * the round once every thread has started all of its operations. */
static gboolean
chaos_cb (gpointer user_data)
{
  gint remaining = g_atomic_int_get (&S.remaining);

  /* closing rounds close towards their end, with operations still coming */
  if (S.closing_round && !S.closed && remaining <= S.close_at)
    {
      for (guint i = 0; i < 3; i++)
        main_write_async ();
      g_mutex_lock (&S.mutex);
      S.closed = TRUE;
      g_mutex_unlock (&S.mutex);
      cs_accessor_close (S.acc);
    }

  if (remaining <= 0)
    {
      /* a closed accessor must end everything pending by itself */
      if (!S.closed)
        cancel_all ();
      return G_SOURCE_CONTINUE;
    }

  switch (g_rand_int_range (main_rand, 0, 8))
    {
    case 0:
    case 1:
      main_write (CS_SET_FLAGS_NONE);
      break;
    case 2:
      main_write (CS_SET_FLAGS_WAIT_FOR_READ);
      break;
    case 3:
      main_read ();
      break;
    case 4:
      cs_condition_notify_all (S.condition);
      break;
    default:
      {
        Worker w = { .rand = main_rand };

        worker_cancel (&w);
      }
      break;
    }

  return G_SOURCE_CONTINUE;
}

static guint
get_iterations (void)
{
  const char *env = g_getenv ("CS_STRESS_ITERATIONS");
  guint64 n = 20;

  if (env != NULL && !g_ascii_string_to_unsigned (env, 10, 1, 100000, &n, NULL))
    g_error ("CS_STRESS_ITERATIONS=%s: expected a number from 1 to 100000", env);

  return (guint) n;
}

static void
check_round (void)
{
  guint64 n_handoffs = S.handoffs->len;

  /* every operation completed exactly once */
  for (guint i = 0; i < S.recs->len; i++)
    {
      Rec *rec = g_ptr_array_index (S.recs, i);

      g_assert_cmpint (g_atomic_int_get (&rec->done), ==, 1);
    }
  g_assert_cmpuint (S.pool->len, ==, 0);

  /* readers got only values that were written */
  {
    GHashTableIter iter;
    guint64 *id;

    g_hash_table_iter_init (&iter, S.received);
    while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
      if (*id != 0 && !set_contains (S.written, *id))
        g_error ("round %u: a reader got %" G_GUINT64_FORMAT ", which no successful write "
                 "wrote", S.round, *id);
  }

  /* no WAIT_FOR_READ write went unseen */
  if (!S.builtin_round)
    for (guint i = 0; i < S.handoffs->len; i++)
      {
        Rec *rec = g_ptr_array_index (S.handoffs, i);

        if (!set_contains (S.received, rec->id) && !set_contains (S.seen, rec->id))
          g_error ("round %u: WAIT_FOR_READ write %" G_GUINT64_FORMAT " succeeded, but no "
                   "reader received it or looked at it", S.round, rec->id);
      }

  g_assert_cmpuint (cs_accessor_get_n_waiting_reads (S.acc), ==, 0);
  g_assert_false (cs_accessor_has_waiting_read (S.acc));
  g_test_message ("round %u: %u operations, %" G_GUINT64_FORMAT " handoffs%s%s",
                  S.round, S.recs->len, n_handoffs,
                  S.builtin_round ? ", built-in predicates" : "",
                  S.closing_round ? ", closed" : "");
}

static void
test_stress (void)
{
  guint iterations = get_iterations ();

  g_mutex_init (&S.mutex);
  S.main_thread = g_thread_self ();
  /* Initialize the classes the threads use here: GLib's class set-up is
   * thread-safe, but ThreadSanitizer cannot see its synchronization (GLib is
   * not instrumented) and would report a class's parent_class pointer. */
  g_type_class_unref (g_type_class_ref (CS_TYPE_PREDICATE));
  S.condition = cs_condition_new ();
  main_rand = g_rand_new_with_seed (g_test_rand_int ());

  for (S.round = 0; S.round < iterations; S.round++)
    {
      GThread *threads[N_THREADS];
      Worker workers[N_THREADS];
      guint chaos_id;
      g_autoptr(CsAccessor) other = NULL;

      S.acc = cs_accessor_new_full (G_TYPE_UINT64, "stress", S.condition,
                                    NULL, NULL, NULL, NULL);
      /* another member of the group, so that notifications cross over */
      other = cs_accessor_new_full (G_TYPE_UINT64, "other", S.condition,
                                    NULL, NULL, NULL, NULL);
      S.builtin_round = S.round % 2 == 1;
      S.closing_round = S.round % 3 == 2;
      S.closed = FALSE;
      S.close_at = g_rand_int_range (main_rand, 0, N_THREADS * OPS_PER_THREAD / 4);
      S.recs = g_ptr_array_new_with_free_func (rec_free);
      S.pool = g_ptr_array_new_with_free_func (g_object_unref);
      S.written = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      S.received = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      S.seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
      S.handoffs = g_ptr_array_new ();
      g_atomic_int_set (&S.remaining, N_THREADS * OPS_PER_THREAD);
      g_atomic_int_set (&S.n_finished, 0);

      for (guint i = 0; i < N_THREADS; i++)
        {
          workers[i] = (Worker) { .index = i, .seed = g_test_rand_int () };
          workers[i].rand = g_rand_new_with_seed (workers[i].seed);
        }

      threads[0] = g_thread_new ("blocking-0", blocking_thread, &workers[0]);
      threads[1] = g_thread_new ("blocking-1", blocking_thread, &workers[1]);
      threads[2] = g_thread_new ("blocking-2", blocking_thread, &workers[2]);
      threads[3] = g_thread_new ("async", async_thread, &workers[3]);
      threads[4] = g_thread_new ("cancel", cancel_thread, &workers[4]);

      chaos_id = g_timeout_add (1, chaos_cb, NULL);
      while (g_atomic_int_get (&S.n_finished) < N_THREADS)
        g_main_context_iteration (NULL, TRUE);
      g_source_remove (chaos_id);

      for (guint i = 0; i < N_THREADS; i++)
        {
          g_thread_join (threads[i]);
          g_rand_free (workers[i].rand);
        }

      /* what the owner context still has to do (cancellations, callbacks) */
      cs_test_drain ();

      check_round ();

      if (g_rand_boolean (main_rand))
        cs_accessor_close (S.acc);
      cs_test_drain ();
      cs_test_assert_last_unref (&S.acc);

      g_clear_pointer (&S.recs, g_ptr_array_unref);
      g_clear_pointer (&S.pool, g_ptr_array_unref);
      g_clear_pointer (&S.written, g_hash_table_unref);
      g_clear_pointer (&S.received, g_hash_table_unref);
      g_clear_pointer (&S.seen, g_hash_table_unref);
      g_clear_pointer (&S.handoffs, g_ptr_array_unref);
    }

  g_test_message ("%" G_GUINT64_FORMAT " operations: %" G_GUINT64_FORMAT " values or writes, %"
                  G_GUINT64_FORMAT " cancelled, %" G_GUINT64_FORMAT " closed, %"
                  G_GUINT64_FORMAT " would block",
                  S.n_ops, S.n_values, S.n_cancelled, S.n_closed, S.n_would_block);
  g_assert_cmpuint (S.n_values, >, 0);

  g_rand_free (main_rand);
  g_clear_object (&S.condition);
  g_mutex_clear (&S.mutex);
}

/* }}} */

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/stress/threads", test_stress);

  return g_test_run ();
}
