#!/usr/bin/python3
"""Build the benchmarks (release, in their own build directory), run them all,
and print one table against the targets of the performance issue.

    tests/run-benchmarks.py                 wall time and callgrind instructions
    tests/run-benchmarks.py --no-callgrind  wall time only (about a minute)
    tests/run-benchmarks.py --reps 9        more repetitions for the wall-time medians
    tests/run-benchmarks.py --only scale,fanout   only these programs (and their rows)

Wall-time figures are medians of several repetitions; instruction counts come
from one run of each program under `valgrind --tool=callgrind
--collect-atstart=no --instr-atstart=no` with its --callgrind option, which
brackets each measured region and dumps it on its own. Every ratio is ours /
baseline, both measured in the same run; for the equality and scale rows the
baseline is the same measurement at a small size.
"""

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCHMARKS = ['pingpong', 'fanout', 'predicate', 'thread', 'property', 'scale']
SETUP_ARGS = ['--buildtype=release', '-Dbenchmarks=true', '-Dtests=false',
              '-Dexamples=false', '-Ddocs=false', '-Dintrospection=disabled']
RESULT_RE = re.compile(r'^result: bench=(\S+) variant=(\S+) metric=(\S+) value=(\S+)$')
TRIGGER_RE = re.compile(r'^desc: Trigger: Client Request: bench:([^:]+):(\d+)$')


def run(cmd, **kwargs):
    print('+ ' + ' '.join(cmd), file=sys.stderr, flush=True)
    return subprocess.run(cmd, check=True, **kwargs)


def build(builddir):
    if os.path.exists(os.path.join(builddir, 'build.ninja')):
        run(['meson', 'setup', '--reconfigure', builddir] + SETUP_ARGS, cwd=ROOT,
            stdout=subprocess.DEVNULL)
    else:
        run(['meson', 'setup', builddir] + SETUP_ARGS, cwd=ROOT, stdout=subprocess.DEVNULL)
    run(['meson', 'compile', '-C', builddir], cwd=ROOT, stdout=subprocess.DEVNULL)


def bench_env():
    env = dict(os.environ)
    env['G_SLICE'] = 'always-malloc'
    env['G_DEBUG'] = 'fatal-warnings'
    return env


def run_wall(exe, reps):
    """{(bench, variant, metric): value} from one wall-time run."""
    out = run([exe, '--reps', str(reps)], env=bench_env(), capture_output=True,
              text=True).stdout
    results = {}
    for line in out.splitlines():
        m = RESULT_RE.match(line)
        if m:
            results[m.group(1, 2, 3)] = float(m.group(4))
    return results


