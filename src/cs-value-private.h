/* cs-value-private.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

gboolean _cs_value_convert (const GValue  *src,
                            GType          dest_type,
                            GValue        *dest,
                            GError       **error);
gboolean _cs_value_equal   (const GValue  *a,
                            const GValue  *b);

G_END_DECLS
