# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose report as one self-contained HTML page: inline CSS and SVG, no script, nothing fetched.

Private to this collection: may change at any time. Pure functions of the report (no I/O, no clock).

Every value that comes from the API (targets, test names, agent names, addresses, rdns, network names, error
details, links) is text: it passes through ``_text`` (``html.escape``) on its way into the page, in element
content and in attributes alike. The page carries a Content-Security-Policy of ``default-src 'none'`` (styles
inline only), so a browser fetches nothing even if a value slipped through.

Layout: the overall verdict and counts; a summary line per target; then per target (folded to its summary line
when healthy, so that 20 targets by 8 agents stay readable) its verdict, location, next step, reasons, evidence,
the agent by test matrix (a row per agent, the test types side by side) coloured as the symptoms judge the values,
and per test and path the path drawn as a chain of hops from the agent to the destination (traces that stop short
drawn as stopping, the hop where the fault starts marked) with an mtr-style hop table under it, open where it
places the fault and folded where it is further evidence; the tests and links folded; at the end the thresholds.
"""

from __future__ import annotations

import html
import re
from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.path_geometry import NETWORK_AS, private
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.reasons import counted, reason_lines
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.table import table_rows
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.symptoms import NOT_MEASURED, fmt

# Drawing geometry (SVG user units): one column per hop, one row per trace.
HOP_WIDTH = 150
ROW_HEIGHT = 104
MARGIN = 16
LABEL_CHARS = 22

STYLE = """
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:16px 24px;color:#1f2328;background:#fff}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:0}h3{font-size:15px;margin:14px 0 6px}
.verdict{display:inline-block;padding:1px 8px;border-radius:10px;font-weight:600;color:#fff;text-transform:uppercase;font-size:12px}
.v-ok{background:#1a7f37}.v-degraded{background:#bf8700}.v-failed{background:#cf222e}
.counts span{margin-right:14px}.muted{color:#59636e}
table{border-collapse:collapse;margin:6px 0 10px}th,td{border:1px solid #d1d9e0;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}th.test{text-align:center}td.num{text-align:right;font-variant-numeric:tabular-nums}
td.bad{background:#ffebe9;color:#82071e;font-weight:600}td.good{background:#dafbe1}
tr.fault td{background:#ffebe9}
details.target{border:1px solid #d1d9e0;border-radius:6px;margin:10px 0;padding:6px 12px}
details.target>summary{cursor:pointer;font-size:16px;font-weight:600;padding:4px 0}
details.path{margin:6px 0}details.path>summary{cursor:pointer}details.tests{margin:10px 0 4px}details.tests>summary{cursor:pointer;color:#59636e}
.fault-label{color:#cf222e;font-weight:600}
.scroll{overflow-x:auto;max-width:100%}
svg.path{display:block;max-width:none;border:1px solid #eaeef2;border-radius:4px;background:#fbfcfd}
table.hops{table-layout:fixed}table.hops td{overflow-wrap:anywhere;padding:2px 6px}table.hops td,table.hops th{font-size:12px}
td.none{color:#59636e}.same-path{margin:2px 0 6px}details.lan>summary{cursor:pointer;color:#59636e}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;word-break:normal;overflow-wrap:anywhere}
"""


# The AS number at the end of a network's name: `` (AS 6939)``.
AS_SUFFIX = re.compile(r'\s*\(AS\s*\d+\)\s*$')


def _agent_label(agent: dict[str, Any]) -> str:
    # Agent names hold commas ("Frankfurt, Germany"): the ID in brackets and semicolons between agents keep them apart.
    return '%s (%s)' % (agent.get('name'), agent.get('id')) if agent.get('id') is not None else str(agent.get('name'))


def _text(value: Any) -> str:
    """Any value as escaped text; None as an empty string."""
    return '' if value is None else html.escape(str(value), quote=True)


def _short(value: Any, length: int = LABEL_CHARS) -> str:
    """The text cut to ``length`` characters with an ellipsis; a network's AS number is kept whole, its name cut
    (``Hurricane Elec… (AS 6939)``, never ``Hurricane Electric (A…``)."""
    text = '' if value is None else str(value)
    if len(text) <= length:
        return text
    match = AS_SUFFIX.search(text)
    if match and match.start() > 0 and len(match.group(0)) < length - 1:
        name = text[:match.start()].rstrip()
        return name[:length - len(match.group(0)) - 1].rstrip() + '\u2026' + match.group(0)
    return text[:length - 1] + '\u2026'


def _short_ip(ip: Any, length: int = LABEL_CHARS - 4) -> str:
    """An address that fits under its hop: an IPv6 address keeps its first two groups and its last one
    (``2001:db8:…:1``); the full address is the node's tooltip and stands in the hop table."""
    text = '' if ip is None else str(ip)
    if len(text) <= length or ':' not in text:
        return text
    groups = [group for group in text.split(':') if group]
    short = '%s:…:%s' % (':'.join(groups[:2]), groups[-1]) if len(groups) >= 3 else text
    return short if len(short) <= length else text[:length - 1] + '…'


def _short_middle(value: Any, length: int = LABEL_CHARS) -> str:
    """An agent's name cut in its middle, so that agents of one city stay apart by what ends their names
    (``Frankfurt, G… (Azure)`` and ``Frankfurt, Germany``)."""
    text = '' if value is None else str(value)
    if len(text) <= length:
        return text
    tail = (length - 1) // 2
    return text[:length - 1 - tail].rstrip() + '…' + text[-tail:].lstrip()


def _verdict(verdict: Any) -> str:
    verdict = str(verdict or 'degraded')
    css = verdict if verdict in ('ok', 'degraded', 'failed') else 'degraded'
    return '<span class="verdict v-%s">%s</span>' % (css, _text(verdict))


def _marked(target: dict[str, Any], agent_id: str, traces: list[dict[str, Any]] | None = None) -> dict[str, dict[str, Any]]:
    """``{ip: fault}``: the hops where a fault starts on this agent's path.

    Only the findings that place the fault (``primary``) are marked; a finding given as further evidence is not. A fault
    at the end of the path (``target``: the server, or each agent's own edge of it) is marked on every affected agent's
    drawing: at its address where the agent's traces cross it, else at the last hop that answered on each trace.
    """
    seen = set(str(hop.get('ip')) for trace in traces or [] for hop in trace.get('hops') or [] if hop.get('ip'))
    marked: dict[str, dict[str, Any]] = {}
    for fault in target.get('fault_hops') or []:
        if not fault.get('ip') or fault.get('primary') is False or agent_id not in [str(agent) for agent in fault.get('agents') or []]:
            continue
        if traces is None or str(fault['ip']) in seen or fault.get('cause') != 'target':
            marked[str(fault['ip'])] = fault
            continue
        for trace in traces:
            answered = [hop for hop in trace.get('hops') or [] if hop.get('ip')]
            if answered:
                marked.setdefault(str(answered[-1]['ip']), fault)
    return marked


# The drawing -------------------------------------------------------------------------------------------

def _node(x: float, y: float, lines: list[str], fill: str, stroke: str, radius: int = 9, extra: str = '', title: str = '') -> list[str]:
    tooltip = '<title>%s</title>' % _text(title) if title else ''
    parts = ['<circle cx="%d" cy="%d" r="%d" fill="%s" stroke="%s" stroke-width="2"%s>%s</circle>' % (x, y, radius, fill, stroke, extra, tooltip)]
    for index, line in enumerate(lines):
        weight = ' font-weight="600"' if index == 0 else ''
        parts.append('<text x="%d" y="%d"%s>%s</text>' % (x, y + 24 + 13 * index, weight, _text(line)))
    return parts


def path_svg(agent_name: str, traces: list[dict[str, Any]], marked: dict[str, dict[str, Any]], more: int = 0) -> str:
    """One agent's traces as an SVG: a row per trace, the agent on the left, the destination on the right; ``more``:
    how many other agents the drawing stands for (their number under the agent)."""
    # The agent, the hops, and room for a stop mark and its label.
    columns = max([len(trace.get('hops') or []) for trace in traces] + [1]) + 2
    width = MARGIN * 2 + HOP_WIDTH * columns
    height = MARGIN + ROW_HEIGHT * max(len(traces), 1)
    # Drawn at its natural size (a long path scrolls sideways in its box), so that every drawing has the same text size.
    parts = ['<svg class="path" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s">' % (
        width, height, width, height, _text('Path from %s' % agent_name)), '<g font-size="11" text-anchor="middle">']
    for row, trace in enumerate(traces):
        y = MARGIN + 14 + ROW_HEIGHT * row
        hops = trace.get('hops') or []
        reached = bool(trace.get('reached'))
        x_of = [MARGIN + HOP_WIDTH // 2 + HOP_WIDTH * (index + 1) for index in range(len(hops))]
        end_x = x_of[-1] if x_of else MARGIN + HOP_WIDTH // 2
        agent_x = MARGIN + HOP_WIDTH // 2
        parts.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#8c959f" stroke-width="2"/>' % (agent_x, y, end_x, y))
        parts.extend(_node(agent_x, y, [_short_middle(agent_name), 'trace %d' % (row + 1)] + (['and %s' % counted(more, 'more agent')] if more else []),
                           '#0969da', '#0550ae', 10, title=agent_name))
        for index, hop in enumerate(hops):
            x = x_of[index]
            last = index == len(hops) - 1
            fault = marked.get(str(hop.get('ip'))) if hop.get('ip') else None
            rtt = parse_number(hop.get('response_time'))
            lines = ['%d  %s' % (hop.get('hop') or index + 1, _short_ip(hop.get('ip')) or '*'),
                     _short(hop.get('rdns') or ''), _short(hop.get('network') or ''),
                     '%s ms' % fmt(rtt) if rtt is not None else 'no reply']
            # The full address and names as the node's tooltip where a label cuts them.
            shortened = _short_ip(hop.get('ip')) != (hop.get('ip') or '') or any(len(str(hop.get(key) or '')) > LABEL_CHARS for key in ('rdns', 'network'))
            title = ' '.join(str(value) for value in (hop.get('ip'), hop.get('rdns'), hop.get('network')) if value) if shortened else ''
            if fault:
                parts.append('<rect class="fault-hop" x="%d" y="%d" width="%d" height="%d" rx="6" fill="#ffebe9" stroke="#cf222e" '
                             'stroke-width="2" data-ip="%s"/>' % (x - HOP_WIDTH // 2 + 4, y - 14, HOP_WIDTH - 8, ROW_HEIGHT - 10, _text(hop.get('ip'))))
                parts.append('<text x="%d" y="%d" font-weight="700" fill="#cf222e">'
                             'fault starts here</text>' % (x, y + 78))
            if last and reached:
                parts.extend(_node(x, y, lines, '#1a7f37', '#116329', 10, title=title))
            elif not hop.get('ip'):
                parts.extend(_node(x, y, lines, '#fff', '#8c959f', 7, ' stroke-dasharray="3 2"'))
            elif fault:
                parts.extend(_node(x, y, lines, '#cf222e', '#82071e', title=title))
            else:
                parts.extend(_node(x, y, lines, '#fff', '#57606a', title=title))
        if not reached:
            # The trace stops: a cross after its last hop, and the destination it did not reach, greyed.
            stop_x = end_x + HOP_WIDTH // 2
            parts.append('<g class="stopped" stroke="#cf222e" stroke-width="3"><line x1="%d" y1="%d" x2="%d" y2="%d"/>'
                         '<line x1="%d" y1="%d" x2="%d" y2="%d"/></g>' % (stop_x - 7, y - 7, stop_x + 7, y + 7, stop_x - 7, y + 7, stop_x + 7, y - 7))
            parts.append('<text x="%d" y="%d" text-anchor="start" fill="#cf222e"><tspan x="%d">trace stops</tspan><tspan x="%d" dy="13">%s'
                         '</tspan><tspan x="%d" dy="13">not reached</tspan></text>' % (
                             stop_x + 12, y - 8, stop_x + 12, stop_x + 12, _text(_short(trace.get('destination') or 'destination', 18)), stop_x + 12))
    parts.append('</g></svg>')
    return ''.join(parts)


HOP_COLUMNS = (('Hop', 40), ('Address', 240), ('Name', 250), ('Network', 210), ('Replies', 60), ('Last ms', 60), ('Best ms', 60),
               ('Avg ms', 60), ('Worst ms', 60), ('Agents', 150), ('', 120))


def _per_agent(agents: list[str], counts: dict[str, int], traces_of: dict[str, int], address: str) -> str:
    """Which agents' traces crossed a hop's address, with the replies of each (``301 3/3; 302 2/3``), ``all 8: 3/3``
    when every agent of a shared drawing has the same; the agents whose traces had no reply there for a ``*``; '' for
    one agent (its numbers are the row's)."""
    if len(agents) < 2:
        return ''
    crossed = [agent for agent in agents if counts.get(agent)]
    if not address:
        return '; '.join(crossed)
    numbers = ['%d/%d' % (counts.get(agent, 0), traces_of[agent]) for agent in agents]
    if len(set(numbers)) == 1:
        return 'all %d: %s' % (len(agents), numbers[0])
    return '; '.join('%s %d/%d' % (agent, counts[agent], traces_of[agent]) for agent in crossed)


def _own_lan(traces: list[dict[str, Any]]) -> set[tuple[int, str]]:
    """(hop, address) of the agents' own LANs: the run of private addresses from hop 1 of each trace."""
    lan = set()
    for trace in traces:
        for hop in sorted(trace.get('hops') or [], key=lambda entry: int(entry.get('hop') or 0)):
            if not hop.get('ip'):
                continue
            if not private(hop['ip']):
                break
            lan.add((int(hop.get('hop') or 0), str(hop['ip'])))
    return lan


def hop_table(traces: list[dict[str, Any]], marked: dict[str, dict[str, Any]], agents: list[str] | None = None) -> str:
    """mtr's report over the traces: a row per hop and address (several where the paths split), with the replies
    from that address out of the traces, and its last, best, average and worst time. ``agents``: the agent of each
    trace, when the traces are several agents' (a shared drawing): each row says then which agents crossed the address
    and with how many replies each, and the addresses of each agent's own LAN (private from hop 1, one agent's each,
    no fault marked) stand in a table of their own, folded, before the path's. The columns have fixed widths, so that
    the tables of all agents line up."""
    agent_of = agents if agents and len(agents) == len(traces) else [''] * len(traces)
    group = list(dict.fromkeys(agent_of))
    traces_of = dict((agent, agent_of.count(agent)) for agent in group)
    by_hop: dict[int, dict[str, list[tuple[str, dict[str, Any]]]]] = {}
    for agent, trace in zip(agent_of, traces):
        for hop in trace.get('hops') or []:
            by_hop.setdefault(int(hop.get('hop') or 0), {}).setdefault(str(hop.get('ip') or ''), []).append((agent, hop))
    lan = _own_lan(traces) if len(group) > 1 else set()
    columns = ''.join('<col style="width:%dpx">' % width for name, width in HOP_COLUMNS)
    headings = ''.join('<th>%s</th>' % name for name, width in HOP_COLUMNS)
    head = '<table class="hops" style="width:%dpx"><colgroup>%s</colgroup><tr>%s</tr>' % (sum(width for name, width in HOP_COLUMNS), columns, headings)
    rows, lan_rows, lan_hops = [head], [head], []
    for number in sorted(by_hop):
        addresses = sorted(by_hop[number], key=lambda address: address == '')
        shown = 0
        for address in addresses:
            seen = by_hop[number][address]
            hops = [hop for agent, hop in seen]
            times = [value for value in (parse_number(hop.get('response_time')) for hop in hops) if value is not None]
            counts: dict[str, int] = {}
            for agent, hop in seen:
                counts[agent] = counts.get(agent, 0) + 1
            fault = marked.get(address) if address else None
            own = (number, address) in lan and len(counts) == 1 and not fault
            first = (number not in lan_hops) if own else shown == 0
            cells = [str(number) if first else '', address or '*', hops[0].get('rdns') or '', hops[0].get('network') or '',
                     '%d/%d' % (len(times) if address else 0, len(traces))]
            stats = [times[-1], min(times), sum(times) / len(times), max(times)] if times and address else [None] * 4
            (lan_rows if own else rows).append('<tr%s>%s%s<td>%s</td><td>%s</td></tr>' % (
                ' class="fault"' if fault else '',
                ''.join('<td>%s</td>' % _text(cell) for cell in cells),
                ''.join('<td class="num">%s</td>' % ('' if value is None else fmt(round(value, 1))) for value in stats),
                _text(_per_agent(group, counts, traces_of, address)),
                '<span class="fault-label">fault starts here</span>' if fault else ''))
            if own:
                lan_hops.append(number)
            else:
                shown += 1
    rows.append('</table>')
    if len(lan_rows) == 1:
        return ''.join(rows)
    numbers = sorted(set(lan_hops))
    span = 'hop %d' % numbers[0] if len(numbers) == 1 else 'hops %d-%d' % (numbers[0], numbers[-1])
    addresses = len(lan_rows) - 1
    summary = "Each agent's own LAN: %d address%s at %s" % (addresses, '' if addresses == 1 else 'es', span)
    return '<details class="lan"><summary>%s</summary>%s</table></details>%s' % (_text(summary), ''.join(lan_rows), ''.join(rows))


# The matrix --------------------------------------------------------------------------------------------

def _cell(value: str, breach: bool | None, numeric: bool = True, measurement: bool = False) -> str:
    """A measured value coloured by its flag; a value the symptoms do not count as measured (no flag: the latency of a
    network that lost every packet, the response time of a request whose name did not resolve) is shown as none, and so
    is a value that the table gives as none (``NOT_MEASURED``: the HTTP status of a request that had no response)."""
    if value == NOT_MEASURED or (measurement and breach is None and value):
        return '<td class="none%s" title="not measured">%s</td>' % (' num' if numeric else '', NOT_MEASURED)
    css = [] if breach is None or not value else ['bad' if breach else 'good']
    if numeric:
        css.append('num')
    return '<td%s>%s</td>' % (' class="%s"' % ' '.join(css) if css else '', _text(value))


# The cells that a test type's columns show, in this order, when one of its agents has a value there; its status follows.
MATRIX_CELLS = (('loss', 'Loss'), ('latency', 'Latency'), ('http', 'HTTP'), ('response', 'Response'), ('dns', 'DNS'))


def _status_cell(status: str) -> str:
    return '<td>%s</td>' % (_verdict(status.split(' ', 1)[0]) + (' ' + _text(status.split(' ', 1)[1]) if ' ' in status else ''))


def matrix(rows: list[dict[str, Any]]) -> str:
    """Agent by test: a row per agent, the test types side by side, each with the values its agents measured (loss,
    latency, HTTP status, response time, DNS) and its status, coloured as the symptoms judge them (the ``breaching``
    flags of the table rows: ``symptoms.metric_flags``); a value that is no measurement as none."""
    groups: list[tuple[str, int]] = []
    cells: dict[tuple[str, tuple[str, int]], dict[str, Any]] = {}
    agents: list[str] = []
    for row in rows:
        agent = str(row['agent'])
        # A second test of the same type for the same agent stands in a group of its own.
        number = 1
        while (agent, (row['test'], number)) in cells:
            number += 1
        group = (row['test'], number)
        cells[(agent, group)] = row
        if group not in groups:
            groups.append(group)
        if agent not in agents:
            agents.append(agent)
    shown = dict((group, [(key, heading) for key, heading in MATRIX_CELLS
                          if any(row.get(key) for (agent, of), row in cells.items() if of == group)]) for group in groups)
    lines = ['<table class="matrix"><tr><th rowspan="2">Agent</th>%s</tr><tr>%s</tr>' % (
        ''.join('<th colspan="%d" class="test">%s</th>' % (len(shown[group]) + 1, _text(group[0] if group[1] == 1 else '%s (%d)' % group))
                for group in groups),
        ''.join(''.join('<th>%s</th>' % heading for key, heading in shown[group]) + '<th>Status</th>' for group in groups))]
    for agent in agents:
        line = ['<tr><td>%s</td>' % _text(agent)]
        for group in groups:
            row = cells.get((agent, group))
            if row is None:
                # The agent has no row for this test: empty cells.
                line.append('<td></td>' * (len(shown[group]) + 1))
                continue
            flags = row.get('breaching') or {}
            for key, heading in shown[group]:
                line.append(_cell(row[key], flags.get(key), numeric=key != 'dns', measurement=key in ('loss', 'latency', 'response')))
            line.append(_status_cell(row['status']))
        lines.append(''.join(line) + '</tr>')
    lines.append('</table>')
    return ''.join(lines)


# The page ----------------------------------------------------------------------------------------------

def _list(items: list[Any]) -> str:
    return '<ul>%s</ul>' % ''.join('<li>%s</li>' % _text(item) for item in items) if items else '<p class="muted">none</p>'


def path_agent(path: dict[str, Any]) -> str:
    """A path's agent as the page names it: name and ID, as the matrix does."""
    return '%s (%s)' % (path.get('agent_name') or 'agent', path.get('agent_id'))


def _network_token(hop: dict[str, Any]) -> str:
    """What a hop stands for when paths are compared: its network (by AS number where the name has one), else its
    address (a hop of no known network is only the same as itself)."""
    network = str(hop.get('network') or '').strip()
    match = NETWORK_AS.match(network)
    return 'AS %s' % match.group('asn') if match else (network.lower() or str(hop.get('ip')))


def _route(trace: dict[str, Any], marked: dict[str, dict[str, Any]]) -> tuple[Any, ...]:
    """A trace with a marked hop as the reader compares it: the sequence of networks after the agent's own private hops,
    up to the hop where the fault starts (that hop by its address; what comes after it does not count: ECMP siblings),
    or to its end and whether it arrived when it does not cross the marked hop."""
    route: list[Any] = []
    lan = True
    for hop in sorted(trace.get('hops') or [], key=lambda entry: int(entry.get('hop') or 0)):
        if not hop.get('ip'):
            continue
        if lan and private(hop['ip']):
            continue
        lan = False
        if str(hop['ip']) in marked:
            return tuple(route) + (('fault', str(hop['ip'])),)
        token = _network_token(hop)
        if not route or route[-1] != token:
            route.append(token)
    return tuple(route) + (('reached', bool(trace.get('reached'))),)


def _path_groups(target: dict[str, Any]) -> list[dict[str, Any]]:
    """The target's paths, one drawing per test, route and marked hops: agents that saw the same fault on the same path
    share one. The same path for the reader: the same hop where the fault starts (its address) and the same networks
    up to it; the agents' own private first hops and ECMP siblings after the fault do not make a path another one.
    Paths with no marked hop are the same only with the same addresses. The first agent's traces are drawn; the hop
    table counts every agent's replies."""
    groups: list[dict[str, Any]] = []
    by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
    for path in target.get('paths') or []:
        traces = path.get('traces') or []
        marked = _marked(target, str(path.get('agent_id')), traces)
        if marked:
            route: tuple[Any, ...] = tuple(sorted(set(_route(trace, marked) for trace in traces), key=repr))
        else:
            # No fault on it: the same path only with the same hop addresses on every trace.
            route = tuple((tuple(str(hop.get('ip') or '*') for hop in trace.get('hops') or []), bool(trace.get('reached'))) for trace in traces)
        key = (str(path.get('test_id')), route, tuple(sorted(marked)))
        if key in by_key:
            by_key[key]['paths'].append(path)
            continue
        by_key[key] = dict(paths=[path], marked=marked)
        groups.append(by_key[key])
    return groups


def _target_section(index: int, target: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    healthy = target.get('verdict') == 'ok'
    tests_by_id = dict((str(test.get('test_id')), test) for test in target.get('tests') or [])
    parts = ['<details class="target" id="target-%d" data-verdict="%s" data-location="%s"%s>' % (
        index, _text(target.get('verdict')), _text(target.get('location')), '' if healthy else ' open'),
        '<summary>%s <span>%s</span> <span class="muted">location: %s</span></summary>' % (
            _verdict(target.get('verdict')), _text(target.get('target')), _text(target.get('location')))]
    # Under the verdict and the place: what to do, then why.
    if target.get('next_step') and target.get('location') not in (None, 'none'):
        parts.append('<h3>Next step</h3><p><code>%s</code></p>' % _text(target['next_step']))
    parts.append('<h3>Reasons</h3>%s<h3>Evidence</h3>%s' % (_list(reason_lines(target)), _list(target.get('evidence') or [])))
    parts.append('<h3>Agents by test</h3>%s' % matrix(rows))
    groups = _path_groups(target)
    if groups:
        parts.append('<h3>Paths</h3>')
    # Open: the drawings that place the fault (a marked hop); the others (further evidence) folded. A target whose
    # paths have no marked hop opens those that stop short.
    placed = any(group['marked'] for group in groups)
    for group in groups:
        first, others = group['paths'][0], group['paths'][1:]
        agent_id = str(first.get('agent_id'))
        marked, traces = group['marked'], first.get('traces') or []
        # Every agent's traces for the counts and the hop table; the first agent's are drawn.
        every = [(str(path.get('agent_id')), trace) for path in group['paths'] for trace in path.get('traces') or []]
        test = tests_by_id.get(str(first.get('test_id'))) or {}
        stopped = sum(1 for agent, trace in every if not trace.get('reached'))
        same = ('; and %s: same path, same hop' % counted(len(others), 'more agent')) if others else ''
        parts.append('<details class="path" data-agent="%s" data-agents="%s"%s><summary>%s, %s (test %s): %s, %d stop%s short%s%s</summary>' % (
            _text(agent_id), _text(' '.join(str(path.get('agent_id')) for path in group['paths'])),
            ' open' if marked or (stopped and not placed) else '',
            _text(path_agent(first)), _text(test.get('type') or 'test'), _text(first.get('test_id')), counted(len(every), 'trace'),
            stopped, 's' if stopped == 1 else '', _text(same), ' <span class="fault-label">fault marked</span>' if marked else ''))
        if others:
            parts.append('<p class="same-path muted">Same path, same hop: %s. Drawn: the traces of %s; the hop table counts the '
                         'replies of all %d agents.</p>' % (_text('; '.join(path_agent(path) for path in others)), _text(path_agent(first)),
                                                            len(group['paths'])))
        parts.append('<div class="scroll">%s</div>' % path_svg(str(first.get('agent_name') or agent_id), traces, marked, len(others)))
        parts.append(hop_table([trace for agent, trace in every], marked, [agent for agent, trace in every]))
        parts.append('</details>')
    parts.append(endpoint_section(target))
    # The tests that ran and their links: for looking up, folded.
    tests = target.get('tests') or []
    parts.append('<details class="tests"><summary>Tests and links: %s</summary>' % _text(counted(len(tests), 'test')))
    parts.append('<h3>Tests</h3><table><tr><th>Test</th><th>Type</th><th>Test ID</th><th>Outcome</th><th>Run started</th></tr>')
    for test in target.get('tests') or []:
        parts.append('<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>' % (
            _text(test.get('name')), _text(test.get('type')), _text(test.get('test_id')),
            _text('%s%s' % (test.get('outcome') or '', ', rerun' if test.get('rerun') else '')), _text(test.get('started_at'))))
    parts.append('</table>')
    links = [link for link in target.get('links') or [] if str(link.get('url') or '').startswith(('https://', 'http://'))]
    if links:
        # Links are for the reader to follow; the page itself fetches nothing.
        parts.append('<h3>Links</h3><ul>%s</ul>' % ''.join(
            '<li><a rel="noreferrer noopener" href="%s">%s, %s, round %s</a></li>' % (
                _text(link['url']), _text(link.get('layer')), _text(link.get('agent_name')), _text(link.get('round_id'))) for link in links))
    parts.append('</details></details>')
    return ''.join(parts)


# The endpoint agents ---------------------------------------------------------------------------------------

def _judged(text: str, breach: Any) -> str:
    """A value of the machine's line, red when the judge (``symptoms.machine_symptoms``) found it breaching."""
    return '<span class="fault-label">%s</span>' % _text(text) if breach else _text(text)


def endpoint_machine_line(machine: dict[str, Any] | None, fallback: Any = None) -> str:
    """The machine's Wi-Fi/VPN line as HTML: SSID, RSSI and SNR against their limits, VPN type and gateway, the gateway
    address and the CPU, each breaching value marked. Every value is text."""
    if not isinstance(machine, dict):
        return _text(fallback)
    parts = []
    if machine.get('rssi') is not None or machine.get('snr') is not None:
        values = []
        for key, unit in (('rssi', 'dBm'), ('snr', 'dB')):
            if machine.get(key) is not None:
                low, limit = machine.get(key + '_low'), '%s %s' % (fmt(machine[key + '_limit']), unit)
                values.append(_judged('%s %s %s %s' % (key.upper(), fmt(machine[key]), unit, '< %s' % limit if low else '(limit %s)' % limit), low))
        parts.append('Wi-Fi %s: %s' % ('<q>%s</q>' % _text(machine['ssid']) if machine.get('ssid') else '', ', '.join(values)))
    else:
        parts.append('wired' if machine.get('interface') == 'ethernet' else 'no Wi-Fi data')
    added = ' (adds %s ms)' % fmt(machine['vpn_added']) if machine.get('vpn_added') is not None else ''
    parts.append(_judged('VPN %s via %s%s' % (machine['vpn_type'], machine.get('vpn_gateway') or 'its gateway', added), machine.get('vpn_slow'))
                 if machine.get('vpn_type') else 'no VPN')
    parts.append('gateway %s' % _text(machine.get('gateway') or 'unknown'))
    if machine.get('cpu') is not None:
        busy = machine.get('cpu_busy')
        parts.append(_judged('CPU %d%% %s' % (round(machine['cpu'] * 100), ('> %d%%' if busy else '(limit %d%%)') % round(machine['cpu_limit'] * 100)), busy))
    return '; '.join(parts)


# Where a machine's loss starts (``endpoint.loss_start``), as the heading of its drawing says it.
ENDPOINT_WHERE = dict(gateway='loss starts at the gateway', home='loss starts in its own network', beyond='loss starts beyond its own network',
                      destination='loss at the destination')


def endpoint_section(target: dict[str, Any]) -> str:
    """The target's endpoint agents: per machine its Wi-Fi/VPN line and its own path drawn from its path traces
    (machine, gateway, ..., destination) in the drawing style of the Cloud Agents' paths, the hop where its loss starts
    marked; '' for a target without an endpoint view."""
    view = target.get('endpoint')
    if not isinstance(view, dict) or not view.get('agents'):
        return ''
    parts = ['<h3>Endpoint agents</h3>']
    for agent in view['agents']:
        name = str(agent.get('agent_name') or agent.get('agent_id'))
        traces = agent.get('path') or []
        fault = agent.get('fault') or {}
        marked = {str(fault['ip']): fault} if fault.get('ip') else {}
        stopped = sum(1 for trace in traces if not trace.get('reached'))
        parts.append('<details class="path endpoint" data-agent="%s"%s><summary>%s (endpoint %s): %s, %d stop%s short%s</summary>' % (
            _text(agent.get('agent_id')), ' open' if marked or agent.get('breaches') else '', _text(name), _text(agent.get('agent_id')),
            counted(len(traces), 'path trace'), stopped, 's' if stopped == 1 else '',
            ' <span class="fault-label">%s</span>' % _text(ENDPOINT_WHERE.get(str(fault.get('where')), 'loss starts here')) if marked else ''))
        parts.append('<p class="endpoint-line">%s</p>' % endpoint_machine_line(agent.get('machine'), agent.get('line')))
        if traces:
            parts.append('<div class="scroll">%s</div>' % path_svg(name, traces, marked))
            parts.append(hop_table(traces, marked))
        else:
            parts.append('<p class="muted">No path trace from this machine.</p>')
        parts.append('</details>')
    return ''.join(parts)


def _alert_section(alert: Any) -> str:
    """The alert that the run answers, as the Markdown report names it; '' when it answers none."""
    if not isinstance(alert, dict) or not alert:
        return ''
    agents = [agent for agent in alert.get('agents') or [] if isinstance(agent, dict)]
    return ('<section class="alert"><p>Answers ThousandEyes alert %s%s: rule &quot;%s&quot; on test %s (%s), first seen %s.</p>'
            '<p>Alerting agents:%s</p>%s</section>' % (
                _text(alert.get('alert_id') or '(no ID)'), _text(' (%s)' % alert['severity'] if alert.get('severity') else ''),
                _text(alert.get('rule') or 'unnamed'), _text(alert.get('test_name') or 'unnamed'), _text(alert.get('test_id') or 'no ID'),
                _text(alert.get('first_seen') or 'at an unknown time'), '' if agents else ' not named.',
                _list(['%s (%s)' % (agent.get('name') or 'unnamed', agent.get('id') or 'no ID') for agent in agents]) if agents else ''))


def diagnose_report_html(report: dict[str, Any]) -> str:
    """The ``diagnose_report`` as one self-contained HTML page (a string)."""
    if not isinstance(report, dict) or 'targets' not in report:
        raise DiagnoseInputError('diagnose_report_html expects the diagnose_report that diagnose_verdicts returned.')
    limits = thresholds_of(report.get('thresholds'))
    counts = report.get('counts') or {}
    rows = table_rows(report)
    parts = ['<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
             '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; img-src data:">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             '<title>ThousandEyes diagnosis: %s</title><style>%s</style></head><body>' % (_text(str(report.get('verdict')).upper()), STYLE),
             '<header><h1>ThousandEyes diagnosis %s</h1>' % _verdict(report.get('verdict')),
             '<p class="counts"><span>%d ok</span><span>%d degraded</span><span>%d failed</span><span class="muted">%d tests ran, '
             '%d instant-test calls</span></p>' % (counts.get('ok', 0), counts.get('degraded', 0), counts.get('failed', 0),
                                                   report.get('tests_run') or 0, report.get('instant_calls') or 0),
             '<p class="muted">Generated %s by the netdiag.thousandeyes diagnose role. Agents: %s.</p></header>' % (
                 _text(report.get('generated_at') or 'unknown'), _text('; '.join(_agent_label(agent) for agent in report.get('agents') or []) or 'none')),
             _alert_section(report.get('alert')),
             '<table class="targets"><tr><th>Target</th><th>Verdict</th><th>Location</th><th>First reason</th></tr>']
    for index, target in enumerate(report['targets']):
        reasons = reason_lines(target)
        parts.append('<tr><td><a href="#target-%d">%s</a></td><td>%s</td><td>%s</td><td>%s</td></tr>' % (
            index, _text(target.get('target')), _verdict(target.get('verdict')), _text(target.get('location')), _text(reasons[0] if reasons else '')))
    parts.append('</table>')
    for index, target in enumerate(report['targets']):
        parts.append(_target_section(index, target, [row for row in rows if row['target'] == target.get('target')]))
    limits_text = 'loss %s %%, latency %s ms, HTTP response time %s ms, HTTP status %s' % (
        fmt(limits['max_loss']), fmt(limits['max_latency']), fmt(limits['max_response_time']),
        limits.get('expected_status') or 'any 2xx or 3xx')
    parts.append('<footer><h3>Thresholds</h3><p>%s</p></footer></body></html>\n' % _text(limits_text))
    return '\n'.join(parts)
