/* cs-predicate-private.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "cs-predicate.h"

G_BEGIN_DECLS

typedef enum
{
  CS_PREDICATE_CUSTOM,
  CS_PREDICATE_EQUAL,
  CS_PREDICATE_NOT_EQUAL,
} CsPredicateKind;

CsPredicateKind  _cs_predicate_get_kind  (CsPredicate *self);
const GValue    *_cs_predicate_get_value (CsPredicate *self);
int              _cs_predicate_test      (CsPredicate   *self,
                                          const GValue  *value,
                                          GError       **error);

G_END_DECLS
