/* cs-gtk-demo.c — a download manager whose workers and window meet in accessors
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Three downloads run on worker threads. What each has to tell the window
 * lives in condition properties of a DemoJob (progress, state, question,
 * answer), installed with cs_object_class_install_condition_property(), so
 * every one of them is also an accessor that can be waited on. This file is
 * the window's side; cs-gtk-demo-job.c is the worker's.
 *
 * - The workers write through the accessors. The writes are applied in the
 *   GUI's main context, so the window binds the properties to its widgets
 *   with g_object_bind_property() and never polls, and no GTK code runs on a
 *   worker.
 * - "All finished" is one predicate that looks at every job, awaited with
 *   cs_accessor_get_async(); it shows the green banner.
 * - beta.tar needs the user: its worker hands the question over with
 *   CS_SET_FLAGS_WAIT_FOR_READ, which returns once the window has read it,
 *   then blocks in cs_accessor_get() until the dialog writes the answer.
 * - Cancel cancels the GCancellable that the worker's blocking calls take.
 * - Closing the window closes the accessors: a worker blocked in a call fails
 *   with CS_ACCESSOR_ERROR_CLOSED, so every worker ends, and is joined.
 *
 *   cs-gtk-demo [--step-ms MS] [--script full|close-early --snapshot-dir DIR]
 *
 * --script drives the window from inside (cs-gtk-demo-script.c), for the
 * test tests/gtk/run-gtk-demo.sh. examples/gtk/demo.py is the same app in
 * Python.
 */

#include <gtk/gtk.h>

#include <codestare.h>

#include "cs-gtk-demo-job.h"
#include "cs-gtk-demo-script.h"

/* The window {{{ */

#define DEMO_TYPE_WINDOW (demo_window_get_type ())
G_DECLARE_FINAL_TYPE (DemoWindow, demo_window, DEMO, WINDOW, GtkApplicationWindow)

struct _DemoWindow
{
  GtkApplicationWindow  parent_instance;

  /* from the template */
  GtkGrid              *jobs_grid;
  GtkLabel             *banner;

  GPtrArray            *jobs;
  GCancellable         *all_finished_cancellable;   /* the readers of "all finished" */
};

G_DEFINE_FINAL_TYPE (DemoWindow, demo_window, GTK_TYPE_APPLICATION_WINDOW)

static int exit_status = EXIT_SUCCESS;

/* Names for the script (cs-gtk-demo-script.c) to find the widgets by. */
static void
set_widget_name (GtkWidget  *widget,
                 const char *first,
                 const char *second)
{
  g_autofree char *name = g_strconcat (first, "/", second, NULL);

  gtk_widget_set_name (widget, name);
}

/* Asking the user */

static void
demo_dialog_answer (GtkWindow  *dialog,
                    const char *answer)
{
  DemoJob *job = g_object_get_data (G_OBJECT (dialog), "job");

  g_print ("answer to %s: %s\n", demo_job_get_name (job), answer);
  /* On the GUI thread, the accessor's owner: applied at once, and the
   * worker's blocking read wakes up. */
  g_object_set (job, "answer", answer, NULL);
}

static void
answer_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  GtkWindow *dialog = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (button)));

  demo_dialog_answer (dialog, user_data);
  gtk_window_destroy (dialog);
}

static gboolean
dialog_close_request_cb (GtkWindow *dialog,
                         gpointer   user_data)
{
  /* closing the dialog without answering skips the file */
  demo_dialog_answer (dialog, "skip");
  return FALSE;
}

static void
add_answer_button (GtkBox     *box,
                   const char *label,
                   const char *answer,
                   gboolean    suggested)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  set_widget_name (button, "answer", answer);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect (button, "clicked", G_CALLBACK (answer_clicked_cb), (gpointer) answer);
  gtk_box_append (box, button);
}

/* A modal window with the question and two buttons (GtkAlertDialog is GTK
 * 4.10, and GtkMessageDialog is deprecated from there on). */
