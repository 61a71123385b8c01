# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the fault locator: every location, mixed causes, v6 and v7 path shapes, and what to read."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.locate import (
    PRECEDENCE,
    hop_label,
    locate,
    network_label,
)
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.path_details import path_details_needed
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.v6 import ApiV6
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.v7 import ApiV7

# The traces reach the locator as the providers normalise them (test_results_info with path_details).
PROVIDERS = {'v6': ApiV6('https://api.example.com'), 'v7': ApiV7('https://api.example.com')}


def path_traces(body, shape=None):
    shape = shape or ('v6' if isinstance(body, dict) and 'net' in body else 'v7')
    return PROVIDERS[shape].unwrap_path_traces(body)


AGENTS = {'101': 'Frankfurt, Germany', '102': 'London, England', '103': 'New York, NY', '105': 'Tokyo, Japan'}
ROUND = 1795687200
SERVER_IP = '198.18.7.10'
LUMEN = dict(ip='4.68.72.1', rdns='ae-1.lumen.example.net', network='Lumen (AS 3356)')


def row(layer, agent_id, **values):
    """A summary row as test_results_info returns it: every key, None where not measured."""
    summary = dict.fromkeys(('layer', 'agent_id', 'agent_name', 'round_id', 'loss', 'latency', 'response_code', 'response_time',
                             'dns_ok', 'error', 'ok'))
    summary.update(layer=layer, agent_id=agent_id, agent_name=AGENTS[agent_id], round_id=ROUND, ok=True)
    summary.update(values)
    return summary


def healthy(agent_id, layers=('network', 'http-server', 'dns-trace')):
    rows = []
    for layer in layers:
        if layer == 'network':
            rows.append(row('network', agent_id, loss=0.0, latency=40.0))
        elif layer == 'http-server':
            rows.append(row('http-server', agent_id, response_code=200, response_time=180.0, wait_time=90.0, dns_time=10.0,
                            connect_time=20.0, ssl_time=30.0))
        elif layer == 'dns-trace':
            rows.append(row('dns-trace', agent_id, dns_ok=True, response_time=20.0))
    return rows


def broken(agent_id, layer, **values):
    """The agent's healthy rows with the given layer's values replaced."""
    rows = healthy(agent_id)
    for entry in rows:
        if entry['layer'] == layer:
            entry.update(values)
    return rows


def base_hops(agent_id, length=9):
    """A path of ``length`` hops: two near the agent, transit of its own, the destination's edge and the destination."""
    index = int(agent_id) % 100
    hops = [dict(hop=1, ipAddress='104.28.%d.1' % index, rdns='gw.agent%s.example.net' % agent_id, network='Agent Net (AS 64500)'),
            dict(hop=2, ipAddress='104.28.%d.2' % index, rdns='access.agent%s.example.net' % agent_id, network='Agent Net (AS 64500)')]
    for number in range(3, length - 1):
        hops.append(dict(hop=number, ipAddress='172.%d.%d.1' % (16 + index, number), network='Transit %s (AS 650%02d)' % (agent_id, index)))
    hops.append(dict(hop=length - 1, ipAddress='198.18.7.1', rdns='edge.target.example', network='Target Hosting (AS 64510)'))
    hops.append(dict(hop=length, ipAddress=SERVER_IP, network='Target Hosting (AS 64510)'))
    for position, hop in enumerate(hops):
        hop['responseTime'] = 2 + 4 * position
    return hops


def with_fault(hops, at, latency=0, stop=False, replace=None):
    """Hops with the hop numbered ``at`` replaced (optional), RTT raised from it on, and cut after it when ``stop``."""
    changed = []
    for hop in hops:
        hop = dict(hop)
        if hop['hop'] == at and replace:
            hop.update(ipAddress=replace['ip'], rdns=replace.get('rdns'), network=replace.get('network'))
        if hop['hop'] >= at:
            hop['responseTime'] += latency
        if stop and hop['hop'] > at:
            hop = dict(hop=hop['hop'])  # a * reply
        changed.append(hop)
    return changed


def v6_detail(agent_id, routes):
    return {'net': {'pathVis': [{'agentId': int(agent_id), 'agentName': AGENTS[agent_id], 'roundId': ROUND, 'serverIp': SERVER_IP,
                                 'server': 'www.example.com:443', 'routes': [{'pathId': '%s-%d' % (agent_id, n), 'hops': hops}
                                                                             for n, hops in enumerate(routes, 1)]}]}}


def v7_detail(agent_id, routes):
    return {'test': {'testId': '7'}, 'results': [{'agent': {'agentId': agent_id, 'agentName': AGENTS[agent_id]}, 'roundId': ROUND,
                                                  'serverIp': SERVER_IP, 'pathTraces': [{'pathId': '%s-%d' % (agent_id, n), 'hops': hops}
                                                                                        for n, hops in enumerate(routes, 1)]}],
            '_links': {'self': {'href': 'x'}}}


SHAPES = {'v6': v6_detail, 'v7': v7_detail}


def paths_of(shape, routes_by_agent):
    return dict((agent_id, path_traces(SHAPES[shape](agent_id, routes))) for agent_id, routes in routes_by_agent.items())


def healthy_routes(agent_id):
    return [base_hops(agent_id)] * 3


# Path shapes ------------------------------------------------------------------------------------------

@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_both_detail_shapes_normalise_to_the_same_traces(shape):
    hops = with_fault(base_hops('101'), 5, stop=True)
    traces = path_traces(SHAPES[shape]('101', [base_hops('101'), hops]))
    assert [trace['reached'] for trace in traces] == [True, False]
    assert traces[0]['destination'] == SERVER_IP
    first = traces[0]['hops'][0]
    assert first == dict(hop=1, ip='104.28.1.1', prefix=None, rdns='gw.agent101.example.net', network='Agent Net (AS 64500)',
                         location=None, mpls=None, response_time=2.0)
    assert traces[1]['hops'][5]['ip'] is None  # the * reply after the stop
    assert traces[0]['path_id'] == '101-1'


