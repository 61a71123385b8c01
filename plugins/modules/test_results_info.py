#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: test_results_info
short_description: Read the results of a ThousandEyes test, optionally waiting for them
version_added: 1.0.0
description:
  - Reads the result rows of one test, given by O(test_id) or by O(name), from each of its result layers
    (network metrics, path visualization, HTTP server, DNS and so on), following pagination.
  - Returns the rows as the API gives them in RV(results), and one normalised row per agent and layer in RV(summary),
    with the same keys for API v6 and v7.
  - With O(wait=true) it polls until each agent of the test that can report has a row in a round at or after O(since)
    in every layer read, or until O(wait_timeout) passes. Offline and disabled Enterprise agents cannot report, so they
    do not hold the wait; they are listed in RV(missing), with a warning. When no agent of a test can report, the
    module fails at once with the agents and their states instead of waiting. A timeout is not an error; the module
    returns what arrived, with RV(complete=false).
author:
  - Netdiag maintainers (@netdiag)
options:
  test_id:
    description:
      - The ID of the test. Give exactly one of O(test_id), O(name), O(tests) and O(path_details).
      - With O(api_version=v7) also give O(type) when you know it; otherwise the module looks the type up, which costs
        a few more requests.
    type: str
  name:
    description:
      - The exact name of the test (case-sensitive). Give exactly one of O(test_id), O(name), O(tests) and O(path_details).
      - Saved events are never matched. When several tests have this name, the module fails and lists their IDs and
        types; narrow the lookup with O(type) or give O(test_id).
      - The lookup reads the account group's tests listing; a test that the API does not list can only be read by O(test_id).
    type: str
  tests:
    description:
      - Several tests to read in one task, for example every test a play has just started. Give exactly one of
        O(test_id), O(name) and O(tests).
      - With O(wait=true) one deadline, O(wait_timeout), covers them all. The API runs the tests at the same time, so the
        first wait takes the result delay and the others usually find their rows ready; one task does it all.
      - Give exactly one of O(test_id), O(name), O(tests) and O(path_details).
      - The results come back in RV(tests), one entry per test, in the same order. O(layers), O(window), O(start) and
        O(end) apply to every test; O(since) is the default of each entry's own C(since).
    type: list
    elements: dict
    suboptions:
      test:
        description:
          - The test definition as M(netdiag.thousandeyes.instant_test) or M(netdiag.thousandeyes.instant_test_rerun)
            return it in RV(netdiag.thousandeyes.instant_test#module:test). It is not read again.
          - Give exactly one of C(test) and C(test_id).
        type: dict
      test_id:
        description:
          - The ID of the test, read like O(test_id).
        type: str
      type:
        description:
          - The type of the test given by C(test_id).
        type: str
        choices: [agent-to-server, agent-to-agent, http-server, page-load, web-transactions, ftp-server, dns-trace, dns-server,
                  dns-dnssec, sip-server, voice, api]
      since:
        description:
          - Only rounds at or after this time count, like O(since); for example the C(started_at) of the run.
        type: raw
  path_details:
    description:
      - Read the path-visualization detail (every hop of every path trace) of these agents in these rounds, instead of
        result rows. Give exactly one of O(test_id), O(name), O(tests) and O(path_details).
      - Take the triples from the RV(summary) rows of an earlier read, for example the C(path-vis) rows of the agents whose
        loss or latency breach a limit, with their C(round_id). One request per triple, against the organization
        rate-limit budget (never the instant-test one).
      - The traces come back in one shape for API v6 (C(routes)) and v7 (C(pathTraces)), in RV(path_details).
      - Only tests with network measurements have path details; O(wait), O(layers) and the time options do not apply.
    type: list
    elements: dict
    suboptions:
      test_id:
        description: The ID of the test.
        type: str
        required: true
      agent_id:
        description: The ID of the agent.
        type: str
        required: true
      round_id:
        description: The round, as epoch seconds of its start (C(round_id) of a summary row).
        type: int
        required: true
  type:
    description:
      - The type of the test. Narrows a lookup by O(name); with O(test_id) the test must be of this type.
    type: str
    choices: [agent-to-server, agent-to-agent, http-server, page-load, web-transactions, ftp-server, dns-trace, dns-server,
              dns-dnssec, sip-server, voice, api]
  layers:
    description:
      - The result layers to read. By default every result layer of the test (its data links, completed with the layers
        of its type that the API leaves out).
      - Asking for a layer that the test does not have fails and lists the test's layers.
      - An empty list reads no results at all, only the test definition (RV(test), RV(test_id), RV(data_links)), for
        example to learn a test's target and type from its ID; RV(results), RV(summary) and RV(missing) are then empty
        and RV(complete) is true.
    type: list
    elements: str
    choices: [network, path-vis, http-server, page-load, web-transactions, ftp-server, dns-trace, dns-server, dnssec,
              sip-server, rtp-server, api]
  since:
    description:
      - Only rows of rounds that started at or after this time count, and the query asks for the range that starts here.
        Use the C(started_at) that M(netdiag.thousandeyes.instant_test_rerun) returns to read the results of one run.
      - Either an ISO 8601 UTC time such as V(2026-11-26T10:00:00Z), or epoch seconds as a number or a string such as
        V(1795687200). A time without a zone is taken as UTC.
      - Cannot be combined with O(window), O(start) or O(end).
      - Without O(since), O(window) and O(start), the API returns the latest round only.
    type: raw
  window:
    description:
      - Read the rounds of this much time up to now, as the API's C(window) parameter.
      - A number of seconds (V(600)), or a number followed by V(s), V(m), V(h), V(d) or V(w) (V(10m), V(1h)).
      - Cannot be combined with O(since), O(start) or O(end).
    type: raw
  start:
    description:
      - Start of a fixed time range, in the same formats as O(since). Rows of every round in the range count.
      - Cannot be combined with O(since) or O(window).
    type: raw
  end:
    description:
      - End of the fixed time range that O(start) begins, in the same formats as O(since). Defaults to now.
    type: raw
  wait:
    description:
      - Poll until every agent that can report has a row in every layer read, or until O(wait_timeout) passes.
    type: bool
    default: false
  wait_timeout:
    description:
      - The longest time, in seconds, to wait with O(wait=true). V(0) reads once.
      - Rate-limit waits inside one request are bounded separately by O(rate_limit_max_wait).
    type: int
    default: 300
  poll_interval:
    description:
      - Seconds between two polls while waiting.
      - By default the module polls after 2 seconds and then 1.5 times later each time, up to every 10 seconds.
      - Each poll reads only the layers that are still incomplete, and a poll that would not fit in the remaining
        organization rate-limit budget waits for the budget to reset.
    type: int
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - netdiag.thousandeyes.connection
  - netdiag.thousandeyes.attributes
  - netdiag.thousandeyes.attributes.info_module
notes:
  - The API has no "round complete" flag. The module treats a run as complete when every source agent of the test that
    can report has at least one row in a round at or after O(since) in every layer read (for a DNS server test, a row for
    at least one of its servers). Agents whose state is V(offline) or V(disabled) cannot report. The state comes from the
    test definition when the API includes it; otherwise, while waiting, the module lists the agents once.
  - For a bidirectional agent-to-agent test on API v6, the network and path-visualization layers are read once per
    direction; summary rows then carry RV(summary[].direction).
seealso:
  - module: netdiag.thousandeyes.instant_test
  - module: netdiag.thousandeyes.instant_test_rerun
'''

EXAMPLES = r'''
- name: Read the latest results of a test (shop is the result of netdiag.thousandeyes.instant_test)
  netdiag.thousandeyes.test_results_info:
    token: "{{ te_token }}"
    test_id: "{{ shop.test_id }}"
  register: latest

- name: Rerun a test and wait up to two minutes for that run's results
  module_defaults:
    group/netdiag.thousandeyes.thousandeyes:
      token: "{{ te_token }}"
  block:
    - name: Rerun the test
      netdiag.thousandeyes.instant_test_rerun:
        name: shop-https-from-europe
        type: http-server
      register: rerun

    - name: Wait for the rerun's results
      netdiag.thousandeyes.test_results_info:
        test_id: "{{ rerun.test_id }}"
        since: "{{ rerun.started_at }}"
        wait: true
        wait_timeout: 120
      register: run

    - name: Show loss and latency per agent
      ansible.builtin.debug:
        msg: "{{ item.agent_name }}: loss {{ item.loss }} %, latency {{ item.latency }} ms"
      loop: "{{ run.summary | selectattr('layer', 'equalto', 'network') }}"
      loop_control:
        label: "{{ item.agent_name }}"

- name: HTTP results of the last hour of a test found by name
  netdiag.thousandeyes.test_results_info:
    token: "{{ te_token }}"
    name: shop-https-from-europe
    type: http-server
    layers: [http-server]
    window: 1h
  register: last_hour

- name: Path traces of one agent in the latest round read above (run), hop by hop
  netdiag.thousandeyes.test_results_info:
    token: "{{ te_token }}"
    path_details:
      - test_id: "{{ rerun.test_id }}"
        agent_id: "101"
        round_id: "{{ run.rounds | last }}"
  register: paths

- name: Results of a fixed time range
  netdiag.thousandeyes.test_results_info:
    token: "{{ te_token }}"
    test_id: "{{ shop.test_id }}"
    start: "2026-11-26T10:00:00Z"
    end: "2026-11-26T11:00:00Z"
  register: morning
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
    - The test definition as the API returns it (API v6 the element of the C(test) array, API v7 the object).
    - Its credentials are masked, that is the values of headers and keys named like credentials (C(Authorization),
      C(Cookie), C(X-Auth-Key), session IDs, ...), the user-info of URLs, and predefined variables named like credentials.
  returned: when O(test_id) or O(name) is given
  type: dict
  sample: {"testId": "1001", "testName": "checkout-a2s", "type": "agent-to-server", "server": "example.com:443",
           "agents": [{"agentId": "101", "agentName": "Frankfurt, Germany", "agentType": "cloud"}]}
test_id:
  description: The ID of the test, as a string for both API versions.
  returned: when O(test_id) or O(name) is given
  type: str
  sample: "1001"
data_links:
  description:
    - Absolute URLs of the test's result endpoints (API v6 C(apiLinks) with C(rel=data), API v7 C(_links.testResults)),
      completed with the layers of the test's type that the API leaves out.
  returned: when O(test_id) or O(name) is given
  type: list
  elements: str
  sample: ["https://api.thousandeyes.com/v7/test-results/1001/network", "https://api.thousandeyes.com/v7/test-results/1001/path-vis"]
results:
  description:
    - The rows of each layer read, exactly as the API gives them, one entry per layer in the order of RV(summary).
      Only rows of rounds at or after O(since) are kept.
    - A list rather than a dictionary keyed by layer, because ansible-core reserves a dictionary C(results) key.
      Pick a layer with C(selectattr('layer', 'equalto', 'network')).
  returned: when O(test_id) or O(name) is given
  type: list
  elements: dict
  contains:
    layer:
      description: The result layer.
      type: str
      sample: network
    rows:
      description: The layer's rows, API v6 flat (C(agentId), C(agentName)) or API v7 nested (C(agent.agentId)).
      type: list
      elements: dict
      sample: [{"agentId": 101, "agentName": "Frankfurt, Germany", "countryId": "DE", "roundId": 1795687200,
                "date": "2026-11-26 10:00:00", "loss": 0.0, "avgLatency": 12.4, "minLatency": 11.8,
                "maxLatency": 13.1, "jitter": 0.3, "server": "example.com:443", "errorDetails": ""}]
summary:
  description:
    - One row per agent and layer for the newest round read (at or after O(since)); for DNS server tests one row per agent
      and server. Every row has every key; a key that the layer does not measure is null.
    - Sorted by layer (in the order of O(layers), or of the test's data links), then agent name.
  returned: when O(test_id) or O(name) is given
  type: list
  elements: dict
  contains:
    layer:
      description: The result layer.
      type: str
      sample: network
    agent_id:
      description: The agent ID, as a string.
      type: str
      sample: "101"
    agent_name:
      description: The agent name.
      type: str
      sample: Frankfurt, Germany
    country:
      description: ISO 3166 alpha-2 country code of the agent.
      type: str
      sample: DE
    round_id:
      description: The round, as epoch seconds of its start.
      type: int
      sample: 1795687200
    date:
      description: When the round started, ISO 8601 in UTC.
      type: str
      sample: "2026-11-26T10:00:00Z"
    server:
      description: The target as the row names it (C(host:port) for TCP network rows, the name server for DNS server rows).
      type: str
      sample: example.com:443
    server_ip:
      description:
        - The address that answered the agent (C(serverIp)); for a CDN or anycast target each agent's own edge. Null where
          the layer has none.
      type: str
      sample: 198.18.7.20
    direction:
      description:
        - The direction of agent-to-agent rows as the API reports it (V(to-target), V(from-target) or V(bidirectional));
          null for other layers.
        - For a bidirectional test on API v6 each direction has its own row.
      type: str
      sample: null
    loss:
      description: Packet loss in percent (network and RTP layers).
      type: float
      sample: 0.0
    latency:
      description: Average latency in milliseconds (network and RTP layers).
      type: float
      sample: 12.4
    latency_min:
      description: Minimum latency in milliseconds (network layer).
      type: float
      sample: 11.8
    latency_max:
      description: Maximum latency in milliseconds (network layer).
      type: float
      sample: 13.1
    jitter:
      description: Jitter in milliseconds (network layer; packet delay variation for the RTP layer).
      type: float
      sample: 0.3
    hops:
      description: Number of hops of the first path trace (path-vis layer).
      type: int
      sample: 9
    response_code:
      description: HTTP, FTP or SIP response code.
      type: int
      sample: 200
    response_time:
      description:
        - Milliseconds to the first byte of the response (HTTP, FTP, SIP, page load); resolution time (DNS server);
          time of the final query (DNS trace).
      type: float
      sample: 85.0
    total_time:
      description:
        - Total milliseconds (HTTP, FTP, SIP); page load time (page load); transaction time (web transactions); the API
          transaction time, all steps of an API test (C(apiTransactionTime), API layer).
      type: float
      sample: 143.0
    availability:
      description: SIP server availability in percent.
      type: float
      sample: 100.0
    completion:
      description:
        - The share of an API test's steps that completed, in percent (API layer); null for other layers.
        - Below 100 when a step failed, for example an assertion; then RV(summary[].error) says why and RV(summary[].ok) is false.
      type: float
      sample: null
    mos:
      description: Mean opinion score of the RTP stream.
      type: float
      sample: 4.3
    dns_ok:
      description:
        - The DNS outcome. For DNS trace and DNS server rows true when there was no error; for DNSSEC rows whether the
          chain is valid. Null for other layers.
      type: bool
      sample: null
    error:
      description: The error the agent reported (error details, else an error type other than C(None)); null when none.
      type: str
      sample: null
    dns_time:
      description: Milliseconds of name resolution (HTTP server layer; also C(connect_time), C(ssl_time), C(wait_time), C(receive_time)).
      type: float
      sample: 12.0
    connect_time:
      description: Milliseconds to connect (HTTP server layer).
      type: float
      sample: 24.0
    ssl_time:
      description: Milliseconds of the TLS handshake (HTTP server layer; 0 for plain HTTP).
      type: float
      sample: 31.0
    wait_time:
      description: Milliseconds from the request to the first byte, the server's own time (HTTP server layer).
      type: float
      sample: 18.0
    receive_time:
      description: Milliseconds to receive the response (HTTP server layer).
      type: float
      sample: 5.0
    link:
      description: Link to this round in the ThousandEyes app (API v6 C(permalink), API v7 C(_links.appLink.href)); null when the row has none.
      type: str
      sample: null
    ok:
      description:
        - True when the row has no error and, for HTTP, FTP and SIP, the response code is a success (HTTP 2xx or 3xx, or
          the test's desired status code; FTP below 400; SIP 2xx).
        - It says only that the measurement itself succeeded. It ignores loss, latency, jitter and MOS, which have no
          threshold here; a network row with 20 % loss is still V(true). A gate checks RV(summary[].loss) and
          RV(summary[].latency) against its own limits (see the CI gate example of M(netdiag.thousandeyes.instant_test)).
        - For DNS layers it equals RV(summary[].dns_ok) where that is set.
        - For an API test, true when every step completed and every assertion held (a failed assertion is an error).
      type: bool
      sample: true
fresh:
  description:
    - True when O(since) (or the entry's C(since) in O(tests)) is given, since every row returned is of a round that started at
      or after it, for example the run whose C(started_at) was passed.
  returned: when O(since) is given, and per entry of RV(tests) that has a C(since)
  type: bool
  sample: true
complete:
  description:
    - Whether every agent that can report has a row in a round at or after O(since) in every layer read.
    - Always true with O(path_details).
    - False when O(wait_timeout) passed first, or, without O(wait), when some rows are not there yet.
  returned: success
  type: bool
  sample: true
rounds:
  description: The round IDs (epoch seconds) of the rows returned, oldest first.
  returned: when O(test_id) or O(name) is given
  type: list
  elements: int
  sample: [1795687200]
missing:
  description: The agents without a row, per layer, with the reason.
  returned: when O(test_id) or O(name) is given
  type: list
  elements: dict
  contains:
    agent_id:
      description: The agent ID, as a string.
      type: str
      sample: "202"
    agent_name:
      description: The agent name, when the test definition or the agents listing gives it.
      type: str
      sample: branch-ams-ea
    layer:
      description: The layer without a row from this agent.
      type: str
      sample: network
    reason:
      description:
        - V(offline) or V(disabled) when the agent cannot report; V(timeout) when the wait ended first;
          V(no results) when the module did not wait.
      type: str
      sample: offline
  sample: [{"agent_id": "202", "agent_name": "branch-ams-ea", "layer": "network", "reason": "offline"}]
path_details:
  description:
    - One entry per element of O(path_details), in the same order, with the agent's path traces in that round.
  returned: when O(path_details) is given
  type: list
  elements: dict
  contains:
    test_id:
      description: The ID of the test.
      type: str
      sample: "1001"
    agent_id:
      description: The ID of the agent.
      type: str
      sample: "101"
    round_id:
      description: The round.
      type: int
      sample: 1795687200
    traces:
      description:
        - The path traces, the same shape for API v6 and v7. C(reached) is whether the trace arrives, that is whether its last answering
          hop is the destination (C(serverIp)) or in the destination's prefix (a destination that drops the probes
          addressed to it leaves the trace at its site's edge); a trace that stops short of it ends at the hop where it
          stopped.
        - Each hop has C(hop) (its number), C(ip) (null for a hop that did not answer), C(prefix), C(rdns), C(network)
          (name and AS), C(location), C(mpls) and C(response_time) (round-trip milliseconds to that hop).
      type: list
      elements: dict
      sample: [{"path_id": "101-1795687200-1", "destination": "198.18.7.20", "reached": false,
                "hops": [{"hop": 1, "ip": "100.70.3.9", "prefix": "100.70.3.0/24", "rdns": "gw1.fra.cloud.example.net",
                          "network": "Cloud Agents DE (AS 64496)", "location": "Frankfurt, Germany", "mpls": "",
                          "response_time": 2.0},
                         {"hop": 7, "ip": "4.68.72.1", "prefix": "4.68.72.0/24", "rdns": "ae-1.lumen.example.net",
                          "network": "Lumen (AS 3356)", "location": null, "mpls": "", "response_time": 181.0}]}]
tests:
  description:
    - One entry per test of O(tests), in the same order, each with the keys that a single test returns
      (RV(test), RV(test_id), RV(data_links), RV(results), RV(summary), RV(complete), RV(rounds), RV(missing)), and
      RV(fresh) when the entry has a C(since).
    - RV(complete) is true when every test is complete.
  returned: when O(tests) is given
  type: list
  elements: dict
  sample: [{"test_id": "1001", "complete": true, "summary": [{"layer": "network", "agent_id": "101", "loss": 0.0}],
            "missing": [], "rounds": [1764151200]}]
'''

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import LAYERS, TEST_TYPES
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._module import module_argument_spec, run_module
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.info import read_results


def argument_spec():
    """This module's options (documented above), with the connection and wait options."""
    return module_argument_spec(dict(
        test_id=dict(type='str'),
        name=dict(type='str'),
        tests=dict(type='list', elements='dict', options=dict(
            test=dict(type='dict'),
            test_id=dict(type='str'),
            type=dict(type='str', choices=list(TEST_TYPES)),
            since=dict(type='raw'),
        )),
        path_details=dict(type='list', elements='dict', options=dict(
            test_id=dict(type='str', required=True),
            agent_id=dict(type='str', required=True),
            round_id=dict(type='int', required=True),
        )),
        type=dict(type='str', choices=list(TEST_TYPES)),
        layers=dict(type='list', elements='str', choices=list(LAYERS)),
        since=dict(type='raw'),
        window=dict(type='raw'),
        start=dict(type='raw'),
        end=dict(type='raw'),
        poll_interval=dict(type='int'),
    ), wait=True)


def main():
    run_module(
        argument_spec(), read_results,
        mutually_exclusive=[('test_id', 'name', 'tests', 'path_details'), ('since', 'window', 'start'), ('since', 'end'), ('window', 'end')],
        required_one_of=[('test_id', 'name', 'tests', 'path_details')],
        required_by={'end': 'start'},
    )


if __name__ == '__main__':
    main()
