/* cs-accessor.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(CS_INSIDE) && !defined(CS_COMPILATION)
# error "Only <codestare.h> can be included directly."
#endif

#include <gio/gio.h>

#include "cs-version-macros.h"
#include "cs-enums.h"
#include "cs-condition.h"
#include "cs-predicate.h"

G_BEGIN_DECLS

#define CS_TYPE_ACCESSOR (cs_accessor_get_type ())

CS_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (CsAccessor, cs_accessor, CS, ACCESSOR, GObject)

/**
 * CsAccessorReadFunc:
 * @value: (out caller-allocates): a value initialized to the accessor's
 *   [property@Cs.Accessor:value-type], to be filled in
 * @user_data: the data given to [ctor@Cs.Accessor.new_full]
 *
 * Produces the accessor's current value (in the Python module
 * `codestare.async_utils`, `fget`). From a language binding, returning the
 * value is fine: a value of another type is converted as a write would be.
 *
 * Since: 1.0
 */
typedef void (*CsAccessorReadFunc) (GValue   *value,
                                    gpointer  user_data);

/**
 * CsAccessorWriteFunc:
 * @value: the value to store, of the accessor's [property@Cs.Accessor:value-type]
 * @user_data: the data given to [ctor@Cs.Accessor.new_full]
 * @error: return location for the reason the value is rejected
 *
 * Stores a new value (in the Python module `codestare.async_utils`, `fset`).
 * Returning %FALSE rejects the write: the error (in Python or JavaScript, the
 * exception's message) reaches the writer's caller unchanged, and nothing
 * changes.
 *
 * Returns: %TRUE if the value was stored
 *
 * Since: 1.0
 */
typedef gboolean (*CsAccessorWriteFunc) (const GValue  *value,
                                         gpointer       user_data,
                                         GError       **error);

/**
 * CsAccessorGetFunc:
 * @value: (out caller-allocates): an empty value (`G_VALUE_INIT`) to set to the
 *   current value
 * @user_data: the data given to [ctor@Cs.Accessor.new_with_funcs]
 *
 * Produces the accessor's current value: the reader of
 * [ctor@Cs.Accessor.new_with_funcs], in the form language bindings return
 * values. @value may be set to a value of another type than the accessor's:
 * it is converted as a write would be. Left empty, it reads as the type's
 * default.
 *
 * Since: 1.0
 */
typedef void (*CsAccessorGetFunc) (GValue   *value,
                                   gpointer  user_data);

CS_AVAILABLE_IN_ALL
CsAccessor  *cs_accessor_new                  (GType                 value_type);
CS_AVAILABLE_IN_ALL
CsAccessor  *cs_accessor_new_full             (GType                 value_type,
                                               const char           *name,
                                               CsCondition          *condition,
                                               CsAccessorReadFunc    read,
                                               CsAccessorWriteFunc   write,
                                               gpointer              user_data,
                                               GDestroyNotify        destroy);
CS_AVAILABLE_IN_ALL
CsAccessor  *cs_accessor_new_with_closures    (GType                 value_type,
                                               const char           *name,
                                               CsCondition          *condition,
                                               GClosure             *read,
                                               GClosure             *write);
CS_AVAILABLE_IN_ALL
CsAccessor  *cs_accessor_new_with_funcs       (GType                 value_type,
                                               const char           *name,
                                               CsCondition          *condition,
                                               CsAccessorGetFunc     read,
                                               gpointer              read_data,
                                               GDestroyNotify        read_destroy,
                                               CsAccessorWriteFunc   write,
                                               gpointer              write_data,
                                               GDestroyNotify        write_destroy);
CS_AVAILABLE_IN_ALL
CsAccessor  *cs_accessor_new_for_property     (GObject              *object,
                                               const char           *property_name);

CS_AVAILABLE_IN_ALL
GType        cs_accessor_get_value_type       (CsAccessor           *self);
CS_AVAILABLE_IN_ALL
const char  *cs_accessor_get_name             (CsAccessor           *self);
CS_AVAILABLE_IN_ALL
CsCondition *cs_accessor_get_condition        (CsAccessor           *self);
CS_AVAILABLE_IN_ALL
guint64      cs_accessor_get_generation       (CsAccessor           *self);
CS_AVAILABLE_IN_ALL
gboolean     cs_accessor_is_closed            (CsAccessor           *self);
CS_AVAILABLE_IN_ALL
gboolean     cs_accessor_has_waiting_read     (CsAccessor           *self);
CS_AVAILABLE_IN_ALL
guint        cs_accessor_get_n_waiting_reads  (CsAccessor           *self);

CS_AVAILABLE_IN_ALL
GValue      *cs_accessor_dup_value            (CsAccessor           *self);

CS_AVAILABLE_IN_ALL
GValue      *cs_accessor_get                  (CsAccessor           *self,
                                               CsPredicate          *predicate,
                                               CsGetFlags            flags,
                                               GCancellable         *cancellable,
                                               GError              **error);
CS_AVAILABLE_IN_ALL
void         cs_accessor_get_async            (CsAccessor           *self,
                                               CsPredicate          *predicate,
                                               CsGetFlags            flags,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CS_AVAILABLE_IN_ALL
GValue      *cs_accessor_get_finish           (CsAccessor           *self,
                                               GAsyncResult         *result,
                                               GError              **error);

CS_AVAILABLE_IN_ALL
gboolean     cs_accessor_set                  (CsAccessor           *self,
                                               const GValue         *value,
                                               CsSetFlags            flags,
                                               GCancellable         *cancellable,
                                               GError              **error);
CS_AVAILABLE_IN_ALL
void         cs_accessor_set_async            (CsAccessor           *self,
                                               const GValue         *value,
                                               CsSetFlags            flags,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CS_AVAILABLE_IN_ALL
gboolean     cs_accessor_set_finish           (CsAccessor           *self,
                                               GAsyncResult         *result,
                                               GError              **error);

CS_AVAILABLE_IN_ALL
void         cs_accessor_wait_for_read_async  (CsAccessor           *self,
                                               GCancellable         *cancellable,
                                               GAsyncReadyCallback   callback,
                                               gpointer              user_data);
CS_AVAILABLE_IN_ALL
gboolean     cs_accessor_wait_for_read_finish (CsAccessor           *self,
                                               GAsyncResult         *result,
                                               GError              **error);

CS_AVAILABLE_IN_ALL
void         cs_accessor_close                (CsAccessor           *self);

G_END_DECLS
