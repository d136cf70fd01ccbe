#!/bin/bash
# check-docs.sh GI-DOCGEN ARGS...: `gi-docgen check` must exit 0 and print nothing.
output=$("$@" 2>&1)
status=$?
if [ $status -ne 0 ] || [ -n "$output" ]; then
  printf '%s\n' "$output"
  echo "gi-docgen check: exit status $status, $(printf '%s' "$output" | grep -c '') line(s) of output" >&2
  exit 1
fi
