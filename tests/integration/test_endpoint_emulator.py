# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's Endpoint Agent calls, as a client sends them: create and run, run again, the results with the
machine's network profile, path-vis, http-server, and the endpoint agents; the scenarios weak Wi-Fi, slow VPN and
lossy home gateway. The schema plugin checks every request and answer against the SDK's endpoint models."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from emulator import control

# The emulator and the schema check only: no module, role or ansible-* command runs here.
pytestmark = pytest.mark.core_independent

ALICE = '0f8fad5b-d9cb-469f-a165-70867728950e'
BOB = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
CAROL = '16fd2706-8baf-433b-82eb-8c7fada847da'
DAVE = '886313e1-3b8a-4372-9b90-0c9aee199e5d'


def call(emulator, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(emulator.url + '/v7' + path, data=data, method=method,
                                     headers={'Authorization': 'Bearer ' + control.TOKEN, 'Content-Type': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            raw = answer.read()
            return answer.status, json.loads(raw) if raw else None
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b'null')


def wait_rows(emulator, test_id, want, bound=40):
    for dummy in range(bound):
        status, body = call(emulator, 'POST', '/endpoint/test-results/scheduled-tests/%s/network/filter' % test_id, {})
        assert status == 200
        if len(body['results']) >= want:
            return body['results']
        time.sleep(0.1)
    raise AssertionError('no endpoint results for test %s' % test_id)


@pytest.fixture
def fast(emulator):
    emulator.configure(result_delay=0.0)
    return emulator


def test_endpoint_agents_are_listed_with_location_and_vpn(fast):
    status, body = call(fast, 'GET', '/endpoint/agents')
    assert status == 200
    assert [a['name'] for a in body['agents']] == ['alice-laptop', 'bob-laptop', 'carol-desktop', 'dave-laptop']
    assert body['totalAgents'] == 4
    alice = body['agents'][0]
    assert alice['id'] == ALICE and alice['computerName'] == 'ALICE-MBP' and alice['vpnProfiles'][0]['vpnType'] == 'cisco-anyconnect'
    assert alice['location']['locationName'] == 'Lyon, France'
    status, body = call(fast, 'GET', '/endpoint/agents?agentName=bob-laptop')
    assert [a['id'] for a in body['agents']] == [BOB]


def test_create_run_again_and_read_every_layer(fast):
    status, test = call(fast, 'POST', '/endpoint/tests/scheduled-tests/http-server/instant',
                        {'testName': 'shop-from-alice', 'url': 'https://shop.example.com/', 'agentSelectorType': 'specific-agents',
                         'agents': [ALICE, DAVE], 'authType': 'none', 'protocol': 'tcp', 'httpTimeLimit': 5000})
    assert status == 201, test
    assert test['type'] == 'http-server' and test['testName'] == 'shop-from-alice' and test['server'] == 'shop.example.com'
    assert test['agentSelectorConfig'] == {'agentSelectorType': 'specific-agents', 'maxMachines': 25, 'agents': [ALICE, DAVE]}
    assert len(test['_links']['testResults']) == 3
    test_id = test['testId']
    rows = wait_rows(fast, test_id, 1)
    # dave-laptop is offline: no rows from it
    assert {r['agentId'] for r in rows} == {ALICE}
    row = rows[0]
    assert row['networkProfile']['gateway'] == '192.168.1.1' and row['networkProfile']['hardwareType'] == 'wireless'
    assert row['networkProfile']['wirelessProfile']['rssi'] > -70 and row['loss'] == 0.0
    assert row['vpnProfile']['vpnType'] == 'cisco-anyconnect' and 0 <= row['systemMetrics']['cpuUtilization']['mean'] <= 1
    status, answer = call(fast, 'POST', '/endpoint/tests/scheduled-tests/%s/run' % test_id)
    assert status == 200 and 'reran' in answer['message']
    rows = wait_rows(fast, test_id, 2)
    assert len({r['roundId'] for r in rows}) == 2
    status, paths = call(fast, 'GET', '/endpoint/test-results/scheduled-tests/%s/path-vis' % test_id)
    assert status == 200 and paths['results'][0]['pathTraces'][0]['numberOfHops'] == 4
    status, detail = call(fast, 'GET', '/endpoint/test-results/scheduled-tests/%s/path-vis/agent/%s/round/%d'
                          % (test_id, ALICE, rows[0]['roundId']))
    assert status == 200
    hops = detail['results'][0]['pathTraces'][0]['hops']
    assert hops[0]['ipAddress'] == '192.168.1.1' and hops[1]['rdns'] == 'vpn.example.com'
    status, http = call(fast, 'GET', '/endpoint/test-results/scheduled-tests/%s/http-server' % test_id)
    assert status == 200 and {r['responseCode'] for r in http['results']} == {200} and len(http['results']) == 2
    assert len(fast.requests('endpoint_create')) == 1 and len(fast.requests('endpoint_rerun')) == 1
    status, listed = call(fast, 'GET', '/endpoint/tests/scheduled-tests')
    assert [t['testName'] for t in listed['tests']] == ['shop-from-alice']


def test_agent_to_server_by_tags_and_the_listing_switch(fast):
    fast.configure(endpoint_tests_listed=False)
    status, test = call(fast, 'POST', '/endpoint/tests/scheduled-tests/agent-to-server/instant',
                        {'testName': 'vpn-gw', 'server': 'vpn.example.com', 'port': 443, 'agentSelectorType': 'agent-tags',
                         'tagIds': ['tag-home-office']})
    assert status == 201 and test['type'] == 'agent-to-server' and test['port'] == 443
    assert test['agentSelectorConfig']['tagIds'] == ['tag-home-office']
    rows = wait_rows(fast, test['testId'], 2)
    assert {r['agentId'] for r in rows} == {ALICE, BOB}
    status, listed = call(fast, 'GET', '/endpoint/tests/scheduled-tests')
    assert status == 200 and listed['tests'] == []
    status, http = call(fast, 'GET', '/endpoint/test-results/scheduled-tests/%s/http-server' % test['testId'])
    assert status == 404


@pytest.mark.schema_expected('testName: required', 'agentSelectorType', 'undeclared key')
def test_invalid_creates_are_refused(fast):
    status, body = call(fast, 'POST', '/endpoint/tests/scheduled-tests/agent-to-server/instant', {'server': 'a.example.com'})
    assert status == 400 and body['errors'][0]['field'] == 'testName'
    status, body = call(fast, 'POST', '/endpoint/tests/scheduled-tests/agent-to-server/instant',
                        {'testName': 'x', 'server': 'a.example.com', 'agentSelectorType': 'specific-agent'})
    assert status == 400 and body['errors'][0]['field'] == 'agentSelectorType'
    status, body = call(fast, 'POST', '/endpoint/tests/scheduled-tests/agent-to-server/instant',
                        {'testName': 'x', 'server': 'a.example.com', 'agentSelectorType': 'specific-agents', 'agents': []})
    assert status == 400 and body['errors'][0]['field'] == 'agents'
    status, body = call(fast, 'POST', '/endpoint/tests/scheduled-tests/agent-to-server/instant',
                        {'testName': 'x', 'server': 'a.example.com', 'url': 'https://a.example.com/'})
    assert status == 400 and body['errors'][0]['field'] == 'url'
    assert fast.requests('endpoint_create') and not [e for e in fast.requests('endpoint_create') if e['status'] == 201]


@pytest.mark.parametrize('scenario, check', [
    ('weak-wifi', lambda row: row['networkProfile']['wirelessProfile']['rssi'] == -82
     and row['networkProfile']['wirelessProfile']['snr'] == 9 and row['jitter'] > 20 and row['avgLatency'] > 70),
    ('slow-vpn', lambda row: row['avgLatency'] > 190 and row['vpnProfile']['vpnGatewayAddress'] == '203.0.113.200'),
    ('lossy-gateway', lambda row: row['loss'] == 15.0 and row['networkProfile']['gateway'] == '192.168.1.1'),
    ('lossy-isp', lambda row: row['loss'] == 12.0 and 'wirelessProfile' in row['networkProfile'] and row['avgLatency'] < 40),
    ('busy-cpu', lambda row: row['systemMetrics']['cpuUtilization']['mean'] == 0.97),
])
def test_scenarios_show_in_the_machine_s_own_columns(fast, scenario, check):
    fast.configure(endpoint_scenarios={'bob-laptop': scenario})
    status, test = call(fast, 'POST', '/endpoint/tests/scheduled-tests/agent-to-server/instant',
                        {'testName': 'bob-' + scenario, 'server': 'shop.example.com', 'agentSelectorType': 'specific-agents',
                         'agents': [BOB, CAROL]})
    assert status == 201
    rows = {r['agentId']: r for r in wait_rows(fast, test['testId'], 2)}
    assert check(rows[BOB])
    # the other machine is not affected
    assert rows[CAROL]['loss'] == 0.0 and rows[CAROL]['avgLatency'] < 40 and 'wirelessProfile' not in rows[CAROL]['networkProfile']


def test_lossy_gateway_shows_in_the_first_hop(fast):
    fast.configure(endpoint_scenarios={BOB: ['lossy-gateway']})
    status, test = call(fast, 'POST', '/endpoint/tests/scheduled-tests/agent-to-server/instant',
                        {'testName': 'gw', 'server': 'shop.example.com', 'agentSelectorType': 'specific-agents', 'agents': [BOB]})
    rows = wait_rows(fast, test['testId'], 1)
    status, detail = call(fast, 'GET', '/endpoint/test-results/scheduled-tests/%s/path-vis/agent/%s/round/%d'
                          % (test['testId'], BOB, rows[0]['roundId']))
    assert status == 200 and detail['results'][0]['pathTraces'][0]['hops'][0]['responseTime'] == 30


@pytest.mark.parametrize('scenario, stops_after', [('lossy-gateway', '192.168.1.1'), ('lossy-isp', '198.18.0.1'), ('weak-wifi', None)])
def test_path_traces_stop_where_the_loss_starts(fast, scenario, stops_after):
    """Path-vis hops carry no loss (EndpointPathVisHop): loss shows as the round's traces that stop short, after the hop
    where it starts; the others arrive. Carol (wired, healthy) has every trace arriving."""
    fast.configure(endpoint_scenarios={'bob-laptop': scenario})
    status, test = call(fast, 'POST', '/endpoint/tests/scheduled-tests/agent-to-server/instant',
                        {'testName': 'trace-' + scenario, 'server': 'shop.example.com', 'agentSelectorType': 'specific-agents',
                         'agents': [BOB, CAROL]})
    assert status == 201
    rows = {r['agentId']: r for r in wait_rows(fast, test['testId'], 2)}
    traces = {}
    for agent in (BOB, CAROL):
        status, detail = call(fast, 'GET', '/endpoint/test-results/scheduled-tests/%s/path-vis/agent/%s/round/%d'
                              % (test['testId'], agent, rows[agent]['roundId']))
        assert status == 200
        traces[agent] = detail['results'][0]['pathTraces']
    server_ip = rows[BOB]['serverIp']
    last = dict((agent, [[hop['ipAddress'] for hop in trace['hops'] if hop.get('ipAddress')] for trace in found]) for agent, found in traces.items())
    assert all(addresses[-1] == server_ip for addresses in last[CAROL]) and len(last[CAROL]) == 3
    assert len({trace['pathId'] for trace in traces[BOB]}) == 3
    assert all(addresses[-1] == server_ip for addresses in last[BOB][:2])
    assert last[BOB][2] == ([] if stops_after is None else last[BOB][0][:last[BOB][0].index(stops_after) + 1])
    assert traces[BOB][2]['hops'][-1] == {'hop': len(traces[BOB][2]['hops'])}
