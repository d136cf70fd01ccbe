#!/bin/bash
# check-docs.sh GI-DOCGEN ARGS... GIR: `gi-docgen check` must exit 0 and print
# nothing, and neither the doc comments (in GIR) nor the pages next to this
# script may call the Python module the library ports "the seed", a name
# readers do not know: they know it as codestare.async_utils.
output=$("$@" 2>&1)
status=$?
if [ $status -ne 0 ] || [ -n "$output" ]; then
  printf '%s\n' "$output"
  echo "gi-docgen check: exit status $status, $(printf '%s' "$output" | grep -c '') line(s) of output" >&2
  exit 1
fi

gir=${!#}
if hits=$(grep -n -i -w 'seed' "$gir" "$(dirname "$0")"/*.md); then
  printf '%s\n' "$hits"
  echo "the docs say \"seed\": name the Python module codestare.async_utils instead" >&2
  exit 1
fi
