# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The location scenario table (locations.yml): its targets, the emulator configuration that sets them up, and the
comparison of a diagnose report with what each row expects. Used by the integration tests and by the bench."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

TABLE = Path(__file__).resolve().with_name('locations.yml')
# The hop a finding names: "hop 6, 4.68.72.1 (...)" or "hops 5-6, 4.68.72.1".
HOP = re.compile(r'\bhops? \d+(?:-\d+)?, (?P<ip>[0-9A-Fa-f.:]+)')
AT_TARGET = re.compile(r'\bat the (destination|last hops)\b')


def load(path: Path = TABLE) -> dict[str, Any]:
    table = yaml.safe_load(path.read_text(encoding='utf-8'))
    names = [row['name'] for row in table['rows']]
    # Each row's scenarios apply to the targets that contain its host: no host may contain another's.
    for name in names:
        clash = [other for other in names if other != name and host(name) in host(other)]
        assert not clash, 'scenario table: %s is part of %s' % (name, clash)
    return table


def host(name: str) -> str:
    return '%s.example.com' % name


def target(row: dict[str, Any]) -> str:
    return 'https://%s/' % host(row['name'])


def emulator_scenarios(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The emulator's ``scenarios`` configuration for the rows: each row's faults on its own target."""
    return dict((host(row['name']), row['scenarios']) for row in rows if row['scenarios'])


def hop_named(evidence: list[str]) -> str:
    """The hop the evidence names first: its address, ``destination`` for the server's end, ``-`` for none."""
    for line in evidence:
        if AT_TARGET.search(line):
            return 'destination'
        match = HOP.search(line)
        if match:
            ip = match.group('ip')
            return ip[:-1] if ip.endswith(':') and not ip.endswith('::') else ip  # "hop 3, 10.4.3.1: 1 of 3 agents"
    return '-'


def compare(rows: list[dict[str, Any]], report: dict[str, Any]) -> list[dict[str, Any]]:
    """Per row: expected and found verdict, location and hop, whether all three agree (and, for a row with ``says``, whether
    the first evidence line holds that text), and the first evidence line."""
    by_target = dict((entry['target'], entry) for entry in report['targets'])
    results = []
    for row in rows:
        entry = by_target.get(target(row)) or dict(verdict='missing', location='missing', evidence=[])
        found = dict(verdict=entry['verdict'], location=entry['location'], hop=hop_named(entry['evidence']))
        expected = dict(verdict=row['verdict'], location=row['location'], hop=str(row['hop']))
        says = row.get('says') is None or any(row['says'] in line for line in entry['evidence'][:1])
        results.append(dict(name=row['name'], expected=expected, found=found, evidence=entry['evidence'][:1], next_step=entry.get('next_step'),
                            says=says, right=found == expected and says))
    return results
