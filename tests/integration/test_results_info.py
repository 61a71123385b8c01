# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""test_results_info (and instant_test's wait) against the emulator, for both API versions, run in-process
(module_runner.py) task after task as a playbook would run them.

The completion rule under test: a run is complete when every agent that CAN report has a row in a round at or after
`since` in every layer. The offline Enterprise agent 202 (branch-ams-ea) does not hold the wait: it is listed in `missing`
with reason offline and the result is still complete.

The module's runs through ansible-playbook are the diagnose role's (test_diagnose.py), on both API versions.
"""

from __future__ import annotations

import numbers
import re

import pytest

SUMMARY_KEYS = ['agent_id', 'agent_name', 'availability', 'completion', 'country', 'date', 'direction', 'dns_ok', 'error', 'hops',
                'jitter', 'latency', 'latency_max', 'latency_min', 'layer', 'loss', 'mos', 'ok', 'response_code', 'response_time',
                'round_id', 'server', 'server_ip', 'total_time', 'dns_time', 'connect_time', 'ssl_time', 'wait_time', 'receive_time', 'link']


def unique(values):
    """Jinja's unique: the values without repeats, in their first order."""
    return list(dict.fromkeys(values))


def numbers_of(rows, key, layer=None):
    """The values of ``key`` that are numbers, in the rows of ``layer`` (all rows without one)."""
    return [row[key] for row in rows if (layer is None or row['layer'] == layer) and isinstance(row[key], numbers.Number)]


