#!/usr/bin/env bash
# A PNG of an HTML report page as headless Chromium renders it, e.g. the README's picture from the demo's page:
#   make demo && tools/report_screenshot.sh demo-report/report.html docs/images/diagnose-report.png
# Optional third argument: the window size (default 1280,1400). Installs chromium when none is found.
set -euo pipefail

page=${1:?usage: tools/report_screenshot.sh PAGE.html OUT.png [WIDTH,HEIGHT]}
out=${2:?usage: tools/report_screenshot.sh PAGE.html OUT.png [WIDTH,HEIGHT]}
size=${3:-1280,1400}
chromium=$("$(dirname "$0")/ensure_chromium.sh")
profile=$(mktemp -d "${TMPDIR:-/tmp}/netdiag-chromium.XXXXXX")
trap 'rm -rf "$profile"' EXIT
mkdir -p "$(dirname "$out")"
"$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$profile" \
    --window-size="$size" --screenshot="$(realpath -m "$out")" "file://$(realpath "$page")" 2>/dev/null
echo "$out"
