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
  fault point at the destination or its last ``LAST_HOPS`` hops; also a server that gives no agent any answer (100 %
  loss, no HTTP status) while no trace arrives and every trace stops at the site's edge although its prefix does not
  hold the destination: every stop in the destination's network where the traces give it, or, when they do not, one
  address at which agents in several places all stop (the last hop every path to the target crosses). Traces that
  stop in a network the traces show is not the destination's, or at several addresses of a network not known as
  the destination's, are a blackhole on the way: ``path``;
- ``path``: a fault point on the way, outside the affected agents' own network, whether every agent or only some
  cross it: the finding names the hop and its network, the agents whose fault starts there, and whether the other
  agents' paths avoid it (or cross the hop, or its network at other hops);
- ``dns``: resolution fails or is slow;
- ``agents``: the fault points lie inside the affected agents' own network, or they cannot measure at all, or only
  some agents breach and nothing on their paths explains it.

Precedence when several causes show, first match wins (``PRECEDENCE`` below: one named step each, returning a
location with the findings that place it, or None):

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

from collections.abc import Mapping, Sequence
from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.locate_wording import (
    _Agents,
    _advice,
    _agents_findings,
    _agents_near,
    _dns_findings,
    _edges,
    _finding,
    _group,
    _others_cross,
    _server_findings,
    _since,
    hop_label,
    network_label,
)
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.path_geometry import (
    LAST_HOPS,
    NEAR_HOPS,
    Row,
    Trace,
    _agent,
    _destination,
    _distance_to_destination,
    _join,
    _places,
    _position,
    _primary,
    _sharers,
    _text,
    at_site,
    fault_point,
    inside_own_network,
    stop_at_the_edge,
)
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.symptoms import HTTP_LAYERS, NETWORK_LAYERS, located, no_answer
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of

LOCATIONS = ('none', 'target', 'path', 'dns', 'agents')


# The rooms of the locator: path geometry (``path_geometry.py``), wording (``locate_wording.py``) and here the
# precedence; which path details a diagnosis reads is decided where they are fetched (``path_details.py``).
__all__ = ('LAST_HOPS', 'LOCATIONS', 'NEAR_HOPS', 'PRECEDENCE', 'hop_label', 'locate', 'network_label', 'symptoms')


def symptoms(row: Row, limits: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(kind, detail)`` for each way the row breaches: kind is dns, server, network or other; empty when fine.

    ``detail`` groups rows into one finding: a DNS error text, an HTTP status, ``slow`` and so on. The judgement is
    the one of ``symptoms.py`` (``located``): the locator compares no value with a threshold itself.
    """
    return located(row, limits)


# The locator -----------------------------------------------------------------------------------------


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
    # A server that takes no connection, behind an edge router outside its prefix: every agent gets no answer at all and
    # every trace stops at the site's edge, which the traces tell from a blackhole on the way (path_geometry).
    if every_agent and set(points) == breaching and breaching <= no_answer(rows, limits) and stop_at_the_edge(points, paths, places):
        for point in points.values():
            point['at_end'] = True

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

    case = _Case(dns=dns, server=server, network=network, other=other, flags=flags, flagged=flagged, breaching=breaching,
                 every_agent=every_agent, target_agents=server_agents | end_agents, near=_agents_near(points, mute, names),
                 only_some=lambda: _agents_findings(breaching, everyone, names, paths, points, network_rows, limits, mute))
    location, primary = next(placed for placed in (step(case) for step in PRECEDENCE) if placed is not None)
    findings = _evidence(primary, dns + server + network + other + flags)
    result.update(location=location, findings=findings, evidence=[finding['text'] for finding in findings],
                  next_step=_advice(location, primary, names, paths, listed))
    return result


# The precedence --------------------------------------------------------------------------------------
# Each step looks at the findings of one target and returns ``(location, the findings that place it)``, or None to
# leave it to the next step; the first step that places the fault wins (the module docstring gives the rules).

Placed = tuple[str, list[dict[str, Any]]]


class _Case:
    """The findings of one target that the steps weigh: by cause, and who breaches."""

    def __init__(self, **values: Any) -> None:
        self.dns: list[dict[str, Any]] = values['dns']
        self.server: list[dict[str, Any]] = values['server']
        self.network: list[dict[str, Any]] = values['network']
        self.other: list[dict[str, Any]] = values['other']
        self.flags: list[dict[str, Any]] = values['flags']
        self.flagged: set[str] = values['flagged']
        self.breaching: set[str] = values['breaching']
        self.every_agent: bool = values['every_agent']
        self.target_agents: set[str] = values['target_agents']
        self.near: list[dict[str, Any]] = values['near']
        self.only_some = values['only_some']

    def target_findings(self) -> list[dict[str, Any]]:
        return self.server + [finding for finding in self.network if finding['cause'] == 'target']


def failing_resolution(case: _Case) -> Placed | None:
    """1. A name that does not resolve: without an address every other measurement of it is void."""
    failures = [finding for finding in case.dns if finding['failure']]
    return ('dns', failures) if failures else None


def flagged_agents_only(case: _Case) -> Placed | None:
    """1b. Only agents that ThousandEyes itself flags with a local problem breach: their own trouble."""
    return ('agents', case.flags + case.near) if case.flagged and case.flagged == case.breaching else None


def seen_at_the_server(case: _Case) -> Placed | None:
    """2. Every agent that breaches sees it at the server (its own edge, for a CDN): all of them or only some."""
    return ('target', case.target_findings()) if case.target_agents == case.breaching else None


def hop_on_the_way(case: _Case) -> Placed | None:
    """3. A hop on the way, outside the affected agents' own network, for all of them or some."""
    on_way = [finding for finding in case.network if finding['cause'] == 'path']
    return ('path', on_way + case.near) if on_way else None


def server_side(case: _Case) -> Placed | None:
    """3b. An HTTP status or a slow wait time is server-side whoever sees it."""
    return ('target', case.target_findings()) if case.server else None


def slow_resolution(case: _Case) -> Placed | None:
    """4. Slow resolution: it adds time, it does not explain loss or an HTTP error."""
    return ('dns', case.dns) if case.dns else None


def agents_own_trouble(case: _Case) -> Placed | None:
    """5. Inside the agents' own network, or agents that cannot measure; or only some agents breach."""
    if case.near or not case.every_agent:
        return ('agents', case.near if case.every_agent else case.only_some())
    return None


def everyone_nothing_on_the_way(case: _Case) -> Placed:
    """6. Every agent breaches and nothing on the way places it: the one element all paths share is the server."""
    return ('target', case.target_findings() or [finding for finding in case.network + case.other if finding['cause'] != 'path'] or case.network)


PRECEDENCE = (failing_resolution, flagged_agents_only, seen_at_the_server, hop_on_the_way, server_side, slow_resolution,
              agents_own_trouble, everyone_nothing_on_the_way)


def _evidence(primary: list[dict[str, Any]], found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings that place the fault first (``primary``: the renderers mark their hops), then the others; the
    same hop for the same agents is one piece of evidence, however it was found."""
    def same(finding: dict[str, Any], kept: dict[str, Any]) -> bool:
        return finding['text'] == kept['text'] or bool(finding['hop'] and kept['hop'] and finding['agents'] == kept['agents']
                                                       and finding['hop']['ip'] == kept['hop']['ip'])
    findings: list[dict[str, Any]] = []
    for finding in primary + [finding for finding in found if finding not in primary]:
        if not any(same(finding, kept) for kept in findings):
            findings.append(dict(finding, primary=any(finding is chosen for chosen in primary)))
    return findings
