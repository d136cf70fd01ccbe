/* model.h: a reference model of the accessor semantics, and a driver that
 * runs operation sequences against it and against the library
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Steps beyond this are dropped; the teardown adds a few more. */
#define MODEL_MAX_STEPS 160

typedef enum
{
  MODEL_STEP_READ,        /* cs_accessor_get_async */
  MODEL_STEP_WRITE,       /* cs_accessor_set_async, flags NONE or WAIT_FOR_READ */
  MODEL_STEP_SET_SYNC,    /* cs_accessor_set, flags NONE, on the owner thread */
  MODEL_STEP_WAIT_READ,   /* cs_accessor_wait_for_read_async */
  MODEL_STEP_CANCEL,      /* g_cancellable_cancel on the operation of step `target` */
  MODEL_STEP_NOTIFY_ALL,  /* cs_condition_notify_all on the condition of accessor `acc` */
  MODEL_STEP_FREEZE,      /* g_object_freeze_notify */
  MODEL_STEP_THAW,        /* g_object_thaw_notify; nothing if not frozen */
  MODEL_STEP_CLOSE,       /* cs_accessor_close */
  MODEL_STEP_IDLE,        /* iterate the main context until nothing is ready: the
                           * only step in which completion callbacks may run */
  MODEL_N_STEP_KINDS
} ModelStepKind;

typedef enum
{
  MODEL_PRED_NONE,
  MODEL_PRED_EQUAL,           /* cs_predicate_new_equal (k) */
  MODEL_PRED_NOT_EQUAL,       /* cs_predicate_new_not_equal (k) */
  MODEL_PRED_AT_LEAST,        /* callback: value >= k */
  MODEL_PRED_OTHER_EQUAL,     /* callback: accessor `other` currently holds k */
  MODEL_PRED_SAME_AS_OTHER,   /* callback: value == accessor `other`'s value */
  MODEL_N_PREDS
} ModelPredKind;

typedef enum
{
  MODEL_VALUE_INT,            /* G_TYPE_INT */
  MODEL_VALUE_DOUBLE,         /* G_TYPE_DOUBLE holding an integer: accepted */
  MODEL_VALUE_UINT64,         /* G_TYPE_UINT64: accepted */
  MODEL_VALUE_FRACTION,       /* G_TYPE_DOUBLE value + 0.5: INVALID_VALUE */
  MODEL_VALUE_HUGE,           /* G_TYPE_INT64 2^40: INVALID_VALUE */
  MODEL_VALUE_STRING,         /* G_TYPE_STRING: INVALID_VALUE */
  MODEL_N_VALUE_KINDS
} ModelValueKind;

typedef enum
{
  MODEL_CANCELLABLE_NONE,
  MODEL_CANCELLABLE_FRESH,
  MODEL_CANCELLABLE_CANCELLED,  /* cancelled before the call */
} ModelCancellable;

typedef struct
{
  guint8  kind;         /* ModelStepKind */
  guint8  acc;          /* the accessor (NOTIFY_ALL: its condition) */
  guint8  flags;        /* CsGetFlags or CsSetFlags */
  guint8  pred;         /* ModelPredKind */
  gint8   pred_k;
  guint8  pred_other;   /* OTHER_EQUAL, SAME_AS_OTHER: another group accessor */
  guint8  value_kind;   /* ModelValueKind */
  gint8   value;
  guint8  cancellable;  /* ModelCancellable */
  guint16 target;       /* CANCEL: the step that started the operation */
  guint16 then_cancel;  /* READ, WRITE, WAIT_READ: if not 0, its callback cancels
                         * the operation of step then_cancel - 1 */
} ModelStep;

/* Accessors 0 .. n_group - 1 share one condition; accessor n_group, if
 * has_lone, has its own. Accessor `rejecting` (if >= 0) is made with
 * cs_accessor_new_full and a writer that rejects negative values. */
typedef struct
{
  guint8 n_group;
  guint8 has_lone;
  gint8  rejecting;
} ModelConfig;

typedef struct
{
  ModelConfig config;
  GArray     *steps;    /* ModelStep */
} ModelSequence;

typedef struct
{
  guint64 sequences;
  guint64 steps;        /* steps run, teardown included */
  guint64 completions;  /* completions compared */
  guint   max_states;   /* largest set of model states kept at once */
} ModelStats;

void     model_sequence_init     (ModelSequence       *seq);
void     model_sequence_clear    (ModelSequence       *seq);
void     model_sequence_copy     (ModelSequence       *dest,
                                  const ModelSequence *src);

/* A random sequence of about @length steps. */
void     model_sequence_random   (ModelSequence       *seq,
                                  GRand               *rand,
                                  guint                length);
/* A sequence decoded from fuzzer input; any input gives a valid one. */
void     model_sequence_decode   (ModelSequence       *seq,
                                  const guint8        *data,
                                  gsize                size);
void     model_sequence_format   (const ModelSequence *seq,
                                  GString             *out);

/* Runs @seq against the model and the library, comparing every completion and
 * counter after every step, and where every completion callback ran (only
 * from the main loop). Returns FALSE on a divergence, described in @report
 * (may be NULL). @stats (may be NULL) accumulates. */
gboolean model_check             (const ModelSequence *seq,
                                  ModelStats          *stats,
                                  GString             *report);

/* Removes steps from a diverging @seq as long as it still diverges. */
void     model_sequence_shrink   (ModelSequence       *seq);

G_END_DECLS
