# codestare.async_utils — accessor and condition_property
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later

"""Shared awaitable values: `accessor` and `condition_property`.

The names, signatures and semantics of the Python module of the same name,
backed by the codestare library. It needs an asyncio event loop that runs on
GLib: call `gbulb.install()` (Debian: python3-gbulb) before `asyncio.run()`,
or, with PyGObject 3.50 or later, set `gi.events.GLibEventLoopPolicy()`.
"""

from .descriptor import accessor, condition_property

__all__ = ['accessor', 'condition_property']
