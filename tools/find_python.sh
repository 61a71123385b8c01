#!/usr/bin/env bash
# Print the path of a working interpreter for the command name given (python3.12), or the name
# itself when none is found, so that the caller's error names what to install.
# A pyenv shim exists for every version pyenv has, but fails unless that version is selected, so
# `command -v` alone is not enough: each candidate must run.
set -euo pipefail
name=$1
version=${name#python}

works() { "$1" -c 'import sys' >/dev/null 2>&1; }

if candidate=$(command -v "$name" 2>/dev/null) && works "$candidate"; then
    printf '%s\n' "$candidate"
    exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root)
    # Newest installed patch release of that minor version first.
    prefixes=$(printf '%s\n' "$root/versions/$version".* | sort -V -r)
    while IFS= read -r prefix; do
        if works "$prefix/bin/$name"; then
            printf '%s\n' "$prefix/bin/$name"
            exit 0
        fi
    done <<<"$prefixes"
fi
printf '%s\n' "$name"
