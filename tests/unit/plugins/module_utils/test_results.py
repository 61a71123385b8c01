# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of result reading: time handling, summary normalisation, the completion rule and test lookup.

No network: a fake client serves canned API bodies and a fake clock stands in for time.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results import summary, wait
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results import time as results_time
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._agents import AgentDirectory
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api import ApiV6, ApiV7
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import RateLimitPolicy, WaitLog
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import AgentsCannotReportError, NotFoundError, OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._lookup import find_tests_by_name, get_test, resolve_test

from .fake_clock import FakeClock

BASE = 'https://api.example.test'
ROUND = 1795687200  # 2026-11-26T10:00:00Z


# Fakes -----------------------------------------------------------------------------------------------

class FakeClient:
    """Just what the result code uses of ThousandEyesClient: api, get, get_pages, rate_limits and waits."""

    def __init__(self, version, handler, clock=None):
        self.api = (ApiV6 if version == 'v6' else ApiV7)(BASE, self)
        self.handler = handler
        self.clock = clock or FakeClock(ROUND + 5.0)
        self.calls = []
        self.waits = WaitLog()
        self.rate_limits = RateLimitPolicy(120, clock=self.clock.time, sleep=self.clock.sleep, log=self.waits)
        self.agents = AgentDirectory(self)

    def get(self, path, params=None):
        self.calls.append((path, dict(params or {})))
        pages = self.handler(path, dict(params or {}), self.clock.now)
        if isinstance(pages, Exception):
            raise pages
        return pages[0]

    def get_pages(self, path, params=None):
        self.calls.append((path, dict(params or {})))
        pages = self.handler(path, dict(params or {}), self.clock.now)
        if isinstance(pages, Exception):
            raise pages
        yield from pages

    def paths(self):
        return [path for path, dummy in self.calls]


def v6_row(agent_id, name, round_id=ROUND, **fields):
    row = {'agentId': agent_id, 'agentName': name, 'countryId': 'DE', 'roundId': round_id,
           'date': results_time.iso_utc(round_id).replace('T', ' ').rstrip('Z'), 'permalink': 'https://app.example/x'}
    row.update(fields)
    return row


def v7_row(agent_id, name, round_id=ROUND, **fields):
    row = {'agent': {'agentId': str(agent_id), 'agentName': name, 'countryId': 'DE', 'location': 'Somewhere'},
           'roundId': round_id, 'date': results_time.iso_utc(round_id), '_links': {'appLink': {'href': 'https://app.example/x'}}}
    row.update(fields)
    return row


NETWORK = dict(loss=0.5, avgLatency=12.4, minLatency=11.8, maxLatency=13.1, jitter=0.3, server='example.com:443', errorDetails='')

V6_AGENTS = [
    {'agentId': 101, 'agentName': 'Frankfurt, Germany', 'agentType': 'Cloud', 'countryId': 'DE'},
    {'agentId': 202, 'agentName': 'branch-ams-ea', 'agentType': 'Enterprise', 'agentState': 'Offline', 'countryId': 'NL'},
]


def v6_test(test_type='agent-to-server', agents=None, layers=('net/metrics', 'net/path-vis'), **fields):
    test = {'testId': 1001, 'testName': 'checkout', 'type': test_type, 'savedEvent': 0, 'interval': 0,
            'agents': V6_AGENTS if agents is None else agents,
            'apiLinks': [{'rel': 'self', 'href': '%s/v6/tests/1001' % BASE}] + [
                {'rel': 'data', 'href': '%s/v6/%s/1001' % (BASE, path)} for path in layers]}
    test.update(fields)
    return test


def v7_test(test_type='agent-to-server', agents=None, layers=('network', 'path-vis'), **fields):
    test = {'testId': '1001', 'testName': 'checkout', 'type': test_type, 'savedEvent': False,
            'agents': agents if agents is not None else [{'agentId': '101', 'agentName': 'Frankfurt, Germany', 'agentType': 'cloud'}],
            '_links': {'self': {'href': '%s/v7/tests/%s/1001' % (BASE, test_type)},
                       'testResults': [{'href': '%s/v7/test-results/1001/%s' % (BASE, layer)} for layer in layers]}}
    test.update(fields)
    return test


def v6_body(layer, rows, next_url=None):
    group, key = {'network': ('net', 'metrics'), 'path-vis': ('net', 'pathVis'), 'http-server': ('web', 'httpServer'),
                  'dns-server': ('dns', 'server')}[layer]
    pages = {'current': 1}
    if next_url:
        pages['next'] = next_url
    return {group: {'test': {'testId': 1001}, key: rows}, 'pages': pages}


# Time ------------------------------------------------------------------------------------------------

