// test-accessor.js — CsAccessor through GJS
//
// Copyright 2026 The codestare authors
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Run against a build tree:
//   GI_TYPELIB_PATH=_build/src LD_LIBRARY_PATH=_build/src gjs -m tests/js/test-accessor.js

import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Gio from 'gi://Gio';
import Cs from 'gi://Cs?version=1.0';

import {
    test, run, track, settle,
    assertEqual, assertTrue, assertRejects, assertThrows,
} from './tap.js';

Gio._promisify(Cs.Accessor.prototype, 'get_async', 'get_finish');
Gio._promisify(Cs.Accessor.prototype, 'set_async', 'set_finish');
Gio._promisify(Cs.Accessor.prototype, 'wait_for_read_async', 'wait_for_read_finish');

const CS_ERROR = Cs.accessor_error_quark();
const IO_ERROR = Gio.io_error_quark();
const {NONE, WAIT_FOR_WRITE, NO_WAIT_FOR_WRITE} = Cs.GetFlags;
const {WAIT_FOR_READ} = Cs.SetFlags;

const GThing = GObject.registerClass({
    Properties: {
        'value': GObject.ParamSpec.int('value', 'Value', 'A value of at least 1',
            GObject.ParamFlags.READWRITE, 1, GLib.MAXINT32, 1),
    },
}, class GThing extends GObject.Object {
    get value() {
        return this._value ?? 1;
    }

    set value(value) {
        if (this._value === value)
            return;
        this._value = value;
        this.notify('value');
    }
});

const Sensor = GObject.registerClass({
    Properties: {
        'reading': GObject.ParamSpec.string('reading', 'Reading', 'The last reading',
            GObject.ParamFlags.READWRITE, null),
    },
}, class Sensor extends GObject.Object {
    get reading() {
        return this._reading ?? null;
    }

    set reading(value) {
        if (this._reading === value)
            return;
        this._reading = value;
        this.notify('reading');
    }
});

// The seed's documentation examples

// The seed's Thing: a property whose setter refuses a falsy value.
class Thing {
    constructor() {
        this._value = null;
    }

    get value() {
        return this._value;
    }

    set value(value) {
        if (!value)
            throw new Error(`Illegal value ${value}`);
        this._value = value;
    }
}

test('seed: a background reader gets "Bar"', async () => {
    const foo = Cs.Accessor.new(GObject.TYPE_STRING);
    const background = track(foo.get_async(null, NONE, null));
    await settle();
    assertEqual(background.done, false, 'reader done before the write');
    assertEqual(foo.n_waiting_reads, 1, 'n-waiting-reads');

    assertEqual(await foo.set_async('Bar', Cs.SetFlags.NONE, null), true, 'set_async');
    await background.promise;
    assertEqual(background.error, undefined, 'error');
    assertEqual(background.value, 'Bar');
    assertEqual(foo.n_waiting_reads, 0, 'n-waiting-reads');
});

