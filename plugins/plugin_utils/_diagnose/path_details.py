# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which path details a diagnosis reads: the filter ``diagnose_path_details`` and its rule per target.

Private to this collection: may change at any time. Pure functions (no I/O, no clock). Path details cost budget (one
request per agent and round), so only those that a location needs are read: see ``path_details_needed``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.path_geometry import _agent
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.symptoms import NETWORK_LAYERS, located as symptoms
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import _target_tests


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


def diagnose_path_details(plan: dict[str, Any], runs: list[dict[str, Any]] | None = None, results: Any = None,
                          thresholds: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The path details the locator needs for every target, as the ``path_details`` option of ``test_results_info`` takes them.

    Empty when nothing breaches on the network (then the role reads none).
    """
    if not isinstance(plan, dict) or 'targets' not in plan:
        raise DiagnoseInputError('diagnose_path_details expects the plan that diagnose_plan returned.')
    try:
        limits = thresholds_of(thresholds)
        needed: list[dict[str, Any]] = []
        for dummy, tests in _target_tests(plan, runs, results):
            for entry in path_details_needed(tests, limits):
                triple = dict(test_id=str(entry['test_id']), agent_id=str(entry['agent_id']), round_id=entry['round_id'])
                if triple not in needed:
                    needed.append(triple)
    except ValueError as error:
        raise DiagnoseInputError('diagnose_path_details: %s' % error) from None
    return needed
