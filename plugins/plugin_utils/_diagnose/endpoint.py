# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The users' own machines in a diagnosis: endpoint instant test results (endpoint_instant_test ``summary`` rows), and
what their own network says (Wi-Fi, VPN, gateway, CPU).

Private to this collection: may change at any time. Pure functions over data. This module judges nothing itself: the
symptoms come from ``symptoms.py`` (``row_symptoms`` for loss and latency, ``machine_symptoms`` for the machine's own
columns against the endpoint limits of ``thresholds.py``); it words them and places the target.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose import path_geometry as geometry
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose import symptoms as judge
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import endpoint_limits

# The symptoms of the measurement itself that an endpoint row can show (judged by ``symptoms.row_symptoms``).
MEASURED_KINDS = ('unreachable', 'loss', 'latency')


def _breaches(row: dict[str, Any], limits: dict[str, Any]) -> list[judge.Symptom]:
    return [symptom for symptom in judge.row_symptoms(row, limits) if symptom.kind in MEASURED_KINDS]


def loss_start(row: dict[str, Any], path: dict[str, Any] | None, limits: dict[str, Any]) -> dict[str, Any] | None:
    """Where the loss the machine measured starts on its own path, from its path traces (``path_traces`` of
    endpoint_instant_test): ``{'where', 'ip', 'hop', 'stopped', 'traces', 'symptom', 'hop_entry'}`` with ``where``
    ``gateway`` (its first hop, or the gateway address of its network profile), ``home`` (a later hop of the run of
    private addresses from hop 1: its own network), ``beyond`` (past its private hops: not its own network) or
    ``destination`` (every trace arrives). None without a loss symptom, without traces, or when no hop answered on the
    traces that stop (the loss is before the first hop: the machine's own link)."""
    loss = [symptom for symptom in _breaches(row, limits) if symptom.kind in ('loss', 'unreachable')]
    traces = (path or {}).get('traces') or []
    if not loss or not traces:
        return None
    point = geometry.fault_point(traces, {loss[0].kind})
    if point is None or not point['hop'].get('ip'):
        return None
    hop = point['hop']
    gateway = row.get('gateway') or (path or {}).get('gateway')
    stopped = sum(1 for trace in traces if not trace['reached'] and [entry for entry in trace['hops'] if entry['ip']][-1:] == [hop])
    if point['at_destination']:
        where = 'destination'
    elif hop['ip'] == gateway or (hop['hop'] == 1 and geometry.private(hop['ip'])):
        where = 'gateway'
    elif hop['hop'] <= geometry.lan_length(traces) and geometry.private(hop['ip']):
        where = 'home'
    else:
        where = 'beyond'
    return dict(where=where, ip=hop['ip'], hop=hop['hop'], stopped=stopped, traces=len(traces), symptom=loss[0], hop_entry=hop)