test('seed: BetterThing through new_with_closures', async () => {
    class BetterThing extends Thing {
        constructor() {
            super();
            this.valueAccessor = Cs.Accessor.new_with_closures(GObject.TYPE_INT, 'value', null,
                () => this.value ?? 0,
                value => {
                    try {
                        this.value = value;
                    } catch {
                        return false;
                    }
                    return true;
                });
        }
    }

    const betterThing = new BetterThing();
    const accessor = betterThing.valueAccessor;
    let background = track(accessor.get_async(null, NONE, null));
    assertEqual(await accessor.set_async(3, Cs.SetFlags.NONE, null), true, 'set_async');
    await background.promise;
    assertEqual(background.value, 3, 'read');
    assertEqual(betterThing.value, 3, 'thing.value');

    background = track(accessor.get_async(null, NONE, null));
    await assertRejects(accessor.set_async(0, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.FAILED, 'set_async(0)');
    assertThrows(() => accessor.set(0, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.FAILED, 'set(0)');
    await settle();
    assertEqual(background.done, false, 'reader woken by a rejected write');
    assertEqual(betterThing.value, 3, 'thing.value');
    assertEqual(accessor.value, 3, 'accessor.value');
    assertEqual(accessor.generation, 1, 'generation');

    accessor.close();
    await assertRejects(background.raw, CS_ERROR, Cs.AccessorError.CLOSED,
        'pending read after close');
});

// API.md, Semantics 13: the writer's own error keeps its words.
test('seed: BetterThing through new_with_funcs, the writer throws', async () => {
    const thing = new Thing();
    const accessor = Cs.Accessor.new_with_funcs(GObject.TYPE_INT, 'value', null,
        () => thing.value ?? 0,
        value => {
            thing.value = value;
            return true;
        });
    const background = track(accessor.get_async(null, NONE, null));
    assertEqual(await accessor.set_async(3, Cs.SetFlags.NONE, null), true, 'set_async(3)');
    await background.promise;
    assertEqual(background.value, 3, 'read');

    let error = null;
    try {
        await accessor.set_async(0, Cs.SetFlags.NONE, null);
    } catch (e) {
        error = e;
    }
    assertTrue(error !== null, 'set_async(0) rejected');
    assertTrue(error.message.includes('Illegal value 0'), `message: ${error?.message}`);
    assertEqual(accessor.value, 3, 'value unchanged');
    assertEqual(accessor.generation, 1, 'generation unchanged');
});

// API.md, CsPredicate and Semantics 13: a predicate that throws fails its own
// read with its message; the other readers and the value are not affected.
test('a predicate that throws rejects its read with its message', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    const throwing = track(accessor.get_async(Cs.Predicate.new(value => {
        if (value === 13)
            throw new Error(`unlucky ${value}`);
        return value >= 20;
    }), NONE, null));
    const other = track(accessor.get_async(null, NONE, null));
    const later = track(accessor.get_async(Cs.Predicate.new(value => value >= 20), NONE, null));
    accessor.set(13, Cs.SetFlags.NONE, null);
    await throwing.promise;
    await other.promise;
    assertTrue(throwing.error !== undefined, 'rejected');
    assertTrue(throwing.error.message.includes('unlucky 13'),
        `message: ${throwing.error?.message}`);
    assertEqual(other.value, 13, 'the other reader');
    assertEqual(later.done, false, 'a reader whose predicate did not match');
    assertEqual(accessor.n_waiting_reads, 1, 'n-waiting-reads');
    assertEqual(accessor.value, 13, 'value');
    accessor.set(21, Cs.SetFlags.NONE, null);
    await later.promise;
    assertEqual(later.value, 21, 'the reader that did not match');
});

test('seed: BetterThing through a GObject property', async () => {
    const thing = new GThing();
    const accessor = Cs.Accessor.new_for_property(thing, 'value');
    assertEqual(accessor.value_type, GObject.TYPE_INT, 'value-type');

    const background = track(accessor.get_async(null, NONE, null));
    assertEqual(await accessor.set_async(3, Cs.SetFlags.NONE, null), true, 'set_async');
    await background.promise;
    assertEqual(background.value, 3, 'read');
    assertEqual(thing.value, 3, 'thing.value');

    await assertRejects(accessor.set_async(0, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.INVALID_VALUE, 'set_async(0)');
    assertEqual(thing.value, 3, 'thing.value');
});

// Values

test('get/set and the value property', () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    assertEqual(accessor.dup_value(), 0, 'initial');
    assertEqual(accessor.set(5, Cs.SetFlags.NONE, null), true, 'set');
    assertEqual(accessor.dup_value(), 5, 'dup_value');
    assertEqual(accessor.generation, 1, 'generation');
    assertEqual(accessor.get(null, NO_WAIT_FOR_WRITE, null), 5, 'get');

    accessor.value = 6;
    assertEqual(accessor.value, 6, 'value property');
    assertEqual(accessor.generation, 2, 'generation');

    const strings = Cs.Accessor.new(GObject.TYPE_STRING);
    assertEqual(strings.value, null, 'unset string');
    strings.value = 'hello';
    assertEqual(strings.value, 'hello', 'string value');
});

test('plain JS numbers into int and double accessors', () => {
    const ints = Cs.Accessor.new(GObject.TYPE_INT);
    ints.set(7, Cs.SetFlags.NONE, null);
    assertEqual(ints.value, 7, 'int');
    assertThrows(() => ints.set(2.5, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.INVALID_VALUE, '2.5 into int');
    assertEqual(ints.value, 7, 'int after 2.5');
    assertEqual(ints.generation, 1, 'generation');

    const doubles = Cs.Accessor.new(GObject.TYPE_DOUBLE);
    doubles.set(2.5, Cs.SetFlags.NONE, null);
    assertEqual(doubles.value, 2.5, 'double');
    doubles.set(3, Cs.SetFlags.NONE, null);
    assertEqual(doubles.value, 3, 'integral number into double');
    doubles.value = 0.25;
    assertEqual(doubles.value, 0.25, 'double value property');

    for (const [type, value] of [[GObject.TYPE_INT64, 42], [GObject.TYPE_INT64, -42],
        [GObject.TYPE_UINT64, 42], [GObject.TYPE_UINT, 42]]) {
        const accessor = Cs.Accessor.new(type);
        accessor.set(value, Cs.SetFlags.NONE, null);
        assertEqual(accessor.value, value, `${GObject.type_name(type)} ${value}`);
    }

    // JS numbers beyond 32 bits arrive as doubles and convert when exact.
    for (const [type, value] of [[GObject.TYPE_INT64, 2 ** 40], [GObject.TYPE_INT64, -(2 ** 40)],
        [GObject.TYPE_UINT64, 2 ** 40], [GObject.TYPE_UINT, 2 ** 32 - 1]]) {
        const accessor = Cs.Accessor.new(type);
        accessor.set(value, Cs.SetFlags.NONE, null);
        assertEqual(accessor.value, value, `${GObject.type_name(type)} ${value}`);
    }
    assertThrows(() => Cs.Accessor.new(GObject.TYPE_INT).set(2 ** 31, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.INVALID_VALUE, '2 ** 31 into int');

    const unsigned = Cs.Accessor.new(GObject.TYPE_UINT64);
    assertThrows(() => unsigned.set(-1, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.INVALID_VALUE, '-1 into guint64');
    assertEqual(unsigned.generation, 0, 'generation');
});

test('object values', async () => {
    const accessor = Cs.Accessor.new(Gio.Cancellable.$gtype);
    assertEqual(accessor.value, null, 'unset object');
    const cancellable = new Gio.Cancellable();
    const background = accessor.get_async(null, NONE, null);
    accessor.set(cancellable, Cs.SetFlags.NONE, null);
    assertTrue(await background === cancellable, 'read the same object');
    assertThrows(() => accessor.set(new Sensor(), Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.INVALID_VALUE, 'wrong object type');
    assertTrue(accessor.value === cancellable, 'value kept');

    const objects = Cs.Accessor.new(GObject.TYPE_OBJECT);
    const sensor = new Sensor();
    objects.value = sensor;
    assertTrue(objects.value === sensor, 'subtype accepted');
});

test('a string into an int accessor is INVALID_VALUE', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    accessor.set(3, Cs.SetFlags.NONE, null);
    assertThrows(() => accessor.set('three', Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.INVALID_VALUE, 'set');
    await assertRejects(accessor.set_async('three', Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.INVALID_VALUE, 'set_async');
    assertEqual(accessor.value, 3, 'value');
    assertEqual(accessor.generation, 1, 'generation');
});

test('a closure accessor without writer is READ_ONLY', () => {
    const accessor = Cs.Accessor.new_with_closures(GObject.TYPE_INT, 'constant', null,
        () => 42, null);
    assertEqual(accessor.value, 42, 'value');
    assertThrows(() => accessor.set(1, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.READ_ONLY, 'set');
    assertEqual(accessor.generation, 0, 'generation');
});

test('blocking get on the owner thread is WOULD_BLOCK', () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    assertThrows(() => accessor.get(null, NONE, null),
        IO_ERROR, Gio.IOErrorEnum.WOULD_BLOCK, 'get');
});

// Reading

test('a default read waits for the next write', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    accessor.set(5, Cs.SetFlags.NONE, null);
    const background = track(accessor.get_async(null, NONE, null));
    await settle();
    assertEqual(background.done, false, 'done before the write');
    // In GJS the has-waiting-read property shadows the has_waiting_read()
    // method on instances; the method is still reachable through the prototype.
    assertEqual(accessor.has_waiting_read, true, 'has-waiting-read');
    assertEqual(Cs.Accessor.prototype.has_waiting_read.call(accessor), true,
        'has_waiting_read()');
    accessor.set(6, Cs.SetFlags.NONE, null);
    accessor.set(7, Cs.SetFlags.NONE, null);
    await background.promise;
    assertEqual(background.value, 6, 'read');
    assertEqual(accessor.has_waiting_read, false, 'has-waiting-read');
    assertEqual(Cs.Accessor.prototype.has_waiting_read.call(accessor), false,
        'has_waiting_read()');
});

test('a predicate gets exactly the value that matched', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    const seen = [];
    const predicate = Cs.Predicate.new(value => {
        seen.push(value);
        return value >= 3;
    });
    const background = track(accessor.get_async(predicate, NONE, null));
    for (const value of [1, 2, 3, 4])
        accessor.set(value, Cs.SetFlags.NONE, null);
    await background.promise;
    assertEqual(background.value, 3, 'read');
    assertEqual(seen.filter(v => v !== 0).slice(0, 3), [1, 2, 3], 'predicate calls');
    assertEqual(seen.includes(4), false, 'predicate saw 4');
});

test('a matching predicate completes at once', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    accessor.set(5, Cs.SetFlags.NONE, null);
    const promise = accessor.get_async(Cs.Predicate.new(v => v > 3), NONE, null);
    assertEqual(accessor.n_waiting_reads, 0, 'n-waiting-reads');
    assertEqual(await promise, 5, 'read');
});

test('Cs.Predicate.new_equal and new_not_equal with plain values', async () => {
    const equal = Cs.Predicate.new_equal(4);
    assertEqual(equal.evaluate(4), true, 'evaluate(4)');
    assertEqual(equal.evaluate(5), false, 'evaluate(5)');

    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    let background = track(accessor.get_async(equal, NONE, null));
    for (const value of [1, 4, 5])
        accessor.set(value, Cs.SetFlags.NONE, null);
    await background.promise;
    assertEqual(background.value, 4, 'equal read');

    background = track(accessor.get_async(Cs.Predicate.new_not_equal(5), NONE, null));
    await settle();
    assertEqual(background.done, false, 'not_equal done early');
    accessor.set(5, Cs.SetFlags.NONE, null);
    accessor.set(8, Cs.SetFlags.NONE, null);
    await background.promise;
    assertEqual(background.value, 8, 'not_equal read');

    const strings = Cs.Accessor.new(GObject.TYPE_STRING);
    background = track(strings.get_async(Cs.Predicate.new_equal('go'), NONE, null));
    for (const value of ['wait', 'go', 'stop'])
        strings.set(value, Cs.SetFlags.NONE, null);
    await background.promise;
    assertEqual(background.value, 'go', 'string read');
});

test('WAIT_FOR_WRITE ignores the current value', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    accessor.set(5, Cs.SetFlags.NONE, null);
    const background = track(accessor.get_async(Cs.Predicate.new(v => v > 3),
        WAIT_FOR_WRITE, null));
    await settle();
    assertEqual(background.done, false, 'done at once');
    accessor.set(2, Cs.SetFlags.NONE, null);
    await settle();
    assertEqual(background.done, false, 'done after 2');
    accessor.set(7, Cs.SetFlags.NONE, null);
    await background.promise;
    assertEqual(background.value, 7, 'read');
});

test('NO_WAIT_FOR_WRITE alone returns the current value', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    accessor.set(5, Cs.SetFlags.NONE, null);
    assertEqual(await accessor.get_async(null, NO_WAIT_FOR_WRITE, null), 5, 'read');
});

test('both get flags are INVALID_ARGUMENT', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    await assertRejects(accessor.get_async(null, WAIT_FOR_WRITE | NO_WAIT_FOR_WRITE, null),
        IO_ERROR, Gio.IOErrorEnum.INVALID_ARGUMENT, 'get_async');
    assertEqual(accessor.n_waiting_reads, 0, 'n-waiting-reads');
});

