/* cs-test-util.h: helpers shared by the C test programs
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <codestare.h>

G_BEGIN_DECLS

/* The most a drain runs the main context before it gives up. */
#define CS_TEST_DRAIN_ITERATIONS 1000

typedef struct _CsTestResult CsTestResult;

typedef void (*CsTestResultHook) (CsAccessor   *acc,
                                  CsTestResult *result);

/* The completion of one call: get_async, set_async or wait_for_read_async
 * (through the cs_test_*_done() callbacks), or a blocking call made in a
 * worker (cs_test_result_complete()). */
struct _CsTestResult
{
  guint             done;         /* completions seen (atomic): a test asserts exactly 1 */
  gboolean          ok;           /* the finish function's answer; for a read, value != NULL */
  GValue           *value;        /* (owned) (nullable): a read's value */
  GError           *error;        /* (owned) (nullable) */
  GCancellable     *cancellable;  /* (owned) (nullable): for the caller to pass to the call */
  CsTestResultHook  hook;         /* (nullable): run at the end of each completion */
  gpointer          hook_data;
};

guint        cs_test_watchdog_seconds      (guint               seconds);

/* A watchdog thread, for tests whose main thread may block (in a join, a
 * blocking call): aborts the program if the test still runs after @seconds
 * (cs_test_watchdog_seconds() of them). */
typedef struct _CsTestWatchdog CsTestWatchdog;

CsTestWatchdog *cs_test_watchdog_start  (const char         *name,
                                         guint               seconds);
void         cs_test_watchdog_stop         (CsTestWatchdog     *watchdog);
void         cs_test_run_until             (const guint        *count,
                                            guint               target,
                                            guint               timeout_seconds);
void         cs_test_wait_until            (const gboolean     *flag,
                                            guint               timeout_seconds);
gboolean     cs_test_drain_context         (GMainContext       *context,
                                            guint               max_iterations);
void         cs_test_drain                 (void);
void         cs_test_assert_last_unref     (gpointer            objectp);
void         cs_test_finalize              (gpointer            objectp);

void         cs_test_value_free            (GValue             *value);
void         cs_test_value_init_int        (GValue             *value,
                                            int                 i);
void         cs_test_assert_value_int      (const GValue       *value,
                                            int                 expected);
CsPredicate *cs_test_predicate_equal_int   (int                 i);
gboolean     cs_test_set_int               (CsAccessor         *acc,
                                            int                 i,
                                            GError            **error);
void         cs_test_assert_set_int        (CsAccessor         *acc,
                                            int                 i);
int          cs_test_dup_int               (CsAccessor         *acc);

void         cs_test_count_cb              (GObject            *object,
                                            GParamSpec         *pspec,
                                            gpointer            user_data);

void         cs_test_result_clear          (CsTestResult       *result);
void         cs_test_result_complete       (CsTestResult       *result,
                                            CsAccessor         *acc,
                                            gboolean            ok);
void         cs_test_get_done              (GObject            *object,
                                            GAsyncResult       *res,
                                            gpointer            user_data);
void         cs_test_set_done              (GObject            *object,
                                            GAsyncResult       *res,
                                            gpointer            user_data);
void         cs_test_wait_for_read_done    (GObject            *object,
                                            GAsyncResult       *res,
                                            gpointer            user_data);
void         cs_test_assert_result_ok      (const CsTestResult *result);
void         cs_test_assert_result_int     (const CsTestResult *result,
                                            int                 expected);
void         cs_test_assert_result_error   (const CsTestResult *result,
                                            GQuark              domain,
                                            int                 code);

G_END_DECLS