static void
demo_window_ask_user (DemoWindow *self,
                      DemoJob    *job,
                      const char *question)
{
  GtkWindow *dialog = GTK_WINDOW (gtk_window_new ());
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *label = gtk_label_new (question);
  GtkWidget *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  g_object_set_data_full (G_OBJECT (dialog), "job", g_object_ref (job), g_object_unref);
  gtk_window_set_title (dialog, demo_job_get_name (job));
  gtk_window_set_transient_for (dialog, GTK_WINDOW (self));
  gtk_window_set_modal (dialog, TRUE);
  gtk_window_set_destroy_with_parent (dialog, TRUE);
  gtk_window_set_resizable (dialog, FALSE);
  /* the application tracks it, and emits "window-added" */
  gtk_window_set_application (dialog, gtk_window_get_application (GTK_WINDOW (self)));
  g_signal_connect (dialog, "close-request", G_CALLBACK (dialog_close_request_cb), NULL);

  gtk_widget_set_name (label, "question");
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  add_answer_button (GTK_BOX (buttons), "Skip", "skip", FALSE);
  add_answer_button (GTK_BOX (buttons), "Replace", "replace", TRUE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), buttons);
  gtk_window_set_child (dialog, box);

  gtk_window_present (dialog);
}

typedef struct
{
  DemoWindow *window;
  DemoJob    *job;
} Asking;

static void
asking_free (Asking *asking)
{
  g_object_unref (asking->window);
  g_object_unref (asking->job);
  g_free (asking);
}

static void demo_window_wait_for_question (DemoWindow *self,
                                           DemoJob    *job);

static void
question_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Asking *asking = user_data;
  g_autoptr(GError) error = NULL;
  GValue *question = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);

  if (question != NULL)
    {
      const char *text = g_value_get_string (question);

      g_print ("question from %s: %s\n", demo_job_get_name (asking->job), text);
      demo_window_ask_user (asking->window, asking->job, text);
      g_boxed_free (G_TYPE_VALUE, question);
      /* and be ready for the next one */
      demo_window_wait_for_question (asking->window, asking->job);
    }
  else if (!g_error_matches (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED))
    g_printerr ("Waiting for a question failed: %s\n", error->message);

  asking_free (asking);
}

/* A plain read: the next question written. It is the reader that the
 * worker's handoff waits for. */
static void
demo_window_wait_for_question (DemoWindow *self,
                               DemoJob    *job)
{
  Asking *asking = g_new0 (Asking, 1);

  asking->window = g_object_ref (self);
  asking->job = g_object_ref (job);
  cs_accessor_get_async (cs_object_get_accessor (G_OBJECT (job), "question"), NULL,
                         CS_GET_FLAGS_NONE, NULL, question_cb, asking);
}

/* All finished */

/* Looks at the whole group, not only at the job whose state was written. */
static gboolean
all_finished (const GValue  *value,
              gpointer       user_data,
              GError       **error)
{
  GPtrArray *jobs = user_data;

  for (guint i = 0; i < jobs->len; i++)
    {
      g_autofree char *state = NULL;

      g_object_get (g_ptr_array_index (jobs, i), "state", &state, NULL);
      if (!demo_job_state_is_final (state))
        return FALSE;
    }

  return TRUE;
}

static void
all_finished_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(DemoWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) line = g_string_new ("all finished:");
  g_autoptr(GString) text = g_string_new ("All downloads finished");
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);
  const char *separator = ": ";

  if (value == NULL)
    {
      /* the other readers, or a close */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !g_error_matches (error, CS_ACCESSOR_ERROR, CS_ACCESSOR_ERROR_CLOSED))
        g_printerr ("Waiting for the downloads failed: %s\n", error->message);
      return;
    }
  g_boxed_free (G_TYPE_VALUE, value);

  /* one reader is enough */
  g_cancellable_cancel (self->all_finished_cancellable);

  for (guint i = 0; i < self->jobs->len; i++)
    {
      DemoJob *job = g_ptr_array_index (self->jobs, i);
      char *state;

      g_object_get (job, "state", &state, NULL);
      g_ptr_array_add (states, state);
      g_string_append_printf (line, " %s=%s", demo_job_get_name (job), state);
    }
  g_print ("%s\n", line->str);

  /* "All downloads finished: 2 done, 1 cancelled" */
  for (const char * const *outcome = demo_job_final_states; *outcome != NULL; outcome++)
    {
      guint n = 0;

      for (guint i = 0; i < states->len; i++)
        n += g_str_equal (g_ptr_array_index (states, i), *outcome);
      if (n > 0)
        {
          g_string_append_printf (text, "%s%u %s", separator, n, *outcome);
          separator = ", ";
        }
    }
  gtk_label_set_label (self->banner, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->banner), TRUE);
}

