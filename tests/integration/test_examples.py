# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EXAMPLES of every module, exactly as ansible-doc shows them, run against the emulator for both API versions.

They run in one play, in the order below, because later examples use the tests that earlier ones create (the
rerun examples rerun the test the instant_test examples made, and so on). On v6 the play is the only playbook run of
agent_info's type filter and of test_results_info's window and fixed time range (test_agent_info.py runs on v7), so it
runs for both versions; the example gate runs on v7 (its check is Jinja on the module's summary, whatever the version).
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys

import pytest
import yaml

MODULES = ('agent_info', 'instant_test', 'instant_test_rerun', 'test_results_info')


@functools.lru_cache(maxsize=None)
def examples_text(module):
    """The module's EXAMPLES as ansible-doc reads them from the installed collection (once per module and worker)."""
    answer = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-doc'), '--json', 'netdiag.thousandeyes.' + module],
                            capture_output=True, text=True, check=True, timeout=120)
    return json.loads(answer.stdout)['netdiag.thousandeyes.' + module]['examples']


def examples(module):
    return yaml.safe_load(examples_text(module))


def test_every_example_runs(emulator, run_playbook, playbook_env, tmp_path):
    tasks = []
    for module in MODULES:
        tasks.extend(examples(module))
    play = [{'name': 'The modules\' EXAMPLES', 'hosts': 'localhost', 'gather_facts': False,
             'vars': {'te_token': playbook_env['TE_TOKEN']}, 'tasks': tasks}]
    path = tmp_path / 'examples.yml'
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    run_playbook(str(path))
    # Every example did its work against the emulator: tests were created, rerun and read.
    assert emulator.count('create') >= 3
    assert emulator.count('rerun') >= 2
    assert emulator.count('results') >= 1
    # The api example (an API health check in two steps) sets api_version: v7, so it runs in both versions' plays.
    assert [entry for entry in emulator.requests('create') if entry['path'].startswith('/v7/tests/api/instant')]


@pytest.mark.parametrize('api_version', ['v7'])
def test_the_example_gate_fails_on_loss(emulator, run_playbook, playbook_env, tmp_path):
    # A summary row's ok ignores loss: the documented gate must check loss itself and fail at 20 % loss.
    by_name = dict((task['name'], task) for task in examples('instant_test'))
    create = next(task for name, task in by_name.items() if name.startswith('CI gate'))
    gate = next(task for name, task in by_name.items() if name.startswith('Fail the pipeline'))
    emulator.configure(scenarios={'shop.example.com': {'fault': 'hop', 'hop': 2, 'loss': 20.0, 'agents': 'all'}})
    play = [{'name': 'The example gate at 20 % loss', 'hosts': 'localhost', 'gather_facts': False,
             'vars': {'te_token': playbook_env['TE_TOKEN']}, 'tasks': [create, gate]}]
    path = tmp_path / 'gate.yml'
    path.write_text(yaml.safe_dump(play, sort_keys=False))
    result = run_playbook(str(path), expect_rc=2)
    assert 'lossy: Frankfurt, Germany' in result.output
    assert emulator.count('create') == 1
