#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r'''
module: instant_test
short_description: Create a ThousandEyes instant test idempotently, and run it
version_added: 1.0.0
description:
  - Creates a ThousandEyes instant test from the task's options; creating it also runs it once.
  - The test's identity is its O(name) and O(type) in the account group. When such a test exists with the settings the
    task asks for, nothing is sent and the task reports V(unchanged). Only the fields the task sets are compared,
    normalised (C(host:port), 0/1 booleans, expanded agents), so server-side defaults never cause a change.
  - When the test exists with other settings, O(on_change) decides between recreating it and failing.
  - Exactly once. When a create may have reached the API but no answer came back (a timeout, a dropped connection), the
    module looks the name up again and adopts the test; it never sends a second create for one task. When the API refuses
    the create because the name exists (another run won a race), the existing test is adopted if its settings match.
  - With O(run=always) an existing, unchanged test runs again too, so that O(wait) always returns a new round, the form
    for a CI gate. M(netdiag.thousandeyes.instant_test_rerun) runs a test given by its ID or name.
author:
  - Netdiag maintainers (@netdiag)
options:
  name:
    description:
      - The test name. With O(type), the test's identity in its account group. It must not be empty.
    type: str
    required: true
  type:
    description:
      - The test type. Required with O(state=present). With O(state=absent) it narrows the name lookup.
      - V(api) (the API test, a sequence of HTTP requests with assertions) exists in API v7 only; with
        O(api_version=v6) the task fails before any request and says so.
    type: str
    choices: [agent-to-server, agent-to-agent, http-server, page-load, web-transactions, ftp-server, dns-trace, dns-server,
              dns-dnssec, sip-server, voice, api]
  test_id:
    description:
      - The ID of the existing test, as returned by an earlier run in RV(test_id).
      - Without it the test is found by O(name) and O(type) in the account group's test list. Give it where that list
        does not include instant tests (the API documentation does not say whether it does), so that a second run finds
        the test instead of creating another.
      - The test with this ID must have the task's O(name) (and O(type)). If it no longer exists, O(state=present)
        creates the test again and returns its new ID.
    type: str
  state:
    description:
      - V(present) creates the test when needed. V(absent) deletes it if it exists.
    type: str
    choices: [present, absent]
    default: present
  agents:
    description:
      - The agents that run the test. Required with O(state=present).
      - Each is an agent ID, an agent name, or a dict with C(id) or C(name) and optionally C(source_ip), the address of
        the agent to test from. API v7 takes no C(source_ip) for page-load, web-transactions, dns-trace, dns-server and
        dns-dnssec tests (their agents have no source address there); such a task fails before any request.
      - Names are resolved with one request to the agents endpoint. An unknown name fails and lists the closest names;
        a name shared by several agents fails and lists their IDs. Agents given by ID need no such request.
      - Agent names contain commas, and Ansible splits a string given for this list at every comma. Give each agent as
        one list item. When the pieces of a split string join to an agent's name, the task fails and names the agent
        to give as one list item.
    type: list
    elements: raw
  target:
    description:
      - The primary target of the test. Required with O(state=present).
      - V(agent-to-server) a server, as C(host) or C(host:port).
      - V(http-server), V(page-load), V(web-transactions) a URL; V(ftp-server) an C(ftp://) URL.
      - V(api) the URL of the API under test (the test's C(url)); each step of O(requests) has its own URL.
      - V(dns-trace), V(dns-server), V(dns-dnssec) a domain, as C(name) or C(name TYPE) (for example V(example.com MX)).
      - V(agent-to-agent) and V(voice) the target agent, by name or ID.
      - V(sip-server) the SIP registrar, as C(host) or C(host:port) (port 5060 when not given).
      - A host, in any form, must be a valid host name or IP address. A host with spaces, an empty label or a label over
        63 characters, or a port outside 1 to 65535 (also in a URL), fails the task before any request. An international
        (IDN) host name such as V(bücher.example) is sent as punycode (V(xn--bcher-kva.example)), as the API takes it.
    type: str
  port:
    description:
      - The port, for V(agent-to-server) (not with ICMP), V(agent-to-agent) and V(sip-server) (1024 to 65535).
      - Also accepted as C(host:port) in O(target); giving two different ports fails.
    type: int
  protocol:
    description:
      - V(agent-to-server) V(tcp) (default of the API), V(icmp) or V(udp) (v7).
      - V(agent-to-agent) V(tcp) or V(udp). V(sip-server) V(tcp), V(tls) or V(udp).
      - V(dns-trace) and V(dns-server) the DNS transport, V(udp) or V(tcp).
      - Either case is accepted; the module sends what the API version expects.
    type: str
  dns_servers:
    description:
      - The name servers to query, for V(dns-server) tests (required there).
    type: list
    elements: str
  transaction_script:
    description:
      - The JavaScript of a V(web-transactions) test (required there).
    type: str
  request_type:
    description:
      - What a V(ftp-server) test does (required there).
    type: str
    choices: [download, upload, list]
  username:
    description:
      - User for the service under test. HTTP authentication for V(http-server), V(page-load) and V(web-transactions)
        (the module sets C(authType) to C(BASIC); override it through O(settings)); the FTP user; the SIP C(authUser).
    type: str
  password:
    description:
      - Password for the service under test (HTTP, FTP, SIP). Never shown in output.
      - The API does not return passwords, so a changed password alone does not make the test differ.
    type: str
  description:
    description:
      - The test description.
    type: str
  settings:
    description:
      - Further API fields, with their API names and values for the chosen O(api_version), sent verbatim.
      - A field that an option of this module sets for the type cannot be given here (C(agents), C(testName),
        C(description), the target's field such as C(url), C(server) or C(domain), C(port), C(protocol), C(username),
        C(password), C(requests), C(predefinedVariables), C(transactionScript), C(requestType), C(dnsServers)). The task
        fails before any request and names the option to use, so that no field replaces an option without a word.
      - Values of keys whose names look like a credential (C(password), C(token), C(secret), C(clientCertificate), ...)
        are never shown in output.
      - Each key must be a field that the test type has in the API version in use (API v7 the vendor's schema of the type's
        instant-test request, API v6 the fields of the v6 test metadata). Another key, such as a misspelling, fails the
        task before any request and names the closest field names. Fields that only the API sets (C(testId),
        C(createdBy), ...) fail the same way.
      - They take part in the comparison with an existing test like every other field the task sets, with one exception.
        Fields the API takes but never returns in a test definition cannot be compared, so they never cause a
        recreation, and the same task run twice never recreates the test twice. These are C(labels),
        C(tags) and C(sharedWithAccounts) on API v7, and the fields the v6 instant API accepts and ignores
        (C(alertsEnabled), C(alertRules), C(bgpMeasurements), C(bgpMonitors), C(usePublicBgp), C(interval),
        C(subinterval)). Any other key that the existing definition does not return is not compared either, and a warning
        names it. To change such a field on an existing test, delete the test (O(state=absent)) and run the task again.
    type: dict
  requests:
    description:
      - The steps of an V(api) test (required there, for no other type), run in order in one transaction. Option names
        are snake_case; the module sends them in the API's spelling (C(wait_time) as C(waitTimeMs), O(requests[].auth)
        as C(authType), C(username), C(password), C(bearerToken), O(requests[].headers) as C({key, value}) pairs).
      - A step's URL, headers and body may use the value of a variable of an earlier step as C({{name}}). Ansible would
        template that itself, so write it as C({% raw %}{{name}}{% endraw %}) (or give the string the C(!unsafe) tag).
      - The other fields of the API test (C(timeLimit), C(targetTime), C(networkMeasurements), C(followRedirects), ...)
        go in O(settings) under their API names; the test's predefined variables in O(predefined_variables).
      - The credentials of the steps are never shown in output, and, as the API does not return them, a changed password
        or token alone does not make the test differ.
    type: list
    elements: dict
    suboptions:
      name:
        description: The step's name, unique in the test.
        type: str
        required: true
      url:
        description: The URL the step requests, C(http://) or C(https://); it may use C({{variable}}) of an earlier step.
        type: str
        required: true
      method:
        description: The HTTP method.
        type: str
        choices: [get, post, put, delete, patch]
        default: get
      headers:
        description:
          - The request headers, as a dict of header names and values (sent as a list of C({key, value})).
          - Values of headers whose name looks like a credential (C(Authorization), C(Cookie), C(Set-Cookie), C(X-Auth-Key),
            C(X-Api-Key), session IDs, names with C(token) or C(secret)) are never shown in output, neither by this module
            nor by M(netdiag.thousandeyes.instant_test_rerun), M(netdiag.thousandeyes.test_results_info) or the diagnose
            reports, which show the definition the API returns. Credentials in a URL's user-info are masked the same way.
        type: dict
      body:
        description: The request body.
        type: str
      auth:
        description: The step's HTTP authentication.
        type: dict
        suboptions:
          type:
            description:
              - V(basic) (with O(requests[].auth.username) and O(requests[].auth.password)), V(bearer-token) (with
                O(requests[].auth.token)), V(oauth2) (with O(requests[].auth.client_id), O(requests[].auth.token_url) and,
                as the token endpoint wants them, O(requests[].auth.client_secret), O(requests[].auth.scope) and
                O(requests[].auth.client_authentication)) or V(none).
              - By default V(bearer-token) when a token is given, else V(oauth2) when an OAuth2 option is given, else V(basic)
                when a username is given, else V(none).
            type: str
            choices: [none, basic, bearer-token, oauth2]
          username:
            description: The user for basic authentication.
            type: str
          password:
            description: The password for basic authentication. Never shown in output, and not compared (the API does not return it).
            type: str
          token:
            description: The bearer token. Never shown in output, and not compared (the API does not return it).
            type: str
          client_id:
            description: The OAuth2 client (application) ID (C(clientId)).
            type: str
          client_secret:
            description: The OAuth2 client secret (C(clientSecret)). Never shown in output, and not compared (the API does not return it).
            type: str
          token_url:
            description: The OAuth2 token endpoint the agent gets its access token from (C(tokenUrl)).
            type: str
          scope:
            description: The scope values asked for with the access token.
            type: str
          client_authentication:
            description: Where the client ID and secret go in the token request, an HTTP Basic header or the request body.
            type: str
            choices: [basic-auth-header, in-body]
      assertions:
        description: Checks of the step's answer; a failed assertion fails the step, and the row of that agent is not ok.
        type: list
        elements: dict
        suboptions:
          name:
            description: What is checked, the status code or the response body.
            type: str
            choices: [status-code, response-body]
            default: status-code
          operator:
            description:
              - How it is compared with O(requests[].assertions[].value).
              - A V(status-code) assertion takes V(is) or V(is-not); a V(response-body) assertion takes V(includes),
                V(not-includes), V(matches) or V(not-matches). Any other pair fails before any request.
              - By default V(is) for a V(status-code) assertion and V(includes) for a V(response-body) assertion.
            type: str
            choices: [is, is-not, includes, not-includes, matches, not-matches]
          value:
            description: The status code (for example V(200)) or the text or regular expression the body is checked against.
            type: raw
            required: true
      variables:
        description: Values taken from the step's answer for later steps, each a name and a JSONPath into the answer (for example V($.items[0].id)).
        type: list
        elements: dict
        suboptions:
          name:
            description: The variable's name; later steps use it as C({{name}}).
            type: str
            required: true
          value:
            description: Where the value comes from, a JSONPath into the answer's body.
            type: str
            required: true
      wait_time:
        description: Milliseconds to wait after the step before the next one (C(waitTimeMs)).
        type: int
      verify_certificate:
        description:
          - Whether the agent verifies the server's TLS certificate.
          - The API's own default is not to verify. The module verifies by default, as a health check that accepts any
            certificate would pass against the wrong server; set V(false) for a server with a self-signed certificate.
        type: bool
        default: true
      collect_api_response:
        description:
          - Whether ThousandEyes collects and stores the step's response body (C(collectApiResponse)).
          - The API's own default is to store it. Set V(false) for a step whose answer holds a credential, such as a
            login that returns a token. When not set, the field is not sent (and not compared).
        type: bool
  predefined_variables:
    description:
      - The variables of an V(api) test that its steps share (C(predefinedVariables)), used in a step's URL, headers and
        body as C({{name}}) (write C({% raw %}{{name}}{% endraw %}) in a playbook). For no other type.
      - A variable marked O(predefined_variables[].secret) is masked in all output and its value is never compared, so a
        changed value alone does not recreate the test. Variables named like credentials (C(token), C(password),
        C(api_key), ...) are masked in output too.
    type: list
    elements: dict
    suboptions:
      name:
        description: The variable's name, unique in the test and not the name of a step's variable.
        type: str
        required: true
      value:
        description: The variable's value, a string.
        type: str
        required: true
      secret:
        description: Whether the value is a credential. Then it is never shown in output and never compared.
        type: bool
        default: false
  on_change:
    description:
      - What to do when a test with this name and type exists with other settings.
      - V(recreate) deletes it and creates the new one. V(fail) fails and names the fields that differ.
    type: str
    choices: [recreate, fail]
    default: recreate
  run:
    description:
      - When the test runs. Each run uses ThousandEyes units.
      - V(on_create) runs it only when the task creates or recreates it (creating a test runs it once). An existing,
        unchanged test is left alone (RV(outcome=unchanged)), and O(wait) returns its latest round with RV(fresh=false)
        and a warning.
      - V(always) also runs an existing, unchanged test again (RV(outcome=rerun), changed), so that O(wait) returns the
        results of a round this task started (RV(fresh=true)). Use it wherever a decision depends on the results, such
        as a CI gate.
    type: str
    choices: [on_create, always]
    default: on_create
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - netdiag.thousandeyes.connection
  - netdiag.thousandeyes.wait
  - netdiag.thousandeyes.attributes
attributes:
  check_mode:
    support: full
    details: Does every lookup and validation, sends no create or delete, and returns what it would do and the body it would send.
  diff_mode:
    support: full
    details: Shows the set fields before and after.
notes:
  - Every create runs the test once and uses ThousandEyes units, as every rerun does.
  - Deleting instant tests and listing them are not described by the API documentation. When the API refuses to delete an
    instant test, O(on_change=recreate) and O(state=absent) fail with a message that says so and create nothing.
seealso:
  - module: netdiag.thousandeyes.instant_test_rerun
  - module: netdiag.thousandeyes.test_results_info
  - module: netdiag.thousandeyes.agent_info
'''

EXAMPLES = r'''
- name: Test an HTTPS service from two Cloud agents and wait for the results
  netdiag.thousandeyes.instant_test:
    token: "{{ te_token }}"
    name: shop-https-from-europe
    type: http-server
    agents:
      - Frankfurt, Germany
      - London, England
    target: https://shop.example.com/health
    wait: true
    wait_timeout: 120
  register: shop

- name: Show the verdict per agent
  ansible.builtin.debug:
    msg: "{{ shop.summary | map(attribute='agent_name') | zip(shop.summary | map(attribute='response_time')) | list }}"

- name: CI gate, always on a new round (run=always runs the unchanged test again)
  netdiag.thousandeyes.instant_test:
    token: "{{ te_token }}"
    name: release-gate-shop
    type: http-server
    agents:
      - Frankfurt, Germany
      - London, England
    target: https://shop.example.com/health
    run: always
    wait: true
    wait_timeout: 180
  register: gate

# ok says only that a measurement succeeded (no error, a success response code): loss and latency are the gate's own limits.
- name: Fail the pipeline unless every agent succeeded in this round, at most 1 % loss and 300 ms latency
  ansible.builtin.assert:
    that:
      - gate.fresh
      - gate.complete
      - gate.summary | rejectattr('ok') | list | length == 0
      - gate.summary | selectattr('loss', 'number') | selectattr('loss', 'gt', 1) | list | length == 0
      - gate.summary | selectattr('latency', 'number') | selectattr('latency', 'gt', 300) | list | length == 0
    fail_msg: >-
      Failed: {{ gate.summary | rejectattr('ok') | map(attribute='agent_name') | unique | join('; ') }};
      lossy: {{ gate.summary | selectattr('loss', 'number') | selectattr('loss', 'gt', 1) | map(attribute='agent_name') | join('; ') }}

- name: Network path to a TCP port, connection options set once for the play
  module_defaults:
    group/netdiag.thousandeyes.thousandeyes:
      token: "{{ te_token }}"
      account_group_id: "1234"
  netdiag.thousandeyes.instant_test:
    name: db-reachability
    type: agent-to-server
    agents:
      - 101
      - {name: branch-fra-ea, source_ip: 10.10.1.5}
    target: db.example.com:5432

- name: Resolve a record through given name servers
  netdiag.thousandeyes.instant_test:
    token: "{{ te_token }}"
    name: dns-mx-check
    type: dns-server
    agents: [101]
    target: example.com MX
    dns_servers: [8.8.8.8, 1.1.1.1]
    protocol: udp

- name: Further API fields go in settings, with API names
  netdiag.thousandeyes.instant_test:
    token: "{{ te_token }}"
    name: api-latency
    type: http-server
    agents: [101]
    target: https://api.example.com/
    settings:
      httpTimeLimit: 10
      httpTargetTime: 500
    on_change: fail

- name: Health check of an API in two steps, the second using a value the first returns (API v7 only)
  netdiag.thousandeyes.instant_test:
    token: "{{ te_token }}"
    api_version: v7
    name: orders-api-health
    type: api
    agents: [101]
    target: https://orders.example.com/
    requests:
      - name: list-orders
        url: https://orders.example.com/v1/orders?limit=1
        headers:
          Accept: application/json
        assertions:
          - {name: status-code, operator: is, value: 200}
        variables:
          - {name: order_id, value: "$.orders[0].id"}
      - name: read-order
        # ThousandEyes fills in {{order_id}}; raw keeps Ansible from templating it first.
        url: "{% raw %}https://orders.example.com/v1/orders/{{order_id}}{% endraw %}"
        assertions:
          - {name: status-code, operator: is, value: 200}
          - {name: response-body, operator: includes, value: '"status"'}
    settings:
      timeLimit: 30
    wait: true
    wait_timeout: 120
  register: orders_api

- name: Fail unless every agent completed every step with every assertion holding
  ansible.builtin.assert:
    that:
      - orders_api.summary | selectattr('layer', 'equalto', 'api') | rejectattr('ok') | list | length == 0
    fail_msg: "{{ orders_api.summary | rejectattr('ok') | map(attribute='error') | join('; ') }}"

- name: An API behind OAuth2, its login answer kept out of ThousandEyes, a shared tenant ID and a secret API key
  netdiag.thousandeyes.instant_test:
    token: "{{ te_token }}"
    api_version: v7
    name: billing-api-health
    type: api
    agents: [101]
    target: https://billing.example.com/
    predefined_variables:
      - {name: tenant, value: acme}
      - {name: partner_key, value: "{{ billing_partner_key | default('partner-key') }}", secret: true}
    requests:
      - name: invoices
        url: "{% raw %}https://billing.example.com/v2/{{tenant}}/invoices{% endraw %}"
        headers:
          X-Partner-Key: "{% raw %}{{partner_key}}{% endraw %}"
        auth:
          type: oauth2
          client_id: health-probe
          client_secret: "{{ billing_client_secret | default('client-secret') }}"
          token_url: https://login.example.com/oauth2/token
          scope: invoices.read
          client_authentication: basic-auth-header
        collect_api_response: false
        assertions:
          - {name: status-code, value: 200}
          - {name: response-body, value: '"invoices"'}

- name: Where the test list leaves out instant tests, keep the ID and pass it back
  netdiag.thousandeyes.instant_test:
    token: "{{ te_token }}"
    name: api-latency
    test_id: "{{ previous_run.test_id | default(omit) }}"  # previous_run: this task's result registered by an earlier run
    type: http-server
    agents: [101]
    target: https://api.example.com/

- name: Remove the test
  netdiag.thousandeyes.instant_test:
    token: "{{ te_token }}"
    name: api-latency
    type: http-server
    state: absent
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
      C(Cookie), C(X-Auth-Key), session IDs, ...), the user-info of URLs, and predefined variables named like credentials
      or marked secret. The diff (C(--diff)) and the check mode's RV(payload) are masked the same way.
    - Null when there is none (V(absent), or a create in check mode).
  returned: success
  type: dict
  sample: {"testId": "344811", "testName": "shop-https-from-europe", "type": "http-server", "url": "https://shop.example.com/health",
           "agents": [{"agentId": "101", "agentName": "Frankfurt, Germany"}],
           "_links": {"self": {"href": "https://api.thousandeyes.com/v7/tests/http-server/344811"}}}
test_id:
  description: The test ID, as a string for both API versions. Null when there is no test.
  returned: success
  type: str
  sample: "344811"
data_links:
  description:
    - Absolute URLs of the test's result endpoints (v6 C(apiLinks) with C(rel=data), v7 C(_links.testResults)),
      completed from the type's result layers where the API leaves one out.
  returned: success
  type: list
  elements: str
  sample: ["https://api.thousandeyes.com/v7/test-results/344811/http-server", "https://api.thousandeyes.com/v7/test-results/344811/network"]
outcome:
  description: What the task did.
  returned: success
  type: str
  choices: [created, recreated, rerun, unchanged, deleted, absent]
  sample: created
started_at:
  description:
    - When the run was asked for (ISO 8601, UTC), so that its results can be told from earlier rounds.
      Pass it as O(netdiag.thousandeyes.test_results_info#module:since).
  returned: when the task created, recreated or reran the test, not in check mode
  type: str
  sample: "2026-11-26T10:15:00Z"
payload:
  description: The body the create would send. Passwords and other credentials are masked as in RV(test).
  returned: in check mode, when the task would create or recreate
  type: dict
  sample: {"testName": "db-reachability", "server": "db.example.com:5432", "agents": [{"agentId": "101"}]}
results:
  description: The rows of each result layer, as the API gives them. See M(netdiag.thousandeyes.test_results_info).
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
      sample: [{"agentId": 101, "roundId": 1764151200, "loss": 0.0, "avgLatency": 12.3}]
  sample: [{"layer": "network", "rows": [{"agentId": 101, "roundId": 1764151200, "loss": 0.0, "avgLatency": 12.3}]}]
summary:
  description: One row per agent and layer with the same keys for every layer and both API versions.
    See M(netdiag.thousandeyes.test_results_info).
  returned: when O(wait=true)
  type: list
  elements: dict
  sample: [{"layer": "http-server", "agent_id": "101", "agent_name": "Frankfurt, Germany", "response_code": 200,
            "response_time": 84.0, "ok": true}]
fresh:
  description:
    - Whether the rows in RV(results) and RV(summary) come from a round that this task started (created, recreated or
      rerun). False for an unchanged test with O(run=on_create), whose rows are the latest round's, however old; a
      warning gives their age.
  returned: when O(wait=true), not in check mode
  type: bool
  sample: true
complete:
  description: Whether every agent that can report did so before O(wait_timeout).
  returned: when O(wait=true)
  type: bool
  sample: true
missing:
  description: Agents and layers without a row, with the reason (for example V(offline)).
  returned: when O(wait=true)
  type: list
  elements: dict
  sample: [{"agent_id": "202", "agent_name": "branch-ams-ea", "layer": "network", "reason": "offline"}]
'''

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.fields import (
    API_ALL_OPERATORS,
    API_ASSERTION_NAMES,
    API_AUTH_TYPES,
    API_CLIENT_AUTHENTICATIONS,
    API_METHODS,
    REQUEST_TYPES,
)
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.task import InstantTestTask
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import TEST_TYPES
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._module import module_argument_spec, run_module


def _api_step_options():
    """One step of an api test (the API's ApiRequest, in snake_case); the credentials are no_log."""
    return dict(
        name=dict(type='str', required=True),
        url=dict(type='str', required=True),
        method=dict(type='str', default='get', choices=list(API_METHODS)),
        headers=dict(type='dict'),
        body=dict(type='str'),
        auth=dict(type='dict', options=dict(
            type=dict(type='str', choices=list(API_AUTH_TYPES)),
            username=dict(type='str'),
            password=dict(type='str', no_log=True),
            token=dict(type='str', no_log=True),
            client_id=dict(type='str'),
            client_secret=dict(type='str', no_log=True),
            token_url=dict(type='str', no_log=False),  # a URL, not a secret
            scope=dict(type='str'),
            client_authentication=dict(type='str', choices=list(API_CLIENT_AUTHENTICATIONS)),
        )),
        assertions=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', default=API_ASSERTION_NAMES[0], choices=list(API_ASSERTION_NAMES)),
            operator=dict(type='str', choices=list(API_ALL_OPERATORS)),
            value=dict(type='raw', required=True),
        )),
        variables=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            value=dict(type='str', required=True),
        )),
        wait_time=dict(type='int'),
        verify_certificate=dict(type='bool', default=True),
        collect_api_response=dict(type='bool'),
    )


def argument_spec():
    """This module's options (documented above), with the connection and wait options."""
    return module_argument_spec(dict(
        name=dict(type='str', required=True),
        type=dict(type='str', choices=list(TEST_TYPES)),
        test_id=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        agents=dict(type='list', elements='raw'),
        target=dict(type='str'),
        port=dict(type='int'),
        protocol=dict(type='str'),
        dns_servers=dict(type='list', elements='str'),
        transaction_script=dict(type='str'),
        request_type=dict(type='str', choices=list(REQUEST_TYPES)),
        username=dict(type='str'),
        password=dict(type='str', no_log=True),
        description=dict(type='str'),
        settings=dict(type='dict'),
        requests=dict(type='list', elements='dict', options=_api_step_options()),
        predefined_variables=dict(type='list', elements='dict', options=dict(
            name=dict(type='str', required=True),
            value=dict(type='str', required=True, no_log=False),
            secret=dict(type='bool', default=False),
        )),
        on_change=dict(type='str', default='recreate', choices=['recreate', 'fail']),
        run=dict(type='str', default='on_create', choices=['on_create', 'always']),
    ), wait=True)


def main():
    run_module(argument_spec(), lambda module, client: InstantTestTask(module, client).run())


if __name__ == '__main__':
    main()
