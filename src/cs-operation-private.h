/* cs-operation-private.h: a pending read, write or wait, and its result
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "cs-owner-private.h"
#include "cs-predicate.h"

G_BEGIN_DECLS

typedef enum
{
  CS_OPERATION_READ,
  CS_OPERATION_WRITE,
  CS_OPERATION_READ_WAIT,
} CsOperationKind;

/* The one way through: PENDING → DONE, or PENDING → BOUND → DONE (and back
 * to PENDING from BOUND). Whoever moves an operation to DONE
 * (_cs_operation_claim()) gives it its result. */
typedef enum
{
  CS_OPERATION_PENDING,  /* on its way to the owner context, or waiting there */
  CS_OPERATION_BOUND,    /* a reader a handoff was applied for: too late to cancel */
  CS_OPERATION_DONE,     /* has its result: a value, TRUE, or an error */
} CsOperationState;

/* Which of the owner's lists holds a pending operation. */
typedef enum
{
  CS_OPERATION_IN_NONE,
  CS_OPERATION_IN_NEXT,      /* readers of the next write */
  CS_OPERATION_IN_BUCKET,    /* equality readers, by value */
  CS_OPERATION_IN_SCAN,      /* readers whose predicate runs at every write */
  CS_OPERATION_IN_HANDOFFS,  /* WAIT_FOR_READ writes */
  CS_OPERATION_IN_READ_WAITS,
} CsOperationPlace;

/* What the engine knows of a pending operation. An asynchronous one lives in
 * the GAsyncResult its callback receives; a blocking call's is a plain,
 * reference-counted structure it waits on. */
typedef struct _CsOperation CsOperation;

struct _CsOperation
{
  /* Read-only after creation (set before the operation is posted) */
  GObject             *source_object;     /* owned: the accessor */
  GCancellable        *cancellable;       /* owned, nullable */
  CsPredicate         *predicate;         /* owner context only once posted */
  guint                kind : 2;          /* CsOperationKind */
  guint                flags : 2;         /* CsGetFlags or CsSetFlags */
  guint                is_sync : 1;       /* a blocking call waits for it */
  guint                warn_on_error : 1; /* a property write: no one to tell */

  /* Atomic */
  gint                 state;             /* CsOperationState */

  /* Owner context only */
  CsWork               work;              /* posted, then delivered */
  GList                link;              /* in the list named by place */
  gpointer             list;              /* the GQueue holding link */
  guint                place : 3;         /* CsOperationPlace */
  guint                cancel_seen : 1;   /* cancelled while in no list, or while bound */
  guint64              serial;            /* order of arrival among readers */
  guint64              start_generation;  /* the generation when it started */
  gulong               cancel_id;

  /* Written by whoever claimed it, before delivery: a write's value until it
   * is applied, then a read's result */
  GValue               value;
  GError              *error;
};

#define CS_TYPE_RESULT (_cs_result_get_type ())

G_DECLARE_FINAL_TYPE (CsResult, _cs_result, CS, RESULT, GObject)

CsOperation *_cs_operation_new               (gpointer             source_object,
                                              CsOperationKind      kind,
                                              gpointer             source_tag,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
CsOperation *_cs_operation_new_sync          (gpointer             source_object,
                                              CsOperationKind      kind,
                                              GCancellable        *cancellable);
CsOperation *_cs_operation_ref               (CsOperation         *self);
void         _cs_operation_unref             (CsOperation         *self);

gboolean     _cs_operation_claim             (CsOperation         *self);
gboolean     _cs_operation_claim_pending     (CsOperation         *self);
gboolean     _cs_operation_bind              (CsOperation         *self);
gboolean     _cs_operation_unbind            (CsOperation         *self);
gboolean     _cs_operation_is_pending        (CsOperation         *self);

void         _cs_operation_return_value      (CsOperation         *self,
                                              const GValue        *value);
void         _cs_operation_take_value        (CsOperation         *self,
                                              GValue              *value);
void         _cs_operation_return_boolean    (CsOperation         *self);
void         _cs_operation_return_error      (CsOperation         *self,
                                              GError              *error);
void         _cs_operation_cancel_sync       (CsOperation         *self,
                                              GError              *error);

void         _cs_operation_watch_cancellable (CsOperation         *self,
                                              GCallback            cancelled);
void         _cs_operation_unwatch           (CsOperation         *self);
void         _cs_operation_wait_sync         (CsOperation         *self);
gboolean     _cs_operation_begin_predicate   (CsOperation         *self);
void         _cs_operation_end_predicate     (CsOperation         *self);

gboolean     _cs_result_is_valid             (GAsyncResult        *result,
                                              gpointer             source_object);
gpointer     _cs_result_get_source_tag       (GAsyncResult        *result);
GValue      *_cs_operation_propagate_value   (CsOperation         *self,
                                              GError             **error);
gboolean     _cs_operation_propagate_boolean (CsOperation         *self,
                                              GError             **error);
CsOperation *_cs_result_get_operation        (GAsyncResult        *result);

G_END_DECLS
