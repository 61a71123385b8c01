# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The demo's venv runs what the tests ran: its pins are requirements-dev.txt's."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PIN = re.compile(r'^([A-Za-z0-9_.-]+)==(\S+)', re.MULTILINE)


def pins(name):
    return dict((package.lower(), version) for package, version in PIN.findall((ROOT / name).read_text()))


def test_the_demo_pins_only_what_it_runs_at_the_development_versions():
    demo, development = pins('requirements-demo.txt'), pins('requirements-dev.txt')
    assert sorted(demo) == ['ansible-core', 'requests']
    assert dict((package, development.get(package)) for package in demo) == demo
