# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""instant_test and instant_test_rerun against the emulator, for both API versions.

The main flow (create, unchanged, check and diff mode, on_change, recreate, rerun, delete) is one real playbook run per
API version (instant_test_lifecycle.yml): check_mode, diff and register as Ansible gives them, the diff as the callback
prints it. Every other check concerns one module's behaviour and runs the module in-process (``run_module``), with the
same assertions on its results and on the emulator's request log.
"""

from __future__ import annotations

import datetime
import json
import re
import time

import pytest

from tests.integration.instant_test_types import TYPES


def epoch(started_at):
    """A module's started_at (UTC, second precision) as epoch seconds, the unit of round IDs."""
    return datetime.datetime.strptime(started_at, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc).timestamp()


def round_ids(result, layer=None):
    return [row['round_id'] for row in result['summary'] if layer is None or row['layer'] == layer]


def test_lifecycle(emulator, run_playbook, api_version):
    result = run_playbook('instant_test_lifecycle.yml')
    # Besides the playbook's own step-by-step assertions: the whole run wrote exactly this.
    assert emulator.count('create') == 2
    assert emulator.count('delete') == 2
    assert emulator.count('rerun') == 1
    assert [test for test in emulator.tests() if test.get('testName') == 'lifecycle-http'] == []
    # The same run reads its definitions with their agents: v7 leaves a test's agents out unless asked with
    # expand=agent; v6 knows no such parameter.
    reads = emulator.requests('create') + emulator.requests('get_test')
    assert reads
    expected = {'agent'} if api_version == 'v7' else {None}
    assert {(entry.get('query') or {}).get('expand') for entry in reads} == expected
    # The check-mode task's diff, as Ansible's callback prints it under diff: true: the URL before and after.
    assert re.search(r'^-\s+"url": "https://shop\.example\.com/health"', result.stdout, re.M), result.stdout
    assert re.search(r'^\+\s+"url": "https://shop\.example\.com/other"', result.stdout, re.M), result.stdout


V6_LAYER_PATHS = {
    'network': 'net/metrics', 'path-vis': 'net/path-vis', 'http-server': 'web/http-server', 'page-load': 'web/page-load',
    'web-transactions': 'web/web-transactions', 'ftp-server': 'web/ftp-server', 'dns-trace': 'dns/trace',
    'dns-server': 'dns/server', 'dnssec': 'dns/dnssec', 'sip-server': 'voice/sip-server', 'rtp-server': 'voice/rtp-stream',
}


def test_every_type(emulator, run_module, api_version):
    # Also the run of every type under the emulator's default v7 answer shapes (flat SIP, no interval): see
    # test_v7_answer_shapes.py for the other readings.
    def task(options):
        return run_module('instant_test', dict(options, name='types-%s' % options['type'], agents=[101]))

    created = [task(options) for options, layers in TYPES]
    for result, (options, layers) in zip(created, TYPES):
        # Each type has exactly its result layers as data links.
        if api_version == 'v6':
            expected_links = ['%s/v6/%s/%s' % (emulator.url, V6_LAYER_PATHS[layer], result['test_id']) for layer in layers]
        else:
            expected_links = ['%s/v7/test-results/%s/%s' % (emulator.url, result['test_id'], layer) for layer in layers]
        assert result['changed'] is True, (options['type'], result)
        assert result['outcome'] == 'created', (options['type'], result)
        assert len(result['data_links']) == len(layers), (options['type'], expected_links, result['data_links'])
        assert set(expected_links) - set(result['data_links']) == set(), (options['type'], expected_links, result['data_links'])

    # The same tasks again: nothing changed the second time, and every type was created once.
    repeated = [task(options) for options, layers in TYPES]
    assert [result for result in repeated if result['changed']] == []
    assert sorted(set(result['outcome'] for result in repeated)) == ['unchanged']
    assert emulator.count('create') == len(TYPES)
    assert len(emulator.writes()) == len(TYPES)

    assert emulator.count('create') == 11
    assert emulator.count('delete') == 0
    # The FTP password went to the API once, and appears nowhere in what the tasks returned.
    bodies = [entry['body'] for entry in emulator.requests('create')]
    assert any('ftp-secret-value' in str(body) for body in bodies)
    assert 'ftp-secret-value' not in json.dumps(created + repeated)


