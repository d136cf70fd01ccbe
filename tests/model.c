/* model.c: a reference model of the accessor semantics, and a driver that
 * runs operation sequences against it and against the library
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The model encodes the API contract (API.md, Semantics 1–9, 11 and 12, and
 * of 10 what one thread sees) as plain data: a handful of int accessors
 * (values, generations, freeze counts) and one record per operation (pending,
 * bound to a handoff, done with a result, delivered to its callback). It is
 * written from the contract, not from the implementation. Cancellations come
 * from the test between calls, and from completion callbacks, in the middle
 * of a main-loop run.
 *
 * Where the contract leaves a choice to the implementation, the model is
 * nondeterministic and the checker keeps every model state that agrees with
 * what the library did so far (a set of states, pruned after every
 * observation). The free choices are "silent" transitions that may happen
 * between any two calls into the library, or while the main loop runs:
 *
 *  - processing the cancellation of a pending operation (Semantics 7: the
 *    reader may still be satisfied by a write made before that);
 *  - applying the first queued WAIT_FOR_READ write of an accessor, while one
 *    of its readers is pending (Semantics 5), one at a time, in order; while
 *    notifications are frozen, no second handoff before the first was seen.
 *
 * Readers bound to a handoff (Semantics 5, last sentence): the readers
 * pending when a handoff is applied while the accessor's notifications are
 * frozen are bound to it (MOp.bound) until the thaw delivers it, or a later
 * write, which delivers it first, before overwriting it. A cancellation
 * cannot take a bound reader: it comes too late, as in Semantics 7. Each
 * bound reader then checks the handoff's value as usual: a default reader
 * receives it; a predicate reader that does not match
 * stays pending, unbound, unless it was cancelled meanwhile: then the
 * cancellation takes it there. A close first delivers the write held back by
 * the freeze, as the thaw would (Semantics 8), then fails what is left.
 * Whatever completes a reader cancelled while bound, its callback reports
 * that result, not the cancellation (MOp.too_late). (Unfrozen, a handoff
 * reaches its readers within the write, so binding shows nowhere.)
 *
 * No re-entrant callbacks (Semantics 12): a completion callback runs only
 * from the main loop, here the IDLE steps. One that runs inside any library
 * call the driver makes (a step's call, the cancellation a callback makes,
 * the counters read after a step, the teardown's unref), inside a signal
 * emission on an accessor, outside the main loop or on another thread is a
 * divergence, whatever its result.
 *
 * Within a main-loop run, callbacks may come in any order, except that
 * successful handoffs of one accessor report in the order they were applied.
 * An operation cancelled after it completed, before its callback ran, may
 * report the cancellation instead of its result (Semantics 7 for readers;
 * GIO's habit for the rest), except a write that was applied: it changed the
 * value, so it must say so. What is fixed and compared: the result of every
 * operation (value, or error domain and code), that every completion is
 * reported exactly once and only from the main loop, that a main-loop run
 * leaves nothing undone (cancellations of unbound operations processed,
 * handoffs applied while a reader waits, every callback run), and after every
 * step each accessor's value, generation, n-waiting-reads, closed, and the
 * number of notify::value, notify::generation and notify::has-waiting-read
 * emissions (Semantics 6, 9).
 *
 * Where the order of checks is open (a read with both flags on a closed
 * accessor), every applicable error is accepted.
 */

#include <string.h>

#include <codestare.h>

#include "cs-test-util.h"
#include "model.h"

#define MODEL_MAX_ACC      4
#define MODEL_MAX_OPS      (MODEL_MAX_STEPS + 16)
#define MODEL_MAX_FREEZE   2
#define MODEL_MAX_STATES   20000
#define MODEL_MAX_PENDING_CANCELS 3

#define MODEL_WRITER_ERROR (model_writer_error_quark ())
#define MODEL_WRITER_ERROR_NEGATIVE 7

static GQuark model_writer_error_quark (void);
G_DEFINE_QUARK (cs-model-writer-error-quark, model_writer_error)

/* Sequences {{{ */

void
model_sequence_init (ModelSequence *seq)
{
  memset (seq, 0, sizeof *seq);
  seq->steps = g_array_new (FALSE, TRUE, sizeof (ModelStep));
}

void
model_sequence_clear (ModelSequence *seq)
{
  g_clear_pointer (&seq->steps, g_array_unref);
}

void
model_sequence_copy (ModelSequence       *dest,
                     const ModelSequence *src)
{
  model_sequence_init (dest);
  dest->config = src->config;
  g_array_append_vals (dest->steps, src->steps->data, src->steps->len);
}

static const char *
pred_name (guint pred)
{
  switch (pred)
    {
    case MODEL_PRED_EQUAL:         return "equal";
    case MODEL_PRED_NOT_EQUAL:     return "not-equal";
    case MODEL_PRED_AT_LEAST:      return "at-least";
    case MODEL_PRED_OTHER_EQUAL:   return "other-equal";
    case MODEL_PRED_SAME_AS_OTHER: return "same-as";
    default:                       return "none";
    }
}

static const char *
cancellable_name (guint cancellable)
{
  switch (cancellable)
    {
    case MODEL_CANCELLABLE_FRESH:     return " cancellable";
    case MODEL_CANCELLABLE_CANCELLED: return " pre-cancelled";
    default:                          return "";
    }
}

static void
format_value (const ModelStep *st,
              GString         *out)
{
  switch (st->value_kind)
    {
    case MODEL_VALUE_DOUBLE:   g_string_append_printf (out, "%d.0 (double)", st->value); break;
    case MODEL_VALUE_UINT64:   g_string_append_printf (out, "%d (uint64)", st->value); break;
    case MODEL_VALUE_FRACTION: g_string_append_printf (out, "%d.5 (double)", st->value); break;
    case MODEL_VALUE_HUGE:     g_string_append (out, "2^40 (int64)"); break;
    case MODEL_VALUE_STRING:   g_string_append (out, "\"x\" (string)"); break;
    default:                   g_string_append_printf (out, "%d", st->value); break;
    }
}

static void
format_step (const ModelStep *st,
             guint            i,
             GString         *out)
{
  g_string_append_printf (out, "#%u ", i);

  switch (st->kind)
    {
    case MODEL_STEP_READ:
      g_string_append_printf (out, "read a%u flags=%s", st->acc,
                              (st->flags & 3) == 3 ? "WAIT|NO_WAIT" :
                              (st->flags & CS_GET_FLAGS_WAIT_FOR_WRITE) ? "WAIT_FOR_WRITE" :
                              (st->flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE) ? "NO_WAIT_FOR_WRITE" :
                              "NONE");
      if (st->pred == MODEL_PRED_OTHER_EQUAL)
        g_string_append_printf (out, " pred=a%u==%d", st->pred_other, st->pred_k);
      else if (st->pred == MODEL_PRED_SAME_AS_OTHER)
        g_string_append_printf (out, " pred=value==a%u", st->pred_other);
      else if (st->pred != MODEL_PRED_NONE)
        g_string_append_printf (out, " pred=%s(%d)", pred_name (st->pred), st->pred_k);
      break;
    case MODEL_STEP_WRITE:
    case MODEL_STEP_SET_SYNC:
      g_string_append_printf (out, "%s a%u ",
                              st->kind == MODEL_STEP_SET_SYNC ? "set-sync" :
                              (st->flags & CS_SET_FLAGS_WAIT_FOR_READ) ? "write-wait-for-read" :
                              "write", st->acc);
      format_value (st, out);
      break;
    case MODEL_STEP_WAIT_READ:
      g_string_append_printf (out, "wait-for-read a%u", st->acc);
      break;
    case MODEL_STEP_CANCEL:
      g_string_append_printf (out, "cancel #%u", st->target);
      break;
    case MODEL_STEP_NOTIFY_ALL:
      g_string_append_printf (out, "notify-all (condition of a%u)", st->acc);
      break;
    case MODEL_STEP_FREEZE:
      g_string_append_printf (out, "freeze a%u", st->acc);
      break;
    case MODEL_STEP_THAW:
      g_string_append_printf (out, "thaw a%u", st->acc);
      break;
    case MODEL_STEP_CLOSE:
      g_string_append_printf (out, "close a%u", st->acc);
      break;
    case MODEL_STEP_IDLE:
      g_string_append (out, "idle");
      break;
    default:
      g_string_append (out, "?");
      break;
    }

  g_string_append (out, cancellable_name (st->cancellable));
  if (st->then_cancel != 0)
    g_string_append_printf (out, ", its callback cancels #%u", st->then_cancel - 1);
}

void
model_sequence_format (const ModelSequence *seq,
                       GString             *out)
{
  g_string_append_printf (out, "config: a0..a%u share a condition%s%s\n",
                          seq->config.n_group - 1,
                          seq->config.has_lone ? ", the next one has its own" : "",
                          seq->config.rejecting >= 0 ? "" : ", no rejecting writer");
  if (seq->config.rejecting >= 0)
    g_string_append_printf (out, "        a%d has a writer rejecting negative values\n",
                            seq->config.rejecting);

  for (guint i = 0; i < seq->steps->len; i++)
    {
      g_string_append (out, "  ");
      format_step (&g_array_index (seq->steps, ModelStep, i), i, out);
      g_string_append_c (out, '\n');
    }
}

/* }}} */

/* Generating sequences {{{ */

/* The source of choices: a GRand, or the bytes of a fuzzer input. */
typedef struct
{
  GRand        *rand;
  const guint8 *data;
  gsize         size;
  gsize         pos;
} Chooser;

static guint
choose (Chooser *c,
        guint    n)
{
  if (n <= 1)
    return 0;
  if (c->rand != NULL)
    return g_rand_int_range (c->rand, 0, n);
  if (c->pos >= c->size)
    return 0;
  return c->data[c->pos++] % n;
}

static guint
choose_weighted (Chooser     *c,
                 const guint *weights,
                 guint        n)
{
  guint total = 0, r;

  for (guint i = 0; i < n; i++)
    total += weights[i];

  r = choose (c, total);
  for (guint i = 0; i < n; i++)
    {
      if (r < weights[i])
        return i;
      r -= weights[i];
    }

  return n - 1;
}

