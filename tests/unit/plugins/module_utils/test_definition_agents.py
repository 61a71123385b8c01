# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A test definition's agents on API v7: asked for with expand=agent, and never taken as "no agents" when missing.

v7 leaves a test's agents out unless the request says ``expand=agent`` (the create and get-test operations of the v7
API); these fakes answer that way, as the real API documents it.
"""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results import wait
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api import ApiV6, ApiV7
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.compare import differences
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.fields import build_fields
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._lookup import get_test

from .fake_clock import FakeClock
from .test_results import BASE, FakeClient, NETWORK, ROUND, v7_row, v7_test

AGENTS = [{'agentId': '101', 'agentName': 'Frankfurt, Germany', 'agentType': 'cloud'},
          {'agentId': '102', 'agentName': 'Tokyo, Japan', 'agentType': 'cloud'}]


def documented_v7(rows_at=None):
    """Detail reads answer with agents only when asked; results rows of agent 102 come at ``rows_at``."""
    def handler(path, params, now):
        if path == 'tests/agent-to-server/1001':
            test = v7_test(agents=AGENTS)
            if params.get('expand') != 'agent':
                del test['agents']
            return [test]
        if path.startswith('test-results/1001/'):
            rows = [v7_row(101, 'Frankfurt, Germany', **NETWORK)]
            if now >= (rows_at or 0):
                rows.append(v7_row(102, 'Tokyo, Japan', **NETWORK))
            return [{'results': rows, '_links': {}}]
        raise AssertionError('unexpected request %s %s' % (path, params))
    return handler


def test_v7_detail_reads_ask_for_the_agents():
    client = FakeClient('v7', documented_v7())
    assert get_test(client, '1001', 'agent-to-server')['agents'] == AGENTS
    assert client.calls == [('tests/agent-to-server/1001', {'expand': 'agent'})]


def test_v6_knows_no_expansion():
    assert ApiV6(BASE).definition_params == {}
    assert ApiV7(BASE).definition_params == {'expand': 'agent'}


def test_waiting_on_a_definition_without_agents_reads_it_again_with_them():
    clock = FakeClock(ROUND + 5.0)
    client = FakeClient('v7', documented_v7(rows_at=ROUND + 20), clock)
    without_agents = v7_test(agents=AGENTS)
    del without_agents['agents']
    outcome = wait.collect_results(client, without_agents, layers=['network'], since=ROUND, wait=True, wait_timeout=60,
                                   sleep=clock.sleep, monotonic=clock.monotonic)
    # Read once more, with the expansion; then the wait goes on until the second agent reported too.
    assert client.calls[0] == ('tests/agent-to-server/1001', {'expand': 'agent'})
    assert outcome['complete'] is True
    assert sorted(row['agent_id'] for row in outcome['summary']) == ['101', '102']
    assert len(client.calls) > 2


def test_a_definition_without_agents_is_not_a_change_of_agents():
    wanted = {'testName': 'checkout', 'server': 'example.com', 'agents': [{'agentId': '101'}]}
    without_agents = {'testId': '1001', 'testName': 'checkout', 'type': 'agent-to-server', 'server': 'example.com'}
    assert differences(wanted, without_agents, ApiV7(BASE)) == []
    # The control: agents that are there are compared.
    other_agents = dict(without_agents, agents=[{'agentId': '102'}])
    assert differences(wanted, other_agents, ApiV7(BASE)) == [('agents', ['102'], ['101'])]
    assert differences(wanted, dict(without_agents, agents=[]), ApiV7(BASE)) == [('agents', [], ['101'])]


class NoRequests:
    """An agent directory that must not be used: the checks below come before any request."""

    def __init__(self, api):
        self.client = type('Client', (), {'api': api})()

    def resolve(self, refs, option='agents'):
        raise AssertionError('the agents were resolved before the source_ip check')

    def find_by_name(self, name, option='agents'):
        raise AssertionError('an agent was looked up before the source_ip check')


def task(test_type, agents):
    params = dict(name='t', type=test_type, agents=agents, target='example.com', port=None, protocol=None, dns_servers=None,
                  transaction_script=None, request_type=None, username=None, password=None, description=None, settings=None,
                  wait_timeout=300)
    if test_type in ('page-load', 'web-transactions', 'http-server'):
        params['target'] = 'https://shop.example.com/'
    if test_type == 'web-transactions':
        params['transaction_script'] = 'markers.start();'
    if test_type == 'dns-server':
        params['dns_servers'] = ['8.8.8.8']
    return params


@pytest.mark.parametrize('test_type', ['page-load', 'web-transactions', 'dns-trace', 'dns-server', 'dns-dnssec'])
def test_v7_source_ip_fails_for_types_whose_agents_have_no_source_address(test_type):
    with pytest.raises(OptionError, match='source_ip does not apply to %s tests on API v7' % test_type):
        build_fields(task(test_type, [{'name': 'Frankfurt, Germany', 'source_ip': '10.0.0.5'}]), NoRequests(ApiV7(BASE)))


class ById:
    def __init__(self, api):
        self.client = type('Client', (), {'api': api})()

    @staticmethod
    def resolve(refs, option='agents'):
        return [{'agentId': str(ref['id']), 'sourceIpAddress': ref['source_ip']} for ref in refs]


@pytest.mark.parametrize('version, test_type', [('v6', 'dns-trace'), ('v6', 'page-load'), ('v7', 'http-server'),
                                                ('v7', 'agent-to-server')])
def test_source_ip_stays_where_the_version_takes_it(version, test_type):
    api = (ApiV6 if version == 'v6' else ApiV7)(BASE)
    fields = build_fields(task(test_type, [{'id': 101, 'source_ip': '10.0.0.5'}]), ById(api))
    assert fields['agents'] == [{'agentId': '101', 'sourceIpAddress': '10.0.0.5'}]
