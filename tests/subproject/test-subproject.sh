#!/bin/bash
# test-subproject.sh MESON SRCDIR — builds tests/subproject/consumer, a tiny
# project whose dependency ('codestare-1') falls back to a subproject checkout
# of this source tree, and runs it. Output is TAP.

set -u

meson=$1 srcdir=$2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/codestare-subproject.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

n=0 failed=0
result ()
{
  n=$((n + 1))
  if [ "$1" -eq 0 ]; then
    echo "ok $n - $2"
  else
    failed=1
    echo "not ok $n - $2"
    [ -n "${3-}" ] && printf '%s\n' "$3" | tail -n 20 | sed 's/^/# /'
  fi
}

cp -r "$srcdir/tests/subproject/consumer" "$tmp/consumer"
mkdir -p "$tmp/consumer/subprojects"
# the checkout a wrap would bring: this source tree, as it is
ln -s "$srcdir" "$tmp/consumer/subprojects/codestare"

# forcefallback: use the subproject even where codestare is installed
output=$("$meson" setup --wrap-mode=forcefallback "$tmp/build" "$tmp/consumer" 2>&1)
status=$?
result $status "the consumer configures with codestare as a subproject" "$output"
printf '%s\n' "$output" | grep -q "Subproject codestare finished"
result $? "meson used the subproject" "$output"

output=$("$meson" compile -C "$tmp/build" 2>&1)
result $? "the consumer and the library build without warnings" "$output"

output=$("$tmp/build/consumer" 2>&1)
[ "$output" = "read 42, codestare 1.0.0" ]
result $? "the consumer runs against the subproject's library" "$output"

echo "1..$n"
exit $failed