static gboolean
is_op_step (guint kind)
{
  return kind == MODEL_STEP_READ || kind == MODEL_STEP_WRITE ||
         kind == MODEL_STEP_SET_SYNC || kind == MODEL_STEP_WAIT_READ;
}

/* A recent operation of @seq (before step @i) that has a cancellable of its
 * own, or -1. */
static gint
choose_cancellable_op (Chooser             *c,
                       const ModelSequence *seq,
                       guint                i)
{
  guint candidates[8];
  guint n = 0;

  for (guint j = i; j-- > 0 && n < G_N_ELEMENTS (candidates);)
    {
      const ModelStep *prev = &g_array_index (seq->steps, ModelStep, j);

      if (is_op_step (prev->kind) && prev->cancellable == MODEL_CANCELLABLE_FRESH)
        candidates[n++] = j;
    }

  if (n == 0)
    return -1;

  return candidates[choose (c, n)];
}

static void
choose_value (Chooser   *c,
              ModelStep *st)
{
  static const guint kinds[MODEL_N_VALUE_KINDS] = { 80, 6, 4, 4, 3, 3 };

  st->value_kind = choose_weighted (c, kinds, MODEL_N_VALUE_KINDS);
  /* -1 .. 5: small, so that predicates match often */
  st->value = (gint8) choose (c, 7) - 1;
  if (st->value_kind == MODEL_VALUE_UINT64 && st->value < 0)
    st->value = 0;
}

static void
generate (ModelSequence *seq,
          Chooser       *c,
          guint          length)
{
  static const guint kinds[MODEL_N_STEP_KINDS] = {
    [MODEL_STEP_READ] = 28,
    [MODEL_STEP_WRITE] = 26,
    [MODEL_STEP_SET_SYNC] = 3,
    [MODEL_STEP_WAIT_READ] = 4,
    [MODEL_STEP_CANCEL] = 9,
    [MODEL_STEP_NOTIFY_ALL] = 4,
    [MODEL_STEP_FREEZE] = 3,
    [MODEL_STEP_THAW] = 4,
    [MODEL_STEP_CLOSE] = 1,
    [MODEL_STEP_IDLE] = 14,
  };
  static const guint get_flags[4] = { 40, 25, 28, 7 };
  static const guint preds[MODEL_N_PREDS] = { 30, 20, 10, 15, 12, 13 };
  guint freeze[MODEL_MAX_ACC] = { 0 };
  guint n_acc, cancels = 0;

  seq->config.n_group = 2 + choose (c, 2);
  seq->config.has_lone = choose (c, 2);
  seq->config.rejecting = (gint8) choose (c, seq->config.n_group + 1) - 1;
  n_acc = seq->config.n_group + seq->config.has_lone;

  length = MIN (length, MODEL_MAX_STEPS);

  while (seq->steps->len < length && (c->rand != NULL || c->pos < c->size))
    {
      ModelStep st = { 0 };
      guint i = seq->steps->len;

      st.kind = choose_weighted (c, kinds, MODEL_N_STEP_KINDS);
      st.acc = choose (c, n_acc);

      switch (st.kind)
        {
        case MODEL_STEP_READ:
          {
            static const guint cancellables[3] = { 55, 40, 5 };
            static const guint8 flag_values[4] = {
              CS_GET_FLAGS_NONE, CS_GET_FLAGS_WAIT_FOR_WRITE, CS_GET_FLAGS_NO_WAIT_FOR_WRITE,
              CS_GET_FLAGS_WAIT_FOR_WRITE | CS_GET_FLAGS_NO_WAIT_FOR_WRITE,
            };

            st.flags = flag_values[choose_weighted (c, get_flags, 4)];
            st.pred = choose_weighted (c, preds, MODEL_N_PREDS);
            st.pred_k = (gint8) choose (c, 6);
            st.pred_other = (st.acc + 1 + choose (c, seq->config.n_group - 1)) %
                            seq->config.n_group;
            if (st.pred >= MODEL_PRED_OTHER_EQUAL && st.acc >= seq->config.n_group)
              st.pred = MODEL_PRED_EQUAL;
            if (st.pred < MODEL_PRED_OTHER_EQUAL)
              st.pred_other = 0;
            if (st.pred == MODEL_PRED_NONE)
              st.pred_k = 0;
            st.cancellable = choose_weighted (c, cancellables, 3);
          }
          break;

        case MODEL_STEP_WRITE:
          {
            static const guint plain[3] = { 80, 15, 5 };
            static const guint handoff[3] = { 50, 45, 5 };

            st.flags = choose (c, 10) < 4 ? CS_SET_FLAGS_WAIT_FOR_READ : CS_SET_FLAGS_NONE;
            choose_value (c, &st);
            st.cancellable = choose_weighted (c, st.flags ? handoff : plain, 3);
          }
          break;

        case MODEL_STEP_SET_SYNC:
          choose_value (c, &st);
          st.cancellable = choose (c, 10) == 0 ? MODEL_CANCELLABLE_CANCELLED
                                                : MODEL_CANCELLABLE_NONE;
          break;

        case MODEL_STEP_WAIT_READ:
          {
            static const guint cancellables[3] = { 60, 35, 5 };

            st.cancellable = choose_weighted (c, cancellables, 3);
          }
          break;

        case MODEL_STEP_CANCEL:
          {
            gint target = choose_cancellable_op (c, seq, i);

            if (target < 0 || cancels >= MODEL_MAX_PENDING_CANCELS)
              st.kind = MODEL_STEP_IDLE;
            else
              st.target = target;
            st.acc = 0;
          }
          break;

        case MODEL_STEP_FREEZE:
          if (freeze[st.acc] >= MODEL_MAX_FREEZE)
            st.kind = MODEL_STEP_THAW;
          break;

        case MODEL_STEP_THAW:
          if (freeze[st.acc] == 0)
            st.kind = MODEL_STEP_FREEZE;
          break;

        default:
          break;
        }

      /* Sometimes the completion callback cancels another operation: a
       * cancellation in the middle of a main-loop run. */
      if (is_op_step (st.kind) && st.kind != MODEL_STEP_SET_SYNC && choose (c, 10) == 0)
        {
          gint target = choose_cancellable_op (c, seq, i);

          if (target >= 0 && cancels < MODEL_MAX_PENDING_CANCELS)
            {
              st.then_cancel = target + 1;
              cancels++;
            }
        }

      /* Bound the cancellations not yet processed: each one doubles the
       * model states until the next main-loop run. */
      if (st.kind == MODEL_STEP_CANCEL ||
          (is_op_step (st.kind) && st.cancellable == MODEL_CANCELLABLE_CANCELLED))
        {
          if (cancels >= MODEL_MAX_PENDING_CANCELS)
            {
              st = (ModelStep) { .kind = MODEL_STEP_IDLE };
            }
          else
            cancels++;
        }
      if (st.kind == MODEL_STEP_IDLE)
        cancels = 0;

      if (st.kind == MODEL_STEP_FREEZE)
        freeze[st.acc]++;
      else if (st.kind == MODEL_STEP_THAW)
        freeze[st.acc]--;

      g_array_append_val (seq->steps, st);
    }
}

void
model_sequence_random (ModelSequence *seq,
                       GRand         *rand,
                       guint          length)
{
  Chooser c = { .rand = rand };

  generate (seq, &c, length);
}

void
model_sequence_decode (ModelSequence *seq,
                       const guint8  *data,
                       gsize          size)
{
  Chooser c = { .data = data, .size = size };

  generate (seq, &c, MODEL_MAX_STEPS);
}

/* }}} */

/* The model {{{ */

typedef enum
{
  OP_NOT_STARTED,
  OP_PENDING,
  OP_DONE,
} OpStatus;

typedef enum
{
  RES_NONE,
  RES_VALUE,
  RES_TRUE,
  RES_ERROR,
} ResKind;

typedef enum
{
  ERR_NONE,
  ERR_INVALID_ARGUMENT,   /* G_IO_ERROR */
  ERR_CANCELLED,          /* G_IO_ERROR */
  ERR_WOULD_BLOCK,        /* G_IO_ERROR */
  ERR_CLOSED,             /* CS_ACCESSOR_ERROR */
  ERR_INVALID_VALUE,      /* CS_ACCESSOR_ERROR */
  ERR_READ_ONLY,          /* CS_ACCESSOR_ERROR */
  ERR_FAILED,             /* CS_ACCESSOR_ERROR */
  ERR_WRITER,             /* the rejecting writer's own error */
  ERR_OTHER,
  N_ERRS
} ErrKind;

typedef struct
{
  guint8 res;       /* ResKind */
  guint8 error;     /* ErrKind */
  gint16 value;
} Result;

typedef struct
{
  guint8  status;     /* OpStatus */
  guint8  delivered;  /* its callback ran */
  guint8  armed;      /* WAIT_FOR_WRITE: a write made after the call was dispatched */
  guint8  bound;      /* a pending reader bound to the handoff its accessor holds
                       * back (MAcc.handoff_unseen): no cancellation takes it */
  guint8  too_late;   /* done while bound, after it was cancelled: its result
                       * stands (the cancellation came too late) */
  guint8  pad[3];
  Result  result;
  guint32 start_gen;  /* readers: the generation when the call was made */
} MOp;

typedef struct
{
  gint32  value;
  guint32 generation;
  guint32 gen_at_freeze;
  guint16 n_value_notifies;   /* = notify::generation emissions */
  guint16 n_has_notifies;
  guint8  closed;
  guint8  freeze;
  guint8  handoff_unseen;     /* frozen, with a handoff applied since the freeze:
                               * the readers pending then are bound to it until
                               * the thaw */
  guint8  has_notify_queued;  /* has-waiting-read changed while frozen */
} MAcc;

/* Compared and hashed as bytes, up to ops[n_used]: always zero-initialized. */
typedef struct
{
  guint32 n_used;
  MAcc    acc[MODEL_MAX_ACC];
  MOp     ops[MODEL_MAX_OPS];
} MState;

