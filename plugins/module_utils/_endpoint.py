# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Endpoint Agent instant tests: the task of endpoint_instant_test, the endpoint agents of endpoint_agent_info, and
the summary rows of endpoint results (the collection's summary keys plus the machine's own columns).

Private to this collection: may change at any time. Every request goes through the provider (``_api/``); API v6 has
no such calls and its provider says so before any request.
"""

from __future__ import annotations

import time

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import NotFoundError, OptionError, ThousandEyesError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.paths import normalise_traces
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.summary import SUMMARY_KEYS
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.time import iso_utc, parse_iso, parse_time
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.wait import check_wait_timeout, poll

TYPES = ('agent-to-server', 'http-server')
# The API fields ``settings`` may set, per type (EndpointAgentToServerInstantTest, EndpointHttpServerInstantTest).
COMMON_SETTINGS = ('maxMachines', 'ipVersion')
SETTINGS = {
    'agent-to-server': COMMON_SETTINGS + ('port', 'serverName'),
    'http-server': COMMON_SETTINGS + ('authType', 'username', 'httpTimeLimit', 'protocol', 'tcpProbeMode', 'sslVersionId',
                                      'verifyCertificate', 'targetResponseTime', 'networkMeasurements', 'hasPathTraceInSession'),
}
# An endpoint agent that has not checked in for this long cannot report: the wait does not hold for it.
ONLINE_WITHIN = 15 * 60
# The machine's own columns of a summary row (after the collection's SUMMARY_KEYS).
ENDPOINT_KEYS = ('interface', 'wifi_ssid', 'wifi_rssi', 'wifi_snr', 'wifi_channel', 'gateway', 'vpn_type', 'vpn_gateway',
                 'cpu', 'memory_used')


def refuse_unsupported(client):
    """Fail before any request when the API version has no endpoint calls."""
    message = client.api.endpoint_unsupported()
    if message:
        raise OptionError(message)


# -- agents ---------------------------------------------------------------------------------------------------
def normalise_endpoint_agent(agent, now=None):
    now = time.time() if now is None else now
    seen = parse_iso(agent.get('lastSeen')) if agent.get('lastSeen') else None
    online = seen is not None and now - seen.timestamp() <= ONLINE_WITHIN and agent.get('status', 'enabled') == 'enabled'
    location = agent.get('location') or {}
    vpns = agent.get('vpnProfiles') or []
    return {
        'id': agent.get('id'), 'name': agent.get('name'), 'computer_name': agent.get('computerName'),
        'platform': agent.get('platform'), 'os_version': agent.get('osVersion'), 'location': location.get('locationName'),
        'public_ip': agent.get('publicIP'), 'status': agent.get('status'), 'last_seen': agent.get('lastSeen'),
        'state': 'online' if online else ('disabled' if agent.get('status') == 'disabled' else 'offline'),
        'vpn': [{'type': v.get('vpnType'), 'gateway': v.get('vpnGatewayAddress')} for v in vpns if isinstance(v, dict)],
    }


def endpoint_agents(client):
    return sorted((normalise_endpoint_agent(a) for a in client.api.list_endpoint_agents()),
                  key=lambda a: ((a['name'] or '').lower(), a['id'] or ''))


def matching_agents(agents, item):
    """The endpoint agents that ``item`` names by ID, name or computer name (case-insensitive); the diagnose role's plan
    matches with this rule too, so that what it accepts the module accepts."""
    key = str(item).strip().lower()
    return [a for a in agents if key in ((a['id'] or '').lower(), (a['name'] or '').lower(), (a['computer_name'] or '').lower())]


def resolve_agents(agents, wanted):
    """Endpoint agents by ID, name or computer name (case-insensitive). Unknown ones fail with the known names."""
    found = []
    for item in wanted:
        matches = matching_agents(agents, item)
        if not matches:
            raise OptionError('agents: no endpoint agent has the ID, name or computer name %r; the account group has: %s. '
                              'Nothing was sent.' % (item, ', '.join(sorted(a['name'] or a['id'] for a in agents)) or 'none'))
        if len(matches) > 1:
            raise OptionError('agents: %r names several endpoint agents (%s); give their IDs. Nothing was sent.'
                              % (item, ', '.join(a['id'] for a in matches)))
        if matches[0] not in found:
            found.append(matches[0])
    return found


# -- summary rows -------------------------------------------------------------------------------------------------
def _number(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def machine_columns(row):
    """The endpoint's own columns from a result row: Wi-Fi, gateway, VPN, CPU (mean share, 0..1), memory (share)."""
    profile = row.get('networkProfile') or {}
    wifi = profile.get('wirelessProfile') or {}
    vpn = row.get('vpnProfile') or {}
    metrics = row.get('systemMetrics') or {}
    cpu = (metrics.get('cpuUtilization') or {}).get('mean')
    used = (metrics.get('physicalMemoryUsedBytes') or {}).get('mean')
    total = metrics.get('physicalMemoryTotalBytes')
    return {
        'interface': profile.get('hardwareType'), 'wifi_ssid': wifi.get('ssid'), 'wifi_rssi': _number(wifi.get('rssi')),
        'wifi_snr': _number(wifi.get('snr')), 'wifi_channel': _number(wifi.get('channel')), 'gateway': profile.get('gateway'),
        'vpn_type': vpn.get('vpnType'), 'vpn_gateway': vpn.get('vpnGatewayAddress'), 'cpu': _number(cpu),
        'memory_used': round(used / total, 3) if _number(used) and _number(total) else None,
    }


