# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""instant_test and instant_test_rerun against the emulator, for both API versions."""

from __future__ import annotations

import re

import pytest


def test_lifecycle(emulator, run_playbook, api_version):
    run_playbook('instant_test_lifecycle.yml')
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


def test_every_type(emulator, run_playbook):
    # Also the run of every type under the emulator's default v7 answer shapes (flat SIP, no interval): see
    # test_v7_answer_shapes.py for the other readings.
    result = run_playbook('instant_test_types.yml', args=['-v'])
    assert emulator.count('create') == 11
    assert emulator.count('delete') == 0
    # The FTP password went to the API once, and appears nowhere in the playbook output.
    bodies = [entry['body'] for entry in emulator.requests('create')]
    assert any('ftp-secret-value' in str(body) for body in bodies)
    assert 'ftp-secret-value' not in result.output


def test_wait_returns_this_runs_results(emulator, run_playbook):
    run_playbook('instant_test_wait.yml')
    assert emulator.count('create') == 1
    assert emulator.count('rerun') == 1


# the out-of-range httpTimeLimit is the point of the test; the schema check still covers everything else
@pytest.mark.schema_expected('request body: httpTimeLimit: 500 is above the maximum 60')
def test_api_validation_errors_reach_the_user(emulator, run_playbook):
    result = run_playbook('api_validation_error.yml')
    assert [entry['status'] for entry in emulator.requests('create')] == [400]
    assert emulator.tests() == []
    assert 'Traceback' not in result.output


def test_one_agents_request_per_task(emulator, run_playbook):
    run_playbook('instant_test_agents_once.yml')
    # Three tasks, each needing names resolved or agent states while waiting: three listings in all.
    assert emulator.count('list_agents') == 3


def test_wait_says_whether_its_rows_are_fresh(emulator, run_playbook):
    result = run_playbook('instant_test_fresh.yml')
    # One create, then run: always and instant_test_rerun each ran the test once; check mode ran nothing.
    assert emulator.count('create') == 1
    assert emulator.count('rerun') == 2
    assert emulator.count('delete') == 0
    # The unchanged task's warning: why the rows are old, how old, and the option that gives a new round.
    assert 'fresh: false: test %s is unchanged and run is on_create' % emulator.tests()[0]['testId'] in result.output
    assert re.search(r'the round that started at \S+Z, \d+ s ago\. Set run: always', result.output.replace('\n', ' ')), result.output
    assert result.output.count('fresh: false') == 1


def test_offline_agents_fail_at_once_or_are_warned_about(emulator, run_playbook):
    emulator.configure(result_delay=1)
    result = run_playbook('instant_test_offline_agents.yml')
    assert emulator.count('create') == 2
    offline_only = [test for test in emulator.tests() if test['testName'] == 'offline-only'][0]
    # No polling for a test that cannot report: instant_test and test_results_info read each layer once, then stopped.
    reads = [entry for entry in emulator.requests('results') if re.search(r'\b%s\b' % offline_only['testId'], entry['path'])]
    assert len(reads) == 2 * 2, [entry['path'] for entry in reads]  # two layers (network, path-vis), two tasks
    flat = ' '.join(result.output.split())
    assert 'branch-ams-ea (202) is offline, so the results have no rows from it; the wait covered the other agents only' in flat


def test_unreturned_settings_never_recreate(emulator, run_playbook):
    run_playbook('instant_test_settings.yml')
    assert emulator.count('create') == 1
    assert emulator.count('delete') == 0