typedef struct
{
  const ModelConfig *config;
  guint              n_acc;
  const ModelStep   *steps;
  guint              n_steps;
  guint              n_seq_steps;   /* the rest is the teardown */
  gboolean           cancelled[MODEL_MAX_OPS];
  GPtrArray         *states;        /* MState*, a set */
  gboolean           exploded;
} Model;

static gsize
state_size (const MState *s)
{
  return G_STRUCT_OFFSET (MState, ops) + s->n_used * sizeof (MOp);
}

static guint
state_hash (gconstpointer key)
{
  const MState *s = key;
  const guint8 *p = key;
  gsize n = state_size (s);
  guint32 h = 2166136261u;

  for (gsize i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;

  return h;
}

static gboolean
state_equal (gconstpointer a,
             gconstpointer b)
{
  const MState *sa = a, *sb = b;

  return sa->n_used == sb->n_used && memcmp (sa, sb, state_size (sa)) == 0;
}

static MState *
state_dup (const MState *s)
{
  return g_memdup2 (s, sizeof *s);
}

static gboolean
same_condition (const Model *m,
                guint        a,
                guint        b)
{
  return (a < m->config->n_group) == (b < m->config->n_group);
}

/* The int a write stores, if the value converts (Semantics 11). */
static gboolean
step_int_value (const ModelStep *st,
                gint            *v)
{
  switch (st->value_kind)
    {
    case MODEL_VALUE_INT:
    case MODEL_VALUE_DOUBLE:
      *v = st->value;
      return TRUE;
    case MODEL_VALUE_UINT64:
      *v = MAX (st->value, 0);
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_handoff (const ModelStep *st)
{
  return st->kind == MODEL_STEP_WRITE && (st->flags & CS_SET_FLAGS_WAIT_FOR_READ);
}

static guint
n_pending_reads (const Model  *m,
                 const MState *s,
                 guint         a)
{
  guint n = 0;

  for (guint i = 0; i < s->n_used; i++)
    if (s->ops[i].status == OP_PENDING && m->steps[i].kind == MODEL_STEP_READ &&
        m->steps[i].acc == a)
      n++;

  return n;
}

/* The first queued WAIT_FOR_READ write of accessor @a, or -1. */
static gint
queued_handoff (const Model  *m,
                const MState *s,
                guint         a)
{
  for (guint i = 0; i < s->n_used; i++)
    if (s->ops[i].status == OP_PENDING && is_handoff (&m->steps[i]) && m->steps[i].acc == a)
      return i;

  return -1;
}

static gboolean
pred_eval (const Model     *m,
           const MState    *s,
           const ModelStep *st,
           gint             v)
{
  switch (st->pred)
    {
    case MODEL_PRED_EQUAL:         return v == st->pred_k;
    case MODEL_PRED_NOT_EQUAL:     return v != st->pred_k;
    case MODEL_PRED_AT_LEAST:      return v >= st->pred_k;
    case MODEL_PRED_OTHER_EQUAL:   return s->acc[st->pred_other].value == st->pred_k;
    case MODEL_PRED_SAME_AS_OTHER: return v == s->acc[st->pred_other].value;
    default:                       return TRUE;
    }
}

static void
complete (const Model *m,
          MState      *s,
          guint        i,
          guint8       res,
          guint8       error,
          gint         value)
{
  s->ops[i].status = OP_DONE;
  s->ops[i].too_late = s->ops[i].bound && m->cancelled[i];
  s->ops[i].bound = FALSE;
  s->ops[i].result.res = res;
  s->ops[i].result.error = error;
  s->ops[i].result.value = (gint16) value;
}

/* has-waiting-read notifies on every change (Semantics 6); while frozen,
 * GObject queues it and emits it once at the thaw. */
typedef struct
{
  gboolean has[MODEL_MAX_ACC];
} HasSnapshot;

static void
snapshot_has (const Model  *m,
              const MState *s,
              HasSnapshot  *snap)
{
  for (guint a = 0; a < m->n_acc; a++)
    snap->has[a] = n_pending_reads (m, s, a) > 0;
}

static void
note_has (const Model       *m,
          MState            *s,
          const HasSnapshot *snap)
{
  for (guint a = 0; a < m->n_acc; a++)
    {
      gboolean has = n_pending_reads (m, s, a) > 0;

      if (has == snap->has[a])
        continue;
      if (s->acc[a].freeze > 0)
        s->acc[a].has_notify_queued = TRUE;
      else
        s->acc[a].n_has_notifies++;
    }
}

/* Re-checks the predicates of @b's readers after a change elsewhere in its
 * group, or a notify_all (Semantics 2, 3): readers without a predicate, and
 * WAIT_FOR_WRITE readers before their first write, are not concerned. */
static void
recheck (const Model *m,
         MState      *s,
         guint        b)
{
  gint v = s->acc[b].value;

  for (guint i = 0; i < s->n_used; i++)
    {
      const ModelStep *st = &m->steps[i];

      if (st->kind != MODEL_STEP_READ || st->acc != b || s->ops[i].status != OP_PENDING)
        continue;
      if (st->pred == MODEL_PRED_NONE)
        continue;
      if ((st->flags & CS_GET_FLAGS_WAIT_FOR_WRITE) && !s->ops[i].armed)
        continue;
      if (pred_eval (m, s, st, v))
        complete (m, s, i, RES_VALUE, ERR_NONE, v);
    }
}

/* The notification of a write to @a (at the write, or at the thaw): every
 * reader that was waiting before that write sees the value, then the rest of
 * the group is re-checked (Semantics 1–4, 9). The readers bound to a handoff
 * are among the first; those it does not complete are unbound, and those
 * cancelled meanwhile complete with the cancellation (Semantics 5). */
static void
dispatch_write (const Model *m,
                MState      *s,
                guint        a,
                gboolean     notified)
{
  gint v = s->acc[a].value;
  guint32 gen = s->acc[a].generation;

  if (notified)
    s->acc[a].n_value_notifies++;

  for (guint i = 0; i < s->n_used; i++)
    {
      const ModelStep *st = &m->steps[i];

      if (st->kind != MODEL_STEP_READ || st->acc != a || s->ops[i].status != OP_PENDING)
        continue;
      if (s->ops[i].start_gen >= gen)
        continue;
      s->ops[i].armed = TRUE;
      if (st->pred == MODEL_PRED_NONE || pred_eval (m, s, st, v))
        complete (m, s, i, RES_VALUE, ERR_NONE, v);
      else if (s->ops[i].bound && m->cancelled[i])
        {
          /* cancelled meanwhile: now the cancellation takes it */
          s->ops[i].bound = FALSE;
          complete (m, s, i, RES_ERROR, ERR_CANCELLED, 0);
        }
      else
        s->ops[i].bound = FALSE;
    }

  for (guint b = 0; b < m->n_acc; b++)
    if (b != a && same_condition (m, a, b))
      recheck (m, s, b);
}

static gboolean
has_bound_reader (const Model  *m,
                  const MState *s,
                  guint         a)
{
  for (guint i = 0; i < s->n_used; i++)
    if (s->ops[i].status == OP_PENDING && s->ops[i].bound && m->steps[i].acc == a)
      return TRUE;

  return FALSE;
}

/* A handoff held back by the freeze reaches its bound readers before a
 * write overwrites it (Semantics 5: none is applied unseen). */
static void
deliver_held_handoff (const Model *m,
                      MState      *s,
                      guint        a)
{
  if (s->acc[a].freeze > 0 && s->acc[a].handoff_unseen && has_bound_reader (m, s, a))
    {
      dispatch_write (m, s, a, FALSE);
      s->acc[a].handoff_unseen = FALSE;
    }
}

/* A successful write to @a. Frozen, it waits for the thaw (Semantics 4),
 * and a handoff binds the readers pending now (Semantics 5). */
static void
apply_write (const Model *m,
             MState      *s,
             guint        a,
             gint         v,
             gboolean     handoff)
{
  deliver_held_handoff (m, s, a);

  s->acc[a].value = v;
  s->acc[a].generation++;

  if (s->acc[a].freeze == 0)
    {
      dispatch_write (m, s, a, TRUE);
      return;
    }

  if (!handoff)
    return;

  s->acc[a].handoff_unseen = TRUE;
  for (guint i = 0; i < s->n_used; i++)
    if (s->ops[i].status == OP_PENDING && m->steps[i].kind == MODEL_STEP_READ &&
        m->steps[i].acc == a)
      s->ops[i].bound = TRUE;
}

static void
push_errors (const Model  *m,
             const MState *in,
             guint         i,
             guint         errs,
             GPtrArray    *out)
{
  for (guint e = 1; e < N_ERRS; e++)
    {
      MState *s;

      if (!(errs & (1u << e)))
        continue;
      s = state_dup (in);
      /* the write function ran, and rejected the value: the handoff held
       * back by the freeze was delivered first, as for any write */
      if (e == ERR_WRITER)
        {
          HasSnapshot snap;

          snapshot_has (m, s, &snap);
          deliver_held_handoff (m, s, m->steps[i].acc);
          note_has (m, s, &snap);
        }
      complete (m, s, i, RES_ERROR, e, 0);
      g_ptr_array_add (out, s);
    }
}

/* Step @i, a call made by the test, applied to @in: the successor states
 * (more than one when the contract allows several errors) go to @out. */
static void
model_apply_step (const Model  *m,
                  const MState *in,
                  guint         i,
                  GPtrArray    *out)
{
  const ModelStep *st = &m->steps[i];
  guint a = st->acc;
  gboolean pre_cancelled = st->cancellable == MODEL_CANCELLABLE_CANCELLED;
  HasSnapshot snap;
  guint errs = 0;
  MState *s;
  gint v = 0;

  switch (st->kind)
    {
    case MODEL_STEP_READ:
      if ((st->flags & CS_GET_FLAGS_WAIT_FOR_WRITE) &&
          (st->flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE))
        errs |= 1u << ERR_INVALID_ARGUMENT;
      if (pre_cancelled)
        errs |= 1u << ERR_CANCELLED;
      if (in->acc[a].closed)
        errs |= 1u << ERR_CLOSED;
      if (errs != 0)
        {
          push_errors (m, in, i, errs, out);
          return;
        }

      s = state_dup (in);
      v = s->acc[a].value;
      if (st->pred == MODEL_PRED_NONE ? (st->flags & CS_GET_FLAGS_NO_WAIT_FOR_WRITE) != 0
                                      : (!(st->flags & CS_GET_FLAGS_WAIT_FOR_WRITE) &&
                                         pred_eval (m, s, st, v)))
        {
          /* completes at once, never counts (Semantics 2, 3, 6) */
          complete (m, s, i, RES_VALUE, ERR_NONE, v);
        }
      else
        {
          snapshot_has (m, s, &snap);
          s->ops[i].status = OP_PENDING;
          s->ops[i].start_gen = s->acc[a].generation;
          /* wait_for_read_async completes as soon as a reader waits */
          for (guint j = 0; j < i; j++)
            if (s->ops[j].status == OP_PENDING && m->steps[j].kind == MODEL_STEP_WAIT_READ &&
                m->steps[j].acc == a)
              complete (m, s, j, RES_TRUE, ERR_NONE, 0);
          note_has (m, s, &snap);
        }
      g_ptr_array_add (out, s);
      break;

    case MODEL_STEP_WRITE:
    case MODEL_STEP_SET_SYNC:
      if (pre_cancelled)
        errs |= 1u << ERR_CANCELLED;
      if (in->acc[a].closed)
        errs |= 1u << ERR_CLOSED;
      if (!step_int_value (st, &v))
        errs |= 1u << ERR_INVALID_VALUE;
      else if (!is_handoff (st) && (gint) a == m->config->rejecting && v < 0)
        errs |= 1u << ERR_WRITER;
      if (errs != 0)
        {
          push_errors (m, in, i, errs, out);
          return;
        }

      s = state_dup (in);
      if (is_handoff (st))
        {
          /* queued; the silent transitions apply it */
          s->ops[i].status = OP_PENDING;
        }
      else
        {
          snapshot_has (m, s, &snap);
          apply_write (m, s, a, v, FALSE);
          complete (m, s, i, RES_TRUE, ERR_NONE, 0);
          note_has (m, s, &snap);
        }
      g_ptr_array_add (out, s);
      break;

    case MODEL_STEP_WAIT_READ:
      if (pre_cancelled)
        errs |= 1u << ERR_CANCELLED;
      if (in->acc[a].closed)
        errs |= 1u << ERR_CLOSED;
      if (errs != 0)
        {
          push_errors (m, in, i, errs, out);
          return;
        }

      s = state_dup (in);
      if (n_pending_reads (m, s, a) > 0)
        complete (m, s, i, RES_TRUE, ERR_NONE, 0);
      else
        s->ops[i].status = OP_PENDING;
      g_ptr_array_add (out, s);
      break;

    case MODEL_STEP_NOTIFY_ALL:
      s = state_dup (in);
      snapshot_has (m, s, &snap);
      for (guint b = 0; b < m->n_acc; b++)
        if (same_condition (m, a, b))
          recheck (m, s, b);
      note_has (m, s, &snap);
      g_ptr_array_add (out, s);
      break;

    case MODEL_STEP_FREEZE:
      s = state_dup (in);
      if (s->acc[a].freeze++ == 0)
        {
          s->acc[a].gen_at_freeze = s->acc[a].generation;
          s->acc[a].handoff_unseen = FALSE;
        }
      g_ptr_array_add (out, s);
      break;

    case MODEL_STEP_THAW:
      s = state_dup (in);
      if (s->acc[a].freeze > 0 && --s->acc[a].freeze == 0)
        {
          s->acc[a].handoff_unseen = FALSE;
          if (s->acc[a].has_notify_queued)
            {
              s->acc[a].has_notify_queued = FALSE;
              s->acc[a].n_has_notifies++;
            }
          /* the writes made while frozen coalesce: one notification */
          if (s->acc[a].generation != s->acc[a].gen_at_freeze)
            {
              snapshot_has (m, s, &snap);
              dispatch_write (m, s, a, TRUE);
              note_has (m, s, &snap);
            }
        }
      g_ptr_array_add (out, s);
      break;

    case MODEL_STEP_CLOSE:
      s = state_dup (in);
      if (!s->acc[a].closed)
        {
          snapshot_has (m, s, &snap);
          /* a write applied while frozen reaches its readers before the
           * close (Semantics 8); its notify::value still waits for the
           * thaw */
          if (s->acc[a].freeze > 0 && s->acc[a].generation != s->acc[a].gen_at_freeze)
            dispatch_write (m, s, a, FALSE);
          s->acc[a].closed = TRUE;
          for (guint j = 0; j < i; j++)
            if (s->ops[j].status == OP_PENDING && m->steps[j].acc == a)
              complete (m, s, j, RES_ERROR, ERR_CLOSED, 0);
          note_has (m, s, &snap);
        }
      g_ptr_array_add (out, s);
      break;

    case MODEL_STEP_CANCEL:
    case MODEL_STEP_IDLE:
    default:
      g_ptr_array_add (out, state_dup (in));
      break;
    }
}

static gboolean
handoff_enabled (const Model  *m,
                 const MState *s,
                 guint         a)
{
  return !s->acc[a].closed &&
         queued_handoff (m, s, a) >= 0 &&
         n_pending_reads (m, s, a) > 0 &&
         !(s->acc[a].freeze > 0 && s->acc[a].handoff_unseen);
}

/* The silent transitions out of @s (see the top of the file). */
static void
model_successors (const Model  *m,
                  const MState *s,
                  GPtrArray    *out)
{
  HasSnapshot snap;

  for (guint i = 0; i < s->n_used; i++)
    {
      MState *t;

      /* too late for a bound reader: it checks its handoff first */
      if (s->ops[i].status != OP_PENDING || !m->cancelled[i] || s->ops[i].bound)
        continue;

      t = state_dup (s);
      snapshot_has (m, t, &snap);
      complete (m, t, i, RES_ERROR, ERR_CANCELLED, 0);
      note_has (m, t, &snap);
      g_ptr_array_add (out, t);
    }

  for (guint a = 0; a < m->n_acc; a++)
    {
      MState *t;
      gint head, v = 0;

      if (!handoff_enabled (m, s, a))
        continue;

      head = queued_handoff (m, s, a);
      t = state_dup (s);
      snapshot_has (m, t, &snap);
      step_int_value (&m->steps[head], &v);
      if ((gint) a == m->config->rejecting && v < 0)
        {
          /* the writer rejects it: nothing changes */
          complete (m, t, head, RES_ERROR, ERR_WRITER, 0);
        }
      else
        {
          apply_write (m, t, a, v, TRUE);
          complete (m, t, head, RES_TRUE, ERR_NONE, 0);
        }
      note_has (m, t, &snap);
      g_ptr_array_add (out, t);
    }
}

/* Replaces m->states by the successors of @states under step @i, closed
 * under the silent transitions. */
static void model_close (Model     *m,
                         GPtrArray *next);

static void
model_advance (Model *m,
               guint  i)
{
  g_autoptr(GPtrArray) next = g_ptr_array_new ();

  for (guint k = 0; k < m->states->len; k++)
    {
      MState *s = g_ptr_array_index (m->states, k);

      s->n_used = i + 1;
      model_apply_step (m, s, i, next);
    }

  model_close (m, next);
}

/* Replaces m->states by @next (whose states it takes) closed under the silent
 * transitions. */
static void
model_close (Model     *m,
             GPtrArray *next)
{
  g_autoptr(GPtrArray) closed = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (state_hash, state_equal);

  /* next is a work list: states not seen yet are kept and expanded */
  for (guint k = 0; k < next->len; k++)
    {
      MState *s = g_ptr_array_index (next, k);

      if (g_hash_table_contains (seen, s) || m->exploded)
        {
          g_free (s);
          continue;
        }

      g_hash_table_add (seen, s);
      g_ptr_array_add (closed, s);
      if (closed->len > MODEL_MAX_STATES)
        m->exploded = TRUE;
      else
        model_successors (m, s, next);
    }

  g_ptr_array_set_size (next, 0);
  g_clear_pointer (&m->states, g_ptr_array_unref);
  m->states = g_steal_pointer (&closed);
}

/* A cancellation requested while the main loop runs: the states so far may
 * now also process it. */
static void
model_cancel (Model *m,
              guint  op)
{
  g_autoptr(GPtrArray) next = g_ptr_array_new ();

  m->cancelled[op] = TRUE;
  for (guint k = 0; k < m->states->len; k++)
    g_ptr_array_add (next, state_dup (g_ptr_array_index (m->states, k)));
  model_close (m, next);
}

static gboolean
result_equal (const Result *a,
              const Result *b)
{
  return a->res == b->res && a->error == b->error &&
         (a->res != RES_VALUE || a->value == b->value);
}

/* Whether operation @i, done in @s, may report its cancellation instead of
 * its result: it was cancelled before its callback ran (Semantics 7: a
 * reader either gets the value or the cancellation). Not a reader the
 * cancellation came too late for, as it was bound to a handoff (Semantics 5),
 * nor a write that was applied: it changed the value, so it must say so. */
static gboolean
may_report_cancelled (const Model  *m,
                      const MState *s,
                      guint         i)
{
  const ModelStep *st = &m->steps[i];

  if (!m->cancelled[i] || s->ops[i].status != OP_DONE || s->ops[i].too_late)
    return FALSE;

  return !((st->kind == MODEL_STEP_WRITE || st->kind == MODEL_STEP_SET_SYNC) &&
           s->ops[i].result.res == RES_TRUE);
}

/* Handoffs go one at a time, in order (Semantics 5): so do their callbacks,
 * all from the main loop (Semantics 12). The applied handoff of the same
 * accessor whose callback must run before that of handoff @i, or -1. */
static gint
earlier_handoff (const Model  *m,
                 const MState *s,
                 guint         i)
{
  for (guint j = 0; j < i; j++)
    if (is_handoff (&m->steps[j]) && m->steps[j].acc == m->steps[i].acc &&
        s->ops[j].status == OP_DONE && s->ops[j].result.res == RES_TRUE &&
        !s->ops[j].delivered)
      return j;

  return -1;
}

/* Whether the completion @obs of operation @i is one that @s allows now. */
static gboolean
state_accepts (const Model  *m,
               const MState *s,
               guint         i,
               const Result *obs)
{
  const ModelStep *st = &m->steps[i];
  const MOp *op = &s->ops[i];

  if (op->status != OP_DONE || op->delivered)
    return FALSE;

  if (!result_equal (&op->result, obs) &&
      !(obs->res == RES_ERROR && obs->error == ERR_CANCELLED && may_report_cancelled (m, s, i)))
    return FALSE;

  return !(is_handoff (st) && obs->res == RES_TRUE && earlier_handoff (m, s, i) >= 0);
}

/* What a main-loop run must leave done. */
static gboolean
state_quiescent (const Model  *m,
                 const MState *s)
{
  for (guint i = 0; i < s->n_used; i++)
    {
      if (s->ops[i].status == OP_PENDING && m->cancelled[i] && !s->ops[i].bound)
        return FALSE;
      if (s->ops[i].status == OP_DONE && !s->ops[i].delivered)
        return FALSE;
    }

  for (guint a = 0; a < m->n_acc; a++)
    if (s->acc[a].freeze == 0 && handoff_enabled (m, s, a))
      return FALSE;

  return TRUE;
}

/* }}} */

/* The library side {{{ */

/* Where a completion callback ran. Only the first is right (Semantics 12);
 * the others name the library call, emission or thread it ran inside. */
typedef enum
{
  PLACE_MAIN_LOOP,        /* the main loop (or, for set-sync, the driver) */
  PLACE_STEP,             /* the library call of step `arg` */
  PLACE_CALLBACK_CANCEL,  /* g_cancellable_cancel() in the callback of operation `arg` */
  PLACE_COUNTERS,         /* the getters the driver reads on accessor `arg` */
  PLACE_UNREF,            /* the teardown's g_object_unref() of accessor `arg` */
  PLACE_EMISSION,         /* a signal emission (Obs.emission) */
  PLACE_NO_MAIN_LOOP,     /* no main loop runs on this thread */
  PLACE_OTHER_THREAD,     /* not the driver's thread */
} Place;

typedef struct
{
  guint    op;
  Result   result;
  guint8   place;       /* Place */
  guint    place_arg;
  char    *detail;      /* an unexpected value type, an unknown error */
  char    *emission;    /* the signal emission it ran inside, if any */
} Obs;

/* Shared with the callbacks; outlives a run if the library drops one. */
typedef struct
{
  GArray  *obs;         /* Obs */
  GThread *thread;      /* the driver's */
  guint8   call;        /* Place: the library call the driver is in, if any */
  guint    call_arg;
  gpointer instances[MODEL_MAX_ACC + 1];  /* the accessors, then the group's
                                           * condition; unowned, cleared before
                                           * the teardown's unref */
} Log;

typedef struct
{
  Log          *log;
  guint         op;
  GCancellable *then_cancel;
} CallbackData;

typedef struct
{
  guint        n_acc;
  CsCondition *condition;
  CsAccessor  *acc[MODEL_MAX_ACC];
  guint        frozen[MODEL_MAX_ACC];
  guint        n_value_notifies[MODEL_MAX_ACC];
  guint        n_gen_notifies[MODEL_MAX_ACC];
  guint        n_has_notifies[MODEL_MAX_ACC];
  GCancellable *cancellables[MODEL_MAX_OPS];
  Log         *log;
} Lib;

typedef struct
{
  gint32   value;
  guint64  generation;
  guint    n_waiting;
  gboolean closed;
  guint    n_value_notifies;
  guint    n_gen_notifies;
  guint    n_has_notifies;
} LibCounters;

static void
obs_clear (gpointer data)
{
  Obs *obs = data;

  g_clear_pointer (&obs->detail, g_free);
  g_clear_pointer (&obs->emission, g_free);
}

static void
log_clear (gpointer data)
{
  Log *log = data;

  g_clear_pointer (&log->obs, g_array_unref);
}

static void
log_unref (Log *log)
{
  g_rc_box_release_full (log, log_clear);
}

static void log_record (Log          *log,
                        guint         op,
                        const Result *result,
                        char         *detail,
                        gboolean      from_callback);

/* Enters (or, with PLACE_MAIN_LOOP, leaves) a library call; returns the call
 * it was in, to restore. */
static guint8
log_enter (Log   *log,
           Place  call,
           guint  arg,
           guint *old_arg)
{
  guint8 old = log->call;

  if (old_arg != NULL)
    *old_arg = log->call_arg;
  log->call = call;
  log->call_arg = arg;

  return old;
}

static CallbackData *
callback_data_new (Lib             *lib,
                   const ModelStep *st,
                   guint            op)
{
  CallbackData *data = g_new0 (CallbackData, 1);

  data->log = g_rc_box_acquire (lib->log);
  data->op = op;
  if (st->then_cancel != 0 && st->then_cancel - 1u < op &&
      lib->cancellables[st->then_cancel - 1] != NULL)
    data->then_cancel = g_object_ref (lib->cancellables[st->then_cancel - 1]);

  return data;
}

/* Records the completion, then does what the step asks of its callback: a
 * cancellation, itself a call that must not run a callback (Semantics 12). */
static void
callback_data_finish (CallbackData *data,
                      const Result *result,
                      char         *detail)
{
  log_record (data->log, data->op, result, detail, TRUE);
  if (data->then_cancel != NULL)
    {
      guint old_arg;
      guint8 old = log_enter (data->log, PLACE_CALLBACK_CANCEL, data->op, &old_arg);

      g_cancellable_cancel (data->then_cancel);
      log_enter (data->log, old, old_arg, NULL);
    }
  g_clear_object (&data->then_cancel);
  log_unref (data->log);
  g_free (data);
}

static void
classify_error (const GError *error,
                Result       *result,
                char        **detail)
{
  result->res = RES_ERROR;
  result->error = ERR_OTHER;

  if (error->domain == G_IO_ERROR)
    {
      if (error->code == G_IO_ERROR_INVALID_ARGUMENT)
        result->error = ERR_INVALID_ARGUMENT;
      else if (error->code == G_IO_ERROR_CANCELLED)
        result->error = ERR_CANCELLED;
      else if (error->code == G_IO_ERROR_WOULD_BLOCK)
        result->error = ERR_WOULD_BLOCK;
    }
  else if (error->domain == CS_ACCESSOR_ERROR)
    {
      if (error->code == CS_ACCESSOR_ERROR_CLOSED)
        result->error = ERR_CLOSED;
      else if (error->code == CS_ACCESSOR_ERROR_INVALID_VALUE)
        result->error = ERR_INVALID_VALUE;
      else if (error->code == CS_ACCESSOR_ERROR_READ_ONLY)
        result->error = ERR_READ_ONLY;
      else if (error->code == CS_ACCESSOR_ERROR_FAILED)
        result->error = ERR_FAILED;
    }
  else if (error->domain == MODEL_WRITER_ERROR && error->code == MODEL_WRITER_ERROR_NEGATIVE)
    result->error = ERR_WRITER;

  if (result->error == ERR_OTHER)
    *detail = g_strdup_printf ("%s %d: %s", g_quark_to_string (error->domain),
                               error->code, error->message);
}

/* Where a callback runs now (Semantics 12): the library call or the signal
 * emission on an accessor or the condition it runs inside, if any. */
static Place
callback_place (Log    *log,
                guint  *arg,
                char  **emission)
{
  if (g_thread_self () != log->thread)
    return PLACE_OTHER_THREAD;

  for (guint k = 0; k < G_N_ELEMENTS (log->instances) && *emission == NULL; k++)
    {
      GSignalInvocationHint *hint;

      if (log->instances[k] == NULL ||
          (hint = g_signal_get_invocation_hint (log->instances[k])) == NULL)
        continue;

      if (k < MODEL_MAX_ACC)
        *emission = g_strdup_printf ("%s%s%s on a%u", g_signal_name (hint->signal_id),
                                     hint->detail != 0 ? "::" : "",
                                     hint->detail != 0 ? g_quark_to_string (hint->detail) : "",
                                     k);
      else
        *emission = g_strdup_printf ("%s on the condition", g_signal_name (hint->signal_id));
    }

  if (log->call != PLACE_MAIN_LOOP)
    {
      *arg = log->call_arg;
      return log->call;
    }
  if (*emission != NULL)
    return PLACE_EMISSION;
  if (g_main_depth () == 0)
    return PLACE_NO_MAIN_LOOP;

  return PLACE_MAIN_LOOP;
}

static void
log_record (Log          *log,
            guint         op,
            const Result *result,
            char         *detail,
            gboolean      from_callback)
{
  Obs obs = { 0 };

  obs.op = op;
  obs.result = *result;
  if (from_callback)
    obs.place = callback_place (log, &obs.place_arg, &obs.emission);
  obs.detail = detail;
  g_array_append_val (log->obs, obs);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CallbackData *data = user_data;
  g_autoptr(GError) error = NULL;
  Result res = { 0 };
  char *detail = NULL;
  GValue *value;

  value = cs_accessor_get_finish (CS_ACCESSOR (object), result, &error);
  if (value == NULL)
    classify_error (error, &res, &detail);
  else
    {
      res.res = RES_VALUE;
      if (G_VALUE_HOLDS_INT (value) && ABS (g_value_get_int (value)) < 1000)
        res.value = (gint16) g_value_get_int (value);
      else
        {
          res.res = RES_ERROR;
          res.error = ERR_OTHER;
          detail = g_strdup_value_contents (value);
        }
      g_value_unset (value);
      g_free (value);
    }

  callback_data_finish (data, &res, detail);
}

static void
write_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CallbackData *data = user_data;
  g_autoptr(GError) error = NULL;
  Result res = { .res = RES_TRUE };
  char *detail = NULL;

  if (!cs_accessor_set_finish (CS_ACCESSOR (object), result, &error))
    classify_error (error, &res, &detail);

  callback_data_finish (data, &res, detail);
}

static void
wait_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  CallbackData *data = user_data;
  g_autoptr(GError) error = NULL;
  Result res = { .res = RES_TRUE };
  char *detail = NULL;

  if (!cs_accessor_wait_for_read_finish (CS_ACCESSOR (object), result, &error))
    classify_error (error, &res, &detail);

  callback_data_finish (data, &res, detail);
}

static void
count_notify_cb (GObject    *object,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
rejecting_read (GValue   *value,
                gpointer  user_data)
{
  g_value_set_int (value, *(gint *) user_data);
}

static gboolean
rejecting_write (const GValue  *value,
                 gpointer       user_data,
                 GError       **error)
{
  gint v = g_value_get_int (value);

  if (v < 0)
    {
      g_set_error (error, MODEL_WRITER_ERROR, MODEL_WRITER_ERROR_NEGATIVE,
                   "Negative value %d rejected", v);
      return FALSE;
    }

  *(gint *) user_data = v;
  return TRUE;
}

static gboolean
at_least_cb (const GValue  *value,
             gpointer       user_data,
             GError       **error)
{
  return g_value_get_int (value) >= GPOINTER_TO_INT (user_data);
}

typedef struct
{
  CsAccessor *other;
  guint8      kind;
  gint        k;
} OtherPredicate;

static gboolean
other_cb (const GValue  *value,
          gpointer       user_data,
          GError       **error)
{
  OtherPredicate *p = user_data;
  GValue *other = cs_accessor_dup_value (p->other);
  gint ov = g_value_get_int (other);

  g_value_unset (other);
  g_free (other);

  if (p->kind == MODEL_PRED_OTHER_EQUAL)
    return ov == p->k;
  return g_value_get_int (value) == ov;
}

static void
other_predicate_free (gpointer data)
{
  OtherPredicate *p = data;

  g_object_unref (p->other);
  g_free (p);
}

static CsPredicate *
lib_predicate (Lib             *lib,
               const ModelStep *st)
{
  g_auto(GValue) k = G_VALUE_INIT;
  OtherPredicate *p;

  g_value_init (&k, G_TYPE_INT);
  g_value_set_int (&k, st->pred_k);

  switch (st->pred)
    {
    case MODEL_PRED_EQUAL:
      return cs_predicate_new_equal (&k);
    case MODEL_PRED_NOT_EQUAL:
      return cs_predicate_new_not_equal (&k);
    case MODEL_PRED_AT_LEAST:
      return cs_predicate_new (at_least_cb, GINT_TO_POINTER (st->pred_k), NULL);
    case MODEL_PRED_OTHER_EQUAL:
    case MODEL_PRED_SAME_AS_OTHER:
      p = g_new0 (OtherPredicate, 1);
      p->other = g_object_ref (lib->acc[st->pred_other]);
      p->kind = st->pred;
      p->k = st->pred_k;
      return cs_predicate_new (other_cb, p, other_predicate_free);
    default:
      return NULL;
    }
}

static void
lib_value (const ModelStep *st,
           GValue          *value)
{
  switch (st->value_kind)
    {
    case MODEL_VALUE_DOUBLE:
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, st->value);
      break;
    case MODEL_VALUE_UINT64:
      g_value_init (value, G_TYPE_UINT64);
      g_value_set_uint64 (value, (guint64) MAX (st->value, 0));
      break;
    case MODEL_VALUE_FRACTION:
      g_value_init (value, G_TYPE_DOUBLE);
      g_value_set_double (value, st->value + 0.5);
      break;
    case MODEL_VALUE_HUGE:
      g_value_init (value, G_TYPE_INT64);
      g_value_set_int64 (value, G_GINT64_CONSTANT (1) << 40);
      break;
    case MODEL_VALUE_STRING:
      g_value_init (value, G_TYPE_STRING);
      g_value_set_static_string (value, "x");
      break;
    default:
      g_value_init (value, G_TYPE_INT);
      g_value_set_int (value, st->value);
      break;
    }
}

static void
lib_init (Lib               *lib,
          const ModelConfig *config)
{
  memset (lib, 0, sizeof *lib);

  lib->log = g_rc_box_new0 (Log);
  lib->log->obs = g_array_new (FALSE, TRUE, sizeof (Obs));
  lib->log->thread = g_thread_self ();
  g_array_set_clear_func (lib->log->obs, obs_clear);

  lib->condition = cs_condition_new ();
  lib->log->instances[MODEL_MAX_ACC] = lib->condition;
  lib->n_acc = config->n_group + (config->has_lone ? 1 : 0);

  for (guint a = 0; a < lib->n_acc; a++)
    {
      g_autofree char *name = g_strdup_printf ("a%u", a);

      if (a >= config->n_group)
        lib->acc[a] = cs_accessor_new (G_TYPE_INT);
      else if ((gint) a == config->rejecting)
        lib->acc[a] = cs_accessor_new_full (G_TYPE_INT, name, lib->condition,
                                            rejecting_read, rejecting_write,
                                            g_new0 (gint, 1), g_free);
      else
        lib->acc[a] = cs_accessor_new_full (G_TYPE_INT, name, lib->condition,
                                            NULL, NULL, NULL, NULL);

      lib->log->instances[a] = lib->acc[a];
      g_signal_connect (lib->acc[a], "notify::value",
                        G_CALLBACK (count_notify_cb), &lib->n_value_notifies[a]);
      g_signal_connect (lib->acc[a], "notify::generation",
                        G_CALLBACK (count_notify_cb), &lib->n_gen_notifies[a]);
      g_signal_connect (lib->acc[a], "notify::has-waiting-read",
                        G_CALLBACK (count_notify_cb), &lib->n_has_notifies[a]);
    }
}

/* Drops everything but the log, whose last completions the caller still
 * looks at. Returns FALSE if an accessor outlived its last reference (a
 * leaked task or source). */
static gboolean
lib_clear (Lib *lib)
{
  gboolean ok = TRUE;

  memset (lib->log->instances, 0, sizeof lib->log->instances);

  for (guint a = 0; a < lib->n_acc; a++)
    {
      CsAccessor *acc = lib->acc[a];

      g_signal_handlers_disconnect_by_data (acc, &lib->n_value_notifies[a]);
      g_signal_handlers_disconnect_by_data (acc, &lib->n_gen_notifies[a]);
      g_signal_handlers_disconnect_by_data (acc, &lib->n_has_notifies[a]);
      g_object_add_weak_pointer (G_OBJECT (acc), (gpointer *) &lib->acc[a]);
      log_enter (lib->log, PLACE_UNREF, a, NULL);
      g_object_unref (acc);
      log_enter (lib->log, PLACE_MAIN_LOOP, 0, NULL);
      if (lib->acc[a] != NULL)
        {
          ok = FALSE;
          g_object_remove_weak_pointer (G_OBJECT (acc), (gpointer *) &lib->acc[a]);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (lib->cancellables); i++)
    g_clear_object (&lib->cancellables[i]);
  g_clear_object (&lib->condition);

  return ok;
}

static GCancellable *
lib_cancellable (Lib             *lib,
                 const ModelStep *st,
                 guint            i)
{
  if (st->cancellable == MODEL_CANCELLABLE_NONE)
    return NULL;

  lib->cancellables[i] = g_cancellable_new ();
  if (st->cancellable == MODEL_CANCELLABLE_CANCELLED)
    g_cancellable_cancel (lib->cancellables[i]);

  return lib->cancellables[i];
}

static gboolean
lib_step (Lib             *lib,
          const ModelStep *st,
          guint            i)
{
  CsAccessor *acc = lib->acc[st->acc];
  g_autoptr(CsPredicate) predicate = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GValue) value = G_VALUE_INIT;
  GCancellable *cancellable;
  gboolean ret = TRUE;

  log_enter (lib->log, PLACE_STEP, i, NULL);

  switch (st->kind)
    {
    case MODEL_STEP_READ:
      predicate = lib_predicate (lib, st);
      cancellable = lib_cancellable (lib, st, i);
      cs_accessor_get_async (acc, predicate, st->flags, cancellable,
                             read_cb, callback_data_new (lib, st, i));
      break;

    case MODEL_STEP_WRITE:
      lib_value (st, &value);
      cancellable = lib_cancellable (lib, st, i);
      cs_accessor_set_async (acc, &value, st->flags, cancellable,
                             write_cb, callback_data_new (lib, st, i));
      break;

    case MODEL_STEP_SET_SYNC:
      {
        Result res = { .res = RES_TRUE };
        char *detail = NULL;

        lib_value (st, &value);
        cancellable = lib_cancellable (lib, st, i);
        if (!cs_accessor_set (acc, &value, CS_SET_FLAGS_NONE, cancellable, &error))
          classify_error (error, &res, &detail);
        log_enter (lib->log, PLACE_MAIN_LOOP, 0, NULL);
        log_record (lib->log, i, &res, detail, FALSE);
      }
      break;

    case MODEL_STEP_WAIT_READ:
      cancellable = lib_cancellable (lib, st, i);
      cs_accessor_wait_for_read_async (acc, cancellable, wait_read_cb,
                                       callback_data_new (lib, st, i));
      break;

    case MODEL_STEP_CANCEL:
      if (lib->cancellables[st->target] != NULL)
        g_cancellable_cancel (lib->cancellables[st->target]);
      break;

    case MODEL_STEP_NOTIFY_ALL:
      cs_condition_notify_all (cs_accessor_get_condition (acc));
      break;

    case MODEL_STEP_FREEZE:
      g_object_freeze_notify (G_OBJECT (acc));
      lib->frozen[st->acc]++;
      break;

    case MODEL_STEP_THAW:
      if (lib->frozen[st->acc] > 0)
        {
          lib->frozen[st->acc]--;
          g_object_thaw_notify (G_OBJECT (acc));
        }
      break;

    case MODEL_STEP_CLOSE:
      cs_accessor_close (acc);
      break;

    case MODEL_STEP_IDLE:
    default:
      /* the one place callbacks run (Semantics 12) */
      log_enter (lib->log, PLACE_MAIN_LOOP, 0, NULL);
      /* FALSE if the main context does not become idle */
      ret = cs_test_drain_context (NULL, 100000);
      break;
    }

  log_enter (lib->log, PLACE_MAIN_LOOP, 0, NULL);

  return ret;
}

static void
lib_counters (Lib         *lib,
              guint        a,
              LibCounters *c)
{
  GValue *value;

  log_enter (lib->log, PLACE_COUNTERS, a, NULL);

  value = cs_accessor_dup_value (lib->acc[a]);
  c->value = G_VALUE_HOLDS_INT (value) ? g_value_get_int (value) : G_MININT32;
  g_value_unset (value);
  g_free (value);

  c->generation = cs_accessor_get_generation (lib->acc[a]);
  c->n_waiting = cs_accessor_get_n_waiting_reads (lib->acc[a]);
  c->closed = cs_accessor_is_closed (lib->acc[a]);

  log_enter (lib->log, PLACE_MAIN_LOOP, 0, NULL);
  c->n_value_notifies = lib->n_value_notifies[a];
  c->n_gen_notifies = lib->n_gen_notifies[a];
  c->n_has_notifies = lib->n_has_notifies[a];
}

/* }}} */

/* Checking {{{ */

static void
format_result (const Result *r,
               GString      *out)
{
  static const char *errors[N_ERRS] = {
    [ERR_INVALID_ARGUMENT] = "G_IO_ERROR_INVALID_ARGUMENT",
    [ERR_CANCELLED] = "G_IO_ERROR_CANCELLED",
    [ERR_WOULD_BLOCK] = "G_IO_ERROR_WOULD_BLOCK",
    [ERR_CLOSED] = "CS_ACCESSOR_ERROR_CLOSED",
    [ERR_INVALID_VALUE] = "CS_ACCESSOR_ERROR_INVALID_VALUE",
    [ERR_READ_ONLY] = "CS_ACCESSOR_ERROR_READ_ONLY",
    [ERR_FAILED] = "CS_ACCESSOR_ERROR_FAILED",
    [ERR_WRITER] = "the writer's error",
    [ERR_OTHER] = "another error",
  };

  switch (r->res)
    {
    case RES_VALUE: g_string_append_printf (out, "value %d", r->value); break;
    case RES_TRUE:  g_string_append (out, "TRUE"); break;
    case RES_ERROR: g_string_append (out, errors[r->error] ? errors[r->error] : "?"); break;
    default:        g_string_append (out, "nothing"); break;
    }
}

static void
format_counters (const LibCounters *c,
                 GString           *out)
{
  g_string_append_printf (out, "value=%d generation=%" G_GUINT64_FORMAT " n-waiting-reads=%u "
                          "closed=%d notify::value=%u notify::generation=%u "
                          "notify::has-waiting-read=%u",
                          c->value, c->generation, c->n_waiting, c->closed,
                          c->n_value_notifies, c->n_gen_notifies, c->n_has_notifies);
}

static void
model_counters (const Model  *m,
                const MState *s,
                guint         a,
                LibCounters  *c)
{
  c->value = s->acc[a].value;
  c->generation = s->acc[a].generation;
  c->n_waiting = n_pending_reads (m, s, a);
  c->closed = s->acc[a].closed;
  c->n_value_notifies = s->acc[a].n_value_notifies;
  c->n_gen_notifies = s->acc[a].n_value_notifies;
  c->n_has_notifies = s->acc[a].n_has_notifies;
}

static gboolean
counters_equal (const LibCounters *a,
                const LibCounters *b)
{
  return a->value == b->value && a->generation == b->generation &&
         a->n_waiting == b->n_waiting && !a->closed == !b->closed &&
         a->n_value_notifies == b->n_value_notifies &&
         a->n_gen_notifies == b->n_gen_notifies &&
         a->n_has_notifies == b->n_has_notifies;
}

/* Keeps the states for which @keep returns TRUE; returns FALSE (and keeps
 * them all) if none would be left. */
typedef gboolean (*StateFilter) (const Model *m, MState *s, gpointer data);

static gboolean
model_filter (Model       *m,
              StateFilter  keep,
              gpointer     data)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) seen = g_hash_table_new (state_hash, state_equal);

  for (guint k = 0; k < m->states->len; k++)
    {
      MState *s = g_ptr_array_index (m->states, k);
      MState *t = state_dup (s);

      if (keep (m, t, data) && !g_hash_table_contains (seen, t))
        {
          g_hash_table_add (seen, t);
          g_ptr_array_add (kept, t);
        }
      else
        g_free (t);
    }

  if (kept->len == 0)
    return FALSE;

  g_clear_pointer (&m->states, g_ptr_array_unref);
  m->states = g_steal_pointer (&kept);
  return TRUE;
}

