#!/usr/bin/env bash
# Start the ThousandEyes API emulator on a free loopback port, run the demo playbook against it
# and stop the emulator again (also on failure or Ctrl-C). Called by `make demo`, which exports
# COLLECTION_DIR, ANSIBLE_COLLECTIONS_PATH, DEMO_PLAYBOOK and puts .venv/bin first in PATH.
# Extra arguments go to ansible-playbook (make demo DEMO_ARGS='-e diagnose_cleanup=true').
set -euo pipefail

: "${COLLECTION_DIR:?run through make demo}" "${DEMO_PLAYBOOK:?run through make demo}"

# The HTML report outlives the demo: it goes to demo-report/ in the checkout (git-ignored), not to the temporary folder.
checkout=$(pwd)
report_dir="$checkout/demo-report"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/netdiag-demo.XXXXXX")
emulator_pid=

cleanup() {
    local status=$?
    if [[ -n $emulator_pid ]] && kill -0 "$emulator_pid" 2>/dev/null; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    if (( status != 0 )) && [[ -s $workdir/emulator.log ]]; then
        echo "--- last lines of the emulator log ---" >&2
        tail -n 40 "$workdir/emulator.log" >&2
    fi
    rm -rf "$workdir"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cd "$COLLECTION_DIR"
python -m emulator --port 0 --port-file "$workdir/port" >"$workdir/emulator.log" 2>&1 &
emulator_pid=$!

# The emulator writes its port once it listens; give it 20 seconds.
for _ in $(seq 1 100); do
    [[ -s $workdir/port ]] && break
    if ! kill -0 "$emulator_pid" 2>/dev/null; then
        echo "demo: the emulator exited before it wrote its port file" >&2
        exit 1
    fi
    sleep 0.2
done
port=$(tr -d '[:space:]' <"$workdir/port" 2>/dev/null || true)
if [[ ! $port =~ ^[0-9]+$ ]]; then
    echo "demo: no port from the emulator after 20 s (port file: '${port}')" >&2
    exit 1
fi
echo "demo: emulator (pid $emulator_pid) listening on 127.0.0.1:$port; running $DEMO_PLAYBOOK"

# Make the story worth watching: shop.example.com is healthy, api.example.com loses packets from a transit hop on
# (a fault scenario of the emulator: hop 5, a Lumen router, for every agent), results take 3 s.
python - "$port" <<'PY'
import json, sys, urllib.request
config = {'result_delay': 3,
          'scenarios': {'api.example.com': {'fault': 'hop', 'hop': 5, 'ip': '4.68.72.1', 'rdns': 'ae-1.lumen.example.net',
                                            'network': 'Lumen (AS 3356)', 'loss': 12.0, 'latency': 120}}}
request = urllib.request.Request('http://127.0.0.1:%s/_emulator/config' % sys.argv[1], data=json.dumps(config).encode(),
                                 method='POST', headers={'Content-Type': 'application/json'})
urllib.request.urlopen(request, timeout=10).read()
PY

export TE_API_URL="http://127.0.0.1:$port" TE_TOKEN=te-emulator-token
export ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false
mkdir -p "$report_dir"
report="$report_dir/report.html"
rm -f "$report"
# The playbook has no targets or agents of its own; these are the emulator's. Later -e arguments win.
demo_vars='{"diagnose_targets": ["https://shop.example.com/health", "api.example.com"],
            "diagnose_agents": ["Frankfurt, Germany", "London, England", "New York, NY"]}'
ansible-playbook "$DEMO_PLAYBOOK" -e "$demo_vars" -e "diagnose_report_path=$report" "$@"
if [[ -s $report ]]; then
    echo
    echo "demo: the HTML report (diagnose_report_path), one self-contained page; open it in a browser:"
    echo "$report"
fi