test('wait_for_read_async', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    const waiting = track(accessor.wait_for_read_async(null));
    await settle();
    assertEqual(waiting.done, false, 'done without a reader');

    const background = track(accessor.get_async(null, NONE, null));
    await waiting.promise;
    assertEqual(waiting.value, true, 'first wait');
    assertEqual(await accessor.wait_for_read_async(null), true, 'second wait');

    accessor.set(1, Cs.SetFlags.NONE, null);
    await background.promise;
    assertEqual(background.value, 1, 'read');

    const cancellable = new Gio.Cancellable();
    const third = accessor.wait_for_read_async(cancellable);
    cancellable.cancel();
    await assertRejects(third, IO_ERROR, Gio.IOErrorEnum.CANCELLED, 'cancelled wait');
});

test('WAIT_FOR_READ hands three values over in order', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_STRING);
    const parcels = ['apple', 'banana', 'cherry'];
    const writes = parcels.map(p => track(accessor.set_async(p, WAIT_FOR_READ, null)));
    await settle();
    assertEqual(writes.some(w => w.done), false, 'a write done without reader');
    assertEqual(accessor.generation, 0, 'generation');

    const received = [];
    for (let i = 0; i < parcels.length; i++)
        received.push(await accessor.get_async(null, NONE, null));
    await Promise.all(writes.map(w => w.promise));
    assertEqual(received, parcels, 'received');
    assertEqual(writes.map(w => w.value), [true, true, true], 'writes');
    assertEqual(accessor.generation, 3, 'generation');
});

