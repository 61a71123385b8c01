# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each API provider as ordered lists of calls on a fake session: paths, query, bodies and what it makes of the answers."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api import API_VERSIONS, provider_for
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import NotFoundError

from .fake_session import BASE, Answer, make_client

ROUND = 1795687200  # 2026-11-26T10:00:00Z

# The canonical fields of a task (v7 names and values), as instant_test's fields module builds them.
A2S_FIELDS = {'testName': 'db', 'server': 'db.example.com', 'port': 5432, 'protocol': 'tcp',
              'agents': [{'agentId': '101'}, {'agentId': '201', 'sourceIpAddress': '10.10.1.5'}]}


def test_the_providers_are_chosen_in_one_place():
    assert API_VERSIONS == ('v6', 'v7')
    assert [provider_for(version, BASE).name for version in API_VERSIONS] == ['v6', 'v7']


class TestV6:
    def test_agents_tests_and_one_definition(self):
        client, session, dummy = make_client([
            Answer(200, {'agents': [{'agentId': 101, 'agentName': 'Frankfurt', 'agentType': 'Cloud'}]}),
            Answer(200, {'test': [{'testId': 1001, 'testName': 'db', 'type': 'agent-to-server'}], 'pages': {'current': 1}}),
            Answer(200, {'test': [{'testId': 1001, 'testName': 'db', 'type': 'agent-to-server', 'agents': []}]}),
        ], api_version='v6')
        api = client.api
        assert api.list_agents(['cloud', 'enterprise-cluster'])[0] == dict(
            id='101', name='Frankfurt', type='cloud', country=None, location=None, state='online', addresses=[],
            ip_addresses=[], public_ip_addresses=[], enabled=None, network=None)
        assert api.test_id(api.list_tests()[0]) == '1001'
        assert api.get_test('1001')['agents'] == []
        assert session.calls == [
            ('GET', BASE + '/v6/agents.json', {'agentTypes': 'CLOUD,ENTERPRISE_CLUSTER'}, None),
            ('GET', BASE + '/v6/tests.json', {}, None),
            ('GET', BASE + '/v6/tests/1001.json', {}, None),
        ]

    def test_create_rerun_delete(self):
        client, session, dummy = make_client([Answer(201, {'test': [{'testId': 1001}]}), Answer(200, text=''), Answer(200, text='')],
                                             api_version='v6')
        api = client.api
        api.create_instant('agent-to-server', api.test_body('agent-to-server', A2S_FIELDS))
        api.rerun('1001')
        api.delete('1001', 'agent-to-server')
        # v6: integer agent IDs, upper-case enums, the port as its own field.
        body = {'testName': 'db', 'server': 'db.example.com', 'port': 5432, 'protocol': 'TCP',
                'agents': [{'agentId': 101}, {'agentId': 201, 'sourceIpAddress': '10.10.1.5'}]}
        assert session.calls == [
            ('POST', BASE + '/v6/instant/agent-to-server.json', {}, body),
            ('POST', BASE + '/v6/instant/1001/rerun.json', {}, None),
            ('POST', BASE + '/v6/tests/agent-to-server/1001/delete.json', {}, None),
        ]

    def test_other_canonical_values_in_v6_spelling(self):
        api = provider_for('v6', BASE)
        body = api.test_body('ftp-server', {'url': 'ftp://f.example.com/', 'requestType': 'download', 'agents': []})
        assert body['requestType'] == 'Download'
        body = api.test_body('dns-server', {'domain': 'example.com', 'dnsServers': ['8.8.8.8'], 'dnsTransportProtocol': 'udp',
                                            'agents': []})
        assert body['dnsServers'] == [{'serverName': '8.8.8.8'}] and body['dnsTransportProtocol'] == 'UDP'
        body = api.test_body('sip-server', {'targetSipCredentials': {'sipRegistrar': 's', 'port': 5060, 'protocol': 'tls'},
                                            'agents': []})
        assert body['targetSipCredentials']['protocol'] == 'TLS'

    def test_results_of_a_bidirectional_agent_to_agent_test_by_direction(self):
        rows = {'net': {'metrics': [{'agentId': 101, 'roundId': ROUND}]}, 'pages': {'current': 1}}
        client, session, dummy = make_client([Answer(200, rows), Answer(200, rows)], api_version='v6')
        api = client.api
        test = {'testId': 1001, 'type': 'agent-to-agent', 'direction': 'BIDIRECTIONAL'}
        assert api.result_directions(test, 'network') == ('TO_TARGET', 'FROM_TARGET')
        assert api.result_directions(test, 'http-server') == (None,)
        for direction in api.result_directions(test, 'network'):
            assert api.results('1001', 'network', api.range_params(ROUND), direction) == rows['net']['metrics']
        assert session.calls == [
            ('GET', BASE + '/v6/net/metrics/1001.json', {'from': '2026-11-26T10:00:00', 'direction': 'TO_TARGET'}, None),
            ('GET', BASE + '/v6/net/metrics/1001.json', {'from': '2026-11-26T10:00:00', 'direction': 'FROM_TARGET'}, None),
        ]


