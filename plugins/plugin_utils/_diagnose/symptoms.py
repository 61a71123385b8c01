# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one place that judges: summary rows in, typed symptoms out.

Private to this collection: may change at any time. Pure functions of their inputs.

This module is the only code of the diagnose role that compares a measured value with a threshold or an HTTP status
with the expected one. The verdicts (``verdicts.py``), the locator (``locate.py``) and the renderers (``table.py``,
``report_html.py``) take its symptoms and never judge a value themselves; nothing classifies a symptom by the wording
of a message.

A ``Symptom`` has:

- ``kind``: what breaches. Failures: ``status`` (an HTTP status other than the expected one), ``error`` (the row
  reports an error), ``dns-failure`` (resolution failed), ``unreachable`` (100 % loss), ``not-ok`` (the row says it
  is not ok, with no other reason). Breaches: ``loss``, ``latency``, ``response-time``, ``dns-time``.
- ``layer`` and ``agent`` (the agent ID as a string) of the row;
- ``value`` (the measured value: %, ms, the status, the error text) and ``limit`` (the threshold or expected status;
  None where there is none);
- ``verdict``: ``failed`` or ``degraded``; ``text``: the reason as the report words it (None for a symptom that only
  the locator uses);
- ``cause`` and ``detail``: what the locator groups by: cause ``dns``, ``server``, ``network`` or ``other`` (None for a
  symptom that places nothing), detail a grouping key (``status:503``, ``error:SERVFAIL``, ``ttfb``, ``loss``, ...).

The machine's own columns of an endpoint result row (``endpoint_instant_test``) are judged here too, by
``machine_symptoms`` against the endpoint limits of ``thresholds.ENDPOINT_LIMITS``: kinds ``wifi-rssi`` and
``wifi-snr`` (below their minimum), ``vpn-latency`` (a VPN carries the traffic and the latency breaches) and ``cpu``
(busier than its maximum), cause ``machine``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import TEST_TYPES
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number, response_code_ok
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import endpoint_limits

# The layer groups, defined once.
HTTP_LAYERS = (TEST_TYPES['http-server'].primary_layer, TEST_TYPES['page-load'].primary_layer)
DNS_LAYERS = ('dns-trace', 'dns-server', 'dnssec')
NETWORK_LAYERS = ('network', 'path-vis')
# Layers whose response time is an HTTP response time that diagnose_max_response_time applies to.
RESPONSE_TIME_LAYERS = HTTP_LAYERS
# Layers whose response code is compared with the expected status.
STATUS_LAYERS = (TEST_TYPES['http-server'].primary_layer,)

# A phase of the HTTP response time "dominates" when it takes at least this share of it.
DOMINANT_SHARE = 0.5
DNS_ERROR = re.compile(r'\b(dns|resolv\w*|nxdomain|servfail|refused|name ?server|no such host)\b', re.IGNORECASE)
DNS_LEAD_IN = re.compile(r'^\s*(dns(\s+resolution)?(\s+failed)?|could not resolve( host)?)\s*:\s*', re.IGNORECASE)

FAILURES = ('status', 'error', 'dns-failure', 'unreachable', 'not-ok')
BREACHES = ('loss', 'latency', 'response-time', 'dns-time')
# What the machine of an endpoint row measures of itself (machine_symptoms); WIFI_KINDS make weak Wi-Fi.
MACHINE_KINDS = ('wifi-rssi', 'wifi-snr', 'vpn-latency', 'cpu')
WIFI_KINDS = ('wifi-rssi', 'wifi-snr')


@dataclass(frozen=True)
class Symptom:
    """One way a summary row breaches (see the module docstring)."""

    kind: str
    layer: str | None
    agent: str
    value: Any
    limit: Any
    verdict: str
    text: str | None
    cause: str | None = None
    detail: str | None = None


def fmt(value: float) -> str:
    """A number as the reasons and the table show it: one decimal at most."""
    return ('%.1f' % value).rstrip('0').rstrip('.')


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def status_problem(layer: Any, code: Any, expected: int) -> str | None:
    """What is wrong with an HTTP status, or None: the module's rule, with ``expected`` as the wanted status (0: any
    success). The one HTTP-status rule of the role."""
    if layer not in STATUS_LAYERS or code is None:
        return None
    if response_code_ok(layer, int(code), {'desiredStatusCode': str(expected) if expected else 'default'}):
        return None
    return 'HTTP status %s, expected %s' % (code, expected) if expected else 'HTTP status %s is not a success' % code


