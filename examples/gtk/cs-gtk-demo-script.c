/* cs-gtk-demo-script.c — drives the GTK demo from inside, for its test
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * With --script, cs-gtk-demo runs this once its window is up. It acts the
 * way a user would, through GTK's own API (a button's "clicked", closing the
 * window), finds the widgets by the names the demo gives them, and waits for
 * states with the library itself: cs_object_get_accessor() works on any
 * property of any object, a progress bar's "fraction" or a label's
 * "visible" included. Nothing sleeps; every step waits for an event.
 *
 *   full         the question dialog shows → screenshots "dialog" and "mid"
 *                → gamma.img reaches 25% → click its Cancel → click Replace
 *                → the banner shows → screenshot "end" → close the window
 *   close-early  the question dialog shows → screenshots "dialog" and "mid"
 *                → close the window while beta.tar's worker waits for the
 *                answer
 *
 * Each screenshot is saved as DIR/NAME.png, printed as
 *   snapshot NAME FILE WIDTHxHEIGHT
 * and followed by what the named widgets of that window show, at the moment
 * the PNG was rendered:
 *   widget NAME WIDGET visible=0|1 sensitive=0|1 bounds=X,Y,W,H [fraction=F] [text=…]
 * tests/gtk/check-screenshot.py checks these lines against the pixels.
 * examples/gtk/demo_script.py prints the same for the Python demo.
 */

#include <string.h>

#include <codestare.h>

#include "cs-gtk-demo-script.h"

#define WATCHDOG_SECONDS 20

typedef void (*ScriptStep) (void);

/* One script a process, run on the GUI thread. */
static struct
{
  GtkWindow  *window;
  GtkWindow  *dialog;          /* weak */
  char       *mode;
  char       *dir;
  const char *waiting_for;     /* for the watchdog's message */

  /* the snapshot to take after the next paint, then the next step */
  const char *shot;
  ScriptStep  then;
  gulong      after_paint_id;
} script;

G_GNUC_PRINTF (1, 2) G_GNUC_NORETURN static void
script_fail (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_printerr ("script: FAILED: %s\n", message);
  exit (EXIT_FAILURE);
}

static gboolean
watchdog_cb (gpointer user_data)
{
  script_fail ("timed out after %d s waiting for %s", WATCHDOG_SECONDS, script.waiting_for);
}

static GtkWidget *
find_widget (GtkWidget  *root,
             const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (g_str_equal (gtk_widget_get_name (child), name))
        return child;
      if ((found = find_widget (child, name)) != NULL)
        return found;
    }

  return NULL;
}

static GtkWidget *
get_widget (GtkWindow  *window,
            const char *name)
{
  GtkWidget *widget = find_widget (GTK_WIDGET (window), name);

  if (widget == NULL)
    script_fail ("no widget named %s", name);

  return widget;
}

static void
click (GtkWindow  *window,
       const char *name)
{
  GtkWidget *button = get_widget (window, name);

  /* a user could not click it either */
  if (!gtk_widget_is_sensitive (button))
    script_fail ("%s is insensitive", name);

  g_print ("script: clicked %s\n", name);
  g_signal_emit_by_name (button, "clicked");
}

/* Snapshots */

static void
report_widget (const char *shot,
               GtkWidget  *root,
               GtkWidget  *widget)
{
  g_autoptr(GString) line = g_string_new (NULL);
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, root, &bounds))
    graphene_rect_init (&bounds, 0, 0, 0, 0);

  g_string_printf (line, "widget %s %s visible=%d sensitive=%d bounds=%d,%d,%d,%d",
                   shot, gtk_widget_get_name (widget),
                   gtk_widget_is_drawable (widget), gtk_widget_is_sensitive (widget),
                   (int) bounds.origin.x, (int) bounds.origin.y,
                   (int) bounds.size.width, (int) bounds.size.height);

  if (GTK_IS_PROGRESS_BAR (widget))
    {
      char fraction[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (fraction, sizeof fraction, "%.3f",
                       gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (widget)));
      g_string_append_printf (line, " fraction=%s", fraction);
    }
  else if (GTK_IS_LABEL (widget))
    g_string_append_printf (line, " text=%s", gtk_label_get_label (GTK_LABEL (widget)));

  g_print ("%s\n", line->str);
}

/* The widgets the demo named: "JOB/WHAT", "answer/WHAT", "banner", "question". */
static void
report_widgets (const char *shot,
                GtkWidget  *root,
                GtkWidget  *parent)
{
  for (GtkWidget *child = gtk_widget_get_first_child (parent);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *name = gtk_widget_get_name (child);

      if (strchr (name, '/') != NULL || g_str_equal (name, "banner") ||
          g_str_equal (name, "question"))
        report_widget (shot, root, child);
      report_widgets (shot, root, child);
    }
}

static void
save_snapshot (GtkWindow  *window,
               const char *shot)
{
  GtkWidget *widget = GTK_WIDGET (window);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *basename = g_strconcat (shot, ".png", NULL);

  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    script_fail ("the %s window drew nothing", shot);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_build_filename (script.dir, basename, NULL);
  if (!gdk_texture_save_to_png (texture, file))
    script_fail ("could not write %s", file);

  g_print ("snapshot %s %s %dx%d\n", shot, file, width, height);
  report_widgets (shot, widget, widget);
}

