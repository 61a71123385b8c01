# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The locator's wording: hop labels, the text of each finding (with the agents that show it) and the next step.

Private to this collection: may change at any time. Pure functions (no I/O, no clock).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.path_geometry import (
    NEAR_HOPS,
    NETWORK_AS,
    Hop,
    Row,
    Trace,
    _agent,
    _network_key,
    _shared_after,
    _text,
)


def _seconds(ms: float) -> str:
    return ('%.1f s' % (ms / 1000.0)) if ms >= 1000 else ('%d ms' % round(ms))


def _number(value: float) -> str:
    return ('%.1f' % value).rstrip('0').rstrip('.')


def network_label(network: str | None) -> str | None:
    """``Lumen (AS 3356)`` as ``Lumen AS 3356``; other texts unchanged."""
    if not network:
        return None
    match = NETWORK_AS.match(network)
    return '%s AS %s' % (match.group('name'), match.group('asn')) if match and match.group('name') else network


def hop_label(hop: Hop, numbers: Sequence[int] | None = None) -> str:
    """``hop 7, 4.68.72.1 (ae-1.lumen.example.net, Lumen AS 3356)``; ``hops 6-8`` when agents see it at several."""
    numbers = sorted(set(numbers or [hop['hop']]))
    where = 'hop %d' % numbers[0] if len(numbers) == 1 else 'hops %d-%d' % (numbers[0], numbers[-1])
    names = [name for name in (hop.get('rdns'), network_label(hop.get('network'))) if name]
    return '%s, %s%s' % (where, hop['ip'], ' (%s)' % ', '.join(names) if names else '')


class _Agents:
    """Agent names and counts for the wording of findings."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.names: dict[str, str] = {}
        for row in rows:
            agent = _agent(row)
            if agent not in self.names or not self.names[agent].strip():
                self.names[agent] = _text(row.get('agent_name')) or 'agent %s' % agent
        self.total = len(self.names)

    def some(self, agents: Iterable[str]) -> str:
        return '; '.join(self.names.get(agent, 'agent %s' % agent) for agent in sorted(set(agents), key=self.order))

    def order(self, agent: str) -> int:
        return list(self.names).index(agent) if agent in self.names else len(self.names)

    def scope(self, agents: Iterable[str]) -> str:
        """``3 of 3 agents``; for some agents also their names."""
        agents = set(agents)
        text = '%d of %d agent%s' % (len(agents), self.total, '' if self.total == 1 else 's')
        return text if len(agents) == self.total else '%s (%s)' % (text, self.some(agents))


def _finding(cause: str, text: str, agents: Iterable[str], hop: Hop | None = None, failure: bool = False) -> dict[str, Any]:
    return dict(cause=cause, text=text, agents=sorted(set(agents)), hop=hop, failure=failure)


def _median_row(rows: list[Row]) -> Row:
    ordered = sorted(rows, key=lambda row: parse_number(row.get('response_time')) or 0)
    return ordered[len(ordered) // 2]


def _dns_findings(by_detail: dict[str, list[Row]], names: _Agents, limits: Mapping[str, Any]) -> list[dict[str, Any]]:
    found = []
    for detail, rows in by_detail.items():
        agents = [_agent(row) for row in rows]
        if detail.startswith('error:'):
            found.append(_finding('dns', 'DNS: %s from %s' % (detail[len('error:'):], names.scope(agents)), agents, failure=True))
        elif detail == 'slow':
            worst = max(parse_number(row.get('response_time')) or 0 for row in rows)
            found.append(_finding('dns', 'DNS: resolution takes up to %s (limit %s) from %s' % (
                _seconds(worst), _seconds(limits['max_dns_time']), names.scope(agents)), agents))
        else:
            row = _median_row(rows)
            found.append(_finding('dns', 'DNS time %s of %s response time from %s: name resolution is slow' % (
                _seconds(parse_number(row.get('dns_time')) or 0), _seconds(parse_number(row.get('response_time')) or 0), names.scope(agents)), agents))
    return found


def _server_findings(by_detail: dict[str, list[Row]], names: _Agents, addresses: Mapping[str, set[str]]) -> list[dict[str, Any]]:
    """HTTP statuses and slow wait times, one finding each. ``addresses``: the server addresses each agent reached; when
    the affected agents reached their own ones (a CDN or anycast target), the finding names each agent's edge."""
    found = []
    for detail, rows in by_detail.items():
        agents = [_agent(row) for row in rows]
        edges = _server_edges(agents, names, addresses)
        if detail.startswith('status:'):
            found.append(_finding('target', 'HTTP %s from %s%s' % (detail[len('status:'):], names.scope(agents), edges), agents))
        else:
            row = _median_row(rows)
            found.append(_finding('target', 'TTFB %s of %s response time from %s: the server is slow, the network is not%s' % (
                _seconds(parse_number(row.get('wait_time')) or 0), _seconds(parse_number(row.get('response_time')) or 0), names.scope(agents),
                edges), agents))
    return found