def dns_error(text: str) -> str:
    """The resolver's answer without a ``DNS resolution failed:`` lead-in, so that every layer's report of it groups."""
    return DNS_LEAD_IN.sub('', text).strip() or text


def _slow_http(row: Mapping[str, Any], response: float, limits: Mapping[str, Any]) -> tuple[str, str]:
    """Which phase makes a slow HTTP response slow: DNS, the server (wait) or the network (connect and TLS)."""
    wait, dns = parse_number(row.get('wait_time')), parse_number(row.get('dns_time'))
    network = (parse_number(row.get('connect_time')) or 0) + (parse_number(row.get('ssl_time')) or 0)
    if wait is not None and wait >= DOMINANT_SHARE * response:
        return ('server', 'ttfb')
    if dns is not None and (dns >= DOMINANT_SHARE * response
                            or (limits.get('max_dns_time') is not None and dns > limits['max_dns_time'])):
        return ('dns', 'http-dns')
    if network and network >= DOMINANT_SHARE * response:
        return ('network', 'connect')
    return ('other', 'slow')


def _failures(row: Mapping[str, Any], limits: Mapping[str, Any], agent: str) -> list[Symptom]:
    layer = row.get('layer')
    error = _text(row.get('error'))
    code = parse_number(row.get('response_code'), int)
    found: list[Symptom] = []
    status = status_problem(layer, row.get('response_code'), limits['expected_status'])
    if status:
        # A status 0 is no answer at all: the error says why; only a real status is the server's.
        server = code not in (None, 0)
        cause, detail = ('server', 'status:%d' % code) if server else _error_cause(layer, error)
        found.append(Symptom('status', layer, agent, code, limits['expected_status'] or None, 'failed',
                             '%s (error: %s)' % (status, error) if error else status, cause, detail))
    elif error:
        cause, detail = _error_cause(layer, error, row.get('loss'), code)
        found.append(Symptom('error', layer, agent, error, None, 'failed', 'error: %s' % error, cause, detail))
    if row.get('dns_ok') is False and not error:
        found.append(Symptom('dns-failure', layer, agent, None, None, 'failed', 'DNS resolution failed', 'dns',
                             'error:resolution failed'))
    loss = parse_number(row.get('loss'))
    if loss is not None and loss >= 100:
        dns_void = layer == 'network' and error and DNS_ERROR.search(error)
        found.append(Symptom('unreachable', layer, agent, loss, limits['max_loss'], 'failed', 'loss %s%% (unreachable)' % fmt(loss),
                             None if dns_void else 'network', None if dns_void else 'loss'))
    if row.get('ok') is False and not found:
        found.append(Symptom('not-ok', layer, agent, None, None, 'failed', 'not ok'))
    return found


def _error_cause(layer: Any, error: str | None, loss: Any = None, code: Any = None) -> tuple[str | None, str | None]:
    """How the locator reads an error: DNS (a resolution that failed), the network (no answer), or nothing.

    An HTTP or page error without a status, and a network row's error without a loss figure, are no answer: DNS when
    the error names a resolution, else the network. A network row with a loss figure is judged by its loss."""
    if not error:
        return None, None
    if layer in DNS_LAYERS:
        return 'dns', 'error:%s' % dns_error(error)
    if (layer in HTTP_LAYERS and not code) or layer == 'network':
        if DNS_ERROR.search(error):
            return 'dns', 'error:%s' % dns_error(error)
        if layer in HTTP_LAYERS or loss is None:
            return 'network', 'error:%s' % error
    return None, None


