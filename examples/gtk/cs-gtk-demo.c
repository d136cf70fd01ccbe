/* cs-gtk-demo.c — a GTK 4 window driven by condition properties
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A DemoJob has two condition properties, "progress" and "state", installed
 * with cs_object_class_install_condition_property(): the class has no
 * get_property/set_property code for them. A timeout advances the job.
 *
 * The window binds "progress" to a GtkProgressBar with g_object_bind_property(),
 * like any property, and waits for state == "done" on the property's accessor
 * to switch to its "Done" page.
 *
 *   cs-gtk-demo [--screenshot FILE]
 *
 * With --screenshot, the window saves itself as a PNG once it shows the "Done"
 * page, prints "screenshot: FILE WIDTHxHEIGHT" and quits.
 */

#include <gtk/gtk.h>

#include <codestare.h>

#define STEP_MS 40
#define N_STEPS 20

/* The job */

#define DEMO_TYPE_JOB (demo_job_get_type ())
G_DECLARE_FINAL_TYPE (DemoJob, demo_job, DEMO, JOB, GObject)

struct _DemoJob
{
  GObject parent_instance;

  guint   step;
  guint   timeout_id;
};

enum {
  JOB_PROP_0,
  JOB_PROP_PROGRESS,
  JOB_PROP_STATE,
};

G_DEFINE_FINAL_TYPE (DemoJob, demo_job, G_TYPE_OBJECT)

