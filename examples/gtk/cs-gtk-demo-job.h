/* cs-gtk-demo-job.h — a download of the GTK demo, run on a worker thread
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define DEMO_TYPE_JOB (demo_job_get_type ())
G_DECLARE_FINAL_TYPE (DemoJob, demo_job, DEMO, JOB, GObject)

/* the states a job ends in, NULL-terminated */
extern const char * const demo_job_final_states[];

DemoJob    *demo_job_new            (const char *name,
                                     guint       n_steps,
                                     guint       step_ms,
                                     const char *ask);
const char *demo_job_get_name       (DemoJob    *self);
gboolean    demo_job_state_is_final (const char *state);
void        demo_job_start          (DemoJob    *self);
void        demo_job_cancel         (DemoJob    *self);
void        demo_job_close          (DemoJob    *self);
gboolean    demo_job_join           (DemoJob    *self,
                                     gint64      deadline);

G_END_DECLS