def _server_edges(agents: Sequence[str], names: _Agents, addresses: Mapping[str, set[str]]) -> str:
    """``; at the destination, each agent's own edge: 198.18.7.20 (Frankfurt, Germany)`` when agents reach different
    server addresses; empty when every agent reaches the same one."""
    if len(set(address for values in addresses.values() for address in values)) < 2:
        return ''
    parts = []
    for agent in sorted(set(agents), key=names.order):
        if addresses.get(agent):
            parts.append('%s (%s)' % (', '.join(sorted(addresses[agent])), names.some([agent])))
    return "; at the destination, each agent's own edge: %s" % '; '.join(parts) if parts else ''


def _edges(agents: Iterable[str], points: Mapping[str, dict[str, Any]], names: _Agents) -> str:
    """The last hops where each agent's fault is, when they differ (each agent its own edge of a CDN or anycast target)."""
    hops = dict((agent, points[agent]['hop']['ip']) for agent in agents)
    if len(set(hops.values())) < 2:
        return ''
    return "; each agent's own edge: %s" % '; '.join('%s (%s)' % (hops[agent], names.some([agent])) for agent in sorted(hops, key=names.order))


def _worst(values: Iterable[float | None]) -> tuple[float, bool]:
    """The highest value and whether the values differ (the text then says "up to")."""
    numbers = [value for value in values if value is not None]
    return (max(numbers) if numbers else 0.0), len(set(numbers)) > 1


def _symptom_text(agent_rows: list[tuple[Row, str, str]], limits: Mapping[str, Any]) -> str:
    """A short description of some agents' network symptoms: ``loss up to 20% > 5%, latency 450 ms > 300 ms``."""
    details = []
    for _row, kind, detail in agent_rows:
        key = 'other' if kind == 'other' else detail
        if key not in details:
            details.append(key)
    parts = []
    for detail in details:
        if detail in ('loss', 'latency'):
            worst, differ = _worst(parse_number(row.get(detail)) for row, _kind, name in agent_rows if name == detail)
            unit, limit = ('%', limits['max_loss']) if detail == 'loss' else (' ms', limits['max_latency'])
            parts.append('%s %s%s%s > %s%s' % (detail, 'up to ' if differ else '', _number(worst), unit, _number(limit), unit))
        elif detail.startswith('error:'):
            parts.append('error: %s' % detail[len('error:'):])
        elif detail == 'connect':
            parts.append('connect and TLS time dominate the response time')
        else:
            worst, differ = _worst(parse_number(row.get('response_time')) for row, kind, _detail in agent_rows if kind == 'other')
            parts.append('response time %s%s > %s' % ('up to ' if differ else '', _seconds(worst), _seconds(limits['max_response_time'])))
    return ', '.join(parts)


def _group(rows_by_agent: Mapping[str, list[tuple[Row, str, str]]], limits: Mapping[str, Any]) -> dict[str, list[str]]:
    """Agents grouped by the kinds of their symptoms (not their values), each group with its text."""
    kinds: dict[tuple[str, ...], list[str]] = {}
    for agent, agent_rows in rows_by_agent.items():
        key = tuple(sorted(set('other' if kind == 'other' else detail for _row, kind, detail in agent_rows)))
        kinds.setdefault(key, []).append(agent)
    return dict((_symptom_text([entry for agent in agents for entry in rows_by_agent[agent]], limits), agents)
                for agents in kinds.values())


def _since(problems: Mapping[str, Mapping[str, Any]], agents: Iterable[str]) -> str:
    """`` (active since 2026-12-07T15:02:00Z)`` for the earliest start of the agents' local problems, if known."""
    starts = sorted(str(problems[agent]['start_date']) for agent in agents
                    if isinstance(problems.get(agent), Mapping) and problems[agent].get('start_date'))
    return ' (active since %s)' % starts[0] if starts else ''