class TestV7:
    def test_agents_tests_and_one_definition_with_its_agents(self):
        client, session, dummy = make_client([
            Answer(200, {'agents': [{'agentId': '201', 'agentName': 'branch', 'agentType': 'enterprise', 'agentState': 'offline',
                                     'networkProviderInfo': {'asn': 64501, 'name': 'Example Office'}}]}),
            Answer(200, {'tests': [{'testId': '1001', 'testName': 'sec', 'type': 'dnssec'}], '_links': {}}),
            Answer(200, {'testId': '1001', 'testName': 'sec', 'type': 'dnssec', 'agents': [{'agentId': '101'}]}),
        ])
        api = client.api
        agent = api.list_agents()[0]
        assert agent['state'] == 'offline'
        assert agent['network'] == 'Example Office (AS 64501)'  # v7's networkProviderInfo when network is absent
        assert api.test_type_from_api(api.list_tests()[0]['type']) == 'dns-dnssec'
        assert api.get_test('1001', 'dns-dnssec')['agents'] == [{'agentId': '101'}]
        assert session.calls == [
            ('GET', BASE + '/v7/agents', {}, None),
            ('GET', BASE + '/v7/tests', {}, None),
            ('GET', BASE + '/v7/tests/dnssec/1001', {'expand': 'agent'}, None),
        ]

    def test_create_rerun_delete(self):
        client, session, dummy = make_client([Answer(201, {'testId': '1001'}), Answer(200, text=''), Answer(204, text='')])
        api = client.api
        api.create_instant('agent-to-server', api.test_body('agent-to-server', A2S_FIELDS))
        api.rerun('1001')
        api.delete('1001', 'dns-dnssec')
        # v7: string IDs, lower-case enums, agent-to-server's port inside server.
        body = {'testName': 'db', 'server': 'db.example.com:5432', 'protocol': 'tcp',
                'agents': [{'agentId': '101'}, {'agentId': '201', 'sourceIpAddress': '10.10.1.5'}]}
        assert session.calls == [
            ('POST', BASE + '/v7/tests/agent-to-server/instant', {'expand': 'agent'}, body),
            ('POST', BASE + '/v7/tests/1001/run', {}, None),
            ('DELETE', BASE + '/v7/tests/dnssec/1001', {}, None),
        ]

    def test_results_pages_and_range(self):
        client, session, dummy = make_client([
            Answer(200, {'results': [{'agent': {'agentId': '101'}, 'roundId': ROUND}],
                         '_links': {'next': {'href': BASE + '/v7/test-results/1001/network?cursor=2'}}}),
            Answer(200, {'results': [{'agent': {'agentId': '102'}, 'roundId': ROUND}], '_links': {}}),
        ])
        api = client.api
        assert api.result_directions({'type': 'agent-to-agent', 'direction': 'bidirectional'}, 'network') == (None,)
        rows = api.results('1001', 'network', api.range_params(ROUND, ROUND + 60))
        assert [row['agent']['agentId'] for row in rows] == ['101', '102']
        assert session.calls == [
            ('GET', BASE + '/v7/test-results/1001/network', {'startDate': '2026-11-26T10:00:00Z', 'endDate': '2026-11-26T10:01:00Z'},
             None),
            ('GET', BASE + '/v7/test-results/1001/network?cursor=2', {}, None),
        ]

    def test_a_missing_test_is_not_found(self):
        client, session, dummy = make_client([Answer(404, {'title': 'Not Found'})])
        with pytest.raises(NotFoundError):
            client.api.get_test('77', 'http-server')
        assert session.requests() == [('GET', BASE + '/v7/tests/http-server/77')]

    @pytest.mark.parametrize('test_type, takes_source_ip', [
        ('agent-to-server', True), ('http-server', True), ('page-load', False), ('dns-dnssec', False), ('voice', True)])
    def test_source_ip_per_type(self, test_type, takes_source_ip):
        assert provider_for('v7', BASE).accepts_source_ip(test_type) is takes_source_ip
        assert provider_for('v6', BASE).accepts_source_ip(test_type) is True
