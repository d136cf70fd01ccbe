// tap.js — a tiny TAP harness for GJS tests
//
// Copyright 2026 The codestare authors
//
// SPDX-License-Identifier: LGPL-2.1-or-later
//
// test(name, asyncFn) registers a case; run() prints "1..N", runs the cases one
// after another inside a GLib main loop, prints "ok N - name" or "not ok N -
// name" with the error as "# " comments, and exits non-zero if any failed.
// A case that has not finished after 10 s fails instead of hanging.

import GLib from 'gi://GLib';
import System from 'system';

const TIMEOUT_SECONDS = 10;
const cases = [];

export function test(name, fn) {
    cases.push({name, fn});
}

export class AssertionError extends Error {
    constructor(message) {
        super(message);
        this.name = 'AssertionError';
    }
}

function show(value) {
    if (typeof value === 'string')
        return JSON.stringify(value);
    if (value instanceof GLib.Error)
        return `GLib.Error(${value.domain}, ${value.code}: ${value.message})`;
    if (Array.isArray(value))
        return `[${value.map(show).join(', ')}]`;
    return String(value);
}

function equal(a, b) {
    if (Array.isArray(a) && Array.isArray(b))
        return a.length === b.length && a.every((x, i) => equal(x, b[i]));
    return Object.is(a, b);
}

export function assertEqual(actual, expected, what = 'value') {
    if (!equal(actual, expected))
        throw new AssertionError(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

export function assertTrue(condition, what = 'condition') {
    if (!condition)
        throw new AssertionError(`${what} is not true`);
}

// Awaits promise and checks that it rejects with a GLib.Error in domain/code.
export async function assertRejects(promise, domain, code, what = 'call') {
    let value;
    try {
        value = await promise;
    } catch (e) {
        assertError(e, domain, code, what);
        return e;
    }
    throw new AssertionError(`${what}: expected an error, got ${show(value)}`);
}

export function assertThrows(fn, domain, code, what = 'call') {
    let value;
    try {
        value = fn();
    } catch (e) {
        assertError(e, domain, code, what);
        return e;
    }
    throw new AssertionError(`${what}: expected an error, got ${show(value)}`);
}

export function assertError(e, domain, code, what = 'call') {
    if (!(e instanceof GLib.Error))
        throw e;
    if (!e.matches(domain, code)) {
        throw new AssertionError(
            `${what}: expected error ${GLib.quark_to_string(domain)} ${code}, got ${show(e)}`);
    }
}

// Follows a promise without awaiting it: state.done, state.value, state.error;
// state.promise settles with it and never rejects, state.raw is the promise.
export function track(promise) {
    const state = {done: false, value: undefined, error: undefined, raw: promise};
    state.promise = promise.then(
        value => {
            state.done = true;
            state.value = value;
        },
        error => {
            state.done = true;
            state.error = error;
        });
    return state;
}

// Resolves once everything ready in the default main context has run.
export function settle() {
    return new Promise(resolve => {
        let rounds = 3;
        GLib.idle_add(GLib.PRIORITY_LOW, () => {
            if (--rounds > 0)
                return GLib.SOURCE_CONTINUE;
            resolve();
            return GLib.SOURCE_REMOVE;
        });
    });
}

function comment(text) {
    for (const line of String(text).split('\n'))
        print(`# ${line}`);
}

async function runCase(c) {
    let timeoutId = 0;
    const timeout = new Promise((resolve, reject) => {
        timeoutId = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, TIMEOUT_SECONDS, () => {
            timeoutId = 0;
            reject(new AssertionError(`timed out after ${TIMEOUT_SECONDS} s`));
            return GLib.SOURCE_REMOVE;
        });
    });
    try {
        await Promise.race([c.fn(), timeout]);
    } finally {
        if (timeoutId)
            GLib.source_remove(timeoutId);
    }
}

export function run() {
    const loop = new GLib.MainLoop(null, false);
    let failed = 0;

    print(`1..${cases.length}`);
    (async () => {
        for (const [i, c] of cases.entries()) {
            try {
                await runCase(c);
                print(`ok ${i + 1} - ${c.name}`);
            } catch (e) {
                failed++;
                print(`not ok ${i + 1} - ${c.name}`);
                comment(e instanceof GLib.Error ? show(e) : `${e}`);
                if (e?.stack)
                    comment(e.stack.trimEnd());
            }
            // Let finalizers and late completions run before the next case.
            await settle();
        }
    })().finally(() => loop.quit());
    loop.run();
    System.exit(failed ? 1 : 0);
}
