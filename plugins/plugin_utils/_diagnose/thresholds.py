# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose thresholds: one set of defaults and one reading of them, for the verdicts and the locator alike.

Private to this collection: may change at any time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import DiagnoseInputError, range_problem

# max_dns_time (ms) has no role variable: DNS that answers slowly counts only when a caller sets it.
DEFAULT_THRESHOLDS: dict[str, Any] = dict(max_loss=5.0, max_latency=300.0, max_response_time=3000.0, expected_status=200,
                                          max_dns_time=None)
NUMBER_THRESHOLDS = ('max_loss', 'max_latency', 'max_response_time', 'max_dns_time')


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
