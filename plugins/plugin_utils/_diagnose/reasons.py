# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wording of a target's reasons, for every renderer: the measurement first, then the agents.

Private to this collection: may change at any time. Pure functions of the report (no I/O, no clock).

The text table, the Markdown report, the HTML page and the role's failure message all word a target's reasons with
``reason_lines``: ``agent-to-server test, network: loss 20% > 5%: 8 of 8 agents`` when every agent of the target
shows it, ``...: 2 of 8 agents: Frankfurt, Germany (301); London, England (303)`` when only some do, the agent's
name alone when one does. The report's ``reasons`` keep their wording (the agents first) for the tools that read the
JSON; the lines are built from its ``reason_groups``.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError


def counted(number: int, noun: str) -> str:
    """``1 test``, ``2 tests``: a count and its noun, singular for one."""
    return '%d %s%s' % (number, noun, '' if number == 1 else 's')


def target_agent_count(target: dict[str, Any]) -> int:
    """How many agents the target's tests ran from: those that reported a row or are missing one."""
    agents = set()
    for test in target.get('tests') or []:
        for entry in list(test.get('summary') or []) + list(test.get('missing') or []):
            if isinstance(entry, dict) and entry.get('agent_id') is not None:
                agents.add(str(entry['agent_id']))
    return len(agents)


def reason_line(group: dict[str, Any], agent_count: int) -> str:
    """One reason group (``verdict``, ``where``, ``text``, ``agents``) as a line: the measurement, then the agents."""
    seen = [str(agent) for agent in group.get('agents') or []]
    what = '%s: %s' % (group['where'], group.get('text')) if group.get('where') else str(group.get('text'))
    if not seen:
        return what
    if len(seen) == 1:
        return '%s: %s' % (what, seen[0])
    if len(seen) >= agent_count:
        return '%s: %d of %s' % (what, len(seen), counted(len(seen), 'agent'))
    return '%s: %d of %s: %s' % (what, len(seen), counted(agent_count, 'agent'), '; '.join(seen))


def reason_lines(target: dict[str, Any]) -> list[str]:
    """The target's reasons as every renderer words them (see the module's doc); the report's ``reasons`` as they are
    when it has no ``reason_groups`` (a report written by hand, or by an older version)."""
    groups = target.get('reason_groups')
    if not groups or not isinstance(groups, list):
        return [str(reason) for reason in target.get('reasons') or []]
    count = target_agent_count(target)
    return [reason_line(group, count) for group in groups if isinstance(group, dict)]


def diagnose_reasons(target: Any) -> list[str]:
    """The filter: one target of a ``diagnose_report`` to its reason lines (``reason_lines``)."""
    if not isinstance(target, dict) or 'target' not in target:
        raise DiagnoseInputError('diagnose_reasons expects one target of the diagnose_report (an item of its targets).')
    return reason_lines(target)