def test_wait_returns_this_runs_results(emulator, run_module):
    # wait on instant_test and instant_test_rerun returns the results of the run the task started, not earlier rounds.
    created = run_module('instant_test', dict(name='wait-a2s', type='agent-to-server', agents=[101, 102], target='www.example.com',
                                              wait=True, wait_timeout=60))
    # The create's own results came back (round IDs are epoch seconds; started_at is UTC).
    assert created['changed'] is True
    assert created['complete']
    assert sorted(result['layer'] for result in created['results']) == ['network', 'path-vis']
    assert sorted(row['agent_id'] for row in created['summary'] if row['layer'] == 'network') == ['101', '102']
    assert min(round_ids(created)) >= int(epoch(created['started_at']))

    # Round IDs are epoch seconds: one second after the last round ended, a new one has a later ID, however busy the machine.
    time.sleep(1)
    rerun = run_module('instant_test_rerun', dict(test_id=created['test_id'], wait=True, wait_timeout=60))
    # Only the rerun's round is returned.
    assert rerun['changed'] is True
    assert rerun['complete']
    assert len(rerun['summary']) == len(created['summary'])
    assert len(set(round_ids(rerun))) == 1
    assert round_ids(rerun)[0] > max(round_ids(created))
    assert len(set(row['roundId'] for result in rerun['results'] for row in result['rows'])) == 1

    # Check mode on the rerun sends nothing and still resolves the test; a test that does not exist fails with its ID.
    rerun_check = run_module('instant_test_rerun', dict(name='wait-a2s'), check_mode=True)
    rerun_unknown = run_module('instant_test_rerun', dict(test_id='999999'))
    assert rerun_check['changed'] is True
    assert rerun_check['test_id'] == created['test_id']
    assert 'started_at' not in rerun_check
    assert rerun_unknown['failed'] is True
    assert '999999' in rerun_unknown['msg']
    assert emulator.count('rerun') == 1
    assert emulator.count('create') == 1


# the out-of-range httpTimeLimit is the point of the test; the schema check still covers everything else
@pytest.mark.schema_expected('request body: httpTimeLimit: 500 is above the maximum 60')
def test_api_validation_errors_reach_the_user(emulator, run_module):
    # A value only the API can judge: the API's own validation message, with the field it names, reaches the user.
    refused = run_module('instant_test', dict(name='refused-http', type='http-server', agents=[101], target='https://www.example.com/',
                                              settings={'httpTimeLimit': 500}))
    assert refused['failed'] is True
    assert 'HTTP 400' in refused['msg']
    assert 'httpTimeLimit' in refused['msg']
    assert refused['status'] == 400
    assert [entry['status'] for entry in emulator.requests('create')] == [400]
    assert emulator.tests() == []
    assert 'Traceback' not in json.dumps(refused)


def test_one_agents_request_per_task(emulator, run_module):
    # One agents request per task at most, whatever mix of agent names, IDs, target agents and wait. Each task below needs
    # the agents for two reasons (names to resolve, and the states of Enterprise agents that do not report while it
    # waits; branch-ams-ea is offline), and lists them once.
    by_name_task = dict(name='agents-once-a2a', type='agent-to-agent', agents=['branch-fra-ea', {'name': 'branch-ams-ea'}, 102],
                        target='Tokyo, Japan', wait=True, wait_timeout=30)
    by_name = run_module('instant_test', by_name_task)
    assert by_name['changed'] is True
    assert emulator.count('list_agents') == 1
    assert sorted(set(agent['agent_id'] for agent in by_name['missing'])) == ['202']
    assert sorted(set(agent['reason'] for agent in by_name['missing'])) == ['offline']

    # Agents by ID only, with wait (the states of Enterprise agents need the listing).
    by_id = run_module('instant_test', dict(name='agents-once-a2s', type='agent-to-server', agents=[201, 202], target='www.example.com',
                                            wait=True, wait_timeout=30))
    assert emulator.count('list_agents') == 2
    assert sorted(set(agent['agent_id'] for agent in by_id['missing'])) == ['202']

    # The same tasks again, unchanged, with wait: one more listing, no write.
    again = run_module('instant_test', by_name_task)
    assert again['changed'] is False
    assert emulator.count('create') == 2
    # Three tasks, each needing names resolved or agent states while waiting: three listings in all.
    assert emulator.count('list_agents') == 3


