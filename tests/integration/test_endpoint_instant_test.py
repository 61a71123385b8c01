# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""endpoint_instant_test and endpoint_agent_info, run in-process against the emulator: results and request log."""

from __future__ import annotations

import pytest

ALICE = '0f8fad5b-d9cb-469f-a165-70867728950e'
BOB = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
DAVE = '886313e1-3b8a-4372-9b90-0c9aee199e5d'
TASK = {'name': 'shop-from-alice', 'type': 'http-server', 'target': 'https://shop.example.com/', 'agents': ['alice-laptop', 'BOB-THINKPAD']}


@pytest.fixture
def api_version():
    """Endpoint Agents are API v7 only; the v6 refusal is tested with TE_API_VERSION=v6."""
    return 'v7'


@pytest.fixture
def fast(emulator):
    emulator.configure(result_delay=0.0)
    return emulator


def test_create_then_unchanged_then_rerun_with_results(fast, run_module):
    created = run_module('endpoint_instant_test', dict(TASK, wait=True, wait_timeout=30))
    assert created['failed'] is False, created
    assert created['changed'] is True and created['action'] == 'created' and created['test_id'] == '100001'
    assert created['complete'] is True and created['fresh'] is True
    network = [row for row in created['summary'] if row['layer'] == 'network']
    assert [row['agent_name'] for row in network] == ['alice-laptop', 'bob-laptop']
    alice = network[0]
    assert alice['gateway'] == '192.168.1.1' and alice['vpn_type'] == 'cisco-anyconnect' and alice['wifi_rssi'] < -40
    assert alice['loss'] == 0.0 and alice['ok'] is True and 0 < alice['cpu'] < 1
    http = [row for row in created['summary'] if row['layer'] == 'http-server']
    assert {row['response_code'] for row in http} == {200} and len(http) == 2
    body = fast.requests('endpoint_create')[0]['body']
    assert body['agentSelectorType'] == 'specific-agents' and sorted(body['agents']) == sorted([ALICE, BOB])

    again = run_module('endpoint_instant_test', TASK)
    assert again['changed'] is False and again['action'] == 'unchanged' and again['test_id'] == '100001'
    assert len(fast.requests('endpoint_create')) == 1 and not fast.requests('endpoint_rerun')

    by_name = run_module('endpoint_instant_test', dict(TASK, run='always'))
    assert by_name['changed'] is True and by_name['action'] == 'rerun' and by_name['started_at']
    by_id = run_module('endpoint_instant_test', {'test_id': '100001', 'wait': True, 'wait_timeout': 30})
    assert by_id['action'] == 'rerun' and by_id['fresh'] is True and by_id['complete'] is True
    assert len(fast.requests('endpoint_rerun')) == 2 and len(fast.requests('endpoint_create')) == 1


def test_check_mode_and_diff_write_nothing(fast, run_module):
    result = run_module('endpoint_instant_test', TASK, check_mode=True, diff=True)
    assert result['changed'] is True and result['test_id'] is None
    assert result['diff']['before'] == {} and result['diff']['after']['target'] == 'https://shop.example.com/'
    assert result['diff']['after']['agent_selector']['agents'] == sorted([ALICE, BOB])
    assert fast.writes() == []
    run_module('endpoint_instant_test', TASK)
    rerun = run_module('endpoint_instant_test', dict(TASK, run='always'), check_mode=True)
    assert rerun['changed'] is True and rerun['action'] == 'rerun'
    assert len(fast.writes()) == 1 and not fast.requests('endpoint_rerun')


def test_unlisted_endpoint_tests_are_said_and_created(fast, run_module):
    fast.configure(endpoint_tests_listed=False)
    first = run_module('endpoint_instant_test', TASK)
    assert first['changed'] is True
    assert any('not listed' in warning and 'test_id: 100001' in warning for warning in first['warnings'])
    # where names must be unique, the API refuses the second create and the task fails with its answer
    second = run_module('endpoint_instant_test', TASK)
    assert second['failed'] is True and 'unique' in second['msg']
    fast.configure(unique_test_names=False)
    third = run_module('endpoint_instant_test', TASK)
    assert third['action'] == 'created' and third['test_id'] == '100002'
    assert len(fast.requests('endpoint_create')) == 3


def test_no_list_at_all_is_said_and_created(fast, run_module):
    fast.fault(action='status', status=404, method='GET', path='/v7/endpoint/tests/scheduled-tests$', times=2)
    result = run_module('endpoint_instant_test', TASK)
    assert result['changed'] is True and result['action'] == 'created'
    assert any('cannot tell' in warning for warning in result['warnings'])
    assert len(fast.requests('endpoint_create')) == 1


def test_another_definition_of_the_same_name_fails_without_writing(fast, run_module):
    run_module('endpoint_instant_test', TASK)
    other = run_module('endpoint_instant_test', dict(TASK, target='https://other.example.com/'))
    assert other['failed'] is True and 'another definition' in other['msg'] and 'target' in other['msg']
    assert len(fast.writes()) == 1