/* A condition property has an accessor of its own, alone in its CsCondition,
 * so a write to one job's state re-checks only the readers of that state:
 * one reader a job, all with the same predicate, sees a write to any of
 * them. The first to complete cancels the others. */
static void
demo_window_wait_for_all_finished (DemoWindow *self)
{
  g_autoptr(CsPredicate) predicate =
    cs_predicate_new (all_finished, g_ptr_array_ref (self->jobs),
                      (GDestroyNotify) g_ptr_array_unref);

  for (guint i = 0; i < self->jobs->len; i++)
    cs_accessor_get_async (cs_object_get_accessor (g_ptr_array_index (self->jobs, i), "state"),
                           predicate, CS_GET_FLAGS_NONE, self->all_finished_cancellable,
                           all_finished_cb, g_object_ref (self));
}

/* The rows */

static gboolean
state_to_sensitive (GBinding     *binding,
                    const GValue *from_value,
                    GValue       *to_value,
                    gpointer      user_data)
{
  g_value_set_boolean (to_value, !demo_job_state_is_final (g_value_get_string (from_value)));
  return TRUE;
}

static void
demo_window_add_job (DemoWindow *self,
                     DemoJob    *job)
{
  GtkWidget *name = gtk_label_new (demo_job_get_name (job));
  GtkWidget *bar = gtk_progress_bar_new ();
  GtkWidget *state = gtk_label_new (NULL);
  GtkWidget *cancel = gtk_button_new_with_label ("Cancel");
  int row = self->jobs->len;

  set_widget_name (bar, demo_job_get_name (job), "progress");
  set_widget_name (state, demo_job_get_name (job), "state");
  set_widget_name (cancel, demo_job_get_name (job), "cancel");

  gtk_label_set_xalign (GTK_LABEL (name), 0.0);
  gtk_label_set_xalign (GTK_LABEL (state), 0.0);
  gtk_label_set_width_chars (GTK_LABEL (state), 11);
  gtk_widget_set_hexpand (bar, TRUE);
  gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
  gtk_grid_attach (self->jobs_grid, name, 0, row, 1, 1);
  gtk_grid_attach (self->jobs_grid, bar, 1, row, 1, 1);
  gtk_grid_attach (self->jobs_grid, state, 2, row, 1, 1);
  gtk_grid_attach (self->jobs_grid, cancel, 3, row, 1, 1);

  /* Condition properties bind like any property; the worker's writes reach
   * them on this thread. */
  g_object_bind_property (job, "progress", bar, "fraction", G_BINDING_SYNC_CREATE);
  g_object_bind_property (job, "state", state, "label", G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (job, "state", cancel, "sensitive", G_BINDING_SYNC_CREATE,
                               state_to_sensitive, NULL, NULL, NULL);
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (demo_job_cancel), job,
                           G_CONNECT_SWAPPED);

  g_ptr_array_add (self->jobs, g_object_ref (job));
  demo_window_wait_for_question (self, job);
}

static void
demo_window_start (DemoWindow *self)
{
  for (guint i = 0; i < self->jobs->len; i++)
    demo_job_start (g_ptr_array_index (self->jobs, i));
}

/* Closing: no worker may stay blocked on a window that is gone. */
static gboolean
demo_window_close_request (GtkWindow *window)
{
  DemoWindow *self = DEMO_WINDOW (window);
  gint64 deadline = g_get_monotonic_time () + 2 * G_TIME_SPAN_SECOND;
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint n_running = 0;

  /* A worker blocked in cs_accessor_set() or cs_accessor_get() now fails
   * with CS_ACCESSOR_ERROR_CLOSED, and so does its next call, made at the
   * latest after its current chunk. */
  for (guint i = 0; i < self->jobs->len; i++)
    demo_job_close (g_ptr_array_index (self->jobs, i));

  /* So each ends at once; one still running after 2 s is a bug. */
  for (guint i = 0; i < self->jobs->len; i++)
    n_running += !demo_job_join (g_ptr_array_index (self->jobs, i), deadline);

  g_print ("closed: %u workers still running\n", n_running);
  if (n_running > 0)
    exit_status = EXIT_FAILURE;

  /* A question still open goes too: with pending reads holding the window,
   * destroy-with-parent would only take it once they have completed. */
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i - 1);

      if (gtk_window_get_transient_for (toplevel) == window)
        gtk_window_destroy (toplevel);
    }

  return GTK_WINDOW_CLASS (demo_window_parent_class)->close_request (window);
}

