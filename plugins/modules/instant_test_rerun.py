#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: instant_test_rerun
short_description: Run an existing ThousandEyes instant test again
version_added: 1.0.0
description:
  - Runs an existing instant test again, found by O(test_id) or by O(name) (with an optional O(type)).
  - Reads the test definition first, so an unknown test fails before anything is sent, and returns it with its data links.
  - Returns RV(started_at), so that the results of this run can be told from earlier rounds, and with O(wait=true) the
    results of this run.
  - Always reports a change when it runs the test; every run uses ThousandEyes units.
author:
  - Netdiag maintainers (@netdiag)
options:
  test_id:
    description:
      - The ID of the test to run. Give O(test_id) or O(name), not both.
    type: str
  name:
    description:
      - The name of the test to run. Fails when no test or several tests have this name (O(type) narrows the search).
    type: str
  type:
    description:
      - The test type. Narrows a lookup by O(name); with O(test_id) on API v7 it saves a lookup of the type.
    type: str
    choices: [agent-to-server, agent-to-agent, http-server, page-load, web-transactions, ftp-server, dns-trace, dns-server,
              dns-dnssec, sip-server, voice, api]
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - netdiag.thousandeyes.connection
  - netdiag.thousandeyes.wait
  - netdiag.thousandeyes.attributes
attributes:
  check_mode:
    support: full
    details: Resolves the test and returns it, sends nothing, and reports the change it would make.
  diff_mode:
    support: none
seealso:
  - module: netdiag.thousandeyes.instant_test
  - module: netdiag.thousandeyes.test_results_info
'''

EXAMPLES = r'''
- name: Run the test again and wait for this run's results
  netdiag.thousandeyes.instant_test_rerun:
    token: "{{ te_token }}"
    name: shop-https-from-europe
    wait: true
  register: rerun

- name: Run a test by ID (here the one of the task above), then read its results in a later task
  netdiag.thousandeyes.instant_test_rerun:
    token: "{{ te_token }}"
    test_id: "{{ rerun.test_id }}"
  register: started

- name: Read the results of that run only
  netdiag.thousandeyes.test_results_info:
    token: "{{ te_token }}"
    test_id: "{{ started.test_id }}"
    since: "{{ started.started_at }}"
    wait: true
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
test:
  description:
    - The test definition as the API returns it (for v6 the one element of the C(test) array, for v7 the object).
    - Its credentials are masked, that is the values of headers and keys named like credentials (C(Authorization),
      C(Cookie), C(X-Auth-Key), session IDs, ...), the user-info of URLs, and predefined variables named like credentials.
  returned: success
  type: dict
  sample: {"testId": "344811", "testName": "shop-https-from-europe", "type": "http-server", "agents": [{"agentId": "101"}]}
test_id:
  description: The test ID, as a string for both API versions.
  returned: success
  type: str
  sample: "344811"
data_links:
  description: Absolute URLs of the test's result endpoints, completed from the type's result layers where the API leaves one out.
  returned: success
  type: list
  elements: str
  sample: ["https://api.thousandeyes.com/v7/test-results/344811/http-server"]
started_at:
  description: When the run was asked for (ISO 8601, UTC). Only rounds at or after it belong to this run.
  returned: success, not in check mode
  type: str
  sample: "2026-11-26T10:15:00Z"
results:
  description: The rows of each result layer for this run, as the API gives them.
  returned: when O(wait=true)
  type: list
  elements: dict
  contains:
    layer:
      description: The result layer.
      type: str
      sample: network
    rows:
      description: The layer's rows of this run, as the API gives them.
      type: list
      elements: dict
      sample: [{"agentId": 101, "roundId": 1764151200, "loss": 0.0}]
  sample: [{"layer": "network", "rows": [{"agentId": 101, "roundId": 1764151200, "loss": 0.0}]}]
summary:
  description: One row per agent and layer, with the same keys for every layer and both API versions.
  returned: when O(wait=true)
  type: list
  elements: dict
  sample: [{"layer": "network", "agent_id": "101", "loss": 0.0, "latency": 12.3, "ok": true}]
fresh:
  description: Always true when the task waited; the rows come from the round this task started (at or after RV(started_at)).
  returned: when O(wait=true), not in check mode
  type: bool
  sample: true
complete:
  description: Whether every agent that can report did so before O(wait_timeout).
  returned: when O(wait=true)
  type: bool
  sample: true
missing:
  description: Agents and layers without a row, with the reason.
  returned: when O(wait=true)
  type: list
  elements: dict
  sample: []
'''

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.task import RerunTask
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import TEST_TYPES
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._module import module_argument_spec, run_module


def argument_spec():
    """This module's options (documented above), with the connection and wait options."""
    return module_argument_spec(dict(
        test_id=dict(type='str'),
        name=dict(type='str'),
        type=dict(type='str', choices=list(TEST_TYPES)),
    ), wait=True)


def main():
    run_module(argument_spec(), lambda module, client: RerunTask(module, client).run(),
               mutually_exclusive=[('test_id', 'name')], required_one_of=[('test_id', 'name')])


if __name__ == '__main__':
    main()
