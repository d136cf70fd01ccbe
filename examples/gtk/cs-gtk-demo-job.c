/* cs-gtk-demo-job.c — a download of the GTK demo, run on a worker thread
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The worker's side of cs-gtk-demo.c. A DemoJob keeps what it has to tell
 * the window in four condition properties: "progress", "state", "question"
 * and "answer". The worker writes them through their accessors with the
 * blocking cs_accessor_set(), hands its question over with
 * CS_SET_FLAGS_WAIT_FOR_READ and waits for the answer with the blocking
 * cs_accessor_get(). All of these take the job's GCancellable, and fail once
 * the window closes the accessors: that is how the worker learns to stop.
 */

#include <codestare.h>

#include "cs-gtk-demo-job.h"

struct _DemoJob
{
  GObject       parent_instance;

  /* Read-only after construction: */
  char         *name;
  guint         n_steps;
  guint         step_ms;
  char         *ask;            /* asked halfway through, or NULL */
  GCancellable *cancellable;    /* the Cancel button's */

  /* GUI thread only: */
  GThread      *thread;

  /* Protected by lock: */
  GMutex        lock;
  GCond         ended_cond;
  gboolean      ended;
};

enum {
  JOB_PROP_0,
  JOB_PROP_PROGRESS,
  JOB_PROP_STATE,
  JOB_PROP_QUESTION,
  JOB_PROP_ANSWER,
};

G_DEFINE_FINAL_TYPE (DemoJob, demo_job, G_TYPE_OBJECT)

static void
demo_job_finalize (GObject *object)
{
  DemoJob *self = DEMO_JOB (object);

  /* joined, unless it outlived the window's close (a bug it reports) */
  g_clear_pointer (&self->thread, g_thread_unref);
  g_free (self->name);
  g_free (self->ask);
  g_clear_object (&self->cancellable);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->ended_cond);

  G_OBJECT_CLASS (demo_job_parent_class)->finalize (object);
}

static void
demo_job_class_init (DemoJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = demo_job_finalize;

  /* The library keeps the values: no get_property/set_property here. Only
   * the job writes the first three (through their accessors), so for
   * everyone else they are read-only; the window writes "answer". */
  cs_object_class_install_condition_property (object_class, JOB_PROP_PROGRESS,
    g_param_spec_double ("progress", NULL, NULL, 0.0, 1.0, 0.0, G_PARAM_READABLE | flags));
  cs_object_class_install_condition_property (object_class, JOB_PROP_STATE,
    g_param_spec_string ("state", NULL, NULL, "queued", G_PARAM_READABLE | flags));
  cs_object_class_install_condition_property (object_class, JOB_PROP_QUESTION,
    g_param_spec_string ("question", NULL, NULL, NULL, G_PARAM_READABLE | flags));
  cs_object_class_install_condition_property (object_class, JOB_PROP_ANSWER,
    g_param_spec_string ("answer", NULL, NULL, NULL, G_PARAM_READWRITE | flags));
}

static void
demo_job_init (DemoJob *self)
{
  self->cancellable = g_cancellable_new ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->ended_cond);
}

/* Made on the GUI thread: its accessors belong to the GUI's main context. */
DemoJob *
demo_job_new (const char *name,
              guint       n_steps,
              guint       step_ms,
              const char *ask)
{
  DemoJob *self = g_object_new (DEMO_TYPE_JOB, NULL);

  self->name = g_strdup (name);
  self->n_steps = n_steps;
  self->step_ms = step_ms;
  self->ask = g_strdup (ask);

  return self;
}

const char *
demo_job_get_name (DemoJob *self)
{
  return self->name;
}

static CsAccessor *
demo_job_accessor (DemoJob    *self,
                   const char *property)
{
  return cs_object_get_accessor (G_OBJECT (self), property);
}

/* The states a job ends in */
const char * const demo_job_final_states[] = {
  "done", "skipped", "cancelled", "failed", NULL
};

gboolean
demo_job_state_is_final (const char *state)
{
  return g_strv_contains (demo_job_final_states, state);
}

/* The worker's writes. cs_accessor_set() applies them in the GUI's main
 * context, where the bindings and notify handlers then run, and returns once
 * it has: the worker never runs ahead of what the window shows. It fails
 * once @cancellable is cancelled or the accessor is closed, which is how a
 * worker learns that it must stop. */
static gboolean
demo_job_write_progress (DemoJob  *self,
                         double    progress,
                         GError  **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_DOUBLE);
  g_value_set_double (&value, progress);
  return cs_accessor_set (demo_job_accessor (self, "progress"), &value, CS_SET_FLAGS_NONE,
                          self->cancellable, error);
}

static gboolean
demo_job_write_string (DemoJob       *self,
                       const char    *property,
                       const char    *string,
                       CsSetFlags     flags,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_auto(GValue) value = G_VALUE_INIT;

  g_value_init (&value, G_TYPE_STRING);
  g_value_set_string (&value, string);
  return cs_accessor_set (demo_job_accessor (self, property), &value, flags, cancellable, error);
}

