# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where a target's fault most likely is: ``none``, ``target``, ``path``, ``dns`` or ``agents``, with evidence.

Private to this collection: may change at any time. Pure functions of their inputs (no I/O, no clock).

Inputs
------
``rows``: the normalised summary rows of one target's tests (every test, every layer, as
``test_results_info`` returns them in ``summary``). The keys read are ``layer``, ``agent_id``, ``agent_name``,
``round_id``, ``loss``, ``latency``, ``response_code``, ``response_time``, ``dns_ok``, ``error`` and ``ok``, and,
where present, the http-server timing breakdown ``dns_time``, ``connect_time``, ``ssl_time``, ``wait_time``,
``receive_time`` (milliseconds, in the http-server rows).

``paths``: ``{agent_id: [trace, ...]}``, the path-vis detail of an agent's latest round as ``test_results_info``
returns it with ``path_details`` (normalised in module_utils: v6 ``routes`` and v7 ``pathTraces`` give one shape). A trace is
``{'path_id': str|None, 'destination': str|None, 'reached': bool, 'hops': [hop, ...]}`` and a hop is
``{'hop': int, 'ip': str|None, 'prefix', 'rdns', 'network', 'location', 'mpls': str|None,
'response_time': float|None}``; ``ip`` None is a ``*`` reply.

``thresholds``: ``max_loss`` (%), ``max_latency`` (ms), ``max_response_time`` (ms), ``expected_status`` (0: any
2xx or 3xx), and optionally ``max_dns_time`` (ms; without it DNS time alone is never a breach).

