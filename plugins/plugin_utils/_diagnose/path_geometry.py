# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The locator's path geometry: where an agent's traces stop, where a delay persists (jumps), which hops are the
agent's own network (its LAN, its first hops, its AS) and which are shared by agents in several places, and whether a
trace arrives at the target's site.

Private to this collection: may change at any time. Pure functions of the traces (no I/O, no clock). The rules are
in the docstring of ``locate.py``; the traces' shape too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import ipaddress

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.paths import in_prefix

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


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _agent(row: Row) -> str:
    return str(row.get('agent_id'))


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


def destination_networks(paths: Mapping[str, Sequence[Trace]]) -> set[str]:
    """The destination's network as the traces give it: that of the destination's own hop or of a hop in its prefix
    (its edge), in any agent's traces; empty when no trace shows one (a server that answers nothing, behind an edge
    outside its prefix)."""
    return set(key for traces in paths.values() for trace in traces for hop in trace['hops']
               if hop['ip'] and at_site(hop, traces) for key in [_network_key(hop.get('network'))] if key)


def stop_at_the_edge(points: Mapping[str, dict[str, Any]], paths: Mapping[str, Sequence[Trace]], places: Mapping[str, str]) -> bool:
    """Whether the traces that stop short of the target's site (the points not ``at_end`` yet) stop at its edge although
    its prefix does not say so (an edge router in the hosting network's own range): no trace of those agents arrives,
    each one's fault point is where its traces stop, and either every such stop is in the destination's network where
    the traces give it (a hop at the site of any agent), or (when they do not) the agents, in several places, all stop
    at one address: the last hop that every path to the target crosses. A stop in a network that the traces show is
    not the destination's is transit (a blackhole on the way), and so are stops at several addresses of a network not
    known as the destination's."""
    short = dict((agent, point) for agent, point in points.items() if not point.get('at_end'))
    if not short or any(point['kind'] not in ('loss', 'unreachable') or point['at_destination'] for point in short.values()):
        return False
    if any(trace['reached'] for agent in short for trace in paths.get(agent) or []):
        return False
    known = destination_networks(paths)
    if known:
        return all(_network_key(point['hop'].get('network')) in known for point in short.values())
    stops = set(point['hop']['ip'] for point in short.values())
    return len(stops) == 1 and len(set(places.get(agent, agent) for agent in points)) > 1


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


def _shared_after(agent: str, healthy: Sequence[str], paths: Mapping[str, Sequence[Trace]], end_zone: set[str]) -> int | None:
    """The last hop number at which the agent's path shares an address with a healthy agent's path, outside the
    destination's end; 0 when it shares none; None when there is nothing to compare."""
    theirs = set(hop['ip'] for other in healthy for trace in paths.get(other) or [] for hop in trace['hops'] if hop['ip'])
    if not theirs or not paths.get(agent):
        return None
    shared = [hop['hop'] for trace in paths[agent] for hop in trace['hops'] if hop['ip'] in theirs and hop['ip'] not in end_zone]
    return max(shared) if shared else 0
