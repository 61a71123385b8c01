# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Shared data of the diagnose unit tests: an agent listing, summary rows and fake loop registers."""

from __future__ import annotations

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import diagnose_plan, diagnose_runs

# As netdiag.thousandeyes.agent_info returns them.
DIRECTORY = [
    {'id': '101', 'name': 'Frankfurt, Germany', 'type': 'cloud', 'state': 'online', 'location': 'Frankfurt', 'addresses': []},
    {'id': '102', 'name': 'London, England', 'type': 'cloud', 'state': 'online', 'location': 'London', 'addresses': []},
    {'id': '108', 'name': 'Frankfurt, Germany (Azure)', 'type': 'cloud', 'state': 'online', 'location': 'Frankfurt', 'addresses': []},
    {'id': '202', 'name': 'branch-ams-ea', 'type': 'enterprise', 'state': 'offline', 'location': 'Amsterdam', 'addresses': []},
    {'id': '204', 'name': 'lab-agent', 'type': 'enterprise', 'state': 'online', 'location': 'Lab', 'addresses': []},
    {'id': '205', 'name': 'lab-agent', 'type': 'enterprise', 'state': 'online', 'location': 'Lab', 'addresses': []},
]


def row(layer, agent_id='101', agent_name='Frankfurt, Germany', **values):
    """A summary row as test_results_info returns it: every key, None where not measured."""
    summary = dict.fromkeys(('layer', 'agent_id', 'agent_name', 'country', 'round_id', 'date', 'loss', 'latency', 'latency_min',
                             'latency_max', 'jitter', 'response_code', 'response_time', 'total_time', 'availability', 'mos',
                             'dns_ok', 'error', 'ok', 'hops', 'server'))
    summary.update(layer=layer, agent_id=agent_id, agent_name=agent_name, round_id=1795687200, ok=True)
    summary.update(values)
    return summary


def plan_for(targets, agents=('Frankfurt, Germany',), tests=None):
    plan = diagnose_plan(targets, agents=list(agents), directory=DIRECTORY, tests=tests)
    assert plan['errors'] == []
    return plan


def name_of(plan, test_type, target):
    """The plan's test name of one type for one target."""
    names = [test['name'] for test in plan['tests'] if test['type'] == test_type and target in test['targets']]
    assert len(names) == 1
    return names[0]


def registered(plan, per_test):
    """Runs and a multi-test wait result, as the role builds them from its loop registers.

    ``per_test`` by test name: ``outcome`` (default created), ``summary``, ``missing``, ``complete``, ``skip_wait``.
    """
    launched, reruns, waited = [], [], []
    for index, test in enumerate(plan['tests']):
        spec = per_test.get(test['name'], {})
        outcome = spec.get('outcome', 'created')
        definition = {'testId': str(1000 + index), 'testName': test['name'], 'type': test['type']}
        launch = dict(item=test, test_id=str(1000 + index), outcome=outcome, changed=outcome != 'unchanged', test=definition)
        if outcome != 'unchanged':
            launch['started_at'] = '2026-11-26T10:00:00Z'
        launched.append(launch)
        if outcome == 'unchanged':
            reruns.append(dict(item=launch, test_id=launch['test_id'], started_at='2026-11-26T10:00:05Z', test=definition))
        if spec.get('skip_wait'):
            continue
        waited.append(dict(test=definition, test_id=definition['testId'], summary=spec.get('summary', [row('network', loss=0.0, latency=20.0)]),
                           missing=spec.get('missing', []), complete=spec.get('complete', True)))
    runs = diagnose_runs(plan, dict(results=launched), dict(results=reruns))
    return runs, dict(tests=waited, complete=True)