class TestTime:
    def test_iso_utc(self):
        assert results_time.iso_utc(ROUND) == '2026-11-26T10:00:00Z'
        assert results_time.iso_utc(ROUND + 0.9) == '2026-11-26T10:00:00Z'

    def test_started_at_uses_local_time_when_clocks_agree(self):
        assert results_time.started_at_from(ROUND + 0.7, {'Date': 'Thu, 26 Nov 2026 10:00:01 GMT'}) == ROUND

    def test_started_at_uses_server_date_when_local_clock_is_ahead(self):
        # Local clock 30 s ahead of the server: the run's round is about 30 s older than local time.
        assert results_time.started_at_from(ROUND + 30.2, {'Date': 'Thu, 26 Nov 2026 10:00:00 GMT'}) == ROUND - 1

    def test_started_at_one_second_tolerance_and_missing_or_bad_dates(self):
        assert results_time.started_at_from(ROUND + 0.9, {'Date': 'Thu, 26 Nov 2026 10:00:00 GMT'}) == ROUND
        assert results_time.started_at_from(ROUND + 5.5, None) == ROUND + 5
        assert results_time.started_at_from(ROUND + 5.5, {'Date': 'not a date'}) == ROUND + 5
        assert results_time.started_at_from(ROUND + 30.2, {'date': 'Thu, 26 Nov 2026 10:00:00 GMT'}) == ROUND - 1

    @pytest.mark.parametrize('value, expected', [
        ('2026-11-26T10:00:00Z', ROUND),
        ('2026-11-26T10:00:00+00:00', ROUND),
        ('2026-11-26T11:00:00+01:00', ROUND),
        ('2026-11-26 10:00:00', ROUND),
        ('2026-11-26T10:00:00.750Z', ROUND),
        (str(ROUND), ROUND),
        ('%s.9' % ROUND, ROUND),
        (ROUND, ROUND),
        (ROUND + 0.5, ROUND),
        (datetime(2026, 11, 26, 10, 0, 0), ROUND),
        (datetime(2026, 11, 26, 11, 0, 0, tzinfo=timezone(timedelta(hours=1))), ROUND),
        (None, None),
    ])
    def test_parse_time(self, value, expected):
        assert results_time.parse_time(value, 'since') == expected

    @pytest.mark.parametrize('value', ['yesterday', '2026-13-01T00:00:00Z', True, [1]])
    def test_parse_time_rejects(self, value):
        with pytest.raises(OptionError, match='^since must be'):
            results_time.parse_time(value, 'since')

    @pytest.mark.parametrize('value, expected', [('10m', '10m'), ('1h', '1h'), (600, '600'), ('600', '600'), (None, None)])
    def test_parse_window(self, value, expected):
        assert results_time.parse_window(value) == expected

    @pytest.mark.parametrize('value', ['10 minutes', '0', 0, -5, '1y', True])
    def test_parse_window_rejects(self, value):
        with pytest.raises(OptionError, match='^window must be'):
            results_time.parse_window(value)

    def test_range_params(self):
        assert results_time.range_params(ApiV6(BASE), since=ROUND) == {'from': '2026-11-26T10:00:00'}
        assert results_time.range_params(ApiV7(BASE), since=ROUND) == {'startDate': '2026-11-26T10:00:00Z'}
        assert results_time.range_params(ApiV6(BASE), from_time=ROUND, to_time=ROUND + 60) == {'from': '2026-11-26T10:00:00', 'to': '2026-11-26T10:01:00'}
        expected = {'startDate': '2026-11-26T10:00:00Z', 'endDate': '2026-11-26T10:01:00Z'}
        assert results_time.range_params(ApiV7(BASE), from_time=ROUND, to_time=ROUND + 60) == expected
        assert results_time.range_params(ApiV6(BASE), window='10m', since=ROUND) == {'window': '10m'}
        assert results_time.range_params(ApiV7(BASE)) == {}
        with pytest.raises(OptionError):
            results_time.range_params(ApiV6(BASE), window='10m', from_time=ROUND)
        with pytest.raises(OptionError):
            results_time.range_params(ApiV6(BASE), to_time=ROUND)


# Summary ---------------------------------------------------------------------------------------------

