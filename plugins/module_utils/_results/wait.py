# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading and waiting for the results of a test: its agents, its layers, the polling loop.

Private to this collection: may change at any time.
"""

from __future__ import annotations

import re
import time

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import AgentsCannotReportError, OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._lookup import get_test
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import LAYERS
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.summary import counts, row_agent, row_round, sort_rows, summarise
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.time import range_params

# Polling: start fast because results often arrive within seconds, then back off to spare the org budget.
FIRST_POLL_INTERVAL = 2.0
POLL_GROWTH = 1.5
MAX_POLL_INTERVAL = 10.0

# Agents in these states never report; they do not hold the wait.
SILENT_STATES = ('offline', 'disabled')


# Agents ----------------------------------------------------------------------------------------------

def _norm_state(state):
    return state.strip().lower() if isinstance(state, str) and state.strip() else None


def _norm_type(agent_type):
    return (agent_type or '').strip().lower().replace(' ', '-') if isinstance(agent_type, str) else ''


def agents_of(client, test, agent_states=None, look_up=False):
    """The test's source agents: ``[{'id', 'name', 'type', 'state'}]`` in the definition's order.

    The state comes from ``agent_states`` (ID -> state), then from the expanded agent entry; Cloud agents are
    online. With ``look_up``, agents still of unknown state are looked up in one agents listing.
    """
    states = dict((str(key), _norm_state(value)) for key, value in (agent_states or {}).items())
    agents = []
    for entry in test.get('agents') or []:
        if not isinstance(entry, dict):
            entry = {'agentId': entry}
        if entry.get('agentId') is None:
            continue
        agent_id = str(entry['agentId'])
        agent_type = _norm_type(entry.get('agentType'))
        state = states.get(agent_id) or _norm_state(entry.get('agentState'))
        if state is None and entry.get('enabled') in (0, False):
            state = 'disabled'
        if state is None and agent_type == 'cloud':
            state = 'online'
        agents.append({'id': agent_id, 'name': entry.get('agentName'), 'type': agent_type or None, 'state': state})
    if look_up and any(agent['state'] is None for agent in agents):
        directory = client.agents
        for agent in agents:
            if agent['state'] is None:
                known = directory.by_id(agent['id'])
                if known:
                    agent['state'] = known['state']
                    agent['name'] = agent['name'] or known['name']
                    agent['type'] = agent['type'] or known['type']
    return agents


def describe_agents(agents):
    """``branch-ams-ea (202) is offline, 203 is disabled`` for agents as ``agents_of`` returns them."""
    return ', '.join('%s is %s' % ('%s (%s)' % (agent['name'], agent['id']) if agent['name'] else agent['id'], agent['state'] or 'of unknown state')
                     for agent in agents)


def silent_agents_warning(test_id, missing):
    """The warning for the agents that cannot report, from the ``missing`` of a reading; None when there are none."""
    silent = []
    for entry in missing:
        agent = {'id': entry['agent_id'], 'name': entry['agent_name'], 'state': entry['reason']}
        if entry['reason'] in SILENT_STATES and agent not in silent:
            silent.append(agent)
    if not silent:
        return None
    return ('Test %s: %s, so the results have no rows from %s; the wait covered the other agents only. Bring %s online, or '
            'run the test from other agents.' % (test_id, describe_agents(silent), 'it' if len(silent) == 1 else 'them',
                                                 'it' if len(silent) == 1 else 'them'))


# Layers ----------------------------------------------------------------------------------------------

def data_links(client, test):
    """The test's result URLs as the API names them, completed with the type's layers the API leaves out.

    Completed v6 links are built with the ``.json`` suffix the client needs; it is dropped here so that every
    link looks like the API's own ``apiLinks`` hrefs.
    """
    return [re.sub(r'\.json(?=$|\?)', '', link) for link in client.api.complete_data_links(test, client.api.data_links(test))]


def layers_of(client, test):
    """The result layers of the test, from its data links completed with the type's layers."""
    layers = []
    for link in client.api.complete_data_links(test, client.api.data_links(test)):
        layer = client.api.layer_of_link(link)
        if layer and layer not in layers:
            layers.append(layer)
    return layers