def test_v6_and_v7_providers_agree():
    routes = [base_hops('101')]
    assert path_traces(v6_detail('101', routes)) == path_traces(v7_detail('101', routes))


def test_a_hop_without_number_takes_its_position_and_junk_is_ignored():
    hops = [{'ipAddress': '10.0.0.1'}, 'junk', {'ipAddress': '10.0.0.9', 'responseTime': '7'}]
    traces = path_traces({'results': [{'serverIp': '10.0.0.9', 'pathTraces': [{'hops': hops}]}]})
    assert [(hop['hop'], hop['ip'], hop['response_time']) for hop in traces[0]['hops']] == [(1, '10.0.0.1', None), (2, '10.0.0.9', 7.0)]
    assert traces[0]['reached'] is True
    assert path_traces(None, 'v7') == [] and path_traces({'net': {'pathVis': None}}) == []


def test_labels():
    assert network_label('Level 3 Parent, LLC (AS 3356)') == 'Level 3 Parent, LLC AS 3356'
    assert network_label('Private') == 'Private'
    hop = dict(hop=7, **LUMEN)
    assert hop_label(hop) == 'hop 7, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356)'
    assert hop_label(dict(hop=7, ip='4.68.72.1', rdns=None, network=None), [7, 9, 8]) == 'hops 7-9, 4.68.72.1'


def test_thresholds_reject_text():
    with pytest.raises(ValueError, match='max_loss must be a number'):
        thresholds_of({'max_loss': 'lots'})
    assert thresholds_of({'max_loss': '2', 'max_dns_time': None})['max_loss'] == 2.0


# Locations ---------------------------------------------------------------------------------------------

def test_none_when_nothing_breaches():
    rows = healthy('101') + healthy('102')
    result = locate(rows, {'101': path_traces(v7_detail('101', healthy_routes('101')))})
    assert result['location'] == 'none' and result['evidence'] == [] and result['breaching'] == []


def test_target_for_an_http_status_from_every_agent():
    rows = broken('101', 'http-server', response_code=503, ok=False) + broken('102', 'http-server', response_code=503, ok=False)
    result = locate(rows)
    assert result['location'] == 'target'
    assert result['evidence'] == ['HTTP 503 from 2 of 2 agents']


def test_target_for_a_slow_wait_time():
    rows = []
    for agent in ('101', '102', '103'):
        rows += broken(agent, 'http-server', response_time=2600.0, wait_time=2400.0, dns_time=20.0, connect_time=30.0, ssl_time=40.0)
    result = locate(rows, thresholds={'max_response_time': 2000})
    assert result['location'] == 'target'
    assert result['evidence'] == ['TTFB 2.4 s of 2.6 s response time from 3 of 3 agents: the server is slow, the network is not']


@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_target_for_loss_at_the_destination(shape):
    rows, routes = [], {}
    for agent in ('101', '102', '103'):
        rows += broken(agent, 'network', loss=30.0)
        stopped = with_fault(base_hops(agent), 8, stop=True)  # the edge answers, the server does not
        routes[agent] = [base_hops(agent), stopped, stopped]
    result = locate(rows, paths_of(shape, routes))
    assert result['location'] == 'target'
    assert result['evidence'] == ['loss at the last hops, hop 8, 198.18.7.1 (edge.target.example, Target Hosting AS 64510): 3 of 3 agents']


def test_target_for_end_to_end_loss_with_every_trace_arriving():
    rows, routes = [], {}
    for agent in ('101', '102'):
        rows += broken(agent, 'network', loss=12.0)
        routes[agent] = healthy_routes(agent)
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'target'
    assert result['evidence'] == ['loss at the destination %s: 2 of 2 agents' % SERVER_IP]


@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_path_for_loss_starting_at_a_shared_transit_hop(shape):
    rows, routes = [], {}
    for agent, at in (('101', 7), ('102', 7), ('103', 6)):
        rows += broken(agent, 'network', loss=12.0)
        stopped = with_fault(base_hops(agent, 10), at, stop=True, replace=LUMEN)
        routes[agent] = [with_fault(base_hops(agent, 10), at, replace=LUMEN), stopped, stopped]
    result = locate(rows, paths_of(shape, routes))
    assert result['location'] == 'path'
    assert result['evidence'] == ['loss starts at hops 6-7, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 3 of 3 agents']
    assert result['findings'][0]['hop']['ip'] == '4.68.72.1'


def test_path_for_a_latency_jump_at_a_shared_transit_hop():
    rows, routes = [], {}
    for agent in ('101', '102', '103'):
        rows += broken(agent, 'network', latency=420.0)
        routes[agent] = [with_fault(base_hops(agent), 5, latency=380, replace=LUMEN)] * 3
    result = locate(rows, paths_of('v6', routes))
    assert result['location'] == 'path'
    assert result['evidence'] == ['latency jumps at hop 5, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 3 of 3 agents']


def test_path_for_traces_stopping_at_the_same_hop_when_unreachable():
    rows, routes = [], {}
    for agent in ('101', '102'):
        rows += broken(agent, 'network', loss=100.0, error='Connection timed out')
        routes[agent] = [with_fault(base_hops(agent), 4, stop=True, replace=LUMEN)] * 3
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path'
    assert result['evidence'][0].startswith('loss starts at hop 4, 4.68.72.1')


def test_path_for_some_agents_sharing_a_transit_hop_the_healthy_ones_avoid():
    rows, routes = healthy('103'), {'103': healthy_routes('103')}
    for agent in ('101', '102'):
        rows += broken(agent, 'network', loss=20.0)
        routes[agent] = [with_fault(base_hops(agent), 6, stop=True, replace=LUMEN)] * 3
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path'
    assert result['evidence'] == ['loss starts at hop 6, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): '
                                  "2 of 3 agents (Frankfurt, Germany; London, England); the other agents' paths avoid it"]
    assert result['next_step'] == 'Contact Lumen AS 3356 about 4.68.72.1 (Frankfurt, Germany; London, England)'