def run_callgrind(exe, outdir):
    """{region: instructions per operation} from one run under callgrind."""
    prefix = os.path.join(outdir, os.path.basename(exe))
    run(['valgrind', '--tool=callgrind', '--collect-atstart=no', '--instr-atstart=no',
         '--dump-instr=no', '--callgrind-out-file=' + prefix + '.%p', exe, '--callgrind'],
        env=bench_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    regions = {}
    for path in glob.glob(prefix + '.*'):
        region = ops = total = None
        with open(path) as f:
            for line in f:
                m = TRIGGER_RE.match(line.strip())
                if m:
                    region, ops = m.group(1), int(m.group(2))
                elif line.startswith('summary:') or line.startswith('totals:'):
                    total = int(line.split()[1])
                    break
        if region is not None and total is not None:
            regions[region] = total / ops
    return regions


def fmt(value, unit):
    if value is None:
        return 'n/a'
    if unit == 'B':
        return '%.0f B' % value
    if value >= 100:
        return '%.0f %s' % (value, unit)
    return '%.2f %s' % (value, unit)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--builddir', default='_build_bench',
                        help='build directory, relative to the source root (default _build_bench)')
    parser.add_argument('--reps', type=int, default=5, help='wall-time repetitions (default 5)')
    parser.add_argument('--no-callgrind', action='store_true',
                        help='skip the instruction counts')
    parser.add_argument('--no-build', action='store_true', help='use the build as it is')
    parser.add_argument('--only', metavar='NAME[,NAME]',
                        help='run only these programs (of: %s)' % ', '.join(BENCHMARKS))
    args = parser.parse_args()

    programs = BENCHMARKS
    if args.only:
        programs = [name.strip() for name in args.only.split(',') if name.strip()]
        unknown = [name for name in programs if name not in BENCHMARKS]
        if unknown or not programs:
            parser.error('--only: unknown program %s (known: %s)'
                         % (', '.join(unknown) or "''", ', '.join(BENCHMARKS)))

    builddir = os.path.join(ROOT, args.builddir)
    if not args.no_build:
        build(builddir)

    exes = {name: os.path.join(builddir, 'benchmarks', 'bench-' + name) for name in programs}
    wall = {}
    for name in programs:
        wall.update(run_wall(exes[name], args.reps))

    instr = {}
    use_callgrind = not args.no_callgrind and shutil.which('valgrind') is not None
    if not args.no_callgrind and not use_callgrind:
        print('valgrind not found: no instruction counts', file=sys.stderr)
    if use_callgrind:
        with tempfile.TemporaryDirectory(prefix='cs-callgrind-') as outdir:
            for name in programs:
                instr.update(run_callgrind(exes[name], outdir))

    def w(bench, variant, metric):
        return wall.get((bench, variant, metric))

    # (benchmark, baseline, ours, unit, max ratio, max absolute for ours)
    rows = []

    def pair(label, base, ours, unit, max_ratio=None, max_ours=None):
        rows.append((label, base, ours, unit, max_ratio, max_ours))

    # the targets of issue 10
    for bench, label, metric, unit, target in [
            ('pingpong', 'ping-pong, per cycle', 'ns_per_cycle', 'ns', 1.20),
            ('fanout', 'fan-out 100 000, per reader', 'ns_per_reader', 'ns', 0.85),
            ('thread', 'cross-thread write, per write', 'ns_per_write', 'ns', 2.5),
            ('property', 'condition property, per cycle', 'ns_per_cycle', 'ns', None)]:
        if bench not in programs:
            continue
        if use_callgrind:
            pair(label + ' (instr)', instr.get(bench + '-baseline'), instr.get(bench + '-ours'),
                 'instr', target)
        pair(label + ' (wall)', w(bench, 'baseline', metric), w(bench, 'ours', metric),
             unit, target)
        if bench == 'fanout':
            pair('heap per pending reader', w('fanout', 'baseline', 'heap_bytes_per_reader'),
                 w('fanout', 'ours', 'heap_bytes_per_reader'), 'B', None, 280)

    # O(1) equality wakeups: the baseline column is N = 1 000
    for n, target in ([(10000, None), (100000, 2.0)] if 'predicate' in programs else []):
        label = 'equality write, N=%d vs N=1000' % n
        if use_callgrind:
            pair(label + ' (instr)', instr.get('predicate-1000'),
                 instr.get('predicate-%d' % n), 'instr', target)
        pair(label + ' (wall)', w('predicate', 'n1000', 'ns_per_write'),
             w('predicate', 'n%d' % n, 'ns_per_write'), 'ns', target)

    # O(1) in the size of a group or of a crowd of readers: the baseline column
    # is the small size (the figures are per operation)
    for bench, label, metric, small, large, target in ([
            ('write', 'group write with no reader, 10 000 vs 10 members', 'ns_per_write',
             10, 10000, 1.5),
            ('iterate', 'main-loop iteration, 10 000 vs 10 readers on one cancellable',
             'ns_per_iteration', 10, 10000, 1.5),
            ('unref', 'member unref, 10 000 vs 100 members, per member', 'ns_per_member',
             100, 10000, None)] if 'scale' in programs else []):
        if use_callgrind:
            pair(label + ' (instr)', instr.get('scale-%s-%d' % (bench, small)),
                 instr.get('scale-%s-%d' % (bench, large)), 'instr', target)
        pair(label + ' (wall)', w('scale-' + bench, 'n%d' % small, metric),
             w('scale-' + bench, 'n%d' % large, metric), 'ns', target)

    header = ['benchmark', 'baseline', 'ours', 'ratio', 'target', 'met?']
    table = []
    for label, base, ours, unit, max_ratio, max_ours in rows:
        ratio = ours / base if base and ours is not None else None
        if max_ours is not None:
            target = '<= %d %s' % (max_ours, unit)
            met = 'yes' if ours is not None and ours <= max_ours else 'NO'
        elif max_ratio is not None:
            target = '<= %.2fx' % max_ratio
            met = 'yes' if ratio is not None and ratio <= max_ratio else 'NO'
        else:
            target, met = '-', '-'
        table.append([label, fmt(base, unit), fmt(ours, unit),
                      '%.2fx' % ratio if ratio is not None else 'n/a', target, met])

    widths = [max(len(r[i]) for r in [header] + table) for i in range(len(header))]
    print()
    for r in [header, ['-' * n for n in widths]] + table:
        print('| ' + ' | '.join(c.ljust(widths[i]) for i, c in enumerate(r)) + ' |')
    print()
    print('wall: median of %d runs; instr: callgrind, one bracketed run; '
          'equality rows: baseline column is N = 1 000' % args.reps)
    print('scale rows: baseline column is the smaller size, figures per operation')

    return 0


if __name__ == '__main__':
    sys.exit(main())
