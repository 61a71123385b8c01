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
