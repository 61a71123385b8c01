# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a test's results, waiting for a run's rows, and the normalised summary.

Private to this collection: may change at any time. ``collect_results`` is the one waiting loop of the
collection (``test_results_info``, ``instant_test`` and ``instant_test_rerun`` with ``wait``, the
``diagnose`` role through them).

The completion rule: a run is complete when every agent of the test that can report has a row in a
round at or after ``since`` in every layer read. Agents that cannot report (offline or disabled
Enterprise agents) do not hold the wait; they are listed in ``missing``. When ``wait_timeout`` passes
first, the result is returned with ``complete`` false and whatever arrived: a timeout is never an error.
"""

from __future__ import annotations

import math
import re
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._lookup import get_test
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._test_types import LAYERS

# Polling: start fast because results often arrive within seconds, then back off to spare the org budget.
FIRST_POLL_INTERVAL = 2.0
POLL_GROWTH = 1.5
MAX_POLL_INTERVAL = 10.0

# Agents in these states never report; they do not hold the wait.
SILENT_STATES = ('offline', 'disabled')

SUMMARY_KEYS = (
    'layer', 'agent_id', 'agent_name', 'country', 'round_id', 'date', 'server', 'direction',
    'loss', 'latency', 'latency_min', 'latency_max', 'jitter', 'hops',
    'response_code', 'response_time', 'total_time', 'availability', 'mos',
    'dns_ok', 'error', 'ok',
)

# Layers whose rows carry an application response code that decides ``ok``.
RESPONSE_CODE_LAYERS = ('http-server', 'ftp-server', 'sip-server')

WINDOW_PATTERN = re.compile(r'^[0-9]+[smhdw]?$')

# How each version spells a time range on the data endpoints (reference sections 4.1 and 10.4). The real
# v7 API takes startDate alone (endDate defaults to the time of the request).
RANGE_PARAMS = {
    'v6': dict(start='from', end='to', time_format='%Y-%m-%dT%H:%M:%S'),
    'v7': dict(start='startDate', end='endDate', time_format='%Y-%m-%dT%H:%M:%SZ'),
}
# v6 serves the two directions of a bidirectional agent-to-agent test separately (path-vis refuses
# BIDIRECTIONAL); v7 returns both directions when no direction is asked for.
V6_DIRECTIONS = ('TO_TARGET', 'FROM_TARGET')


# Time ------------------------------------------------------------------------------------------------

def iso_utc(epoch):
    """``YYYY-MM-DDTHH:MM:SSZ`` for epoch seconds."""
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(int(epoch)))


def _header(headers, name):
    if not headers:
        return None
    value = headers.get(name)
    if value is None and isinstance(headers, dict):
        for key, candidate in headers.items():
            if key.lower() == name.lower():
                return candidate
    return value


def started_at_from(local_before, headers):
    """Epoch seconds to use as ``since`` for a run asked for at local time ``local_before``.

    ``local_before`` is ``time.time()`` taken just before the POST. A round's ID is the server's clock at the
    start of the round, so a local clock that runs ahead would make ``since`` newer than the run itself: when
    the answer's Date header is more than one second earlier than ``local_before``, the Date minus one second
    is used instead.
    """
    started = int(math.floor(local_before))
    date = _header(headers, 'Date')
    if date:
        try:
            server = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError, IndexError):
            server = None
        if server is not None and server < local_before - 1:
            started = int(math.floor(server)) - 1
    return started


def parse_time(value, option):
    """Epoch seconds (int) from ISO 8601 (``2026-11-26T10:00:00Z``) or epoch seconds (number or digit string).

    A time without a zone is taken as UTC. None stays None. Anything else raises OptionError naming ``option``.
    """
    if value is None or value == '':
        return None
    if isinstance(value, bool):
        raise OptionError('%s must be an ISO 8601 UTC time such as 2026-11-26T10:00:00Z or epoch seconds, got %r.' % (option, value))
    if isinstance(value, (int, float)):
        return int(math.floor(value))
    if isinstance(value, datetime):  # an unquoted YAML timestamp
        return int(math.floor((value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()))
    text = str(value).strip()
    if re.match(r'^[0-9]+(\.[0-9]*)?$', text):
        return int(math.floor(float(text)))
    candidate = text.replace(' ', 'T', 1)
    if candidate.endswith(('Z', 'z')):
        candidate = candidate[:-1] + '+00:00'
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        raise OptionError('%s must be an ISO 8601 UTC time such as 2026-11-26T10:00:00Z or epoch seconds, got %r.' % (option, value))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return int(math.floor(parsed.timestamp()))


def parse_window(value, option='window'):
    """The API's window string (``600``, ``10m``, ``1h``) from a number of seconds or such a string."""
    if value is None or value == '':
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    text = str(value).strip()
    if isinstance(value, bool) or not WINDOW_PATTERN.match(text) or int(re.sub('[smhdw]$', '', text)) == 0:
        raise OptionError('%s must be a positive number of seconds or a number followed by s, m, h, d or w (for example 10m or 1h), '
                          'got %r.' % (option, value))
    return text