def test_dns_for_a_failing_resolution():
    rows = []
    for agent in ('101', '102'):
        rows += [entry for entry in broken(agent, 'dns-trace', dns_ok=False, error='SERVFAIL') if entry['layer'] != 'http-server']
        rows.append(row('http-server', agent, response_code=0, ok=False, error='Could not resolve host: SERVFAIL'))
    result = locate(rows)
    assert result['location'] == 'dns'
    assert result['evidence'] == ['DNS: SERVFAIL from 2 of 2 agents']


def test_dns_for_a_slow_resolution_only_with_a_dns_threshold():
    rows = broken('101', 'dns-trace', response_time=1800.0) + broken('102', 'dns-trace', response_time=1500.0)
    assert locate(rows)['location'] == 'none'
    result = locate(rows, thresholds={'max_dns_time': 1000})
    assert result['location'] == 'dns'
    assert result['evidence'] == ['DNS: resolution takes up to 1.8 s (limit 1.0 s) from 2 of 2 agents']


def test_dns_when_dns_time_dominates_a_slow_response():
    rows = broken('101', 'http-server', response_time=2200.0, dns_time=1900.0, wait_time=100.0)
    rows += healthy('102')
    result = locate(rows, thresholds={'max_response_time': 2000})
    assert result['location'] == 'dns'
    assert result['evidence'] == ['DNS time 1.9 s of 2.2 s response time from 1 of 2 agents (Frankfurt, Germany): name resolution is slow']


@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_agents_when_only_one_breaches_and_its_path_is_its_own(shape):
    rows, routes = [], {}
    for agent in ('101', '102', '103'):
        rows += healthy(agent)
        routes[agent] = healthy_routes(agent)
    rows += broken('105', 'network', loss=20.0, latency=450.0)
    routes['105'] = [with_fault(base_hops('105'), 2, latency=400, stop=True)] * 2 + [with_fault(base_hops('105'), 2, latency=400)]
    result = locate(rows, paths_of(shape, routes))
    assert result['location'] == 'agents'
    assert result['evidence'][0] == 'only Tokyo, Japan breaches; its path shares no hop with the others before the destination'
    assert result['evidence'][1] == ('loss starts at hop 2, 104.28.5.2 (access.agent105.example.net, Agent Net AS 64500), '
                                     "in the agent's own network: Tokyo, Japan")
    assert result['next_step'] == "Check the agents' own network (Agent Net AS 64500) near Tokyo, Japan"
    # The same hop for the same agent once, not again as the path finding.
    assert len(result['evidence']) == 2, result['evidence']


def test_a_transit_network_on_one_agents_path_only_is_path_not_agents():
    rows, routes = healthy('101') + healthy('102'), {'101': healthy_routes('101'), '102': healthy_routes('102')}
    own = base_hops('101')[:2] + base_hops('105')[2:]  # Tokyo's first two hops are Frankfurt's, then its transit's
    rows += broken('105', 'network', loss=20.0)
    routes['105'] = [own, with_fault(own, 5, stop=True), with_fault(own, 5, stop=True)]
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path'
    assert result['evidence'][0] == ("loss starts at hop 5, 172.21.5.1 (Transit 105 AS 65005): 1 of 3 agents (Tokyo, Japan); "
                                     "the other agents' paths avoid it")


def test_agents_without_path_details_says_what_breaches():
    rows = healthy('101') + healthy('102') + broken('105', 'network', loss=20.0)
    result = locate(rows)
    assert result['location'] == 'agents'
    assert result['evidence'][0] == 'only Tokyo, Japan breaches (1 of 3 agents): loss 20% > 5%'
    assert 'no path trace to place it' in result['evidence'][1]


def test_target_for_an_http_status_from_some_agents_only():
    """An HTTP status is server-side whoever sees it (a CDN or anycast target answers each agent from its own edge)."""
    rows = healthy('101') + broken('102', 'http-server', response_code=502, ok=False)
    result = locate(rows)
    assert result['location'] == 'target'
    assert 'HTTP 502 from 1 of 2 agents (London, England)' in result['evidence']


def test_target_when_every_agent_breaches_without_a_path_to_place_it():
    rows = broken('101', 'network', loss=40.0) + broken('102', 'network', loss=35.0)
    result = locate(rows)
    assert result['location'] == 'target'
    assert result['evidence'] == ['loss up to 40% > 5% from 2 of 2 agents; no path trace to place it']


# Mixed causes -----------------------------------------------------------------------------------------

def test_a_dns_failure_wins_over_everything_else():
    rows = broken('101', 'dns-trace', dns_ok=False, error='NXDOMAIN') + broken('102', 'http-server', response_code=503, ok=False)
    result = locate(rows)
    assert result['location'] == 'dns'
    assert result['evidence'] == ['DNS: NXDOMAIN from 1 of 2 agents (Frankfurt, Germany)', 'HTTP 503 from 1 of 2 agents (London, England)']


def test_the_server_wins_over_a_lossy_hop_and_the_hop_stays_in_the_evidence():
    rows, routes = [], {}
    for agent in ('101', '102'):
        rows += broken(agent, 'http-server', response_code=500, ok=False)
    rows = [entry for entry in rows if not (entry['agent_id'] == '101' and entry['layer'] == 'network')]
    rows.append(row('network', '101', loss=15.0, latency=40.0))
    routes['101'] = [with_fault(base_hops('101'), 4, stop=True, replace=LUMEN)] * 3
    result = locate(rows, paths_of('v6', routes))
    assert result['location'] == 'target'
    assert result['evidence'][0] == 'HTTP 500 from 2 of 2 agents'
    assert result['evidence'][1].startswith('loss starts at hop 4, 4.68.72.1')


def test_a_shared_hop_wins_over_slow_dns():
    rows, routes = [], {}
    for agent in ('101', '102'):
        rows += broken(agent, 'network', latency=500.0)
        rows = [entry for entry in rows if not (entry['agent_id'] == agent and entry['layer'] == 'dns-trace')]
        rows.append(row('dns-trace', agent, dns_ok=True, response_time=1500.0))
        routes[agent] = [with_fault(base_hops(agent), 5, latency=450, replace=LUMEN)] * 3
    result = locate(rows, paths_of('v7', routes), {'max_dns_time': 1000})
    assert result['location'] == 'path'
    assert result['evidence'][1].startswith('DNS: resolution takes up to 1.5 s')


