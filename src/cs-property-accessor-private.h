/* cs-property-accessor-private.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "cs-accessor.h"

G_BEGIN_DECLS

CsAccessor *_cs_property_accessor_new  (GObject     *object,
                                        GParamSpec  *pspec,
                                        gboolean     stores_value,
                                        CsCondition *condition);
GParamSpec *_cs_property_find_readable (GObject     *object,
                                        const char  *property_name);
void        _cs_property_accessor_write_at_construction (CsAccessor   *accessor,
                                                         const GValue *value);

G_END_DECLS
