#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: endpoint_agent_info
short_description: List ThousandEyes Endpoint Agents
version_added: 1.0.0
description:
  - Lists the Endpoint Agents (the agents on users' own computers) of an account group, filtered by name and state.
  - Use it to check that a user's machine is online before an endpoint instant test from it
    (M(netdiag.thousandeyes.endpoint_instant_test)).
  - A separate module from M(netdiag.thousandeyes.agent_info), because Endpoint Agents are another API (C(GET /endpoint/agents)),
    with UUIDs, computer names and VPN profiles instead of countries and agent types.
  - API v7 only; with API v6 the task fails before any request.
author:
  - Netdiag maintainers (@netdiag)
options:
  name:
    description:
      - Only agents whose ID, name or computer name is one of these (case-insensitive).
    type: list
    elements: str
  state:
    description:
      - Only agents in these states. An agent is V(online) when it checked in during the last 15 minutes and is enabled.
    type: list
    elements: str
    choices: [online, offline, disabled]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - netdiag.thousandeyes.connection
  - netdiag.thousandeyes.attributes
  - netdiag.thousandeyes.attributes.info_module
seealso:
  - module: netdiag.thousandeyes.endpoint_instant_test
  - module: netdiag.thousandeyes.agent_info
'''

EXAMPLES = r'''
- name: Is Alice's laptop online?
  netdiag.thousandeyes.endpoint_agent_info:
    token: "{{ te_token }}"
    name: [alice-laptop]
  register: alice

- name: Every online endpoint agent
  netdiag.thousandeyes.endpoint_agent_info:
    token: "{{ te_token }}"
    state: [online]
  register: online_endpoints
'''

RETURN = r'''
waited:
  description: Seconds this task spent waiting, per reason, as for every module of the collection.
  returned: always, also when the task fails
  type: dict
  sample: {"organization_rate_limit": 0.0, "instant_test_rate_limit": 0.0, "results": 0.0, "retries": 0.0}
agents:
  description: The endpoint agents that pass every filter, sorted by name then ID.
  returned: success
  type: list
  elements: dict
  contains:
    id:
      description: The endpoint agent ID (a UUID).
      type: str
      sample: 0f8fad5b-d9cb-469f-a165-70867728950e
    name:
      description: The agent name.
      type: str
      sample: alice-laptop
    computer_name:
      description: The computer's name.
      type: str
      sample: ALICE-MBP
    platform:
      description: The operating system family (V(mac), V(windows), V(linux), ...).
      type: str
      sample: mac
    os_version:
      description: The operating system version.
      type: str
      sample: macOS 14.5
    location:
      description: Where the agent is, as ThousandEyes locates it.
      type: str
      sample: Lyon, France
    public_ip:
      description: The public address the agent was last seen from.
      type: str
      sample: 198.51.100.71
    status:
      description: V(enabled) or V(disabled), as the API gives it.
      type: str
      sample: enabled
    last_seen:
      description: When the agent last checked in (ISO 8601, UTC).
      type: str
      sample: "2026-12-07T16:40:00Z"
    state:
      description: V(online) (checked in during the last 15 minutes and enabled), V(offline) or V(disabled).
      type: str
      sample: online
    vpn:
      description: The agent's VPN profiles, each with C(type) and C(gateway).
      type: list
      elements: dict
      sample: [{"type": "cisco-anyconnect", "gateway": "203.0.113.200"}]
'''

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._endpoint import endpoint_agents, refuse_unsupported
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._module import module_argument_spec, run_module

STATES = ('online', 'offline', 'disabled')


def argument_spec():
    """This module's options (documented above), with the connection options."""
    return module_argument_spec(dict(
        name=dict(type='list', elements='str'),
        state=dict(type='list', elements='str', choices=list(STATES)),
    ))


def list_endpoint_agents(module, client):
    refuse_unsupported(client)
    names = set(n.strip().lower() for n in module.params['name'] or [])
    states = set(module.params['state'] or [])
    agents = [a for a in endpoint_agents(client)
              if (not names or names & set((a['id'] or '', (a['name'] or '').lower(), (a['computer_name'] or '').lower())))
              and (not states or a['state'] in states)]
    return dict(changed=False, agents=agents)


def main():
    run_module(argument_spec(), list_endpoint_agents)


if __name__ == '__main__':
    main()