static void
demo_window_dispose (GObject *object)
{
  DemoWindow *self = DEMO_WINDOW (object);

  g_cancellable_cancel (self->all_finished_cancellable);
  g_clear_pointer (&self->jobs, g_ptr_array_unref);
  g_clear_object (&self->all_finished_cancellable);

  G_OBJECT_CLASS (demo_window_parent_class)->dispose (object);
}

static void
demo_window_class_init (DemoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = demo_window_dispose;
  window_class->close_request = demo_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/codestare/GtkDemo/cs-gtk-demo.ui");
  gtk_widget_class_bind_template_child (widget_class, DemoWindow, jobs_grid);
  gtk_widget_class_bind_template_child (widget_class, DemoWindow, banner);
}

static void
demo_window_init (DemoWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->jobs = g_ptr_array_new_with_free_func (g_object_unref);
  self->all_finished_cancellable = g_cancellable_new ();
}

static DemoWindow *
demo_window_new (GtkApplication *application,
                 guint           step_ms)
{
  DemoWindow *self = g_object_new (DEMO_TYPE_WINDOW, "application", application, NULL);
  g_autoptr(DemoJob) alpha = demo_job_new ("alpha.iso", 30, step_ms, NULL);
  g_autoptr(DemoJob) beta = demo_job_new ("beta.tar", 40, step_ms,
                                          "beta.tar already exists. Replace it?");
  g_autoptr(DemoJob) gamma = demo_job_new ("gamma.img", 100, step_ms, NULL);

  demo_window_add_job (self, alpha);
  demo_window_add_job (self, beta);
  demo_window_add_job (self, gamma);
  demo_window_wait_for_all_finished (self);

  return self;
}

/* }}} */

/* The application {{{ */

typedef struct
{
  int   step_ms;
  char *script;
  char *snapshot_dir;
} Options;

static int
handle_local_options_cb (GApplication *application,
                         GVariantDict *dict,
                         gpointer      user_data)
{
  Options *options = user_data;

  g_variant_dict_lookup (dict, "step-ms", "i", &options->step_ms);
  g_variant_dict_lookup (dict, "script", "s", &options->script);
  g_variant_dict_lookup (dict, "snapshot-dir", "^ay", &options->snapshot_dir);
  if (options->step_ms <= 0 || (options->script != NULL && options->snapshot_dir == NULL))
    {
      g_printerr ("--step-ms must be positive, and --script needs --snapshot-dir\n");
      return EXIT_FAILURE;
    }

  return -1;   /* go on */
}

static void
activate_cb (GApplication *application,
             gpointer      user_data)
{
  Options *options = user_data;
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  DemoWindow *window;

  if (gtk_application_get_active_window (GTK_APPLICATION (application)) != NULL)
    return;

  gtk_css_provider_load_from_resource (css, "/org/codestare/GtkDemo/cs-gtk-demo.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  window = demo_window_new (GTK_APPLICATION (application), options->step_ms);
  gtk_window_present (GTK_WINDOW (window));
  if (options->script != NULL)
    demo_script_start (GTK_WINDOW (window), options->script, options->snapshot_dir);
  demo_window_start (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) application = NULL;
  Options options = { 100, NULL, NULL };
  int status;

  application = gtk_application_new ("org.codestare.GtkDemo", G_APPLICATION_NON_UNIQUE);
  g_application_add_main_option (G_APPLICATION (application), "step-ms", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_INT, "Time a download step takes (100)", "MS");
  g_application_add_main_option (G_APPLICATION (application), "script", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_STRING, "Drive the window: full or close-early",
                                 "MODE");
  g_application_add_main_option (G_APPLICATION (application), "snapshot-dir", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
                                 "Where the script saves its screenshots", "DIR");
  g_signal_connect (application, "handle-local-options",
                    G_CALLBACK (handle_local_options_cb), &options);
  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), &options);

  status = g_application_run (G_APPLICATION (application), argc, argv);

  g_free (options.script);
  g_free (options.snapshot_dir);
  return status != EXIT_SUCCESS ? status : exit_status;
}

/* }}} */
