# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose report as Markdown, for a ticket or a wiki page.

Private to this collection: may change at any time. Pure function of the report (no I/O, no clock).
"""

from __future__ import annotations

from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.endpoint import endpoint_lines
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.reasons import reason_lines
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.table import diagnose_table


def _or(value: Any, default: str) -> str:
    return str(value) if value else default


def _cell(value: Any) -> str:
    return str(value).replace('|', '\\|')


def _alert(alert: dict[str, Any]) -> list[str]:
    """The alert that the run answers, as the HTML page names it too."""
    agents = [agent for agent in alert.get('agents') or [] if isinstance(agent, dict)]
    lines = ['', 'Answers ThousandEyes alert %s%s:' % (_or(alert.get('alert_id'), '(no ID)'), ' (%s)' % alert['severity'] if alert.get('severity') else ''),
             'rule "%s" on test %s (%s),' % (_or(alert.get('rule'), 'unnamed'), _or(alert.get('test_name'), 'unnamed'), _or(alert.get('test_id'), 'no ID')),
             'first seen %s.' % _or(alert.get('first_seen'), 'at an unknown time'),
             'Alerting agents:%s' % ('' if agents else ' not named.')]
    lines.extend('- %s (%s)' % (_or(agent.get('name'), 'unnamed'), _or(agent.get('id'), 'no ID')) for agent in agents)
    lines.append('')
    return lines


def _endpoints(report: dict[str, Any]) -> list[str]:
    """Per target with endpoint agents, each machine's Wi-Fi/VPN line and where its loss starts; [] when none."""
    lines = []
    for target in report['targets']:
        found = endpoint_lines(target)
        if found:
            lines.extend(['### %s' % target.get('target'), ''] + ['- %s' % line for line in found] + [''])
    return ['', '## Endpoint agents', ''] + lines if lines else []


def diagnose_report_markdown(report: dict[str, Any]) -> str:
    """The ``diagnose_report`` as a Markdown document (a string ending in a newline)."""
    if not isinstance(report, dict) or 'targets' not in report:
        raise DiagnoseInputError('diagnose_report_markdown expects the diagnose_report that diagnose_verdicts returned.')
    counts = report.get('counts') or {}
    limits = report.get('thresholds') or {}
    tests_run, calls = report.get('tests_run') or 0, report.get('instant_calls') or 0
    lines = ['# ThousandEyes diagnosis: %s' % str(report.get('verdict')).upper(), '',
             'Generated %s by the `netdiag.thousandeyes.diagnose` role.' % report.get('generated_at')]
    if report.get('alert'):
        lines.extend(_alert(report['alert']))
    lines.extend(['%s ok, %s degraded, %s failed.' % (counts.get('ok'), counts.get('degraded'), counts.get('failed')),
                  '%s %s ran, %s %s.' % (tests_run, 'test' if tests_run == 1 else 'tests', calls, 'instant-test call' if calls == 1 else 'instant-test calls'),
                  '',
                  # Agent names contain commas ("Frankfurt, Germany"): one agent per item, with its ID.
                  'Agents:'])
    lines.extend('- %s (%s)' % (agent.get('name'), agent.get('id')) for agent in report.get('agents') or [])
    lines.extend(['', 'Thresholds: loss %g %%, latency %g ms,' % (limits.get('max_loss'), limits.get('max_latency')),
                  'HTTP response time %g ms,' % limits.get('max_response_time'),
                  'HTTP status %s.' % (limits.get('expected_status') or 'any 2xx or 3xx'),
                  '', '## Targets', '', '| Target | Verdict | Location | Evidence | Reasons |', '|---|---|---|---|---|'])
    for target in report['targets']:
        cells = (_cell(target.get('target')), target.get('verdict'), target.get('location'),
                 _cell('<br>'.join(target.get('evidence') or [])) or '-', _cell('<br>'.join(reason_lines(target))) or '-')
        lines.append('| %s | %s | %s | %s | %s |' % cells)
    lines.append('')
    for target in report['targets']:
        if target.get('location') == 'none':
            continue
        lines.extend(['### %s: %s' % (target.get('target'), target.get('location')), ''])
        lines.extend('- %s' % finding for finding in target.get('evidence') or [])
        lines.extend('- [%s, %s, round %s](%s)' % (link.get('layer', ''), link.get('agent_name', ''), link.get('round_id', ''), link.get('url', ''))
                     for link in target.get('links') or [])
        lines.extend(['', 'Next step: %s' % target.get('next_step'), ''])
    lines.extend(_endpoints(report))
    lines.extend(['', '## Results per agent', '', '\n'.join(diagnose_table(report, format='markdown')), '', '## Tests', '',
                  '| Test | Type | Test ID | Outcome | Run started |', '|---|---|---|---|---|'])
    for target in report['targets']:
        for test in target.get('tests') or []:
            cells = (_cell(test.get('name')), test.get('type'), test.get('test_id'), test.get('outcome'), ', rerun' if test.get('rerun') else '',
                     test.get('started_at'))
            lines.append('| %s | %s | %s | %s%s | %s |' % cells)
    return '\n'.join(lines) + '\n'
