# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the diagnose role places a fault, one emulator scenario per location.

Each scenario is a target of its own with its own emulator scenario, and one role run covers as many of them as
share the agents and the test types (one run per API version, TestLocations): each test asserts on its target's
report (location, evidence, test IDs, next step) and on its target's requests (path details read only for the agents
the verdict needs, one instant-test call per test). The scenario table runs the same way, one target per row.
API v6 runs both: they are the v6 runs in which the role reads path details (the v6 provider's own paths and trace
shapes) for its verdicts; the trouble near some agents runs on v7 only (the table's first-hop-one-agent row places
"agents" on v6 too).
"""

from __future__ import annotations

import json
import re

import pytest

from shared_run import SharedRun
from tests.scenarios import locations

TARGET = 'https://shop.example.com/health'
AGENTS = [101, 102]
# v6 /net/path-vis/{test}/{agent}/{round}, v7 /test-results/{test}/path-vis/agent/{agent}/round/{round}
PATH_DETAIL = re.compile(r'/net/path-vis/\d+/(?P<v6>\d+)/\d+|/path-vis/agent/(?P<v7>\d+)/round/\d+')
HEALTHY = 'https://healthy.example.com/health'
# The server-side scenarios, each on a target of its own.
SERVER_SCENARIOS = [
    ({'fault': 'server', 'status': 503}, '503'),
    ({'fault': 'server', 'wait_time': 4000}, 'ttfb'),
]
SERVER_TARGETS = ['https://server-%d.example.com/health' % number for number in range(len(SERVER_SCENARIOS))]
DNS_TARGET = 'https://resolve.example.com/health'
# Several targets in one run: no rate-limit answer may add a request to the counts.
UNLIMITED = {'org': {'limit': 1000000, 'window': 60}, 'instant': {'limit': 1000000, 'window': 60}}


def server_target(scenario):
    return SERVER_TARGETS[[entry[0] for entry in SERVER_SCENARIOS].index(scenario)]


def report_json_run(run_playbook, report_json, **variables):
    variables.setdefault('diagnose_targets', [TARGET])
    variables.setdefault('diagnose_agents', AGENTS)
    variables['report_json'] = str(report_json)
    result = run_playbook('diagnose_role.yml', extra_vars=variables)
    return result, json.loads(report_json.read_text())


@pytest.fixture
def diagnose(run_playbook, tmp_path):
    def run(**variables):
        return report_json_run(run_playbook, tmp_path / 'report.json', **variables)

    return run


class TargetLog:
    """The requests of a shared run that concern one target's tests (its creates, reruns, results and path details),
    with the emulator's questions."""

    def __init__(self, log, test_ids):
        self._entries = [entry for entry in log.requests() if set(test_ids) & referenced_tests(entry)]

    def requests(self, operation=None):
        return [entry for entry in self._entries if operation is None or entry.get('operation') == operation]

    def count(self, operation):
        return len(self.requests(operation))


def referenced_tests(entry):
    """The test IDs a request names: in its path, or in the test its answer returns (a create)."""
    ids = set(re.findall(r'\d+', entry['path']))
    body = (entry.get('response') or {}).get('body')
    if isinstance(body, dict):
        for test in [body] + list(body.get('test') or []):
            if isinstance(test, dict) and test.get('testId') is not None:
                ids.add(str(test['testId']))
    return ids


def path_detail_agents(emulator):
    """The agents whose path details were read, in request order."""
    agents = []
    for entry in emulator.requests():
        match = PATH_DETAIL.search(entry['path'])
        if match:
            agents.append(match.group('v6') or match.group('v7'))
    return agents


def assert_instant_calls(emulator, report):
    """One instant-test call per test of the (only) target, and the report says so (for a target of a shared run: its
    requests and its part of the report, see TestLocations.test_one_instant_call_per_test_of_the_run)."""
    calls = emulator.count('create') + emulator.count('rerun')
    assert calls == report['tests_run'] == report['instant_calls'] == len(report['targets'][0]['test_ids'])


def only_target(report):
    assert len(report['targets']) == 1
    return report['targets'][0]