static gboolean
keep_accepting (const Model *m,
                MState      *s,
                gpointer     data)
{
  const Obs *obs = data;

  if (!state_accepts (m, s, obs->op, &obs->result))
    return FALSE;
  s->ops[obs->op].delivered = TRUE;
  return TRUE;
}

static gboolean
keep_quiescent (const Model *m,
                MState      *s,
                gpointer     data)
{
  return state_quiescent (m, s);
}

static gboolean
keep_counters (const Model *m,
               MState      *s,
               gpointer     data)
{
  const LibCounters *lib = data;

  for (guint a = 0; a < m->n_acc; a++)
    {
      LibCounters c;

      model_counters (m, s, a, &c);
      if (!counters_equal (&c, &lib[a]))
        return FALSE;
    }

  return TRUE;
}

static void
report_step (const Model *m,
             guint        i,
             GString     *report)
{
  g_string_append (report, "divergence at step ");
  format_step (&m->steps[i], i, report);
  if (i >= m->n_seq_steps)
    g_string_append (report, " (teardown: thaw, close all, idle)");
  g_string_append (report, "\n");
}

static void
report_op (const Model *m,
           guint        op,
           GString     *report)
{
  g_string_append (report, "operation ");
  format_step (&m->steps[op], op, report);
}

static void
report_observation (const Model *m,
                    const Obs   *obs,
                    GString     *report)
{
  g_autoptr(GString) allowed = g_string_new (NULL);
  gboolean any = FALSE;

  g_string_append (report, "  first differing completion: ");
  report_op (m, obs->op, report);
  g_string_append (report, "\n    library: ");
  format_result (&obs->result, report);
  if (obs->detail != NULL)
    g_string_append_printf (report, " (%s)", obs->detail);

  for (guint k = 0; k < m->states->len; k++)
    {
      const MState *s = g_ptr_array_index (m->states, k);
      const MOp *op = &s->ops[obs->op];
      g_autoptr(GString) one = g_string_new (NULL);

      if (op->status == OP_DONE && op->delivered)
        g_string_append (one, "already reported");
      else if (op->status == OP_DONE)
        {
          format_result (&op->result, one);
          if (op->result.error != ERR_CANCELLED && may_report_cancelled (m, s, obs->op))
            g_string_append (one, " (or G_IO_ERROR_CANCELLED)");
          if (is_handoff (&m->steps[obs->op]) && op->result.res == RES_TRUE &&
              earlier_handoff (m, s, obs->op) >= 0)
            g_string_append_printf (one, ", after the callback of #%d, applied before it",
                                    earlier_handoff (m, s, obs->op));
        }
      else if (op->bound)
        g_string_append (one, "still pending, bound to a handoff held back by the freeze");
      else
        g_string_append (one, "still pending");

      if (strstr (allowed->str, one->str) == NULL)
        g_string_append_printf (allowed, "%s%s", any ? " | " : "", one->str);
      any = TRUE;
    }

  g_string_append_printf (report, "\n    model:   %s\n", allowed->str);
}

