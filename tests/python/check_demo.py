#!/usr/bin/python3
# check_demo.py — run a port of examples/demo.c and check what it prints
#
# Copyright 2026 The codestare authors
#
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Usage: check_demo.py EXPECTED PROGRAM [ARGS...]
#
# EXPECTED is the output of the C demo. The ports must print the same lines;
# where two independent completions are dispatched in the same main-loop
# iteration their relative order is the library's business, so the check is:
# the same lines, each actor's lines in the expected order, and the orderings
# that the semantics guarantee (a reader completes after the write it got, a
# handoff write completes only after a reader asked, "done" comes last).
# Prints TAP, one line per check.

import collections
import subprocess
import sys

TIMEOUT_SECONDS = 30

ACTORS = ('sensor', 'alarm', 'display', 'producer', 'consumer')
PARCELS = ('apple', 'banana', 'cherry')


def actor(line):
    word = line.strip().split(':', 1)[0]
    return word if word in ACTORS else None


def index_of(lines, line, occurrence=1):
    seen = 0
    for i, candidate in enumerate(lines):
        if candidate == line:
            seen += 1
            if seen == occurrence:
                return i
    return None


class Checks:
    def __init__(self):
        self.results = []

    def add(self, name, ok, details=''):
        self.results.append((name, ok, details))

    def report(self):
        print('1..%d' % len(self.results))
        for number, (name, ok, details) in enumerate(self.results, 1):
            print('%s %d - %s' % ('ok' if ok else 'not ok', number, name))
            if not ok and details:
                for line in details.rstrip('\n').split('\n'):
                    print('# ' + line)
        return all(ok for _, ok, _ in self.results)


def happens_after(checks, lines, before, after, before_occurrence=1):
    """after must be printed, and later than the n-th occurrence of before."""
    i = index_of(lines, before, before_occurrence)
    j = index_of(lines, after)
    ok = i is not None and j is not None and i < j
    checks.add('%r after %r (#%d)' % (after.strip(), before.strip(), before_occurrence), ok,
               'positions: %r, %r' % (i, j))


def main():
    if len(sys.argv) < 3:
        print('usage: check_demo.py EXPECTED PROGRAM [ARGS...]', file=sys.stderr)
        return 2

    with open(sys.argv[1], encoding='utf-8') as f:
        expected = f.read().splitlines()

    checks = Checks()
    try:
        proc = subprocess.run(sys.argv[2:], capture_output=True, text=True,
                              timeout=TIMEOUT_SECONDS)
        status, out, err = proc.returncode, proc.stdout, proc.stderr
    except subprocess.TimeoutExpired as e:
        status, out, err = 'timeout', e.stdout or '', e.stderr or ''
        if isinstance(out, bytes):
            out, err = out.decode(errors='replace'), err.decode(errors='replace')
    lines = out.splitlines()
    output = 'stdout:\n' + out + '\nstderr:\n' + err

    checks.add('exits with status 0', status == 0, 'status %r\n%s' % (status, output))
    checks.add('prints nothing on stderr', err == '', err)

    missing = collections.Counter(expected) - collections.Counter(lines)
    extra = collections.Counter(lines) - collections.Counter(expected)
    checks.add('prints the expected lines', not missing and not extra,
               'missing: %r\nextra: %r\n%s' % (sorted(missing), sorted(extra), output))

    for name in ACTORS:
        want = [line for line in expected if actor(line) == name]
        got = [line for line in lines if actor(line) == name]
        checks.add('%s lines in order' % name, got == want,
                   'expected:\n%s\ngot:\n%s' % ('\n'.join(want), '\n'.join(got)))

    # The thermostat: each reader completes after the write it received, and
    # everything happens before the handoff starts.
    happens_after(checks, lines, 'sensor: 22.0 C', '  display: the next reading was 22.0 C')
    happens_after(checks, lines, 'sensor: 31.0 C', '  alarm:  it is hot: 31.0 C')
    handoff = index_of(lines, '== handoff ==')
    thermostat = [line for line in lines if actor(line) in ('sensor', 'alarm', 'display')]
    checks.add('the thermostat is over before the handoff',
               handoff is not None and all(index_of(lines, line) < handoff for line in thermostat),
               output)

    # The handoff: nothing is delivered before the consumer reads; parcel i is
    # taken and received only after the consumer's i-th read started.
    happens_after(checks, lines, '(nobody reads yet: the mailbox has had 0 writes)',
                  'consumer: reading')
    for n, parcel in enumerate(PARCELS, 1):
        happens_after(checks, lines, 'producer: queueing "%s"' % parcel,
                      '  consumer: got "%s"' % parcel)
        happens_after(checks, lines, 'consumer: reading', '  producer: "%s" was taken' % parcel,
                      n)
        happens_after(checks, lines, 'consumer: reading', '  consumer: got "%s"' % parcel, n)

    checks.add('"done" comes last', bool(lines) and lines[-1] == 'done', output)

    return 0 if checks.report() else 1


if __name__ == '__main__':
    sys.exit(main())
