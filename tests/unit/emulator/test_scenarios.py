# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the emulator's fault scenarios: validation, row overrides, path traces, and that the locator
reads each scenario's traces as the location the scenario means."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.emulator.scenarios import (
    ScenarioError,
    base_path,
    endpoints,
    for_target,
    path_detail,
    path_length,
    row_overrides,
    validate,
)
from ansible_collections.netdiag.thousandeyes.emulator.store import DEFAULT_CONFIG, ConfigError, check_config, merge_patch
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.v6 import ApiV6
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.v7 import ApiV7
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.locate import locate

FRANKFURT = {'agentId': 101, 'agentName': 'Frankfurt, Germany', 'countryId': 'DE', 'location': 'Frankfurt Area, Germany'}
AZURE = {'agentId': 108, 'agentName': 'Frankfurt, Germany (Azure)', 'countryId': 'DE', 'location': 'Frankfurt Area, Germany'}
LONDON = {'agentId': 102, 'agentName': 'London, England', 'countryId': 'GB'}
NEW_YORK = {'agentId': 103, 'agentName': 'New York, NY', 'countryId': 'US'}
TOKYO = {'agentId': 105, 'agentName': 'Tokyo, Japan', 'countryId': 'JP'}
AGENTS = (FRANKFURT, LONDON, NEW_YORK, TOKYO)
TARGET = 'https://api.example.com/'
DESTINATION = '198.18.7.10'
ROUND = 1795687200
HTTP_ROW = {'serverIp': DESTINATION, 'responseCode': 200, 'dnsTime': 10, 'connectTime': 20, 'sslTime': 30, 'waitTime': 90,
            'receiveTime': 5, 'responseTime': 150, 'totalTime': 155, 'errorType': 'None', 'errorDetails': '', 'wireSize': 9000,
            'throughput': 100000}
NETWORK_ROW = {'serverIp': DESTINATION, 'loss': 0.0, 'avgLatency': 40.0, 'minLatency': 35.0, 'maxLatency': 50.0, 'jitter': 1.0,
               'errorDetails': ''}


def overrides(config, agent, layer, row, target=TARGET):
    return row_overrides(validate(config), target, agent, ROUND, layer, row)


# Validation --------------------------------------------------------------------------------------------

def test_defaults_are_filled_in():
    scenarios = validate({'api.example.com': {'fault': 'hop', 'loss': 12}})
    assert scenarios == {'api.example.com': [{'fault': 'hop', 'agents': 'all', 'hop': 6, 'ip': '4.68.72.1',
                                              'rdns': 'ae-1.lumen.example.net', 'network': 'Lumen (AS 3356)', 'loss': 12.0,
                                              'latency': 0.0}]}
    near = validate({'x': [{'fault': 'agents', 'agents': ['105', 105], 'latency': 200}]})['x'][0]
    assert near['agents'] == [105] and near['hop'] == 1 and near['ip'] is None
    assert validate(None) == {}


@pytest.mark.parametrize('value, message', [
    ([], 'scenarios must map a target substring'),
    ({'': {'fault': 'dns', 'error': 'SERVFAIL'}}, 'every key must be a non-empty substring'),
    ({'x': []}, "scenarios['x']: give a scenario"),
    ({'x': 'loss'}, "scenarios['x']: a scenario must be an object"),
    ({'x': {'fault': 'cable-cut'}}, 'fault must be one of hop, server, dns, agents'),
    ({'x': {'fault': 'server', 'status': 503, 'latency': 5}}, "unknown key latency for fault 'server'; its keys are"),
    ({'x': {'fault': 'server'}}, 'a server fault needs status, wait_time or loss'),
    ({'x': {'fault': 'server', 'status': 999}}, 'status must be an integer from 100 to 599'),
    ({'x': {'fault': 'hop'}}, 'a hop fault needs loss or latency above 0'),
    ({'x': {'fault': 'hop', 'loss': 120}}, 'loss must be a number from 0 to 100'),
    ({'x': {'fault': 'hop', 'loss': 5, 'ip': 'router7'}}, 'ip must be an IP address'),
    ({'x': {'fault': 'hop', 'loss': 5, 'hop': 0}}, 'hop must be an integer from 1 to 11'),
    ({'x': {'fault': 'agents', 'loss': 5}}, 'agents must be a non-empty list of agent IDs'),
    ({'x': {'fault': 'dns', 'agents': ['Tokyo']}}, "agents must list agent IDs (numbers), got 'Tokyo'"),
    ({'x': [{'fault': 'dns', 'error': 'SERVFAIL'}, {'fault': 'dns'}]}, "scenarios['x'][1]: a dns fault needs error or resolution_time"),
    ({'x': {'fault': 'dns', 'resolution_time': -1}}, 'resolution_time must be a number >= 0'),
])
def test_bad_configurations_say_what_to_change(value, message):
    with pytest.raises(ScenarioError) as raised:
        validate(value)
    assert message in str(raised.value)


