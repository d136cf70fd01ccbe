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

gboolean _cs_value_is_hashable (const GValue  *value);
guint    _cs_value_hash        (gconstpointer  value);
gboolean _cs_value_hash_equal  (gconstpointer  a,
                                gconstpointer  b);

G_END_DECLS
