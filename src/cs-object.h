/* cs-object.h
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
#include "cs-accessor.h"

G_BEGIN_DECLS

CS_AVAILABLE_IN_ALL
void        cs_object_class_install_condition_property (GObjectClass *klass,
                                                        guint         property_id,
                                                        GParamSpec   *pspec);
CS_AVAILABLE_IN_ALL
CsAccessor *cs_object_get_accessor                     (GObject      *object,
                                                        const char   *property_name);

G_END_DECLS
