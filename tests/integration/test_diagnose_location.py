# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the diagnose role places a fault, one emulator scenario per location, for both API versions.

Each test sets a fault scenario through the emulator's control API, runs the role, and asserts on the report
(location, evidence, test IDs, next step) and on the request log: path details read only for the agents the
verdict needs, and no instant-test call beyond one per test.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.scenarios import locations

TARGET = 'https://shop.example.com/health'
AGENTS = [101, 102]
# v6 /net/path-vis/{test}/{agent}/{round}, v7 /test-results/{test}/path-vis/agent/{agent}/round/{round}
PATH_DETAIL = re.compile(r'/net/path-vis/\d+/(?P<v6>\d+)/\d+|/path-vis/agent/(?P<v7>\d+)/round/\d+')


@pytest.fixture
def diagnose(run_playbook, tmp_path):
    def run(**variables):
        report_json = tmp_path / 'report.json'
        variables.setdefault('diagnose_targets', [TARGET])
        variables.setdefault('diagnose_agents', AGENTS)
        variables['report_json'] = str(report_json)
        result = run_playbook('diagnose_role.yml', extra_vars=variables)
        return result, json.loads(report_json.read_text())

    return run


def path_detail_agents(emulator):
    """The agents whose path details were read, in request order."""
    agents = []
    for entry in emulator.requests():
        match = PATH_DETAIL.search(entry['path'])
        if match:
            agents.append(match.group('v6') or match.group('v7'))
    return agents


def assert_instant_calls(emulator, report):
    """One instant-test call per test that ran, and the report says so."""
    calls = emulator.count('create') + emulator.count('rerun')
    assert calls == report['tests_run'] == report['instant_calls'] == len(report['targets'][0]['test_ids'])


def only_target(report):
    assert len(report['targets']) == 1
    return report['targets'][0]


def test_healthy_target_is_none_and_reads_no_path(emulator, diagnose):
    result, report = diagnose()
    target = only_target(report)
    assert (target['verdict'], target['location'], target['evidence']) == ('ok', 'none', [])
    assert len(target['test_ids']) == 2  # http-server and dns-trace, no agent-to-server by default
    assert sorted(test['type'] for test in target['tests']) == ['dns-trace', 'http-server']
    assert path_detail_agents(emulator) == []
    assert_instant_calls(emulator, report)
    assert 'LOCATION' in result.stdout


def test_lossy_transit_hop_is_path_naming_the_hop_and_its_network(emulator, diagnose):
    emulator.configure(scenarios={'shop.example.com': {'fault': 'hop', 'hop': 5, 'ip': '4.68.72.1', 'rdns': 'ae-1.lumen.example.net',
                                                       'network': 'Lumen (AS 3356)', 'loss': 40}})
    result, report = diagnose()
    target = only_target(report)
    assert target['verdict'] != 'ok'
    assert target['location'] == 'path', target['evidence']
    assert '4.68.72.1' in target['evidence'][0] and 'Lumen' in target['evidence'][0]
    assert '2 of 2 agents' in target['evidence'][0]
    # Both agents breach, so both paths are read, once each, and nothing else.
    assert sorted(path_detail_agents(emulator)) == ['101', '102']
    assert_instant_calls(emulator, report)
    assert "-e '{\"diagnose_targets\": [\"%s\"]" % TARGET in target['next_step']
    assert 'path' in result.stdout and '4.68.72.1' in result.stdout


@pytest.mark.parametrize('scenario, words', [
    ({'fault': 'server', 'status': 503}, '503'),
    ({'fault': 'server', 'wait_time': 4000}, 'ttfb'),
])
def test_failing_or_slow_server_is_target(emulator, diagnose, scenario, words):
    emulator.configure(scenarios={'shop.example.com': scenario})
    dummy, report = diagnose()
    target = only_target(report)
    assert target['location'] == 'target', target['evidence']
    assert words in target['evidence'][0].lower()
    # A server-side symptom is placed without a path.
    assert path_detail_agents(emulator) == []
    assert_instant_calls(emulator, report)


