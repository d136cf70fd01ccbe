/* cs-accessor-private.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "cs-accessor.h"
#include "cs-condition-private.h"
#include "cs-operation-private.h"
#include "cs-reader-index-private.h"

G_BEGIN_DECLS

typedef enum
{
  CS_ACCESSOR_OPEN,
  CS_ACCESSOR_CLOSING,  /* closed to new calls; the close is on its way to the owner context */
  CS_ACCESSOR_CLOSED,   /* closed in the owner context: everything pending failed */
} CsAccessorLifecycle;

enum {
  CS_ACCESSOR_PROP_0,
  CS_ACCESSOR_PROP_VALUE_TYPE,
  CS_ACCESSOR_PROP_VALUE,
  CS_ACCESSOR_PROP_NAME,
  CS_ACCESSOR_PROP_CONDITION,
  CS_ACCESSOR_PROP_GENERATION,
  CS_ACCESSOR_PROP_N_WAITING_READS,
  CS_ACCESSOR_PROP_HAS_WAITING_READ,
  CS_ACCESSOR_PROP_CLOSED,
  CS_ACCESSOR_N_PROPS
};

extern GParamSpec *_cs_accessor_properties[CS_ACCESSOR_N_PROPS];

struct _CsAccessor
{
  GObject              parent_instance;

  /* Read-only after construction */
  GType                value_type;
  char                *name;
  CsCondition         *condition;
  const CsOwner       *owner;          /* the condition's */
  CsAccessorReadFunc   read;
  CsAccessorWriteFunc  write;
  gpointer             user_data;
  GDestroyNotify       destroy;
  gboolean             external;       /* its writes are reported by the object behind it */

  /* Protected by mutex; written in the owner context only, which reads them
   * without it */
  GMutex               mutex;
  GValue               storage;        /* the value, without read/write functions */
  guint64              generation;

  /* Atomic */
  gint                 lifecycle;      /* CsAccessorLifecycle */
  gint                 n_readers;      /* readers.n_readers, for other threads */

  /* Owner context only */
  CsConditionMember    member;
  CsReaderIndex        readers;
  GQueue               handoffs;       /* WAIT_FOR_READ writes, in order */
  GQueue               read_waits;     /* wait_for_read_async calls */
  guint64              woken_generation;  /* the last write its readers have seen */
  guint64              pushed_generation; /* the last write given to the group */
  guint                writing;        /* depth of calls into the write function */
  gboolean             close_deferred; /* closed by the write function */
  gboolean             close_queued;   /* the close has its place among the events */
  gboolean             in_property_write; /* applying a property setter's write */
  guint                notified_n;     /* n-waiting-reads as last notified */
  gboolean             pumping;        /* applying queued handoffs */
  gboolean             has_bound;      /* readers bound to the last handoff */
  gboolean             listened;       /* is_listened(), as of listened_epoch */
  guint64              listened_epoch;
};

typedef void (*CsDispatchFunc) (GObject     *object,
                                guint        n_pspecs,
                                GParamSpec **pspecs);

/* cs-accessor.c */
CsAccessor *_cs_accessor_new_internal  (GType                value_type,
                                        const char          *name,
                                        CsCondition         *condition,
                                        CsAccessorReadFunc   read,
                                        CsAccessorWriteFunc  write,
                                        gpointer             user_data,
                                        GDestroyNotify       destroy);
const char *_cs_accessor_name          (CsAccessor    *self);
void        _cs_accessor_read_value    (CsAccessor    *self,
                                        GValue        *value);
void        _cs_accessor_read_into     (CsAccessor    *self,
                                        GValue        *value);
void        _cs_accessor_write_property (CsAccessor   *self,
                                        const GValue  *value);
gboolean    _cs_accessor_check_open    (CsAccessor    *self,
                                        GError       **error);
gboolean    _cs_accessor_prepare_write (CsAccessor    *self,
                                        const GValue  *value,
                                        GValue        *converted,
                                        GError       **error);
