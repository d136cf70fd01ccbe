/* cs-condition.h
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

#define CS_TYPE_CONDITION (cs_condition_get_type ())

CS_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (CsCondition, cs_condition, CS, CONDITION, GObject)

CS_AVAILABLE_IN_ALL
CsCondition *cs_condition_new        (void);
CS_AVAILABLE_IN_ALL
void         cs_condition_notify_all (CsCondition *self);

G_END_DECLS
