# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose role's verdicts: each summary row judged against the thresholds, then each test and each target.

Private to this collection: may change at any time. Pure functions: no I/O, no clock. The summary rows are the ones
``test_results_info`` returns; their numbers are read, and HTTP statuses judged, by the module_utils rules.
"""

from __future__ import annotations

import json
from typing import Any, Iterable

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._masking import masked
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.endpoint import apply_endpoint
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.locate import locate
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose import symptoms as judge
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.symptoms import DNS_LAYERS
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import reported, thresholds_of

VERDICTS = ('ok', 'degraded', 'failed')

Judged = list[tuple[str, str]]
# One finding: (verdict, agent label or None, where (test type and layer) or None, what). Findings that differ only in
# the agent are one cause and become one target reason; a finding without an agent is a whole reason on its own.
Finding = tuple[str, Any, Any, str]
# What to do about a fault, by location; the rerun command follows.
ADVICE = dict(none='Nothing to do', target="Check the target's server and its hosting",
              path='Raise the hop named in the evidence with that network', dns='Check the DNS servers of the name',
              agents='Check the network near the agents named in the evidence')
DIAGNOSE_PLAYBOOK = 'playbooks/diagnose.yml'
# The module results that carry a summary of their own.
MODULES_WITH_SUMMARY = 'test_results_info, or instant_test or instant_test_rerun with wait: true'


def agent_label(row: dict[str, Any], agents_by_id: dict[str, dict[str, Any]] | None = None) -> str:
    agent_id = row.get('agent_id')
    name = row.get('agent_name') or (agents_by_id or {}).get(str(agent_id), {}).get('name')
    return '%s (%s)' % (name, agent_id) if name else 'agent %s' % agent_id


def status_problem(row: dict[str, Any], expected: int) -> str | None:
    """What is wrong with the HTTP status of a row, or None (the rule of ``symptoms.status_problem``)."""
    return judge.status_problem(row.get('layer'), row.get('response_code'), expected)


def check_row(row: dict[str, Any], thresholds: dict[str, Any], test_type: str | None = None,
              agents_by_id: dict[str, dict[str, Any]] | None = None) -> Judged:
    """Judge one summary row. Returns a list of ``(verdict, reason)``: failures first, then breaches; empty when fine."""
    return [(verdict, reason_text(agent, where, text)) for verdict, agent, where, text in
            row_findings(row, thresholds, test_type, agents_by_id)]


def reason_text(agent: Any, where: Any, text: str) -> str:
    """A reason as the report gives it: ``<agent>, <test type> test, <layer>: <what>`` (agents joined with semicolons)."""
    if agent is None:
        return text
    return '%s, %s: %s' % (agent, where, text)


def row_findings(row: dict[str, Any], thresholds: dict[str, Any], test_type: str | None = None,
                 agents_by_id: dict[str, dict[str, Any]] | None = None) -> list[Finding]:
    """The findings of one summary row, failures first, then breaches: the symptoms of ``symptoms.py`` as reasons."""
    agent = agent_label(row, agents_by_id)
    where = '%s%s' % ('%s test, ' % test_type if test_type else '', row.get('layer'))
    return [(symptom.verdict, agent, where, symptom.text) for symptom in judge.row_symptoms(row, thresholds) if symptom.text]


def worst(verdicts: Iterable[str]) -> str:
    """The worst of some verdicts (``ok`` for none)."""
    return VERDICTS[max([VERDICTS.index(verdict) for verdict in verdicts] or [0])]


def unique(items: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def failures_first(judged: Judged) -> list[str]:
    return unique([reason for verdict, reason in judged if verdict == 'failed'] + [reason for verdict, reason in judged if verdict != 'failed'])


def judge_test(test_type: str, results: dict[str, Any] | None, thresholds: dict[str, Any],
               agents_by_id: dict[str, dict[str, Any]]) -> Judged:
    """Verdict and reasons of one test from its wait result (``summary``, ``complete``, ``missing``)."""
    return [(verdict, reason_text(agent, where, text)) for verdict, agent, where, text in
            test_findings(test_type, results, thresholds, agents_by_id)]


def test_findings(test_type: str, results: dict[str, Any] | None, thresholds: dict[str, Any],
                  agents_by_id: dict[str, dict[str, Any]]) -> list[Finding]:
    """The findings of one test from its wait result (``summary``, ``complete``, ``missing``)."""
    if not results or results.get('failed'):
        message = (results or {}).get('msg')
        return [('degraded', None, None, '%s test: no results%s' % (test_type, ' (%s)' % message if message else ''))]
    judged: list[Finding] = []
    for row in results.get('summary') or []:
        judged.extend(row_findings(row, thresholds, test_type, agents_by_id))
    missing = results.get('missing') or []
    grouped: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in missing:
        key = (str(entry.get('agent_id')), entry.get('reason') or 'missing')
        group = grouped.setdefault(key, dict(label=agent_label(entry, agents_by_id), layers=[]))
        if entry.get('layer') and entry['layer'] not in group['layers']:
            group['layers'].append(entry['layer'])
    for (_agent_id, reason), group in grouped.items():
        layers = group['layers']
        judged.append(('degraded', group['label'], '%s test' % test_type, 'no result (%s)%s' % (
            reason, ' in %s' % ', '.join(layers) if layers else '')))
    if results.get('complete') is False and not missing:
        judged.append(('degraded', None, None, '%s test: the results were incomplete when the wait ended' % test_type))
    if not results.get('summary') and not missing:
        judged.append(('degraded', None, None, '%s test: no agent reported' % test_type))
    return judged


def _grouped_findings(findings: list[Finding]) -> dict[tuple[str, Any, str], list[Any]]:
    """A target's findings grouped by cause (verdict, test type and layer, text), with the agents that show it.

    For an agent whose DNS test fails, the failures it causes in the other tests (an HTTP or page error that is a
    failed resolution, the network layer's 100% loss: there is no address to reach) are left out: the DNS test names
    the cause. A finding that several agents share is one reason naming them all, joined with
    semicolons since agent names contain commas.
    """
    def layer_of(where: Any) -> str:
        return str(where).rsplit(', ', maxsplit=1)[-1]

    dns_failed = set(agent for verdict, agent, where, text in findings
                     if verdict == 'failed' and agent is not None and layer_of(where) in DNS_LAYERS)
    kept = [(verdict, agent, where, text) for verdict, agent, where, text in findings
            if not (verdict == 'failed' and agent in dns_failed and layer_of(where) not in DNS_LAYERS
                    and ('DNS' in text or text.endswith('(unreachable)')))]
    grouped: dict[tuple[str, Any, str], list[Any]] = {}
    for verdict, agent, where, text in kept:
        agents = grouped.setdefault((verdict, where, text), [])
        if agent not in agents:
            agents.append(agent)
    return grouped


def target_reasons(findings: list[Finding]) -> list[str]:
    """A target's reasons, one per cause, failures first (see ``_grouped_findings``)."""
    judged = [(verdict, reason_text('; '.join(agents) if agents != [None] else None, where, text))
              for (verdict, where, text), agents in _grouped_findings(findings).items()]
    return failures_first(judged)


def reason_groups(findings: list[Finding]) -> list[dict[str, Any]]:
    """The reasons of ``target_reasons`` as data, in the same order: ``verdict``, ``where`` (test type and layer),
    ``text`` (the measurement and the limit) and ``agents`` (their labels; empty for a reason of no agent)."""
    groups = [dict(verdict=verdict, where=where, text=text, agents=[agent for agent in agents if agent is not None])
              for (verdict, where, text), agents in _grouped_findings(findings).items()]
    return [group for group in groups if group['verdict'] == 'failed'] + [group for group in groups if group['verdict'] != 'failed']


def _results_by_test_id(results: Any) -> dict[str, dict[str, Any]]:
    """The entries of one ``test_results_info`` result with ``tests``, by test ID."""
    if isinstance(results, dict) and isinstance(results.get('tests'), list):
        entries = results['tests']
    elif isinstance(results, list):
        entries = results
    elif results is None:
        entries = []
    else:
        raise DiagnoseInputError('diagnose_verdicts: results must be the registered result of test_results_info with tests.')
    return dict((str(entry['test_id']), entry) for entry in entries if isinstance(entry, dict) and entry.get('test_id') is not None)


def test_entry(run: dict[str, Any], waited: dict[str, Any] | None, judged: Judged) -> dict[str, Any]:
    """A test of the report; its summary rows keep null for a value that is no measurement (``symptoms.unmeasured``:
    the latency of a network that lost every packet, the response time of a request that got no response), not the
    API's 0."""
    summary = [judge.without_unmeasured(row) if isinstance(row, dict) else row for row in (waited or {}).get('summary') or []]
    return dict(type=run['type'], name=run['name'], target=run['target'], test_id=run.get('test_id'), outcome=run.get('outcome'),
                rerun=bool(run.get('rerun')), started_at=run.get('started_at'), complete=(waited or {}).get('complete', False),
                missing=(waited or {}).get('missing') or [], summary=summary,
                verdict=worst(verdict for verdict, reason in judged), reasons=failures_first(judged))


def _target_tests(plan: dict[str, Any], runs: list[dict[str, Any]] | None, results: Any) -> list[tuple[str, list[dict[str, Any]]]]:
    """(target, [{'test_id', 'summary'}]) per target of the plan, with the rows of the runs that started."""
    runs_by_name = dict((run['name'], run) for run in runs or [] if isinstance(run, dict) and run.get('name'))
    waited_by_id = _results_by_test_id(results)
    targets = []
    for entry in plan.get('targets') or []:
        tests = []
        for name in entry['tests']:
            run = runs_by_name.get(name) or {}
            waited = waited_by_id.get(str(run.get('test_id'))) if run.get('started_at') else None
            if waited:
                tests.append(dict(test_id=str(run['test_id']), summary=waited.get('summary') or []))
        targets.append((entry['target'], tests))
    return targets


def _paths_by_test(paths: Any) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """``{test_id: {agent_id: traces}}`` from the registered result of ``test_results_info`` with ``path_details``."""
    if isinstance(paths, dict):
        entries = paths.get('path_details') or []
    elif isinstance(paths, list):
        entries = paths
    else:
        entries = []
    by_test: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for entry in entries:
        if isinstance(entry, dict) and entry.get('test_id') is not None:
            by_test.setdefault(str(entry['test_id']), {})[str(entry.get('agent_id'))] = entry.get('traces') or []
    return by_test


def _shell_quote(text: str) -> str:
    return "'%s'" % text.replace("'", "'\\''")


def next_step(location: str, target: str, agent_ids: list[str], advice: str | None = None) -> str:
    """The advice for the location (the locator's own when it has one: the network to contact, the agents' own network)
    and the command that reruns this target's tests (the same names, so they are reused)."""
    extra = json.dumps(dict(diagnose_targets=[target], diagnose_agents=list(agent_ids)))
    return '%s. Rerun these tests: ansible-playbook %s -e %s' % (advice or ADVICE[location], DIAGNOSE_PLAYBOOK, _shell_quote(extra))


def _links(tests: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The app links of the rounds read, one per test, agent and round (the rows that carry one)."""
    links: list[dict[str, Any]] = []
    for test in tests:
        for row in test['summary']:
            link = row.get('link')
            entry = dict(test_id=test['test_id'], layer=row.get('layer'), agent_name=row.get('agent_name'),
                         round_id=row.get('round_id'), url=link)
            if link and not any(known['url'] == link for known in links):
                links.append(entry)
    return links


def _judged_paths(tests: list[dict[str, Any]], paths_by_test: dict[str, dict[str, list[dict[str, Any]]]],
                  agents_by_id: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """The path traces read for this target, per test and agent: the hops the verdict judged."""
    judged = []
    for test in tests:
        for agent_id, traces in (paths_by_test.get(test['test_id']) or {}).items():
            agent = agents_by_id.get(agent_id) or {}
            judged.append(dict(test_id=test['test_id'], agent_id=agent_id, agent_name=agent.get('name') or 'agent %s' % agent_id,
                               traces=traces))
    return judged


def _fault_hops(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The hops where a fault starts, from the findings that name one, with the agents whose paths show it."""
    return [dict(cause=finding['cause'], ip=finding['hop'].get('ip'), hop=finding['hop'].get('hop'), agents=finding['agents'],
                 text=finding['text'], primary=bool(finding.get('primary'))) for finding in findings if finding.get('hop')]


def diagnose_verdicts(plan: dict[str, Any], runs: list[dict[str, Any]] | None = None, results: Any = None,
                      thresholds: dict[str, Any] | None = None, generated_at: str | None = None,
                      paths: Any = None, check_mode: bool = False, cleanup: bool = False,
                      endpoint: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ``diagnose_report``: a verdict with reasons, location and evidence per target, and the overall verdict.

    ``plan`` is what ``diagnose_plan`` returned, ``runs`` what ``diagnose_runs`` returned, ``results`` the registered
    result of ``test_results_info`` with ``tests`` (matched to the runs by test ID), ``paths`` the registered result of
    ``test_results_info`` with ``path_details`` (what ``diagnose_path_details`` asked for), if any. A single module
    result that waited (it has a ``summary``) is judged on its own. With ``check_mode`` the report is the plan: what
    would run, without verdicts (``cleanup``: the tests it would create are deleted after the run).
    """
    limits = thresholds_of(thresholds)
    if check_mode and isinstance(plan, dict) and 'tests' in plan and 'targets' in plan:
        return planned_report(plan, runs, limits, generated_at, cleanup)
    if isinstance(plan, dict) and 'summary' in plan and 'tests' not in plan:
        return single_report(plan, limits, generated_at)
    if isinstance(plan, dict) and 'tests' not in plan and any(key in plan for key in ('test_id', 'test', 'outcome')):
        raise DiagnoseInputError('diagnose_verdicts: this module result has no summary, so there is nothing to judge: give it '
                                 'the result of %s. Check mode reads no results.' % MODULES_WITH_SUMMARY)
    if not isinstance(plan, dict) or 'tests' not in plan or 'targets' not in plan:
        raise DiagnoseInputError('diagnose_verdicts expects the plan that diagnose_plan returned, or a module result with a '
                                 'summary (%s).' % MODULES_WITH_SUMMARY)
    runs_by_name = dict((run['name'], run) for run in runs or [] if isinstance(run, dict) and run.get('name'))
    waited_by_id = _results_by_test_id(results)
    agents_by_id = dict((agent['id'], agent) for agent in plan.get('agents') or [])

    tests, judged_by_name, findings_by_name = {}, {}, {}
    for test in plan['tests']:
        run = runs_by_name.get(test['name']) or dict(name=test['name'], type=test['type'], target=test['target'])
        waited = waited_by_id.get(str(run.get('test_id'))) if run.get('started_at') else None
        findings_by_name[test['name']] = test_findings(test['type'], waited, limits, agents_by_id)
        judged_by_name[test['name']] = [(verdict, reason_text(agent, where, text))
                                        for verdict, agent, where, text in findings_by_name[test['name']]]
        tests[test['name']] = test_entry(run, waited, judged_by_name[test['name']])

    paths_by_test = _paths_by_test(paths)
    located = dict(_target_tests(plan, runs, results))
    report_targets = []
    for entry in plan['targets']:
        judged = [pair for name in entry['tests'] for pair in judged_by_name[name]]
        target_tests = located.get(entry['target']) or []
        traces: dict[str, list[dict[str, Any]]] = {}
        for test in target_tests:
            traces.update(paths_by_test.get(test['test_id']) or {})
        try:
            where = locate([row for test in target_tests for row in test['summary']], traces, limits,
                           dict((agent['id'], agent.get('network')) for agent in plan.get('agents') or []),
                           local_problems=dict((agent['id'], agent['local_problem']) for agent in plan.get('agents') or []
                                               if agent.get('local_problem')))
        except ValueError as error:
            raise DiagnoseInputError('diagnose_verdicts: %s' % error) from None
        location = where['location']
        report_targets.append(dict(target=entry['target'], verdict=worst(verdict for verdict, reason in judged), location=location, evidence=where['evidence'],
                                   paths=_judged_paths(target_tests, paths_by_test, agents_by_id), fault_hops=_fault_hops(where['findings']),
                                   reasons=target_reasons([finding for name in entry['tests'] for finding in findings_by_name[name]]),
                                   reason_groups=reason_groups([finding for name in entry['tests'] for finding in findings_by_name[name]]),
                                   test_ids=[test['test_id'] for test in target_tests],
                                   links=_links(target_tests),
                                   next_step=next_step(location, entry['target'], plan.get('agent_ids') or [], where.get('next_step')),
                                   tests=[tests[name] for name in entry['tests']]))
    apply_endpoint(report_targets, endpoint, limits)
    started = [run for run in runs or [] if isinstance(run, dict) and run.get('started_at')]
    return report(report_targets, limits, plan.get('agents') or [], generated_at,
                  tests_run=len(started), instant_calls=len(started))


# The one shape of a report (docs/diagnose.md, "The report"): the full report, the check-mode plan and the report of
# a single module result all have these keys, and each target the keys of TARGET_DEFAULTS.
REPORT_KEYS = ('generated_at', 'check_mode', 'verdict', 'counts', 'thresholds', 'agents', 'tests_run', 'instant_calls', 'would', 'alert',
               'targets')
TARGET_DEFAULTS: dict[str, Any] = dict(target=None, verdict=None, location=None, evidence=(), reasons=(), reason_groups=(), test_ids=(),
                                       links=(), next_step=None, tests=(), paths=(), fault_hops=())


def report_shape(targets: list[dict[str, Any]], limits: dict[str, Any], agents: list[dict[str, Any]], generated_at: str | None,
                 tests_run: int = 0, instant_calls: int = 0, would: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """A report in its one shape: ``REPORT_KEYS``, each target with every key of ``TARGET_DEFAULTS``.

    With ``would`` it is the check-mode plan (``check_mode`` true, no verdicts: ``verdict`` None, ``counts`` 0);
    ``alert`` is None until the role names the alert that the run answers. A target may be a URL with credentials in
    its user-info: the report shows it as every definition is shown (masked).
    """
    shaped = []
    for entry in targets:
        target = dict((key, list(value) if isinstance(value, tuple) else value) for key, value in TARGET_DEFAULTS.items())
        target.update(entry)
        shaped.append(target)
    planned = would is not None
    counts = dict((verdict, 0 if planned else sum(1 for entry in shaped if entry['verdict'] == verdict)) for verdict in VERDICTS)
    return dict(generated_at=generated_at, check_mode=planned, verdict=None if planned else worst(entry['verdict'] for entry in shaped),
                counts=counts, thresholds=reported(limits), agents=agents, tests_run=tests_run, instant_calls=instant_calls, would=would,
                alert=None, targets=masked(shaped))


def planned_report(plan: dict[str, Any], runs: list[dict[str, Any]] | None, limits: dict[str, Any], generated_at: str | None,
                   cleanup: bool = False) -> dict[str, Any]:
    """The report of check mode: the plan, what would be created, recreated, rerun and deleted; no verdicts.

    It has the shape of every report (``report_shape``), so that tasks after the role can read it: ``verdict`` and
    each target's ``verdict`` are None, ``counts``, ``tests_run`` and ``instant_calls`` are 0; ``check_mode`` is true
    and ``would`` lists the tests.
    """
    runs_by_name = dict((run['name'], run) for run in runs or [] if isinstance(run, dict) and run.get('name'))
    entries = []
    for test in plan['tests']:
        run = runs_by_name.get(test['name']) or {}
        entries.append(dict(name=test['name'], type=test['type'], target=test['target'], test_id=run.get('test_id'),
                            outcome=run.get('outcome'), rerun=bool(run.get('rerun'))))
    by_name = dict((entry['name'], entry) for entry in entries)
    created = [entry['name'] for entry in entries if entry['outcome'] == 'created']
    would = dict(create=created, recreate=[entry['name'] for entry in entries if entry['outcome'] == 'recreated'],
                 rerun=[entry['name'] for entry in entries if entry['rerun']], delete=list(created) if cleanup else [])
    targets = [dict(target=entry['target'], verdict=None, tests=[by_name[name] for name in entry['tests']]) for entry in plan['targets']]
    return report_shape(targets, limits, plan.get('agents') or [], generated_at, would=would)


def report(targets: list[dict[str, Any]], limits: dict[str, Any], agents: list[dict[str, Any]], generated_at: str | None,
           tests_run: int = 0, instant_calls: int = 0) -> dict[str, Any]:
    """The report; ``instant_calls`` counts the creates and reruns, one instant-test call each (a delete is not one)."""
    return report_shape(targets, limits, agents, generated_at, tests_run=tests_run, instant_calls=instant_calls)


def _agent_ids_of(result: dict[str, Any]) -> list[str]:
    """The agents of one module result: those of the test definition, else those that reported or were missing."""
    ids: list[str] = []
    agents = (result.get('test') or {}).get('agents') or []
    rows = [agent for agent in agents if isinstance(agent, dict)] or list(result.get('summary') or []) + list(result.get('missing') or [])
    for entry in rows:
        agent_id = entry.get('agentId', entry.get('agent_id'))
        if agent_id is not None and str(agent_id) not in ids:
            ids.append(str(agent_id))
    return sorted(ids, key=lambda agent_id: (len(agent_id), agent_id))


def single_report(result: dict[str, Any], limits: dict[str, Any], generated_at: str | None) -> dict[str, Any]:
    """The report of one module result that waited (``summary``, ``missing``, ``complete``, ``test``).

    The target is what the test measures (its URL, server or domain), as in the role's report, not the test's name.
    """
    test = result.get('test') or {}
    name = test.get('testName') or 'test %s' % result.get('test_id')
    test_type = test.get('type') or 'test'
    target = test.get('url') or test.get('server') or test.get('domain') or name
    findings = test_findings(test_type, result, limits, {})
    judged = [(verdict, reason_text(agent, where, text)) for verdict, agent, where, text in findings]
    run = dict(name=name, type=test_type, target=target, test_id=result.get('test_id'),
               outcome=result.get('outcome'), rerun='started_at' in result and result.get('outcome') in (None, 'rerun'),
               started_at=result.get('started_at'))
    entry = test_entry(run, result, judged)
    where = locate(list(result.get('summary') or []), {}, limits)
    links = _links([dict(test_id=str(result.get('test_id')), summary=entry['summary'])])
    return report([dict(target=target, verdict=entry['verdict'], location=where['location'], evidence=where['evidence'],
                        reasons=entry['reasons'], reason_groups=reason_groups(findings), test_ids=[str(result.get('test_id'))], links=links,
                        next_step=next_step(where['location'], target, _agent_ids_of(result)),
                        tests=[entry])], limits, [], generated_at, tests_run=1, instant_calls=1 if run['started_at'] else 0)