gboolean    _cs_accessor_is_listened   (CsAccessor    *self);

/* Work about an accessor, posted to its owner context */
typedef struct
{
  CsWork      work;
  CsAccessor *accessor;
  guint       n_writes;
  GWeakRef   *object;     /* changed_work (nullable): the object behind, held by
                           * the accessor's reader data, which @accessor keeps */
} CsAccessorWork;

CsAccessorWork *_cs_accessor_work_new  (CsAccessor   *self,
                                        CsWorkFunc    func);
void        _cs_accessor_work_free     (CsAccessorWork *item);

/* cs-accessor-ops.c: operations, in the owner context */
void        _cs_accessor_submit        (CsAccessor    *self,
                                        CsOperation   *op);
void        _cs_accessor_post          (CsAccessor    *self,
                                        CsOperation   *op);
void        _cs_accessor_finish        (CsAccessor    *self,
                                        CsOperation   *op,
                                        GError        *error);
void        _cs_accessor_finish_with_value (CsAccessor   *self,
                                        CsOperation   *op,
                                        const GValue  *value);
void        _cs_accessor_finish_taking_value (CsAccessor *self,
                                        CsOperation   *op,
                                        GValue        *value);
void        _cs_accessor_finish_close  (CsAccessor    *self);
GError     *_cs_accessor_closed_error  (CsAccessor    *self);
gboolean    _cs_accessor_is_closed_now (CsAccessor    *self);
gboolean    _cs_accessor_hand_off      (CsAccessor    *self,
                                        GValue        *value,
                                        GError       **error);
void        _cs_accessor_pump_handoffs (CsAccessor    *self);
void        _cs_accessor_unbind_readers (CsAccessor   *self);
void        _cs_accessor_request_close (CsAccessor    *self);
void        _cs_accessor_close_now     (CsAccessor    *self);
void        _cs_accessor_push_held_write (CsAccessor  *self);
gboolean    _cs_accessor_reads_current (CsPredicate   *predicate,
                                        CsGetFlags     flags);
gboolean    _cs_accessor_check_read    (CsAccessor    *self,
                                        CsGetFlags     flags,
                                        GCancellable  *cancellable,
                                        GError       **error);
void        _cs_accessor_sync_cancelled (GCancellable *cancellable,
                                        CsOperation   *op);

/* cs-accessor-write.c: writes, notifications, wake-ups, in the owner context */
void        _cs_accessor_engine_init   (CsAccessor    *self);
gboolean    _cs_accessor_apply_write   (CsAccessor    *self,
                                        GValue        *value,
                                        GError       **error);
void        _cs_accessor_flush_counts  (CsAccessor    *self);
void        _cs_accessor_before_user_code (CsAccessor *self);
void        _cs_accessor_notify        (CsAccessor    *self,
                                        guint          prop);
int         _cs_accessor_test_predicate (CsAccessor   *self,
                                        CsOperation   *op,
                                        const GValue  *value,
                                        GError       **error);
void        _cs_accessor_dispatch_notify (CsAccessor  *self,
                                        guint          n_pspecs,
                                        GParamSpec   **pspecs,
                                        CsDispatchFunc chain_up);
void        _cs_accessor_forward_notify (CsAccessor   *self,
                                        guint          n_pspecs,
                                        GParamSpec   **pspecs,
                                        CsDispatchFunc chain_up);

/* Property accessors (cs-property-accessor.c, cs-object.c) */
CsAccessor *_cs_accessor_new_external  (GType                value_type,
                                        const char          *name,
                                        CsCondition         *condition,
                                        CsAccessorReadFunc   read,
                                        CsAccessorWriteFunc  write,
                                        gpointer             user_data,
                                        GDestroyNotify       destroy);
void        _cs_accessor_changed       (CsAccessor          *self,
                                        guint                n_writes,
                                        GWeakRef            *object);
void        _cs_accessor_count_write   (CsAccessor          *self);
gboolean    _cs_accessor_in_property_write (CsAccessor      *self);

G_END_DECLS
