#!/usr/bin/python3
# demo.py — codestare in one page, from Python (a port of demo.c)
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Run it against a build tree (PyGObject comes with the system interpreter):
#
#   GI_TYPELIB_PATH=_build/plain/src LD_LIBRARY_PATH=_build/plain/src \
#       /usr/bin/python3 examples/demo.py
#
# Part 1: a thermostat. A sensor writes a temperature every 100 ms into a
# Cs.Accessor; one reader waits for "temperature >= 30" (a predicate), another
# simply waits for the next reading.
#
# Part 2: a handoff. A producer queues three parcels with
# Cs.SetFlags.WAIT_FOR_READ: each is delivered only while the consumer is
# reading, so none is overwritten before it was seen.
#
# PyGObject 3.42 cannot await GI calls, so this uses callbacks and a main loop.

import sys

import gi

gi.require_version('Cs', '1.0')
from gi.repository import Cs, GLib, GObject  # noqa: E402

READINGS = [22.0, 27.5, 31.0, 35.5]
PARCELS = ['apple', 'banana', 'cherry']


class Demo:
    def __init__(self):
        self.loop = GLib.MainLoop()
        self.temperature = Cs.Accessor.new(GObject.TYPE_DOUBLE)
        self.mailbox = Cs.Accessor.new(GObject.TYPE_STRING)
        self.n_readings = 0
        self.n_received = 0
        self.n_pending = 0  # reads and writes not completed yet

    # Part 1: the thermostat

    def start_thermostat(self):
        print('== thermostat ==')

        print('alarm: waiting for temperature >= 30 C')
        hot = Cs.Predicate.new(lambda value: value >= 30.0)
        self.temperature.get_async(hot, Cs.GetFlags.NONE, None, self.on_hot)
        self.n_pending += 1

        print('display: waiting for the next reading')
        self.temperature.get_async(None, Cs.GetFlags.NONE, None, self.on_next_reading)
        self.n_pending += 1

        print('(%u readers waiting)' % self.temperature.get_n_waiting_reads())

        GLib.timeout_add(100, self.sensor_tick)

    def on_hot(self, accessor, result):
        value = accessor.get_finish(result)  # raises GLib.Error on failure
        print('  alarm:  it is hot: %.1f C' % value)
        self.n_pending -= 1

    def on_next_reading(self, accessor, result):
        value = accessor.get_finish(result)
        print('  display: the next reading was %.1f C' % value)
        self.n_pending -= 1

    def sensor_tick(self):
        if self.n_readings == len(READINGS):
            self.start_handoff()
            return GLib.SOURCE_REMOVE

        value = READINGS[self.n_readings]
        self.n_readings += 1
        print('sensor: %.1f C' % value)

        # A plain write is applied at once; waiting readers see it.
        self.temperature.set(value, Cs.SetFlags.NONE, None)

        return GLib.SOURCE_CONTINUE

    # Part 2: the handoff

    def maybe_quit(self):
        if self.n_pending == 0 and self.n_received == len(PARCELS):
            print('done')
            self.loop.quit()

    def on_delivered(self, accessor, result, parcel):
        accessor.set_finish(result)
        print('  producer: "%s" was taken' % parcel)
        self.n_pending -= 1
        self.maybe_quit()

    def on_received(self, accessor, result):
        value = accessor.get_finish(result)
        print('  consumer: got "%s"' % value)
        self.n_received += 1
        self.n_pending -= 1

        # Reading again lets the next queued parcel in.
        if self.n_received < len(PARCELS):
            self.consume_one()

        self.maybe_quit()

    def consume_one(self):
        print('consumer: reading')
        self.mailbox.get_async(None, Cs.GetFlags.NONE, None, self.on_received)
        self.n_pending += 1

    def consumer_arrives(self):
        self.consume_one()
        return GLib.SOURCE_REMOVE

    def start_handoff(self):
        print('\n== handoff ==')

        for parcel in PARCELS:
            # Not applied until someone reads; the three go one at a time, in order.
            print('producer: queueing "%s"' % parcel)
            self.mailbox.set_async(parcel, Cs.SetFlags.WAIT_FOR_READ, None,
                                   self.on_delivered, parcel)
            self.n_pending += 1

        print('(nobody reads yet: the mailbox has had %d writes)'
              % self.mailbox.get_generation())

        GLib.timeout_add(100, self.consumer_arrives)


def main():
    demo = Demo()
    failed = []

    # A safety net: a demo should never hang, whatever goes wrong.
    def give_up():
        print('demo: gave up after 10 s', file=sys.stderr)
        failed.append(True)
        demo.loop.quit()
        return GLib.SOURCE_REMOVE

    # PyGObject only prints exceptions raised in callbacks: stop at the first.
    def on_exception(exc_type, exc, tb):
        sys.__excepthook__(exc_type, exc, tb)
        failed.append(True)
        demo.loop.quit()

    sys.excepthook = on_exception

    safety_net = GLib.timeout_add_seconds(10, give_up)
    demo.start_thermostat()
    demo.loop.run()
    if not failed:
        GLib.source_remove(safety_net)

    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
