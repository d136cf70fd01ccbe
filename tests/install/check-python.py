#!/usr/bin/python3
# check-python.py ROOT — the installed override of Cs and codestare.async_utils
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run with ROOT (where the install put them) on PYTHONPATH, the installed
# typelib and library on GI_TYPELIB_PATH and LD_LIBRARY_PATH. Prints "ok" if
# both come from ROOT, the system's gi still comes from the system, and a value
# can be awaited through each.

import asyncio
import os
import sys

import gbulb
import gi

gi.require_version('Cs', '1.0')
from gi.repository import Cs  # noqa: E402

import codestare.async_utils  # noqa: E402
import gi.overrides.Cs  # noqa: E402

root = os.path.realpath(sys.argv[1])


def inside(path):
    return os.path.realpath(path).startswith(root + os.sep)


assert inside(gi.overrides.Cs.__file__), gi.overrides.Cs.__file__
assert inside(codestare.async_utils.__file__), codestare.async_utils.__file__
assert not inside(gi.__file__), 'gi itself comes from %s' % gi.__file__
assert isinstance(Cs.Accessor(int), gi.overrides.Cs.Accessor)


async def main():
    acc = Cs.Accessor(int)
    seed = codestare.async_utils.accessor()
    reader = asyncio.create_task(acc.get(lambda v: v > 1))
    seed_reader = asyncio.create_task(seed.get())
    await asyncio.sleep(0)
    await acc.set(2)
    await seed.set('two')
    return await reader, await seed_reader


gbulb.install()
assert asyncio.run(asyncio.wait_for(main(), 10)) == (2, 'two')
print('ok')