def test_failing_dns_is_dns_naming_the_error(emulator, diagnose):
    emulator.configure(scenarios={'shop.example.com': {'fault': 'dns', 'error': 'SERVFAIL'}})
    dummy, report = diagnose()
    target = only_target(report)
    assert target['location'] == 'dns', target['evidence']
    assert 'SERVFAIL' in target['evidence'][0]
    # One cause, one reason: both agents in it, and not again as the http-server test's DNS error of each agent.
    assert len(target['reasons']) == 1, target['reasons']
    assert target['reasons'][0].startswith('Frankfurt, Germany (101); London, England (102), dns-trace test, dns-trace: ')
    assert 'SERVFAIL' in target['reasons'][0]
    assert path_detail_agents(emulator) == []
    assert_instant_calls(emulator, report)


def test_trouble_near_some_agents_is_agents_naming_them(emulator, diagnose, api_version):
    emulator.configure(scenarios={'shop.example.com': {'fault': 'agents', 'agents': [105], 'hop': 2, 'loss': 40}}, local_problems={'105': 600})
    dummy, report = diagnose(diagnose_agents=[101, 102, 105])
    target = only_target(report)
    assert target['location'] == 'agents', target['evidence']
    assert 'Tokyo, Japan' in target['evidence'][0]
    # ThousandEyes' own flag on the agent (v7 only), read once, is evidence.
    flagged = [line for line in target['evidence'] if line.startswith('ThousandEyes flags a local problem')]
    assert (len(flagged), emulator.count('local_problems')) == ((1, 1) if api_version == 'v7' else (0, 0)), target['evidence']
    # Each hop once for the same agents, not again as a path finding.
    hops = [match.group(0) for match in (re.search(r'at hop \d+, [0-9.]+', text) for text in target['evidence']) if match]
    assert len(hops) == len(set(hops)), target['evidence']
    read = path_detail_agents(emulator)
    # The breaching agent's path, and the healthy agents' for comparison (what tells "agents" from "path"), once each.
    assert '105' in read and sorted(read) == sorted(set(read)) and set(read) <= {'101', '102', '105'}
    assert_instant_calls(emulator, report)


# The scenario table (tests/scenarios/locations.yml): every row a target of one role run, per API version ------------

UNLIMITED = {'org': {'limit': 1000000, 'window': 60}, 'instant': {'limit': 1000000, 'window': 60}}


def test_every_row_of_the_scenario_table_is_located_right(emulator, diagnose):
    table = locations.load()
    rows = table['rows']
    emulator.configure(rate_limits=UNLIMITED, scenarios=locations.emulator_scenarios(rows))
    dummy, report = diagnose(diagnose_targets=[locations.target(row) for row in rows], diagnose_agents=table['agents'],
                             diagnose_tests=['http-server'])
    compared = locations.compare(rows, report)
    wrong = [(entry['name'], entry['expected'], entry['found'], entry['evidence']) for entry in compared if not entry['right']]
    assert not wrong
    by_name = dict((entry['name'], entry) for entry in compared)
    # The transit fault on Frankfurt's path only: the evidence names the network and the agent, and that the others avoid it;
    # the next step, the network to contact.
    transit = by_name['transit-one-agent']
    assert transit['evidence'] == ["loss starts at hop 4, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 1 of 3 agents "
                                   "(Frankfurt, Germany); the other agents' paths avoid it"]
    assert transit['next_step'].startswith('Contact Lumen AS 3356 about 4.68.72.1 (Frankfurt, Germany). Rerun these tests: ')
    assert by_name['first-hop-one-agent']['next_step'].startswith("Check the agents' own network (Cloud Agents GB AS 64496) near "
                                                                  "London, England. ")
    # The slow router is never named.
    assert not any('100.64.2.52' in line for target in report['targets'] for line in target['evidence'])