static void
demo_job_dispose (GObject *object)
{
  DemoJob *self = DEMO_JOB (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (demo_job_parent_class)->dispose (object);
}

static void
demo_job_class_init (DemoJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = demo_job_dispose;

  /* The accessors keep the values: no get_property/set_property here. */
  cs_object_class_install_condition_property (object_class, JOB_PROP_PROGRESS,
    g_param_spec_double ("progress", NULL, NULL,
                         0.0, 1.0, 0.0,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  cs_object_class_install_condition_property (object_class, JOB_PROP_STATE,
    g_param_spec_string ("state", NULL, NULL,
                         "running",
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
}

static void
demo_job_init (DemoJob *self)
{
}

static gboolean
demo_job_step (gpointer user_data)
{
  DemoJob *self = user_data;

  self->step++;
  /* plain g_object_set(): the accessors see every write */
  g_object_set (self, "progress", (double) self->step / N_STEPS, NULL);

  if (self->step < N_STEPS)
    return G_SOURCE_CONTINUE;

  g_object_set (self, "state", "done", NULL);
  self->timeout_id = 0;
  return G_SOURCE_REMOVE;
}

static void
demo_job_start (DemoJob *self)
{
  g_return_if_fail (self->timeout_id == 0);

  self->timeout_id = g_timeout_add (STEP_MS, demo_job_step, self);
}

/* The window */

#define DEMO_TYPE_WINDOW (demo_window_get_type ())
G_DECLARE_FINAL_TYPE (DemoWindow, demo_window, DEMO, WINDOW, GtkApplicationWindow)

struct _DemoWindow
{
  GtkApplicationWindow  parent_instance;

  GtkStack             *stack;
  GtkProgressBar       *progress_bar;
  GtkLabel             *state_label;

  DemoJob              *job;
  GCancellable         *cancellable;
  char                 *screenshot_file;
  gulong                after_paint_id;
};

G_DEFINE_FINAL_TYPE (DemoWindow, demo_window, GTK_TYPE_APPLICATION_WINDOW)

static int exit_status = EXIT_SUCCESS;

static gboolean
demo_window_save (DemoWindow  *self,
                  GError     **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The window drew nothing");
      return FALSE;
    }

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (self)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  if (!gdk_texture_save_to_png (texture, self->screenshot_file))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not write %s", self->screenshot_file);
      return FALSE;
    }

  g_print ("screenshot: %s %dx%d\n", self->screenshot_file, width, height);
  return TRUE;
}

static void
close_window_cb (gpointer user_data)
{
  g_autoptr(GtkWindow) window = user_data;

  gtk_window_close (window);
}

/* The "Done" page has been laid out and painted: save it and quit. */
static void
after_paint_cb (GdkFrameClock *frame_clock,
                DemoWindow    *self)
{
  g_autoptr(GError) error = NULL;

  g_clear_signal_handler (&self->after_paint_id, frame_clock);

  if (!demo_window_save (self, &error))
    {
      g_printerr ("%s\n", error->message);
      exit_status = EXIT_FAILURE;
    }

  /* not from inside the frame clock's emission */
  g_idle_add_once (close_window_cb, g_object_ref (self));
}

static void
job_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  GValue *state = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);
  DemoWindow *self;

  if (state == NULL)
    {
      /* the window is gone, and with it the job */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_printerr ("Waiting for the job failed: %s\n", error->message);
      return;
    }

  self = DEMO_WINDOW (user_data);
  g_print ("state: %s\n", g_value_get_string (state));
  /* the bar followed the job through its binding */
  g_print ("progress bar: %.2f\n", gtk_progress_bar_get_fraction (self->progress_bar));
  g_boxed_free (G_TYPE_VALUE, state);

  gtk_stack_set_visible_child_name (self->stack, "done");

  if (self->screenshot_file != NULL)
    {
      GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      self->after_paint_id = g_signal_connect (frame_clock, "after-paint",
                                               G_CALLBACK (after_paint_cb), self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static void
demo_window_map (GtkWidget *widget)
{
  DemoWindow *self = DEMO_WINDOW (widget);

  GTK_WIDGET_CLASS (demo_window_parent_class)->map (widget);

  if (self->job->timeout_id == 0 && self->job->step == 0)
    demo_job_start (self->job);
}

static void
demo_window_dispose (GObject *object)
{
  DemoWindow *self = DEMO_WINDOW (object);

  if (self->after_paint_id != 0)
    g_clear_signal_handler (&self->after_paint_id,
                            gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->job);
  g_clear_pointer (&self->screenshot_file, g_free);

  /* the template's child belongs to the window, which disposes it */
  G_OBJECT_CLASS (demo_window_parent_class)->dispose (object);
}

static void
demo_window_class_init (DemoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = demo_window_dispose;
  widget_class->map = demo_window_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/codestare/GtkDemo/cs-gtk-demo.ui");
  gtk_widget_class_bind_template_child (widget_class, DemoWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, DemoWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, DemoWindow, state_label);
}

static void
demo_window_init (DemoWindow *self)
{
  g_auto(GValue) done = G_VALUE_INIT;
  g_autoptr(CsPredicate) is_done = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->job = g_object_new (DEMO_TYPE_JOB, NULL);
  self->cancellable = g_cancellable_new ();

  /* condition properties bind like any other property */
  g_object_bind_property (self->job, "progress", self->progress_bar, "fraction",
                          G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->job, "state", self->state_label, "label",
                          G_BINDING_SYNC_CREATE);

  /* and their accessors wait for a value */
  g_value_init (&done, G_TYPE_STRING);
  g_value_set_static_string (&done, "done");
  is_done = cs_predicate_new_equal (&done);
  cs_accessor_get_async (cs_object_get_accessor (G_OBJECT (self->job), "state"),
                         is_done, CS_GET_FLAGS_NONE, self->cancellable,
                         job_done_cb, self);
}

static DemoWindow *
demo_window_new (GtkApplication *application,
                 const char     *screenshot_file)
{
  DemoWindow *self = g_object_new (DEMO_TYPE_WINDOW, "application", application, NULL);

  self->screenshot_file = g_strdup (screenshot_file);
  return self;
}

/* The application */

static int
handle_local_options_cb (GApplication *application,
                         GVariantDict *options,
                         gpointer      user_data)
{
  char **screenshot_file = user_data;

  g_variant_dict_lookup (options, "screenshot", "^ay", screenshot_file);
  return -1;   /* go on */
}

static void
activate_cb (GApplication *application,
             gpointer      user_data)
{
  char **screenshot_file = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window == NULL)
    window = GTK_WINDOW (demo_window_new (GTK_APPLICATION (application), *screenshot_file));

  gtk_window_present (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) application = NULL;
  g_autofree char *screenshot_file = NULL;
  int status;

  application = gtk_application_new ("org.codestare.GtkDemo", G_APPLICATION_NON_UNIQUE);
  g_application_add_main_option (G_APPLICATION (application), "screenshot", 0,
                                 G_OPTION_FLAG_NONE, G_OPTION_ARG_FILENAME,
                                 "Save the window as a PNG once the job is done, then quit",
                                 "FILE");
  g_signal_connect (application, "handle-local-options",
                    G_CALLBACK (handle_local_options_cb), &screenshot_file);
  g_signal_connect (application, "activate", G_CALLBACK (activate_cb), &screenshot_file);

  status = g_application_run (G_APPLICATION (application), argc, argv);
  return status != EXIT_SUCCESS ? status : exit_status;
}