class TestLocations:
    """One role run per API version from Frankfurt and London, each scenario on a target of its own: healthy, a lossy
    transit hop (on TARGET), a failing and a slow server, a failing name server."""

    @pytest.fixture(scope='class', params=['v6', 'v7'])
    @classmethod
    def api_version(cls, request):
        return request.param

    @pytest.fixture(scope='class')
    @classmethod
    def located(cls, emulator_server, api_version, tmp_path_factory):
        shared = SharedRun(emulator_server, api_version)
        scenarios = {'shop.example.com': {'fault': 'hop', 'hop': 5, 'ip': '4.68.72.1', 'rdns': 'ae-1.lumen.example.net',
                                          'network': 'Lumen (AS 3356)', 'loss': 40},
                     'resolve.example.com': {'fault': 'dns', 'error': 'SERVFAIL'}}
        for (scenario, dummy), target in zip(SERVER_SCENARIOS, SERVER_TARGETS):
            scenarios[target.split('/')[2]] = scenario
        shared.reset(rate_limits=UNLIMITED, scenarios=scenarios)
        result, report = report_json_run(shared.run, tmp_path_factory.mktemp('locations') / 'report.json',
                                         diagnose_targets=[HEALTHY, TARGET] + SERVER_TARGETS + [DNS_TARGET])
        return dict(result=result, report=report, log=shared.snapshot())

    @staticmethod
    def of(located, url):
        """The run's output, the report as if the target had been the run's only one, and the target's requests."""
        target = next(entry for entry in located['report']['targets'] if entry['target'] == url)
        started = len([test for test in target['tests'] if test['started_at']])
        report = dict(located['report'], targets=[target], tests_run=started, instant_calls=started)
        return located['result'], report, TargetLog(located['log'], target['test_ids'])

    def test_one_instant_call_per_test_of_the_run(self, located):
        report, emulator = located['report'], located['log']
        calls = emulator.count('create') + emulator.count('rerun')
        assert calls == report['tests_run'] == report['instant_calls'] == sum(len(target['test_ids']) for target in report['targets'])
        assert [target['target'] for target in report['targets']] == [HEALTHY, TARGET] + SERVER_TARGETS + [DNS_TARGET]
        # Every path detail read belongs to a target's tests: the per-target checks below see all of them.
        assert len(path_detail_agents(emulator)) == sum(len(path_detail_agents(TargetLog(emulator, target['test_ids'])))
                                                        for target in report['targets'])

    def test_healthy_target_is_none_and_reads_no_path(self, located):
        result, report, emulator = self.of(located, HEALTHY)
        target = only_target(report)
        assert (target['verdict'], target['location'], target['evidence']) == ('ok', 'none', [])
        assert len(target['test_ids']) == 2  # http-server and dns-trace, no agent-to-server by default
        assert sorted(test['type'] for test in target['tests']) == ['dns-trace', 'http-server']
        assert path_detail_agents(emulator) == []
        assert_instant_calls(emulator, report)
        assert 'LOCATION' in result.stdout

    def test_lossy_transit_hop_is_path_naming_the_hop_and_its_network(self, located):
        result, report, emulator = self.of(located, TARGET)
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

    @pytest.mark.parametrize('scenario, words', SERVER_SCENARIOS)
    def test_failing_or_slow_server_is_target(self, located, scenario, words):
        dummy, report, emulator = self.of(located, server_target(scenario))
        target = only_target(report)
        assert target['location'] == 'target', target['evidence']
        assert words in target['evidence'][0].lower()
        # A server-side symptom is placed without a path.
        assert path_detail_agents(emulator) == []
        assert_instant_calls(emulator, report)

    def test_failing_dns_is_dns_naming_the_error(self, located):
        dummy, report, emulator = self.of(located, DNS_TARGET)
        target = only_target(report)
        assert target['location'] == 'dns', target['evidence']
        assert 'SERVFAIL' in target['evidence'][0]
        # One cause, one reason: both agents in it, and not again as the http-server test's DNS error of each agent.
        assert len(target['reasons']) == 1, target['reasons']
        assert target['reasons'][0].startswith('Frankfurt, Germany (101); London, England (102), dns-trace test, dns-trace: ')
        assert 'SERVFAIL' in target['reasons'][0]
        assert path_detail_agents(emulator) == []
        assert_instant_calls(emulator, report)


# Another agent set: a run of its own, on v7.
@pytest.mark.parametrize('api_version', ['v7'])
def test_trouble_near_some_agents_is_agents_naming_them(emulator, diagnose):
    emulator.configure(scenarios={'shop.example.com': {'fault': 'agents', 'agents': [105], 'hop': 2, 'loss': 40}}, local_problems={'105': 600})
    dummy, report = diagnose(diagnose_agents=[101, 102, 105])
    target = only_target(report)
    assert target['location'] == 'agents', target['evidence']
    assert 'Tokyo, Japan' in target['evidence'][0]
    # ThousandEyes' own flag on the agent (v7 only; agent_info's in-process test shows v6 asks nothing), read once, is evidence.
    flagged = [line for line in target['evidence'] if line.startswith('ThousandEyes flags a local problem')]
    assert (len(flagged), emulator.count('local_problems')) == (1, 1), target['evidence']
    # Each hop once for the same agents, not again as a path finding.
    hops = [match.group(0) for match in (re.search(r'at hop \d+, [0-9.]+', text) for text in target['evidence']) if match]
    assert len(hops) == len(set(hops)), target['evidence']
    read = path_detail_agents(emulator)
    # The breaching agent's path, and the healthy agents' for comparison (what tells "agents" from "path"), once each.
    assert '105' in read and sorted(read) == sorted(set(read)) and set(read) <= {'101', '102', '105'}
    assert_instant_calls(emulator, report)


# The scenario table (tests/scenarios/locations.yml): every row a target of one role run, per API version ------------

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