def _others_cross(hop: Hop, agents: Sequence[str], everyone: set[str], names: _Agents, paths: Mapping[str, Sequence[Trace]]) -> str:
    """Whether the paths of the agents that do not see the fault there cross that hop or its network."""
    others = sorted(everyone - set(agents), key=names.order)
    if not others:
        return ''
    read = [agent for agent in others if paths.get(agent)]
    if not read:
        return "; the other agents' paths were not read"
    key = _network_key(hop.get('network'))
    same_hop = [agent for agent in read if any(entry['ip'] == hop['ip'] for trace in paths[agent] for entry in trace['hops'])]
    same_network = [agent for agent in read if agent not in same_hop and key is not None
                    and any(_network_key(entry.get('network')) == key for trace in paths[agent] for entry in trace['hops'] if entry['ip'])]
    if not same_hop and not same_network:
        return "; the other agents' paths avoid it" if len(read) == len(others) else "; the paths read of the others avoid it"
    parts = []
    if same_hop:
        parts.append('%s also cross%s it' % (names.some(same_hop), 'es' if len(same_hop) == 1 else ''))
    if same_network:
        verb = 'crosses' if len(same_network) == 1 else 'cross'
        parts.append('%s %s %s at other hops' % (names.some(same_network), verb, network_label(hop.get('network'))))
    return '; ' + ', '.join(parts)


def _agents_near(points: Mapping[str, dict[str, Any]], mute: Sequence[str], names: _Agents) -> list[dict[str, Any]]:
    """Findings for faults inside the agents' own network, and for agents that cannot measure."""
    findings = []
    for agent in sorted((agent for agent, point in points.items() if point['near'] and not point['at_end']), key=names.order):
        point = points[agent]
        verb = 'loss starts' if point['kind'] == 'loss' else ('traces stop' if point['kind'] == 'unreachable' else 'latency jumps')
        findings.append(_finding('agents', "%s at %s, in the agent's own network: %s" % (verb, hop_label(point['hop']), names.some([agent])),
                                 [agent], point['hop']))
    if mute:
        findings.append(_finding('agents', 'no hop answers the path traces of %s: the agent cannot measure' % names.some(mute), mute))
    return findings


def _advice(location: str, primary: Sequence[dict[str, Any]], names: _Agents, paths: Mapping[str, Sequence[Trace]],
            listed: Mapping[str, str]) -> str | None:
    """The next step that fits the location: the network to contact, or the agents' own network; None for the default."""
    if location == 'path':
        parts = []
        for finding in primary:
            if finding['cause'] != 'path':
                continue
            hop = finding['hop']
            network = network_label(hop.get('network')) or 'the operator of %s' % hop['ip']
            parts.append('%s about %s (%s)' % (network, hop['ip'], names.some(finding['agents'])))
        return 'Contact %s' % '; '.join(parts) if parts else None
    if location == 'agents':
        agents = sorted(set(agent for finding in primary for agent in finding['agents']), key=names.order)
        networks = []
        for agent in agents:
            if listed.get(agent) and network_label(listed[agent]) not in networks:
                networks.append(network_label(listed[agent]))
            for trace in paths.get(agent) or []:
                for hop in trace['hops']:
                    label = network_label(hop.get('network')) if hop['ip'] and hop['hop'] <= NEAR_HOPS else None
                    if label and label not in networks:
                        networks.append(label)
        if not agents:
            return None
        return "Check the agents' own network%s near %s" % (' (%s)' % ', '.join(networks) if networks else '', names.some(agents))
    return None


def _agents_findings(breaching: set[str], everyone: set[str], names: _Agents, paths: Mapping[str, Sequence[Trace]],
                     points: Mapping[str, dict[str, Any]], network_rows: Mapping[str, Any], limits: Mapping[str, Any],
                     mute: Sequence[str] = ()) -> list[dict[str, Any]]:
    """``only Tokyo, Japan breaches; its path shares no hop with the others after hop 2``, with the hop in the agents'
    own network where it starts, if any."""
    healthy = sorted(everyone - breaching)
    subject = 'only %s breach%s' % (names.some(breaching), 'es' if len(breaching) == 1 else '')
    # The destination's end (addresses every agent's path has) is shared by construction, not a clue.
    sets = [set(hop['ip'] for trace in paths.get(agent) or [] for hop in trace['hops'] if hop['ip']) for agent in everyone]
    end_zone = set.intersection(*sets) if sets and all(sets) else set()
    shared = [_shared_after(agent, healthy, paths, end_zone) for agent in sorted(breaching)]
    findings = []
    if shared and all(value is not None for value in shared):
        last = max(value for value in shared if value is not None)
        its = 'its path shares' if len(breaching) == 1 else 'their paths share'
        if last == 0:
            text = '%s; %s no hop with the others before the destination' % (subject, its)
        else:
            text = '%s; %s no hop with the others after hop %d' % (subject, its, last)
        findings.append(_finding('agents', text, breaching))
    else:
        symptoms_text = _group(dict((agent, network_rows[agent]) for agent in breaching if agent in network_rows), limits)
        detail = '; '.join(symptoms_text) if symptoms_text else ''
        findings.append(_finding('agents', '%s (%d of %d agents)%s' % (subject, len(breaching), len(everyone),
                                                                       ': %s' % detail if detail else ''), breaching))
    return findings + _agents_near(points, mute, names)