def test_scenarios_apply_by_target_substring():
    scenarios = validate({'api.example': {'fault': 'server', 'status': 500}, 'shop': {'fault': 'server', 'status': 502}})
    assert [entry['status'] for entry in for_target(scenarios, TARGET)] == [500]
    assert for_target(scenarios, 'https://www.example.org/') == []


# Paths -------------------------------------------------------------------------------------------------

def test_the_base_path_has_its_parts():
    for agent in AGENTS:
        hops = base_path(TARGET, agent, DESTINATION)
        assert 8 <= len(hops) <= 12
        assert [hop['hop'] for hop in hops] == list(range(1, len(hops) + 1))
        assert hops[-1]['ipAddress'] == DESTINATION and hops[-2]['ipAddress'] == '198.18.7.1'
        times = [hop['responseTime'] for hop in hops]
        assert times == sorted(times) and all(isinstance(value, int) for value in times)
        assert set(hops[0]) >= {'hop', 'ipAddress', 'prefix', 'rdns', 'network', 'responseTime'}
    frankfurt, azure, tokyo = (base_path(TARGET, agent, DESTINATION) for agent in (FRANKFURT, AZURE, TOKYO))
    # One region shares its first two hops, then each agent has its own transit.
    assert [hop['ipAddress'] for hop in frankfurt[:2]] == [hop['ipAddress'] for hop in azure[:2]]
    assert not set(hop['ipAddress'] for hop in frankfurt[2:-2]) & set(hop['ipAddress'] for hop in azure[2:-2])
    assert not set(hop['ipAddress'] for hop in tokyo[:-2]) & set(hop['ipAddress'] for hop in frankfurt)


def test_lengths_cover_eight_to_twelve_and_depend_on_region_and_target():
    lengths = set(path_length('https://t%d.example.com/' % number, FRANKFURT) for number in range(60))
    assert lengths == set(range(8, 13))
    assert path_length(TARGET, FRANKFURT) == path_length(TARGET, AZURE)


def test_paths_are_deterministic_and_vary_a_little_by_round():
    scenarios = validate({'api': {'fault': 'hop', 'loss': 50}})
    assert path_detail(scenarios, TARGET, LONDON, ROUND, DESTINATION) == path_detail(scenarios, TARGET, LONDON, ROUND, DESTINATION)
    other = path_detail(scenarios, TARGET, LONDON, ROUND + 60, DESTINATION)
    assert [[hop['ipAddress'] for hop in trace['hops']] for trace in other] == \
        [[hop['ipAddress'] for hop in trace['hops']] for trace in path_detail(scenarios, TARGET, LONDON, ROUND, DESTINATION)]


def test_a_lossy_named_hop_stops_traces_and_adds_latency_from_it_on():
    scenarios = validate({'api': {'fault': 'hop', 'hop': 5, 'loss': 40, 'latency': 100, 'agents': [101]}})
    traces = path_detail(scenarios, TARGET, FRANKFURT, ROUND, DESTINATION)
    healthy = base_path(TARGET, FRANKFURT, DESTINATION, ROUND, 2)
    assert [len(trace['hops']) for trace in traces] == [5, 5, len(healthy)]  # ceil(40% of 3) traces stop
    named = traces[2]['hops'][4]
    assert (named['hop'], named['ipAddress'], named['rdns'], named['network'], named['prefix']) == (
        5, '4.68.72.1', 'ae-1.lumen.example.net', 'Lumen (AS 3356)', '4.68.72.0/24')
    assert [hop['responseTime'] for hop in traces[2]['hops']] == [
        hop['responseTime'] + (100 if hop['hop'] >= 5 else 0) for hop in healthy]
    assert path_detail(scenarios, TARGET, LONDON, ROUND, DESTINATION) == [
        {'pathId': '102-%d-%d' % (ROUND, n + 1), 'hops': base_path(TARGET, LONDON, DESTINATION, ROUND, n)} for n in range(3)]


