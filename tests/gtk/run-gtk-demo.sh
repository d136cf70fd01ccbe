#!/bin/bash
# run-gtk-demo.sh XVFB_RUN PROGRAM [ARG…] — the scripted runs of the GTK demo
#
# Runs PROGRAM [ARG…] (examples/gtk/cs-gtk-demo, or python3 examples/gtk/demo.py)
# under Xvfb twice, with fast downloads (--step-ms 10) and --script full, then
# --script close-early; each run drives the window from inside and prints what
# it did and what the widgets showed at each screenshot. check-screenshot.py
# then checks that output, the exit status, the time taken and the pixels of
# the screenshots. Output is TAP.
#
# CS_GTK_DEMO_KEEP=DIR keeps the screenshots there, as MODE-SHOT.png.

set -u

xvfb_run=$1
shift
here=$(dirname "$0")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/codestare-gtk.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# software rendering, no accessibility bus, no settings daemon
export GSK_RENDERER=cairo LIBGL_ALWAYS_SOFTWARE=1 NO_AT_BRIDGE=1 GTK_A11Y=none
export GSETTINGS_BACKEND=memory XDG_RUNTIME_DIR=$tmp GDK_BACKEND=x11
# the numbers the demo prints do not depend on the locale, but its words might
export LC_ALL=C.UTF-8 LANGUAGE=

for mode in full close-early; do
  dir=$tmp/$mode
  mkdir "$dir"
  start=$(date +%s%N)
  # a run takes a second or two; a hang fails instead of blocking the suite
  timeout 60 "$xvfb_run" -a -s "-screen 0 1024x768x24" \
    "$@" --step-ms 10 --script "$mode" --snapshot-dir "$dir" >"$dir/stdout" 2>"$dir/stderr"
  echo $? >"$dir/status"
  echo $(( ($(date +%s%N) - start) / 1000000 )) >"$dir/elapsed-ms"

  if [ -n "${CS_GTK_DEMO_KEEP:-}" ]; then
    mkdir -p "$CS_GTK_DEMO_KEEP"
    for png in "$dir"/*.png; do
      [ -f "$png" ] && cp "$png" "$CS_GTK_DEMO_KEEP/$mode-$(basename "$png")"
    done
  fi
done

/usr/bin/python3 "$here/check-screenshot.py" "$tmp"
