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
    # Results appear a moment after each run, as with real agents: the endpoint tests must not be waited for one by one.
    emulator.configure(result_delay=2.0,
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
    assert shop['next_step'].startswith('Check the own network of the endpoint machines named in the evidence')
    evidence = '\n'.join(shop['evidence'])
    assert 'bob-laptop' in evidence and 'weak Wi-Fi' in evidence and 'RSSI -82 dBm < -70 dBm' in evidence and 'SNR 9 dB < 20 dB' in evidence
    assert 'alice-laptop' in evidence and 'the VPN (cisco-anyconnect via 203.0.113.200, which adds ' in evidence and ' ms at its gateway (hop 2))' in evidence
    assert 'carol-desktop' in evidence and 'the gateway 192.168.1.1 loses packets: loss 15% > 5% (1 of 3 path traces stops there)' in evidence
    faults = dict((agent['agent_name'], agent['fault']) for agent in shop['endpoint']['agents'])
    assert faults == {'alice-laptop': None, 'bob-laptop': None, 'carol-desktop': {'ip': '192.168.1.1', 'hop': 1, 'where': 'gateway'}}
    lines = dict((agent['agent_name'], agent['line']) for agent in shop['endpoint']['agents'])
    assert lines['bob-laptop'].startswith('Wi-Fi home-bob RSSI -82 dBm SNR 9 dB') and 'VPN cisco-anyconnect' in lines['alice-laptop']
    # The Cloud Agents see the path fault on the API too: it keeps its place, the machines add their evidence.
    assert api['location'] == 'path' and api['verdict'] == 'degraded'
    assert any('endpoint' in line for line in api['evidence'])
    assert emulator.count('endpoint_create') == 2 and emulator.count('create') == 2
    # The role asks for the machines' path traces: one detail per machine and target.
    assert len([entry for entry in emulator.requests('endpoint_results') if '/path-vis/agent/' in entry['path']]) == 6
    # One waiting phase: every target's endpoint test is started before the first endpoint result is read.
    log = emulator.requests()
    starts = [index for index, entry in enumerate(log) if entry['operation'] == 'endpoint_create']
    reads = [index for index, entry in enumerate(log) if entry['operation'] == 'endpoint_results']
    assert len(starts) == 2 and reads and max(starts) < min(reads)


@pytest.mark.parametrize('api_version', ['v7'])
def test_loss_beyond_the_home_network_is_the_path_and_the_page_draws_it(emulator, run_playbook, tmp_path, api_version):
    """carol-desktop's home network is fine and its ISP's edge loses packets; the Cloud Agents see nothing: the place
    is the path, named from the machine's own path trace, and the HTML page draws the machine's path and its line."""
    emulator.configure(result_delay=0.0, endpoint_scenarios={'carol-desktop': 'lossy-isp'})
    report_json, page = tmp_path / 'report.json', tmp_path / 'report.html'
    run_playbook('diagnose_role.yml', extra_vars={
        'diagnose_targets': ['https://shop.example.com/'], 'diagnose_agents': ['Frankfurt, Germany', 102], 'diagnose_tests': ['http-server'],
        'diagnose_endpoint_agents': ['carol-desktop', 'bob-laptop'], 'report_json': str(report_json), 'diagnose_report_path': str(page)})
    shop = json.loads(report_json.read_text())['targets'][0]
    assert shop['verdict'] == 'degraded' and shop['location'] == 'path'
    assert shop['next_step'].startswith("Raise the hop named in the evidence with the endpoint machine's internet provider. Rerun these tests:")
    evidence = '\n'.join(shop['evidence'])
    assert 'carol-desktop' in evidence and 'loss 12% > 5% starts beyond its own network, at hop 2, 198.18.0.1 (edge.isp.example.net' in evidence
    assert 'the Cloud Agents do not see it' in evidence and 'bob-laptop' not in evidence
    faults = dict((agent['agent_name'], agent['fault']) for agent in shop['endpoint']['agents'])
    assert faults == {'bob-laptop': None, 'carol-desktop': {'ip': '198.18.0.1', 'hop': 2, 'where': 'beyond'}}
    assert len([entry for entry in emulator.requests('endpoint_results') if '/path-vis/agent/' in entry['path']]) == 2
    assert not [entry for entry in emulator.writes() if entry['method'] == 'DELETE']
    html = page.read_text()
    carol = html[html.index('<details class="path endpoint" data-agent="16fd2706-8baf-433b-82eb-8c7fada847da"'):]
    carol = carol[:carol.index('</details>')]
    assert 'loss starts beyond its own network' in carol and 'data-ip="198.18.0.1"' in carol and 'wired; no VPN; gateway 192.168.1.1' in carol


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


@pytest.mark.parametrize('api_version', ['v7'])
def test_the_endpoint_wait_has_what_the_cloud_wait_left(emulator, run_playbook, tmp_path, api_version):
    # No result comes within diagnose_wait_timeout: the Cloud Agents' wait spends all of it, so the endpoint test is
    # read once (at most twice), not waited for another diagnose_wait_timeout (polls at 0, 2, 5 and 6 s).
    emulator.configure(result_delay=60.0)
    report_json = tmp_path / 'report.json'
    run_playbook('diagnose_role.yml', extra_vars={
        'diagnose_targets': ['https://shop.example.com/'], 'diagnose_agents': ['Frankfurt, Germany'], 'diagnose_tests': ['http-server'],
        'diagnose_endpoint_agents': ['alice-laptop'], 'diagnose_wait_timeout': 6, 'report_json': str(report_json)})
    network_reads = [entry for entry in emulator.requests('endpoint_results') if entry['path'].endswith('/network/filter')]
    assert 1 <= len(network_reads) <= 2
    assert emulator.count('endpoint_create') == 1
    shop = json.loads(report_json.read_text())['targets'][0]
    assert shop['endpoint']['agents'] == [] and shop['endpoint']['missing']
