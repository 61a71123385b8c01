# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two ThousandEyes API versions, each in one class.

Private to this collection: may change at any time. Everything that differs between v6 and v7 (paths,
suffixes, envelopes, id types, links, pagination, agent fields) lives here, so modules and the client
never ask which version they talk to.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._test_types import (
    LAYERS,
    LAYER_BY_V6_PATH,
    TEST_TYPES,
    TYPE_BY_V7_NAME,
)

AGENT_TYPES = ('cloud', 'enterprise', 'enterprise-cluster')


class ApiVersion:
    """Behaviour shared by both versions; subclasses fill in the differences."""

    name = None

    def __init__(self, api_url):
        self.api_url = api_url.rstrip('/')
        self.root = '%s/%s' % (self.api_url, self.name)

    # URLs -----------------------------------------------------------------------------------------
    def url(self, path):
        """Absolute URL of an API path given without version (``tests/123``) or of an absolute URL."""
        if path.startswith(('http://', 'https://')):
            return self.absolute(path)
        return self.absolute('%s/%s' % (self.root, path.lstrip('/')))

    def absolute(self, url):
        """Hook for v6, which must add the JSON suffix."""
        return url

    # Agents ---------------------------------------------------------------------------------------
    @staticmethod
    def agents_path():
        return 'agents'

    @staticmethod
    def unwrap_agents(body):
        return (body or {}).get('agents') or []

    def agent_types_param(self, agent_types):
        return ','.join(self.agent_type_filter[name] for name in agent_types)

    def normalise_agent(self, agent):
        """The collection's agent shape, the same for both versions."""
        agent_type = self.agent_type_name(agent.get('agentType'))
        state = agent.get('agentState')
        if state is None and agent_type == 'cloud':
            # Cloud agents carry no state; ThousandEyes runs them and they are always available.
            state = 'online'
        ips = list(agent.get('ipAddresses') or [])
        public = list(agent.get('publicIpAddresses') or [])
        enabled = agent.get('enabled')
        return {
            'id': str(agent.get('agentId')),
            'name': agent.get('agentName'),
            'type': agent_type,
            'country': agent.get('countryId'),
            'location': agent.get('location'),
            'state': state.lower() if isinstance(state, str) else state,
            'addresses': ips + [address for address in public if address not in ips],
            'ip_addresses': ips,
            'public_ip_addresses': public,
            'enabled': None if enabled is None else bool(enabled),
        }

    @staticmethod
    def agent_type_name(api_type):
        """``cloud``, ``enterprise`` or ``enterprise-cluster`` from either version's spelling."""
        return (api_type or '').lower().replace(' ', '-').replace('_', '-')

    # Tests ----------------------------------------------------------------------------------------
    @staticmethod
    def tests_path():
        return 'tests'

    def type_path_name(self, test_type):
        """The type's name in this version's paths."""
        return test_type

    def test_type_from_api(self, api_type):
        """The collection's type name for the ``type`` field of a test definition."""
        return api_type

    # Query parameters of the requests that return a test definition (detail GET, instant create).
    definition_params: dict = {}

    # The types whose agents take no sourceIpAddress in this version (None: every type takes one).
    types_without_source_ip: tuple = ()

    def test_id(self, test):
        """The test's ID, as a string for both versions (v6 sends integers)."""
        return None if test.get('testId') is None else str(test['testId'])

    @staticmethod
    def test_name(test):
        return test.get('testName')

    def complete_data_links(self, test, links):
        """Add the type's result layers the API left out of its links (the API's own page omits some)."""
        test_type = TEST_TYPES.get(self.test_type_from_api(test.get('type')))
        if test_type is None:
            return links
        present = set(layer for layer in (self.layer_of_link(link) for link in links) if layer)
        result = list(links)
        for layer in test_type.layers(self.network_measurements(test)):
            if layer not in present:
                result.append(self.url(self.results_path(self.test_id(test), layer)))
        return result

    @staticmethod
    def network_measurements(test):
        value = test.get('networkMeasurements', True)
        return value not in (0, False, '0', 'false')

    def layer_of_link(self, link):
        raise NotImplementedError

    def results_path(self, test_id, layer):
        raise NotImplementedError


