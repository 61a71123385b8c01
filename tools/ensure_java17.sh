#!/usr/bin/env bash
# ansible-rulebook runs its rules engine on Java 17 or later. Install Debian's openjdk-17-jre-headless when `java -version`
# reports no Java or an older one; otherwise do nothing.
set -euo pipefail

java_major() {
    java -version 2>&1 | sed -n 's/^[^"]*version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

major=""
if command -v java >/dev/null 2>&1; then
    major="$(java_major)"
fi
if [ -n "$major" ] && [ "$major" -ge 17 ]; then
    exit 0
fi
echo "ansible-rulebook needs Java 17 or later (found: ${major:-none}); installing openjdk-17-jre-headless" >&2
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openjdk-17-jre-headless
major="$(java_major)"
if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    echo "java -version still reports ${major:-no Java} after the install: put a Java 17 or later first on PATH" >&2
    exit 1
fi
