/* test-model.c: randomized model-based test of the accessor semantics
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Random sequences of operations on 2–3 int accessors sharing a condition
 * (and sometimes a lone one) run against the library and against the
 * reference model of the API contract (API.md) in model.c; every completion
 * and counter is compared after every step. See model.c for what the model
 * accepts, and fuzz-model.c for the same under libFuzzer.
 *
 *   test-model [--seed N] [--sequences N] [--length N] [--verbose]
 *
 * (or CS_MODEL_SEED, CS_MODEL_SEQUENCES, CS_MODEL_LENGTH). Sequence i uses the
 * seed N + i, so `--seed S --sequences 1` replays the sequence of seed S that a
 * failure prints, with its minimized form. The default run (3000 sequences of
 * 15–30 steps from seed 1, about 83 000 steps) takes about 0.5 s of CPU,
 * 1.5 s under ASan.
 *
 * The long run, 10^6 sequences (release build, on 2 cores shared with other
 * builds; 2026-11-24, src/cs-accessor.c with the equality-reader index):
 *
 *   meson setup _build_model_rel --buildtype=release -Dintrospection=disabled
 *   meson compile -C _build_model_rel tests/test-model
 *   nohup /usr/bin/time -v _build_model_rel/tests/test-model --seed 1 \
 *     --sequences 1000000 --verbose > model-1e6.log 2>&1 &
 *
 *   seed 1: 1000000 sequences, 27713909 steps (teardown included),
 *   14253782 completions compared, at most 72 model states, 0 divergences;
 *   wall time 3 min 3 s (166 s user), maximum RSS 6 MB.
 *
 * Run again after the optimisations of the read and write paths (commit
 * ada32bd and later: stack events, the waiter union, the per-thread context),
 * same command: seed 1: 1000000 sequences, 27713909 steps, 14253782
 * completions compared, at most 72 model states, 0 divergences, 198.1 s
 * (3 min 18 s wall, 167 s user), maximum RSS 5.8 MB.
 *
 * Longer sequences: `--seed 5000001 --sequences 100000 --length 120` gave
 * 9648529 steps, 5692806 completions, at most 1152 model states,
 * 0 divergences, 2 min 52 s.
 */

#include <stdlib.h>
#include <string.h>

#include <codestare.h>

#include "model.h"

static guint32 opt_seed = 1;
static guint64 opt_sequences = 3000;
static guint opt_length = 30;
static gboolean opt_verbose = FALSE;

static void
test_random (void)
{
  ModelStats stats = { 0 };
  gint64 start = g_get_monotonic_time ();
  gboolean failed = FALSE;

  for (guint64 i = 0; i < opt_sequences && !failed; i++)
    {
      guint32 seed = opt_seed + (guint32) i;
      g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
      g_autoptr(GString) report = g_string_new (NULL);
      ModelSequence seq;
      guint length;

      length = g_rand_int_range (rand, opt_length / 2, opt_length + 1);
      model_sequence_init (&seq);
      model_sequence_random (&seq, rand, length);

      if (!model_check (&seq, &stats, report))
        {
          g_autoptr(GString) out = g_string_new (NULL);
          g_autoptr(GString) shrunk_report = g_string_new (NULL);

          g_string_append_printf (out, "DIVERGENCE: seed %u (replay: test-model --seed %u "
                                  "--sequences 1 --length %u)\n", seed, seed, opt_length);
          model_sequence_format (&seq, out);
          g_string_append (out, report->str);

          model_sequence_shrink (&seq);
          model_check (&seq, NULL, shrunk_report);
          g_string_append (out, "minimized:\n");
          model_sequence_format (&seq, out);
          g_string_append (out, shrunk_report->str);

          g_printerr ("%s", out->str);
          g_test_message ("divergence with seed %u", seed);
          g_test_fail ();
          failed = TRUE;
        }

      model_sequence_clear (&seq);

      if (opt_verbose && (i + 1) % 50000 == 0)
        g_printerr ("%" G_GUINT64_FORMAT " sequences, %" G_GUINT64_FORMAT " steps, %.0f s\n",
                    i + 1, stats.steps, (g_get_monotonic_time () - start) / 1e6);
    }

  g_test_message ("seed %u: %" G_GUINT64_FORMAT " sequences, %" G_GUINT64_FORMAT " steps, "
                  "%" G_GUINT64_FORMAT " completions compared, at most %u model states, "
                  "%s, %.1f s",
                  opt_seed, stats.sequences, stats.steps, stats.completions, stats.max_states,
                  failed ? "1 divergence" : "0 divergences",
                  (g_get_monotonic_time () - start) / 1e6);
  if (opt_verbose)
    g_printerr ("seed %u: %" G_GUINT64_FORMAT " sequences, %" G_GUINT64_FORMAT " steps, "
                "%" G_GUINT64_FORMAT " completions compared, at most %u model states, "
                "%s, %.1f s\n",
                opt_seed, stats.sequences, stats.steps, stats.completions, stats.max_states,
                failed ? "1 divergence" : "0 divergences",
                (g_get_monotonic_time () - start) / 1e6);
}

static guint64
parse_number (const char *option,
              const char *text)
{
  guint64 n;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &n, NULL))
    {
      g_printerr ("%s needs a number, not “%s”\n", option, text != NULL ? text : "");
      exit (2);
    }

  return n;
}

/* Takes our options out of argv before g_test_init() sees them. */
static void
parse_options (int    *argc,
               char **argv)
{
  static const char *names[] = { "--seed", "--sequences", "--length" };
  const char *env;
  int out = 1;

  if ((env = g_getenv ("CS_MODEL_SEED")) != NULL)
    opt_seed = (guint32) parse_number ("CS_MODEL_SEED", env);
  if ((env = g_getenv ("CS_MODEL_SEQUENCES")) != NULL)
    opt_sequences = parse_number ("CS_MODEL_SEQUENCES", env);
  if ((env = g_getenv ("CS_MODEL_LENGTH")) != NULL)
    opt_length = (guint) parse_number ("CS_MODEL_LENGTH", env);

  for (int i = 1; i < *argc; i++)
    {
      const char *arg = argv[i];
      const char *text = NULL;
      guint which = G_N_ELEMENTS (names);

      if (strcmp (arg, "--verbose") == 0)
        {
          opt_verbose = TRUE;
          argv[out++] = argv[i];
          continue;
        }

      for (guint k = 0; k < G_N_ELEMENTS (names); k++)
        {
          gsize len = strlen (names[k]);

          if (strcmp (arg, names[k]) == 0)
            {
              which = k;
              text = i + 1 < *argc ? argv[++i] : NULL;
            }
          else if (strncmp (arg, names[k], len) == 0 && arg[len] == '=')
            {
              which = k;
              text = arg + len + 1;
            }
        }

      switch (which)
        {
        case 0:
          opt_seed = (guint32) parse_number (names[0], text);
          break;
        case 1:
          opt_sequences = parse_number (names[1], text);
          break;
        case 2:
          opt_length = (guint) MAX (parse_number (names[2], text), 2);
          break;
        default:
          argv[out++] = argv[i];
          break;
        }
    }

  argv[out] = NULL;
  *argc = out;
}

int
main (int   argc,
      char *argv[])
{
  parse_options (&argc, argv);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/random", test_random);

  return g_test_run ();
}
