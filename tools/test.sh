#!/usr/bin/env bash
# tools/test.sh — build and run every test, once per suite below.
#
#   tools/test.sh            every suite
#   tools/test.sh plain      only the named suites
#
# The last line printed is the count over all suites:
#   N passed, N failed[, N skipped]
# A suite that fails to configure or build counts as one failure. The exit
# status is non-zero when anything failed.
set -uo pipefail

cd "$(dirname "$0")/.."
source tools/deps.sh

DEPS=(
  build-essential pkg-config meson ninja-build libglib2.0-dev
  gobject-introspection libgirepository1.0-dev python3-gi python3-gbulb gjs valac gi-docgen
  libgtk-4-dev gir1.2-gdkpixbuf-2.0 xvfb xauth valgrind clang
)

# memcheck for the valgrind suite; data/valgrind.supp holds GLib's own one-time
# allocations, and G_SLICE=always-malloc lets it see what GSlice would pool.
# valgrind runs one thread at a time; --fair-sched=yes hands the turn round in
# order, so a thread spinning on a lock cannot starve the one that holds it.
VALGRIND="env G_SLICE=always-malloc valgrind --fair-sched=yes --leak-check=full --error-exitcode=1"
VALGRIND+=" --errors-for-leak-kinds=definite,indirect --suppressions=$PWD/data/valgrind.supp"

# One suite a line: NAME|MESON SETUP OPTIONS|MESON TEST OPTIONS[|ENVIRONMENT]
# (shell-quoted; ENVIRONMENT is VAR=VALUE words for meson setup, e.g. CC=clang).
# Each builds in _build/NAME. For example:
#   "tsan|-Db_sanitize=thread -Db_lundef=false --werror|"
#   "valgrind|--werror|--wrapper='valgrind --error-exitcode=1' --timeout-multiplier=10"
#
# Between them the suites build every buildtype with --werror (warning_level=2):
# plain uses the default (debugoptimized), asan debug, tsan release and
# valgrind plain (no optimization flags at all, and no libm pulled in by them).
SUITES=(
  "plain|-Ddocs=true --werror|"
  "asan|--buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dintrospection=disabled --werror|"
  "tsan|--buildtype=release -Db_sanitize=thread -Db_lundef=false -Dintrospection=disabled --werror|--suite threads --suite stress --suite owner"
  "valgrind|--buildtype=plain -Dintrospection=disabled --werror|--suite c --timeout-multiplier=10 --wrapper='$VALGRIND'"
  "fuzz|-Dfuzzing=true -Dintrospection=disabled -Db_sanitize=address,undefined -Db_lundef=false -Dc_args=-fsanitize=fuzzer-no-link --werror|--suite fuzz|CC=clang"
)

build_failures=0
logs=()

run_suite ()
{
  local name=$1 setup=$2 test=$3 env=${4:-}
  local dir=_build/$name
  local setup_args=() test_args=() env_args=() runner=()

  # The option strings are ours (above), so eval only does shell quoting.
  eval "setup_args=($setup)"
  eval "test_args=($test)"
  eval "env_args=($env)"

  echo "=== suite $name: meson setup $setup"

  if [[ -f $dir/build.ninja ]]; then
    env "${env_args[@]}" meson setup --reconfigure "$dir" "${setup_args[@]}" ||
      env "${env_args[@]}" meson setup --wipe "$dir" "${setup_args[@]}"
  else
    env "${env_args[@]}" meson setup "$dir" "${setup_args[@]}"
  fi || { echo "=== suite $name: configure FAILED" >&2; return 1; }

  meson compile -C "$dir" || { echo "=== suite $name: build FAILED" >&2; return 1; }

  # GTK tests need a display; give them a virtual one when there is none.
  if [[ -z ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]] && command -v xvfb-run >/dev/null 2>&1; then
    runner=(xvfb-run -a)
  fi

  # meson names the log after the wrapper, if any: testlog-valgrind.json …
  rm -f "$dir"/meson-logs/testlog*.json
  "${runner[@]}" meson test -C "$dir" --print-errorlogs "${test_args[@]}"

  local log
  log=$(ls "$dir"/meson-logs/testlog*.json 2>/dev/null | head -n 1)
  if [[ -z $log || ! -s $log ]]; then
    echo "=== suite $name: no test results" >&2
    return 1
  fi
  logs+=("$name=$log")
}

cs_deps "${DEPS[@]}" || { echo "0 passed, 1 failed"; exit 1; }

for suite in "${SUITES[@]}"; do
  IFS='|' read -r name setup test env <<<"$suite"
  if (( $# > 0 )) && [[ " $* " != *" $name "* ]]; then
    continue
  fi
  run_suite "$name" "$setup" "$test" "$env" || build_failures=$((build_failures + 1))
done

echo
/usr/bin/python3 - "$build_failures" "${logs[@]}" <<'PY'
# Counts every TAP case of a test (GTest, Python, GJS and Vala tests print
# TAP), or the test itself when it prints none.
import json
import re
import sys

TAP = re.compile(r'^(not ok|ok)\b(.*)$')

passed = skipped = 0
failed = int(sys.argv[1])  # suites that did not configure or build
for arg in sys.argv[2:]:
    suite, path = arg.split("=", 1)
    with open(path, encoding="utf-8") as log:
        for line in log:
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                result = entry["result"]
            except (ValueError, KeyError):
                failed += 1
                continue
            name = f"{suite}/{entry.get('name', '?')}"
            cases = {"ok": 0, "not ok": 0, "skip": 0}
            for out in (entry.get("stdout") or "").splitlines():
                match = TAP.match(out)
                if match is None:
                    continue
                directive = match.group(2).upper()
                if "# SKIP" in directive:
                    cases["skip"] += 1
                elif "# TODO" in directive:
                    cases["ok"] += 1
                else:
                    cases[match.group(1)] += 1
            if result == "SKIP":
                skipped += max(1, cases["skip"])
            elif result in ("OK", "EXPECTEDFAIL"):
                passed += cases["ok"] or 1
                skipped += cases["skip"]
            else:
                # a crash or timeout after some cases passed still fails once
                passed += cases["ok"]
                failed += max(1, cases["not ok"])
                print(f"{result}: {name}")

summary = f"{passed} passed, {failed} failed"
if skipped:
    summary += f", {skipped} skipped"
print(summary)
sys.exit(1 if failed else 0)
PY