def test_wait_says_whether_its_rows_are_fresh(emulator, run_module):
    # A wait on an unchanged test returns old rows only with fresh: false (and a warning); run: always runs the unchanged
    # test again, so that the rows are of a round the task started.
    gate_test = dict(name='fresh-gate', type='http-server', agents=[101, 102], target='https://shop.example.com/', wait=True,
                     wait_timeout=60)
    created = run_module('instant_test', gate_test)
    # The create's rows are its own.
    assert created['outcome'] == 'created'
    assert created['fresh'] is True
    assert created['complete']

    # Round IDs are epoch seconds: one second after the last round ended, a new one has a later ID, however busy the machine.
    time.sleep(1)
    stale = run_module('instant_test', gate_test)
    # Unchanged, no round started, and the old rows say so.
    assert stale['changed'] is False
    assert stale['outcome'] == 'unchanged'
    assert stale['fresh'] is False
    assert 'started_at' not in stale
    assert sorted(set(round_ids(stale))) == sorted(set(round_ids(created)))

    gate_check = run_module('instant_test', dict(gate_test, run='always'), check_mode=True)
    # Check mode says it would run the test, and ran nothing.
    assert gate_check['changed'] is True
    assert gate_check['outcome'] == 'rerun'
    assert gate_check['test_id'] == created['test_id']
    assert 'fresh' not in gate_check
    assert emulator.count('rerun') == 0
    assert emulator.count('create') == 1

    gate = run_module('instant_test', dict(gate_test, run='always'))
    # The unchanged test ran again, and the rows are of that round.
    assert gate['changed'] is True
    assert gate['outcome'] == 'rerun'
    assert gate['test_id'] == created['test_id']
    assert gate['fresh'] is True
    assert gate['complete']
    assert min(round_ids(gate)) >= int(epoch(gate['started_at']))
    assert min(round_ids(gate)) > max(round_ids(created))

    rerun = run_module('instant_test_rerun', dict(test_id=created['test_id'], wait=True, wait_timeout=60))
    since_read = run_module('test_results_info', dict(test_id=created['test_id'], since=rerun['started_at']))
    latest_read = run_module('test_results_info', dict(test_id=created['test_id']))
    # A rerun's rows and a since read are fresh; a plain read makes no claim.
    assert rerun['fresh'] is True
    assert since_read['fresh'] is True
    assert len(since_read['rounds']) > 0
    assert 'fresh' not in latest_read

    # One create, then run: always and instant_test_rerun each ran the test once; check mode ran nothing.
    assert emulator.count('create') == 1
    assert emulator.count('rerun') == 2
    assert emulator.count('delete') == 0
    # The unchanged task's warning: why the rows are old, how old, and the option that gives a new round. No other task
    # returned one.
    results = [created, stale, gate_check, gate, rerun, since_read, latest_read]
    warned = ' '.join(' '.join(result.get('warnings', [])) for result in results)
    assert 'fresh: false: test %s is unchanged and run is on_create' % emulator.tests()[0]['testId'] in ' '.join(stale['warnings'])
    assert re.search(r'the round that started at \S+Z, \d+ s ago\. Set run: always', warned.replace('\n', ' ')), warned
    assert json.dumps(results).count('fresh: false') == 1


