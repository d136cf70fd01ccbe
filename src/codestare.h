/* codestare.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#define CS_INSIDE
# include "cs-version.h"
# include "cs-version-macros.h"
# include "cs-enums.h"
# include "cs-predicate.h"
# include "cs-condition.h"
# include "cs-accessor.h"
# include "cs-object.h"
#undef CS_INSIDE
