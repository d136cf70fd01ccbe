/* cs-owner-private.h: main contexts, the work posted to them, and who may work there
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _CsWork CsWork;

/* Runs a work item once, and drops what the queue held for it. */
typedef void (*CsWorkFunc) (CsWork *work);

/* An item of work for a main context, embedded in what it runs for. While
 * queued, the item (and whatever it is embedded in) belongs to the queue. */
struct _CsWork
{
  CsWork     *next;
  CsWorkFunc  func;
  GThread    *poster;   /* not owned: who posted it, compared, never used */
};

/* The one persistent source of a main context: it runs the work that other
 * threads post to the context, and the completions that are delivered there,
 * in batches. It lives as long as its context; hold a reference on the
 * context to keep it. */
typedef struct _CsDispatcher CsDispatcher;

CsDispatcher *_cs_dispatcher_get_for_context   (GMainContext *context);
CsDispatcher *_cs_dispatcher_get_thread_default (GMainContext **context);
GMainContext *_cs_dispatcher_get_context       (CsDispatcher *self);
void          _cs_dispatcher_complete          (CsDispatcher *self,
                                                CsWork       *work);

/* Where a group of accessors lives: its main context, and the thread that
 * created it, which may act for the context while nobody else runs it. */
typedef struct
{
  GMainContext *context;
  CsDispatcher *dispatcher;
  GThread      *thread;
} CsOwner;

/* What _cs_owner_enter() changed, for _cs_owner_leave() to undo. */
typedef struct
{
  CsDispatcher *previous;
  gboolean      acquired;
} CsOwnerScope;

void     _cs_owner_init       (CsOwner       *owner,
                               GMainContext  *context,
                               GThread       *thread);
void     _cs_owner_clear      (CsOwner       *owner);
gboolean _cs_owner_enter      (const CsOwner *owner,
                               CsOwnerScope  *scope);
void     _cs_owner_leave      (const CsOwner *owner,
                               CsOwnerScope  *scope);
void     _cs_owner_post       (const CsOwner *owner,
                               CsWork        *work);
guint64  _cs_owner_epoch      (const CsOwner *owner);
void     _cs_owner_touch      (const CsOwner *owner);

G_END_DECLS
