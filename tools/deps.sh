#!/usr/bin/env bash
# tools/deps.sh — install the Debian packages that are not installed yet.
#
#   tools/deps.sh PACKAGE...                       as a command
#   source tools/deps.sh; cs_deps PACKAGE...       from another script
#
# Quick when everything is there: apt-get runs (update first) only for what is
# missing. Uses sudo when not root. Meant for Debian 12 (bookworm) and later.

cs_deps ()
{
  local missing=() pkg status
  local sudo=()

  for pkg in "$@"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [[ $status == installed ]] || missing+=("$pkg")
  done

  if (( ${#missing[@]} == 0 )); then
    return 0
  fi

  if (( EUID != 0 )); then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "deps: run as root (or install sudo) to install: ${missing[*]}" >&2
      return 1
    fi
    sudo=(sudo)
  fi

  echo "deps: installing ${missing[*]}" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -q "${missing[@]}"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  set -euo pipefail
  cs_deps "$@"
fi
