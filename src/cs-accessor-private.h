/* cs-accessor-private.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "cs-accessor.h"

G_BEGIN_DECLS

/* Called by the condition group, in the owner context, once per dispatched
 * event: @is_write for a write to @self (with the value it wrote and its
 * generation), otherwise a re-check of the predicates after a change elsewhere
 * in the group (@value and @generation are then unused). */
void        _cs_accessor_wake         (CsAccessor          *self,
                                       const GValue        *value,
                                       guint64              generation,
                                       gboolean             is_write);

/* An accessor whose writes are reported by someone else: a write only calls
 * @write, and the owner of the value calls _cs_accessor_changed() when it has
 * changed (for instance from an object's notify signal). */
CsAccessor *_cs_accessor_new_external (GType                value_type,
                                       const char          *name,
                                       CsAccessorReadFunc   read,
                                       CsAccessorWriteFunc  write,
                                       gpointer             user_data,
                                       GDestroyNotify       destroy);
void        _cs_accessor_changed      (CsAccessor          *self);

/* Copies the current value into @value, initialized to the accessor's value
 * type (a property getter's GValue, for instance). */
void        _cs_accessor_read_into    (CsAccessor          *self,
                                       GValue              *value);

/* Makes a new accessor, not yet used, belong to @context, as if @thread had
 * created it there. */
void        _cs_accessor_set_owner    (CsAccessor          *self,
                                       GMainContext        *context,
                                       GThread             *thread);

G_END_DECLS
