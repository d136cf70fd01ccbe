#!/bin/bash
# run-gtk-demo.sh XVFB_RUN DEMO — runs the GTK demo under Xvfb with --screenshot
# and checks the PNG it saves. Output is TAP.

set -u

xvfb_run=$1 demo=$2
here=$(dirname "$0")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/codestare-gtk.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
png=$tmp/window.png

# software rendering, no accessibility bus, no settings daemon
export GSK_RENDERER=cairo LIBGL_ALWAYS_SOFTWARE=1 NO_AT_BRIDGE=1 GTK_A11Y=none
export GSETTINGS_BACKEND=memory XDG_RUNTIME_DIR=$tmp GDK_BACKEND=x11

# the demo finishes in about a second; a hang fails instead of blocking the suite
output=$(timeout 60 "$xvfb_run" -a -s "-screen 0 1024x768x24" "$demo" --screenshot "$png" 2>&1)
status=$?

n=0 failed=0
result ()
{
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $n - $2"
  else
    failed=1
    echo "not ok $n - $2"
    [ -n "${3-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
  fi
}

[ $status -eq 0 ]; result $? "the demo exits with status 0" "status $status: $output"
printf '%s\n' "$output" | grep -qx "state: done"
result $? "the demo awaited state == \"done\"" "$output"
printf '%s\n' "$output" | grep -qx "progress bar: 1.00"
result $? "the progress bar is bound to the job's progress" "$output"
size=$(printf '%s\n' "$output" | sed -n "s|^screenshot: $png \([0-9]*x[0-9]*\)\$|\1|p")
[ -n "$size" ]; result $? "the demo reports its screenshot and the window's size" "$output"
check=$(/usr/bin/python3 "$here/check-screenshot.py" "$png" "${size:-0x0}" 2>&1)
result $? "the PNG has the window's size and is not blank" "$check"
# anything else on the output is a warning
others=$(printf '%s\n' "$output" | grep -v -e '^state: done$' -e '^progress bar: ' -e '^screenshot: ')
[ -z "$others" ]; result $? "no warnings" "$others"

if [ -n "${CS_GTK_DEMO_KEEP:-}" ] && [ -f "$png" ]; then
  cp "$png" "$CS_GTK_DEMO_KEEP"
fi

echo "1..$n"
exit $failed