def test_a_hop_beyond_the_path_stays_before_the_destination():
    traces = path_detail(validate({'api': {'fault': 'hop', 'hop': 11, 'loss': 100}}), TARGET, TOKYO, ROUND, DESTINATION)
    length = path_length(TARGET, TOKYO)
    assert all(trace['hops'][-1]['hop'] == min(11, length - 1) for trace in traces)
    assert all(trace['hops'][-1]['ipAddress'] == '4.68.72.1' for trace in traces)


def test_a_server_with_loss_stops_answering_some_traces():
    traces = path_detail(validate({'api': {'fault': 'server', 'loss': 30}}), TARGET, LONDON, ROUND, DESTINATION)
    assert [trace['hops'][-1]['ipAddress'] for trace in traces] == ['198.18.7.1', DESTINATION, DESTINATION]


def test_a_dns_error_leaves_no_path_and_slow_dns_leaves_it_alone():
    assert path_detail(validate({'api': {'fault': 'dns', 'error': 'SERVFAIL'}}), TARGET, LONDON, ROUND, DESTINATION) == []
    assert len(path_detail(validate({'api': {'fault': 'dns', 'resolution_time': 900}}), TARGET, LONDON, ROUND, DESTINATION)) == 3


def test_a_destination_given_as_a_name_still_gets_a_path():
    hops = base_path(TARGET, LONDON, 'api.example.com')
    assert hops[-1]['ipAddress'] == 'api.example.com' and hops[-2]['ipAddress'].startswith('100.')


def test_endpoints_summarise_the_traces():
    traces = path_detail(validate({'api': {'fault': 'hop', 'hop': 4, 'loss': 10}}), TARGET, LONDON, ROUND, DESTINATION)
    summary = endpoints(traces, DESTINATION)
    assert summary[0] == {'pathId': traces[0]['pathId'], 'ipAddress': DESTINATION, 'numberOfHops': 4,
                          'responseTime': traces[0]['hops'][-1]['responseTime']}
    assert summary[1]['numberOfHops'] == len(traces[1]['hops'])


# Rows ----------------------------------------------------------------------------------------------------

def test_no_scenario_no_overrides():
    assert overrides({}, LONDON, 'http-server', HTTP_ROW) == {}
    assert overrides({'api': {'fault': 'server', 'status': 503, 'agents': [101]}}, LONDON, 'http-server', HTTP_ROW) == {}
    assert overrides({'api': {'fault': 'server', 'status': 503}}, LONDON, 'ftp-server', {'responseCode': 226}) == {}


def test_a_hop_fault_raises_loss_and_latency_and_the_connect_phases():
    config = {'api': {'fault': 'hop', 'loss': 12, 'latency': 150}}
    assert overrides(config, LONDON, 'network', NETWORK_ROW) == {'loss': 12.0, 'avgLatency': 190.0, 'minLatency': 185.0,
                                                                 'maxLatency': 200.0}
    http = overrides(config, LONDON, 'http-server', HTTP_ROW)
    assert http == {'connectTime': 170, 'sslTime': 180, 'waitTime': 240, 'responseTime': 600, 'totalTime': 605}


def test_a_failing_server_answers_its_status_and_wait_time():
    http = overrides({'api': {'fault': 'server', 'status': 503, 'wait_time': 2400}}, LONDON, 'http-server', HTTP_ROW)
    assert http == {'responseCode': 503, 'errorType': 'HTTP', 'errorDetails': 'HTTP/1.1 503 Service Unavailable', 'waitTime': 2400,
                    'responseTime': 2460, 'totalTime': 2465}
    assert overrides({'api': {'fault': 'server', 'loss': 30}}, LONDON, 'network', NETWORK_ROW) == {'loss': 30.0}
    page = overrides({'api': {'fault': 'server', 'status': 500}}, LONDON, 'page-load', {'responseTime': 100, 'numErrors': 0})
    assert page['errorType'] == 'HTTP' and page['numErrors'] == 1