def _format_time(epoch, api_name):
    return time.strftime(RANGE_PARAMS[api_name]['time_format'], time.gmtime(int(epoch)))


def range_params(api_name, since=None, window=None, from_time=None, to_time=None):
    """The query parameters of the time range; ``since`` asks for a range that starts with it."""
    if window is not None and (from_time is not None or to_time is not None):
        raise OptionError('A time range is either a window or a start with an optional end, not both.')
    if to_time is not None and from_time is None:
        raise OptionError('An end of the time range needs a start.')
    names = RANGE_PARAMS[api_name]
    params = {}
    if window is not None:
        params['window'] = parse_window(window)
        return params
    start = from_time if from_time is not None else since
    if start is not None:
        params[names['start']] = _format_time(start, api_name)
    if to_time is not None:
        params[names['end']] = _format_time(to_time, api_name)
    return params


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
    """One data request to poll: a layer, and for v6 bidirectional agent-to-agent tests one direction."""

    def __init__(self, layer, direction=None):
        self.layer = layer
        self.direction = direction
        self.rows = []
        self.done = False


def _queries(client, test, layers):
    bidirectional = (client.api.name == 'v6' and client.api.test_type_from_api(test.get('type')) == 'agent-to-agent'
                     and str(test.get('direction') or '').upper().replace('-', '_') == 'BIDIRECTIONAL')
    queries = []
    for layer in layers:
        if bidirectional and layer in ('network', 'path-vis'):
            queries.extend(_Query(layer, direction) for direction in V6_DIRECTIONS)
        else:
            queries.append(_Query(layer))
    return queries


# Rows ------------------------------------------------------------------------------------------------

def row_agent(row):
    """``(agent_id, agent_name, country)`` of a v6 (flat) or v7 (nested ``agent``) row."""
    agent = row.get('agent')
    source = agent if isinstance(agent, dict) else row
    agent_id = source.get('agentId')
    return (None if agent_id is None else str(agent_id)), source.get('agentName'), source.get('countryId')


def row_round(row):
    try:
        return int(row.get('roundId'))
    except (TypeError, ValueError):
        return None


def counts(row, since):
    """Whether the row belongs to the rounds asked for (a round at or after ``since``)."""
    if since is None:
        return True
    round_id = row_round(row)
    return round_id is not None and round_id >= since


def _number(value, kind=float):
    if value is None or isinstance(value, bool) or value == '':
        return None
    try:
        return kind(value) if kind is float else int(float(value))
    except (TypeError, ValueError):
        return None


def _text(value):
    if isinstance(value, (list, tuple)):
        value = '; '.join(str(item) for item in value if item not in (None, ''))
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def row_error(row):
    """The row's error text: error details first, else an error type other than ``None``; None when fine."""
    for key in ('errorDetails', 'problemDetail', 'errorDetail'):
        text = _text(row.get(key))
        if text:
            return text
    error_type = _text(row.get('errorType'))
    if error_type and error_type.lower() != 'none':
        return error_type
    return None


def _iso_date(value, round_id):
    if isinstance(value, str) and value.strip():
        candidate = value.strip().replace(' ', 'T', 1)
        if candidate.endswith(('Z', 'z')):
            candidate = candidate[:-1] + '+00:00'
        try:
            parsed = datetime.fromisoformat(candidate)
        except ValueError:
            return value
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=timezone.utc)
        return parsed.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    return iso_utc(round_id) if round_id is not None else None


def _direction(value):
    text = _text(value)
    return text.lower().replace('_', '-') if text else None