static gboolean
is_answered (const GValue  *value,
             gpointer       user_data,
             GError       **error)
{
  return g_value_get_string (value) != NULL;
}

/* Asks the user, from the worker: returns the answer, or NULL on error. */
static char *
demo_job_ask (DemoJob  *self,
              GError  **error)
{
  g_autoptr(CsPredicate) answered = cs_predicate_new (is_answered, NULL, NULL);
  GValue *answer;
  char *ret;

  /* Clear the last answer first: the read below then accepts the first
   * answer written after it, even one written before the read is registered
   * in the GUI's context (a predicate read looks at the current value). */
  if (!demo_job_write_string (self, "answer", NULL, CS_SET_FLAGS_NONE,
                              self->cancellable, error) ||
      !demo_job_write_string (self, "state", "asking", CS_SET_FLAGS_NONE,
                              self->cancellable, error))
    return NULL;

  /* A handoff: applied only while a reader waits, and returns once the
   * window's reader has the question, so it is never overwritten unseen. */
  if (!demo_job_write_string (self, "question", self->ask, CS_SET_FLAGS_WAIT_FOR_READ,
                              self->cancellable, error))
    return NULL;

  /* Blocks this worker until the dialog answers (or Cancel, or a close). */
  answer = cs_accessor_get (demo_job_accessor (self, "answer"), answered, CS_GET_FLAGS_NONE,
                            self->cancellable, error);
  if (answer == NULL)
    return NULL;

  ret = g_value_dup_string (answer);
  g_boxed_free (G_TYPE_VALUE, answer);
  g_print ("worker %s: answer %s\n", self->name, ret);

  return ret;
}

/* The worker thread. It owns a reference to the job. */
static gpointer
demo_job_run (gpointer data)
{
  g_autoptr(DemoJob) self = data;
  g_autoptr(GError) error = NULL;
  const char *end = "done";

  if (demo_job_write_string (self, "state", "downloading", CS_SET_FLAGS_NONE,
                             self->cancellable, &error))
    {
      for (guint step = 1; step <= self->n_steps; step++)
        {
          g_usleep (self->step_ms * G_TIME_SPAN_MILLISECOND);   /* a chunk of "download" */

          if (!demo_job_write_progress (self, (double) step / self->n_steps, &error))
            break;

          if (self->ask != NULL && step == self->n_steps / 2)
            {
              g_autofree char *answer = demo_job_ask (self, &error);

              if (answer == NULL)
                break;
              if (g_str_equal (answer, "skip"))
                {
                  end = "skipped";
                  break;
                }
              if (!demo_job_write_string (self, "state", "downloading", CS_SET_FLAGS_NONE,
                                          self->cancellable, &error))
                break;
            }
        }
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    end = "cancelled";
  else if (g_error_matches (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED))
    end = NULL;   /* the window has gone: nobody to tell */
  else if (error != NULL)
    end = "failed";

  g_print ("worker %s: %s%s%s\n", self->name, end != NULL ? end : "closed",
           error != NULL ? ", " : "", error != NULL ? error->message : "");

  /* without the job's cancellable, which may be cancelled by now; fails only
   * if the window closed meanwhile */
  if (end != NULL)
    demo_job_write_string (self, "state", end, CS_SET_FLAGS_NONE, NULL, NULL);

  g_mutex_lock (&self->lock);
  self->ended = TRUE;
  g_cond_signal (&self->ended_cond);
  g_mutex_unlock (&self->lock);

  return NULL;
}

void
demo_job_start (DemoJob *self)
{
  g_assert (self->thread == NULL);

  self->thread = g_thread_new (self->name, demo_job_run, g_object_ref (self));
}

void
demo_job_cancel (DemoJob *self)
{
  g_cancellable_cancel (self->cancellable);
}

/* Fails whatever the worker waits for, and every call it makes later. */
void
demo_job_close (DemoJob *self)
{
  const char *properties[] = { "progress", "state", "question", "answer" };

  for (guint i = 0; i < G_N_ELEMENTS (properties); i++)
    cs_accessor_close (demo_job_accessor (self, properties[i]));
}

/* Joins the worker if it ends before @deadline (monotonic time); FALSE if it
 * is still running then. */
gboolean
demo_job_join (DemoJob *self,
               gint64   deadline)
{
  gboolean ended;

  if (self->thread == NULL)
    return TRUE;

  g_mutex_lock (&self->lock);
  while (!self->ended && g_cond_wait_until (&self->ended_cond, &self->lock, deadline))
    ;
  ended = self->ended;
  g_mutex_unlock (&self->lock);

  if (ended)
    g_thread_join (g_steal_pointer (&self->thread));

  return ended;
}