def row_symptoms(row: Mapping[str, Any], limits: Mapping[str, Any]) -> list[Symptom]:
    """The symptoms of one summary row against the thresholds (``thresholds_of``), failures first; empty when fine."""
    layer = row.get('layer')
    agent = str(row.get('agent_id'))
    found = _failures(row, limits, agent)
    error = _text(row.get('error'))
    loss = parse_number(row.get('loss'))
    dns_void = layer == 'network' and error is not None and DNS_ERROR.search(error) is not None
    if loss is not None and limits['max_loss'] < loss < 100:
        found.append(Symptom('loss', layer, agent, loss, limits['max_loss'], 'degraded',
                             'loss %s%% > %s%%' % (fmt(loss), fmt(limits['max_loss'])), None if dns_void else 'network',
                             None if dns_void else 'loss'))
    latency = parse_number(row.get('latency'))
    if latency is not None and latency > limits['max_latency']:
        found.append(Symptom('latency', layer, agent, latency, limits['max_latency'], 'degraded',
                             'latency %s ms > %s ms' % (fmt(latency), fmt(limits['max_latency'])), None if dns_void else 'network',
                             None if dns_void else 'latency'))
    response = parse_number(row.get('response_time'))
    if layer in RESPONSE_TIME_LAYERS and response is not None and response > limits['max_response_time']:
        cause, detail = _slow_http(row, response, limits)
        found.append(Symptom('response-time', layer, agent, response, limits['max_response_time'], 'degraded',
                             'response time %s ms > %s ms' % (fmt(response), fmt(limits['max_response_time'])), cause, detail))
    if layer in DNS_LAYERS and not any(symptom.cause == 'dns' for symptom in found) and limits.get('max_dns_time') is not None \
            and response is not None and response > limits['max_dns_time']:
        found.append(Symptom('dns-time', layer, agent, response, limits['max_dns_time'], 'degraded', None, 'dns', 'slow'))
    return found


def located(row: Mapping[str, Any], limits: Mapping[str, Any]) -> list[tuple[str, str]]:
    """``(cause, detail)`` of each symptom of the row that the locator places; empty when fine.

    A DNS failure in a network row voids its loss and latency (a name that did not resolve has neither)."""
    symptoms = row_symptoms(row, limits)
    if any(symptom.cause == 'dns' for symptom in symptoms) and row.get('layer') == 'network':
        return [(symptom.cause, symptom.detail) for symptom in symptoms if symptom.cause == 'dns'][:1]
    pairs: list[tuple[str, str]] = []
    for symptom in symptoms:
        if symptom.cause and symptom.detail and (symptom.cause, symptom.detail) not in pairs:
            pairs.append((symptom.cause, symptom.detail))
    return pairs


# How every renderer shows a value that is no measurement (the report's JSON has null).
NOT_MEASURED = '\u2013'
NETWORK_TIMES = ('latency', 'latency_min', 'latency_max', 'jitter')
HTTP_TIMES = ('response_time', 'total_time', 'connect_time', 'ssl_time', 'wait_time', 'receive_time')


def unmeasured(row: Mapping[str, Any]) -> tuple[str, ...]:
    """The keys of a summary row whose values are no measurement, though the API gives them (as 0 mostly).

    A network row's times when every packet was lost, and its loss too when the name did not resolve (nothing was
    sent); an HTTP row's status (0: none) and times when no response came (no status, and an error or no time: a name
    that did not resolve, a server that took no connection), and a page's times when its error is a failed resolution. The same keys
    come back for the row with those values set to None (``without_unmeasured``)."""
    layer = row.get('layer')
    error = _text(row.get('error'))
    if layer == 'network':
        dns_void = error is not None and DNS_ERROR.search(error) is not None
        loss = parse_number(row.get('loss'))
        if dns_void:
            return ('loss',) + NETWORK_TIMES
        return NETWORK_TIMES if loss is not None and loss >= 100 else ()
    if layer in STATUS_LAYERS:
        return ('response_code',) + HTTP_TIMES if not row.get('response_code') and (error or not parse_number(row.get('response_time'))) else ()
    if layer in RESPONSE_TIME_LAYERS:
        dns_void = error is not None and DNS_ERROR.search(error) is not None
        return HTTP_TIMES if dns_void or not parse_number(row.get('response_time')) else ()
    return ()


def without_unmeasured(row: Mapping[str, Any]) -> dict[str, Any]:
    """The row with the values that are no measurement (``unmeasured``) set to None, as the report keeps it."""
    cleared = dict(row)
    for key in unmeasured(row):
        if key in cleared:
            cleared[key] = None
    return cleared


