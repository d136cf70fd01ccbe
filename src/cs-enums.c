/* cs-enums.c
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "cs-enums.h"

G_DEFINE_FLAGS_TYPE (CsGetFlags, cs_get_flags,
                     G_DEFINE_ENUM_VALUE (CS_GET_FLAGS_NONE, "none"),
                     G_DEFINE_ENUM_VALUE (CS_GET_FLAGS_WAIT_FOR_WRITE, "wait-for-write"),
                     G_DEFINE_ENUM_VALUE (CS_GET_FLAGS_NO_WAIT_FOR_WRITE, "no-wait-for-write"))

G_DEFINE_FLAGS_TYPE (CsSetFlags, cs_set_flags,
                     G_DEFINE_ENUM_VALUE (CS_SET_FLAGS_NONE, "none"),
                     G_DEFINE_ENUM_VALUE (CS_SET_FLAGS_WAIT_FOR_READ, "wait-for-read"))

G_DEFINE_ENUM_TYPE (CsAccessorError, cs_accessor_error,
                    G_DEFINE_ENUM_VALUE (CS_ACCESSOR_ERROR_INVALID_VALUE, "invalid-value"),
                    G_DEFINE_ENUM_VALUE (CS_ACCESSOR_ERROR_CLOSED, "closed"),
                    G_DEFINE_ENUM_VALUE (CS_ACCESSOR_ERROR_READ_ONLY, "read-only"),
                    G_DEFINE_ENUM_VALUE (CS_ACCESSOR_ERROR_FAILED, "failed"))

/**
 * cs_accessor_error_quark:
 *
 * The quark of the [error@Cs.AccessorError] domain.
 *
 * Returns: the error domain
 *
 * Since: 1.0
 */
GQuark
cs_accessor_error_quark (void)
{
  static gsize quark;

  /* first used from any thread: a once-only initialization, not a plain
   * static as G_DEFINE_QUARK has */
  if (g_once_init_enter (&quark))
    g_once_init_leave (&quark, g_quark_from_static_string ("cs-accessor-error-quark"));

  return (GQuark) quark;
}
