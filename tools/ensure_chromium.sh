#!/usr/bin/env bash
# Install Debian's chromium when no chromium binary is found: the report page tests render the HTML report
# with it, headless. Prints the binary's path. Needs root (or apt-get's rights) only when it installs.
set -euo pipefail

find_chromium() {
    local name
    for name in chromium chromium-headless-shell chromium-browser; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
    done
    return 1
}

if ! find_chromium >/dev/null; then
    echo "ensure_chromium: no chromium found; installing Debian's chromium" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y --no-install-recommends chromium >&2
fi
find_chromium
