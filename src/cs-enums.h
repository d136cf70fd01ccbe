/* cs-enums.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(CS_INSIDE) && !defined(CS_COMPILATION)
# error "Only <codestare.h> can be included directly."
#endif

#include <glib-object.h>

#include "cs-version-macros.h"

G_BEGIN_DECLS

/**
 * CsGetFlags:
 * @CS_GET_FLAGS_NONE: wait for the next write; with a predicate, complete at once
 *   if the current value already matches
 * @CS_GET_FLAGS_WAIT_FOR_WRITE: with a predicate, ignore the current value and
 *   wait for the first matching value written after the call
 * @CS_GET_FLAGS_NO_WAIT_FOR_WRITE: do not wait for a write: complete at once with
 *   the current value, or, with a predicate, as soon as it matches
 *
 * Flags for [method@Cs.Accessor.get_async] and [method@Cs.Accessor.get].
 *
 * Passing both %CS_GET_FLAGS_WAIT_FOR_WRITE and %CS_GET_FLAGS_NO_WAIT_FOR_WRITE
 * fails with %G_IO_ERROR_INVALID_ARGUMENT.
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CS_GET_FLAGS_NONE              = 0,
  CS_GET_FLAGS_WAIT_FOR_WRITE    = 1 << 0,
  CS_GET_FLAGS_NO_WAIT_FOR_WRITE = 1 << 1,
} CsGetFlags;

/**
 * CsSetFlags:
 * @CS_SET_FLAGS_NONE: apply the write at once
 * @CS_SET_FLAGS_WAIT_FOR_READ: apply the write only while a reader is waiting, so
 *   that it is never overwritten unseen
 *
 * Flags for [method@Cs.Accessor.set_async] and [method@Cs.Accessor.set].
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  CS_SET_FLAGS_NONE          = 0,
  CS_SET_FLAGS_WAIT_FOR_READ = 1 << 0,
} CsSetFlags;

/**
 * CsAccessorError:
 * @CS_ACCESSOR_ERROR_INVALID_VALUE: the value has the wrong type, lies outside the
 *   property's range, or cannot be held by the accessor's type
 * @CS_ACCESSOR_ERROR_CLOSED: the accessor was closed, or the object behind it was
 *   finalized
 * @CS_ACCESSOR_ERROR_READ_ONLY: the accessor has no writer, or its property is not
 *   writable
 * @CS_ACCESSOR_ERROR_FAILED: any other failure
 *
 * Errors in the `CS_ACCESSOR_ERROR` domain.
 *
 * Since: 1.0
 */
typedef enum
{
  CS_ACCESSOR_ERROR_INVALID_VALUE,
  CS_ACCESSOR_ERROR_CLOSED,
  CS_ACCESSOR_ERROR_READ_ONLY,
  CS_ACCESSOR_ERROR_FAILED,
} CsAccessorError;

/**
 * CS_ACCESSOR_ERROR:
 *
 * The error domain of [class@Cs.Accessor].
 *
 * Since: 1.0
 */
#define CS_ACCESSOR_ERROR (cs_accessor_error_quark ())

#define CS_TYPE_GET_FLAGS (cs_get_flags_get_type ())
#define CS_TYPE_SET_FLAGS (cs_set_flags_get_type ())
#define CS_TYPE_ACCESSOR_ERROR (cs_accessor_error_get_type ())

CS_AVAILABLE_IN_ALL
GQuark cs_accessor_error_quark     (void);
CS_AVAILABLE_IN_ALL
GType  cs_get_flags_get_type       (void) G_GNUC_CONST;
CS_AVAILABLE_IN_ALL
GType  cs_set_flags_get_type       (void) G_GNUC_CONST;
CS_AVAILABLE_IN_ALL
GType  cs_accessor_error_get_type  (void) G_GNUC_CONST;

G_END_DECLS
