# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection knows about each instant-test type and each result layer, in one table each.

Private to this collection: may change at any time. Type names are the collection's own (``dns-dnssec``, as the modules document them);
layer names, field names and enum values are the v7 spelling, the canonical form of the collection. The providers in
``_api/`` translate them to each API version. Adding a test type is one ``TestType`` entry here (and the emulator).
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple


class Layer:
    """One result layer: its v7 name (also its v7 results path) and its v6 data path and body keys."""

    def __init__(self, name: str, v6_path: Optional[str], v6_keys: Optional[Tuple[str, str]], response_code: bool = False) -> None:
        self.name = name
        self.v6_path = v6_path
        self.v6_keys = v6_keys
        # Whether its rows carry a response code that decides their ``ok``.
        self.response_code = response_code


LAYERS: Dict[str, Layer] = dict((layer.name, layer) for layer in (
    Layer('network', 'net/metrics', ('net', 'metrics')),
    Layer('path-vis', 'net/path-vis', ('net', 'pathVis')),
    Layer('http-server', 'web/http-server', ('web', 'httpServer'), response_code=True),
    Layer('page-load', 'web/page-load', ('web', 'pageLoad')),
    Layer('web-transactions', 'web/web-transactions', ('web', 'webTransaction')),
    Layer('ftp-server', 'web/ftp-server', ('web', 'ftpServer'), response_code=True),
    Layer('dns-trace', 'dns/trace', ('dns', 'trace')),
    Layer('dns-server', 'dns/server', ('dns', 'server')),
    Layer('dnssec', 'dns/dnssec', ('dns', 'dnssec')),
    Layer('sip-server', 'voice/sip-server', ('voice', 'sipMetrics'), response_code=True),
    Layer('rtp-server', 'voice/rtp-stream', ('voice', 'metrics')),
    # v7 only: the API test's transactions (v6 has no such layer, hence no path).
    Layer('api', None, None),
))

NETWORK_LAYERS = ('network', 'path-vis')
RESPONSE_CODE_LAYERS = tuple(name for name, layer in LAYERS.items() if layer.response_code)


class TestType:
    """One instant-test type.

    ``target``: what the task's target is (``host`` or ``host:port``, an ``agent``, a ``url``, a DNS ``domain``, a
    ``sip`` registrar). ``primary_layer``: the layer of the type's own measurement; ``network``: whether the network
    layers come with it (``always``, ``never``, or ``optional`` with networkMeasurements). ``protocols``: the values of
    the protocol option (empty: no such option); ``port``: whether the port option applies; ``credentials``: whether
    username and password do; ``option``: the one type-specific option the type requires; ``v7_source_ip``: whether
    its v7 agents take a sourceIpAddress (the v7 schema gives TestAgent, agentId only, to the others).
    """

    __test__ = False  # not a pytest test class

    def __init__(self, name: str, v7_name: str, target: str, primary_layer: str, network: str,
                 protocols: Tuple[str, ...] = (), port: bool = False, credentials: bool = False, option: Optional[str] = None,
                 v7_source_ip: bool = True, hint: str = '') -> None:
        self.name = name
        self.v7_name = v7_name
        self.target = target
        self.primary_layer = primary_layer
        self.network = network
        self.protocols = protocols
        self.port = port
        self.credentials = credentials
        self.option = option
        self.v7_source_ip = v7_source_ip
        self.hint = hint

    def layers(self, network_measurements: bool = True) -> list:
        """The result layers a test of this type produces, primary first."""
        names = [self.primary_layer]
        if self.network == 'always' or (self.network == 'optional' and network_measurements):
            names.extend(layer for layer in NETWORK_LAYERS if layer != self.primary_layer)
        return names


TEST_TYPES: Dict[str, TestType] = dict((test_type.name, test_type) for test_type in (
    TestType('agent-to-server', 'agent-to-server', 'host', 'network', 'always', protocols=('tcp', 'icmp', 'udp'), port=True,
             hint='the server to test, as host or host:port'),
    TestType('agent-to-agent', 'agent-to-agent', 'agent', 'network', 'always', protocols=('tcp', 'udp'), port=True,
             hint='the target agent, by name or ID'),
    TestType('http-server', 'http-server', 'url', 'http-server', 'optional', credentials=True, hint='the URL to fetch'),
    TestType('page-load', 'page-load', 'url', 'page-load', 'optional', credentials=True, v7_source_ip=False,
             hint='the URL of the page'),
    TestType('web-transactions', 'web-transactions', 'url', 'web-transactions', 'optional', credentials=True,
             option='transaction_script', v7_source_ip=False, hint='the URL where the transaction starts'),
    TestType('ftp-server', 'ftp-server', 'url', 'ftp-server', 'optional', credentials=True, option='request_type',
             hint='the ftp:// URL'),
    TestType('dns-trace', 'dns-trace', 'domain', 'dns-trace', 'never', protocols=('udp', 'tcp'), v7_source_ip=False,
             hint='the domain, as name or "name TYPE"'),
    TestType('dns-server', 'dns-server', 'domain', 'dns-server', 'optional', protocols=('udp', 'tcp'), option='dns_servers',
             v7_source_ip=False, hint='the domain, as name or "name TYPE"'),
    TestType('dns-dnssec', 'dnssec', 'domain', 'dnssec', 'never', v7_source_ip=False, hint='the domain, as name or "name TYPE"'),
    TestType('sip-server', 'sip-server', 'sip', 'sip-server', 'optional', protocols=('tcp', 'tls', 'udp'), port=True,
             credentials=True, hint='the SIP registrar, as host or host:port'),
    TestType('voice', 'voice', 'agent', 'rtp-server', 'optional', hint='the target agent, by name or ID'),
    # v7 only (the v6 provider refuses it). Its v7 agents are TestAgent entries, agentId only.
    TestType('api', 'api', 'url', 'api', 'optional', option='requests', v7_source_ip=False,
             hint='the URL of the API (its base URL; each of requests has its own url)'),
))

TYPE_BY_V7_NAME: Dict[str, TestType] = dict((test_type.v7_name, test_type) for test_type in TEST_TYPES.values())


def types_with(**facts) -> Tuple[str, ...]:
    """The names of the types whose attributes have the given values, in table order."""
    return tuple(name for name, test_type in TEST_TYPES.items()
                 if all(getattr(test_type, key) == value for key, value in facts.items()))


URL_TYPES = types_with(target='url')
DNS_TYPES = types_with(target='domain')
AGENT_TARGET_TYPES = types_with(target='agent')
