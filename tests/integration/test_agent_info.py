# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""agent_info against the emulator, for both API versions."""

from __future__ import annotations

import pytest


def test_agent_info_lists_and_filters(emulator, run_playbook, api_version):
    run_playbook('agent_info.yml')
    agent_requests = emulator.requests('list_agents')
    # One agents request per task (five tasks), each in the version asked for, none of them a write.
    assert len(agent_requests) == 5
    assert {entry['version'] for entry in agent_requests} == {api_version}
    assert emulator.writes() == []
    # The type filter is sent to the API rather than applied after a full listing.
    assert any('agentTypes' in (entry.get('query') or {}) for entry in agent_requests)


# No version is named, so the api_version parameter would only repeat the same run: once is enough.
@pytest.mark.parametrize('api_version', ['v7'])
def test_a_playbook_that_names_no_version_talks_v7(emulator, run_playbook, playbook_env):
    del playbook_env['TE_API_VERSION']  # run_playbook copies this environment when it runs
    run_playbook('agent_info.yml')
    assert {entry['version'] for entry in emulator.requests()} == {'v7'}


def test_local_problems_are_read_once_on_v7_and_never_on_v6(emulator, run_module, api_version):
    """v7 lists the Cloud Agents that ThousandEyes flags (GET /agents/local-problems); v6 has no such call."""
    emulator.configure(local_problems={'102': 600})
    result = run_module('agent_info', {'type': ['cloud'], 'local_problems': True})
    assert not result['failed'] and not result['changed']
    flags = dict((agent['id'], agent['local_problem']) for agent in result['agents'])
    problem_calls = [entry for entry in emulator.requests() if entry['path'].split('?')[0].endswith('/agents/local-problems')]
    if api_version == 'v7':
        assert flags['102']['active'] is True and flags['102']['duration'] == 600 and flags['102']['start_date']
        assert all(problem is None for agent, problem in flags.items() if agent != '102')
        assert len(problem_calls) == 1
    else:
        assert set(flags.values()) == {None}
        assert problem_calls == []
    # Without the option nothing more is read and the agents carry no such key.
    before = len(emulator.requests())
    plain = run_module('agent_info', {'type': ['cloud']})
    assert 'local_problem' not in plain['agents'][0]
    assert not [entry for entry in emulator.requests()[before:] if 'local-problems' in entry['path']]