Rules (the role's documentation, docs/diagnose.md)
--------------------------------------------------
An agent breaches when one of its rows breaches the thresholds the way the role's verdicts judge them. Each
breaching row is a symptom of one kind: ``dns`` (resolution failed, or DNS time over ``max_dns_time``, or DNS
time dominating a slow HTTP response), ``server`` (an HTTP status other than the expected one, or TTFB (wait
time) dominating a slow response), ``network`` (loss, latency, an error with no HTTP answer, or connect and
TLS time dominating a slow response), or ``other`` (a page-load breach with no breakdown).

For the agents with network symptoms, each one's *fault point* comes from its traces. Loss: the last answered hop of
the traces that stop short of the destination (path-vis, v6 and v7 alike, carries no per-hop loss; a trace that
arrives ends at the destination's address). Latency: the hop where the round-trip time steps up and stays up to the
end of the trace (each hop judged by the lowest time from it to the destination), so a router that answers its own
probes late while the hops after it are fast is never the point; nor is a hop that does not answer at all (``*``)
when hops after it do. The destination itself when every trace arrives and the loss is end to end. An agent whose
traces no hop answers cannot measure at all. A point is *inside the agent's own network* when it is one of its first
``NEAR_HOPS`` hops or in the network (AS) of those hops. Then:

- ``target``: every agent breaches and every one sees it at the server: an HTTP error, a slow wait time, or a
  fault point at the destination or its last ``LAST_HOPS`` hops;
- ``path``: a fault point on the way, outside the affected agents' own network, whether every agent or only some
  cross it: the finding names the hop and its network, the agents whose fault starts there, and whether the other
  agents' paths avoid it (or cross the hop, or its network at other hops);
- ``dns``: resolution fails or is slow;
- ``agents``: the fault points lie inside the affected agents' own network, or they cannot measure at all, or only
  some agents breach and nothing on their paths explains it.

Precedence when several causes show, first match wins:

1. ``dns`` for a DNS *failure* from any breaching agent: without an address every other measurement of the
   name is void.
2. ``target`` when every agent reports a server-side symptom (HTTP status or slow wait time) or a fault point
   at the destination's end: the one element all paths share is the server.
3. ``path`` for a fault point on the way outside the agents' own network (faults inside it follow in the evidence).
4. ``dns`` for slow DNS (it adds time, it does not explain loss or an HTTP error).
5. ``agents`` for fault points inside the agents' own network, agents that cannot measure, or only some agents.
6. Otherwise ``target`` (every agent breaches, nothing on the way places it).

``next_step`` in the result fits the location: for ``path`` the network to contact about the hop and the agents
affected, for ``agents`` the agents' own network (the networks of their first hops); None otherwise.

The evidence lists the findings behind the location first, then the other findings. Each finding is one short
line per cause naming the agents it was seen from ("3 of 3 agents", or the agents' names for some).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import ipaddress

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.paths import in_prefix
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.symptoms import HTTP_LAYERS, NETWORK_LAYERS, located
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of

LOCATIONS = ('none', 'target', 'path', 'dns', 'agents')

# Hops counted as the agents' own network whatever their AS: the agent's own gateway and its region's access router.
NEAR_HOPS = 2
# Hops counted as "the server or its last hops": the destination and the hop in front of it.
LAST_HOPS = 2
# A round-trip time step that counts as a jump: at least this many ms, and this share of the trace's final RTT.
JUMP_MIN_MS = 30.0
JUMP_MIN_SHARE = 0.3
NETWORK_AS = re.compile(r'^(?P<name>.*?)\s*\(\s*AS\s*(?P<asn>\d+)\s*\)\s*$')
# The private ranges a LAN uses (RFC 1918 and IPv6 unique local addresses). Not the shared address space 100.64.0.0/10,
# which carriers use inside their own networks.
PRIVATE_NETWORKS = tuple(ipaddress.ip_network(net) for net in ('10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'))

Row = Mapping[str, Any]
Trace = dict[str, Any]
Hop = dict[str, Any]


# Values ----------------------------------------------------------------------------------------------

def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


# Symptoms --------------------------------------------------------------------------------------------

def _agent(row: Row) -> str:
    return str(row.get('agent_id'))


def symptoms(row: Row, limits: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(kind, detail)`` for each way the row breaches: kind is dns, server, network or other; empty when fine.

    ``detail`` groups rows into one finding: a DNS error text, an HTTP status, ``slow`` and so on. The judgement is
    the one of ``symptoms.py`` (``located``): the locator compares no value with a threshold itself.
    """
    return located(row, limits)


# Fault points on the path ----------------------------------------------------------------------------

def _jump(trace: Trace) -> Hop | None:
    """The hop where the trace's round-trip time steps up most and stays up to its last hop, when the step counts.

    Each hop is judged by the lowest round-trip time from it to the end of the trace (its floor): a router that
    answers its own probes late, while the hops after it answer in time, raises its own time but not its floor, so
    only a delay that persists to the destination makes a step.
    """
    answered = [hop for hop in trace['hops'] if hop['ip'] and hop['response_time'] is not None]
    if not answered:
        return None
    floors, lowest = [], None
    for hop in reversed(answered):
        lowest = hop['response_time'] if lowest is None else min(lowest, hop['response_time'])
        floors.append(lowest)
    floors.reverse()
    final = floors[-1]
    # The agent itself is at 0 ms, so a delay added at the first hop counts as a step too.
    best, best_step, previous = None, 0.0, 0.0
    for hop, floor in zip(answered, floors):
        if floor - previous > best_step:
            best, best_step = hop, floor - previous
        previous = floor
    if best is None or best_step < JUMP_MIN_MS or best_step < JUMP_MIN_SHARE * final:
        return None
    return best


def _most_common(hops: list[Hop]) -> Hop | None:
    counted: dict[str, list[Hop]] = {}
    for hop in hops:
        counted.setdefault(hop['ip'], []).append(hop)
    if not counted:
        return None
    return max(counted.values(), key=len)[0]


def fault_point(traces: Sequence[Trace], kinds: set[str]) -> dict[str, Any] | None:
    """Where one agent's network symptom starts: ``{'kind': 'loss'|'latency'|'unreachable', 'hop': hop, 'at_destination'}``.

    Loss: the hop where the traces that stop short of the destination stop. With every trace arriving, loss is at
    the destination. Latency: the hop where the round-trip time jumps. None without traces or a point.
    """
    if not traces:
        return None
    stopped = [[hop for hop in trace['hops'] if hop['ip']] for trace in traces if not trace['reached']]
    stops = _most_common([answered[-1] for answered in stopped if answered])
    # Traces that stop short explain loss only: a latency breach is placed by its jump even when every trace stops
    # short (a destination or its edge that drops the probes addressed to it is no fault).
    if stops is not None and ('loss' in kinds or 'unreachable' in kinds):
        return dict(kind='loss' if 'loss' in kinds else 'unreachable', hop=stops, at_destination=False)
    if 'latency' in kinds or 'connect' in kinds:
        # Arriving traces show whether a delay persists to the destination; a trace cut short cannot.
        timed = [trace for trace in traces if trace['reached']] or list(traces)
        jump = _most_common([hop for hop in (_jump(trace) for trace in timed) if hop is not None])
        if jump is not None:
            return dict(kind='latency', hop=jump, at_destination=jump['ip'] == traces[0]['destination'])
    if ('loss' in kinds or 'unreachable' in kinds) and all(trace['reached'] for trace in traces):
        last = [hop for hop in traces[0]['hops'] if hop['ip']][-1]
        return dict(kind='loss' if 'loss' in kinds else 'unreachable', hop=last, at_destination=True)
    return None


def _distance_to_destination(ip: str, all_traces: Iterable[Trace]) -> int | None:
    """Hops from the address to the destination in the nearest complete trace that passes it (0: it is the destination)."""
    best = None
    for trace in all_traces:
        if not trace['reached']:
            continue
        answered = [hop['ip'] for hop in trace['hops'] if hop['ip']]
        if ip in answered:
            distance = len(answered) - 1 - answered.index(ip)
            best = distance if best is None else min(best, distance)
    return best


def _position(ip: str, traces: Sequence[Trace]) -> int | None:
    for trace in traces:
        for hop in trace['hops']:
            if hop['ip'] == ip:
                return hop['hop']
    return None


# Wording ---------------------------------------------------------------------------------------------

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


# The locator -----------------------------------------------------------------------------------------

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


def _shared_after(agent: str, healthy: Sequence[str], paths: Mapping[str, Sequence[Trace]], end_zone: set[str]) -> int | None:
    """The last hop number at which the agent's path shares an address with a healthy agent's path, outside the
    destination's end; 0 when it shares none; None when there is nothing to compare."""
    theirs = set(hop['ip'] for other in healthy for trace in paths.get(other) or [] for hop in trace['hops'] if hop['ip'])
    if not theirs or not paths.get(agent):
        return None
    shared = [hop['hop'] for trace in paths[agent] for hop in trace['hops'] if hop['ip'] in theirs and hop['ip'] not in end_zone]
    return max(shared) if shared else 0


def locate(rows: Sequence[Row], paths: Mapping[str, Sequence[Trace]] | None = None,
           thresholds: Mapping[str, Any] | None = None, agent_networks: Mapping[str, str | None] | None = None,
           local_problems: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, Any]:
    """Where one target's fault most likely is.

    ``agent_networks``: ``{agent_id: network}`` as the agents listing gives it (Enterprise agents), counted as the
    agent's own network besides that of its first hops. ``local_problems``: ``{agent_id: {'start_date', ...}}``, the
    Cloud Agents that ThousandEyes itself flags with an active local problem (v7 ``GET /agents/local-problems``).

    Returns ``{'location': one of LOCATIONS, 'evidence': [str], 'findings': [{'cause', 'text', 'agents', 'hop'}],
    'breaching': [agent IDs], 'agents': [agent IDs], 'next_step': str|None}``; the module docstring gives the rules and
    their precedence.
    """
    limits = thresholds_of(thresholds)
    rows = [row for row in rows if isinstance(row, Mapping) and row.get('agent_id') is not None]
    paths = dict((str(agent), list(traces or [])) for agent, traces in (paths or {}).items())
    names = _Agents(rows)
    everyone = set(names.names)
    listed = dict((str(agent), network) for agent, network in (agent_networks or {}).items() if network)

    per_kind: dict[str, dict[str, list[Row]]] = dict(dns={}, server={}, network={}, other={})
    network_rows: dict[str, list[tuple[Row, str, str]]] = {}
    other_rows: dict[str, list[tuple[Row, str, str]]] = {}
    breaching: set[str] = set()
    for row in rows:
        for kind, detail in symptoms(row, limits):
            breaching.add(_agent(row))
            per_kind[kind].setdefault(detail, []).append(row)
            if kind == 'network':
                network_rows.setdefault(_agent(row), []).append((row, kind, detail))
            elif kind == 'other':
                other_rows.setdefault(_agent(row), []).append((row, kind, detail))

    result: dict[str, Any] = dict(location='none', evidence=[], findings=[], breaching=sorted(breaching), agents=sorted(everyone),
                                  next_step=None)
    if not breaching:
        return result
    every_agent = breaching == everyone

    dns = _dns_findings(per_kind['dns'], names, limits)
    dns_failures = [finding for finding in dns if finding['failure']]
    addresses: dict[str, set[str]] = {}
    for row in rows:
        if _text(row.get('server_ip')) and row.get('layer') in HTTP_LAYERS + NETWORK_LAYERS:
            addresses.setdefault(_agent(row), set()).add(_text(row.get('server_ip')))
    server = _server_findings(per_kind['server'], names, addresses)
    server_agents = set(agent for finding in server for agent in finding['agents'])

    # Fault points of the agents with network symptoms; agents whose traces no hop answers cannot measure at all.
    points: dict[str, dict[str, Any]] = {}
    mute: list[str] = []
    for agent, agent_rows in network_rows.items():
        traces = paths.get(agent) or []
        if traces and not any(hop['ip'] for trace in traces for hop in trace['hops']):
            mute.append(agent)
            continue
        kinds = set('unreachable' if detail.startswith('error:') else detail for _row, _kind, detail in agent_rows)
        point = fault_point(traces, kinds)
        if point is not None:
            points[agent] = point
    all_traces = [trace for traces in paths.values() for trace in traces]
    places = _places(rows, paths)
    for agent, point in points.items():
        distance = 0 if point['at_destination'] else _distance_to_destination(point['hop']['ip'], all_traces)
        point['at_end'] = (distance is not None and distance < LAST_HOPS) or at_site(point['hop'], paths.get(agent) or [])
        point['near'] = inside_own_network(point['hop'], paths.get(agent) or [], listed.get(agent),
                                           _sharers(point['hop']['ip'], agent, paths, places))

    network: list[dict[str, Any]] = []
    end_agents: set[str] = set()
    on_way: list[dict[str, Any]] = []
    for agent, point in points.items():
        if point['at_end']:
            end_agents.add(agent)
        elif not point['near']:
            _join(on_way, agent, point['hop'])
    if end_agents:
        kinds = set(points[agent]['kind'] for agent in end_agents)
        hop = points[sorted(end_agents)[0]]['hop']
        what = 'loss' if 'loss' in kinds or 'unreachable' in kinds else 'latency'
        at_address = all(points[agent]['at_destination'] and points[agent]['hop']['ip'] == _destination(paths.get(agent)) for agent in end_agents)
        where = 'at the destination %s' % hop['ip'] if at_address \
            else 'at the last hops, %s' % hop_label(hop, [points[agent]['hop']['hop'] for agent in end_agents])
        edges = _edges(end_agents, points, names)
        network.append(_finding('target', '%s %s: %s%s' % (what, where, names.scope(end_agents), edges), end_agents, hop))
    for group in sorted(on_way, key=lambda item: (-len(item['agents']), item['hops'][0]['ip'])):
        agents, hop = group['agents'], _primary(group['hops'])
        numbers = [_position(entry['ip'], paths.get(agent) or []) or entry['hop'] for agent, entry in zip(group['agents'], group['hops'])]
        verb = 'loss starts' if any(points[agent]['kind'] == 'loss' for agent in agents) else (
            'traces stop' if any(points[agent]['kind'] == 'unreachable' for agent in agents) else 'latency jumps')
        also = sorted(set(entry['ip'] for entry in group['hops']) - {hop['ip']})
        label = hop_label(hop, numbers) + (' and %s' % ', '.join(also) if also else '')
        text = '%s at %s: %s%s' % (verb, label, names.scope(agents), _others_cross(hop, agents, everyone, names, paths))
        network.append(_finding('path', text, agents, hop))
    unplaced = sorted(set(network_rows) - set(points) - set(mute))
    if unplaced:
        for text, agents in _group(dict((agent, network_rows[agent]) for agent in unplaced), limits).items():
            reason = 'no path trace to place it' if not any(paths.get(agent) for agent in agents) else 'the path traces show no single hop'
            network.append(_finding('network', '%s from %s; %s' % (text, names.scope(agents), reason), agents))
    other = []
    for text, agents in _group(other_rows, limits).items():
        other.append(_finding('other', '%s from %s' % (text, names.scope(agents)), agents))

    problems = dict((str(agent), problem) for agent, problem in (local_problems or {}).items() if problem)
    flagged = set(problems) & breaching
    flags = [_finding('agents', 'ThousandEyes flags a local problem on the agent itself%s: %s' % (
        _since(problems, flagged), names.some(flagged)), flagged)] if flagged else []

    def done(location: str, primary: list[dict[str, Any]]) -> dict[str, Any]:
        rest = [finding for finding in dns + server + network + other + flags if finding not in primary]
        findings: list[dict[str, Any]] = []

        def same(finding: dict[str, Any], kept: dict[str, Any]) -> bool:
            # The same hop for the same agents is one piece of evidence, however it was found.
            return finding['text'] == kept['text'] or bool(finding['hop'] and kept['hop'] and finding['agents'] == kept['agents']
                                                           and finding['hop']['ip'] == kept['hop']['ip'])
        for finding in primary + rest:
            if not any(same(finding, kept) for kept in findings):
                # ``primary``: a finding that places the fault (the renderers mark its hop); the rest is evidence.
                findings.append(dict(finding, primary=any(finding is chosen for chosen in primary)))
        result.update(location=location, findings=findings, evidence=[finding['text'] for finding in findings],
                      next_step=_advice(location, primary, names, paths, listed))
        return result

    # 1. A failing resolution.
    if dns_failures:
        return done('dns', dns_failures)
    # 1b. Only agents that ThousandEyes itself flags with a local problem breach: their own trouble.
    if flagged and flagged == breaching:
        return done('agents', flags + _agents_near(points, mute, names))
    target_findings = server + [finding for finding in network if finding['cause'] == 'target']
    target_agents = server_agents | end_agents
    # 2. Every agent that breaches sees it at the server (its own edge, for a CDN): all of them or only some.
    if target_agents == breaching:
        return done('target', target_findings)
    # 3. A hop on the way, outside the affected agents' own network, for all of them or some.
    path_findings = [finding for finding in network if finding['cause'] == 'path']
    if path_findings:
        return done('path', path_findings + _agents_near(points, mute, names))
    # 3b. An HTTP status or slow wait time is server-side whoever sees it.
    if server:
        return done('target', target_findings)
    # 4. Slow resolution.
    if dns:
        return done('dns', dns)
    # 5. Inside the agents' own network, or agents that cannot measure; or only some agents.
    near = _agents_near(points, mute, names)
    if near or not every_agent:
        findings = near if every_agent else _agents_findings(breaching, everyone, names, paths, points, network_rows, limits, mute)
        return done('agents', findings)
    # 6. Every agent, nothing shared on the way.
    return done('target', target_findings or [finding for finding in network + other if finding['cause'] != 'path'] or network)


def _since(problems: Mapping[str, Mapping[str, Any]], agents: Iterable[str]) -> str:
    """`` (active since 2026-12-07T15:02:00Z)`` for the earliest start of the agents' local problems, if known."""
    starts = sorted(str(problems[agent]['start_date']) for agent in agents
                    if isinstance(problems.get(agent), Mapping) and problems[agent].get('start_date'))
    return ' (active since %s)' % starts[0] if starts else ''


def _network_key(network: Any) -> str | None:
    """What identifies a network: ``AS 3356`` for ``Lumen (AS 3356)``, else its name in lower case."""
    text = _text(network)
    if not text:
        return None
    match = NETWORK_AS.match(text)
    return 'AS %s' % match.group('asn') if match else text.lower()


def private(ip: str | None) -> bool:
    """Whether the address is a LAN's (RFC 1918, IPv6 unique local)."""
    try:
        address = ipaddress.ip_address(str(ip))
    except ValueError:
        return False
    return any(address in network for network in PRIVATE_NETWORKS if network.version == address.version)


def lan_length(traces: Sequence[Trace]) -> int:
    """How many hops the agent's LAN has: the run of private addresses from hop 1, whatever its length (hops that do not
    answer inside the run belong to it; a private hop after a public one is transit). The longest run of its traces."""
    longest = 0
    for trace in traces:
        run = 0
        for hop in sorted(trace['hops'], key=lambda entry: entry['hop']):
            if hop['ip'] is None:
                continue
            if not private(hop['ip']):
                break
            run = hop['hop']
        longest = max(longest, run)
    return longest


def own_networks(traces: Sequence[Trace], listed: str | None = None) -> set[str]:
    """The agent's own networks: those of its first ``NEAR_HOPS`` hops after its LAN (its first network, its own AS),
    and the one the agents listing gives it (an Enterprise agent's ``network``)."""
    first = lan_length(traces) + NEAR_HOPS
    keys = set(key for trace in traces for hop in trace['hops'] if hop['ip'] and hop['hop'] <= first
               for key in [_network_key(hop.get('network'))] if key)
    if _network_key(listed):
        keys.add(_network_key(listed))
    return keys


def inside_own_network(hop: Hop, traces: Sequence[Trace], listed: str | None = None, sharers: int = 1) -> bool:
    """Whether the hop is in the agent's own network: its LAN (the private run from hop 1, whatever its length), one of
    its first ``NEAR_HOPS`` hops after it, or a hop of its own AS. ``sharers``: in how many places the agents whose paths
    cross the hop are; a router shared by agents in several places is nobody's own network, whatever its AS."""
    lan = lan_length(traces)
    if hop['hop'] <= lan and private(hop['ip']):
        return True
    if sharers > 1:
        return False
    return hop['hop'] <= max(NEAR_HOPS, lan) or _network_key(hop.get('network')) in own_networks(traces, listed)


def _places(rows: Sequence[Row], paths: Mapping[str, Sequence[Trace]]) -> dict[str, str]:
    """Where each agent is, to tell agents in several places from agents in one: its country and its first public hop
    (agents of one office share it; agents of one country in other cities do not)."""
    places: dict[str, str] = {}
    for row in rows:
        agent = _agent(row)
        if agent in places:
            continue
        first = next((hop['ip'] for trace in paths.get(agent) or [] for hop in sorted(trace['hops'], key=lambda entry: entry['hop'])
                      if hop['ip'] and not private(hop['ip'])), None)
        places[agent] = '%s/%s' % (_text(row.get('country')) or '', first or agent)
    return places


def _sharers(ip: str, agent: str, paths: Mapping[str, Sequence[Trace]], places: Mapping[str, str]) -> int:
    """In how many places are the agents whose paths cross the address (the agent's own among them)."""
    if private(ip):
        return 1  # private addresses repeat in every LAN: the same one in two places is two routers
    crossing = set(other for other, traces in paths.items() if any(hop['ip'] == ip for trace in traces for hop in trace['hops']))
    crossing.add(agent)
    return len(set(places.get(other, other) for other in crossing))


def _destination(traces: Sequence[Trace] | None) -> str | None:
    return next((trace['destination'] for trace in traces or [] if trace.get('destination')), None)


def at_site(hop: Hop, traces: Sequence[Trace]) -> bool:
    """Whether the hop is at the target's site: the destination, or in the destination's prefix (its edge)."""
    destination = _destination(traces)
    if not destination or not hop.get('ip'):
        return False
    return hop['ip'] == destination or (bool(hop.get('prefix')) and in_prefix(destination, hop['prefix']))


def _primary(hops: Sequence[Hop]) -> Hop:
    """The address a finding names first: the one most agents stop or jump at, the lowest of equals."""
    counts: dict[str, int] = {}
    for hop in hops:
        counts[hop['ip']] = counts.get(hop['ip'], 0) + 1
    best = min(counts, key=lambda ip: (-counts[ip], _address_key(ip)))
    return next(hop for hop in hops if hop['ip'] == best)


def _address_key(ip: str) -> tuple[int, int, str]:
    try:
        address = ipaddress.ip_address(ip)
        return (address.version, int(address), ip)
    except ValueError:
        return (9, 0, ip)


def _join(groups: list[dict[str, Any]], agent: str, hop: Hop) -> None:
    """Add an agent's fault point to the findings on the way: one per address, and one per network and hop position
    (load-balanced links show several addresses of one hop)."""
    key = _network_key(hop.get('network'))
    for group in groups:
        if any(entry['ip'] == hop['ip'] or (key is not None and _network_key(entry.get('network')) == key and entry['hop'] == hop['hop'])
               for entry in group['hops']):
            group['agents'].append(agent)
            group['hops'].append(hop)
            return
    groups.append(dict(agents=[agent], hops=[hop]))


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


# What the verdict needs to read ----------------------------------------------------------------------

def path_details_needed(tests: Sequence[Mapping[str, Any]], thresholds: Mapping[str, Any] | None = None,
                        compare_healthy: bool = True) -> list[dict[str, Any]]:
    """The path-vis details to read for one target: ``[{'test_id', 'agent_id', 'round_id', 'reason'}]``.

    ``tests``: ``[{'test_id': ..., 'summary': [rows]}]`` of the target's tests. Only agents with a network symptom
    need their path (a DNS failure or an HTTP status is located without one), from their latest round of one test
    with network measurements (the one whose network rows breach, else the first). When only some agents breach,
    the healthy agents' paths of that test are listed too (``reason: 'comparison'``) unless ``compare_healthy`` is
    false: telling ``agents`` from ``path`` needs them. Nothing is listed when a DNS failure decides the location.
    """
    limits = thresholds_of(thresholds)
    all_rows = [row for test in tests for row in test.get('summary') or [] if isinstance(row, Mapping)]
    suspects: set[str] = set()
    breaching: set[str] = set()
    for row in all_rows:
        for kind, detail in symptoms(row, limits):
            breaching.add(_agent(row))
            if kind == 'dns' and detail.startswith('error:'):
                return []
            if kind == 'network':
                suspects.add(_agent(row))
    if not suspects:
        return []
    candidates = [test for test in tests if any(row.get('layer') in NETWORK_LAYERS for row in test.get('summary') or [])]
    if not candidates:
        return []

    def breaches_on_network(test: Mapping[str, Any]) -> bool:
        return any(row.get('layer') == 'network' and _agent(row) in suspects and symptoms(row, limits)
                   for row in test.get('summary') or [])
    chosen = next((test for test in candidates if breaches_on_network(test)), candidates[0])
    latest: dict[str, int] = {}
    for row in chosen.get('summary') or []:
        round_id = parse_number(row.get('round_id'), int)
        if row.get('layer') in NETWORK_LAYERS and round_id is not None:
            latest[_agent(row)] = max(latest.get(_agent(row), round_id), round_id)
    needed = [dict(test_id=chosen.get('test_id'), agent_id=agent, round_id=latest[agent], reason='breaching')
              for agent in sorted(suspects) if agent in latest]
    if compare_healthy and set(latest) - breaching and breaching & set(latest):
        needed.extend(dict(test_id=chosen.get('test_id'), agent_id=agent, round_id=latest[agent], reason='comparison')
                      for agent in sorted(set(latest) - breaching))
    return needed