def _code_ok(layer, code, test):
    if code is None:
        return False
    if layer == 'http-server':
        desired = _text((test or {}).get('desiredStatusCode'))
        if desired and desired.lower() != 'default':
            return str(code) == desired
        return 200 <= code < 400
    if layer == 'ftp-server':
        return 100 <= code < 400
    return 200 <= code < 300  # SIP: only a final 2xx answers OPTIONS or REGISTER


def _hops(row):
    for key in ('pathTraces', 'endpoints'):
        paths = row.get(key)
        if isinstance(paths, list) and paths and isinstance(paths[0], dict):
            return _number(paths[0].get('numberOfHops'), int)
    routes = row.get('routes')
    if isinstance(routes, list) and routes and isinstance(routes[0], dict) and isinstance(routes[0].get('hops'), list):
        return len(routes[0]['hops'])
    return None


def summary_row(layer, row, direction=None, test=None):
    """One normalised summary row (every key of SUMMARY_KEYS) from a v6 or v7 result row."""
    agent_id, agent_name, country = row_agent(row)
    round_id = row_round(row)
    summary = dict.fromkeys(SUMMARY_KEYS)
    summary.update(layer=layer, agent_id=agent_id, agent_name=agent_name, country=country, round_id=round_id,
                   date=_iso_date(row.get('date'), round_id), server=_text(row.get('server')),
                   direction=_direction(row.get('direction')) or _direction(direction))
    error = row_error(row)
    if layer == 'network':
        summary.update(loss=_number(row.get('loss')), latency=_number(row.get('avgLatency')),
                       latency_min=_number(row.get('minLatency')), latency_max=_number(row.get('maxLatency')),
                       jitter=_number(row.get('jitter')))
    elif layer == 'path-vis':
        summary['hops'] = _hops(row)
    elif layer in RESPONSE_CODE_LAYERS:
        summary.update(response_code=_number(row.get('responseCode'), int), response_time=_number(row.get('responseTime')),
                       total_time=_number(row.get('totalTime')))
        if layer == 'sip-server':
            summary['availability'] = _number(row.get('availability'))
    elif layer == 'page-load':
        summary.update(response_time=_number(row.get('responseTime')), total_time=_number(row.get('pageLoadTime')))
    elif layer == 'web-transactions':
        summary['total_time'] = _number(row.get('transactionTime'))
    elif layer in ('dns-trace', 'dns-server'):
        summary['response_time'] = _number(row.get('finalQueryTime' if layer == 'dns-trace' else 'resolutionTime'))
        summary['dns_ok'] = error is None
    elif layer == 'dnssec':
        valid = row.get('isValid', row.get('valid'))
        if valid is None:
            summary['dns_ok'] = None if error is None else False
        else:
            summary['dns_ok'] = valid in (1, True, '1', 'true', 'True') and error is None
            if not summary['dns_ok'] and error is None:
                error = 'DNSSEC validation failed'
    elif layer == 'rtp-server':
        summary.update(loss=_number(row.get('loss')), latency=_number(row.get('latency')), jitter=_number(row.get('pdv')),
                       mos=_number(row.get('mos')))
    summary['error'] = error
    summary['ok'] = error is None and (layer not in RESPONSE_CODE_LAYERS or _code_ok(layer, summary['response_code'], test))
    return summary


def summarise(layer, rows, since=None, direction=None, test=None):
    """Summary rows of one layer: per agent (and DNS server, and direction) the newest round at or after ``since``."""
    newest = {}
    order = []
    for row in rows:
        if not counts(row, since):
            continue
        summary = summary_row(layer, row, direction, test)
        key = (summary['agent_id'], summary['server'] if layer == 'dns-server' else None, summary['direction'])
        current = newest.get(key)
        if current is None:
            order.append(key)
            newest[key] = summary
        elif (summary['round_id'] or 0) > (current['round_id'] or 0):
            newest[key] = summary
    return [newest[key] for key in order]


def module_results(results):
    """``{layer: rows}`` as the list that modules return: ``[{'layer': ..., 'rows': [...]}]`` in layer order.

    ansible-core renames a module's ``results`` key to ``ansible_module_results`` (with a warning) unless it is a
    list, because ``results`` is where loops keep their items; modules must return this list, never the dict.
    """
    return [{'layer': layer, 'rows': rows} for layer, rows in results.items()]