class TestSummary:
    def test_network_rows_normalise_the_same_for_both_versions(self):
        v6 = summary.summary_row('network', v6_row(101, 'Frankfurt, Germany', **NETWORK))
        v7 = summary.summary_row('network', v7_row(101, 'Frankfurt, Germany', **NETWORK))
        assert v6 == v7
        assert list(v6) == list(summary.SUMMARY_KEYS)
        assert v6['agent_id'] == '101' and v6['country'] == 'DE' and v6['round_id'] == ROUND
        assert v6['date'] == '2026-11-26T10:00:00Z'
        assert (v6['loss'], v6['latency'], v6['latency_min'], v6['latency_max'], v6['jitter']) == (0.5, 12.4, 11.8, 13.1, 0.3)
        assert v6['server'] == 'example.com:443'
        assert v6['error'] is None and v6['ok'] is True
        assert v6['response_code'] is None and v6['dns_ok'] is None and v6['hops'] is None and v6['mos'] is None

    def test_http_rows(self):
        row = v6_row(101, 'F', responseCode=200, responseTime=85, totalTime=143, errorType='None', errorDetails='')
        good = summary.summary_row('http-server', row)
        assert (good['response_code'], good['response_time'], good['total_time'], good['error'], good['ok']) == (200, 85.0, 143.0, None, True)
        redirect = summary.summary_row('http-server', v7_row(101, 'F', responseCode=301, errorType='None'))
        assert redirect['ok'] is True
        failed = summary.summary_row('http-server', v6_row(101, 'F', responseCode=503, errorType='HTTP', errorDetails='503 Service Unavailable'))
        assert failed['error'] == '503 Service Unavailable' and failed['ok'] is False
        bad_code = summary.summary_row('http-server', v6_row(101, 'F', responseCode=500, errorType='None'))
        assert bad_code['error'] is None and bad_code['ok'] is False
        type_only = summary.summary_row('http-server', v6_row(101, 'F', errorType='Connect', errorDetails=''))
        assert type_only['error'] == 'Connect' and type_only['ok'] is False

    def test_http_desired_status_code(self):
        row = v6_row(101, 'F', responseCode=401, errorType='None')
        assert summary.summary_row('http-server', row, test={'desiredStatusCode': '401'})['ok'] is True
        assert summary.summary_row('http-server', row, test={'desiredStatusCode': 'default'})['ok'] is False

    def test_dns_layers(self):
        trace = summary.summary_row('dns-trace', v6_row(101, 'F', finalQueryTime=21, errorDetails=''))
        assert trace['dns_ok'] is True and trace['response_time'] == 21.0 and trace['ok'] is True
        servfail = summary.summary_row('dns-server', v7_row(101, 'F', server='8.8.8.8', resolutionTime=5, errorDetails='SERVFAIL'))
        assert servfail['dns_ok'] is False and servfail['error'] == 'SERVFAIL' and servfail['server'] == '8.8.8.8'
        assert summary.summary_row('dnssec', v6_row(101, 'F', valid=1))['dns_ok'] is True
        invalid_v6 = summary.summary_row('dnssec', v6_row(101, 'F', valid=0, errorDetails=''))
        assert invalid_v6['dns_ok'] is False and invalid_v6['error'] == 'DNSSEC validation failed' and invalid_v6['ok'] is False
        invalid_v7 = summary.summary_row('dnssec', v7_row(101, 'F', isValid=False, errorDetails='No DNSKEY'))
        assert invalid_v7['dns_ok'] is False and invalid_v7['error'] == 'No DNSKEY'

    def test_path_vis_hops(self):
        v6 = v6_row(101, 'F', endpoints=[{'numberOfHops': 9, 'pathId': 'a'}, {'numberOfHops': 11, 'pathId': 'b'}])
        v7 = v7_row(101, 'F', pathTraces=[{'numberOfHops': 9, 'pathId': 'a'}])
        assert summary.summary_row('path-vis', v6)['hops'] == 9
        assert summary.summary_row('path-vis', v7)['hops'] == 9
        assert summary.summary_row('path-vis', v6_row(101, 'F'))['hops'] is None

    def test_voice_layers(self):
        row = v6_row(101, 'F', availability=100, responseCode=200, responseTime=40, totalTime=90, errorType='None', problemDetail='')
        sip = summary.summary_row('sip-server', row)
        assert (sip['availability'], sip['response_code'], sip['ok']) == (100.0, 200, True)
        sip_fail = summary.summary_row('sip-server', v6_row(101, 'F', responseCode=404, problemDetail='Not Found'))
        assert sip_fail['error'] == 'Not Found' and sip_fail['ok'] is False
        rtp = summary.summary_row('rtp-server', v7_row(101, 'F', mos=4.3, loss=0.1, latency=20, pdv=1.5, errorDetail=''))
        assert (rtp['mos'], rtp['loss'], rtp['latency'], rtp['jitter'], rtp['ok']) == (4.3, 0.1, 20.0, 1.5, True)

    def test_web_layers(self):
        page = summary.summary_row('page-load', v6_row(101, 'F', responseTime=80, pageLoadTime=1200, numErrors=0))
        assert (page['response_time'], page['total_time'], page['ok']) == (80.0, 1200.0, True)
        ftp = summary.summary_row('ftp-server', v6_row(101, 'F', responseCode=226, responseTime=30, totalTime=70, errorType='None'))
        assert ftp['ok'] is True
        transaction = summary.summary_row('web-transactions', v6_row(101, 'F', errorType='OTHER', errorDetails='Timeout'))
        assert transaction['error'] == 'Timeout' and transaction['ok'] is False and transaction['total_time'] is None

    def test_summarise_keeps_the_newest_round_per_agent_at_or_after_since(self):
        rows = [v6_row(101, 'B', ROUND - 60, loss=9.0), v6_row(101, 'B', ROUND, loss=1.0), v6_row(102, 'A', ROUND - 60, loss=2.0)]
        newest = summary.summarise('network', rows)
        assert [(row['agent_id'], row['loss']) for row in newest] == [('101', 1.0), ('102', 2.0)]
        assert [row['agent_id'] for row in summary.summarise('network', rows, since=ROUND)] == ['101']

    def test_summarise_dns_server_has_one_row_per_agent_and_server(self):
        rows = [v6_row(101, 'F', server='a.ns.', resolutionTime=3), v6_row(101, 'F', server='b.ns.', resolutionTime=4)]
        assert [row['server'] for row in summary.summarise('dns-server', rows)] == ['a.ns.', 'b.ns.']

    def test_module_results_is_a_list_because_ansible_reserves_a_results_dict(self):
        rows = [v6_row(101, 'F', **NETWORK)]
        expected = [{'layer': 'network', 'rows': rows}, {'layer': 'path-vis', 'rows': []}]
        assert summary.module_results({'network': rows, 'path-vis': []}) == expected

    def test_summary_sorts_by_layer_then_agent_name(self):
        clock = FakeClock(ROUND + 5.0)
        rows = {'network': [v6_row(102, 'b agent', **NETWORK), v6_row(101, 'A agent', **NETWORK)],
                'path-vis': [v6_row(101, 'A agent')]}
        client = FakeClient('v6', serve(rows), clock)
        rows_summary = wait.collect_results(client, v6_test(), since=ROUND, sleep=clock.sleep, monotonic=clock.monotonic)['summary']
        assert [(row['layer'], row['agent_name']) for row in rows_summary] == [
            ('network', 'A agent'), ('network', 'b agent'), ('path-vis', 'A agent')]


