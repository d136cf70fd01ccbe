#!/bin/bash
# test-install.sh MESON BUILDDIR SRCDIR DOCS GIR VAPI PYTHONDIR
#
# Installs BUILDDIR into a private DESTDIR (so concurrent builds and runs never
# share it) and uses the result as a user would. DOCS, GIR and VAPI are yes/no:
# what the build was configured to install; PYTHONDIR is where the Python
# override and package go, empty if they are not installed. Output is TAP.

set -u

meson=$1 builddir=$2 srcdir=$3 docs=$4 gir=$5 vapi=$6 pythondir=${7-}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/codestare-install.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
destdir=$tmp/root

n=0
failed=0

ok ()
{
  n=$((n + 1))
  echo "ok $n - $1"
}

not_ok ()
{
  n=$((n + 1))
  failed=1
  echo "not ok $n - $1"
  [ -n "${2-}" ] && printf '%s\n' "$2" | sed 's/^/# /'
}

# check DESCRIPTION COMMAND...: ok when COMMAND succeeds; its output is the diagnostic
check ()
{
  local description=$1 output
  shift
  if output=$("$@" 2>&1); then
    ok "$description"
  else
    not_ok "$description" "$output"
  fi
}

# expect DESCRIPTION EXPECTED COMMAND...: ok when COMMAND succeeds and prints EXPECTED
expect ()
{
  local description=$1 expected=$2 output
  shift 2
  if output=$("$@" 2>&1) && [ "$output" = "$expected" ]; then
    ok "$description"
  else
    not_ok "$description" "expected '$expected', got: $output"
  fi
}

bail_out ()
{
  echo "Bail out! $1"
  exit 1
}

# Where things go, as configured
dirs=$("$meson" introspect --buildoptions "$builddir" | /usr/bin/python3 -c '
import json, os, sys
opts = {o["name"]: o["value"] for o in json.load(sys.stdin)}
prefix = opts["prefix"]
for name in ("libdir", "includedir", "datadir"):
    print(os.path.join(prefix, opts[name]))
print(prefix)
') || bail_out "meson introspect failed"
{ read -r libdir; read -r includedir; read -r datadir; read -r prefix; } <<< "$dirs"

output=$(DESTDIR=$destdir "$meson" install -C "$builddir" --no-rebuild 2>&1) ||
  bail_out "meson install failed: $(printf '%s' "$output" | tail -n 5 | tr '\n' ' ')"
ok "meson install into a DESTDIR"

root=$destdir$prefix
lib=$destdir$libdir
pcdir=$lib/pkgconfig

check "codestare-1.pc is installed in libdir/pkgconfig" test -f "$pcdir/codestare-1.pc"
check "only the umbrella header and its parts are installed" \
  test -f "$destdir$includedir/codestare-1/codestare.h" -a \
       -f "$destdir$includedir/codestare-1/cs-version.h" -a \
       ! -e "$destdir$includedir/codestare-1/cs-accessor-private.h"
expect "the library's SONAME is libcodestare-1.so.0" "SONAME libcodestare-1.so.0" \
  bash -c "objdump -p '$lib/libcodestare-1.so' | awk '\$1 == \"SONAME\" { print \$1, \$2 }'"
expect "the library exports only cs_ symbols" "" \
  bash -c "nm -D --defined-only '$lib/libcodestare-1.so.0' | awk '\$3 !~ /^cs_/ { print \$3 }'"

# C, through pkg-config. --define-variable would move glib-2.0's prefix too, so
# use a copy of the installed .pc whose prefix points into the DESTDIR.
expect "codestare-1.pc has the configured prefix" "$prefix" \
  env PKG_CONFIG_PATH="$pcdir" pkg-config --variable=prefix codestare-1
mkdir -p "$tmp/pkgconfig"
sed "s|^prefix=.*|prefix=$root|" "$pcdir/codestare-1.pc" > "$tmp/pkgconfig/codestare-1.pc"

pkg_config ()
{
  PKG_CONFIG_PATH=$tmp/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH} pkg-config "$@"
}

cflags=$(pkg_config --cflags codestare-1) && libs=$(pkg_config --libs codestare-1) ||
  not_ok "pkg-config codestare-1"