def test_v6_refuses_before_any_request(fast, run_module):
    for module, args in (('endpoint_instant_test', TASK), ('endpoint_agent_info', {})):
        result = run_module(module, args, env={'TE_API_VERSION': 'v6'})
        assert result['failed'] is True and 'only in API v7' in result['msg'] and 'Nothing was sent' in result['msg']
    assert fast.requests() == []


def test_unknown_agents_and_settings_fail_before_writing(fast, run_module):
    result = run_module('endpoint_instant_test', dict(TASK, agents=['mallory-laptop']))
    assert result['failed'] is True and 'mallory-laptop' in result['msg'] and 'alice-laptop' in result['msg']
    result = run_module('endpoint_instant_test', dict(TASK, settings={'port': 8443}))
    assert result['failed'] is True and 'port' in result['msg']
    assert fast.writes() == []


def test_only_offline_agents_fail_the_wait_at_once(fast, run_module):
    result = run_module('endpoint_instant_test', dict(TASK, name='dave', agents=[DAVE], wait=True, wait_timeout=30))
    assert result['failed'] is True and 'dave-laptop' in result['msg'] and result['waited']['results'] == 0.0


@pytest.mark.parametrize('scenario, column, value', [
    ('weak-wifi', 'wifi_rssi', -82),
    ('slow-vpn', 'vpn_gateway', '203.0.113.200'),
    ('lossy-gateway', 'loss', 15.0),
])
def test_scenarios_reach_the_summary_columns(fast, run_module, scenario, column, value):
    fast.configure(endpoint_scenarios={'bob-laptop': scenario})
    result = run_module('endpoint_instant_test', {'name': 'vpn-' + scenario, 'type': 'agent-to-server', 'target': 'vpn.example.com:443',
                                                  'agents': [BOB], 'wait': True, 'wait_timeout': 30})
    assert result['failed'] is False, result
    (row,) = result['summary']
    assert row[column] == value and row['agent_name'] == 'bob-laptop'
    assert fast.requests('endpoint_create')[0]['body']['port'] == 443


def test_endpoint_agent_info_filters(fast, run_module):
    result = run_module('endpoint_agent_info', {'state': ['online']})
    assert [agent['name'] for agent in result['agents']] == ['alice-laptop', 'bob-laptop', 'carol-desktop']
    result = run_module('endpoint_agent_info', {'name': ['DAVE-MBA']})
    assert [(agent['name'], agent['state']) for agent in result['agents']] == [('dave-laptop', 'offline')]
    assert result['changed'] is False and fast.writes() == []


@pytest.mark.parametrize('api_version', ['v6', 'v7'])
def test_endpoint_flow_playbook(emulator, run_playbook, api_version):
    emulator.configure(result_delay=0.0, endpoint_scenarios={'bob-laptop': 'weak-wifi'})
    run_playbook('endpoint_flow.yml')
    if api_version == 'v6':
        assert emulator.requests() == []
        return
    assert emulator.count('endpoint_create') == 1
    assert emulator.count('endpoint_rerun') == 1


def test_path_traces_of_the_newest_round_show_where_the_loss_starts(fast, run_module):
    fast.configure(endpoint_scenarios={'bob-laptop': 'lossy-gateway'})
    task = dict(TASK, type='agent-to-server', target='shop.example.com', name='shop-paths', wait=True, wait_timeout=30)
    plain = run_module('endpoint_instant_test', task)
    assert plain['failed'] is False and 'path_traces' not in plain
    assert not [entry for entry in fast.requests('endpoint_results') if '/path-vis/agent/' in entry['path']]

    result = run_module('endpoint_instant_test', dict(task, path_traces=True, run='always'))
    assert result['failed'] is False, result
    detail = [entry for entry in fast.requests('endpoint_results') if '/path-vis/agent/' in entry['path']]
    assert len(detail) == 2 and all(entry['method'] == 'GET' for entry in detail)
    paths = dict((entry['agent_name'], entry) for entry in result['path_traces'])
    rounds = dict((row['agent_name'], row['round_id']) for row in result['summary'] if row['layer'] == 'network')
    assert sorted(paths) == ['alice-laptop', 'bob-laptop']
    assert paths['bob-laptop']['round_id'] == rounds['bob-laptop'] and paths['bob-laptop']['gateway'] == '192.168.1.1'
    bob = paths['bob-laptop']['traces']
    assert [trace['reached'] for trace in bob] == [True, True, False]
    assert [hop['ip'] for hop in bob[2]['hops']] == ['192.168.1.1', None, None]
    assert all(trace['reached'] for trace in paths['alice-laptop']['traces'])
    assert paths['alice-laptop']['traces'][0]['hops'][1]['rdns'] == 'vpn.example.com'

    checked = run_module('endpoint_instant_test', dict(task, path_traces=True, run='always'), check_mode=True)
    assert 'path_traces' not in checked and len([e for e in fast.requests('endpoint_results') if '/path-vis/agent/' in e['path']]) == 2