def metric_flags(rows: list[Mapping[str, Any]], limits: Mapping[str, Any]) -> dict[str, bool]:
    """For the renderers: per measured metric of some rows (one agent's rows of one test), whether it breaches.

    Keys: ``loss``, ``latency`` (network rows), ``http`` (the status), ``response`` (HTTP response time), ``dns``
    (resolution); only those that the rows measure (``unmeasured``): a latency is no measurement when every packet was
    lost, a response time none when no response came (no status, and an error or a time of 0: the name did not
    resolve)."""
    flags: dict[str, bool] = {}
    for row in rows:
        kinds = set(symptom.kind for symptom in row_symptoms(row, limits))
        layer = row.get('layer')
        gone = unmeasured(row)
        if layer == 'network':
            if parse_number(row.get('loss')) is not None and 'loss' not in gone:
                flags['loss'] = flags.get('loss', False) or bool(kinds & {'loss', 'unreachable'})
            if parse_number(row.get('latency')) is not None and 'latency' not in gone:
                flags['latency'] = flags.get('latency', False) or 'latency' in kinds
        elif layer in RESPONSE_TIME_LAYERS:
            if row.get('response_code') is not None and layer in STATUS_LAYERS and 'response_code' not in gone:
                flags['http'] = flags.get('http', False) or 'status' in kinds
            if parse_number(row.get('response_time')) is not None and 'response_time' not in gone:
                flags['response'] = flags.get('response', False) or 'response-time' in kinds
        elif layer in DNS_LAYERS and row.get('dns_ok') is not None:
            flags['dns'] = flags.get('dns', False) or bool(kinds & {'dns-failure', 'error'}) or row.get('dns_ok') is False
    return flags


def machine_symptoms(row: Mapping[str, Any], limits: Mapping[str, Any]) -> list[Symptom]:
    """What an endpoint row's machine measures of itself against the endpoint limits (``thresholds.endpoint_limits``:
    a value in ``limits`` replaces the fixed default): Wi-Fi RSSI and SNR below their minimum, a VPN that carries
    the traffic while the latency breaches ``max_latency`` (when its path traces measured what it adds, ``vpn_added``,
    only if that is most of the latency), a CPU busier than its maximum. Empty when fine."""
    fixed = endpoint_limits(limits)
    layer, agent = row.get('layer'), str(row.get('agent_id'))
    found: list[Symptom] = []
    rssi, snr = parse_number(row.get('wifi_rssi')), parse_number(row.get('wifi_snr'))
    if rssi is not None and rssi < fixed['min_wifi_rssi']:
        found.append(Symptom('wifi-rssi', layer, agent, rssi, fixed['min_wifi_rssi'], 'degraded',
                             'RSSI %s dBm < %s dBm' % (fmt(rssi), fmt(fixed['min_wifi_rssi'])), 'machine', 'wifi'))
    if snr is not None and snr < fixed['min_wifi_snr']:
        found.append(Symptom('wifi-snr', layer, agent, snr, fixed['min_wifi_snr'], 'degraded',
                             'SNR %s dB < %s dB' % (fmt(snr), fmt(fixed['min_wifi_snr'])), 'machine', 'wifi'))
    latency = parse_number(row.get('latency'))
    # A VPN whose path traces show what it adds explains the latency only when it adds most of it.
    added = parse_number(row.get('vpn_added'))
    if row.get('vpn_type') and latency is not None and latency > limits['max_latency'] and (added is None or added >= DOMINANT_SHARE * latency):
        found.append(Symptom('vpn-latency', layer, agent, latency, limits['max_latency'], 'degraded',
                             'latency %s ms > %s ms' % (fmt(latency), fmt(limits['max_latency'])), 'machine', 'vpn'))
    cpu = parse_number(row.get('cpu'))
    if cpu is not None and cpu > fixed['max_cpu']:
        found.append(Symptom('cpu', layer, agent, cpu, fixed['max_cpu'], 'degraded',
                             'CPU at %d%% (> %d%%)' % (round(cpu * 100), round(fixed['max_cpu'] * 100)), 'machine', 'cpu'))
    return found


def no_answer(rows: list[Mapping[str, Any]], limits: Mapping[str, Any]) -> set[str]:
    """The agents (IDs as strings) that got no answer at all from the target: each of their network and HTTP rows is
    100 % loss or a failure without a status that the network explains (no connection), none of them a DNS failure.
    The locator asks it to tell a server that takes no connection from a fault that lets some answers through."""
    silent: dict[str, bool] = {}
    for row in rows:
        layer = row.get('layer')
        if layer != 'network' and layer not in HTTP_LAYERS:
            continue
        agent = str(row.get('agent_id'))
        found = row_symptoms(row, limits)
        quiet = any(symptom.kind == 'unreachable' and symptom.cause == 'network' for symptom in found) if layer == 'network' else any(
            symptom.kind in ('status', 'error') and symptom.cause == 'network' for symptom in found)
        silent[agent] = silent.get(agent, True) and quiet
    return set(agent for agent, quiet in silent.items() if quiet)