def _sorted(rows):
    return sorted(rows, key=lambda row: ((row['agent_name'] or '').lower(), row['agent_id'] or '', row['server'] or '',
                                         row['direction'] or ''))


# Polling ---------------------------------------------------------------------------------------------

def _fetch(client, test_id, query, params):
    params = dict(params)
    if query.direction:
        params['direction'] = query.direction
    rows = []
    for body in client.get_pages(client.api.results_path(test_id, query.layer), params or None):
        rows.extend(client.api.unwrap_results(body, query.layer))
    return rows


def _is_done(rows, able, since):
    reported = set(row_agent(row)[0] for row in rows if counts(row, since))
    if not able:
        return bool(reported)
    return able <= reported


def check_wait_timeout(value):
    """The one check of the wait_timeout option, for every module that waits."""
    if value is None or value < 0:
        raise OptionError('wait_timeout must be 0 or more seconds, got %s.' % value)


def collect_results(client, test, layers=None, since=None, window=None, from_time=None, to_time=None,
                    wait=False, wait_timeout=300, poll_interval=None, agent_states=None, sleep=None, monotonic=None):
    """Read (and optionally wait for) the results of one test.

    ``test`` is the definition exactly as the API returned it. ``layers``: layer names, None for every
    result layer of the test. ``since``: epoch seconds; only rows of rounds at or after it count, and the
    query asks for a range that starts with it. ``window`` (``10m``) or ``from_time``/``to_time`` (epoch
    seconds) choose another range; with none of them the API's latest round is read. ``sleep`` and
    ``monotonic`` default to the ``time`` functions (tests pass their own).

    Returns ``dict(results={layer: [rows as the API gives them]}, summary=[...], complete=bool,
    rounds=[round IDs], missing=[{agent_id, agent_name, layer, reason}])``. Reasons: ``offline`` or
    ``disabled`` (the agent cannot report), ``timeout`` (waited, no row came), ``no results`` (not waiting).
    """
    sleep = sleep or time.sleep
    monotonic = monotonic or time.monotonic
    test_id = client.api.test_id(test)
    if not test_id:
        raise OptionError('The test definition has no testId; cannot read its results.')
    if not isinstance(test.get('agents'), list):
        # Read without its agents (v7 without expand=agent): read it again with them, never wait for "no agents".
        test = get_test(client, test_id, client.api.test_type_from_api(test.get('type')))
    layer_names = select_layers(client, test, layers)
    params = range_params(client.api.name, since=since, window=window, from_time=from_time, to_time=to_time)
    # Agent states are looked up only when a poll leaves agents missing: usually results are there already, and
    # the diagnose role waits for many tests in a row.
    agents = agents_of(client, test, agent_states)
    states_known = all(agent['state'] is not None for agent in agents)
    able = set(agent['id'] for agent in agents if agent['state'] not in SILENT_STATES)
    queries = _queries(client, test, layer_names)

    deadline = monotonic() + max(wait_timeout or 0, 0)
    interval = float(poll_interval) if poll_interval else FIRST_POLL_INTERVAL
    first = True
    while True:
        pending = [query for query in queries if not query.done]
        url = client.api.url(client.api.results_path(test_id, pending[0].layer))
        # The first reading must happen; later polls are skipped rather than waiting past the deadline or the
        # task's rate_limit_max_wait, which counts every rate-limit wait of the task, these included.
        if not client.rate_limits.reserve(len(pending), 'GET', url, time_left=None if first else deadline - monotonic()):
            break
        for query in pending:
            query.rows = [row for row in _fetch(client, test_id, query, params) if counts(row, since)]
            query.done = _is_done(query.rows, able, since)
        first = False
        if wait and not states_known and not all(query.done for query in queries):
            agents = agents_of(client, test, agent_states, look_up=True)
            states_known = True
            able = set(agent['id'] for agent in agents if agent['state'] not in SILENT_STATES)
            for query in queries:
                query.done = _is_done(query.rows, able, since)
        if not wait or all(query.done for query in queries):
            break
        left = deadline - monotonic()
        if left <= 0:
            break
        sleep(min(interval, left))
        if not poll_interval:
            interval = min(interval * POLL_GROWTH, MAX_POLL_INTERVAL)

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
        summary.extend(_sorted(rows_summary))
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
