#!/usr/bin/env bash
# tools/demo.sh — build the library and run the demo (examples/demo.c).
set -euo pipefail

cd "$(dirname "$0")/.."
source tools/deps.sh

cs_deps build-essential pkg-config meson ninja-build libglib2.0-dev

builddir=_build/demo
options=(-Dexamples=true -Dtests=false -Dintrospection=disabled -Dvapi=false -Ddocs=false)

if [[ -f $builddir/build.ninja ]]; then
  meson setup --reconfigure "$builddir" "${options[@]}" >/dev/null
else
  meson setup "$builddir" "${options[@]}"
fi

meson compile -C "$builddir"
echo
exec "$builddir/examples/cs-demo"
