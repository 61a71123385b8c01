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

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose import symptoms as judge

# The symptoms of the measurement itself that an endpoint row can show (judged by ``symptoms.row_symptoms``).
MEASURED_KINDS = ('unreachable', 'loss', 'latency')


def _breaches(row: dict[str, Any], limits: dict[str, Any]) -> list[judge.Symptom]:
    return [symptom for symptom in judge.row_symptoms(row, limits) if symptom.kind in MEASURED_KINDS]


def own_network(row: dict[str, Any], limits: dict[str, Any]) -> list[str]:
    """Which part of the machine's own network explains a breach it measured, each with its measured values: the words
    for the symptoms of ``symptoms.machine_symptoms`` (and the loss of ``symptoms.row_symptoms``)."""
    machine = judge.machine_symptoms(row, limits)
    causes = []
    weak = [symptom.text for symptom in machine if symptom.kind in judge.WIFI_KINDS]
    if weak:
        causes.append('weak Wi-Fi%s: %s' % (' (%s)' % row['wifi_ssid'] if row.get('wifi_ssid') else '', ', '.join(weak)))
    for symptom in machine:
        if symptom.kind == 'vpn-latency':
            causes.append('the VPN (%s via %s) carries the traffic: %s' % (row['vpn_type'], row.get('vpn_gateway') or 'its gateway', symptom.text))
    loss = [symptom for symptom in _breaches(row, limits) if symptom.kind == 'loss']
    if loss and not weak:
        causes.append('packets lost from the machine on, behind its gateway %s: %s' % (row.get('gateway') or '(unknown)', loss[0].text))
    for symptom in machine:
        if symptom.kind == 'cpu':
            causes.append("the machine's %s" % symptom.text)
    return causes


def endpoint_view(result: dict[str, Any], limits: dict[str, Any]) -> dict[str, Any]:
    """One endpoint test's result: per agent its breaches and their causes in its own network, and a Wi-Fi/VPN line."""
    agents = []
    for row in result.get('summary') or []:
        if row.get('layer') != 'network':
            continue
        wifi = ('Wi-Fi %s RSSI %s dBm SNR %s dB' % (row.get('wifi_ssid') or '', row.get('wifi_rssi'), row.get('wifi_snr'))
                if row.get('wifi_rssi') is not None else 'wired' if row.get('interface') == 'ethernet' else 'no Wi-Fi data')
        vpn = 'VPN %s via %s' % (row['vpn_type'], row.get('vpn_gateway')) if row.get('vpn_type') else 'no VPN'
        agents.append(dict(agent_id=row.get('agent_id'), agent_name=row.get('agent_name'), breaches=[symptom.text for symptom in _breaches(row, limits)],
                           causes=own_network(row, limits), line='%s; %s; gateway %s' % (wifi, vpn, row.get('gateway'))))
    return dict(test_id=result.get('test_id'), agents=agents, missing=result.get('missing') or [])


def apply_endpoint(targets: list[dict[str, Any]], endpoint: dict[str, Any] | None, limits: dict[str, Any]) -> None:
    """Add each target's endpoint view, and place a breach only the endpoint sees in its own network at ``agents``.

    ``endpoint`` maps a target to its endpoint_instant_test result. A breach the Cloud Agents see too keeps its place;
    the endpoint's findings are added to the evidence.
    """
    for target in targets:
        result = (endpoint or {}).get(target['target'])
        if not isinstance(result, dict):
            continue
        view = endpoint_view(result, limits)
        target['endpoint'] = view
        breaching = [agent for agent in view['agents'] if agent['breaches']]
        for agent in breaching:
            label = '%s (endpoint %s)' % (agent['agent_name'], agent['agent_id'])
            target['reasons'] = list(target.get('reasons') or []) + ['%s, endpoint test, network: %s' % (label, '; '.join(agent['breaches']))]
            evidence = ('%s: %s' % (label, '; '.join(agent['causes']))) if agent['causes'] else (
                '%s: %s, nothing in its own network explains it (%s)' % (label, '; '.join(agent['breaches']), agent['line']))
            target['evidence'] = list(target.get('evidence') or []) + [evidence]
        if breaching and target.get('verdict') == 'ok':
            target['verdict'] = 'degraded'
            if all(agent['causes'] for agent in breaching):
                target['location'] = 'agents'