test('cancelling a read is CANCELLED', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    const cancellable = new Gio.Cancellable();
    const promise = accessor.get_async(null, NONE, cancellable);
    await settle();
    assertEqual(accessor.n_waiting_reads, 1, 'n-waiting-reads');
    cancellable.cancel();
    await assertRejects(promise, IO_ERROR, Gio.IOErrorEnum.CANCELLED, 'read');
    assertEqual(accessor.n_waiting_reads, 0, 'n-waiting-reads');
});

test('close fails pending and later calls with CLOSED', async () => {
    const accessor = Cs.Accessor.new(GObject.TYPE_INT);
    const pending = accessor.get_async(null, NONE, null);
    const handoff = Cs.Accessor.new(GObject.TYPE_INT);
    const pendingWrite = handoff.set_async(1, WAIT_FOR_READ, null);
    await settle();
    accessor.close();
    handoff.close();
    await assertRejects(pending, CS_ERROR, Cs.AccessorError.CLOSED, 'pending read');
    await assertRejects(pendingWrite, CS_ERROR, Cs.AccessorError.CLOSED, 'pending write');
    assertEqual(accessor.closed, true, 'closed');
    assertEqual(accessor.is_closed(), true, 'is_closed');
    assertEqual(handoff.generation, 0, 'generation');

    await assertRejects(accessor.get_async(null, NO_WAIT_FOR_WRITE, null),
        CS_ERROR, Cs.AccessorError.CLOSED, 'later read');
    await assertRejects(accessor.set_async(2, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.CLOSED, 'later write');
    assertThrows(() => accessor.set(2, Cs.SetFlags.NONE, null),
        CS_ERROR, Cs.AccessorError.CLOSED, 'later sync write');
});

test('a registerClass property through Cs.object_get_accessor', async () => {
    const sensor = new Sensor();
    const accessor = Cs.object_get_accessor(sensor, 'reading');
    assertTrue(accessor === Cs.object_get_accessor(sensor, 'reading'), 'same accessor');
    assertEqual(accessor.value_type, GObject.TYPE_STRING, 'value-type');

    const background = track(accessor.get_async(null, NONE, null));
    await settle();
    assertEqual(background.done, false, 'done before the change');
    sensor.reading = 'warm';
    await background.promise;
    assertEqual(background.error, undefined, 'error');
    assertEqual(background.value, 'warm', 'read');

    const hot = accessor.get_async(Cs.Predicate.new_equal('hot'), NONE, null);
    sensor.reading = 'warmer';
    sensor.set_property('reading', 'hot');
    assertEqual(await hot, 'hot', 'predicate read');

    assertEqual(accessor.set('cold', Cs.SetFlags.NONE, null), true, 'set');
    assertEqual(sensor.reading, 'cold', 'sensor.reading');
});

run();
