#!/usr/bin/env bash
# tools/demo.sh — build the library and run a demo.
#
#   tools/demo.sh          the console demo (examples/demo.c)
#   tools/demo.sh --gtk    the GTK 4 download manager (examples/gtk/), in a
#                          window; under Xvfb with its script when there is
#                          no display
set -euo pipefail

cd "$(dirname "$0")/.."
source tools/deps.sh

gtk=no
case ${1-} in
  --gtk) gtk=yes ;;
  "") ;;
  *) echo "usage: tools/demo.sh [--gtk]" >&2; exit 2 ;;
esac

if [[ $gtk == no ]]; then
  cs_deps build-essential pkg-config meson ninja-build libglib2.0-dev
  builddir=_build/demo
  options=(-Dexamples=true -Dtests=false -Dintrospection=disabled -Dvapi=false -Ddocs=false)
  program=examples/cs-demo
else
  cs_deps build-essential pkg-config meson ninja-build libglib2.0-dev libgtk-4-dev \
    xvfb xauth
  builddir=_build/demo-gtk
  options=(-Dexamples=true -Dtests=false -Dintrospection=disabled -Dvapi=false -Ddocs=false)
  program=examples/gtk/cs-gtk-demo
fi

if [[ -f $builddir/build.ninja ]]; then
  meson setup --reconfigure "$builddir" "${options[@]}" >/dev/null
else
  meson setup "$builddir" "${options[@]}"
fi

meson compile -C "$builddir"
echo

if [[ $gtk == yes && -z ${DISPLAY:-}${WAYLAND_DISPLAY:-} ]]; then
  # no display: play the scripted run, as the tests do, and say what it did
  shots=$(mktemp -d "${TMPDIR:-/tmp}/cs-gtk-demo.XXXXXX")
  echo "no display: running the scripted demo under Xvfb (screenshots in $shots)"
  exec env GSK_RENDERER=cairo NO_AT_BRIDGE=1 GDK_BACKEND=x11 GSETTINGS_BACKEND=memory \
    xvfb-run -a -s "-screen 0 1024x768x24" "$builddir/$program" \
    --script full --snapshot-dir "$shots"
fi

exec "$builddir/$program"