def test_failing_dns_fails_every_layer_that_resolves():
    config = {'api': {'fault': 'dns', 'error': 'SERVFAIL'}}
    trace = overrides(config, LONDON, 'dns-trace', {'queries': 4, 'failedQueries': 0, 'errorDetails': '', 'mappings': 'x (A)'},
                      target='api.example.com')
    assert trace == {'errorDetails': 'SERVFAIL', 'failedQueries': 4, 'mappings': ''}
    assert overrides(config, LONDON, 'dnssec', {'valid': 1}, target='api.example.com') == {'valid': 0, 'errorDetails': 'SERVFAIL'}
    assert overrides(config, LONDON, 'dns-server', {'resolutionTime': 5}, target='api.example.com') == {
        'errorDetails': 'SERVFAIL', 'mappings': ''}
    http = overrides(config, LONDON, 'http-server', HTTP_ROW)
    assert http['responseCode'] == 0 and http['errorType'] == 'DNS' and http['errorDetails'] == 'DNS resolution failed: SERVFAIL'
    assert http['responseTime'] == 10 and http['totalTime'] == 10
    network = overrides(config, LONDON, 'network', NETWORK_ROW)
    assert network['loss'] == 100.0 and network['errorDetails'] == 'DNS resolution failed: SERVFAIL'


def test_slow_dns_sets_the_resolution_times():
    config = {'api': {'fault': 'dns', 'resolution_time': 1800}}
    assert overrides(config, LONDON, 'dns-trace', {'finalQueryTime': 20}) == {'finalQueryTime': 1800}
    assert overrides(config, LONDON, 'dns-server', {'resolutionTime': 5}) == {'resolutionTime': 1800}
    http = overrides(config, LONDON, 'http-server', HTTP_ROW)
    assert http == {'dnsTime': 1800, 'responseTime': 1940, 'totalTime': 1945}


def test_path_vis_rows_always_summarise_the_served_traces():
    row = {'serverIp': DESTINATION, 'endpoints': [{}, {}, {}]}
    update = overrides({}, LONDON, 'path-vis', row)
    assert update == {'endpoints': endpoints(path_detail({}, TARGET, LONDON, ROUND, DESTINATION), DESTINATION)}


# The locator reads the scenarios as meant ----------------------------------------------------------------

def summary_rows(config, agents):
    """The summary rows the collection would make of the emulator's network and http-server rows."""
    rows = []
    for agent in agents:
        network = dict(NETWORK_ROW, **overrides(config, agent, 'network', NETWORK_ROW))
        http = dict(HTTP_ROW, **overrides(config, agent, 'http-server', HTTP_ROW))
        common = dict(agent_id=str(agent['agentId']), agent_name=agent['agentName'], round_id=ROUND)
        rows.append(dict(common, layer='network', loss=network['loss'], latency=network['avgLatency'], error=network['errorDetails'] or None))
        rows.append(dict(common, layer='http-server', response_code=http['responseCode'], response_time=http['responseTime'],
                         wait_time=http['waitTime'], dns_time=http['dnsTime'], connect_time=http['connectTime'],
                         ssl_time=http['sslTime'], error=None if http['errorType'] == 'None' else http['errorDetails'],
                         ok=http['errorType'] == 'None'))
    return rows


def paths_for(config, agents, shape):
    scenarios = validate(config)
    paths = {}
    for agent in agents:
        traces = path_detail(scenarios, TARGET, agent, ROUND, DESTINATION)
        body = ({'net': {'pathVis': [{'serverIp': DESTINATION, 'routes': traces}]}} if shape == 'v6'
                else {'results': [{'serverIp': DESTINATION, 'pathTraces': traces}]})
        provider = ApiV6('https://api.example.com') if shape == 'v6' else ApiV7('https://api.example.com')
        paths[str(agent['agentId'])] = provider.unwrap_path_traces(body)
    return paths


