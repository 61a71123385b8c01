#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: agent_info
short_description: List ThousandEyes agents
version_added: 1.0.0
description:
  - Lists the Cloud and Enterprise agents of an account group, filtered by name, type, country and state.
  - Use it to pick the agents of an instant test, or to check that an Enterprise agent is online before testing from it.
author:
  - Netdiag maintainers (@netdiag)
options:
  name:
    description:
      - Only agents whose name matches. Case-insensitive; shell-style wildcards (V(*), V(?)) are allowed.
      - A list keeps agents that match any of the names.
      - Agent names contain commas, and Ansible splits a string given for a list option at every comma; give each name as one
        list item, the name in quotes. Pieces of a split name fail the task with the name to give.
    type: list
    elements: str
  type:
    description:
      - Only agents of these types. The API filters by type, so this also makes the answer smaller.
    type: list
    elements: str
    choices: [cloud, enterprise, enterprise-cluster]
  country:
    description:
      - Only agents in these countries, as ISO 3166 alpha-2 codes such as V(DE) (case-insensitive) or as country names such as
        V(Germany), which the module maps to their codes.
      - A value that is neither fails the task and lists the country codes of the account group's agents.
    type: list
    elements: str
  state:
    description:
      - Only agents in these states. Cloud agents are always V(online).
    type: list
    elements: str
    choices: [online, offline, disabled]
  local_problems:
    description:
      - Also read which Cloud Agents ThousandEyes flags with an active local problem (agent-side impairment that ThousandEyes
        detects itself), and give each agent RV(agents[].local_problem).
      - API v7 only, one more request (C(GET /agents/local-problems)); API v6 has no such list, and every agent's
        RV(agents[].local_problem) is then null.
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - netdiag.thousandeyes.connection
  - netdiag.thousandeyes.attributes
  - netdiag.thousandeyes.attributes.info_module
seealso:
  - module: netdiag.thousandeyes.instant_test
'''

EXAMPLES = r'''
- name: List every agent of the account group
  netdiag.thousandeyes.agent_info:
    token: "{{ te_token }}"
  register: all_agents

- name: Online Enterprise agents in Germany, connection options set once for the play
  module_defaults:
    group/netdiag.thousandeyes.thousandeyes:
      token: "{{ te_token }}"
      account_group_id: "1234"
  netdiag.thousandeyes.agent_info:
    type: [enterprise, enterprise-cluster]
    country: [DE]
    state: [online]
  register: german_agents

- name: Cloud agents whose name starts with Frankfurt
  netdiag.thousandeyes.agent_info:
    name: "Frankfurt*"
    type: cloud
  register: frankfurt

- name: Show their IDs
  ansible.builtin.debug:
    msg: "{{ frankfurt.agents | map(attribute='id') | list }}"
'''

RETURN = r'''
waited:
  description:
    - Seconds this task spent waiting, per reason. V(organization_rate_limit) and V(instant_test_rate_limit) are the waits for
      the reset of that rate-limit budget (after a 429, or before a request when the budget is known to be empty);
      V(results) is the time spent polling for results; V(retries) the pauses before a read was sent again.
    - A rate-limit wait of more than 5 seconds also gives a warning that names the budget and when it reset.
    - The rate-limit waits of a task together are bounded by O(rate_limit_max_wait).
  returned: always, also when the task fails
  type: dict
  sample: {"organization_rate_limit": 0.0, "instant_test_rate_limit": 61.3, "results": 24.0, "retries": 0.0}
agents:
  description: The agents that pass every filter, sorted by name then ID.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The agent ID, as a string for both API versions.
      type: str
      sample: "101"
    name:
      description: The agent name.
      type: str
      sample: Frankfurt, Germany
    type:
      description: V(cloud), V(enterprise) or V(enterprise-cluster).
      type: str
      sample: cloud
    country:
      description: ISO 3166 alpha-2 country code.
      type: str
      sample: DE
    location:
      description: Where the agent is.
      type: str
      sample: Frankfurt Area, Germany
    state:
      description: V(online), V(offline) or V(disabled). Cloud agents are reported V(online).
      type: str
      sample: online
    addresses:
      description: The agent's IP addresses followed by its public addresses.
      type: list
      elements: str
      sample: ["104.28.10.11"]
    ip_addresses:
      description: The agent's own IP addresses; one of them can be an instant test's C(source_ip).
      type: list
      elements: str
      sample: ["10.10.0.5", "10.10.1.5"]
    public_ip_addresses:
      description: The public addresses of an Enterprise agent.
      type: list
      elements: str
      sample: ["198.51.100.7"]
    enabled:
      description: Whether an Enterprise agent is enabled; null for Cloud agents.
      type: bool
      sample: true
    network:
      description:
        - The network (with its AS number) of an Enterprise agent's public address, as the API lists it; null for Cloud agents.
        - The diagnose role counts a hop of this network as the agent's own network when it places a fault.
      type: str
      sample: Example Networks (AS 64500)
    local_problem:
      description:
        - With O(local_problems=true) on API v7, the active local problem that ThousandEyes flags on this Cloud Agent, with
          C(start_date) (ISO 8601, UTC), C(duration) (seconds) and C(active); null when it flags none.
        - The diagnose role says so in the evidence of the agent, and places a breach seen only by flagged agents in
          the agents' own network.
      returned: when O(local_problems=true)
      type: dict
      sample: {"start_date": "2026-12-07T15:02:00Z", "duration": 600, "active": true}
'''

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._agents import filter_agents
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.base import AGENT_STATES, AGENT_TYPES
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._module import module_argument_spec, run_module


def argument_spec():
    """This module's options (documented above), with the connection options."""
    return module_argument_spec(dict(
        name=dict(type='list', elements='str'),
        type=dict(type='list', elements='str', choices=list(AGENT_TYPES)),
        country=dict(type='list', elements='str'),
        state=dict(type='list', elements='str', choices=list(AGENT_STATES)),
        local_problems=dict(type='bool', default=False),
    ))


def list_agents(module, client):
    params = module.params
    agents = filter_agents(client.agents, names=params['name'], countries=params['country'], states=params['state'],
                           agent_types=params['type'])
    if params['local_problems']:
        problems = client.api.local_problems() or {}
        agents = [dict(agent, local_problem=problems.get(str(agent['id']))) for agent in agents]
    return dict(changed=False, agents=agents)


def main():
    run_module(argument_spec(), list_agents)


if __name__ == '__main__':
    main()