def test_slow_dns_wins_over_some_agents():
    rows = broken('101', 'dns-trace', response_time=1500.0) + healthy('102') + broken('103', 'network', loss=9.0)
    result = locate(rows, thresholds={'max_dns_time': 1000})
    assert result['location'] == 'dns'


def test_no_single_hop_from_every_agent_on_the_way_is_path():
    rows, routes = [], {}
    for agent, at in (('101', 4), ('102', 5)):
        rows += broken(agent, 'network', loss=25.0)
        routes[agent] = [with_fault(base_hops(agent), at, stop=True)] * 3
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path'
    assert len(result['evidence']) == 2 and all(text.startswith('loss starts at hop') for text in result['evidence'])


def test_a_latency_breach_without_a_jump_is_not_placed():
    rows = broken('101', 'network', latency=350.0) + broken('102', 'network', latency=360.0)
    routes = dict((agent, healthy_routes(agent)) for agent in ('101', '102'))
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'target'
    assert result['evidence'] == ['latency up to 360 ms > 300 ms from 2 of 2 agents; the path traces show no single hop']


# Real traces: slow or silent routers, faults on some agents' paths --------------------------------------

SLOW_ROUTER = dict(ip='100.64.2.52', rdns='cr1.slow-router.example.net', network='Transit Router (AS 65100)')


def slow_router(hops, at, answer=150, silent=False):
    """Hops whose hop ``at`` answers its own probes late (``answer`` ms) or not at all; the hops after it are unchanged."""
    changed = []
    for hop in hops:
        hop = dict(hop)
        if hop['hop'] == at:
            hop = dict(hop=at) if silent else dict(hop, ipAddress=SLOW_ROUTER['ip'], rdns=SLOW_ROUTER['rdns'],
                                                   network=SLOW_ROUTER['network'], responseTime=answer)
        changed.append(hop)
    return changed


@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_a_jump_counts_only_when_it_persists_to_the_destination(shape):
    """A router at hop 3 answers late, a transit network at hop 7 adds delay that lasts: hop 7 is named, for every agent."""
    rows, routes = [], {}
    for agent in ('101', '102', '103'):
        rows += broken(agent, 'network', latency=420.0)
        hops = slow_router(with_fault(base_hops(agent, 10), 7, latency=380, replace=LUMEN), 3, answer=300)
        routes[agent] = [hops] * 3
    result = locate(rows, paths_of(shape, routes))
    assert result['location'] == 'path'
    assert result['evidence'] == ['latency jumps at hop 7, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 3 of 3 agents']
    assert result['next_step'] == 'Contact Lumen AS 3356 about 4.68.72.1 (Frankfurt, Germany; London, England; New York, NY)'


def test_a_slow_router_alone_is_no_jump():
    rows, routes = [], {}
    for agent in ('101', '102'):
        rows += broken(agent, 'network', latency=350.0)
        routes[agent] = [slow_router(base_hops(agent), 4, answer=400)] * 3
    result = locate(rows, paths_of('v7', routes))
    assert '100.64.2.52' not in ' '.join(result['evidence'])
    assert result['evidence'] == ['latency 350 ms > 300 ms from 2 of 2 agents; the path traces show no single hop']


def test_a_healthy_target_behind_a_slow_router_is_none():
    rows = healthy('101') + healthy('102')
    routes = dict((agent, [slow_router(base_hops(agent), 3, answer=900)] * 3) for agent in ('101', '102'))
    assert locate(rows, paths_of('v6', routes))['location'] == 'none'


@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_a_silent_hop_followed_by_answering_hops_is_not_where_loss_starts(shape):
    rows, routes = [], {}
    for agent in ('101', '102'):
        rows += broken(agent, 'network', loss=30.0)
        arrives = slow_router(base_hops(agent, 10), 3, silent=True)
        stops = with_fault(arrives, 7, stop=True, replace=LUMEN)
        routes[agent] = [arrives, stops, stops]
    result = locate(rows, paths_of(shape, routes))
    assert result['location'] == 'path'
    assert result['evidence'] == ['loss starts at hop 7, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 2 of 2 agents']


def test_a_silent_hop_with_loss_at_the_destination_is_target():
    rows, routes = [], {}
    for agent in ('101', '102'):
        rows += broken(agent, 'network', loss=12.0)
        routes[agent] = [slow_router(base_hops(agent), 4, silent=True)] * 3
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'target'
    assert result['evidence'] == ['loss at the destination %s: 2 of 2 agents' % SERVER_IP]


def lumen_for_frankfurt_only(slow=False):
    """Loss from hop 4 in Lumen on Frankfurt's path only; London and New York fine (behind a slow router if asked)."""
    rows, routes = [], {}
    for agent in ('102', '103'):
        rows += healthy(agent)
        routes[agent] = [slow_router(base_hops(agent), 3) if slow else base_hops(agent)] * 3
    rows += broken('101', 'network', loss=34.0)
    stopped = with_fault(base_hops('101'), 4, stop=True, replace=LUMEN)
    routes['101'] = [with_fault(base_hops('101'), 4, replace=LUMEN), stopped, stopped]
    return rows, routes


@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_a_transit_fault_on_one_agents_path_is_path_naming_the_network_and_the_agent(shape):
    rows, routes = lumen_for_frankfurt_only()
    result = locate(rows, paths_of(shape, routes))
    assert result['location'] == 'path'
    assert result['evidence'] == ['loss starts at hop 4, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356): 1 of 3 agents '
                                  "(Frankfurt, Germany); the other agents' paths avoid it"]
    assert result['next_step'] == 'Contact Lumen AS 3356 about 4.68.72.1 (Frankfurt, Germany)'


def test_the_evidence_says_which_other_paths_cross_the_hop_or_its_network():
    rows, routes = lumen_for_frankfurt_only()
    routes['102'] = [with_fault(base_hops('102'), 5, replace=LUMEN)] * 3
    routes['103'] = [with_fault(base_hops('103'), 6, replace=dict(LUMEN, ip='4.68.72.9'))] * 3
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path'
    assert result['evidence'][0].endswith('(Frankfurt, Germany); London, England also crosses it, New York, NY crosses Lumen AS 3356 '
                                          'at other hops')