static void
report_quiescence (const Model *m,
                   GString     *report)
{
  const MState *s = g_ptr_array_index (m->states, 0);

  g_string_append (report, "  after the main loop ran until idle, the model expects "
                           "(in the first allowed outcome):\n");

  for (guint i = 0; i < s->n_used; i++)
    {
      if (s->ops[i].status == OP_DONE && !s->ops[i].delivered)
        {
          g_string_append (report, "    a completion of ");
          report_op (m, i, report);
          g_string_append (report, " with ");
          format_result (&s->ops[i].result, report);
          g_string_append (report, " (the library did not report one)\n");
        }
      else if (s->ops[i].status == OP_PENDING && m->cancelled[i])
        {
          g_string_append (report, "    the cancellation of ");
          report_op (m, i, report);
          g_string_append (report, "\n");
        }
    }

  for (guint a = 0; a < m->n_acc; a++)
    if (s->acc[a].freeze == 0 && handoff_enabled (m, s, a))
      g_string_append_printf (report, "    a handoff on a%u: a reader is waiting\n", a);
}

static void
report_counters (const Model       *m,
                 const LibCounters *lib,
                 GString           *report)
{
  g_string_append (report, "  counters differ\n");

  for (guint a = 0; a < m->n_acc; a++)
    {
      g_autoptr(GString) allowed = g_string_new (NULL);
      gboolean match = FALSE;

      for (guint k = 0; k < m->states->len && k < 8; k++)
        {
          LibCounters c;
          g_autoptr(GString) one = g_string_new ("      model:   ");

          model_counters (m, g_ptr_array_index (m->states, k), a, &c);
          match |= counters_equal (&c, &lib[a]);
          format_counters (&c, one);
          g_string_append_c (one, '\n');
          if (strstr (allowed->str, one->str) == NULL)
            g_string_append (allowed, one->str);
        }

      if (match)
        continue;
      g_string_append_printf (report, "    a%u\n      library: ", a);
      format_counters (&lib[a], report);
      g_string_append_printf (report, "\n%s", allowed->str);
    }
}

