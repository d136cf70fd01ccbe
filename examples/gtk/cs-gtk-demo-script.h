/* cs-gtk-demo-script.h — the scripted run of the GTK demo, for its test
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void demo_script_start (GtkWindow  *window,
                        const char *mode,
                        const char *snapshot_dir);

G_END_DECLS
