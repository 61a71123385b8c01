# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API v6: ``.json`` suffix, ``{"test": [...]}`` envelopes, integer IDs, 0/1 booleans, upper-case enums, ``pages.next``.

Private to this collection: may change at any time. Paths and envelopes as the public ThousandEyes API v6 documentation describes them
(``/v6/instant/{type}``, ``/v6/tests/{id}``, ``/v6/net/metrics/{id}``, ...).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.base import ThousandEyesApi
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.settings_fields import V6_FIELDS, V6_WRITE_ONLY
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import LAYERS
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.paths import normalise_traces
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import ascii_digits

LAYER_BY_V6_PATH = dict((layer.v6_path, layer) for layer in LAYERS.values() if layer.v6_path)

# v6 serves the two directions of a bidirectional agent-to-agent test separately (path-vis refuses BIDIRECTIONAL).
DIRECTIONS = ('TO_TARGET', 'FROM_TARGET')

# Types that only v7 has: the API test (POST /v7/tests/api/instant) has no v6 endpoint.
V7_ONLY_TYPES = ('api',)

# Canonical (v7) enum fields the collection sets itself, and how v6 spells their values.
UPPER_CASE_FIELDS = ('protocol', 'dnsTransportProtocol', 'authType')


class ApiV6(ThousandEyesApi):

    name = 'v6'
    settings_table = V6_FIELDS
    write_only_fields = V6_WRITE_ONLY
    headers = {'Accept': 'application/json'}
    agent_type_filter = {'cloud': 'CLOUD', 'enterprise': 'ENTERPRISE', 'enterprise-cluster': 'ENTERPRISE_CLUSTER'}
    range_names = ('from', 'to', '%Y-%m-%dT%H:%M:%S')

    def absolute(self, url: str) -> str:
        # Without the suffix the API may answer in XML; hrefs in apiLinks come without it.
        parts = urlsplit(url)
        path = parts.path
        if not path.endswith(('.json', '.xml')):
            path += '.json'
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))

    def result_directions(self, test: dict, layer: str) -> Tuple[Optional[str], ...]:
        bidirectional = (test.get('type') == 'agent-to-agent'
                         and str(test.get('direction') or '').upper().replace('-', '_') == 'BIDIRECTIONAL')
        return DIRECTIONS if bidirectional and layer in ('network', 'path-vis') else (None,)

    def endpoint_unsupported(self) -> Optional[str]:
        return ('Endpoint Agent instant tests and endpoint agents exist only in API v7 (v6 has no such calls): set api_version '
                'to v7 (or TE_API_VERSION=v7) to use them. Nothing was sent.')

    def unsupported_type(self, test_type: str) -> Optional[str]:
        if test_type in V7_ONLY_TYPES:
            return ('type: %s tests exist only in API v7 (v6 has no such instant test): set api_version to v7 (or TE_API_VERSION=v7) '
                    'to use them. Nothing was sent.' % test_type)
        return None

    # Paths
    def test_path(self, test_id: str, test_type: Optional[str] = None) -> str:
        return 'tests/%s' % test_id

    def create_path(self, test_type: str) -> str:
        return 'instant/%s' % test_type

    def rerun_path(self, test_id: str) -> str:
        return 'instant/%s/rerun' % test_id

    def delete_request(self, test_id: str, test_type: str) -> Tuple[str, str]:
        return 'POST', 'tests/%s/%s/delete' % (test_type, test_id)

    def results_path(self, test_id: Optional[str], layer: str) -> str:
        return '%s/%s' % (LAYERS[layer].v6_path, test_id)

    # Envelopes
    def unwrap_test(self, body) -> Optional[dict]:
        tests = (body or {}).get('test') or []
        return tests[0] if tests else None

    def unwrap_tests(self, body) -> List[dict]:
        return (body or {}).get('test') or []

    def unwrap_results(self, body, layer: str) -> List[dict]:
        group, key = LAYERS[layer].v6_keys
        return ((body or {}).get(group) or {}).get(key) or []

    def local_problems(self) -> Optional[Dict[str, dict]]:
        return None  # v6 lists no local problems of Cloud Agents

    def path_detail_path(self, test_id: str, agent_id: str, round_id: int) -> str:
        return 'net/path-vis/%s/%s/%s' % (test_id, agent_id, round_id)

    def unwrap_path_traces(self, body) -> List[dict]:
        rows = ((body or {}).get('net') or {}).get('pathVis') or []
        return [trace for row in rows if isinstance(row, dict) for trace in normalise_traces(row.get('routes'), row.get('serverIp'))]

    def next_page(self, body) -> Optional[str]:
        return ((body or {}).get('pages') or {}).get('next')

    def data_links(self, test: dict) -> List[str]:
        return [link['href'] for link in test.get('apiLinks') or [] if link.get('rel') == 'data' and link.get('href')]

    def layer_of_link(self, link: str) -> Optional[str]:
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
        return int(agent_id) if ascii_digits(str(agent_id)) else agent_id

    def test_body(self, test_type: str, fields: dict) -> dict:
        """The create body from the canonical fields: integer IDs, upper-case enums, DNS servers as objects."""
        body = dict(fields)
        body['agents'] = [dict(agent, agentId=self.agent_id_value(agent['agentId'])) for agent in fields.get('agents', [])]
        if 'targetAgentId' in body:
            body['targetAgentId'] = self.agent_id_value(body['targetAgentId'])
        if 'dnsServers' in body:
            body['dnsServers'] = [{'serverName': server} for server in body['dnsServers']]
        for key in UPPER_CASE_FIELDS:
            if isinstance(body.get(key), str):
                body[key] = body[key].upper()
        if isinstance(body.get('requestType'), str):
            body['requestType'] = body['requestType'].capitalize()
        credentials = body.get('targetSipCredentials')
        if isinstance(credentials, dict) and isinstance(credentials.get('protocol'), str):
            body['targetSipCredentials'] = dict(credentials, protocol=credentials['protocol'].upper())
        return body
