/* cs-version-macros.h
 *
 * Copyright 2026 The codestare authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(CS_INSIDE) && !defined(CS_COMPILATION)
# error "Only <codestare.h> can be included directly."
#endif

#ifndef _CS_EXTERN
# define _CS_EXTERN extern
#endif

#define CS_AVAILABLE_IN_ALL _CS_EXTERN