def vpn_added(row: dict[str, Any], path: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the machine's VPN adds to its round trip, from its path traces: on each trace that reaches the VPN's gateway,
    the response time at that hop less the one of the last hop before it that answered (0 ms at the machine); the median
    of those steps, with the hop number. None without a VPN, without path traces, or when no trace shows its gateway."""
    gateway = row.get('vpn_gateway')
    if not row.get('vpn_type') or not gateway:
        return None
    steps, number = [], None
    for trace in (path or {}).get('traces') or []:
        before = 0.0
        for hop in trace.get('hops') or []:
            answered = hop.get('ip') and isinstance(hop.get('response_time'), (int, float))
            if answered and hop['ip'] == gateway:
                steps.append(max(0.0, hop['response_time'] - before))
                number = hop.get('hop')
                break
            if answered:
                before = hop['response_time']
    if not steps:
        return None
    steps.sort()
    return dict(ms=steps[len(steps) // 2], hop=number)


def _measured_vpn(row: dict[str, Any], path: dict[str, Any] | None) -> dict[str, Any]:
    """The row with what its VPN adds (``vpn_added``, ``vpn_added_hop``), which the judge weighs against its latency."""
    added = vpn_added(row, path)
    return row if added is None else dict(row, vpn_added=added['ms'], vpn_added_hop=added['hop'])


def _vpn_words(row: dict[str, Any]) -> str:
    """``cisco-anyconnect via 203.0.113.200``, with what it adds when its path traces measured it."""
    words = '%s via %s' % (row['vpn_type'], row.get('vpn_gateway') or 'its gateway')
    if row.get('vpn_added') is not None:
        words += ', which adds %s ms at its gateway (hop %s)' % (judge.fmt(row['vpn_added']), row.get('vpn_added_hop'))
    return words


def _hop_words(start: dict[str, Any]) -> str:
    hop = start['hop_entry']
    names = ', '.join(str(value) for value in (hop.get('rdns'), hop.get('network')) if value)
    return 'hop %d, %s%s' % (start['hop'], start['ip'], ' (%s)' % names if names else '')


def _stops(start: dict[str, Any]) -> str:
    return '%d of %d path traces stop%s there' % (start['stopped'], start['traces'], 's' if start['stopped'] == 1 else '')


def own_network(row: dict[str, Any], limits: dict[str, Any], path: dict[str, Any] | None = None) -> list[str]:
    """Which part of the machine's own network explains a breach it measured, each with its measured values: the words
    for the symptoms of ``symptoms.machine_symptoms`` (and the loss of ``symptoms.row_symptoms``), with the loss placed
    by the machine's path traces when ``path`` has them (``loss_start``)."""
    row = _measured_vpn(row, path)
    machine = judge.machine_symptoms(row, limits)
    causes = []
    weak = [symptom.text for symptom in machine if symptom.kind in judge.WIFI_KINDS]
    if weak:
        causes.append('weak Wi-Fi%s: %s' % (' (%s)' % row['wifi_ssid'] if row.get('wifi_ssid') else '', ', '.join(weak)))
    for symptom in machine:
        if symptom.kind == 'vpn-latency':
            causes.append('the VPN (%s) carries the traffic: %s' % (_vpn_words(row), symptom.text))
    loss = [symptom for symptom in _breaches(row, limits) if symptom.kind == 'loss']
    start = loss_start(row, path, limits)
    if start is not None and start['where'] == 'gateway':
        causes.append('the gateway %s loses packets: %s (%s)' % (start['ip'], start['symptom'].text, _stops(start)))
    elif start is not None and start['where'] == 'home':
        causes.append("packets lost inside the machine's own network, at %s: %s (%s)" % (_hop_words(start), start['symptom'].text, _stops(start)))
    elif start is None and loss and not weak:
        causes.append('packets lost from the machine on, behind its gateway %s: %s' % (row.get('gateway') or '(unknown)', loss[0].text))
    for symptom in machine:
        if symptom.kind == 'cpu':
            causes.append("the machine's %s" % symptom.text)
    return causes


def _beyond(start: dict[str, Any] | None, cloud_sees: bool) -> str | None:
    """The words for loss that starts past the machine's own network, or None."""
    if start is None or start['where'] not in ('beyond', 'destination'):
        return None
    if start['where'] == 'destination':
        where = '%s, every path trace arrives: at the destination %s, not its own network' % (start['symptom'].text, start['ip'])
    else:
        where = ('%s starts beyond its own network, at %s (%s; the hops before it pass the packets): not its own network but '
                 'the path' % (start['symptom'].text, _hop_words(start), _stops(start)))
    return '%s; %s' % (where, 'the Cloud Agents see a breach too' if cloud_sees else
                       'the Cloud Agents do not see it, so it lies on the part of the path that only this machine crosses')


def _machine_line(row: dict[str, Any], limits: dict[str, Any]) -> dict[str, Any]:
    """The machine's Wi-Fi, VPN, gateway and CPU as the renderers show them, each with the limit it is judged
    against and whether ``symptoms.machine_symptoms`` found it breaching."""
    kinds = set(symptom.kind for symptom in judge.machine_symptoms(row, limits))
    fixed = endpoint_limits(limits)
    return dict(interface=row.get('interface'), ssid=row.get('wifi_ssid'), rssi=row.get('wifi_rssi'), snr=row.get('wifi_snr'),
                rssi_limit=fixed['min_wifi_rssi'], snr_limit=fixed['min_wifi_snr'], rssi_low='wifi-rssi' in kinds, snr_low='wifi-snr' in kinds,
                vpn_type=row.get('vpn_type'), vpn_gateway=row.get('vpn_gateway'), vpn_slow='vpn-latency' in kinds,
                vpn_added=row.get('vpn_added'),
                gateway=row.get('gateway'), cpu=row.get('cpu'), cpu_limit=fixed['max_cpu'], cpu_busy='cpu' in kinds)


def machine_words(machine: dict[str, Any] | None) -> str:
    """The machine's Wi-Fi/VPN line as the text and Markdown reports word it, from ``_machine_line`` (the judge's flags):
    ``Wi-Fi home-bob: RSSI -82 dBm < -70 dBm, SNR 9 dB < 20 dB; no VPN; gateway 192.168.1.1; CPU 12% (limit 90%)``."""
    if not machine:
        return ''
    parts = []
    if machine.get('rssi') is not None or machine.get('snr') is not None:
        values = []
        for key, unit in (('rssi', 'dBm'), ('snr', 'dB')):
            if machine.get(key) is not None:
                limit = '%s %s' % (judge.fmt(machine[key + '_limit']), unit)
                against = '< ' + limit if machine.get(key + '_low') else '(limit %s)' % limit
                values.append('%s %s %s %s' % (key.upper(), judge.fmt(machine[key]), unit, against))
        parts.append('Wi-Fi%s: %s' % (' %s' % machine['ssid'] if machine.get('ssid') else '', ', '.join(values)))
    else:
        parts.append('wired' if machine.get('interface') == 'ethernet' else 'no Wi-Fi data')
    slow = ' (adds %s ms)' % judge.fmt(machine['vpn_added']) if machine.get('vpn_added') is not None else ''
    slow += ' (latency breaches)' if machine.get('vpn_slow') else ''
    parts.append('VPN %s via %s%s' % (machine['vpn_type'], machine.get('vpn_gateway') or 'its gateway', slow) if machine.get('vpn_type') else 'no VPN')
    parts.append('gateway %s' % (machine.get('gateway') or 'unknown'))
    if machine.get('cpu') is not None:
        limit = round(machine['cpu_limit'] * 100)
        parts.append('CPU %d%% %s' % (round(machine['cpu'] * 100), '> %d%%' % limit if machine.get('cpu_busy') else '(limit %d%%)' % limit))
    return '; '.join(parts)


def endpoint_lines(target: dict[str, Any]) -> list[str]:
    """Per endpoint agent of a target: its name, ID and Wi-Fi/VPN line, and where its loss starts on its own path."""
    lines = []
    for agent in ((target.get('endpoint') or {}).get('agents') or []):
        fault = agent.get('fault') or {}
        where = ('; loss starts at hop %s, %s (%s)' % (fault.get('hop'), fault.get('ip'), fault.get('where'))) if fault else ''
        words = machine_words(agent.get('machine')) or agent.get('line')
        lines.append('%s (endpoint %s): %s%s' % (agent.get('agent_name'), agent.get('agent_id'), words, where))
    return lines


def endpoint_view(result: dict[str, Any], limits: dict[str, Any], cloud_sees: bool = False) -> dict[str, Any]:
    """One endpoint test's result: per agent its breaches, their causes in its own network, where its loss starts on
    its own path (``path``: its path traces, ``fault``: the hop), the machine's values (``machine``) and a Wi-Fi/VPN line."""
    paths = dict((str(entry.get('agent_id')), entry) for entry in result.get('path_traces') or [] if isinstance(entry, dict))
    agents = []
    for row in result.get('summary') or []:
        if row.get('layer') != 'network':
            continue
        path = paths.get(str(row.get('agent_id')))
        row = _measured_vpn(row, path)
        start = loss_start(row, path, limits)
        wifi = ('Wi-Fi %s RSSI %s dBm SNR %s dB' % (row.get('wifi_ssid') or '', row.get('wifi_rssi'), row.get('wifi_snr'))
                if row.get('wifi_rssi') is not None else 'wired' if row.get('interface') == 'ethernet' else 'no Wi-Fi data')
        vpn = 'VPN %s' % _vpn_words(row) if row.get('vpn_type') else 'no VPN'
        fault = None if start is None else dict(ip=start['ip'], hop=start['hop'], where=start['where'])
        agents.append(dict(agent_id=row.get('agent_id'), agent_name=row.get('agent_name'), breaches=[symptom.text for symptom in _breaches(row, limits)],
                           causes=own_network(row, limits, path), beyond=_beyond(start, cloud_sees), fault=fault,
                           path=(path or {}).get('traces') or [], machine=_machine_line(row, limits),
                           line='%s; %s; gateway %s' % (wifi, vpn, row.get('gateway'))))
    return dict(test_id=result.get('test_id'), agents=agents, missing=result.get('missing') or [])


# Where a breach only the endpoint sees is placed, by where its loss starts; the first of these that any agent shows.
PLACES = (('beyond', 'path'), ('destination', 'target'))
# The advice of the next step when the endpoint places a target the Cloud Agents found healthy.
ADVICE = dict(agents="Check the own network of the endpoint machines named in the evidence (Wi-Fi, VPN, gateway, CPU)",
              path="Raise the hop named in the evidence with the endpoint machine's internet provider",
              target="Check the target's server and its hosting: only the endpoint machines named in the evidence see it")
RERUN = '. Rerun these tests: '


def _placed(target: dict[str, Any], location: str) -> None:
    """Place a target that the Cloud Agents found healthy, with the advice for the place (the rerun command kept)."""
    target['location'] = location
    step = target.get('next_step')
    if isinstance(step, str) and RERUN in step:
        target['next_step'] = ADVICE[location] + step[step.index(RERUN):]


def apply_endpoint(targets: list[dict[str, Any]], endpoint: dict[str, Any] | None, limits: dict[str, Any]) -> None:
    """Add each target's endpoint view, and place a breach only the endpoint sees.

    ``endpoint`` maps a target to its endpoint_instant_test result. A breach the Cloud Agents see too keeps its place;
    the endpoint's findings are added to the evidence. A breach only the endpoint sees is ``agents`` when its own network
    explains it for every breaching machine; when its path traces show loss that starts past the machine's own
    network, the place is the path (``path``; ``target`` when every trace arrives), as far as the Cloud Agents' view
    allows: they do not see it, and the evidence says so.
    """
    for target in targets:
        result = (endpoint or {}).get(target['target'])
        if not isinstance(result, dict):
            continue
        view = endpoint_view(result, limits, cloud_sees=target.get('verdict') != 'ok')
        target['endpoint'] = view
        breaching = [agent for agent in view['agents'] if agent['breaches']]
        for agent in breaching:
            label = '%s (endpoint %s)' % (agent['agent_name'], agent['agent_id'])
            target['reasons'] = list(target.get('reasons') or []) + ['%s, endpoint test, network: %s' % (label, '; '.join(agent['breaches']))]
            target['reason_groups'] = list(target.get('reason_groups') or []) + [
                dict(verdict='degraded', where='endpoint test, network', text='; '.join(agent['breaches']), agents=[label])]
            found = agent['causes'] + ([agent['beyond']] if agent['beyond'] else [])
            evidence = ('%s: %s' % (label, '; '.join(found))) if found else (
                '%s: %s, nothing in its own network explains it (%s)' % (label, '; '.join(agent['breaches']), agent['line']))
            target['evidence'] = list(target.get('evidence') or []) + [evidence]
        if breaching and target.get('verdict') == 'ok':
            target['verdict'] = 'degraded'
            if all(agent['causes'] for agent in breaching):
                _placed(target, 'agents')
            elif all(agent['causes'] or agent['beyond'] for agent in breaching):
                wheres = set(agent['fault']['where'] for agent in breaching if agent['beyond'])
                _placed(target, next(place for where, place in PLACES if where in wheres))
