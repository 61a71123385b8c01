# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Concurrency, for both API versions: eight ansible-playbook processes started together create the same test.

The race needs separate processes (eight runs at once make one test); the run after it is a single task, run in-process.

With the API's unique test names (the emulator's default) the emulator ends with one test, and every run returns it or
fails with a clear message. Without them the API does not refuse, several tests may exist, and the next run fails
listing their IDs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

import pytest

# Eight playbooks racing each other: a busy CPU beside them changes the race.
pytestmark = pytest.mark.serial

RUNS = 8
TEST_LIST = r'^/v[67]/tests(\.json)?$'
RESULT = re.compile(r'concurrent-run test_id=(\d+) outcome=(\w+)')


@pytest.fixture
def start_together(emulator, api_version, playbook_env, tmp_path):
    """Start RUNS copies of concurrency.yml behind a start barrier; return [(rc, output)] once all have ended."""

    def run():
        playbook = os.path.join(os.path.dirname(__file__), 'playbooks', 'concurrency.yml')
        command = shutil.which('ansible-playbook') or os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
        processes = []
        try:
            for run_id in range(RUNS):
                variables = {'barrier_dir': str(tmp_path), 'run_id': run_id}
                processes.append(subprocess.Popen([command, playbook, '-e', json.dumps(variables)], env=playbook_env,
                                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
            deadline = time.monotonic() + 300
            while len(list(tmp_path.glob('ready-*'))) < RUNS:
                assert time.monotonic() < deadline, 'the runs did not all reach the start barrier'
                assert all(process.poll() is None for process in processes), 'a run ended before the start barrier'
                time.sleep(0.2)
            (tmp_path / 'go').touch()
            return [(process.wait(timeout=300), process.stdout.read()) for process in processes]
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait(timeout=30)
                process.stdout.close()

    return run


def widen_the_race(emulator):
    # Every run's first look at the test list answers late (with the list as it was when asked), so that all runs
    # decide to create before the first create lands: the race the test is about, every time.
    emulator.fault(action='slow', delay=5, method='GET', path=TEST_LIST, times=RUNS)


def test_eight_runs_at_once_make_one_test(emulator, start_together):
    widen_the_race(emulator)
    runs = start_together()
    tests = emulator.tests()
    assert len(tests) == 1
    test_id = str(tests[0]['testId'])
    outcomes = []
    for rc, output in runs:
        assert 'Traceback' not in output
        found = RESULT.search(output)
        if rc == 0:
            assert found and found.group(1) == test_id, output
            outcomes.append(found.group(2))
        else:
            assert 'fatal:' in output and '"msg":' in output, output
    # At least the winner succeeded; the others found its test or adopted it when the API refused their create.
    assert outcomes.count('created') == 1 and len(outcomes) >= 1
    creates = emulator.requests('create')
    assert [entry['status'] for entry in creates].count(201) == 1
    assert all(entry['status'] == 400 for entry in creates if entry['status'] != 201)


def test_without_unique_names_several_tests_and_the_next_run_lists_them(emulator, start_together, run_module):
    emulator.configure(unique_test_names=False)
    widen_the_race(emulator)
    runs = start_together()
    test_ids = sorted(str(test['testId']) for test in emulator.tests())
    # The API does not refuse a second test with the same name, so every run that raced created its own. A run that a
    # busy machine slowed past the first creates lists one of them and returns it (or, listing several, fails).
    assert len(test_ids) >= 2
    reported = [RESULT.search(output).groups() for rc, output in runs if rc == 0]
    assert sorted(test_id for test_id, outcome in reported if outcome == 'created') == test_ids
    assert set(test_id for test_id, outcome in reported) <= set(test_ids)

    # The next run, after the race, alone: one task, run in-process.
    following = run_module('instant_test', {'name': 'concurrent-http', 'type': 'http-server', 'agents': [101, 102],
                                            'target': 'https://shop.example.com/health'})
    assert following['failed'] is True and '%d tests are named' % len(test_ids) in following['msg']
    assert all(test_id in following['msg'] for test_id in test_ids)
    assert len(emulator.tests()) == len(test_ids)
