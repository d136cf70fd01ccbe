/* cs-condition-private.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "cs-condition.h"
#include "cs-owner-private.h"

G_BEGIN_DECLS

typedef enum
{
  CS_EVENT_WRITE,       /* a write to the source member: its readers, then the group */
  CS_EVENT_NOTIFY_ALL,  /* re-check the predicates of the whole group */
  CS_EVENT_CLOSE,       /* the source member closes, after the events before it */
} CsEventKind;

typedef struct _CsConditionMember CsConditionMember;

/* A change to deliver to the group, in the order the changes were made. */
typedef struct
{
  GList               link;        /* in the condition's queue */
  CsEventKind         kind;
  CsConditionMember  *source;      /* with a reference on its instance */
  GValue              value;       /* WRITE: the value written, if anyone waited */
  guint64             generation;  /* WRITE: the write's number */
} CsEvent;

/* Delivers @event to @member: the event's own source for its write or close
 * (it may take the event's value, which nobody needs after it), or any member
 * with predicates for a re-check. */
typedef void (*CsWakeFunc) (CsConditionMember *member,
                            CsEvent           *event);

/* What a member of a group gives the condition, embedded in the member. The
 * condition knows nothing else of it. Owner context only. */
struct _CsConditionMember
{
  GObject    *instance;
  CsWakeFunc  wake;
  CsWakeFunc  delivered;  /* its write has reached the whole group */
  GList       link;       /* in the condition's watchers */
  gboolean    watching;
  gboolean    busy;             /* being woken, further up the stack */
  gboolean    recheck_pending;  /* an event came meanwhile: re-check after */
};

CsCondition   *_cs_condition_new_for_owner (GMainContext      *context,
                                            GThread           *thread);
const CsOwner *_cs_condition_get_owner     (CsCondition       *self);

void     _cs_condition_member_init (CsConditionMember *member,
                                    GObject           *instance,
                                    CsWakeFunc         wake,
                                    CsWakeFunc         delivered);
gboolean _cs_condition_begin_check (CsCondition       *self);
void     _cs_condition_watch       (CsCondition       *self,
                                    CsConditionMember *member,
                                    gboolean           watching);

CsEvent *_cs_condition_push        (CsCondition       *self,
                                    CsEventKind        kind,
                                    CsConditionMember *source);
void     _cs_condition_dispatch    (CsCondition       *self);

G_END_DECLS