/* The steps of @seq, then a teardown: thaw what is frozen, close every
 * accessor, run the main loop. */
static GArray *
full_steps (const ModelSequence *seq,
            guint                n_acc)
{
  GArray *steps = g_array_new (FALSE, TRUE, sizeof (ModelStep));
  guint frozen[MODEL_MAX_ACC] = { 0 };

  g_array_append_vals (steps, seq->steps->data, MIN (seq->steps->len, MODEL_MAX_STEPS));

  for (guint i = 0; i < steps->len; i++)
    {
      const ModelStep *st = &g_array_index (steps, ModelStep, i);

      if (st->kind == MODEL_STEP_FREEZE)
        frozen[st->acc]++;
      else if (st->kind == MODEL_STEP_THAW && frozen[st->acc] > 0)
        frozen[st->acc]--;
    }

  for (guint a = 0; a < n_acc; a++)
    for (; frozen[a] > 0; frozen[a]--)
      {
        ModelStep st = { .kind = MODEL_STEP_THAW, .acc = a };

        g_array_append_val (steps, st);
      }

  for (guint a = 0; a < n_acc; a++)
    {
      ModelStep st = { .kind = MODEL_STEP_CLOSE, .acc = a };

      g_array_append_val (steps, st);
    }

  {
    ModelStep st = { .kind = MODEL_STEP_IDLE };

    g_array_append_val (steps, st);
  }

  return steps;
}