@pytest.mark.parametrize('shape', ['v6', 'v7'])
@pytest.mark.parametrize('config, agents, location, first', [
    ({}, AGENTS, 'none', None),
    ({'api': {'fault': 'hop', 'hop': 7, 'loss': 12}}, (FRANKFURT, LONDON, NEW_YORK), 'path',
     'loss starts at hop 7, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 3 of 3 agents'),
    ({'api': {'fault': 'hop', 'hop': 5, 'latency': 300}}, (FRANKFURT, LONDON), 'path',
     'latency jumps at hop 5, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 2 of 2 agents'),
    ({'api': {'fault': 'server', 'status': 503}}, AGENTS, 'target', 'HTTP 503 from 4 of 4 agents'),
    ({'api': {'fault': 'server', 'wait_time': 3500}}, AGENTS, 'target',
     'TTFB 3.5 s of 3.6 s response time from 4 of 4 agents: the server is slow, the network is not'),
    ({'api': {'fault': 'server', 'loss': 30}}, (FRANKFURT, LONDON), 'target', 'loss at the last hops, hop'),
    ({'api': {'fault': 'dns', 'error': 'SERVFAIL'}}, (FRANKFURT, LONDON), 'dns', 'DNS: SERVFAIL from 2 of 2 agents'),
    ({'api': {'fault': 'agents', 'agents': [105], 'loss': 20}}, AGENTS, 'agents',
     'only Tokyo, Japan breaches; its path shares no hop with the others before the destination'),
    ({'api': {'fault': 'agents', 'agents': [105], 'latency': 400}}, AGENTS, 'agents',
     'only Tokyo, Japan breaches; its path shares no hop with the others before the destination'),
    ({'api': {'fault': 'hop', 'hop': 7, 'loss': 12, 'agents': [101, 102]}}, AGENTS, 'path',
     'loss starts at hop 7, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 2 of 4 agents (Frankfurt, Germany; London, England); '
     "the other agents' paths avoid it"),
    ({'api': {'fault': 'hop', 'hop': 4, 'loss': 34, 'agents': [101]}}, (FRANKFURT, LONDON, NEW_YORK), 'path',
     "loss starts at hop 4, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 1 of 3 agents (Frankfurt, Germany); the other"),
    ({'api': [{'fault': 'router', 'hop': 3, 'reply_delay': 250}, {'fault': 'hop', 'hop': 7, 'latency': 320}]},
     (FRANKFURT, LONDON, NEW_YORK), 'path', 'latency jumps at hop 7, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 3 of 3 agents'),
    ({'api': [{'fault': 'router', 'hop': 3, 'silent': True}, {'fault': 'hop', 'hop': 6, 'loss': 40}]},
     (FRANKFURT, LONDON), 'path', 'loss starts at hop 6, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 2 of 2 agents'),
    ({'api': {'fault': 'router', 'hop': 4, 'reply_delay': 600}}, AGENTS, 'none', None),
    ({'api': [{'fault': 'server', 'status': 503}, {'fault': 'hop', 'hop': 4, 'loss': 40, 'agents': [101]}]}, AGENTS, 'target',
     'HTTP 503 from 4 of 4 agents'),
    ({'api': {'fault': 'dns', 'resolution_time': 3500}}, AGENTS, 'dns',
     'DNS time 3.5 s of 3.6 s response time from 4 of 4 agents: name resolution is slow'),
    ({'api': {'fault': 'agents', 'agents': [108], 'hop': 3, 'loss': 20}}, (FRANKFURT, AZURE, LONDON), 'agents',
     'only Frankfurt, Germany (Azure) breaches; its path shares no hop with the others after hop 2'),
    ({'api': [{'fault': 'hop', 'hop': 5, 'loss': 40, 'agents': [101]}, {'fault': 'agents', 'agents': [105], 'loss': 50}]}, AGENTS,
     'path', 'loss starts at hop 5, 4.68.72.1'),
    ({'api': {'fault': 'server', 'down': True}}, (FRANKFURT, LONDON, NEW_YORK), 'target', 'loss at the last hops, hop'),
    ({'api': [{'fault': 'server', 'silent': True}, {'fault': 'hop', 'hop': 5, 'latency': 350}]}, (FRANKFURT, LONDON, NEW_YORK), 'path',
     'latency jumps at hop 5, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 3 of 3 agents'),
    ({'api': [{'fault': 'lan', 'agents': [102], 'hops': 4}, {'fault': 'agents', 'agents': [102], 'hop': 3, 'loss': 40, 'ip': '10.4.3.1'}]},
     (FRANKFURT, LONDON, NEW_YORK), 'agents', 'only London, England breaches'),
    ({'api': {'fault': 'hop', 'hop': 5, 'loss': 40, 'ecmp': ['4.68.72.2', '4.68.72.3']}}, (FRANKFURT, LONDON, NEW_YORK), 'path',
     'loss starts at hop 5, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356) and 4.68.72.2, 4.68.72.3: 3 of 3 agents'),
    ({'api': {'fault': 'server', 'down': True, 'edge': '203.0.113.9'}}, (FRANKFURT, LONDON, NEW_YORK), 'target',
     'loss at the last hops, hops 8-11, 203.0.113.9 (edge1.api.example.com, Example Hosting AS 64510): 3 of 3 agents'),
    ({'api': [{'fault': 'hop', 'hop': 6, 'loss': 100, 'ip': '4.68.72.%d' % n, 'agents': [100 + n]} for n in (1, 2, 3)]},
     (FRANKFURT, LONDON, NEW_YORK), 'path', 'loss starts at hop 6, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356) and 4.68.72.2'),
])
def test_the_locator_reads_each_scenario_as_meant(shape, config, agents, location, first):
    agent_ids = set(str(agent['agentId']) for agent in agents)
    paths = paths_for(config, agents, shape)
    result = locate(summary_rows(config, agents), dict((agent, traces) for agent, traces in paths.items() if agent in agent_ids))
    assert result['location'] == location, result
    if first is None:
        assert result['evidence'] == []
    else:
        assert result['evidence'][0].startswith(first), result['evidence']