# Layers ----------------------------------------------------------------------------------------------

class TestLayers:
    def test_default_layers_are_the_completed_data_links(self):
        client = FakeClient('v6', None)
        # The API's sample leaves web/web-transactions out of a web-transactions test's links.
        test = v6_test('web-transactions', layers=('net/metrics', 'net/path-vis'))
        assert wait.select_layers(client, test) == ['network', 'path-vis', 'web-transactions']

    def test_data_links_look_like_the_apis_own(self):
        client = FakeClient('v6', None)
        test = v6_test('web-transactions', layers=('net/metrics', 'net/path-vis'))
        assert wait.data_links(client, test) == ['%s/v6/net/metrics/1001' % BASE, '%s/v6/net/path-vis/1001' % BASE,
                                                 '%s/v6/web/web-transactions/1001' % BASE]

    def test_asked_layers_must_belong_to_the_test(self):
        client = FakeClient('v7', None)
        assert wait.select_layers(client, v7_test(), ['path-vis', 'network', 'path-vis']) == ['path-vis', 'network']
        with pytest.raises(OptionError, match='has no http-server results; its layers are network, path-vis'):
            wait.select_layers(client, v7_test(), ['http-server'])
        with pytest.raises(OptionError, match='unknown layer bgp'):
            wait.select_layers(client, v7_test(), ['bgp'])


# Collecting and waiting ------------------------------------------------------------------------------

def serve(rows_by_layer, ready_at=None, pages=None):
    """A handler that serves v6 data bodies; rows appear once the clock reaches ``ready_at`` (layer -> time)."""
    def handler(path, params, now):
        for layer, rows in rows_by_layer.items():
            v6_path = {'network': 'net/metrics', 'path-vis': 'net/path-vis', 'http-server': 'web/http-server',
                       'dns-server': 'dns/server'}[layer]
            if path == '%s/1001' % v6_path:
                visible = rows if now >= (ready_at or {}).get(layer, 0) else []
                if pages and layer in pages:
                    return [v6_body(layer, visible[:1], next_url='%s/v6/%s/1001?lastRoundId=%s' % (BASE, v6_path, ROUND)),
                            v6_body(layer, visible[1:])]
                return [v6_body(layer, visible)]
        raise AssertionError('unexpected request %s %s' % (path, params))
    return handler