def test_results_info(emulator, run_module):
    def task(name, args):
        """A task without ignore_errors: a failure ends the run, as it ends a playbook."""
        result = run_module(name, args)
        if result['failed']:
            pytest.fail('%s %s failed: %s' % (name, args, result['msg']))
        return result

    # Every agent can report ------------------------------------------------------------------------------------------------
    a2s = task('instant_test', dict(name='results-info-a2s', type='agent-to-server', agents=[101, 'London, England'],
                                    target='example.com', wait=False))
    a2s_results = task('test_results_info', dict(test_id=a2s['test_id'], since=a2s['started_at'], wait=True, wait_timeout=60))
    # Both agents reported in both layers, with the normalised summary keys.
    summary = a2s_results['summary']
    assert a2s_results['changed'] is False
    assert a2s_results['complete']
    assert a2s_results['test_id'] == a2s['test_id']
    assert a2s_results['missing'] == []
    assert len(a2s_results['data_links']) == 2
    assert sorted(result['layer'] for result in a2s_results['results']) == ['network', 'path-vis']
    assert min(len(result['rows']) for result in a2s_results['results']) >= 2
    assert len(summary) == 4
    assert sorted(unique(row['agent_id'] for row in summary)) == ['101', '102']
    assert sorted(unique(row['layer'] for row in summary)) == ['network', 'path-vis']
    assert unique(tuple(sorted(row)) for row in summary) == [tuple(sorted(SUMMARY_KEYS))]
    assert min(row['date'] for row in summary) >= a2s['started_at']
    assert len([row for row in summary if re.match('^[0-9]+-[0-9]+-[0-9]+T[0-9]+:[0-9]+:[0-9]+Z$', row['date'])]) == 4
    assert len(numbers_of(summary, 'loss', 'network')) == 2
    assert len(numbers_of(summary, 'latency', 'network')) == 2
    assert len(numbers_of(summary, 'hops', 'path-vis')) == 2
    assert numbers_of(summary, 'response_code') == []
    assert unique(row['ok'] for row in summary) == [True]
    assert len(a2s_results['rounds']) >= 1

    # An offline agent does not hold the wait -------------------------------------------------------------------------------
    offline = task('instant_test', dict(name='results-info-offline', type='http-server', agents=[101, 'branch-ams-ea'],
                                        target='https://www.example.com/', wait=False))
    offline_results = task('test_results_info', dict(test_id=offline['test_id'], type='http-server', since=offline['started_at'],
                                                     wait=True, wait_timeout=60))
    # The run is complete and the offline agent is listed as missing in every layer.
    missing = offline_results['missing']
    http_rows = [row for row in offline_results['summary'] if row['layer'] == 'http-server']
    assert offline_results['complete']
    assert unique(row['agent_id'] for row in offline_results['summary']) == ['101']
    assert unique(item['agent_id'] for item in missing) == ['202']
    assert unique(item['agent_name'] for item in missing) == ['branch-ams-ea']
    assert unique(item['reason'] for item in missing) == ['offline']
    assert sorted(item['layer'] for item in missing) == sorted(result['layer'] for result in offline_results['results'])
    assert [row['response_code'] for row in http_rows] == [200]
    assert [row['ok'] for row in http_rows] == [True]

    # A timeout returns what arrived ----------------------------------------------------------------------------------------
    emulator.configure(result_delay=60)  # results arrive long after the run
    slow = task('instant_test', dict(name='results-info-slow', type='dns-trace', agents=[101], target='example.com', wait=False))
    slow_results = run_module('test_results_info', dict(test_id=slow['test_id'], since=slow['started_at'], wait=True, wait_timeout=1))
    # The timeout is not an error and reports an incomplete result.
    assert slow_results['failed'] is False, slow_results
    assert not slow_results['complete']
    assert slow_results['summary'] == []
    assert [result['layer'] for result in slow_results['results']] == ['dns-trace']
    assert [result['rows'] for result in slow_results['results']] == [[]]
    assert len(slow_results['missing']) == 1
    assert slow_results['missing'][0]['agent_id'] == '101'
    assert slow_results['missing'][0]['layer'] == 'dns-trace'
    assert slow_results['missing'][0]['reason'] == 'timeout'
    emulator.configure(result_delay=1)  # results one second after each run again

    # Several tests in one task ---------------------------------------------------------------------------------------------
    both = task('test_results_info', dict(tests=[{'test': a2s['test'], 'since': a2s['started_at']},
                                                 {'test_id': offline['test_id'], 'type': 'http-server', 'since': offline['started_at']}],
                                          wait=True, wait_timeout=60))
    # Both came back in order, each like a single read.
    assert both['complete']
    assert [item['test_id'] for item in both['tests']] == [a2s['test_id'], offline['test_id']]
    assert unique(row['round_id'] for row in both['tests'][0]['summary']) == a2s_results['rounds']
    assert unique(item['agent_name'] for item in both['tests'][1]['missing']) == ['branch-ams-ea']
    assert 'summary' not in both

    # Lookup by name --------------------------------------------------------------------------------------------------------
    # The network results of the first test by name, since its round given in epoch seconds.
    by_name = task('test_results_info', dict(name='results-info-a2s', type='agent-to-server', layers=['network'],
                                             since=min(a2s_results['rounds'])))
    assert by_name['test_id'] == a2s['test_id']
    assert by_name['complete']
    assert [result['layer'] for result in by_name['results']] == ['network']
    assert unique(row['layer'] for row in by_name['summary']) == ['network']
    assert sorted(row['agent_id'] for row in by_name['summary']) == ['101', '102']
    assert unique(row['round_id'] for row in by_name['summary']) == a2s_results['rounds']

    # A test name that does not exist: the failure names the test and the closest names.
    unknown = run_module('test_results_info', dict(name='results-info-a2z'))
    assert unknown['failed'] is True, unknown
    assert re.search("no test named 'results-info-a2z'", unknown['msg'])
    assert re.search('results-info-a2s', unknown['msg'])

    # A negative wait_timeout is refused, naming the option.
    negative = run_module('test_results_info', dict(test_id=a2s['test_id'], wait=True, wait_timeout=-1))
    assert negative['failed'] is True, negative
    assert re.search('wait_timeout must be 0 or more', negative['msg'])

    # Reading results never writes: the only writes are the three creates of this test.
    assert [entry['operation'] for entry in emulator.writes()] == ['create', 'create', 'create']
    # Polls use the org budget only: nothing was refused with a 429.
    assert not [entry for entry in emulator.requests() if entry['status'] == 429]
