# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""endpoint_test_results_info, and the wait of endpoint_instant_test that it shares, run in-process against the emulator:
several endpoint tests started first and waited for in one phase, under one deadline, with the collection's one polling
policy (the organization budget reserved before each poll). The request log says how often each test was read."""

from __future__ import annotations

import pytest
import yaml

from tests.integration.test_examples import examples

ALICE = '0f8fad5b-d9cb-469f-a165-70867728950e'
BOB = '7c9e6679-7425-40de-944b-e07fc1f90ae7'
DAVE = '886313e1-3b8a-4372-9b90-0c9aee199e5d'
TARGETS = ('https://shop.example.com/', 'https://api.example.com/')


@pytest.fixture
def api_version():
    """Endpoint Agents are API v7 only; the v6 refusal is tested with TE_API_VERSION=v6."""
    return 'v7'


def start_all(run_module, agents=('alice-laptop', 'bob-laptop')):
    """One endpoint test per target, started and not waited for (as the diagnose role starts them)."""
    started = []
    for number, target in enumerate(TARGETS):
        result = run_module('endpoint_instant_test', {'name': 'multi-%d' % number, 'type': 'http-server', 'target': target,
                                                      'agents': list(agents), 'run': 'always'})
        assert result['failed'] is False and 'summary' not in result, result
        started.append(result)
    return started


def result_reads(emulator, test_id):
    """The network result reads (POST .../network/filter) of one endpoint test, in the order they came."""
    return [entry for entry in emulator.requests('endpoint_results')
            if '/scheduled-tests/%s/network/filter' % test_id in entry['path']]


def test_every_test_waited_for_in_one_phase(emulator, run_module):
    # The rows appear a moment after each run: the first test's wait absorbs that delay, the second finds its rows at once.
    emulator.configure(result_delay=1.0)
    started = start_all(run_module)
    writes = len(emulator.writes())
    result = run_module('endpoint_test_results_info', {
        'tests': [{'test': run['test'], 'since': run['started_at']} for run in started], 'wait': True, 'wait_timeout': 60})
    assert result['failed'] is False and result['changed'] is False, result
    assert result['complete'] is True and [test['test_id'] for test in result['tests']] == ['100001', '100002']
    for test, run in zip(result['tests'], started):
        assert test['complete'] is True and test['fresh'] is True and test['missing'] == [] and test['since'] == run['started_at']
        network = [row for row in test['summary'] if row['layer'] == 'network']
        assert [row['agent_name'] for row in network] == ['alice-laptop', 'bob-laptop']
        assert all(row['date'] >= run['started_at'] and row['wifi_rssi'] is not None for row in network)
        assert len([row for row in test['summary'] if row['layer'] == 'http-server']) == 2
        assert 'path_traces' not in test
    first, second = result_reads(emulator, '100001'), result_reads(emulator, '100002')
    assert len(first) >= 2 and len(second) == 1
    assert result['waited']['results'] > 0
    # The info module reads only: its result reads are POSTs (the API's filter), nothing else was sent.
    assert [entry for entry in emulator.writes()[writes:] if entry['operation'] != 'endpoint_results'] == []
    # One listing of the endpoint agents per start, and one for both tests of the info module (their states and names).
    assert emulator.count('endpoint_agents') == len(TARGETS) + 1


def test_check_mode_reads_the_same_and_writes_nothing(emulator, run_module):
    emulator.configure(result_delay=0.0)
    started = start_all(run_module)
    writes = len(emulator.writes())
    tests = [{'test': run['test'], 'since': run['started_at']} for run in started]
    result = run_module('endpoint_test_results_info', {'tests': tests, 'wait': True, 'wait_timeout': 30, 'path_traces': True},
                        check_mode=True)
    assert result['failed'] is False and result['changed'] is False and result['complete'] is True, result
    assert [sorted(entry['agent_name'] for entry in test['path_traces']) for test in result['tests']] == [['alice-laptop', 'bob-laptop']] * 2
    assert [entry for entry in emulator.writes()[writes:] if entry['operation'] != 'endpoint_results'] == []
    assert emulator.count('endpoint_create') == len(TARGETS) and emulator.count('endpoint_rerun') == 0


def test_by_id_without_since_and_without_waiting(emulator, run_module):
    emulator.configure(result_delay=0.0)
    start_all(run_module)
    result = run_module('endpoint_test_results_info', {'tests': [{'test_id': '100002'}]})
    assert result['failed'] is False and result['complete'] is True, result
    (test,) = result['tests']
    assert test['test']['testName'] == 'multi-1' and test['fresh'] is False and test['since'] is None
    assert len(result_reads(emulator, '100002')) == 1 and result['waited']['results'] == 0.0


def test_only_offline_agents_fail_at_once(emulator, run_module):
    emulator.configure(result_delay=0.0)
    (run, dummy) = start_all(run_module, agents=[DAVE])
    result = run_module('endpoint_test_results_info', {'tests': [{'test': run['test'], 'since': run['started_at']}], 'wait': True})
    assert result['failed'] is True and 'dave-laptop' in result['msg'] and result['waited']['results'] == 0.0
    assert result_reads(emulator, run['test_id']) == []


def test_bad_entries_and_v6_fail_before_any_request(emulator, run_module):
    for tests, words in (([{'test_id': '100001', 'test': {'testId': '100001', 'type': 'http-server'}}], 'exactly one of test'),
                         ([{'test': {'testName': 'no-id'}}], 'endpoint test definition'),
                         ([{'test_id': '100001', 'since': 'yesterday'}], 'tests[0].since')):
        result = run_module('endpoint_test_results_info', {'tests': tests})
        assert result['failed'] is True and words in result['msg'], result
    result = run_module('endpoint_test_results_info', {'tests': [{'test_id': '100001'}]}, env={'TE_API_VERSION': 'v6'})
    assert result['failed'] is True and 'only in API v7' in result['msg'] and 'Nothing was sent' in result['msg']
    assert emulator.requests() == []


def test_a_poll_never_waits_for_the_budget_past_the_deadline(emulator, run_module):
    """The endpoint wait reserves the organization budget before each poll, as the Cloud Agent wait does: with the budget
    spent and its reset far beyond wait_timeout, the next poll is skipped, and no request runs into a 429."""
    emulator.configure(result_delay=600.0)
    task = {'name': 'budget', 'type': 'agent-to-server', 'target': 'shop.example.com', 'agents': ['alice-laptop', 'bob-laptop']}
    run = run_module('endpoint_instant_test', task)
    assert run['failed'] is False and run['action'] == 'created', run
    spent = len(emulator.requests())
    # the budget left for this task: its agents listing and its first poll, then nothing until the window's reset
    emulator.configure(rate_limits={'org': {'limit': spent + 2, 'window': 600}, 'instant': {'limit': 24, 'window': 60}})
    entry = {'test': run['test'], 'since': run['started_at']}
    result = run_module('endpoint_test_results_info', {'tests': [entry], 'wait': True, 'wait_timeout': 5},
                        env={'TE_RATE_LIMIT_MAX_WAIT': '300'})
    assert result['failed'] is False and result['complete'] is False, result
    assert [miss['reason'] for miss in result['tests'][0]['missing']] == ['no result before wait_timeout'] * 2
    assert len(result_reads(emulator, run['test_id'])) == 1
    assert [entry for entry in emulator.requests() if entry['status'] == 429] == []
    assert result['waited']['organization_rate_limit'] == 0.0


def test_the_examples_run(emulator, run_playbook, playbook_env, tmp_path):
    """The module's EXAMPLES, as ansible-doc shows them: two tests started in a loop, then one wait for both."""
    emulator.configure(result_delay=1.0)
    tasks = examples('endpoint_test_results_info')
    play = [{'name': 'The EXAMPLES of endpoint_test_results_info', 'hosts': 'localhost', 'gather_facts': False,
             'vars': {'te_token': playbook_env['TE_TOKEN']}, 'tasks': tasks}]
    path = tmp_path / 'examples.yml'
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    result = run_playbook(str(path))
    assert emulator.count('endpoint_create') == 2 and emulator.count('endpoint_rerun') == 0
    assert 'from-alice-shop.example.com: RSSI' in result.output and 'complete True' in result.output
