#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: endpoint_instant_test
short_description: Run a ThousandEyes instant test from users' own computers (Endpoint Agents)
version_added: 1.0.0
description:
  - Creates an endpoint instant test (and so runs it) on Endpoint Agents, the agents on users' computers, with the task
    shape of M(netdiag.thousandeyes.instant_test); the same task again changes nothing. With O(run=always) or O(test_id) it
    runs the test again instead.
  - With O(wait=true) it waits for the results of the run it started and returns them as RV(summary) rows with the keys of
    M(netdiag.thousandeyes.test_results_info) plus the machine's own columns (Wi-Fi RSSI, SNR and channel, gateway, VPN,
    CPU, memory), which no Cloud Agent has.
  - One module for create, rerun and results, not three as for Cloud Agent tests, because endpoint tests are another API
    (C(/endpoint/tests/scheduled-tests), C(/endpoint/test-results/scheduled-tests)) with their own IDs, selectors and
    result rows; M(netdiag.thousandeyes.instant_test_rerun) and M(netdiag.thousandeyes.test_results_info) cannot read
    them. O(run) follows the C(run) option of M(netdiag.thousandeyes.instant_test).
  - Finding an existing test by name needs the endpoint test list (C(GET /endpoint/tests/scheduled-tests)). Whether
    endpoint instant tests appear there is not confirmed by ThousandEyes. When the list is not available the task says so in
    a warning and creates; when a test it just created is not in the list it warns that the same task again would create
    another one, and that O(test_id) runs it again.
  - An existing test of that name with another type, target or agent selection fails the task (endpoint instant tests
    cannot be changed here); nothing is sent.
  - API v7 only; with API v6 the task fails before any request. The user of the token needs the C(Edit endpoint tests)
    permission, and the agents must be online (M(netdiag.thousandeyes.endpoint_agent_info)).
author:
  - Netdiag maintainers (@netdiag)
options:
  name:
    description:
      - The test name; the key of idempotency. Required unless O(test_id) is given.
    type: str
  test_id:
    description:
      - Run this existing endpoint test again (by ID) instead of creating one.
    type: str
  type:
    description:
      - The test type. Required to create.
    type: str
    choices: [agent-to-server, http-server]
  target:
    description:
      - For V(agent-to-server) the server, optionally with C(:port) (default port 443); for V(http-server) the URL.
      - Required to create.
    type: str
  agents:
    description:
      - The endpoint agents to test from, by ID (UUID), name or computer name. Unknown names fail the task before any write.
      - Without O(agents) and O(agent_tags) the test runs on every endpoint agent (C(all-agents), at most C(maxMachines)).
    type: list
    elements: str
  agent_tags:
    description:
      - Endpoint agent tag IDs (C(agent-tags) selector) instead of O(agents).
    type: list
    elements: str
  settings:
    description:
      - Further API fields of the create, with their API names. V(agent-to-server) takes C(port), C(serverName),
        C(maxMachines), C(ipVersion); V(http-server) takes C(maxMachines), C(ipVersion), C(authType), C(username),
        C(httpTimeLimit), C(protocol), C(tcpProbeMode), C(sslVersionId), C(verifyCertificate), C(targetResponseTime),
        C(networkMeasurements), C(hasPathTraceInSession). Another key fails the task before any request.
    type: dict
  password:
    description:
      - The password of an V(http-server) test with C(authType) V(basic) or V(ntlm). Write-only in the API.
    type: str
  run:
    description:
      - V(on_create) runs the test only when the task creates it; V(always) also runs an existing test of that name again.
    type: str
    choices: [on_create, always]
    default: on_create
  wait:
    description:
      - Wait for the results of the run this task started and return RV(results) and RV(summary). Only rounds at or after
        RV(started_at) count; for an unchanged test with O(run=on_create) the latest round is returned with RV(fresh=false).
      - When every agent named in O(agents) is offline, the task fails at once instead of waiting.
    type: bool
    default: false
  path_traces:
    description:
      - With O(wait=true), also read each agent's path traces of the round its RV(summary) row comes from (the endpoint
        path-vis detail, one request per agent) and return them as RV(path_traces). The hops carry no loss; loss shows
        as traces that stop short, after the hop where it starts.
    type: bool
    default: false
  wait_timeout:
    description:
      - The longest time to wait, in seconds, with O(wait=true). When it passes the task returns what arrived with
        RV(complete=false).
    type: int
    default: 300
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - netdiag.thousandeyes.connection
  - netdiag.thousandeyes.attributes
attributes:
  check_mode:
    support: full
    details: Reads the agents and the test list, sends no create and no run, and reports the change it would make.
  diff_mode:
    support: full
    details: Shows the type, target and agent selection of a test it creates.
seealso:
  - module: netdiag.thousandeyes.endpoint_agent_info
  - module: netdiag.thousandeyes.instant_test
'''

EXAMPLES = r'''
- name: Test the shop from Alice's laptop and wait for the results
  netdiag.thousandeyes.endpoint_instant_test:
    token: "{{ te_token }}"
    name: shop-from-alice
    type: http-server
    target: https://shop.example.com/
    agents: [alice-laptop]
    wait: true
  register: alice

