# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The users' own machines in a diagnosis: endpoint instant test results (endpoint_instant_test ``summary`` rows) against
the thresholds, and what their own network says (Wi-Fi, VPN, gateway, CPU).

Private to this collection: may change at any time. Pure functions over data.
"""

from __future__ import annotations

from typing import Any

# Wi-Fi limits: below -70 dBm RSSI or 20 dB SNR a link loses and retries packets (the usual guidance for data:
# -67 dBm and 25 dB for voice and video, -70 dBm and 20 dB for reliable data).
MIN_RSSI = -70
MIN_SNR = 20
# A machine whose CPU is busier than this (mean share over the test) delays its own measurements.
MAX_CPU = 0.9


def _breaches(row: dict[str, Any], limits: dict[str, Any]) -> list[str]:
    found = []
    loss, latency = row.get('loss'), row.get('latency')
    if isinstance(loss, (int, float)) and loss > limits['max_loss']:
        found.append('loss %g%% > %g%%' % (loss, limits['max_loss']))
    if isinstance(latency, (int, float)) and latency > limits['max_latency']:
        found.append('latency %g ms > %g ms' % (latency, limits['max_latency']))
    return found


def own_network(row: dict[str, Any], limits: dict[str, Any]) -> list[str]:
    """Which part of the machine's own network explains a breach it measured, each with its measured values."""
    causes = []
    rssi, snr = row.get('wifi_rssi'), row.get('wifi_snr')
    weak = [text for value, limit, text in ((rssi, MIN_RSSI, 'RSSI %s dBm < %s dBm'), (snr, MIN_SNR, 'SNR %s dB < %s dB'))
            if isinstance(value, (int, float)) and value < limit for text in [text % (value, limit)]]
    if weak:
        causes.append('weak Wi-Fi%s: %s' % (' (%s)' % row['wifi_ssid'] if row.get('wifi_ssid') else '', ', '.join(weak)))
    latency = row.get('latency')
    if row.get('vpn_type') and isinstance(latency, (int, float)) and latency > limits['max_latency']:
        causes.append('the VPN (%s via %s) carries the traffic: latency %g ms > %g ms' % (
            row['vpn_type'], row.get('vpn_gateway') or 'its gateway', latency, limits['max_latency']))
    loss = row.get('loss')
    if isinstance(loss, (int, float)) and loss > limits['max_loss'] and not weak:
        causes.append('packets lost from the machine on, behind its gateway %s: loss %g%% > %g%%'
                      % (row.get('gateway') or '(unknown)', loss, limits['max_loss']))
    cpu = row.get('cpu')
    if isinstance(cpu, (int, float)) and cpu > MAX_CPU:
        causes.append("the machine's CPU at %d%% (> %d%%)" % (round(cpu * 100), round(MAX_CPU * 100)))
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
        agents.append(dict(agent_id=row.get('agent_id'), agent_name=row.get('agent_name'), breaches=_breaches(row, limits),
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
            target['reason_groups'] = list(target.get('reason_groups') or []) + [
                dict(verdict='degraded', where='endpoint test, network', text='; '.join(agent['breaches']), agents=[label])]
            evidence = ('%s: %s' % (label, '; '.join(agent['causes']))) if agent['causes'] else (
                '%s: %s, nothing in its own network explains it (%s)' % (label, '; '.join(agent['breaches']), agent['line']))
            target['evidence'] = list(target.get('evidence') or []) + [evidence]
        if breaching and target.get('verdict') == 'ok':
            target['verdict'] = 'degraded'
            if all(agent['causes'] for agent in breaching):
                target['location'] = 'agents'
