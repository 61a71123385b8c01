# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The interface every API version provides, and what both versions share.

Private to this collection: may change at any time. A provider turns the collection's canonical terms (``_model.py``:
v7 names and values) into one version's paths, envelopes, bodies and query names, and sends its requests through
the transport (``_transport.py``), which owns status, retry and rate-limit policies. Nothing outside ``_api/`` asks
which version it talks to.
"""

from __future__ import annotations

import time
from typing import Dict, FrozenSet, List, Optional, Tuple

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import TEST_TYPES

AGENT_TYPES = ('cloud', 'enterprise', 'enterprise-cluster')
AGENT_STATES = ('online', 'offline', 'disabled')


class ThousandEyesApi:
    """One API version. Subclasses fill in paths, envelopes and spellings; the requests are made here."""

    name = ''
    headers: Dict[str, str] = {}
    agent_type_filter: Dict[str, str] = {}
    # Query parameters of the requests that return a test definition (detail GET, instant create).
    definition_params: Dict[str, str] = {}
    # Whether reading a test by ID needs its type (v7 paths carry it).
    detail_needs_type = False
    # How the data endpoints spell a time range: (start name, end name, strftime format).
    range_names: Tuple[str, str, str] = ('', '', '')
    # The API fields of each instant-test type (``_instant_test/settings_fields.py``) and those never returned.
    settings_table: Dict[str, FrozenSet[str]] = {}
    write_only_fields: FrozenSet[str] = frozenset()

    def __init__(self, api_url: str, transport=None) -> None:
        self.api_url = api_url.rstrip('/')
        self.root = '%s/%s' % (self.api_url, self.name)
        self.transport = transport

    # URLs -----------------------------------------------------------------------------------------
    def url(self, path: str) -> str:
        """Absolute URL of an API path given without version (``tests/123``) or of an absolute URL."""
        if path.startswith(('http://', 'https://')):
            return self.absolute(path)
        return self.absolute('%s/%s' % (self.root, path.lstrip('/')))

    def absolute(self, url: str) -> str:
        """Hook for v6, which must add the JSON suffix."""
        return url

    # Requests -------------------------------------------------------------------------------------
    def list_agents(self, agent_types: Optional[List[str]] = None) -> List[dict]:
        """The account group's agents in the collection's shape; ``agent_types`` filters on the server."""
        params = {'agentTypes': ','.join(self.agent_type_filter[name] for name in agent_types)} if agent_types else None
        return [self.normalise_agent(agent) for agent in (self.transport.get('agents', params) or {}).get('agents') or []]

    def local_problems(self) -> Optional[Dict[str, dict]]:
        """The Cloud Agents that ThousandEyes flags with an active local problem, by agent ID:
        ``{'start_date', 'duration', 'active'}``; None when the API version has no such list (each provider says)."""
        raise NotImplementedError

    def list_tests(self) -> List[dict]:
        """Every entry of the account group's tests listing, saved events included, as the API gives them."""
        tests = []
        for body in self.transport.get_pages('tests'):
            tests.extend(self.unwrap_tests(body))
        return tests

    def get_test(self, test_id: str, test_type: Optional[str] = None) -> Optional[dict]:
        """The full definition with its agents; NotFoundError from the transport when there is none."""
        return self.unwrap_test(self.transport.get(self.test_path(test_id, test_type), self.definition_params or None))

    def create_instant(self, test_type: str, body: dict):
        """POST the create once (the transport never retries a POST but after a 429). Returns the Response."""
        return self.transport.post(self.create_path(test_type), body=body, params=self.definition_params or None, instant=True)

    def rerun(self, test_id: str):
        return self.transport.post(self.rerun_path(test_id), instant=True)

    def delete(self, test_id: str, test_type: str) -> None:
        method, path = self.delete_request(test_id, test_type)
        self.transport.send(method, path)

    def results(self, test_id: str, layer: str, params: Optional[dict] = None, direction: Optional[str] = None) -> List[dict]:
        """Every row of one result layer, all pages, as the API gives them."""
        params = dict(params or {})
        if direction:
            params['direction'] = direction
        rows = []
        for body in self.transport.get_pages(self.results_path(test_id, layer), params or None):
            rows.extend(self.unwrap_results(body, layer))
        return rows

    def path_traces(self, test_id: str, agent_id: str, round_id: int) -> List[dict]:
        """The path traces of one agent in one round (the path-vis detail), normalised (``_results/paths.py``).

        An organisation-budget read, like every results read.
        """
        return self.unwrap_path_traces(self.transport.get(self.path_detail_path(test_id, agent_id, round_id)))

    # Time ranges ----------------------------------------------------------------------------------
    def range_params(self, start: Optional[float] = None, end: Optional[float] = None) -> Dict[str, str]:
        start_name, end_name, time_format = self.range_names
        params = {}
        if start is not None:
            params[start_name] = time.strftime(time_format, time.gmtime(int(start)))
        if end is not None:
            params[end_name] = time.strftime(time_format, time.gmtime(int(end)))
        return params

    def result_directions(self, test: dict, layer: str) -> Tuple[Optional[str], ...]:
        """The directions to read a layer in, one request each; (None,) reads it once without a direction."""
        return (None,)

    # Agents ---------------------------------------------------------------------------------------
    def normalise_agent(self, agent: dict) -> dict:
        """The collection's agent shape, the same for both versions."""
        agent_type = self.agent_type_name(agent.get('agentType'))
        state = agent.get('agentState')
        if state is None and agent_type == 'cloud':
            # Cloud agents carry no state; ThousandEyes runs them and they are always available.
            state = 'online'
        ips = list(agent.get('ipAddresses') or [])
        network = agent.get('network')
        provider = agent.get('networkProviderInfo')
        if not network and isinstance(provider, dict) and provider.get('name'):
            # v7 also describes the network as {asn, name}; the same text as v6's network then.
            network = '%s (AS %s)' % (provider['name'], provider['asn']) if provider.get('asn') else provider['name']
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
            'network': network or None,
        }

    @staticmethod
    def agent_type_name(api_type: Optional[str]) -> str:
        """``cloud``, ``enterprise`` or ``enterprise-cluster`` from either version's spelling."""
        return (api_type or '').lower().replace(' ', '-').replace('_', '-')

    def accepts_source_ip(self, test_type: str) -> bool:
        """Whether this version's agents of that type take a sourceIpAddress."""
        return True

    def unsupported_type(self, test_type: str) -> Optional[str]:
        """Why this version has no instant tests of that type (a message naming what to change), or None when it has."""
        return None

    # Test definitions -----------------------------------------------------------------------------
    def settings_fields(self, test_type: str) -> Optional[FrozenSet[str]]:
        """The API field names a test of this type takes in this version; None when the table has no such type."""
        return self.settings_table.get(test_type)

    def type_path_name(self, test_type: str) -> str:
        """The type's name in this version's paths."""
        return test_type

    def test_type_from_api(self, api_type: Optional[str]) -> Optional[str]:
        """The collection's type name for the ``type`` field of a test definition."""
        return api_type

    @staticmethod
    def test_id(test: dict) -> Optional[str]:
        """The test's ID, as a string for both versions (v6 sends integers)."""
        return None if test.get('testId') is None else str(test['testId'])

    @staticmethod
    def test_name(test: dict) -> Optional[str]:
        return test.get('testName')

    def complete_data_links(self, test: dict, links: List[str]) -> List[str]:
        """Add the type's result layers the API left out of its links (the API's own page omits some)."""
        test_type = TEST_TYPES.get(self.test_type_from_api(test.get('type')) or '')
        if test_type is None:
            return links
        present = set(layer for layer in (self.layer_of_link(link) for link in links) if layer)
        result = list(links)
        for layer in test_type.layers(self.network_measurements(test)):
            if layer not in present:
                result.append(self.url(self.results_path(self.test_id(test), layer)))
        return result

    @staticmethod
    def network_measurements(test: dict) -> bool:
        value = test.get('networkMeasurements', True)
        return value not in (0, False, '0', 'false')

    def test_body(self, test_type: str, fields: dict) -> dict:
        """The create body from the collection's canonical fields (v7 names and values)."""
        raise NotImplementedError

    # Endpoint Agents (endpoint instant tests and their results) ------------------------------------
    def endpoint_unsupported(self) -> Optional[str]:
        """Why this version has no Endpoint Agent calls (a message naming what to change), or None when it has them.
        The endpoint modules ask before any request."""
        return None

    def list_endpoint_agents(self) -> List[dict]:
        """The account group's endpoint agents as the API gives them."""
        raise NotImplementedError

    def list_endpoint_tests(self) -> Optional[List[dict]]:
        """The endpoint scheduled tests as the API gives them; None when the API has no such list for this account."""
        raise NotImplementedError

    def create_endpoint_instant(self, test_type: str, body: dict):
        """POST the endpoint instant test once. Returns the Response."""
        raise NotImplementedError

    def rerun_endpoint(self, test_id: str):
        raise NotImplementedError

    def endpoint_results(self, test_id: str, layer: str, agent_ids: Optional[List[str]] = None) -> List[dict]:
        """Every row of one endpoint result layer (``network``, ``http-server``, ``path-vis``), as the API gives them."""
        raise NotImplementedError

    def endpoint_path_traces(self, test_id: str, agent_id: str, round_id: int) -> List[dict]:
        """The hop lists of one endpoint agent in one round (the endpoint path-vis detail)."""
        raise NotImplementedError

    # Version specifics every provider defines ------------------------------------------------------
    def test_path(self, test_id: str, test_type: Optional[str] = None) -> str:
        raise NotImplementedError

    def create_path(self, test_type: str) -> str:
        raise NotImplementedError

    def rerun_path(self, test_id: str) -> str:
        raise NotImplementedError

    def delete_request(self, test_id: str, test_type: str) -> Tuple[str, str]:
        raise NotImplementedError

    def results_path(self, test_id: Optional[str], layer: str) -> str:
        raise NotImplementedError

    def unwrap_test(self, body) -> Optional[dict]:
        raise NotImplementedError

    def unwrap_tests(self, body) -> List[dict]:
        raise NotImplementedError

    def unwrap_results(self, body, layer: str) -> List[dict]:
        raise NotImplementedError

    def path_detail_path(self, test_id: str, agent_id: str, round_id: int) -> str:
        raise NotImplementedError

    def unwrap_path_traces(self, body) -> List[dict]:
        raise NotImplementedError

    def next_page(self, body) -> Optional[str]:
        raise NotImplementedError

    def data_links(self, test: dict) -> List[str]:
        raise NotImplementedError

    def layer_of_link(self, link: str) -> Optional[str]:
        raise NotImplementedError