def test_the_other_paths_unread_are_said_so():
    rows, routes = lumen_for_frankfurt_only()
    del routes['102'], routes['103']
    assert locate(rows, paths_of('v7', routes))['evidence'][0].endswith("; the other agents' paths were not read")


def test_a_fault_in_the_agents_own_as_beyond_the_first_hops_is_agents():
    rows, routes = healthy('101') + healthy('102'), {'101': healthy_routes('101'), '102': healthy_routes('102')}
    own = dict(ip='104.28.5.3', rdns='dist.agent105.example.net', network='Agent Net (AS 64500)')
    rows += broken('105', 'network', loss=40.0)
    routes['105'] = [with_fault(base_hops('105'), 3, replace=own), with_fault(base_hops('105'), 3, stop=True, replace=own)]
    result = locate(rows, paths_of('v6', routes))
    assert result['location'] == 'agents'
    assert "loss starts at hop 3, 104.28.5.3 (dist.agent105.example.net, Agent Net AS 64500), in the agent's own network: " \
        'Tokyo, Japan' in result['evidence']


def test_a_fault_in_the_network_the_agents_listing_gives_the_agent_is_agents():
    """An Enterprise agent behind private first hops: its own network is the one the agents listing names."""
    rows, routes = healthy('101') + healthy('102'), {'101': healthy_routes('101'), '102': healthy_routes('102')}
    private = [dict(hop, ipAddress='10.0.0.%d' % hop['hop'], network=None, rdns=None) if hop['hop'] <= 2 else hop
               for hop in base_hops('105')]
    office = dict(ip='198.51.100.1', rdns='cpe.office.example.net', network='Example Networks (AS 64501)')
    rows += broken('105', 'network', loss=40.0)
    routes['105'] = [with_fault(private, 3, replace=office), with_fault(private, 3, stop=True, replace=office)]
    # The office's first public hop after its LAN is the agent's first network, listed or not.
    assert locate(rows, paths_of('v7', routes))['location'] == 'agents'
    result = locate(rows, paths_of('v7', routes), agent_networks={'105': 'Example Networks (AS 64501)', '101': None})
    assert result['location'] == 'agents'
    assert result['next_step'] == "Check the agents' own network (Example Networks AS 64501) near Tokyo, Japan"


def test_first_hop_for_one_agent_and_transit_for_another_is_path_with_both_in_the_evidence():
    rows, routes = lumen_for_frankfurt_only()
    rows += broken('105', 'network', loss=50.0)
    routes['105'] = [with_fault(base_hops('105'), 1, stop=True)] * 2 + [base_hops('105')]
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path'
    assert result['evidence'][0].startswith('loss starts at hop 4, 4.68.72.1')
    assert result['evidence'][0].endswith("1 of 4 agents (Frankfurt, Germany); the other agents' paths avoid it")
    assert result['evidence'][1] == ("loss starts at hop 1, 104.28.5.1 (gw.agent105.example.net, Agent Net AS 64500), "
                                     "in the agent's own network: Tokyo, Japan")


def test_a_transit_fault_for_one_agent_with_a_slow_router_on_the_healthy_paths_is_path():
    rows, routes = lumen_for_frankfurt_only(slow=True)
    result = locate(rows, paths_of('v6', routes))
    assert result['location'] == 'path'
    assert result['findings'][0]['hop']['ip'] == '4.68.72.1'


def test_agents_that_cannot_measure_at_all_are_agents():
    rows = healthy('101') + broken('102', 'network', loss=100.0, error='No route to host')
    routes = {'101': healthy_routes('101'), '102': [[dict(hop=1), dict(hop=2)]] * 3}
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'agents'
    assert 'no hop answers the path traces of London, England: the agent cannot measure' in result['evidence']


# What to read -----------------------------------------------------------------------------------------

def test_nothing_to_read_when_healthy_or_when_dns_fails():
    tests = [dict(test_id='1', summary=healthy('101') + healthy('102'))]
    assert path_details_needed(tests) == []
    tests = [dict(test_id='1', summary=broken('101', 'network', loss=50.0) + broken('102', 'dns-trace', dns_ok=False, error='SERVFAIL'))]
    assert path_details_needed(tests) == []


def test_nothing_to_read_for_a_server_error():
    tests = [dict(test_id='1', summary=broken('101', 'http-server', response_code=503, ok=False)
                  + broken('102', 'http-server', response_code=503, ok=False))]
    assert path_details_needed(tests) == []


def test_every_breaching_agent_when_all_breach_and_only_the_network_test():
    summary = broken('101', 'network', loss=20.0) + broken('102', 'network', loss=25.0)
    for entry in summary:
        if entry['agent_id'] == '102' and entry['layer'] == 'network':
            entry['round_id'] = ROUND + 60
    tests = [dict(test_id='dns', summary=[entry for entry in summary if entry['layer'] == 'dns-trace']),
             dict(test_id='http', summary=summary)]
    assert path_details_needed(tests) == [dict(test_id='http', agent_id='101', round_id=ROUND, reason='breaching'),
                                          dict(test_id='http', agent_id='102', round_id=ROUND + 60, reason='breaching')]


def test_the_healthy_agents_for_comparison_when_some_breach():
    summary = healthy('101') + broken('105', 'network', loss=20.0)
    assert path_details_needed([dict(test_id='7', summary=summary)]) == [
        dict(test_id='7', agent_id='105', round_id=ROUND, reason='breaching'),
        dict(test_id='7', agent_id='101', round_id=ROUND, reason='comparison')]
    assert path_details_needed([dict(test_id='7', summary=summary)], compare_healthy=False) == [
        dict(test_id='7', agent_id='105', round_id=ROUND, reason='breaching')]