/* A callback that did not run from the main loop alone (Semantics 12). */
static void
report_place (const Model *m,
              const Obs   *obs,
              GString     *report)
{
  g_string_append (report, "  the callback of ");
  report_op (m, obs->op, report);
  g_string_append (report, " (");
  format_result (&obs->result, report);
  g_string_append (report, ") ran ");

  switch (obs->place)
    {
    case PLACE_STEP:
      if (obs->place_arg == obs->op)
        g_string_append (report, "inside its own call, before it returned");
      else
        {
          g_string_append (report, "inside the library call of step ");
          format_step (&m->steps[obs->place_arg], obs->place_arg, report);
        }
      break;
    case PLACE_CALLBACK_CANCEL:
      g_string_append_printf (report, "inside the g_cancellable_cancel () that the callback "
                              "of #%u made", obs->place_arg);
      break;
    case PLACE_COUNTERS:
      g_string_append_printf (report, "inside the getters the test read on a%u after the "
                              "step", obs->place_arg);
      break;
    case PLACE_UNREF:
      g_string_append_printf (report, "inside the teardown's g_object_unref () of a%u",
                              obs->place_arg);
      break;
    case PLACE_EMISSION:
      g_string_append (report, "from the main loop");
      break;
    case PLACE_NO_MAIN_LOOP:
      g_string_append (report, "outside the main loop");
      break;
    case PLACE_OTHER_THREAD:
      g_string_append (report, "on another thread than the test's");
      break;
    default:
      g_string_append (report, "after the teardown");
      break;
    }

  if (obs->emission != NULL)
    g_string_append_printf (report, ", inside the emission of %s", obs->emission);
  g_string_append (report, ": a completion callback runs only from the main loop "
                           "(Semantics 12)\n");
}

