# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the emulator as its own process and drive its control API: for tests, benchmarks and the demo.

Standard library only, no imports from the rest of the package, so it loads both as ``emulator.control``
and as ``ansible_collections.netdiag.thousandeyes.emulator.control``.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

COLLECTION_ROOT = Path(__file__).resolve().parents[1]
TOKEN = 'te-emulator-token'
STARTUP_TIMEOUT = 20


class Emulator:
    """A running emulator: its URL, its process and its control API under /_emulator/."""

    def __init__(self, url, process=None):
        self.url = url
        self.process = process

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + '/_emulator/' + path, data=data, method=method,
                                         headers={'Content-Type': 'application/json'})
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw = answer.read()
        return json.loads(raw) if raw else None

    def reset(self, **config):
        """Back to the defaults (no tests, empty log, no faults), then apply ``config``."""
        self.control('POST', 'reset')
        if config:
            self.configure(**config)

    def configure(self, **config):
        self.control('POST', 'config', config)

    def fault(self, **rule):
        self.control('POST', 'faults', {'faults': [rule]})

    def requests(self, operation=None, method=None):
        entries = self.control('GET', 'requests')['requests']
        return [entry for entry in entries
                if (operation is None or entry.get('operation') == operation) and (method is None or entry.get('method') == method)]

    def count(self, operation):
        return len(self.requests(operation))

    def writes(self):
        return [entry for entry in self.requests() if entry.get('method') in ('POST', 'PUT', 'DELETE')]

    def tests(self):
        return self.control('GET', 'tests')['tests']

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(*extra_args, python=None):
    """Start ``python -m emulator`` on a free loopback port and wait (bounded) until it listens."""
    port_file = Path(tempfile.mkdtemp(prefix='te-emulator-')) / 'port'
    process = subprocess.Popen([python or sys.executable, '-m', 'emulator', '--port', '0', '--port-file', str(port_file), *extra_args],
                               cwd=COLLECTION_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if port_file.exists() and port_file.read_text().strip():
            return Emulator('http://127.0.0.1:%s' % port_file.read_text().strip(), process)
        if process.poll() is not None:
            raise RuntimeError('the emulator exited: %s' % process.stderr.read().decode())
        time.sleep(0.05)
    Emulator(None, process).stop()
    raise RuntimeError('the emulator did not start within %s seconds' % STARTUP_TIMEOUT)
