/* cs-condition-private.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "cs-accessor.h"
#include "cs-condition.h"

G_BEGIN_DECLS

void _cs_condition_add_member    (CsCondition  *self,
                                  CsAccessor   *accessor);
void _cs_condition_remove_member (CsCondition  *self,
                                  CsAccessor   *accessor);
/* A change to dispatch: a write to @source (the value it wrote, and its write
 * number), or, without a source, a notification of the whole group. */
typedef struct
{
  CsAccessor *source;
  GValue      value;
  guint64     generation;
  gboolean    on_heap;
} CsConditionEvent;

void _cs_condition_push          (CsCondition      *self,
                                  CsConditionEvent *event);
void _cs_condition_dispatch      (CsCondition      *self);

G_END_DECLS
