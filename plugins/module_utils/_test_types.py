# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the collection knows about each instant-test type and each result layer.

Private to this collection: may change at any time. Names are the collection's own: test types use the
v6 spelling of PRODUCT.md (``dns-dnssec``), result layers use the v7 spelling (``network``, ``rtp-server``).
The version dialects in ``_api.py`` translate both to each API version.
"""

from __future__ import annotations


class Layer:
    """One result layer: its v6 data path and body keys, and its v7 results path."""

    def __init__(self, name, v6_path, v6_keys):
        self.name = name
        self.v6_path = v6_path
        self.v6_keys = v6_keys
        self.v7_path = name


LAYERS = dict((layer.name, layer) for layer in (
    Layer('network', 'net/metrics', ('net', 'metrics')),
    Layer('path-vis', 'net/path-vis', ('net', 'pathVis')),
    Layer('http-server', 'web/http-server', ('web', 'httpServer')),
    Layer('page-load', 'web/page-load', ('web', 'pageLoad')),
    Layer('web-transactions', 'web/web-transactions', ('web', 'webTransaction')),
    Layer('ftp-server', 'web/ftp-server', ('web', 'ftpServer')),
    Layer('dns-trace', 'dns/trace', ('dns', 'trace')),
    Layer('dns-server', 'dns/server', ('dns', 'server')),
    Layer('dnssec', 'dns/dnssec', ('dns', 'dnssec')),
    Layer('sip-server', 'voice/sip-server', ('voice', 'sipMetrics')),
    Layer('rtp-server', 'voice/rtp-stream', ('voice', 'metrics')),
))

LAYER_BY_V6_PATH = dict((layer.v6_path, layer) for layer in LAYERS.values())

NETWORK_LAYERS = ('network', 'path-vis')


class TestType:
    """One instant-test type.

    ``primary_layer`` is the layer that holds the type's own measurement; ``network`` says whether the
    network layers come with it (always, never, or when networkMeasurements is on).
    """

    def __init__(self, name, v7_name, primary_layer, network):
        self.name = name
        self.v7_name = v7_name
        self.primary_layer = primary_layer
        self.network = network

    def layers(self, network_measurements=True):
        """The result layers a test of this type produces, primary first."""
        names = [self.primary_layer]
        if self.network == 'always' or (self.network == 'optional' and network_measurements):
            names.extend(layer for layer in NETWORK_LAYERS if layer != self.primary_layer)
        return names


TEST_TYPES = dict((test_type.name, test_type) for test_type in (
    TestType('agent-to-server', 'agent-to-server', 'network', 'always'),
    TestType('agent-to-agent', 'agent-to-agent', 'network', 'always'),
    TestType('http-server', 'http-server', 'http-server', 'optional'),
    TestType('page-load', 'page-load', 'page-load', 'optional'),
    TestType('web-transactions', 'web-transactions', 'web-transactions', 'optional'),
    TestType('ftp-server', 'ftp-server', 'ftp-server', 'optional'),
    TestType('dns-trace', 'dns-trace', 'dns-trace', 'never'),
    TestType('dns-server', 'dns-server', 'dns-server', 'optional'),
    TestType('dns-dnssec', 'dnssec', 'dnssec', 'never'),
    TestType('sip-server', 'sip-server', 'sip-server', 'optional'),
    TestType('voice', 'voice', 'rtp-server', 'optional'),
))

TYPE_BY_V7_NAME = dict((test_type.v7_name, test_type) for test_type in TEST_TYPES.values())
