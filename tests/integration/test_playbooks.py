# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The job template entry points in playbooks/, run as a user runs them, on API v7.

The API version changes nothing here that another test does not run on v6: the role on v6 runs in
test_diagnose.py::TestThreeTargets, a rerun by name on v6 in test_instant_test.py (instant_test_lifecycle.yml), and the
checks of playbooks/diagnose.yml stop before any request.
"""

from __future__ import annotations

import pytest

from conftest import COLLECTION_ROOT


@pytest.mark.parametrize('api_version', ['v7'])
def test_diagnose_then_rerun_one_of_its_tests(emulator, run_playbook):
    run_playbook(str(COLLECTION_ROOT / 'playbooks' / 'diagnose.yml'),
                 extra_vars={'diagnose_targets': ['api.example.com'], 'diagnose_agents': ['Frankfurt, Germany']})
    created = emulator.count('create')
    assert created == 2  # agent-to-server and dns-trace for a host

    result = run_playbook(str(COLLECTION_ROOT / 'playbooks' / 'rerun.yml'),
                          extra_vars={'rerun_test_name': 'diagnose dns-trace api.example.com from 101'},
                          env={'ANSIBLE_SHOW_CUSTOM_STATS': 'true'})
    assert emulator.count('rerun') == 1
    assert emulator.count('create') == created
    # The artifact a workflow reads, with this run's verdict.
    stats = result.output[result.output.index('CUSTOM STATS'):]
    assert 'thousandeyes_rerun' in stats and '"verdict": "ok"' in stats

    missing = run_playbook(str(COLLECTION_ROOT / 'playbooks' / 'rerun.yml'), extra_vars={'rerun_test_name': 'no such test'},
                           expect_rc=2)
    assert "no test named 'no such test'" in missing.output
    assert emulator.count('rerun') == 1


@pytest.mark.parametrize('api_version', ['v7'])
@pytest.mark.parametrize('extra_vars, variable', [
    ({'diagnose_agents': ['Tokyo, Japan']}, 'diagnose_targets'),
    ({}, 'diagnose_targets'),
    ({'diagnose_targets': ['https://shop.example.com/health']}, 'diagnose_agents'),
    ({'diagnose_targets': [], 'diagnose_agents': ['Tokyo, Japan']}, 'diagnose_targets'),
])
def test_diagnose_without_targets_or_agents_stops_before_any_request(emulator, run_playbook, extra_vars, variable):
    result = run_playbook(str(COLLECTION_ROOT / 'playbooks' / 'diagnose.yml'), extra_vars=extra_vars, expect_rc=2)
    assert '%s is not set: give the URLs or host names to test and the agents' % variable in result.output
    assert 'Nothing was sent to ThousandEyes.' in result.output
    assert emulator.requests() == []
    assert emulator.tests() == []
