# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose role with diagnose_endpoint_agents: the users' machines test the targets too, and the verdict compares
them with the Cloud Agents. One role run on API v7 (Endpoint Agents exist only there)."""

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