def select_layers(client, test, layers=None):
    """The layers to read: all of the test's, or the ones asked for (OptionError for others)."""
    available = layers_of(client, test)
    test_type = client.api.test_type_from_api(test.get('type'))
    if layers is None:
        if not available:
            raise OptionError('Test %s (%s) has no result layers that this collection reads.' % (client.api.test_id(test), test_type))
        return available
    unknown = [layer for layer in layers if layer not in LAYERS]
    if unknown:
        raise OptionError('layers: unknown layer %s; the layers are %s.' % (', '.join(unknown), ', '.join(LAYERS)))
    absent = [layer for layer in layers if layer not in available]
    if absent:
        raise OptionError('layers: test %s (%s) has no %s results; its layers are %s.' % (
            client.api.test_id(test), test_type, ', '.join(absent), ', '.join(available) or 'none'))
    selected = []
    for layer in layers:
        if layer not in selected:
            selected.append(layer)
    return selected


class _Query:
    """One data request to poll: a layer, and a direction where the provider reads directions separately."""

    def __init__(self, layer, direction=None):
        self.layer = layer
        self.direction = direction
        self.rows = []
        self.done = False


def _queries(client, test, layers):
    return [_Query(layer, direction) for layer in layers for direction in client.api.result_directions(test, layer)]


# Polling ---------------------------------------------------------------------------------------------

def _fetch(client, test_id, query, params):
    return client.api.results(test_id, query.layer, params, query.direction)


def _is_done(rows, able, since):
    reported = set(row_agent(row)[0] for row in rows if counts(row, since))
    if not able:
        return bool(reported)
    return able <= reported


def poll(client, read, next_reads, wait, deadline, poll_interval=None, sleep=None, monotonic=None):
    """The one polling policy of the collection, for every wait for results (Cloud and Endpoint Agent tests).

    ``read()`` reads once and returns whether everything waited for has arrived; ``next_reads()`` says what the next
    reading spends, ``(requests, method, url)``, so that it is reserved in the organization budget first. The first
    reading always happens; with ``wait`` the later ones follow after ``FIRST_POLL_INTERVAL`` seconds, growing by
    ``POLL_GROWTH`` up to ``MAX_POLL_INTERVAL`` (or every ``poll_interval`` seconds), until ``read()`` says done or the
    ``deadline`` (a ``monotonic`` time) passes. A later poll is skipped rather than waiting past the deadline or the
    task's rate_limit_max_wait, which counts every rate-limit wait of the task, these included. Each sleep is counted
    in the task's ``waited.results``. Returns the last ``read()``'s answer (False when a poll was skipped).
    """
    sleep = sleep or time.sleep
    monotonic = monotonic or time.monotonic
    interval = float(poll_interval) if poll_interval else FIRST_POLL_INTERVAL
    first = True
    while True:
        requests, method, url = next_reads()
        if not client.rate_limits.reserve(requests, method, url, time_left=None if first else deadline - monotonic()):
            return False
        done = read()
        first = False
        if not wait or done:
            return done
        left = deadline - monotonic()
        if left <= 0:
            return False
        sleep(min(interval, left))
        client.waits.add('results', min(interval, left))
        if not poll_interval:
            interval = min(interval * POLL_GROWTH, MAX_POLL_INTERVAL)


def check_wait_timeout(value):
    """The one check of the wait_timeout option, for every module that waits."""
    if value is None or value < 0:
        raise OptionError('wait_timeout must be 0 or more seconds, got %s.' % value)