def test_the_test_whose_network_rows_breach_is_chosen():
    a2s = healthy('101', layers=('network',)) + healthy('102', layers=('network',))
    http = broken('101', 'network', loss=30.0) + broken('102', 'network', loss=30.0)
    needed = path_details_needed([dict(test_id='a2s', summary=a2s), dict(test_id='http', summary=http)])
    assert set(entry['test_id'] for entry in needed) == {'http'}


def test_a_connect_dominated_slow_response_needs_the_path():
    summary = broken('101', 'http-server', response_time=2500.0, wait_time=100.0, dns_time=20.0, connect_time=1500.0, ssl_time=800.0)
    summary += healthy('102')
    needed = path_details_needed([dict(test_id='9', summary=summary)], {'max_response_time': 2000})
    assert [(entry['agent_id'], entry['reason']) for entry in needed] == [('101', 'breaching'), ('102', 'comparison')]


# The patterns of real outages (tests/scenarios/locations.yml runs them through the role) ---------------------------

EDGE = dict(ip='198.18.7.1', rdns='edge.target.example', network='Target Hosting (AS 64510)')


def with_prefixes(hops):
    """Hops as the API gives them, each with its /24 prefix (the edge's holds the destination)."""
    return [dict(hop, prefix=hop['ipAddress'].rsplit('.', 1)[0] + '.0/24') if hop.get('ipAddress') else hop for hop in hops]


def without_destination(hops, star=True):
    """The trace of a destination that does not answer: a * reply in its place, or nothing after the edge."""
    return [dict(hop=hop['hop']) if hop.get('ipAddress') == SERVER_IP else hop for hop in hops if star or hop.get('ipAddress') != SERVER_IP]


@pytest.mark.parametrize('shape', ['v6', 'v7'])
@pytest.mark.parametrize('star', [True, False])
def test_target_for_a_server_that_takes_no_connection_while_every_trace_stops_at_its_edge(shape, star):
    rows, routes = [], {}
    for agent in ('101', '102', '103'):
        rows += broken(agent, 'network', loss=100.0)
        rows = [dict(entry, response_code=0, error='Connection timed out after 10000 ms', ok=False) if entry['agent_id'] == agent
                and entry['layer'] == 'http-server' else entry for entry in rows]
        # A router on the way that never answers its own probes, and one that answers late: neither is the fault.
        hops = with_fault(with_fault(base_hops(agent, length=9 + int(agent) % 3), 3, replace=dict(ip='100.64.2.52')), 4)
        hops[3]['responseTime'] += 300
        hops[2] = dict(hop=3)
        routes[agent] = [without_destination(with_prefixes(hops), star)] * 3
    result = locate(rows, paths_of(shape, routes))
    assert result['location'] == 'target', result['evidence']
    assert 'at the last hops' in result['evidence'][0] and '198.18.7.1' in result['evidence'][0]
    assert '3 of 3 agents' in result['evidence'][0]
    assert not any('100.64.2.52' in line for line in result['evidence'])


@pytest.mark.parametrize('edge_prefix', ['198.18.7.0/24', '203.0.113.0/24'])
def test_path_for_a_jump_before_a_destination_that_drops_the_probes_addressed_to_it(edge_prefix):
    """Every trace ends at the site's edge (in the destination's prefix or not): no fault; the jump at hop 5 is the place."""
    rows, routes = [], {}
    for agent in ('101', '102', '103'):
        rows += broken(agent, 'network', latency=420.0)
        hops = with_fault(base_hops(agent, length=10), 5, latency=350, replace=LUMEN)
        hops[2]['responseTime'] += 500  # a router that answers its own probes late
        hops = [dict(hop, prefix=edge_prefix) if hop['ipAddress'] == EDGE['ip'] else hop for hop in hops]
        routes[agent] = [without_destination(hops)] * 3
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path', result['evidence']
    assert result['evidence'][0].startswith('latency jumps at hop 5, 4.68.72.1'), result['evidence']
    assert '3 of 3 agents' in result['evidence'][0]
    assert result['next_step'].startswith('Contact Lumen AS 3356 about 4.68.72.1')


def test_loss_on_the_way_is_found_when_the_destination_drops_probes():
    """One of Frankfurt's three traces stops at Lumen; the two others end at the edge of a destination that drops the
    probes: they arrive, and the stop is the hop where loss starts."""
    rows = broken('101', 'network', loss=20.0) + healthy('102')
    arriving = without_destination(with_prefixes(base_hops('101')))
    routes = {'101': [with_prefixes(with_fault(base_hops('101'), 4, stop=True, replace=LUMEN)), arriving, arriving],
              '102': [without_destination(with_prefixes(base_hops('102')))] * 3}
    result = locate(rows, paths_of('v6', routes))
    assert result['location'] == 'path', result['evidence']
    assert result['evidence'][0].startswith('loss starts at hop 4, 4.68.72.1')


@pytest.mark.parametrize('status, words', [(503, 'HTTP 503'), (None, 'TTFB')])
def test_target_for_one_cdn_edge_naming_that_agents_edge(status, words):
    """A CDN or anycast target answers each agent from its own edge: a fault there is the target's, for one agent too."""
    edges = {'101': '198.18.9.20', '102': '198.19.40.7', '103': '198.18.200.3'}
    rows = []
    for agent in ('101', '102', '103'):
        rows += [dict(entry, server_ip=edges[agent]) if entry['layer'] in ('network', 'http-server') else entry for entry in healthy(agent)]
    for entry in rows:
        if entry['agent_id'] == '102' and entry['layer'] == 'http-server':
            entry.update(response_code=status, ok=False) if status else entry.update(response_time=4200.0, wait_time=4000.0)
    result = locate(rows)
    assert result['location'] == 'target', result['evidence']
    assert result['evidence'][0].startswith(words)
    assert "each agent's own edge: 198.19.40.7 (London, England)" in result['evidence'][0]
    assert '198.18.9.20' not in result['evidence'][0]


def lan(hops, length, star_at=None):
    """The first ``length`` hops as a private LAN's (no name, no network); a * reply at ``star_at`` inside it."""
    changed = []
    for hop in hops:
        if hop['hop'] <= length:
            hop = dict(hop=hop['hop'], ipAddress='192.168.%d.1' % hop['hop'], responseTime=hop['responseTime'])
            if hop['hop'] == star_at:
                hop = dict(hop=hop['hop'])
        changed.append(hop)
    return changed