class TestCollect:
    def test_reads_once_and_reports_offline_agents_without_waiting_for_them(self):
        clock = FakeClock(ROUND + 5.0)
        rows = {'network': [v6_row(101, 'Frankfurt, Germany', **NETWORK)], 'path-vis': [v6_row(101, 'Frankfurt, Germany')]}
        client = FakeClient('v6', serve(rows), clock)
        outcome = wait.collect_results(client, v6_test(), since=ROUND, wait=True, sleep=clock.sleep, monotonic=clock.monotonic)
        assert outcome['complete'] is True
        assert client.calls == [('net/metrics/1001', {'from': '2026-11-26T10:00:00'}), ('net/path-vis/1001', {'from': '2026-11-26T10:00:00'})]
        assert clock.sleeps == []
        assert outcome['missing'] == [
            {'agent_id': '202', 'agent_name': 'branch-ams-ea', 'layer': 'network', 'reason': 'offline'},
            {'agent_id': '202', 'agent_name': 'branch-ams-ea', 'layer': 'path-vis', 'reason': 'offline'}]
        assert [(row['layer'], row['agent_id']) for row in outcome['summary']] == [('network', '101'), ('path-vis', '101')]
        assert outcome['rounds'] == [ROUND]
        assert outcome['results'] == rows

    def test_no_layers_reads_the_definition_alone(self):
        # layers: [] (the alert playbook reads a test's target and type): no result request, even while waiting,
        # and no second read of a definition that came without its agents.
        clock = FakeClock(ROUND + 5.0)
        client = FakeClient('v7', serve({}), clock)
        test = v7_test()
        del test['agents']
        outcome = wait.collect_results(client, test, layers=[], wait=True, sleep=clock.sleep, monotonic=clock.monotonic)
        assert outcome == {'results': {}, 'summary': [], 'complete': True, 'rounds': [], 'missing': []}
        assert client.calls == [] and clock.sleeps == []

    def test_rows_before_since_do_not_count(self):
        clock = FakeClock(ROUND + 5.0)
        rows = {'network': [v6_row(101, 'Frankfurt, Germany', ROUND - 300, **NETWORK)]}
        client = FakeClient('v6', serve(rows), clock)
        outcome = wait.collect_results(client, v6_test(), layers=['network'], since=ROUND, sleep=clock.sleep, monotonic=clock.monotonic)
        assert outcome['complete'] is False
        assert outcome['results'] == {'network': []} and outcome['summary'] == [] and outcome['rounds'] == []
        assert outcome['missing'][0] == {'agent_id': '101', 'agent_name': 'Frankfurt, Germany', 'layer': 'network', 'reason': 'no results'}

    def test_waits_with_growing_interval_and_polls_only_incomplete_layers(self):
        clock = FakeClock(ROUND)
        rows = {'network': [v6_row(101, 'Frankfurt, Germany', **NETWORK)], 'path-vis': [v6_row(101, 'Frankfurt, Germany')]}
        client = FakeClient('v6', serve(rows, ready_at={'network': ROUND + 3, 'path-vis': ROUND + 9}), clock)
        outcome = wait.collect_results(client, v6_test(), since=ROUND, wait=True, wait_timeout=60,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        assert outcome['complete'] is True
        assert clock.sleeps == [2.0, 3.0, 4.5]
        assert client.waits.as_dict()['results'] == 9.5  # returned as waited
        assert client.paths() == ['net/metrics/1001', 'net/path-vis/1001',   # t+0: nothing yet
                                  'net/metrics/1001', 'net/path-vis/1001',   # t+2: nothing yet
                                  'net/metrics/1001', 'net/path-vis/1001',   # t+5: network done
                                  'net/path-vis/1001']                       # t+9.5: only path-vis polled, done

    def test_interval_is_capped_at_ten_seconds_and_by_the_time_left(self):
        clock = FakeClock(ROUND)
        client = FakeClient('v6', serve({'network': []}), clock)
        outcome = wait.collect_results(client, v6_test(), layers=['network'], since=ROUND, wait=True, wait_timeout=40,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        assert outcome['complete'] is False
        assert clock.sleeps == [2.0, 3.0, 4.5, 6.75, 10.0, 10.0, 3.75]
        assert outcome['missing'] == [{'agent_id': '101', 'agent_name': 'Frankfurt, Germany', 'layer': 'network', 'reason': 'timeout'},
                                      {'agent_id': '202', 'agent_name': 'branch-ams-ea', 'layer': 'network', 'reason': 'offline'}]

    def test_fixed_poll_interval_and_zero_timeout(self):
        clock = FakeClock(ROUND)
        client = FakeClient('v6', serve({'network': []}), clock)
        wait.collect_results(client, v6_test(), layers=['network'], since=ROUND, wait=True, wait_timeout=12, poll_interval=5,
                             sleep=clock.sleep, monotonic=clock.monotonic)
        assert clock.sleeps == [5.0, 5.0, 2.0]
        clock.sleeps[:] = []
        outcome = wait.collect_results(client, v6_test(), layers=['network'], since=ROUND, wait=True, wait_timeout=0,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        assert clock.sleeps == [] and outcome['complete'] is False

    def test_follows_pages(self):
        clock = FakeClock(ROUND + 5.0)
        rows = {'network': [v6_row(101, 'Frankfurt, Germany', **NETWORK), v6_row(202, 'branch-ams-ea', **NETWORK)]}
        client = FakeClient('v6', serve(rows, pages=['network']), clock)
        outcome = wait.collect_results(client, v6_test(), layers=['network'], sleep=clock.sleep, monotonic=clock.monotonic)
        assert [row['agentId'] for row in outcome['results']['network']] == [101, 202]
        assert outcome['missing'] == [] and outcome['complete'] is True

    def test_looks_agent_states_up_once_when_waiting_for_enterprise_agents(self):
        clock = FakeClock(ROUND + 5.0)
        agents = [{'agentId': 201, 'agentName': 'branch-fra-ea'}, {'agentId': 202, 'agentName': 'branch-ams-ea'}]
        data = serve({'network': [v6_row(201, 'branch-fra-ea', **NETWORK)]})

        def handler(path, params, now):
            if path == 'agents':
                return [{'agents': [{'agentId': 201, 'agentName': 'branch-fra-ea', 'agentType': 'Enterprise', 'agentState': 'Online'},
                                    {'agentId': 202, 'agentName': 'branch-ams-ea', 'agentType': 'Enterprise', 'agentState': 'Offline'}]}]
            return data(path, params, now)

        client = FakeClient('v6', handler, clock)
        outcome = wait.collect_results(client, v6_test(agents=agents), layers=['network'], since=ROUND, wait=True,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        # The states are looked up after the first poll, because an agent was missing then, and only once.
        assert client.paths() == ['net/metrics/1001', 'agents']
        assert outcome['complete'] is True
        assert outcome['missing'] == [{'agent_id': '202', 'agent_name': 'branch-ams-ea', 'layer': 'network', 'reason': 'offline'}]
        # Every agent reported at the first poll: the states do not matter, and no agents request is made.
        client.calls[:] = []
        outcome = wait.collect_results(client, v6_test(agents=agents[:1]), layers=['network'], since=ROUND, wait=True,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        assert client.paths() == ['net/metrics/1001'] and outcome['complete'] is True
        # Not waiting: no agents request; the agent without rows is simply reported.
        client.calls[:] = []
        outcome = wait.collect_results(client, v6_test(agents=agents), layers=['network'], since=ROUND,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        assert client.paths() == ['net/metrics/1001']
        assert outcome['complete'] is False and outcome['missing'][0]['reason'] == 'no results'
        # Caller-supplied states need no request either.
        client.calls[:] = []
        outcome = wait.collect_results(client, v6_test(agents=agents), layers=['network'], since=ROUND, wait=True,
                                       agent_states={202: 'offline', '201': 'online'}, sleep=clock.sleep, monotonic=clock.monotonic)
        assert client.paths() == ['net/metrics/1001'] and outcome['complete'] is True

    def test_no_agent_that_can_report_fails_at_the_first_poll(self):
        clock = FakeClock(ROUND)
        agents = [{'agentId': 202, 'agentName': 'branch-ams-ea'}, {'agentId': 203, 'agentName': 'branch-lon-ea'}]
        client = FakeClient('v6', serve({'network': []}), clock)
        with pytest.raises(AgentsCannotReportError, match=r'None of the agents of test 1001 can report.*: branch-ams-ea \(202\) is '
                                                          r'offline, branch-lon-ea \(203\) is disabled\. '):
            wait.collect_results(client, v6_test(agents=agents), layers=['network'], since=ROUND, wait=True, wait_timeout=600,
                                 agent_states={'202': 'Offline', '203': 'disabled'}, sleep=clock.sleep, monotonic=clock.monotonic)
        assert clock.sleeps == [] and client.paths() == ['net/metrics/1001']
        # Not waiting, the same test is read once and reported, without an error.
        outcome = wait.collect_results(client, v6_test(agents=agents), layers=['network'], since=ROUND,
                                       agent_states={'202': 'offline', '203': 'disabled'}, sleep=clock.sleep, monotonic=clock.monotonic)
        assert [entry['reason'] for entry in outcome['missing']] == ['offline', 'disabled']
        # Rows already there (the latest round, no since): nothing to wait for, so no error either.
        client = FakeClient('v6', serve({'network': [v6_row(202, 'branch-ams-ea', ROUND - 600, **NETWORK)]}), clock)
        outcome = wait.collect_results(client, v6_test(agents=agents), layers=['network'], wait=True,
                                       agent_states={'202': 'offline', '203': 'offline'}, sleep=clock.sleep, monotonic=clock.monotonic)
        assert outcome['complete'] is True

    def test_warning_names_each_agent_that_cannot_report_once(self):
        missing = [{'agent_id': '202', 'agent_name': 'branch-ams-ea', 'layer': layer, 'reason': 'offline'} for layer in ('network', 'path-vis')]
        missing.append({'agent_id': '101', 'agent_name': 'Frankfurt, Germany', 'layer': 'network', 'reason': 'timeout'})
        assert wait.silent_agents_warning('1001', missing) == (
            'Test 1001: branch-ams-ea (202) is offline, so the results have no rows from it; the wait covered the other agents '
            'only. Bring it online, or run the test from other agents.')
        assert wait.silent_agents_warning('1001', missing[2:]) is None

    def test_cloud_agents_need_no_lookup(self):
        clock = FakeClock(ROUND + 5.0)
        agents = [{'agentId': 101, 'agentName': 'Frankfurt, Germany', 'agentType': 'Cloud'}]
        client = FakeClient('v6', serve({'network': [v6_row(101, 'Frankfurt, Germany', **NETWORK)]}), clock)
        wait.collect_results(client, v6_test(agents=agents), layers=['network'], wait=True, sleep=clock.sleep, monotonic=clock.monotonic)
        assert client.paths() == ['net/metrics/1001']

    def test_the_first_reading_waits_for_an_org_budget_too_small_for_it(self):
        clock = FakeClock(ROUND)
        client = FakeClient('v6', serve({'network': [v6_row(101, 'F', **NETWORK)], 'path-vis': [v6_row(101, 'F')]}), clock)
        budget = client.rate_limits.budgets['org']
        budget.limit, budget.remaining, budget.reset = 240, 1, int(ROUND + 20)
        outcome = wait.collect_results(client, v6_test(), since=ROUND, wait=True, wait_timeout=5,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        # Through the client's rate-limit policy, which bounds the wait by rate_limit_max_wait.
        assert clock.sleeps == [20.25] and client.rate_limits.waited == 20.25
        assert outcome['complete'] is True

    def test_later_rounds_wait_for_the_org_budget_or_stop_at_the_deadline(self):
        clock = FakeClock(ROUND)
        data = serve({'network': [], 'path-vis': []})

        def handler(path, params, now):
            # Every answer says one request is left until 30 s after it.
            budget = client.rate_limits.budgets['org']
            budget.limit, budget.remaining, budget.reset = 240, 1, int(now) + 30
            return data(path, params, now)

        client = FakeClient('v6', handler, clock)
        outcome = wait.collect_results(client, v6_test(), since=ROUND, wait=True, wait_timeout=60,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        # t+2: the reset at t+30 is before the deadline, so sleep until it; t+33.25: the next reset
        # (t+60.25 with the margin) is after the deadline, so the wait ends without spending requests.
        assert clock.sleeps == [2.0, 28.25, 3.0]
        assert len(client.calls) == 4
        assert outcome['complete'] is False and outcome['missing'][0]['reason'] == 'timeout'

    def test_rate_limit_waits_while_polling_never_pass_rate_limit_max_wait(self):
        clock = FakeClock(ROUND)
        data = serve({'network': [], 'path-vis': []})

        def handler(path, params, now):
            budget = client.rate_limits.budgets['org']
            budget.limit, budget.remaining, budget.reset = 240, 1, int(now) + 30
            return data(path, params, now)

        client = FakeClient('v6', handler, clock)
        client.rate_limits = RateLimitPolicy(40, clock=clock.time, sleep=clock.sleep)
        outcome = wait.collect_results(client, v6_test(), since=ROUND, wait=True, wait_timeout=600,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        # One wait for the Reset (28.25 s) fits in the task's 40 s; the next would not, so polling stops there,
        # long before wait_timeout, instead of sleeping on uncounted.
        assert clock.sleeps == [2.0, 28.25, 3.0]
        assert client.rate_limits.waited == 28.25
        assert outcome['complete'] is False

    def test_v7_queries_with_start_date_and_reads_nested_rows(self):
        clock = FakeClock(ROUND + 5.0)
        seen = []

        def handler(path, params, now):
            seen.append((path, params))
            return [{'test': {}, 'results': [v7_row(101, 'Frankfurt, Germany', **NETWORK)], '_links': {'self': {'href': 'x'}}}]

        client = FakeClient('v7', handler, clock)
        outcome = wait.collect_results(client, v7_test(), layers=['network'], since=ROUND, wait=True,
                                       sleep=clock.sleep, monotonic=clock.monotonic)
        assert seen == [('test-results/1001/network', {'startDate': '2026-11-26T10:00:00Z'})]
        assert outcome['complete'] is True and outcome['summary'][0]['latency'] == 12.4

    def test_v6_bidirectional_agent_to_agent_reads_each_direction(self):
        clock = FakeClock(ROUND + 5.0)
        seen = []

        def handler(path, params, now):
            seen.append((path, params.get('direction')))
            return [v6_body('network' if 'metrics' in path else 'path-vis', [v6_row(101, 'Frankfurt, Germany', **NETWORK)])]

        client = FakeClient('v6', handler, clock)
        test = v6_test('agent-to-agent', agents=V6_AGENTS[:1], direction='BIDIRECTIONAL', targetAgentId=206)
        outcome = wait.collect_results(client, test, since=ROUND, sleep=clock.sleep, monotonic=clock.monotonic)
        assert seen == [('net/metrics/1001', 'TO_TARGET'), ('net/metrics/1001', 'FROM_TARGET'),
                        ('net/path-vis/1001', 'TO_TARGET'), ('net/path-vis/1001', 'FROM_TARGET')]
        assert [(row['layer'], row['direction']) for row in outcome['summary']] == [
            ('network', 'from-target'), ('network', 'to-target'), ('path-vis', 'from-target'), ('path-vis', 'to-target')]
        # A one-way agent-to-agent test is read without a direction.
        seen[:] = []
        wait.collect_results(client, v6_test('agent-to-agent', agents=V6_AGENTS[:1], direction='TO_TARGET'),
                             sleep=clock.sleep, monotonic=clock.monotonic)
        assert seen == [('net/metrics/1001', None), ('net/path-vis/1001', None)]

    def test_test_without_source_agents_is_complete_once_rows_arrive(self):
        clock = FakeClock(ROUND + 5.0)
        client = FakeClient('v6', serve({'network': [v6_row(101, 'F', **NETWORK)]}), clock)
        outcome = wait.collect_results(client, v6_test(agents=[]), layers=['network'], sleep=clock.sleep, monotonic=clock.monotonic)
        assert outcome['complete'] is True and outcome['missing'] == []


# Test lookup -----------------------------------------------------------------------------------------

def listing(version, tests):
    return [{'test': tests}] if version == 'v6' else [{'tests': tests, '_links': {}}]


class TestLookup:
    def test_find_by_name_is_exact_and_skips_saved_events(self):
        tests = [{'testId': 1, 'testName': 'checkout', 'type': 'http-server', 'savedEvent': 0},
                 {'testId': 2, 'testName': 'Checkout', 'type': 'http-server', 'savedEvent': 0},
                 {'testId': 3, 'testName': 'checkout', 'type': 'http-server', 'savedEvent': 1},
                 {'testId': 4, 'testName': 'checkout', 'type': 'dns-dnssec', 'savedEvent': 0}]
        client = FakeClient('v6', lambda path, params, now: listing('v6', tests))
        assert [test['testId'] for test in find_tests_by_name(client, 'checkout')] == [1, 4]
        assert [test['testId'] for test in find_tests_by_name(client, 'checkout', 'dns-dnssec')] == [4]
        assert client.paths() == ['tests', 'tests']

    def test_v7_type_names_are_translated(self):
        tests = [{'testId': '9', 'testName': 'sec', 'type': 'dnssec', 'savedEvent': False}]
        client = FakeClient('v7', lambda path, params, now: listing('v7', tests))
        assert find_tests_by_name(client, 'sec', 'dns-dnssec') == tests

    def test_get_test_v6(self):
        client = FakeClient('v6', lambda path, params, now: [{'test': [v6_test()]}])
        assert get_test(client, '1001')['testId'] == 1001
        assert client.paths() == ['tests/1001']
        with pytest.raises(NotFoundError, match='is of type agent-to-server, not http-server'):
            get_test(client, 1001, 'http-server')
        with pytest.raises(OptionError, match='numeric ID'):
            get_test(client, 'abc')

    def test_get_test_v6_not_found_names_the_id(self):
        client = FakeClient('v6', lambda path, params, now: NotFoundError('404', status=404, method='GET', url='u'))
        with pytest.raises(NotFoundError, match='No ThousandEyes test has the ID 77'):
            get_test(client, 77)

    def test_get_test_v7_uses_the_type_from_the_listing(self):
        def handler(path, params, now):
            if path == 'tests':
                return listing('v7', [{'testId': '1001', 'testName': 'checkout', 'type': 'dnssec'}])
            assert path == 'tests/dnssec/1001'
            return [v7_test('dnssec', layers=('dnssec',))]
        client = FakeClient('v7', handler)
        assert get_test(client, '1001')['type'] == 'dnssec'

    def test_get_test_v7_tries_each_type_when_not_listed(self):
        def handler(path, params, now):
            if path == 'tests':
                return listing('v7', [])
            if path == 'tests/http-server/1001':
                return [v7_test('http-server', layers=('http-server',))]
            return NotFoundError('404', status=404)
        client = FakeClient('v7', handler)
        assert get_test(client, '1001')['type'] == 'http-server'
        assert client.paths() == ['tests', 'tests/agent-to-server/1001', 'tests/agent-to-agent/1001', 'tests/http-server/1001']

    def test_get_test_v7_with_type_goes_straight_to_it(self):
        client = FakeClient('v7', lambda path, params, now: [v7_test('dnssec', layers=('dnssec',))])
        get_test(client, '1001', 'dns-dnssec')
        assert client.paths() == ['tests/dnssec/1001']

    def test_resolve_by_name_reads_the_full_definition(self):
        def handler(path, params, now):
            if path == 'tests':
                return listing('v6', [{'testId': 1001, 'testName': 'checkout', 'type': 'agent-to-server', 'savedEvent': 0}])
            return [{'test': [v6_test()]}]
        client = FakeClient('v6', handler)
        assert resolve_test(client, name='checkout')['agents'] == V6_AGENTS
        assert client.paths() == ['tests', 'tests/1001']

    def test_resolve_by_name_failures(self):
        tests = [{'testId': 1, 'testName': 'checkout', 'type': 'http-server', 'savedEvent': 0},
                 {'testId': 2, 'testName': 'checkout', 'type': 'dns-trace', 'savedEvent': 0},
                 {'testId': 3, 'testName': 'checkout-eu', 'type': 'http-server', 'savedEvent': 0}]
        client = FakeClient('v6', lambda path, params, now: listing('v6', tests))
        with pytest.raises(OptionError, match=r"2 tests are named 'checkout': 1 \(http-server\), 2 \(dns-trace\)"):
            resolve_test(client, name='checkout')
        with pytest.raises(NotFoundError, match=r"no test named 'chekout'\. Closest names: 'checkout', 'checkout-eu'"):
            resolve_test(client, name='chekout')
        with pytest.raises(NotFoundError, match=r"no sip-server test named 'checkout'; tests with that name: 1 \(http-server\)"):
            resolve_test(client, name='checkout', test_type='sip-server')
