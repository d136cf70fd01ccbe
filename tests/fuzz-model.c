/* fuzz-model.c: libFuzzer target for the model-based test
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Decodes the input into an operation sequence (model.c, the same model and
 * driver as test-model) and aborts on a divergence between the library and
 * the model, after printing the sequence, its minimized form and the first
 * differing completion or counter, or the first callback that ran inside a
 * library call (the model's rules: the comment at the top of model.c). Built
 * with -Dfuzzing=true and clang:
 *
 *   CC=clang meson setup _build_fuzz -Dfuzzing=true -Dintrospection=disabled \
 *     -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link
 *   meson test -C _build_fuzz --suite fuzz             (a short smoke run)
 *   _build_fuzz/tests/fuzz-model -create_missing_dirs=1 corpus/ tests/fuzz-corpus/
 */

#include <stdint.h>
#include <stdlib.h>

#include <codestare.h>

#include "model.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) report = g_string_new (NULL);
  ModelSequence seq;

  model_sequence_init (&seq);
  model_sequence_decode (&seq, data, size);

  if (!model_check (&seq, NULL, report))
    {
      g_autoptr(GString) out = g_string_new ("DIVERGENCE\n");
      g_autoptr(GString) shrunk_report = g_string_new (NULL);

      model_sequence_format (&seq, out);
      g_string_append (out, report->str);

      model_sequence_shrink (&seq);
      model_check (&seq, NULL, shrunk_report);
      g_string_append (out, "minimized:\n");
      model_sequence_format (&seq, out);
      g_string_append (out, shrunk_report->str);

      g_printerr ("%s", out->str);
      abort ();
    }

  model_sequence_clear (&seq);

  return 0;
}