@pytest.mark.parametrize('length, at, star_at', [(3, 3, None), (4, 3, 2), (5, 5, None)])
def test_agents_for_a_fault_anywhere_in_a_private_lan_from_hop_1(length, at, star_at):
    rows = healthy('101') + broken('105', 'network', loss=40.0)
    hops = lan(base_hops('105', length=11), length, star_at)
    routes = {'101': healthy_routes('101'), '105': [with_fault(hops, at, stop=True), hops, hops]}
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'agents', result['evidence']
    assert "loss starts at hop %d, 192.168.%d.1, in the agent's own network: Tokyo, Japan" % (at, at) in result['evidence']
    assert not result['next_step'].startswith('Contact')


def test_path_for_a_private_address_after_a_public_hop():
    """Carriers number routers from private ranges too: a private hop after a public one is transit."""
    rows = healthy('101') + broken('105', 'network', loss=40.0)
    hops = with_fault(lan(base_hops('105', length=11), 2), 3, replace=dict(ip='80.81.192.1', network='Access ISP (AS 64777)'))
    carrier = dict(ip='10.250.0.5', rdns='ae-7.carrier.example.net', network='Carrier (AS 64999)')
    routes = {'101': healthy_routes('101'), '105': [with_fault(hops, 6, stop=True, replace=carrier), hops, hops]}
    result = locate(rows, paths_of('v6', routes))
    assert result['location'] == 'path', result['evidence']
    assert result['evidence'][0].startswith('loss starts at hop 6, 10.250.0.5')


SHARED = dict(ip='104.28.99.6', rdns='core6.agentnet.example.net', network='Agent Net (AS 64500)')


def test_path_for_a_router_that_agents_in_several_places_share_in_their_own_as():
    """Six hops into the network of their first hops, crossed by agents in three places: nobody's own network."""
    rows, routes = [], {}
    for agent in ('101', '102', '103'):
        rows += broken(agent, 'network', latency=380.0)
        routes[agent] = [with_fault(base_hops(agent, length=10), 6, latency=320, replace=SHARED)] * 3
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path', result['evidence']
    assert len([line for line in result['evidence'] if '104.28.99.6' in line]) == 1, result['evidence']
    assert result['evidence'][0].startswith('latency jumps at hop 6, 104.28.99.6') and '3 of 3 agents' in result['evidence'][0]
    assert result['next_step'].startswith('Contact Agent Net AS 64500 about 104.28.99.6')


def test_agents_for_a_router_in_their_own_as_that_only_agents_of_one_place_cross():
    rows = healthy('101') + broken('105', 'network', latency=380.0) + broken('103', 'network', latency=380.0)
    office = base_hops('105', length=10)
    routes = {'101': healthy_routes('101'), '105': [with_fault(office, 6, latency=320, replace=SHARED)] * 3,
              # 103 sits in the same office: the same first hops
              '103': [with_fault([dict(hop) for hop in office], 6, latency=320, replace=SHARED)] * 3}
    rows = [dict(entry, agent_name='Tokyo, Japan (2)') if entry['agent_id'] == '103' else entry for entry in rows]
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'agents', result['evidence']


def test_one_finding_per_network_and_hop_for_load_balanced_links():
    """ECMP: the agents' traces stop at three addresses of Lumen's hop 5; one finding names them, with every agent."""
    rows, routes = [], {}
    for index, agent in enumerate(('101', '102', '103')):
        rows += broken(agent, 'network', loss=40.0)
        traces = []
        for trace in range(3):
            link = dict(LUMEN, ip='4.68.72.%d' % ((index + trace) % 3 + 1))
            traces.append(with_fault(base_hops(agent), 5, stop=trace < 2, replace=link))
        routes[agent] = traces
    result = locate(rows, paths_of('v6', routes))
    assert result['location'] == 'path', result['evidence']
    path = [line for line in result['evidence'] if 'Lumen' in line]
    assert len(path) == 1, result['evidence']
    assert path[0].startswith('loss starts at hop 5, 4.68.72.') and '3 of 3 agents' in path[0]
    assert all('4.68.72.%d' % number in path[0] for number in (1, 2, 3))


def test_two_findings_for_two_networks_at_the_same_hop():
    rows, routes = healthy('103'), {'103': healthy_routes('103')}
    for agent, network in (('101', LUMEN), ('102', dict(ip='62.115.1.1', rdns='ae-2.telia.example.net', network='Telia (AS 1299)'))):
        rows += broken(agent, 'network', loss=40.0)
        routes[agent] = [with_fault(base_hops(agent), 5, stop=True, replace=network)] * 3
    result = locate(rows, paths_of('v7', routes))
    assert result['location'] == 'path'
    assert len([line for line in result['evidence'] if line.startswith('loss starts at hop 5')]) == 2, result['evidence']


# Cloud Agents that ThousandEyes itself flags with a local problem (v7 GET /agents/local-problems) -------------------

FLAG = {'start_date': '2026-12-07T15:02:00Z', 'duration': 600, 'active': True}


def test_agents_for_a_breach_seen_only_by_flagged_agents_with_the_flag_as_evidence():
    rows, routes = healthy('101'), {'101': healthy_routes('101')}
    rows += broken('102', 'network', loss=40.0)
    routes['102'] = [with_fault(base_hops('102'), 5, stop=True, replace=LUMEN), base_hops('102'), base_hops('102')]
    assert locate(rows, paths_of('v7', routes))['location'] == 'path'
    result = locate(rows, paths_of('v7', routes), local_problems={'102': FLAG, 103: FLAG})
    assert result['location'] == 'agents', result['evidence']
    assert result['evidence'][0] == 'ThousandEyes flags a local problem on the agent itself (active since 2026-12-07T15:02:00Z): London, England'
    assert any(line.startswith('loss starts at hop 5, 4.68.72.1') for line in result['evidence'][1:])
    assert result['next_step'].startswith("Check the agents' own network")


