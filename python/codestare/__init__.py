# codestare — awaitable values for asyncio programs, backed by the codestare
# library (Cs-1.0) through PyGObject.
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
