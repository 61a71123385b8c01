# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose role with diagnose_endpoint_agents: the users' machines test the targets too, and the verdict compares
them with the Cloud Agents. One role run on API v7 (Endpoint Agents exist only there); and two that fail before any
write: an unknown endpoint agent (v7), the variable on API v6."""

from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize('api_version', ['v7'])
def test_endpoint_agents_in_the_diagnosis(emulator, run_playbook, tmp_path, api_version):
    emulator.configure(result_delay=0.0,
                       endpoint_scenarios={'alice-laptop': 'slow-vpn', 'bob-laptop': 'weak-wifi', 'carol-desktop': 'lossy-gateway'},
                       scenarios={'api.example.com': {'fault': 'hop', 'loss': 12.0, 'agents': 'all'}})
    report_json = tmp_path / 'report.json'
    run_playbook('diagnose_role.yml', extra_vars={
        'diagnose_targets': ['https://shop.example.com/', 'https://api.example.com/'],
        'diagnose_agents': ['Frankfurt, Germany', 102], 'diagnose_tests': ['http-server'],
        'diagnose_endpoint_agents': ['alice-laptop', 'bob-laptop', 'carol-desktop'], 'report_json': str(report_json)})
    report = json.loads(report_json.read_text())
    shop, api = report['targets']
    # Only the machines see the shop's trouble, and each one's own network explains it.
    assert shop['verdict'] == 'degraded' and shop['location'] == 'agents'
    evidence = '\n'.join(shop['evidence'])
    assert 'bob-laptop' in evidence and 'weak Wi-Fi' in evidence and 'RSSI -82 dBm < -70 dBm' in evidence and 'SNR 9 dB < 20 dB' in evidence
    assert 'alice-laptop' in evidence and 'the VPN (cisco-anyconnect via 203.0.113.200)' in evidence
    assert 'carol-desktop' in evidence and 'behind its gateway 192.168.1.1: loss 15% > 5%' in evidence
    lines = dict((agent['agent_name'], agent['line']) for agent in shop['endpoint']['agents'])
    assert lines['bob-laptop'].startswith('Wi-Fi home-bob RSSI -82 dBm SNR 9 dB') and 'VPN cisco-anyconnect' in lines['alice-laptop']
    # The Cloud Agents see the path fault on the API too: it keeps its place, the machines add their evidence.
    assert api['location'] == 'path' and api['verdict'] == 'degraded'
    assert any('endpoint' in line for line in api['evidence'])
    assert emulator.count('endpoint_create') == 2 and emulator.count('create') == 2


# diagnose_endpoint_agents is checked with the other agents, before the first test is created: an unknown endpoint agent
# (v7), or the variable on API v6 (which has no Endpoint Agents), fails with a message that says what to change, and no
# unit is spent. One role run each; the v6 one is a v6 parameter, so a second ansible-core leaves it out as it does the
# other v6 halves (conftest.py).
def endpoint_check_run(run_playbook, tmp_path, endpoint_agents):
    return run_playbook('diagnose_role.yml', expect_rc=2, extra_vars={
        'diagnose_targets': ['https://shop.example.com/'], 'diagnose_agents': ['Frankfurt, Germany', 102], 'diagnose_tests': ['http-server'],
        'diagnose_endpoint_agents': endpoint_agents, 'report_json': str(tmp_path / 'report.json')})


@pytest.mark.parametrize('api_version', ['v7'])
def test_an_unknown_endpoint_agent_fails_before_any_write(emulator, run_playbook, tmp_path, api_version):
    result = endpoint_check_run(run_playbook, tmp_path, 'alice-laptop\nzed-laptop')
    assert "diagnose_endpoint_agents: no endpoint agent has the ID, name or computer name 'zed-laptop'; known ones: " in result.output
    assert "'alice-laptop'" in result.output and 'netdiag.thousandeyes.endpoint_agent_info' in result.output
    # The agents were read (a read spends no unit), nothing was created.
    assert emulator.count('endpoint_agents') == 1
    assert emulator.writes() == []


@pytest.mark.parametrize('api_version', ['v6'])
def test_endpoint_agents_on_v6_fail_before_any_write(emulator, run_playbook, tmp_path, api_version):
    result = endpoint_check_run(run_playbook, tmp_path, ['alice-laptop'])
    assert 'diagnose_endpoint_agents: Endpoint Agent instant tests and endpoint agents exist only in API v7' in result.output
    assert 'set api_version to v7' in result.output
    assert 'Leave diagnose_endpoint_agents empty to diagnose from the Cloud Agents only.' in result.output
    assert emulator.writes() == []
