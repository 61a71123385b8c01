# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Summary rows: one normalised row per agent and layer, the same keys for every layer and both API versions.

Private to this collection: may change at any time.
"""

from __future__ import annotations

from datetime import timezone

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import RESPONSE_CODE_LAYERS
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.time import iso_utc, parse_iso
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number, response_code_ok

SUMMARY_KEYS = (
    'layer', 'agent_id', 'agent_name', 'country', 'round_id', 'date', 'server', 'server_ip', 'direction',
    'loss', 'latency', 'latency_min', 'latency_max', 'jitter', 'hops',
    'response_code', 'response_time', 'total_time', 'availability', 'completion', 'mos',
    'dns_ok', 'error', 'ok',
    'dns_time', 'connect_time', 'ssl_time', 'wait_time', 'receive_time', 'link',
)
# The http-server timing breakdown: summary key -> field of the row (the same in v6 and v7).
HTTP_TIMINGS = (('dns_time', 'dnsTime'), ('connect_time', 'connectTime'), ('ssl_time', 'sslTime'), ('wait_time', 'waitTime'),
                ('receive_time', 'receiveTime'))


def row_link(row):
    """The row's link into the ThousandEyes app: v6 ``permalink``, v7 ``_links.appLink.href``; None when it has none."""
    app_link = ((row.get('_links') or {}).get('appLink') or {}) if isinstance(row.get('_links'), dict) else {}
    link = row.get('permalink') or (app_link.get('href') if isinstance(app_link, dict) else None)
    return _text(link)


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
        parsed = parse_iso(value)
        return value if parsed is None else parsed.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    return iso_utc(round_id) if round_id is not None else None


def _direction(value):
    text = _text(value)
    return text.lower().replace('_', '-') if text else None


def _hops(row):
    for key in ('pathTraces', 'endpoints'):
        paths = row.get(key)
        if isinstance(paths, list) and paths and isinstance(paths[0], dict):
            return parse_number(paths[0].get('numberOfHops'), int)
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
                   date=_iso_date(row.get('date'), round_id), server=_text(row.get('server')), server_ip=_text(row.get('serverIp')),
                   direction=_direction(row.get('direction')) or _direction(direction), link=row_link(row))
    error = row_error(row)
    if layer == 'network':
        summary.update(loss=parse_number(row.get('loss')), latency=parse_number(row.get('avgLatency')),
                       latency_min=parse_number(row.get('minLatency')), latency_max=parse_number(row.get('maxLatency')),
                       jitter=parse_number(row.get('jitter')))
    elif layer == 'path-vis':
        summary['hops'] = _hops(row)
    elif layer in RESPONSE_CODE_LAYERS:
        summary.update(response_code=parse_number(row.get('responseCode'), int), response_time=parse_number(row.get('responseTime')),
                       total_time=parse_number(row.get('totalTime')))
        if layer == 'http-server':
            summary.update((key, parse_number(row.get(field))) for key, field in HTTP_TIMINGS)
        if layer == 'sip-server':
            summary['availability'] = parse_number(row.get('availability'))
    elif layer == 'page-load':
        summary.update(response_time=parse_number(row.get('responseTime')), total_time=parse_number(row.get('pageLoadTime')))
    elif layer == 'web-transactions':
        summary['total_time'] = parse_number(row.get('transactionTime'))
    elif layer in ('dns-trace', 'dns-server'):
        summary['response_time'] = parse_number(row.get('finalQueryTime' if layer == 'dns-trace' else 'resolutionTime'))
        summary['dns_ok'] = error is None
    elif layer == 'dnssec':
        valid = row.get('isValid', row.get('valid'))
        if valid is None:
            summary['dns_ok'] = None if error is None else False
        else:
            summary['dns_ok'] = valid in (1, True, '1', 'true', 'True') and error is None
            if not summary['dns_ok'] and error is None:
                error = 'DNSSEC validation failed'
    elif layer == 'api':
        summary.update(total_time=parse_number(row.get('apiTransactionTime')), completion=parse_number(row.get('completion')))
        if error is None and summary['completion'] is not None and summary['completion'] < 100:
            error = 'the API transaction completed %s%% of its steps' % ('%g' % summary['completion'])
    elif layer == 'rtp-server':
        summary.update(loss=parse_number(row.get('loss')), latency=parse_number(row.get('latency')), jitter=parse_number(row.get('pdv')),
                       mos=parse_number(row.get('mos')))
    summary['error'] = error
    summary['ok'] = error is None and (layer not in RESPONSE_CODE_LAYERS or response_code_ok(layer, summary['response_code'], test))
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


def sort_rows(rows):
    """Summary rows in the order modules return them: by agent name, agent, server, direction."""
    return sorted(rows, key=lambda row: ((row['agent_name'] or '').lower(), row['agent_id'] or '', row['server'] or '',
                                         row['direction'] or ''))