class ApiV6(ApiVersion):
    """API v6: ``.json`` suffix, ``{"test": [...]}`` envelopes, integer IDs, 0/1 booleans, ``pages.next``."""

    name = 'v6'
    headers = {'Accept': 'application/json'}
    agent_type_filter = {'cloud': 'CLOUD', 'enterprise': 'ENTERPRISE', 'enterprise-cluster': 'ENTERPRISE_CLUSTER'}

    def absolute(self, url):
        # Without the suffix the API may answer in XML; hrefs in apiLinks come without it.
        parts = urlsplit(url)
        path = parts.path
        if not path.endswith(('.json', '.xml')):
            path += '.json'
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))

    # Paths
    @staticmethod
    def test_path(test_id, test_type=None):
        return 'tests/%s' % test_id

    @staticmethod
    def create_path(test_type):
        return 'instant/%s' % test_type

    @staticmethod
    def rerun_path(test_id):
        return 'instant/%s/rerun' % test_id

    @staticmethod
    def delete_request(test_id, test_type):
        return 'POST', 'tests/%s/%s/delete' % (test_type, test_id)

    @staticmethod
    def results_path(test_id, layer):
        return '%s/%s' % (LAYERS[layer].v6_path, test_id)

    # Envelopes
    @staticmethod
    def unwrap_test(body):
        tests = (body or {}).get('test') or []
        return tests[0] if tests else None

    @staticmethod
    def unwrap_tests(body):
        return (body or {}).get('test') or []

    @staticmethod
    def unwrap_results(body, layer):
        group, key = LAYERS[layer].v6_keys
        return ((body or {}).get(group) or {}).get(key) or []

    @staticmethod
    def next_page(body):
        return ((body or {}).get('pages') or {}).get('next')

    @staticmethod
    def data_links(test):
        return [link['href'] for link in test.get('apiLinks') or [] if link.get('rel') == 'data' and link.get('href')]

    def layer_of_link(self, link):
        path = urlsplit(link).path
        for suffix in ('.json', '.xml'):
            if path.endswith(suffix):
                path = path[:-len(suffix)]
        # /v6/net/metrics/123 -> net/metrics
        parts = path.strip('/').split('/')
        layer = LAYER_BY_V6_PATH.get('/'.join(parts[-3:-1]))
        return layer.name if layer else None

    @staticmethod
    def agent_id_value(agent_id):
        # v6 wants integers in request bodies.
        return int(agent_id) if str(agent_id).isdigit() else agent_id

    def test_body(self, test_type, fields):
        """The create body from the collection's canonical fields (which are v6 names and values)."""
        body = dict(fields)
        body['agents'] = [dict(agent, agentId=self.agent_id_value(agent['agentId'])) for agent in fields.get('agents', [])]
        if 'targetAgentId' in body:
            body['targetAgentId'] = self.agent_id_value(body['targetAgentId'])
        if 'dnsServers' in body:
            body['dnsServers'] = [{'serverName': server} for server in body['dnsServers']]
        return body


class ApiV7(ApiVersion):
    """API v7: no suffix, bare objects, string IDs, booleans, lower-case enums, ``_links`` everywhere."""

    name = 'v7'
    headers = {'Accept': 'application/hal+json, application/json'}
    agent_type_filter = {'cloud': 'cloud', 'enterprise': 'enterprise', 'enterprise-cluster': 'enterprise-cluster'}

    # "Defaults to no expansion. To expand the agents sub-resource, use the query ?expand=agent" (v7 create and
    # get-test operations); without it a definition has no agents to compare or to wait for.
    definition_params = {'expand': 'agent'}

    # In the v7 OpenAPI schema the agents of these types are TestAgent entries: agentId only, no sourceIpAddress.
    types_without_source_ip = ('page-load', 'web-transactions', 'dns-trace', 'dns-server', 'dns-dnssec')

    def type_path_name(self, test_type):
        return TEST_TYPES[test_type].v7_name if test_type in TEST_TYPES else test_type

    def test_type_from_api(self, api_type):
        test_type = TYPE_BY_V7_NAME.get(api_type)
        return test_type.name if test_type else api_type

    def test_path(self, test_id, test_type=None):
        return 'tests/%s/%s' % (self.type_path_name(test_type), test_id)

    def create_path(self, test_type):
        return 'tests/%s/instant' % self.type_path_name(test_type)

    @staticmethod
    def rerun_path(test_id):
        return 'tests/%s/run' % test_id

    def delete_request(self, test_id, test_type):
        return 'DELETE', 'tests/%s/%s' % (self.type_path_name(test_type), test_id)

    @staticmethod
    def results_path(test_id, layer):
        return 'test-results/%s/%s' % (test_id, LAYERS[layer].v7_path)

    @staticmethod
    def unwrap_test(body):
        return body or None

    @staticmethod
    def unwrap_tests(body):
        return (body or {}).get('tests') or []

    @staticmethod
    def unwrap_results(body, layer):
        return (body or {}).get('results') or []

    @staticmethod
    def next_page(body):
        return (((body or {}).get('_links') or {}).get('next') or {}).get('href')

    @staticmethod
    def data_links(test):
        links = (test.get('_links') or {}).get('testResults') or []
        if isinstance(links, dict):
            links = [links]
        return [link['href'] for link in links if link.get('href')]

    def layer_of_link(self, link):
        # /v7/test-results/123/network
        parts = urlsplit(link).path.strip('/').split('/')
        if len(parts) >= 2 and parts[-3:-2] and parts[-1] in LAYERS:
            return parts[-1]
        return None

    # v6 spelling -> v7 spelling of the enum values the collection sets itself.
    ENUM_FIELDS = ('protocol', 'requestType', 'authType', 'direction', 'dnsTransportProtocol', 'probeMode', 'ipv6Policy')

    def test_body(self, test_type, fields):
        """The create body from the collection's canonical fields: v7 strings, booleans, lower-case enums, host:port."""
        body = dict(fields)
        body['agents'] = [dict(agent, agentId=str(agent['agentId'])) for agent in fields.get('agents', [])]
        if 'targetAgentId' in body:
            body['targetAgentId'] = str(body['targetAgentId'])
        for key in self.ENUM_FIELDS:
            if isinstance(body.get(key), str):
                body[key] = body[key].lower().replace('_', '-')
        if body.get('pathTraceMode') == 'inSession':
            body['pathTraceMode'] = 'in-session'
        if test_type == 'agent-to-server':
            # v7 agent-to-server has no port field: the port travels in server as host:port.
            port = body.pop('port', None)
            if port is not None and 'server' in body:
                body['server'] = '%s:%s' % (body['server'], port)
        credentials = body.get('targetSipCredentials')
        if isinstance(credentials, dict) and isinstance(credentials.get('protocol'), str):
            body['targetSipCredentials'] = dict(credentials, protocol=credentials['protocol'].lower())
        return body


API_VERSIONS = {'v6': ApiV6, 'v7': ApiV7}