# shellcheck disable=SC2086
check "a C program compiles with -Wall -Wextra -Werror against the installed files" \
  cc -Wall -Wextra -Werror -o "$tmp/prog" "$srcdir/prog.c" $cflags $libs
expect "the C program runs against the installed library" "1.0.0 42 1" \
  env LD_LIBRARY_PATH="$lib" "$tmp/prog"
expect "the C program resolves libcodestare-1 in the DESTDIR" "$lib/libcodestare-1.so.0" \
  bash -c "LD_LIBRARY_PATH='$lib' ldd '$tmp/prog' | awk '\$1 == \"libcodestare-1.so.0\" { print \$3 }'"
# shellcheck disable=SC2086
if output=$(cc -c -o "$tmp/direct.o" "$srcdir/direct-include.c" $cflags 2>&1); then
  not_ok "including cs-accessor.h directly is refused" "it compiled"
elif printf '%s' "$output" | grep -q 'Only <codestare.h> can be included directly'; then
  ok "including cs-accessor.h directly is refused"
else
  not_ok "including cs-accessor.h directly is refused" "$output"
fi

# Introspection
if [ "$gir" = yes ]; then
  check "Cs-1.0.gir is installed and names its library, package and header" \
    /usr/bin/python3 "$srcdir/check-gir.py" "$destdir$datadir/gir-1.0/Cs-1.0.gir"
  check "Python loads the installed Cs-1.0.typelib and library" \
    env GI_TYPELIB_PATH="$lib/girepository-1.0" LD_LIBRARY_PATH="$lib" \
      /usr/bin/python3 "$srcdir/check-typelib.py" "$destdir"
else
  ok "Cs-1.0.gir # SKIP introspection is disabled"
  ok "Cs-1.0.typelib # SKIP introspection is disabled"
fi

# Python: the override of Cs and codestare.async_utils, found in the prefix
if [ -n "$pythondir" ]; then
  pyroot=$destdir$pythondir
  check "the Python override and package are installed, and no gi/__init__.py" \
    test -f "$pyroot/gi/overrides/Cs.py" -a \
         -f "$pyroot/codestare/async_utils/descriptor.py" -a \
         ! -e "$pyroot/gi/__init__.py"
  if /usr/bin/python3 -c 'import gbulb' 2>/dev/null; then
    expect "/usr/bin/python3 awaits values through the installed override and package" "ok" \
      env PYTHONPATH="$pyroot" GI_TYPELIB_PATH="$lib/girepository-1.0" LD_LIBRARY_PATH="$lib" \
        /usr/bin/python3 "$srcdir/check-python.py" "$pyroot"
  else
    ok "the installed Python override # SKIP gbulb is not installed"
  fi
else
  ok "the Python override # SKIP not installed (no introspection or no Python)"
  ok "the installed Python override # SKIP not installed"
fi

# Vala: generate C from the installed vapi, then compile it like the C program
if [ "$vapi" = yes ]; then
  vapidir=$destdir$datadir/vala/vapi
  expect "codestare-1.deps names gio-2.0" "gio-2.0" cat "$vapidir/codestare-1.deps"
  mkdir -p "$tmp/vala"
  check "a Vala program compiles against the installed vapi without warnings" \
    valac -C --fatal-warnings --vapidir="$vapidir" --pkg codestare-1 --pkg gio-2.0 \
      --basedir="$srcdir" --directory="$tmp/vala" "$srcdir/prog.vala"
  # shellcheck disable=SC2086
  check "the generated C compiles against the installed headers" \
    cc -w -o "$tmp/prog-vala" "$tmp/vala/prog.c" $cflags $libs
  expect "the Vala program runs" "Bar" env LD_LIBRARY_PATH="$lib" "$tmp/prog-vala"
else
  ok "codestare-1.vapi # SKIP the vapi is disabled"
fi

# Docs
if [ "$docs" = yes ]; then
  check "the API reference is installed" \
    test -f "$destdir$datadir/doc/codestare-1/index.html" -a \
         -f "$destdir$datadir/doc/codestare-1/guide.html" -a \
         -f "$destdir$datadir/doc/codestare-1/class.Accessor.html"
else
  ok "the API reference # SKIP docs are disabled"
fi

echo "1..$n"
exit $failed