- name: Her Wi-Fi signal and VPN
  ansible.builtin.debug:
    msg: "RSSI {{ alice.summary[0].wifi_rssi }} dBm, SNR {{ alice.summary[0].wifi_snr }} dB, VPN {{ alice.summary[0].vpn_type }}"

- name: Run it again by ID later
  netdiag.thousandeyes.endpoint_instant_test:
    token: "{{ te_token }}"
    test_id: "{{ alice.test_id }}"
    wait: true
'''

RETURN = r'''
waited:
  description: Seconds this task spent waiting, per reason, as for every module of the collection.
  returned: always, also when the task fails
  type: dict
  sample: {"organization_rate_limit": 0.0, "instant_test_rate_limit": 0.0, "results": 4.0, "retries": 0.0}
action:
  description: V(created), V(unchanged) or V(rerun).
  returned: success
  type: str
  sample: created
test_id:
  description: The endpoint test ID; null in check mode when the task would create it.
  returned: success
  type: str
  sample: "100001"
test:
  description: The test as the API answered it (create) or listed it.
  returned: success
  type: dict
  sample: {"testId": "100001", "testName": "shop-from-alice", "type": "http-server"}
started_at:
  description: When the run this task started began (ISO 8601, UTC); null when it started none.
  returned: success
  type: str
  sample: "2026-12-07T16:40:00Z"
results:
  description: The raw rows of the newest round per agent, per layer (V(network), and V(http-server) for that type).
  returned: when O(wait=true), not in check mode
  type: list
  elements: dict
  sample: [{"layer": "network", "rows": [{"agentId": "0f8fad5b-d9cb-469f-a165-70867728950e", "loss": 0.0}]}]
summary:
  description:
    - One row per agent and layer with the keys of M(netdiag.thousandeyes.test_results_info)'s summary, plus the endpoint's
      own columns C(interface), C(wifi_ssid), C(wifi_rssi) (dBm), C(wifi_snr) (dB), C(wifi_channel), C(gateway),
      C(vpn_type), C(vpn_gateway), C(cpu) (mean share of the CPU, 0 to 1) and C(memory_used) (share of the memory).
  returned: when O(wait=true), not in check mode
  type: list
  elements: dict
  sample: [{"layer": "network", "agent_name": "alice-laptop", "loss": 0.0, "latency": 24.1, "wifi_rssi": -55, "wifi_snr": 36,
            "gateway": "192.168.1.1", "vpn_type": "cisco-anyconnect", "cpu": 0.12, "ok": true}]
fresh:
  description: Whether the rows come from a round this task started.
  returned: when O(wait=true), not in check mode
  type: bool
  sample: true
complete:
  description: Whether every online agent named in O(agents) reported before O(wait_timeout) (any row without O(agents)).
  returned: when O(wait=true), not in check mode
  type: bool
  sample: true
path_traces:
  description:
    - Per agent with a network row, its path traces of that round, each C(reached) or not, with hops in the shape of
      M(netdiag.thousandeyes.test_results_info)'s path details (C(ip) null for a hop that did not reply), and the
      machine's C(gateway) address from its network profile. An empty C(traces) list when the round has none.
  returned: when O(wait=true) and O(path_traces=true), not in check mode
  type: list
  elements: dict
  sample: [{"agent_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "agent_name": "bob-laptop", "round_id": 1796661600,
            "gateway": "192.168.1.1",
            "traces": [{"path_id": "7c9e6679-1796661600-2", "destination": "198.18.87.12", "reached": false,
                        "hops": [{"hop": 1, "ip": "192.168.1.1", "prefix": "192.168.1.0/24", "rdns": "home-gateway.lan",
                                  "network": null, "location": "Leeds, UK", "mpls": null, "response_time": 30.0},
                                 {"hop": 2, "ip": null, "prefix": null, "rdns": null, "network": null, "location": null,
                                  "mpls": null, "response_time": null}]}]}]
missing:
  description: Agents without a row, with the reason.
  returned: when O(wait=true), not in check mode
  type: list
  elements: dict
  sample: [{"agent_id": "886313e1-3b8a-4372-9b90-0c9aee199e5d", "agent_name": "dave-laptop", "reason": "agent offline"}]
'''

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._endpoint import TYPES, EndpointInstantTestTask
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._module import module_argument_spec, run_module


def argument_spec():
    """This module's options (documented above), with the connection and wait options."""
    return module_argument_spec(dict(
        name=dict(type='str'),
        test_id=dict(type='str'),
        type=dict(type='str', choices=list(TYPES)),
        target=dict(type='str'),
        agents=dict(type='list', elements='str'),
        agent_tags=dict(type='list', elements='str'),
        settings=dict(type='dict'),
        password=dict(type='str', no_log=True),
        run=dict(type='str', choices=['on_create', 'always'], default='on_create'),
        path_traces=dict(type='bool', default=False),
    ), wait=True)


def main():
    run_module(argument_spec(), lambda module, client: EndpointInstantTestTask(module, client).run(),
               required_one_of=[('name', 'test_id')], mutually_exclusive=[('agents', 'agent_tags')])


if __name__ == '__main__':
    main()
