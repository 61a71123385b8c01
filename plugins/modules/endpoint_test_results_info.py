#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: endpoint_test_results_info
short_description: Read, or wait for, the results of several ThousandEyes endpoint instant tests at once
version_added: 1.0.0
description:
  - Reads the results of endpoint instant tests (tests on Endpoint Agents, the agents on users' computers) and, with
    O(wait=true), waits for them under one deadline, O(wait_timeout), for all of them. Start the tests with
    M(netdiag.thousandeyes.endpoint_instant_test) and O(netdiag.thousandeyes.endpoint_instant_test#module:wait=false) in a
    loop, then wait for all of them with one task of this module. The API runs the tests at the same time, so the first
    wait takes the result delay and the others usually find their rows at the first poll; the whole wait is close to one
    result delay, not one per test.
  - Each test's entry in RV(tests) has the keys M(netdiag.thousandeyes.endpoint_instant_test) returns with
    O(netdiag.thousandeyes.endpoint_instant_test#module:wait=true), computed by the same code, and it polls as every wait
    of the collection does (first after 2 seconds, then less often, up to every 10 seconds; a poll that would wait for the
    rate limit past the deadline is skipped).
  - A separate module from M(netdiag.thousandeyes.test_results_info), because endpoint tests are another API
    (C(/endpoint/test-results/scheduled-tests)) with their own IDs and result rows.
  - API v7 only; with API v6 the task fails before any request.
author:
  - Netdiag maintainers (@netdiag)
options:
  tests:
    description:
      - The endpoint tests to read, one entry each; the results come back in RV(tests) in the same order.
    type: list
    elements: dict
    required: true
    suboptions:
      test:
        description:
          - The test definition as M(netdiag.thousandeyes.endpoint_instant_test) returns it in
            RV(netdiag.thousandeyes.endpoint_instant_test#module:test). It is not read again; its agent selection says
            which agents the wait is for.
          - Give exactly one of C(test) and C(test_id).
        type: dict
      test_id:
        description:
          - The ID of the endpoint test. Its definition is looked up in the endpoint test list; when the test is not listed
            its results are read by ID, with C(type).
        type: str
      type:
        description:
          - The type of the test given by C(test_id), when it is not listed (its V(http-server) rows are read only for that
            type).
        type: str
        choices: [agent-to-server, http-server]
      since:
        description:
          - Only rounds at or after this time count (ISO 8601 UTC or epoch seconds), for example the
            RV(netdiag.thousandeyes.endpoint_instant_test#module:started_at) of the run. Without it the newest round of each
            agent is read and RV(tests[].fresh) is false.
        type: raw
  wait:
    description:
      - Wait until every online agent of each test (every agent of a C(specific-agents) test; any agent for other selections)
        has a row at or after its C(since), or until O(wait_timeout) passes. Without it each test is read once.
      - When every agent a test names is offline, the task fails at once instead of waiting.
    type: bool
    default: false
  wait_timeout:
    description:
      - The longest time to wait, in seconds, for all the tests together. When it passes the task returns what arrived with
        RV(complete=false); a test reached after it is read once.
    type: int
    default: 300
  path_traces:
    description:
      - Also read each agent's path traces of the round its summary row comes from (the endpoint path-vis detail, one request
        per agent and test) and return them in each test's C(path_traces).
    type: bool
    default: false
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - netdiag.thousandeyes.connection
  - netdiag.thousandeyes.attributes
  - netdiag.thousandeyes.attributes.info_module
seealso:
  - module: netdiag.thousandeyes.endpoint_instant_test
  - module: netdiag.thousandeyes.endpoint_agent_info
  - module: netdiag.thousandeyes.test_results_info
'''

EXAMPLES = r'''
- name: Start the shop and the API tests from Alice's laptop, without waiting
  netdiag.thousandeyes.endpoint_instant_test:
    token: "{{ te_token }}"
    name: "from-alice-{{ item | ansible.builtin.urlsplit('hostname') }}"
    type: http-server
    target: "{{ item }}"
    agents: [alice-laptop]
    run: always
  loop: [https://shop.example.com/, https://api.example.com/]
  register: started

- name: Wait for both under one deadline
  netdiag.thousandeyes.endpoint_test_results_info:
    token: "{{ te_token }}"
    tests: >-
      {% set runs = namespace(entries=[]) %}{% for run in started.results %}{%
      set runs.entries = runs.entries + [{'test': run.test, 'since': run.started_at}] %}{% endfor %}{{ runs.entries }}
    wait: true
    wait_timeout: 600
  register: endpoint

- name: Her Wi-Fi signal on each target
  ansible.builtin.debug:
    msg: "{{ item.test.testName }}: RSSI {{ item.summary[0].wifi_rssi }} dBm, complete {{ item.complete }}"
  loop: "{{ endpoint.tests }}"

- name: Read an endpoint test's latest results by ID
  netdiag.thousandeyes.endpoint_test_results_info:
    token: "{{ te_token }}"
    tests:
      - test_id: "100001"
'''

RETURN = r'''
waited:
  description: Seconds this task spent waiting, per reason, as for every module of the collection.
  returned: always, also when the task fails
  type: dict
  sample: {"organization_rate_limit": 0.0, "instant_test_rate_limit": 0.0, "results": 4.0, "retries": 0.0}
complete:
  description: Whether every test is complete (RV(tests[].complete)).
  returned: success
  type: bool
  sample: true
tests:
  description:
    - One entry per test of O(tests), in the same order, with the keys that
      M(netdiag.thousandeyes.endpoint_instant_test) returns with O(netdiag.thousandeyes.endpoint_instant_test#module:wait=true).
  returned: success
  type: list
  elements: dict
  contains:
    test_id:
      description: The endpoint test ID.
      type: str
      sample: "100001"
    test:
      description: The test definition as given, or as listed when given by ID.
      type: dict
      sample: {"testId": "100001", "testName": "from-alice-shop.example.com", "type": "http-server"}
    since:
      description: The entry's C(since) (ISO 8601, UTC); null without one.
      type: str
      sample: "2026-12-07T16:40:00Z"
    results:
      description: The raw rows of the newest round per agent, per layer (V(network), and V(http-server) for that type).
      type: list
      elements: dict
      sample: [{"layer": "network", "rows": [{"agentId": "0f8fad5b-d9cb-469f-a165-70867728950e", "loss": 0.0}]}]
    summary:
      description:
        - One row per agent and layer with the keys of M(netdiag.thousandeyes.test_results_info)'s summary, plus the
          endpoint's own columns C(interface), C(wifi_ssid), C(wifi_rssi) (dBm), C(wifi_snr) (dB), C(wifi_channel),
          C(gateway), C(vpn_type), C(vpn_gateway), C(cpu) (mean share of the CPU, 0 to 1) and C(memory_used).
      type: list
      elements: dict
      sample: [{"layer": "network", "agent_name": "alice-laptop", "loss": 0.0, "latency": 24.1, "wifi_rssi": -55, "wifi_snr": 36,
                "gateway": "192.168.1.1", "vpn_type": "cisco-anyconnect", "cpu": 0.12, "ok": true}]
    complete:
      description: Whether every online agent the test names reported (any row for a test without named agents).
      type: bool
      sample: true
    fresh:
      description: Whether the entry had a C(since), so that every row is of a round at or after it.
      type: bool
      sample: true
    missing:
      description: Agents without a row, with the reason (V(no result before wait_timeout), V(no results) without
        O(wait), or the agent's state such as V(agent offline)).
      type: list
      elements: dict
      sample: [{"agent_id": "886313e1-3b8a-4372-9b90-0c9aee199e5d", "agent_name": "dave-laptop", "reason": "agent offline"}]
    path_traces:
      description:
        - With O(path_traces=true), per agent with a network row its path traces of that round, in the shape of
          RV(netdiag.thousandeyes.endpoint_instant_test#module:path_traces).
      type: list
      elements: dict
      returned: when O(path_traces=true)
      sample: [{"agent_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7", "agent_name": "bob-laptop", "round_id": 1796661600,
                "gateway": "192.168.1.1", "traces": [{"path_id": "7c9e6679-1796661600-1", "destination": "198.18.87.12",
                                                      "reached": true, "hops": []}]}]
'''

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._endpoint import TYPES, read_tests
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._module import module_argument_spec, run_module


def argument_spec():
    """This module's options (documented above), with the connection and wait options."""
    return module_argument_spec(dict(
        tests=dict(type='list', elements='dict', required=True, options=dict(
            test=dict(type='dict'),
            test_id=dict(type='str'),
            type=dict(type='str', choices=list(TYPES)),
            since=dict(type='raw'),
        )),
        path_traces=dict(type='bool', default=False),
    ), wait=True)


def main():
    run_module(argument_spec(), read_tests)


if __name__ == '__main__':
    main()