def test_latency_near_an_agent_is_placed_at_its_first_hop():
    config = {'api': {'fault': 'agents', 'agents': [105], 'latency': 400}}
    result = locate(summary_rows(config, AGENTS), paths_for(config, AGENTS, 'v7'))
    assert result['evidence'][1].startswith('latency jumps at hop 1, ')
    assert result['evidence'][1].endswith("(gw1.tyo.cloud.example.net, Cloud Agents JP AS 64496), in the agent's own network: Tokyo, Japan")


def test_a_slow_router_answers_late_itself_and_the_hops_after_it_do_not():
    scenarios = validate({'api': {'fault': 'router', 'hop': 3, 'reply_delay': 200, 'ip': '100.64.2.52'}})
    healthy = base_path(TARGET, FRANKFURT, DESTINATION, ROUND, 0)
    slow = path_detail(scenarios, TARGET, FRANKFURT, ROUND, DESTINATION)[0]['hops']
    assert slow[2]['ipAddress'] == '100.64.2.52' and slow[2]['responseTime'] == healthy[2]['responseTime'] + 200
    assert slow[:2] == healthy[:2] and slow[3:] == healthy[3:]
    assert overrides({'api': {'fault': 'router', 'reply_delay': 200}}, FRANKFURT, 'network', NETWORK_ROW) == {}


def test_a_silent_router_is_a_star_and_every_trace_still_arrives():
    scenarios = validate({'api': {'fault': 'router', 'silent': True}})
    for trace in path_detail(scenarios, TARGET, LONDON, ROUND, DESTINATION):
        assert trace['hops'][2] == {'hop': 3}
        assert trace['hops'][-1]['ipAddress'] == DESTINATION
    assert validate({'x': {'fault': 'router', 'silent': True}})['x'][0]['hop'] == 3


@pytest.mark.parametrize('raw, message', [
    ({'fault': 'router'}, 'needs reply_delay above 0 or silent: true'),
    ({'fault': 'router', 'silent': 'yes'}, 'silent must be true or false'),
    ({'fault': 'router', 'reply_delay': 100, 'loss': 5}, 'unknown key loss'),
])
def test_bad_router_scenarios_say_what_to_change(raw, message):
    with pytest.raises(ScenarioError, match=message):
        validate({'x': raw})


