# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose thresholds: one set of defaults and one reading of them, for the verdicts and the locator alike.

Private to this collection: may change at any time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError

# The thresholds, each with its default and the values that make sense for it, together.
# max_dns_time (ms) has no role variable: DNS that answers slowly counts only when a caller sets it.
DEFAULT_THRESHOLDS: dict[str, Any] = dict(max_loss=5.0, max_latency=300.0, max_response_time=3000.0, expected_status=200,
                                          max_dns_time=None)
NUMBER_THRESHOLDS = ('max_loss', 'max_latency', 'max_response_time', 'max_dns_time')
# The role's number variables and the values that make sense for them: (lowest, highest, lowest allowed, what to give).
# expected_status 0 means any successful status, so it is checked apart from this table.
VARIABLE_RANGES = dict(
    max_loss=(0.0, 100.0, True, 'a loss in percent from 0 to 100'),
    max_latency=(0.0, None, False, 'a latency in milliseconds above 0'),
    max_response_time=(0.0, None, False, 'a response time in milliseconds above 0'),
    max_dns_time=(0.0, None, False, 'a DNS resolution time in milliseconds above 0'),
    wait_timeout=(0.0, None, False, 'a number of seconds above 0'),
)

# The fixed limits of the machine's own columns of an endpoint result (endpoint_instant_test), with the values that
# make sense for them: (lowest, highest, what to give). Not role variables; a caller of ``symptoms.machine_symptoms``
# may pass another value in its limits (``endpoint_limits``).
# Wi-Fi: below -70 dBm RSSI or 20 dB SNR a link loses and retries packets (the usual guidance for data; -67 dBm and
# 25 dB for voice and video). CPU: a machine busier than 90 % (mean share over the test) delays its own measurements.
ENDPOINT_LIMITS: dict[str, float] = dict(min_wifi_rssi=-70.0, min_wifi_snr=20.0, max_cpu=0.9)
ENDPOINT_RANGES = dict(
    min_wifi_rssi=(-100.0, -30.0, 'a Wi-Fi signal strength (RSSI) in dBm from -100 to -30'),
    min_wifi_snr=(0.0, 60.0, 'a Wi-Fi signal-to-noise ratio in dB from 0 to 60'),
    max_cpu=(0.0, 1.0, 'a share of the CPU above 0 and up to 1'),
)


def endpoint_limits(limits: Mapping[str, Any] | None = None) -> dict[str, float]:
    """The endpoint limits (``ENDPOINT_LIMITS``), a value in ``limits`` replacing its default. Raises DiagnoseInputError
    naming a value out of its range."""
    merged = dict(ENDPOINT_LIMITS)
    for key, (low, high, wanted) in ENDPOINT_RANGES.items():
        value = (limits or {}).get(key)
        if value is None or value == '':
            continue
        number = parse_number(value)
        if number is None or math.isnan(number) or number < low or number > high or (key == 'max_cpu' and number == low):
            raise DiagnoseInputError('endpoint limit %s must be %s, got %r.' % (key, wanted, value))
        merged[key] = number
    return merged


def range_problem(key: str, value: Any) -> str | None:
    """What is wrong with the value of a threshold or the wait timeout (``key`` without the diagnose_ prefix), or None."""
    if key == 'expected_status':
        status = parse_number(value, float)
        if status is None or status != int(status) or not (status == 0 or 100 <= status <= 599):
            return 'must be an HTTP status code from 100 to 599 (or 0 for any 2xx or 3xx status), got %r' % (value,)
        return None
    low, high, low_allowed, wanted = VARIABLE_RANGES[key]
    number = parse_number(value)
    if number is None or math.isnan(number) or math.isinf(number) \
            or number < low or (number == low and not low_allowed) or (high is not None and number > high):
        return 'must be %s, got %r' % (wanted, value)
    return None


def thresholds_of(thresholds: Mapping[str, Any] | None) -> dict[str, Any]:
    """Thresholds with the defaults filled in (an empty value keeps its default): numbers as floats, expected_status
    as an int (0: any successful status). Raises DiagnoseInputError naming a value that is not a number or out of range
    (a negative loss or a status 999 would give verdicts that mean nothing)."""
    merged = dict(DEFAULT_THRESHOLDS)
    for key, value in (thresholds or {}).items():
        if key in merged and value is not None and value != '':
            merged[key] = value
    for key in NUMBER_THRESHOLDS:
        if merged[key] is not None:
            number = parse_number(merged[key])
            if number is None:
                raise DiagnoseInputError('threshold %s must be a number, got %r.' % (key, merged[key]))
            merged[key] = number
    status = parse_number(merged['expected_status'], int)
    if status is None:
        raise DiagnoseInputError('threshold expected_status must be a number, got %r.' % (merged['expected_status'],))
    merged['expected_status'] = status
    for key, value in merged.items():
        problem = range_problem(key, value) if value is not None else None
        if problem:
            raise DiagnoseInputError('threshold %s %s.' % (key, problem))
    return merged


def reported(limits: Mapping[str, Any]) -> dict[str, Any]:
    """The thresholds a report shows: those that apply (an unset max_dns_time does not)."""
    return dict((key, value) for key, value in limits.items() if value is not None)
