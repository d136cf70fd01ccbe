/* cs-predicate.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(CS_INSIDE) && !defined(CS_COMPILATION)
# error "Only <codestare.h> can be included directly."
#endif

#include <glib-object.h>

#include "cs-version-macros.h"

G_BEGIN_DECLS

#define CS_TYPE_PREDICATE (cs_predicate_get_type ())

CS_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (CsPredicate, cs_predicate, CS, PREDICATE, GObject)

/**
 * CsPredicateFunc:
 * @value: the value to test
 * @user_data: the data given to [ctor@Cs.Predicate.new]
 * @error: return location for the reason the test could not be made
 *
 * The test a reader waits for.
 *
 * A predicate that fails (returns %FALSE and sets @error; in Python or
 * JavaScript, raises) fails the read it belongs to with that error, unchanged;
 * the other readers and the value are not affected. An error set with %TRUE is
 * ignored: the value matches.
 *
 * Returns: %TRUE if @value is what the reader waits for
 *
 * Since: 1.0
 */
typedef gboolean (*CsPredicateFunc) (const GValue  *value,
                                     gpointer       user_data,
                                     GError       **error);

CS_AVAILABLE_IN_ALL
CsPredicate *cs_predicate_new           (CsPredicateFunc  func,
                                         gpointer         user_data,
                                         GDestroyNotify   destroy);
CS_AVAILABLE_IN_ALL
CsPredicate *cs_predicate_new_equal     (const GValue    *value);
CS_AVAILABLE_IN_ALL
CsPredicate *cs_predicate_new_not_equal (const GValue    *value);
CS_AVAILABLE_IN_ALL
gboolean     cs_predicate_evaluate      (CsPredicate     *self,
                                         const GValue    *value,
                                         GError         **error);

G_END_DECLS