def test_a_transit_fault_for_some_agents_ends_their_arriving_traces_at_the_destination():
    scenarios = validate({'api': {'fault': 'hop', 'hop': 4, 'loss': 34, 'agents': [101]}})
    traces = path_detail(scenarios, TARGET, FRANKFURT, ROUND, DESTINATION)
    assert [trace['hops'][-1]['ipAddress'] for trace in traces] == ['4.68.72.1', '4.68.72.1', DESTINATION]
    assert all(trace['hops'][-1]['ipAddress'] == DESTINATION for trace in path_detail(scenarios, TARGET, LONDON, ROUND, DESTINATION))


def test_a_name_picks_a_named_scenario_and_an_unknown_name_says_the_names():
    from emulator import scenarios as named  # pylint: disable=import-outside-toplevel
    assert named.validate({'evil.example.com': 'markup'})['evil.example.com'][0]['rdns'].startswith('<script>')
    assert '<img' in named.validate({'evil-dns.example.com': 'markup-dns'})['evil-dns.example.com'][0]['error']
    with pytest.raises(named.ScenarioError, match=r'the name of a named scenario \(markup, markup-dns\)'):
        named.validate({'evil.example.com': 'nope'})


def test_an_assertion_fault_fails_api_rows_only():
    scenarios = validate({'api.example.com': {'fault': 'assertion', 'step': 2, 'completion': 50}})
    assert scenarios['api.example.com'][0] == {'fault': 'assertion', 'agents': 'all', 'step': 2,
                                               'message': 'status-code is 200', 'completion': 50}
    row = {'apiTransactionTime': 300, 'completion': 100.0, 'errorType': 'None', 'errorDetails': ''}
    update = row_overrides(scenarios, 'https://api.example.com/', FRANKFURT, 1796000000, 'api', row)
    assert update == {'completion': 50.0, 'errorType': 'Assertion', 'errorDetails': 'Assertion failed in step 2: status-code is 200'}
    assert row_overrides(scenarios, 'https://api.example.com/', FRANKFURT, 1796000000, 'network', {'loss': 0.0}) == {}
    with pytest.raises(ScenarioError, match='completion must be'):
        validate({'api.example.com': {'fault': 'assertion', 'completion': 100}})


def test_a_server_that_is_down_takes_no_connection_and_every_trace_stops_at_its_edge():
    config = {'api': {'fault': 'server', 'down': True}}
    assert overrides(config, FRANKFURT, 'network', NETWORK_ROW)['loss'] == 100.0
    http = overrides(config, FRANKFURT, 'http-server', HTTP_ROW)
    assert http['responseCode'] == 0 and http['errorType'] == 'Connect' and 'timed out' in http['errorDetails']
    for trace in path_detail(validate(config), TARGET, FRANKFURT, ROUND, DESTINATION):
        assert trace['hops'][-1]['ipAddress'] == '198.18.7.1' and trace['hops'][-1]['network'] == 'Example Hosting (AS 64510)'


def test_a_site_edge_elsewhere_moves_the_edge_hop_out_of_the_destinations_prefix():
    config = {'api': {'fault': 'server', 'down': True, 'edge': '203.0.113.9'}}
    for number, trace in enumerate(path_detail(validate(config), TARGET, FRANKFURT, ROUND, DESTINATION)):
        healthy = base_path(TARGET, FRANKFURT, DESTINATION, ROUND, number)
        edge = trace['hops'][-1]
        assert (edge['hop'], edge['ipAddress'], edge['prefix'], edge['network']) == (
            len(healthy) - 1, '203.0.113.9', '203.0.113.0/24', 'Example Hosting (AS 64510)')
        assert trace['hops'][:-1] == healthy[:-2]
    with pytest.raises(ScenarioError, match='edge must be an IP address'):
        validate({'api': {'fault': 'server', 'down': True, 'edge': 'edge.example.net'}})


def test_a_blackhole_hop_lets_nothing_through_so_no_http_answer_comes_back():
    config = {'api': {'fault': 'hop', 'hop': 6, 'loss': 100}}
    assert overrides(config, FRANKFURT, 'network', NETWORK_ROW)['loss'] == 100.0
    http = overrides(config, FRANKFURT, 'http-server', HTTP_ROW)
    assert http['responseCode'] == 0 and http['errorType'] == 'Connect' and 'timed out' in http['errorDetails']
    # Below 100 % some packets get through: the HTTP answer comes back.
    assert 'responseCode' not in overrides({'api': {'fault': 'hop', 'hop': 6, 'loss': 99}}, FRANKFURT, 'http-server', HTTP_ROW)