static void
next_step_cb (gpointer user_data)
{
  ScriptStep then = (ScriptStep) user_data;

  then ();
}

/* Right after a paint the widgets show what was painted: nothing else runs
 * in between. The next step runs from the main loop, not from inside the
 * frame clock's emission. */
static void
after_paint_cb (GdkFrameClock *frame_clock,
                GtkWindow     *window)
{
  g_clear_signal_handler (&script.after_paint_id, frame_clock);
  save_snapshot (window, script.shot);
  g_idle_add_once (next_step_cb, (gpointer) script.then);
}

static void
snapshot_after_paint (GtkWindow  *window,
                      const char *shot,
                      ScriptStep  then)
{
  GdkFrameClock *frame_clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

  g_assert (script.after_paint_id == 0 && frame_clock != NULL);

  script.waiting_for = shot;
  script.shot = shot;
  script.then = then;
  script.after_paint_id = g_signal_connect (frame_clock, "after-paint",
                                            G_CALLBACK (after_paint_cb), window);
  gtk_widget_queue_draw (GTK_WIDGET (window));
}

/* Waiting for a widget's property, with the library */

static gboolean
at_least_a_quarter (const GValue  *value,
                    gpointer       user_data,
                    GError       **error)
{
  return g_value_get_double (value) >= 0.25;
}

static void
wait_for_property (GtkWidget           *widget,
                   const char          *property,
                   CsPredicate         *predicate,
                   GAsyncReadyCallback  callback)
{
  script.waiting_for = property;
  cs_accessor_get_async (cs_object_get_accessor (G_OBJECT (widget), property), predicate,
                         CS_GET_FLAGS_NONE, NULL, callback, NULL);
}

static void
finish_waiting (GObject      *source,
                GAsyncResult *result)
{
  g_autoptr(GError) error = NULL;
  GValue *value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);

  if (value == NULL)
    script_fail ("waiting for %s: %s", script.waiting_for, error->message);
  g_boxed_free (G_TYPE_VALUE, value);
}

/* The steps */

static void
step_close (void)
{
  g_print ("script: closing the window\n");
  gtk_window_close (script.window);
}

static void
banner_shown_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  finish_waiting (source, result);
  snapshot_after_paint (script.window, "end", step_close);
}

static void
gamma_quarter_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_auto(GValue) visible = G_VALUE_INIT;
  g_autoptr(CsPredicate) is_visible = NULL;

  finish_waiting (source, result);

  click (script.window, "gamma.img/cancel");
  if (script.dialog == NULL)
    script_fail ("the question dialog has gone");
  click (script.dialog, "answer/replace");

  /* the group predicate shows the banner once all three have finished */
  g_value_init (&visible, G_TYPE_BOOLEAN);
  g_value_set_boolean (&visible, TRUE);
  is_visible = cs_predicate_new_equal (&visible);
  wait_for_property (get_widget (script.window, "banner"), "visible", is_visible,
                     banner_shown_cb);
}

static void
step_after_mid (void)
{
  g_autoptr(CsPredicate) quarter = NULL;

  if (g_str_equal (script.mode, "close-early"))
    {
      step_close ();
      return;
    }

  quarter = cs_predicate_new (at_least_a_quarter, NULL, NULL);
  wait_for_property (get_widget (script.window, "gamma.img/progress"), "fraction", quarter,
                     gamma_quarter_cb);
}

static void
step_mid (void)
{
  snapshot_after_paint (script.window, "mid", step_after_mid);
}

static void
dialog_map_cb (GtkWidget *dialog,
               gpointer   user_data)
{
  g_signal_handlers_disconnect_by_func (dialog, dialog_map_cb, user_data);
  snapshot_after_paint (GTK_WINDOW (dialog), "dialog", step_mid);
}

static void
window_added_cb (GtkApplication *application,
                 GtkWindow      *window,
                 gpointer        user_data)
{
  if (script.dialog != NULL || window == script.window)
    return;

  g_print ("script: a dialog shows\n");
  script.dialog = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &script.dialog);
  g_signal_connect (window, "map", G_CALLBACK (dialog_map_cb), NULL);
}

void
demo_script_start (GtkWindow  *window,
                   const char *mode,
                   const char *snapshot_dir)
{
  g_return_if_fail (script.window == NULL);

  if (!g_str_equal (mode, "full") && !g_str_equal (mode, "close-early"))
    script_fail ("unknown script %s", mode);

  script.window = window;
  script.mode = g_strdup (mode);
  script.dir = g_strdup (snapshot_dir);
  script.waiting_for = "the question dialog";

  /* The accessors the steps wait on, made before the workers start: with
   * this version of the library, making an accessor on the GUI thread while
   * a worker's write to a bound condition property is queued deadlocks
   * (cs_object_get_accessor() holds a global lock while the new accessor
   * runs the queued write, whose binding reads a condition property). */
  cs_object_get_accessor (G_OBJECT (get_widget (window, "gamma.img/progress")), "fraction");
  cs_object_get_accessor (G_OBJECT (get_widget (window, "banner")), "visible");

  g_signal_connect (gtk_window_get_application (window), "window-added",
                    G_CALLBACK (window_added_cb), NULL);
  g_timeout_add_seconds (WATCHDOG_SECONDS, watchdog_cb, NULL);
}
