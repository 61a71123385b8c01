# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose table, as aligned text and as Markdown."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.table import diagnose_table
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import diagnose_verdicts
from ansible_collections.netdiag.thousandeyes.tests.unit.plugins.plugin_utils._diagnose.diagnose_data import (
    name_of,
    plan_for,
    registered,
    row,
)


def test_table_text_has_a_line_per_target_test_and_agent():
    plan = plan_for(['https://shop.example.com/health'], agents=['London, England', 'Frankfurt, Germany', 'branch-ams-ea'])
    http = [row('network', agent_id='101', loss=0.0, latency=20.0, jitter=1.5),
            row('http-server', agent_id='101', response_code=200, response_time=150.0),
            row('network', agent_id='102', agent_name='London, England', loss=0.0, latency=30.0, jitter=0.5),
            row('http-server', agent_id='102', agent_name='London, England', response_code=200, response_time=450.0)]
    missing = [dict(agent_id='202', agent_name='branch-ams-ea', layer='http-server', reason='offline')]
    dns = [row('dns-trace', agent_id='101', dns_ok=False)]
    report = diagnose_verdicts(plan, *registered(plan, {
        name_of(plan, 'http-server', 'https://shop.example.com/health'): {'summary': http, 'missing': missing},
        name_of(plan, 'dns-trace', 'https://shop.example.com/health'): {'summary': dns}}))
    lines = diagnose_table(report)
    assert lines[0].split() == ['TARGET', 'LOCATION', 'TEST', 'AGENT', 'LOSS', 'LATENCY', 'JITTER', 'HTTP', 'RESPONSE', 'DNS', 'STATUS']
    # The agents in the order they were asked for; all columns aligned under the headings.
    assert 'London, England (102)' in lines[1] and 'Frankfurt, Germany (101)' in lines[2] and 'branch-ams-ea (202)' in lines[3]
    assert lines[1].index('450 ms') == lines[0].index('RESPONSE')
    assert lines[3].endswith('degraded (no result: offline)')
    dns_line = [line for line in lines if ' dns-trace ' in line][0]
    assert dns_line.index('FAIL') == lines[0].index('DNS') and dns_line.endswith('failed')
    assert lines[-1] == 'Overall: FAILED (2 tests ran, 2 instant-test calls)'
    assert 'https://shop.example.com/health: FAILED, location: dns' in lines
    assert lines[1].index('dns') == lines[0].index('LOCATION')
    assert any(line.startswith('  next: Check the DNS servers of the name. Rerun these tests: ansible-playbook') for line in lines)
    # The reasons read the measurement first, then the agents (one agent: named; every agent: counted).
    assert '  - http-server test: no result (offline) in http-server: branch-ams-ea (202)' in lines
    assert '  - dns-trace test, dns-trace: DNS resolution failed: Frankfurt, Germany (101)' in lines


def test_table_markdown():
    plan = plan_for(['api.example.com'], tests=['agent-to-server'])
    report = diagnose_verdicts(plan, *registered(plan, {}))
    lines = diagnose_table(report, format='markdown')
    assert lines[0] == '| Target | Location | Test | Agent | Loss | Latency | Jitter | Http | Response | Dns | Status |'
    assert lines[1].startswith('|---|')
    assert lines[2] == '| api.example.com | none | agent-to-server | Frankfurt, Germany (101) | 0% | 20 ms |  |  |  |  | ok |'


def test_a_test_without_rows_gets_one_line():
    plan = plan_for(['api.example.com'], tests=['agent-to-server'])
    report = diagnose_verdicts(plan, *registered(plan, {plan['tests'][0]['name']: {'skip_wait': True}}))
    assert diagnose_table(report, format='markdown')[2] == '| api.example.com | none | agent-to-server | - |  |  |  |  |  |  | degraded |'


def test_bad_input():
    plan = plan_for(['api.example.com'], tests=['agent-to-server'])
    report = diagnose_verdicts(plan, *registered(plan, {}))
    with pytest.raises(DiagnoseInputError, match='format'):
        diagnose_table(report, format='html')
    with pytest.raises(DiagnoseInputError, match='diagnose_report'):
        diagnose_table([])


def test_one_test_and_one_call_are_singular():
    result = dict(test={'testName': 'gate', 'type': 'http-server', 'url': 'https://shop.example.com/'}, test_id='7', complete=True,
                  missing=[], outcome='created', started_at='2026-11-26T10:00:00Z', summary=[row('http-server', response_code=200, ok=True)])
    assert diagnose_table(diagnose_verdicts(result))[-1] == 'Overall: OK (1 test ran, 1 instant-test call)'