def test_offline_agents_fail_at_once_or_are_warned_about(emulator, run_module):
    # Agents that cannot report. branch-ams-ea (202) is offline in the emulator's seed, Frankfurt (101) is a Cloud agent.
    emulator.configure(result_delay=1)
    offline_task = dict(name='offline-only', type='agent-to-server', agents=['branch-ams-ea'], target='www.example.com', wait=True,
                        wait_timeout=600)
    by_name = run_module('instant_test', offline_task)
    # The agents listing showed the state, so nothing was created.
    assert by_name['failed'] is True
    assert by_name['changed'] is False
    assert 'wait: none of the agents can report' in by_name['msg']
    assert 'branch-ams-ea (202) is offline' in by_name['msg']
    assert 'Nothing was created or run' in by_name['msg']
    assert emulator.writes() == []

    # The same by agent ID (no listing before the create), waiting far longer than results could take; then the same test
    # read with test_results_info, waiting as long. Both fail at their first poll, naming the agent and its state, and
    # the test stays in place.
    by_id = run_module('instant_test', dict(offline_task, agents=[202]))
    offline_read = run_module('test_results_info', dict(test_id=by_id['test_id'], type='agent-to-server', wait=True, wait_timeout=600))
    assert by_id['failed'] is True
    assert by_id['changed'] is True
    assert by_id['outcome'] == 'created'
    assert len(by_id['test_id']) > 0
    assert 'None of the agents of test %s can report' % by_id['test_id'] in by_id['msg']
    assert 'branch-ams-ea (202) is offline' in by_id['msg']
    assert 'The test itself is in place' in by_id['msg']
    assert offline_read['failed'] is True
    assert 'branch-ams-ea (202) is offline' in offline_read['msg']
    assert [agent['state'] for agent in offline_read['agents']] == ['offline']

    # A test with an online and an offline agent waits for the online agent only.
    mixed = run_module('instant_test', dict(name='offline-and-online', type='agent-to-server', agents=['Frankfurt, Germany', 'branch-ams-ea'],
                                            target='www.example.com', wait=True, wait_timeout=600))
    assert mixed['failed'] is False
    assert mixed['complete']
    assert mixed['fresh'] is True
    assert sorted(set(row['agent_id'] for row in mixed['summary'])) == ['101']
    assert sorted(set(agent['reason'] for agent in mixed['missing'])) == ['offline']
    assert sorted(set(agent['agent_id'] for agent in mixed['missing'])) == ['202']

    assert emulator.count('create') == 2
    offline_only = [test for test in emulator.tests() if test['testName'] == 'offline-only'][0]
    # No polling for a test that cannot report: instant_test and test_results_info read each layer once, then stopped.
    reads = [entry for entry in emulator.requests('results') if re.search(r'\b%s\b' % offline_only['testId'], entry['path'])]
    assert len(reads) == 2 * 2, [entry['path'] for entry in reads]  # two layers (network, path-vis), two tasks
    flat = ' '.join(' '.join(mixed['warnings']).split())
    assert 'branch-ams-ea (202) is offline, so the results have no rows from it; the wait covered the other agents only' in flat


def test_unreturned_settings_never_recreate(emulator, run_module, api_version):
    # settings the API takes but never returns in a definition (v6: alertsEnabled, ignored by the instant API; v7: labels,
    # "not returned for Instant Tests") next to one it returns. The same task twice is one create: the unreturned key is
    # never taken for a change. An international host goes to the API as punycode.
    settings = {'httpTimeLimit': 10, 'alertsEnabled': 0} if api_version == 'v6' else {'httpTimeLimit': 10, 'labels': ['1']}
    settings_test = dict(name='settings-unreturned', type='http-server', agents=[101], target='https://shop.example.com/', settings=settings)
    first = run_module('instant_test', settings_test)
    second = run_module('instant_test', settings_test)
    # Created once, then left alone.
    assert first['outcome'] == 'created'
    assert second['outcome'] == 'unchanged'
    assert second['changed'] is False
    assert second['test_id'] == first['test_id']

    # An international host name, in check mode: sent as punycode.
    idn = run_module('instant_test', dict(name='settings-idn', type='http-server', agents=[101], target='https://bücher.example/katalog'),
                     check_mode=True)
    assert idn['payload']['url'] == 'https://xn--bcher-kva.example/katalog'
    # An international host of an agent-to-server test, in check mode: sent as punycode too.
    idn_server = run_module('instant_test', dict(name='settings-idn-server', type='agent-to-server', agents=[101], target='bücher.example:443'),
                            check_mode=True)
    assert idn_server['payload']['server'] in ['xn--bcher-kva.example', 'xn--bcher-kva.example:443']

    assert emulator.count('create') == 1
    assert emulator.count('delete') == 0