def summary_row(layer, row, agents_by_id, server):
    agent = agents_by_id.get(row.get('agentId')) or {}
    out = dict.fromkeys(SUMMARY_KEYS)
    round_id = row.get('roundId')
    out.update(layer=layer, agent_id=row.get('agentId'), agent_name=agent.get('name'), round_id=round_id,
               date=iso_utc(round_id) if isinstance(round_id, int) else None, server=server, server_ip=row.get('serverIp'))
    error = row.get('errorDetails') or None
    if layer == 'network':
        out.update(loss=_number(row.get('loss')), latency=_number(row.get('avgLatency')), latency_min=_number(row.get('minLatency')),
                   latency_max=_number(row.get('maxLatency')), jitter=_number(row.get('jitter')))
        out['ok'] = error is None and (out['loss'] or 0) < 100
    else:
        error_type = row.get('errorType')
        if not error and error_type and str(error_type).lower() != 'none':
            error = str(error_type)
        code = row.get('responseCode')
        out.update(response_code=code, response_time=row.get('responseTime'), total_time=row.get('totalTime'),
                   dns_time=row.get('dnsTime'), connect_time=row.get('connectTime'), ssl_time=row.get('sslTime'),
                   wait_time=row.get('waitTime'), receive_time=row.get('receiveTime'))
        out['ok'] = error is None and isinstance(code, int) and 200 <= code < 400
    out['error'] = error
    out.update(machine_columns(row))
    return out


