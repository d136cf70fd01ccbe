// demo.js — codestare in one page, from GJS (a port of demo.c)
//
// Copyright 2026 The codestare authors
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Run it against a build tree:
//
//   GI_TYPELIB_PATH=_build/plain/src LD_LIBRARY_PATH=_build/plain/src \
//       gjs -m examples/demo.js
//
// Part 1: a thermostat. A sensor writes a temperature every 100 ms into a
// Cs.Accessor; one reader waits for "temperature >= 30" (a predicate), another
// simply waits for the next reading.
//
// Part 2: a handoff. A producer queues three parcels with
// Cs.SetFlags.WAIT_FOR_READ: each is delivered only while the consumer is
// reading, so none is overwritten before it was seen.

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Cs from 'gi://Cs?version=1.0';
import System from 'system';

// Turn the _async/_finish pairs into methods returning promises.
Gio._promisify(Cs.Accessor.prototype, 'get_async', 'get_finish');
Gio._promisify(Cs.Accessor.prototype, 'set_async', 'set_finish');

const READINGS = [22.0, 27.5, 31.0, 35.5];
const PARCELS = ['apple', 'banana', 'cherry'];

function sleep(ms) {
    return new Promise(resolve => {
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, ms, () => {
            resolve();
            return GLib.SOURCE_REMOVE;
        });
    });
}

// Part 1: the thermostat
async function thermostat() {
    const temperature = Cs.Accessor.new(GObject.TYPE_DOUBLE);

    print('== thermostat ==');

    print('alarm: waiting for temperature >= 30 C');
    const hot = Cs.Predicate.new(value => value >= 30.0);
    const alarm = temperature.get_async(hot, Cs.GetFlags.NONE, null)
        .then(value => print(`  alarm:  it is hot: ${value.toFixed(1)} C`));

    print('display: waiting for the next reading');
    const display = temperature.get_async(null, Cs.GetFlags.NONE, null)
        .then(value => print(`  display: the next reading was ${value.toFixed(1)} C`));

    print(`(${temperature.n_waiting_reads} readers waiting)`);

    for (const reading of READINGS) {
        await sleep(100);
        print(`sensor: ${reading.toFixed(1)} C`);
        // A plain write is applied at once; waiting readers see it.
        temperature.set(reading, Cs.SetFlags.NONE, null);
    }

    await Promise.all([alarm, display]);
    await sleep(100);
}

// Part 2: the handoff
async function handoff() {
    const mailbox = Cs.Accessor.new(GObject.TYPE_STRING);

    print('\n== handoff ==');

    // Not applied until someone reads; the three go one at a time, in order.
    const deliveries = PARCELS.map(parcel => {
        print(`producer: queueing "${parcel}"`);
        return mailbox.set_async(parcel, Cs.SetFlags.WAIT_FOR_READ, null)
            .then(() => print(`  producer: "${parcel}" was taken`));
    });

    print(`(nobody reads yet: the mailbox has had ${mailbox.generation} writes)`);

    await sleep(100);

    // Each read lets the next queued parcel in.
    for (let i = 0; i < PARCELS.length; i++) {
        print('consumer: reading');
        const parcel = await mailbox.get_async(null, Cs.GetFlags.NONE, null);
        print(`  consumer: got "${parcel}"`);
    }

    await Promise.all(deliveries);
    print('done');
}

const loop = new GLib.MainLoop(null, false);
let exitCode = 0;

// A safety net: a demo should never hang, whatever goes wrong.
const safetyNet = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 10, () => {
    printerr('demo: gave up after 10 s');
    System.exit(1);
    return GLib.SOURCE_REMOVE;
});

thermostat()
    .then(handoff)
    .catch(error => {
        logError(error, 'demo');
        exitCode = 1;
    })
    .finally(() => loop.quit());

loop.run();
GLib.source_remove(safetyNet);
System.exit(exitCode);