def test_a_destination_that_drops_probes_ends_every_trace_with_a_star_and_changes_no_row():
    config = {'api': {'fault': 'server', 'silent': True}}
    assert overrides(config, FRANKFURT, 'network', NETWORK_ROW) == {}
    assert overrides(config, FRANKFURT, 'http-server', HTTP_ROW) == {}
    for trace in path_detail(validate(config), TARGET, FRANKFURT, ROUND, DESTINATION):
        assert trace['hops'][-1] == {'hop': len(trace['hops'])}
        assert trace['hops'][-2]['ipAddress'] == '198.18.7.1'


def test_a_cdn_answers_each_country_from_its_own_edge():
    config = {'api': {'fault': 'cdn'}}
    edges = dict((agent['agentId'], overrides(config, agent, 'http-server', HTTP_ROW)['serverIp']) for agent in (FRANKFURT, AZURE, LONDON))
    assert edges[101] == edges[108] != edges[102] and DESTINATION not in edges.values()
    path_row = {'serverIp': DESTINATION, 'endpoints': [{}, {}, {}]}
    assert set(entry['ipAddress'] for entry in overrides(config, LONDON, 'path-vis', path_row)['endpoints']) == {edges[102]}


def test_a_lan_gives_the_first_hops_private_addresses_without_names():
    traces = path_detail(validate({'api': {'fault': 'lan', 'hops': 4}}), TARGET, LONDON, ROUND, DESTINATION)
    for trace in traces:
        assert [hop['ipAddress'] for hop in trace['hops'][:4]] == ['10.102.%d.1' % number for number in range(1, 5)]
        assert not any(key in hop for hop in trace['hops'][:4] for key in ('rdns', 'network', 'location'))
        assert trace['hops'][4]['network'] and not trace['hops'][4]['ipAddress'].startswith('10.')


def test_ecmp_addresses_take_turns_at_the_faulty_hop():
    traces = path_detail(validate({'api': {'fault': 'hop', 'hop': 5, 'latency': 100, 'ecmp': ['4.68.72.2']}}), TARGET, FRANKFURT, ROUND,
                         DESTINATION)
    assert sorted(trace['hops'][4]['ipAddress'] for trace in traces) == ['4.68.72.1', '4.68.72.2', '4.68.72.2']


@pytest.mark.parametrize('raw, message', [
    ({'fault': 'hop', 'loss': 10, 'ecmp': '4.68.72.2'}, 'ecmp must be a list of IP addresses'),
    ({'fault': 'hop', 'loss': 10, 'ecmp': ['not-an-ip']}, 'ecmp must be a list of IP addresses'),
    ({'fault': 'server', 'down': 'yes'}, 'down must be true or false'),
    ({'fault': 'lan', 'hops': 0}, 'hops must be an integer'),
    ({'fault': 'cdn', 'status': 503}, 'unknown key status'),
])
def test_bad_new_scenarios_say_what_to_change(raw, message):
    with pytest.raises(ScenarioError, match=message):
        validate({'x': raw})


def test_local_problems_are_validated_as_cloud_agents_and_seconds():
    config = check_config(merge_patch(DEFAULT_CONFIG, {'local_problems': {'102': 600}}))
    assert config['local_problems'] == {'102': 600}
    for bad in ({'201': 60}, {'999': 60}, {'102': -1}, [102]):
        with pytest.raises(ConfigError, match='local_problems must map Cloud Agent IDs'):
            check_config(merge_patch(DEFAULT_CONFIG, {'local_problems': bad}))


@pytest.mark.parametrize('target, name', [
    ('https://[2001:db8::10]:8443/health', 'edge1.2001:db8::10'),
    ('2001:db8::10', 'edge1.2001:db8::10'),
    ('https://shop.example.com:8443/x', 'edge1.shop.example.com'),
    ('example.com A', 'edge1.example.com'),
])
def test_the_edge_router_is_named_after_the_whole_host(target, name):
    hops = base_path(target, FRANKFURT, '2001:db8::10' if '2001' in target else DESTINATION)
    assert hops[-2]['rdns'] == name
