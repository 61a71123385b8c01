# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""agent_info against the emulator, for both API versions, run in-process (module_runner.py).

The diagnose role lists its agents with agent_info in every playbook run of test_diagnose.py, on both API versions:
that is the module's run through ansible-playbook.
"""

from __future__ import annotations

import pytest

# What a playbook lists and filters: every agent, Cloud agents in Germany, agents by wildcard name, offline agents, and an
# account group the user is not assigned to (the last one fails).
TASKS = {
    'all_agents': {},
    'german_cloud': {'type': 'cloud', 'country': ['de']},
    'frankfurt': {'name': 'frankfurt*'},
    'offline': {'state': 'offline'},
    'forbidden': {'account_group_id': '9999'},
}


def list_and_filter(run_module, env=None):
    """Run agent_info with each task's arguments; every task but the forbidden one must succeed."""
    found = dict((key, run_module('agent_info', args, env=env)) for key, args in TASKS.items())
    for key, result in found.items():
        if key != 'forbidden' and result['failed']:
            pytest.fail('agent_info %s failed: %s' % (TASKS[key], result['msg']))
    return found


def agent(result, agent_id):
    """The first agent with this ID in a listing."""
    return [item for item in result['agents'] if item['id'] == agent_id][0]


def test_agent_info_lists_and_filters(emulator, run_module, api_version):
    found = list_and_filter(run_module)
    all_agents, german_cloud, frankfurt, offline = found['all_agents'], found['german_cloud'], found['frankfurt'], found['offline']
    # Check the answers.
    assert all_agents['changed'] is False
    assert len(all_agents['agents']) == 14
    assert [item['id'] for item in all_agents['agents']].count('101') == 1
    assert agent(all_agents, '201')['ip_addresses'] == ['10.10.0.5', '10.10.1.5']
    assert agent(all_agents, '203')['type'] == 'enterprise-cluster'
    assert sorted(item['id'] for item in german_cloud['agents']) == ['101', '108']
    assert list(dict.fromkeys(item['state'] for item in german_cloud['agents'])) == ['online']
    assert [item['name'] for item in frankfurt['agents']] == ['Frankfurt, Germany', 'Frankfurt, Germany (Azure)']
    assert [item['name'] for item in offline['agents']] == ['branch-ams-ea']
    assert sorted(all_agents['agents'][0]) == ['addresses', 'country', 'enabled', 'id', 'ip_addresses', 'location', 'name', 'network',
                                               'public_ip_addresses', 'state', 'type']
    assert agent(all_agents, '201')['network'] == 'Example Networks (AS 64500)'
    assert agent(all_agents, '101')['network'] is None
    # The failure names the account group and the permission.
    forbidden = found['forbidden']
    assert forbidden['failed'] is True
    assert '9999' in forbidden['msg']
    assert 'HTTP 403' in forbidden['msg']
    assert 'Traceback' not in forbidden.get('msg', '')

    agent_requests = emulator.requests('list_agents')
    # One agents request per task (five tasks), each in the version asked for, none of them a write.
    assert len(agent_requests) == 5
    assert {entry['version'] for entry in agent_requests} == {api_version}
    assert emulator.writes() == []
    # The type filter is sent to the API rather than applied after a full listing.
    assert any('agentTypes' in (entry.get('query') or {}) for entry in agent_requests)


# No version is named, so the api_version parameter would only repeat the same run: once is enough.
@pytest.mark.parametrize('api_version', ['v7'])
def test_a_playbook_that_names_no_version_talks_v7(emulator, run_module):
    list_and_filter(run_module, env={'TE_API_VERSION': None})  # no TE_API_VERSION in the environment
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