def test_a_flag_on_some_of_the_breaching_agents_is_evidence_not_the_location():
    rows = broken('101', 'http-server', response_code=503, ok=False) + broken('102', 'http-server', response_code=503, ok=False)
    result = locate(rows, local_problems={'102': FLAG})
    assert result['location'] == 'target'
    assert 'ThousandEyes flags a local problem on the agent itself (active since 2026-12-07T15:02:00Z): London, England' in result['evidence']
    assert locate(healthy('101') + healthy('102'), local_problems={'102': FLAG})['evidence'] == []


def test_the_precedence_is_a_short_list_of_named_steps():
    assert [step.__name__ for step in PRECEDENCE] == [
        'failing_resolution', 'flagged_agents_only', 'seen_at_the_server', 'hop_on_the_way', 'server_side', 'slow_resolution',
        'agents_own_trouble', 'everyone_nothing_on_the_way']
    # A DNS failure wins over an HTTP status seen by every agent: the first step that places the fault decides.
    rows = [dict(layer='dns-trace', agent_id='101', agent_name='Frankfurt', dns_ok=False, error='SERVFAIL', ok=False),
            dict(layer='http-server', agent_id='101', agent_name='Frankfurt', response_code=503, ok=False)]
    result = locate(rows)
    assert result['location'] == 'dns' and [finding['primary'] for finding in result['findings']] == [True, False]
    assert locate(rows[1:])['location'] == 'target'


# A server that takes no connection behind an edge outside its prefix, and a blackhole on the way ---------------------

ELSEWHERE = dict(ip='203.0.113.9', rdns='ae0.edge1.hosting.example.net', network='Target Hosting (AS 64510)')


def no_connection(agents):
    """Every agent gets no answer at all: 100 % loss, no HTTP status, a connect error."""
    rows = []
    for agent in agents:
        rows += broken(agent, 'network', loss=100.0)
        rows = [dict(entry, response_code=0, error='Connection timed out after 10000 ms', ok=False) if entry['agent_id'] == agent
                and entry['layer'] == 'http-server' else entry for entry in rows]
    return rows


def stopped_at(agent, at, hop, length=9):
    """Traces that stop at the hop numbered ``at``, put there in place of the path's own, each hop with its /24 prefix."""
    return [with_prefixes(with_fault(base_hops(agent, length), at, stop=True, replace=hop))[:at]] * 3


@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_target_for_a_server_down_behind_an_edge_outside_its_prefix(shape):
    """Every trace of agents in three places stops at one router of the hosting network's own range (not the
    destination's prefix), and the server answers nothing: the site's edge, so the target, naming that hop."""
    agents = ('101', '102', '103')
    routes = dict((agent, stopped_at(agent, 8 + int(agent) % 3, ELSEWHERE, length=9 + int(agent) % 3)) for agent in agents)
    result = locate(no_connection(agents), paths_of(shape, routes))
    assert result['location'] == 'target', result['evidence']
    assert result['evidence'][0].startswith('loss at the last hops, hops 8-10, 203.0.113.9 (ae0.edge1.hosting.example.net, Target Hosting AS 64510)')
    assert '3 of 3 agents' in result['evidence'][0]
    # The same traces while the server still answers over HTTP: the traces alone do not place it at the server.
    answering = [entry for entry in no_connection(agents) if entry['layer'] != 'http-server'] + [
        entry for agent in agents for entry in healthy(agent) if entry['layer'] == 'http-server']
    assert locate(answering, paths_of(shape, routes))['location'] == 'path'


def test_target_for_a_server_down_behind_two_edges_of_its_network_naming_each_agents_edge():
    """A site behind two edge routers: one in the destination's prefix (which gives the destination's network), one
    in the hosting network's own range; every agent stops at one of them and gets no answer: the target."""
    routes = {'101': stopped_at('101', 8, EDGE), '102': stopped_at('102', 8, ELSEWHERE), '103': stopped_at('103', 8, ELSEWHERE)}
    result = locate(no_connection(('101', '102', '103')), paths_of('v7', routes))
    assert result['location'] == 'target', result['evidence']
    assert "each agent's own edge: 198.18.7.1 (Frankfurt, Germany); 203.0.113.9 (London, England); 203.0.113.9 (New York, NY)" \
        in result['evidence'][0]


@pytest.mark.parametrize('shape', ['v6', 'v7'])
def test_path_for_a_transit_blackhole_where_every_agent_stops_at_its_own_router_of_one_network(shape):
    """Lumen drops everything: each agent's traces stop at its own Lumen router and nothing answers. Not the site's edge
    (several addresses of a network not known as the destination's): the path, naming Lumen."""
    routes = dict((agent, stopped_at(agent, 6, dict(LUMEN, ip='4.68.72.%d' % (int(agent) - 100)))) for agent in ('101', '102', '103'))
    result = locate(no_connection(('101', '102', '103')), paths_of(shape, routes))
    assert result['location'] == 'path', result['evidence']
    assert result['evidence'][0].startswith('loss starts at hop 6, 4.68.72.1')
    assert result['next_step'].startswith('Contact Lumen AS 3356 about 4.68.72.1')


def test_path_for_stops_in_a_network_that_the_traces_show_is_not_the_destinations():
    """One agent stops at the edge in the destination's prefix, which names the destination's network; the two others stop
    at one Lumen router: that router is transit, not the site's edge."""
    routes = {'101': stopped_at('101', 8, EDGE), '102': stopped_at('102', 5, LUMEN), '103': stopped_at('103', 5, LUMEN)}
    result = locate(no_connection(('101', '102', '103')), paths_of('v7', routes))
    assert result['location'] == 'path', result['evidence']
    assert result['evidence'][0].startswith('loss starts at hop 5, 4.68.72.1')


def test_one_agent_stopping_at_an_address_outside_the_prefix_is_not_the_sites_edge():
    """From one place, the last responding hop is no meeting point of the paths to the target: the path, as before."""
    result = locate(no_connection(('101',)), paths_of('v7', {'101': stopped_at('101', 8, ELSEWHERE)}))
    assert result['location'] == 'path', result['evidence']
