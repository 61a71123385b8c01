# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose report as a table: one row per target, test type and agent, as aligned text or Markdown.

Private to this collection: may change at any time. Pure functions: no I/O, no clock.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.endpoint import endpoint_lines
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.reasons import counted, reason_lines
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.symptoms import (
    DNS_LAYERS,
    NOT_MEASURED,
    RESPONSE_TIME_LAYERS,
    fmt,
    metric_flags,
    unmeasured,
)
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import (
    check_row,
    agent_label,
    worst,
)
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of

TABLE_COLUMNS = ('target', 'location', 'test', 'agent', 'loss', 'latency', 'jitter', 'http', 'response', 'dns', 'status')
TABLE_HEADINGS = dict(target='TARGET', location='LOCATION', test='TEST', agent='AGENT', loss='LOSS', latency='LATENCY', jitter='JITTER', http='HTTP',
                      response='RESPONSE', dns='DNS', status='STATUS')
FORMATS = ('text', 'markdown')


def _ms(row: dict[str, Any], key: str) -> str:
    """A time of the row in ms; ``NOT_MEASURED`` where the row's value is no measurement, '' where it has none."""
    number = parse_number(row.get(key))
    if key in unmeasured(row):
        return NOT_MEASURED
    return '%s ms' % fmt(number) if number is not None else ''


def _empty_cells(target: str, test_type: str, agent: str) -> dict[str, str]:
    cells = dict.fromkeys(TABLE_COLUMNS, '')
    cells.update(target=target, test=test_type, agent=agent)
    return cells


def _agent_rows(target: str, test: dict[str, Any], limits: dict[str, Any], agents_by_id: dict[str, dict[str, Any]]) -> list[dict[str, str]]:
    """One table row per agent of a test: the key metrics of all of its layers, and the agent's status."""
    per_agent: dict[str, dict[str, Any]] = {}
    for row in test.get('summary') or []:
        per_agent.setdefault(str(row.get('agent_id')), dict(agent=agent_label(row, agents_by_id), rows=[], missing=[]))['rows'].append(row)
    for entry in test.get('missing') or []:
        per_agent.setdefault(str(entry.get('agent_id')), dict(agent=agent_label(entry, agents_by_id), rows=[], missing=[]))['missing'].append(entry)
    position = dict((agent_id, index) for index, agent_id in enumerate(agents_by_id))
    order = sorted(per_agent, key=lambda agent_id: position.get(agent_id, len(position)))
    lines = []
    for key in order:
        info = per_agent[key]
        cells = _empty_cells(target, test['type'], info['agent'])
        verdicts = []
        for row in info['rows']:
            verdicts.extend(verdict for verdict, reason in check_row(row, limits))
            if row.get('layer') == 'network':
                loss = parse_number(row.get('loss'))
                loss_cell = NOT_MEASURED if 'loss' in unmeasured(row) else ('%s%%' % fmt(loss) if loss is not None else '')
                cells.update(loss=loss_cell, latency=_ms(row, 'latency'), jitter=_ms(row, 'jitter'))
            elif row.get('layer') in RESPONSE_TIME_LAYERS:
                code = NOT_MEASURED if 'response_code' in unmeasured(row) else (str(row['response_code']) if row.get('response_code') is not None else '')
                cells.update(http=code, response=_ms(row, 'response_time'))
            elif row.get('layer') in DNS_LAYERS:
                cells['dns'] = 'ok' if row.get('dns_ok') else ('FAIL' if row.get('dns_ok') is False else '')
        status = worst(verdicts)
        if info['missing']:
            reasons = sorted(set(entry.get('reason') or 'missing' for entry in info['missing']))
            status = '%s (no result: %s)' % ('degraded' if status == 'ok' else status, ', '.join(reasons))
        cells['status'] = status
        # Which measured metrics breach, as the symptoms say (the renderers colour by it, never by the text).
        cells['breaching'] = metric_flags(info['rows'], limits)
        lines.append(cells)
    return lines


def table_rows(report: dict[str, Any]) -> list[dict[str, str]]:
    """The table as dicts (one per target, test type and agent)."""
    limits = thresholds_of(report.get('thresholds'))
    agents_by_id = dict((str(agent.get('id')), agent) for agent in report.get('agents') or [])
    rows = []
    for target in report.get('targets') or []:
        for test in target.get('tests') or []:
            agent_rows = _agent_rows(target['target'], test, limits, agents_by_id)
            if not agent_rows:
                cells = _empty_cells(target['target'], test['type'], '-')
                cells['status'] = test.get('verdict') or 'degraded'
                agent_rows = [cells]
            for cells in agent_rows:
                cells['location'] = target.get('location') or ''
            rows.extend(agent_rows)
    return rows


def _markdown_cell(text: Any) -> str:
    return str(text).replace('|', '\\|')


def diagnose_table(report: dict[str, Any], format: str = 'text') -> list[str]:  # pylint: disable=redefined-builtin
    """The report as table lines: ``text`` (aligned columns, then a verdict line per target) or ``markdown``."""
    if not isinstance(report, dict) or 'targets' not in report:
        raise DiagnoseInputError('diagnose_table expects the diagnose_report that diagnose_verdicts returned.')
    if format not in FORMATS:
        raise DiagnoseInputError('diagnose_table: format must be text or markdown, got %r.' % (format,))
    rows = table_rows(report)
    if format == 'markdown':
        lines = ['| %s |' % ' | '.join(TABLE_HEADINGS[column].capitalize() for column in TABLE_COLUMNS),
                 '|%s|' % '|'.join('---' for column in TABLE_COLUMNS)]
        lines.extend('| %s |' % ' | '.join(_markdown_cell(row[column]) for column in TABLE_COLUMNS) for row in rows)
        return lines
    widths = dict((column, max([len(TABLE_HEADINGS[column])] + [len(str(row[column])) for row in rows])) for column in TABLE_COLUMNS)
    lines = ['  '.join(TABLE_HEADINGS[column].ljust(widths[column]) for column in TABLE_COLUMNS).rstrip()]
    lines.extend('  '.join(str(row[column]).ljust(widths[column]) for column in TABLE_COLUMNS).rstrip() for row in rows)
    lines.append('')
    for target in report['targets']:
        location = ', location: %s' % target['location'] if target.get('location') else ''
        lines.append('%s: %s%s' % (target['target'], target['verdict'].upper(), location))
        lines.extend('  - %s' % reason for reason in reason_lines(target))
        lines.extend('  * %s' % finding for finding in target.get('evidence') or [])
        lines.extend('  endpoint %s' % line for line in endpoint_lines(target))
        if target.get('next_step') and target.get('location') not in (None, 'none'):
            lines.append('  next: %s' % target['next_step'])
    counts = (counted(report.get('tests_run') or 0, 'test'), counted(report.get('instant_calls') or 0, 'instant-test call'))
    lines.append('Overall: %s (%s ran, %s)' % ((str(report.get('verdict')).upper(),) + counts))
    return lines
