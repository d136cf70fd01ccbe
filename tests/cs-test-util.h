/* cs-test-util.h: helpers shared by the C test programs
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <codestare.h>

G_BEGIN_DECLS

/* A get_async completion: the value or the error, and whether it came. */
typedef struct
{
  gboolean  done;
  GValue   *value;
  GError   *error;
} CsTestResult;

guint        cs_test_watchdog_seconds      (guint           seconds);
void         cs_test_run_until             (const guint    *count,
                                            guint           target,
                                            guint           timeout_seconds);
void         cs_test_wait_until            (const gboolean *flag,
                                            guint           timeout_seconds);
void         cs_test_drain                 (void);
void         cs_test_assert_last_unref     (gpointer        objectp);
void         cs_test_finalize              (gpointer        objectp);

void         cs_test_value_free            (GValue         *value);
void         cs_test_value_init_int        (GValue         *value,
                                            int             i);
void         cs_test_assert_value_int      (const GValue   *value,
                                            int             expected);
CsPredicate *cs_test_predicate_equal_int   (int             i);
gboolean     cs_test_set_int               (CsAccessor     *acc,
                                            int             i,
                                            GError        **error);
void         cs_test_assert_set_int        (CsAccessor     *acc,
                                            int             i);
int          cs_test_dup_int               (CsAccessor     *acc);

void         cs_test_count_cb              (GObject        *object,
                                            GParamSpec     *pspec,
                                            gpointer        user_data);

void         cs_test_result_clear          (CsTestResult   *result);
void         cs_test_get_done              (GObject        *object,
                                            GAsyncResult   *res,
                                            gpointer        user_data);

G_END_DECLS
