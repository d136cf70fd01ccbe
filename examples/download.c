/* download.c — condition properties in one page
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A DemoDownload has two condition properties: "progress" (0..100) and
 * "state" ("idle", "running", "done"). The class writes no get_property or
 * set_property code for them, and the download itself only calls
 * g_object_set(): it knows nothing of who is waiting.
 *
 * The main code waits for "progress >= 50" (a predicate with a C function),
 * then for state == "done" (a built-in equality predicate), then quits.
 */

#include <codestare.h>

/* The download {{{ */

#define DEMO_TYPE_DOWNLOAD (demo_download_get_type ())
G_DECLARE_FINAL_TYPE (DemoDownload, demo_download, DEMO, DOWNLOAD, GObject)

struct _DemoDownload
{
  GObject parent_instance;
  guint   timeout_id;
};

G_DEFINE_FINAL_TYPE (DemoDownload, demo_download, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PROGRESS,
  PROP_STATE,
  N_PROPS
};

static void
demo_download_dispose (GObject *object)
{
  DemoDownload *self = DEMO_DOWNLOAD (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (demo_download_parent_class)->dispose (object);
}

static void
demo_download_class_init (DemoDownloadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = demo_download_dispose;

  /* ordinary pspecs; the library keeps the values and the waiters */
  cs_object_class_install_condition_property (object_class, PROP_PROGRESS,
    g_param_spec_int ("progress", NULL, NULL, 0, 100, 0,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  cs_object_class_install_condition_property (object_class, PROP_STATE,
    g_param_spec_string ("state", NULL, NULL, "idle",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
}

static void
demo_download_init (DemoDownload *self)
{
}

/* One tick of the download: 20% more, until it is done. */
static gboolean
demo_download_step (gpointer user_data)
{
  DemoDownload *self = user_data;
  int progress;

  g_object_get (self, "progress", &progress, NULL);
  progress = MIN (progress + 20, 100);
  g_print ("download: %d%%\n", progress);

  if (progress < 100)
    {
      g_object_set (self, "progress", progress, NULL);
      return G_SOURCE_CONTINUE;
    }

  g_print ("download: done\n");
  self->timeout_id = 0;
  g_object_set (self, "progress", progress, "state", "done", NULL);

  return G_SOURCE_REMOVE;
}

static void
demo_download_start (DemoDownload *self)
{
  g_print ("download: starting\n");
  g_object_set (self, "state", "running", NULL);
  self->timeout_id = g_timeout_add (100, demo_download_step, self);
}

/* }}} */

/* The code that waits {{{ */

typedef struct
{
  GMainLoop    *loop;
  DemoDownload *download;
} App;

static gboolean
at_least_half (const GValue  *value,
               gpointer       user_data,
               GError       **error)
{
  return g_value_get_int (value) >= 50;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  GValue *value;

  value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);
  if (value == NULL)
    g_error ("waiting for the end: %s", error->message);

  g_print ("main:     state is \"%s\", quitting\n", g_value_get_string (value));
  g_boxed_free (G_TYPE_VALUE, value);

  g_main_loop_quit (app->loop);
}

static void
on_half (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CsPredicate) is_done = NULL;
  g_auto(GValue) done = G_VALUE_INIT;
  CsAccessor *state;
  GValue *value;

  value = cs_accessor_get_finish (CS_ACCESSOR (source), result, &error);
  if (value == NULL)
    g_error ("waiting for half: %s", error->message);

  /* exactly the value that matched, not whatever is there by now */
  g_print ("main:     progress reached %d%%; waiting for \"done\"\n", g_value_get_int (value));
  g_boxed_free (G_TYPE_VALUE, value);

  g_value_init (&done, G_TYPE_STRING);
  g_value_set_static_string (&done, "done");
  is_done = cs_predicate_new_equal (&done);

  state = cs_object_get_accessor (G_OBJECT (app->download), "state");
  cs_accessor_get_async (state, is_done, CS_GET_FLAGS_NONE, NULL, on_done, app);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(DemoDownload) download = g_object_new (DEMO_TYPE_DOWNLOAD, NULL);
  g_autoptr(CsPredicate) half = cs_predicate_new (at_least_half, NULL, NULL);
  App app = { loop, download };
  CsAccessor *progress;

  /* the accessor behind "progress": owned by the object, made on first use */
  progress = cs_object_get_accessor (G_OBJECT (download), "progress");

  g_print ("main:     waiting for progress >= 50\n");
  cs_accessor_get_async (progress, half, CS_GET_FLAGS_NONE, NULL, on_half, &app);

  demo_download_start (download);
  g_main_loop_run (loop);

  return 0;
}

/* }}} */