/* The completions the library reported since the last look, in order. */
static gboolean
check_observations (Model   *m,
                    Lib     *lib,
                    guint    i,
                    guint   *next_obs,
                    GString *report)
{
  guint then_cancel;

  for (; *next_obs < lib->log->obs->len; (*next_obs)++)
    {
      Obs *obs = &g_array_index (lib->log->obs, Obs, *next_obs);

      if (obs->place != PLACE_MAIN_LOOP)
        {
          report_step (m, i, report);
          report_place (m, obs, report);
          return FALSE;
        }

      if (!model_filter (m, keep_accepting, obs))
        {
          report_step (m, i, report);
          report_observation (m, obs, report);
          return FALSE;
        }

      then_cancel = m->steps[obs->op].then_cancel;
      if (then_cancel != 0 && then_cancel - 1u < obs->op &&
          m->steps[then_cancel - 1].cancellable != MODEL_CANCELLABLE_NONE)
        {
          model_cancel (m, then_cancel - 1);
          if (m->exploded)
            {
              report_step (m, i, report);
              g_string_append (report, "  too many model states\n");
              return FALSE;
            }
        }
    }

  return TRUE;
}

static gboolean
check_step (Model   *m,
            Lib     *lib,
            guint    i,
            guint   *next_obs,
            GString *report)
{
  const ModelStep *st = &m->steps[i];
  LibCounters counters[MODEL_MAX_ACC];
  gboolean idle_ok;

  if (st->kind == MODEL_STEP_CANCEL && st->target < i && is_op_step (m->steps[st->target].kind) &&
      m->steps[st->target].cancellable != MODEL_CANCELLABLE_NONE)
    m->cancelled[st->target] = TRUE;
  if (is_op_step (st->kind) && st->cancellable == MODEL_CANCELLABLE_CANCELLED)
    m->cancelled[i] = TRUE;

  idle_ok = lib_step (lib, st, i);
  model_advance (m, i);

  if (m->exploded)
    {
      report_step (m, i, report);
      g_string_append_printf (report, "  the model has more than %u states: "
                              "a test limitation, not a library bug\n", MODEL_MAX_STATES);
      return FALSE;
    }

  if (!idle_ok)
    {
      report_step (m, i, report);
      g_string_append (report, "  the main context never became idle\n");
      return FALSE;
    }

  if (!check_observations (m, lib, i, next_obs, report))
    return FALSE;

  if (st->kind == MODEL_STEP_IDLE && !model_filter (m, keep_quiescent, NULL))
    {
      report_step (m, i, report);
      report_quiescence (m, report);
      return FALSE;
    }

  for (guint a = 0; a < m->n_acc; a++)
    lib_counters (lib, a, &counters[a]);

  if (!check_observations (m, lib, i, next_obs, report))
    return FALSE;

  if (!model_filter (m, keep_counters, counters))
    {
      report_step (m, i, report);
      report_counters (m, counters, report);
      return FALSE;
    }

  return TRUE;
}

gboolean
model_check (const ModelSequence *seq,
             ModelStats          *stats,
             GString             *report)
{
  g_autoptr(GString) local_report = g_string_new (NULL);
  g_autoptr(GArray) steps = NULL;
  Model m = { 0 };
  Lib lib;
  guint next_obs = 0;
  guint i;
  gboolean ok = TRUE;
  gboolean leaked;

  if (report == NULL)
    report = local_report;

  m.config = &seq->config;
  m.n_acc = seq->config.n_group + (seq->config.has_lone ? 1 : 0);
  g_assert (seq->config.n_group >= 2 && m.n_acc <= MODEL_MAX_ACC);

  steps = full_steps (seq, m.n_acc);
  m.steps = (const ModelStep *) (gpointer) steps->data;
  m.n_steps = steps->len;
  m.n_seq_steps = MIN (seq->steps->len, MODEL_MAX_STEPS);
  m.states = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (m.states, g_new0 (MState, 1));

  lib_init (&lib, &seq->config);

  for (i = 0; i < m.n_steps && ok; i++)
    {
      ok = check_step (&m, &lib, i, &next_obs, report);

      if (stats != NULL)
        {
          stats->steps++;
          stats->max_states = MAX (stats->max_states, m.states->len);
        }
    }

  if (stats != NULL)
    {
      stats->sequences++;
      stats->completions += next_obs;
    }

  /* After a divergence, still close everything so that the run frees what it
   * can; what is left pending then leaks (the test fails anyway). */
  for (; i < m.n_steps; i++)
    if (m.steps[i].kind == MODEL_STEP_THAW || m.steps[i].kind == MODEL_STEP_CLOSE ||
        m.steps[i].kind == MODEL_STEP_IDLE)
      lib_step (&lib, &m.steps[i], i);

  leaked = !lib_clear (&lib);

  /* everything was reported by the teardown's main-loop run: a completion
   * now ran inside the last unref */
  if (ok && next_obs < lib.log->obs->len)
    {
      g_string_append (report, "divergence at the teardown's unref\n");
      report_place (&m, &g_array_index (lib.log->obs, Obs, next_obs), report);
      ok = FALSE;
    }

  if (ok && leaked)
    {
      g_string_append (report, "after the teardown, an accessor is still alive: "
                               "a task or a source leaked a reference\n");
      ok = FALSE;
    }

  log_unref (lib.log);
  g_clear_pointer (&m.states, g_ptr_array_unref);

  return ok;
}

/* }}} */

/* Shrinking {{{ */

/* @seq without step @j, and without the cancellations of its operation. */
static void
sequence_without (const ModelSequence *seq,
                  guint                j,
                  ModelSequence       *out)
{
  model_sequence_init (out);
  out->config = seq->config;

  for (guint i = 0; i < seq->steps->len; i++)
    {
      ModelStep st = g_array_index (seq->steps, ModelStep, i);

      if (i == j || (st.kind == MODEL_STEP_CANCEL && st.target == j))
        continue;
      if (st.kind == MODEL_STEP_CANCEL && st.target > j)
        st.target--;
      if (st.then_cancel == j + 1)
        st.then_cancel = 0;
      else if (st.then_cancel > j + 1)
        st.then_cancel--;
      g_array_append_val (out->steps, st);
    }
}

void
model_sequence_shrink (ModelSequence *seq)
{
  gboolean progress = TRUE;

  while (progress)
    {
      progress = FALSE;

      for (guint j = seq->steps->len; j-- > 0;)
        {
          ModelSequence candidate;

          if (j >= seq->steps->len)
            continue;

          sequence_without (seq, j, &candidate);
          if (!model_check (&candidate, NULL, NULL))
            {
              model_sequence_clear (seq);
              *seq = candidate;
              progress = TRUE;
            }
          else
            model_sequence_clear (&candidate);
        }
    }
}

/* }}} */