# -- the task -----------------------------------------------------------------------------------------------------------
class EndpointInstantTestTask:
    """Create (idempotently, by name) or run again an endpoint instant test; optionally wait for this run's results."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.params = module.params
        self.warnings = []

    # definition ----------------------------------------------------------------------------------------------------
    def wanted(self, agents):
        params = self.params
        test_type = params['type']
        target = params['target']
        if not test_type or not target:
            raise OptionError('type and target are required to create an endpoint instant test. Nothing was sent.')
        settings = dict(params['settings'] or {})
        unknown = sorted(set(settings) - set(SETTINGS[test_type]))
        if unknown:
            raise OptionError('settings: %s not taken by %s endpoint instant tests; they take %s. Nothing was sent.'
                              % (', '.join(unknown), test_type, ', '.join(SETTINGS[test_type])))
        body = {'testName': params['name']}
        if test_type == 'http-server':
            body['url'] = target
        else:
            host, sep, port = target.rpartition(':')
            if sep and port.isdigit() and 'port' not in settings:
                body['server'], body['port'] = host, int(port)
            else:
                body['server'] = target
        if params['agents']:
            body['agentSelectorType'] = 'specific-agents'
            body['agents'] = [a['id'] for a in agents]
        elif params['agent_tags']:
            body['agentSelectorType'] = 'agent-tags'
            body['tagIds'] = list(params['agent_tags'])
        else:
            body['agentSelectorType'] = 'all-agents'
        body.update(settings)
        if params['password']:
            body['password'] = params['password']
        return body

    @staticmethod
    def comparable(test_type, body):
        """What must match between the task and an existing test (the answer's shape)."""
        selector = {'agentSelectorType': body.get('agentSelectorType', 'all-agents')}
        if body.get('agents'):
            selector['agents'] = sorted(body['agents'])
        if body.get('tagIds'):
            selector['tagIds'] = sorted(body['tagIds'])
        target = body.get('url') if test_type == 'http-server' else body.get('server')
        return {'type': test_type, 'target': target, 'agent_selector': selector}

    @staticmethod
    def comparable_existing(test):
        config = test.get('agentSelectorConfig') or {}
        selector = {'agentSelectorType': config.get('agentSelectorType', 'all-agents')}
        if config.get('agents'):
            selector['agents'] = sorted(config['agents'])
        if config.get('tagIds'):
            selector['tagIds'] = sorted(config['tagIds'])
        target = test.get('url') if test.get('type') == 'http-server' else test.get('server')
        return {'type': test.get('type'), 'target': target, 'agent_selector': selector}

    # lookups ----------------------------------------------------------------------------------------------------------
    def find(self):
        """(test or None, listed): the listed endpoint test of that name or ID; listed False when there is no list."""
        tests = self.client.api.list_endpoint_tests()
        if tests is None:
            return None, False
        key = self.params['test_id']
        if key:
            found = [t for t in tests if str(t.get('testId')) == str(key)]
        else:
            found = [t for t in tests if t.get('testName') == self.params['name']]
        if len(found) > 1:
            raise OptionError('Several endpoint tests are named %r (IDs %s); give test_id. Nothing was sent.'
                              % (self.params['name'], ', '.join(str(t.get('testId')) for t in found)))
        return (found[0] if found else None), True

    # run ------------------------------------------------------------------------------------------------------------------
    def run(self):
        refuse_unsupported(self.client)
        params = self.params
        agents = []
        if params['agents']:
            agents = resolve_agents(endpoint_agents(self.client), params['agents'])
        if params['test_id']:
            return self.rerun_by_id(agents)
        wanted = self.wanted(agents)
        existing, listed = self.find()
        if existing is None:
            return self.create(wanted, agents, listed)
        before, after = self.comparable_existing(existing), self.comparable(params['type'], wanted)
        if before != after:
            raise OptionError('Endpoint test %r (ID %s) exists with another definition (%s); endpoint instant tests cannot be '
                              'changed by this module: give another name. Nothing was sent.'
                              % (params['name'], existing.get('testId'), ', '.join(k for k in after if after[k] != before[k])),
                              test_id=str(existing.get('testId')), diff=dict(before=before, after=after))
        result = self.result(existing, 'unchanged', changed=False)
        if params['run'] == 'always':
            return self.rerun(existing, agents, result)
        return self.finish(result, existing, agents, since=None)

    def result(self, test, action, changed):
        return dict(changed=changed, action=action, test_id=None if test is None else str(test.get('testId')),
                    test=test, started_at=None)

    def create(self, wanted, agents, listed):
        if not listed:
            self.warnings.append('GET /endpoint/tests/scheduled-tests is not available to this account, so the module cannot '
                                 'tell whether an endpoint test named %r exists; it creates one.' % self.params['name'])
        diff = dict(before={}, after=self.comparable(self.params['type'], wanted))
        if self.module.check_mode:
            result = self.result(None, 'created', changed=True)
            return self.done(result, diff)
        started = time.time()
        test = self.client.api.create_endpoint_instant(self.params['type'], wanted).data or {}
        result = self.result(test, 'created', changed=True)
        result['started_at'] = iso_utc(int(started))
        if listed:
            again, dummy = self.find()
            if again is None:
                self.warnings.append(
                    'Endpoint instant tests are not listed by GET /endpoint/tests/scheduled-tests on this account (test %s is '
                    'not in it), so the same task again cannot find this test by name and creates another one; run it again '
                    'with test_id: %s.' % (result['test_id'], result['test_id']))
        return self.done(self.finish(result, test, agents, since=int(started)), diff)

    def rerun_by_id(self, agents):
        existing, listed = self.find()
        test = existing or {'testId': self.params['test_id'], 'type': self.params['type']}
        if existing is None and listed:
            self.warnings.append('Endpoint test %s is not listed by GET /endpoint/tests/scheduled-tests; running it by ID.'
                                 % self.params['test_id'])
        return self.rerun(test, agents, self.result(test, 'rerun', changed=True))

    def rerun(self, test, agents, result):
        result.update(changed=True, action='rerun')
        if self.module.check_mode:
            return self.done(result)
        started = time.time()
        self.client.api.rerun_endpoint(str(test.get('testId')))
        result['started_at'] = iso_utc(int(started))
        return self.done(self.finish(result, test, agents, since=int(started)))

    def done(self, result, diff=None):
        if diff is not None and self.module._diff:  # pylint: disable=protected-access
            result['diff'] = diff
        for warning in self.warnings:
            self.module.warn(warning)
        self.warnings = []
        return result

    # results ----------------------------------------------------------------------------------------------------------
    def finish(self, result, test, agents, since):
        if not self.params['wait'] or self.module.check_mode:
            return self.done(result)
        deadline = time.monotonic() + max(self.params['wait_timeout'], 0)
        result.update(read_test(self.client, test, agents, since, deadline, self.params['path_traces'], self.warnings))
        if since is None and result['summary']:
            self.warnings.append('No run was started (the test exists and run is on_create): the rows are from its latest '
                                 'round, %s.' % result['summary'][0]['date'])
        return self.done(result)


def read_test(client, test, agents, since, deadline, path_traces=False, warnings=None, wait=True, sleep=None, clock=None):
    """The results of one endpoint test (waited for until ``deadline``, a ``time.monotonic`` time, with ``wait``), with its
    path traces when asked: the keys endpoint_instant_test returns under ``wait``. Warnings go to ``warnings``."""
    warnings = [] if warnings is None else warnings
    found = read_results(client, test, agents, since, deadline, wait=wait, sleep=sleep, clock=clock)
    if path_traces:
        found['path_traces'] = read_path_traces(client, test, found['results'][0]['rows'], found['summary'], warnings)
    return found


def read_results(client, test, agents, since, deadline, wait=True, sleep=None, clock=None):
    """Wait (until ``deadline``, with the one polling policy of ``_results/wait.py``) until every online agent of
    ``agents`` has a network row at or after ``since`` (any row when ``agents`` is empty), then read the http-server rows
    too; the summary rows of the newest round per agent. Without ``wait`` the rows are read once."""
    test_id = str(test.get('testId'))
    expected = set(a['id'] for a in agents if a['state'] == 'online')
    cannot = [a['name'] or a['id'] for a in agents if a['state'] != 'online']
    if wait and agents and not expected:
        raise ThousandEyesError('No endpoint agent of test %s can report: %s are not online.' % (test_id, ', '.join(cannot)),
                                test_id=test_id)
    found = dict(rows=[])

    def read():
        found['rows'] = [r for r in client.api.endpoint_results(test_id, 'network', sorted(expected) or None)
                         if since is None or (r.get('roundId') or 0) >= since]
        return bool(found['rows']) and expected <= set(r.get('agentId') for r in found['rows'])

    def next_reads():
        return 1, 'POST', client.api.url('endpoint/test-results/scheduled-tests/%s/network/filter' % test_id)

    poll(client, read, next_reads, wait=wait, deadline=deadline, sleep=sleep, monotonic=clock)
    rows = _newest(found['rows'], since)
    layers = [('network', rows)]
    if test.get('type') == 'http-server':
        http = [r for r in client.api.endpoint_results(test_id, 'http-server') if since is None or (r.get('roundId') or 0) >= since]
        layers.append(('http-server', _newest(http, since)))
    names = dict((a['id'], a) for a in agents) or dict((a['id'], a) for a in endpoint_agents(client))
    server = test.get('url') or test.get('server')
    summary = [summary_row(layer, row, names, server) for layer, layer_rows in layers for row in layer_rows]
    seen = set(r.get('agentId') for r in rows)
    missing = [{'agent_id': a, 'agent_name': names.get(a, {}).get('name'), 'reason': 'no result before wait_timeout' if wait else 'no results'}
               for a in sorted(expected - seen)]
    missing += [{'agent_id': a['id'], 'agent_name': a['name'], 'reason': 'agent %s' % a['state']} for a in agents if a['state'] != 'online']
    return dict(results=[{'layer': layer, 'rows': layer_rows} for layer, layer_rows in layers], summary=summary,
                complete=not (expected - seen) and bool(rows), missing=missing, fresh=since is not None)


def read_path_traces(client, test, rows, summary, warnings):
    """Each agent's path traces of the round of its network row (the endpoint path-vis detail), normalised as the
    path details of test_results_info: per agent ``{agent_id, agent_name, round_id, gateway, traces}``. One request
    per agent; a round without a path trace gives no traces and a warning."""
    test_id = str(test.get('testId'))
    names = dict((row.get('agent_id'), row) for row in summary if row.get('layer') == 'network')
    found = []
    for row in rows:
        agent_id, round_id = row.get('agentId'), row.get('roundId')
        known = names.get(agent_id) or {}
        try:
            traces = normalise_traces(client.api.endpoint_path_traces(test_id, agent_id, round_id), row.get('serverIp'))
        except NotFoundError:
            traces = []
            warnings.append('Endpoint test %s has no path trace of agent %s in round %s.' % (test_id, known.get('agent_name') or agent_id, round_id))
        found.append(dict(agent_id=agent_id, agent_name=known.get('agent_name'), round_id=round_id, gateway=known.get('gateway'), traces=traces))
    return found


def _newest(rows, since):
    """The newest round's row per agent."""
    newest = {}
    for row in rows:
        agent = row.get('agentId')
        if agent not in newest or (row.get('roundId') or 0) > (newest[agent].get('roundId') or 0):
            newest[agent] = row
    return [newest[a] for a in sorted(newest)]


# -- endpoint_test_results_info -------------------------------------------------------------------------------------
def read_tests(module, client):
    """What endpoint_test_results_info does: read (and with ``wait`` wait for) the results of several endpoint tests under
    one deadline. The API runs the started tests at the same time, so the first wait takes the result delay and the later
    tests usually find their rows at the first poll; a test reached after the deadline is read once."""
    refuse_unsupported(client)
    params = module.params
    check_wait_timeout(params['wait_timeout'])
    deadline = time.monotonic() + max(params['wait_timeout'], 0)
    entries = [_entry(index, entry) for index, entry in enumerate(params['tests'])]
    listing = dict(tests=None, agents=None)
    warnings = []
    tests = []
    for index, (test, since) in enumerate(entries):
        if test is None:
            test = _listed_test(client, listing, params['tests'][index], warnings)
        agents = _agents_of(client, listing, test)
        found = read_test(client, test, agents, since, deadline, params['path_traces'], warnings, wait=params['wait'])
        tests.append(dict(test_id=str(test.get('testId')), test=test, since=None if since is None else iso_utc(since), **found))
    for warning in warnings:
        module.warn(warning)
    return dict(changed=False, tests=tests, complete=all(test['complete'] for test in tests))


def _entry(index, entry):
    """(test definition or None, since) of one element of the tests option."""
    option = 'tests[%d]' % index
    if (entry.get('test') is None) == (entry.get('test_id') is None):
        raise OptionError('%s: give exactly one of test (an endpoint test definition) and test_id. Nothing was sent.' % option)
    test = entry.get('test')
    if test is not None and (not test.get('testId') or test.get('type') not in TYPES):
        raise OptionError('%s.test must be an endpoint test definition as endpoint_instant_test returns it in test (with its '
                          'testId and a type of %s). Nothing was sent.' % (option, ', '.join(TYPES)))
    return test, parse_time(entry.get('since'), option + '.since')


def _listed_test(client, listing, entry, warnings):
    """The definition of a test given by ID: from the endpoint test list, or the ID and the entry's type alone."""
    if listing['tests'] is None:
        listing['tests'] = client.api.list_endpoint_tests() or []
    key = str(entry['test_id']).strip()
    for test in listing['tests']:
        if str(test.get('testId')) == key:
            return test
    warnings.append('Endpoint test %s is not listed by GET /endpoint/tests/scheduled-tests; its results are read by ID%s.'
                    % (key, '' if entry.get('type') else ' as those of an agent-to-server test (give type for an http-server test)'))
    return {'testId': key, 'type': entry.get('type') or 'agent-to-server'}


def _agents_of(client, listing, test):
    """The endpoint agents a test names (specific-agents), with their state from one listing of the endpoint agents;
    none for other selectors (then any row ends the wait). An agent the listing lacks is of unknown state."""
    ids = [str(agent) for agent in (test.get('agentSelectorConfig') or {}).get('agents') or []]
    if not ids:
        return []
    if listing['agents'] is None:
        listing['agents'] = dict((agent['id'], agent) for agent in endpoint_agents(client))
    return [listing['agents'].get(agent_id) or {'id': agent_id, 'name': None, 'state': 'unknown'} for agent_id in ids]
