#!/usr/bin/python3
# demo.py — codestare in one page, from Python with `await` (a port of demo.c)
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run it against a build tree, with the library's PyGObject override from the
# source tree (PyGObject comes with the system interpreter; gbulb, which runs
# asyncio on GLib, with python3-gbulb):
#
#   PYTHONPATH=python GI_TYPELIB_PATH=_build/plain/src \
#       LD_LIBRARY_PATH=_build/plain/src /usr/bin/python3 examples/demo.py
#
# Part 1: a thermostat. A sensor writes a temperature every 100 ms into a
# Cs.Accessor; one reader waits for "temperature >= 30" (a predicate), another
# simply waits for the next reading.
#
# Part 2: a handoff. A producer queues three parcels with wait_for_read=True:
# each is delivered only while the consumer is reading, so none is overwritten
# before it was seen.

import asyncio
import sys

import gbulb
import gi

gi.require_version('Cs', '1.0')
from gi.repository import Cs  # noqa: E402

READINGS = [22.0, 27.5, 31.0, 35.5]
PARCELS = ['apple', 'banana', 'cherry']


async def thermostat():
    print('== thermostat ==')
    temperature = Cs.Accessor(float)

    async def alarm():
        print('alarm: waiting for temperature >= 30 C')
        value = await temperature.get(lambda t: t >= 30.0)
        print('  alarm:  it is hot: %.1f C' % value)

    async def display():
        print('display: waiting for the next reading')
        value = await temperature.get()
        print('  display: the next reading was %.1f C' % value)

    readers = [asyncio.create_task(alarm()), asyncio.create_task(display())]
    await asyncio.sleep(0)
    print('(%u readers waiting)' % temperature.get_n_waiting_reads())

    for value in READINGS:
        await asyncio.sleep(0.1)
        print('sensor: %.1f C' % value)
        # applied at once; waiting readers see it
        await temperature.set(value)

    await asyncio.gather(*readers)


async def handoff():
    print('\n== handoff ==')
    mailbox = Cs.Accessor(str)

    async def deliver(parcel):
        # not applied until someone reads; the three go one at a time, in order
        await mailbox.set(parcel, wait_for_read=True)
        print('  producer: "%s" was taken' % parcel)

    deliveries = []
    for parcel in PARCELS:
        print('producer: queueing "%s"' % parcel)
        deliveries.append(asyncio.create_task(deliver(parcel)))
        await asyncio.sleep(0)
    print('(nobody reads yet: the mailbox has had %d writes)' % mailbox.get_generation())

    await asyncio.sleep(0.1)
    for _ in PARCELS:
        print('consumer: reading')
        print('  consumer: got "%s"' % await mailbox.get())

    await asyncio.gather(*deliveries)
    print('done')


async def main():
    # a demo should never hang, whatever goes wrong
    await asyncio.wait_for(thermostat(), 10)
    await asyncio.wait_for(handoff(), 10)


if __name__ == '__main__':
    gbulb.install()
    try:
        asyncio.run(main())
    except asyncio.TimeoutError:
        print('demo: gave up after 10 s', file=sys.stderr)
        sys.exit(1)
