# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API v7: no suffix, bare objects, string IDs, booleans, lower-case enums, ``_links`` everywhere.

Private to this collection: may change at any time. v7 spelling is the collection's canonical form, so this provider
translates little; a new v7 field mapping belongs in ``test_body`` here.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple
from urllib.parse import urlsplit

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.base import ThousandEyesApi
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import NotFoundError, PermissionDeniedError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.settings_fields import V7_FIELDS, V7_WRITE_ONLY
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import LAYERS, TEST_TYPES, TYPE_BY_V7_NAME
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.paths import normalise_traces


class ApiV7(ThousandEyesApi):

    name = 'v7'
    settings_table = V7_FIELDS
    write_only_fields = V7_WRITE_ONLY
    headers = {'Accept': 'application/hal+json, application/json'}
    agent_type_filter = {'cloud': 'cloud', 'enterprise': 'enterprise', 'enterprise-cluster': 'enterprise-cluster'}
    # "Defaults to no expansion. To expand the agents sub-resource, use the query ?expand=agent" (v7 create and
    # get-test operations); without it a definition has no agents to compare or to wait for.
    definition_params = {'expand': 'agent'}
    detail_needs_type = True
    # The real v7 API takes startDate alone (endDate defaults to the time of the request).
    range_names = ('startDate', 'endDate', '%Y-%m-%dT%H:%M:%SZ')

    def accepts_source_ip(self, test_type: str) -> bool:
        # In the v7 OpenAPI schema some types' agents are TestAgent entries: agentId only, no sourceIpAddress.
        return test_type not in TEST_TYPES or TEST_TYPES[test_type].v7_source_ip

    def type_path_name(self, test_type: str) -> str:
        return TEST_TYPES[test_type].v7_name if test_type in TEST_TYPES else test_type

    def test_type_from_api(self, api_type: Optional[str]) -> Optional[str]:
        test_type = TYPE_BY_V7_NAME.get(api_type or '')
        return test_type.name if test_type else api_type

    def test_path(self, test_id: str, test_type: Optional[str] = None) -> str:
        return 'tests/%s/%s' % (self.type_path_name(test_type or ''), test_id)

    def create_path(self, test_type: str) -> str:
        return 'tests/%s/instant' % self.type_path_name(test_type)

    def rerun_path(self, test_id: str) -> str:
        return 'tests/%s/run' % test_id

    def delete_request(self, test_id: str, test_type: str) -> Tuple[str, str]:
        return 'DELETE', 'tests/%s/%s' % (self.type_path_name(test_type), test_id)

    def results_path(self, test_id: Optional[str], layer: str) -> str:
        return 'test-results/%s/%s' % (test_id, layer)

    def unwrap_test(self, body) -> Optional[dict]:
        return body or None

    def unwrap_tests(self, body) -> List[dict]:
        return (body or {}).get('tests') or []

    def unwrap_results(self, body, layer: str) -> List[dict]:
        return (body or {}).get('results') or []

    def local_problems(self) -> Optional[Dict[str, dict]]:
        """``GET /agents/local-problems`` (agents OpenAPI 7.0.100): without a time range, the active ones."""
        problems: Dict[str, dict] = {}
        for entry in (self.transport.get('agents/local-problems') or {}).get('localProblems') or []:
            agent = entry.get('agent') if isinstance(entry, dict) else None
            if not isinstance(agent, dict) or agent.get('agentId') is None or entry.get('active') is False:
                continue
            problems[str(agent['agentId'])] = dict(start_date=entry.get('startDate'), duration=entry.get('duration'), active=True)
        return problems

    def path_detail_path(self, test_id: str, agent_id: str, round_id: int) -> str:
        return 'test-results/%s/path-vis/agent/%s/round/%s' % (test_id, agent_id, round_id)

    def unwrap_path_traces(self, body) -> List[dict]:
        rows = (body or {}).get('results') or []
        return [trace for row in rows if isinstance(row, dict) for trace in normalise_traces(row.get('pathTraces'), row.get('serverIp'))]

    def next_page(self, body) -> Optional[str]:
        return (((body or {}).get('_links') or {}).get('next') or {}).get('href')

    def data_links(self, test: dict) -> List[str]:
        links = (test.get('_links') or {}).get('testResults') or []
        if isinstance(links, dict):
            links = [links]
        return [link['href'] for link in links if link.get('href')]

    def layer_of_link(self, link: str) -> Optional[str]:
        # /v7/test-results/123/network
        parts = urlsplit(link).path.strip('/').split('/')
        if len(parts) >= 2 and parts[-3:-2] and parts[-1] in LAYERS:
            return parts[-1]
        return None

    def test_body(self, test_type: str, fields: dict) -> dict:
        """The create body from the canonical fields: string IDs, and agent-to-server's port inside server."""
        body = dict(fields)
        body['agents'] = [dict(agent, agentId=str(agent['agentId'])) for agent in fields.get('agents', [])]
        if 'targetAgentId' in body:
            body['targetAgentId'] = str(body['targetAgentId'])
        if test_type == 'agent-to-server':
            # v7 agent-to-server has no port field: the port travels in server as host:port.
            port = body.pop('port', None)
            if port is not None and 'server' in body:
                body['server'] = '%s:%s' % (body['server'], port)
        return body

    # Endpoint Agents: Endpoint Agents, Endpoint Instant Scheduled Tests and Endpoint Test Results OpenAPI 7.0.100 ---------
    def list_endpoint_agents(self) -> List[dict]:
        agents: List[dict] = []
        for body in self.transport.get_pages('endpoint/agents'):
            agents.extend((body or {}).get('agents') or [])
        return agents

    def list_endpoint_tests(self) -> Optional[List[dict]]:
        # Whether endpoint instant tests are listed here is UNCONFIRMED; a 404 or 403 means no list to search.
        try:
            tests: List[dict] = []
            for body in self.transport.get_pages('endpoint/tests/scheduled-tests'):
                tests.extend((body or {}).get('tests') or [])
            return tests
        except (NotFoundError, PermissionDeniedError):
            return None

    def create_endpoint_instant(self, test_type: str, body: dict):
        # Whether endpoint instant tests count against the instant-test budget is UNCONFIRMED: the transport's
        # rate-limit policy applies both budgets' headers either way.
        return self.transport.post('endpoint/tests/scheduled-tests/%s/instant' % test_type, body=body, instant=True)

    def rerun_endpoint(self, test_id: str):
        return self.transport.post('endpoint/tests/scheduled-tests/%s/run' % test_id, instant=True)

    def endpoint_results(self, test_id: str, layer: str, agent_ids: Optional[List[str]] = None) -> List[dict]:
        rows: List[dict] = []
        if layer == 'network':
            search = {'searchFilters': {'agentId': list(agent_ids)}} if agent_ids else {}
            url: Optional[str] = 'endpoint/test-results/scheduled-tests/%s/network/filter' % test_id
            for dummy in range(100):
                body = self.transport.post(url, body=search).data
                rows.extend((body or {}).get('results') or [])
                url = self.next_page(body)
                if not url:
                    break
            return rows
        for body in self.transport.get_pages('endpoint/test-results/scheduled-tests/%s/%s' % (test_id, layer)):
            rows.extend((body or {}).get('results') or [])
        return rows

    def endpoint_path_traces(self, test_id: str, agent_id: str, round_id: int) -> List[dict]:
        body = self.transport.get('endpoint/test-results/scheduled-tests/%s/path-vis/agent/%s/round/%s' % (test_id, agent_id, round_id))
        return [trace for row in (body or {}).get('results') or [] if isinstance(row, dict) for trace in row.get('pathTraces') or []]