def collect_results(client, test, layers=None, since=None, window=None, from_time=None, to_time=None,
                    wait=False, wait_timeout=300, poll_interval=None, agent_states=None, sleep=None, monotonic=None):
    """Read (and optionally wait for) the results of one test.

    ``test`` is the definition exactly as the API returned it. ``layers``: layer names, None for every
    result layer of the test, an empty list for none (the definition alone). ``since``: epoch seconds; only
    rows of rounds at or after it count, and the query asks for a range that starts with it. ``window``
    (``10m``) or ``from_time``/``to_time`` (epoch seconds) choose another range; with none of them the API's
    latest round is read. ``sleep`` and ``monotonic`` default to the ``time`` functions (tests pass their own).

    Returns ``dict(results={layer: [rows as the API gives them]}, summary=[...], complete=bool,
    rounds=[round IDs], missing=[{agent_id, agent_name, layer, reason}])``. Reasons: ``offline`` or
    ``disabled`` (the agent cannot report), ``timeout`` (waited, no row came), ``no results`` (not waiting).
    With ``wait``, raises AgentsCannotReportError at the first poll when no agent of the test can report.
    """
    sleep = sleep or time.sleep
    monotonic = monotonic or time.monotonic
    test_id = client.api.test_id(test)
    if not test_id:
        raise OptionError('The test definition has no testId; cannot read its results.')
    if layers is not None and len(layers) == 0:
        # layers: [] asks for the definition alone: no result request, nothing to wait for.
        return dict(results={}, summary=[], complete=True, rounds=[], missing=[])
    if not isinstance(test.get('agents'), list):
        # Read without its agents (v7 without expand=agent): read it again with them, never wait for "no agents".
        test = get_test(client, test_id, client.api.test_type_from_api(test.get('type')))
    layer_names = select_layers(client, test, layers)
    params = range_params(client.api, since=since, window=window, from_time=from_time, to_time=to_time)
    # Agent states are looked up only when a poll leaves agents missing: usually results are there already, and
    # the diagnose role waits for many tests in a row.
    agents = agents_of(client, test, agent_states)
    states_known = all(agent['state'] is not None for agent in agents)
    able = set(agent['id'] for agent in agents if agent['state'] not in SILENT_STATES)
    queries = _queries(client, test, layer_names)

    state = dict(agents=agents, states_known=states_known, able=able)

    def read():
        pending = [query for query in queries if not query.done]
        for query in pending:
            query.rows = [row for row in _fetch(client, test_id, query, params) if counts(row, since)]
            query.done = _is_done(query.rows, state['able'], since)
        if wait and not state['states_known'] and not all(query.done for query in queries):
            state['agents'] = agents_of(client, test, agent_states, look_up=True)
            state['states_known'] = True
            state['able'] = set(agent['id'] for agent in state['agents'] if agent['state'] not in SILENT_STATES)
            for query in queries:
                query.done = _is_done(query.rows, state['able'], since)
        if wait and state['agents'] and not state['able'] and not all(query.done for query in queries):
            # Waiting could only run out wait_timeout: say so now, with each agent's state.
            raise AgentsCannotReportError(
                'None of the agents of test %s can report, so no result of it can arrive: %s. Offline and disabled Enterprise '
                'agents return no results. Bring one of them online, or run the test from other agents (agent_info lists '
                'the agents with their state).' % (test_id, describe_agents(state['agents'])),
                test_id=test_id, agents=state['agents'])
        return all(query.done for query in queries)

    def next_reads():
        pending = [query for query in queries if not query.done]
        return len(pending), 'GET', client.api.url(client.api.results_path(test_id, pending[0].layer))

    poll(client, read, next_reads, wait=wait, deadline=monotonic() + max(wait_timeout or 0, 0), poll_interval=poll_interval,
         sleep=sleep, monotonic=monotonic)
    agents = state['agents']
    return _outcome(queries, layer_names, agents, since, wait, test)


def collect_many(client, entries, wait=False, wait_timeout=300, monotonic=None, **options):
    """``collect_results`` for several ``(test, since)`` entries under one deadline.

    The API runs started tests at the same time, so the first wait takes the result delay and the later tests
    usually find their rows at the first poll; a test reached after the deadline is read once, not waited for.
    """
    monotonic = monotonic or time.monotonic
    deadline = monotonic() + max(wait_timeout or 0, 0)
    return [collect_results(client, test, since=since, wait=wait, wait_timeout=max(deadline - monotonic(), 0),
                            monotonic=monotonic, **options)
            for test, since in entries]


def _outcome(queries, layer_names, agents, since, wait, test):
    results = dict((layer, []) for layer in layer_names)
    summary = []
    rounds = set()
    reported = {}
    for layer in layer_names:
        layer_queries = [query for query in queries if query.layer == layer]
        rows_summary = []
        for query in layer_queries:
            results[layer].extend(query.rows)
            rows_summary.extend(summarise(layer, query.rows, since=since, direction=query.direction, test=test))
            rounds.update(round_id for round_id in (row_round(row) for row in query.rows) if round_id is not None)
            agent_ids = set(row_agent(row)[0] for row in query.rows)
            reported[layer] = agent_ids if layer not in reported else reported[layer] & agent_ids
        summary.extend(sort_rows(rows_summary))
    missing = []
    for layer in layer_names:
        for agent in agents:
            if agent['id'] in reported.get(layer, set()):
                continue
            if agent['state'] in SILENT_STATES:
                reason = agent['state']
            else:
                reason = 'timeout' if wait else 'no results'
            missing.append({'agent_id': agent['id'], 'agent_name': agent['name'], 'layer': layer, 'reason': reason})
    return dict(results=results, summary=summary, complete=all(query.done for query in queries), rounds=sorted(rounds),
                missing=missing)
