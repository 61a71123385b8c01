# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the diagnose role's filters: the plan, the verdict rules and the table. No Ansible run, no API."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netdiag.thousandeyes.plugins.filter.diagnose import (
    FilterModule,
    check_row,
    diagnose_plan,
    diagnose_table,
    diagnose_verdicts,
    diagnose_waits,
    parse_target,
    test_name as make_test_name,
    thresholds_of,
)

DIRECTORY = [
    {'id': '101', 'name': 'Frankfurt, Germany', 'type': 'cloud', 'state': 'online'},
    {'id': '102', 'name': 'London, England', 'type': 'cloud', 'state': 'online'},
    {'id': '108', 'name': 'Frankfurt, Germany (Azure)', 'type': 'cloud', 'state': 'online'},
    {'id': '202', 'name': 'branch-ams-ea', 'type': 'enterprise', 'state': 'offline'},
    {'id': '204', 'name': 'lab-agent', 'type': 'enterprise', 'state': 'online'},
    {'id': '205', 'name': 'lab-agent', 'type': 'enterprise', 'state': 'online'},
]
LIMITS = thresholds_of(None)


def row(layer, agent_id='101', agent_name='Frankfurt, Germany', **values):
    """A summary row as test_results_info returns it: every key, None where not measured."""
    summary = dict.fromkeys(('layer', 'agent_id', 'agent_name', 'country', 'round_id', 'date', 'loss', 'latency', 'latency_min',
                             'latency_max', 'jitter', 'response_code', 'response_time', 'total_time', 'availability', 'mos',
                             'dns_ok', 'error', 'ok', 'hops', 'server'))
    summary.update(layer=layer, agent_id=agent_id, agent_name=agent_name, round_id=1795687200, ok=True)
    summary.update(values)
    return summary


def plan_for(targets, agents=('Frankfurt, Germany',), tests=None):
    return diagnose_plan(targets, agents=list(agents), directory=DIRECTORY, tests=tests)


def registered(plan, per_test):
    """Fake registered loop results: launch, reruns and waits, keyed by test name."""
    launched, reruns, waits = [], [], []
    for index, test in enumerate(plan['tests']):
        spec = per_test.get(test['name'], {})
        outcome = spec.get('outcome', 'created')
        launch = dict(item=test, test_id=str(1000 + index), outcome=outcome, changed=outcome != 'unchanged')
        if outcome != 'unchanged':
            launch['started_at'] = '2026-11-26T10:00:00Z'
        launched.append(launch)
        if outcome == 'unchanged':
            reruns.append(dict(item=launch, test_id=launch['test_id'], started_at='2026-11-26T10:00:05Z'))
        if spec.get('skip_wait'):
            continue
        waits.append(dict(item=launch, summary=spec.get('summary', [row('network', loss=0.0, latency=20.0)]),
                          missing=spec.get('missing', []), complete=spec.get('complete', True)))
    return dict(results=launched), dict(results=reruns), dict(results=waits)


# Plan ------------------------------------------------------------------------------------------------

def test_filters_are_registered():
    assert set(FilterModule().filters()) == {'diagnose_plan', 'diagnose_verdicts', 'diagnose_table', 'diagnose_waits'}


def test_url_gets_three_tests_with_stable_names():
    plan = plan_for(['https://shop.example.com/health'])
    assert plan['errors'] == []
    assert plan['tests'] == [
        dict(name='diagnose http-server shop.example.com/health', type='http-server', target='https://shop.example.com/health',
             targets=['https://shop.example.com/health']),
        dict(name='diagnose agent-to-server shop.example.com:443', type='agent-to-server', target='shop.example.com:443',
             targets=['https://shop.example.com/health']),
        dict(name='diagnose dns-trace shop.example.com', type='dns-trace', target='shop.example.com',
             targets=['https://shop.example.com/health']),
    ]
    assert plan['targets'] == [dict(target='https://shop.example.com/health', tests=[test['name'] for test in plan['tests']])]
    # The same input always gives the same names.
    assert plan_for(['https://shop.example.com/health'])['tests'] == plan['tests']


def test_host_gets_two_tests_and_http_url_uses_port_80():
    plan = plan_for(['db.example.com:5432', 'http://Legacy.Example.com'])
    assert [(test['type'], test['target']) for test in plan['tests']] == [
        ('agent-to-server', 'db.example.com:5432'), ('dns-trace', 'db.example.com'),
        ('http-server', 'http://legacy.example.com/'), ('agent-to-server', 'legacy.example.com:80'), ('dns-trace', 'legacy.example.com'),
    ]
    assert plan['tests'][2]['name'] == 'diagnose http-server http://legacy.example.com/'
    assert plan['tests'][0]['name'] == 'diagnose agent-to-server db.example.com:5432'


def test_shared_tests_appear_once():
    plan = plan_for(['https://shop.example.com/a', 'https://shop.example.com/b', 'shop.example.com:443'])
    names = [test['name'] for test in plan['tests']]
    assert len(names) == len(set(names)) == 4
    shared = [test for test in plan['tests'] if test['type'] == 'agent-to-server'][0]
    assert shared['targets'] == ['https://shop.example.com/a', 'https://shop.example.com/b', 'shop.example.com:443']
    assert all(len(target['tests']) >= 2 for target in plan['targets'])


def test_chosen_types_and_ip_targets():
    plan = plan_for(['10.1.2.3', 'api.example.com'], tests=['dns-trace', 'agent-to-server', 'dns-trace'])
    assert [(test['type'], test['target']) for test in plan['tests']] == [
        ('agent-to-server', '10.1.2.3'), ('dns-trace', 'api.example.com'), ('agent-to-server', 'api.example.com')]
    plan = plan_for(['api.example.com'], tests=['http-server'])
    assert plan['tests'][0]['target'] == 'https://api.example.com/'
    assert plan_for(['10.1.2.3'], tests=['dns-trace'])['errors'] == ["diagnose_targets: none of the test types dns-trace applies to '10.1.2.3'."]
    with pytest.raises(AnsibleFilterError, match='unsupported test type'):
        plan_for(['api.example.com'], tests=['voice'])


def test_survey_strings_are_split():
    plan = diagnose_plan('https://shop.example.com/health\napi.example.com, db.example.com', agents='Frankfurt, Germany\n102\n',
                         directory=DIRECTORY)
    assert [target['target'] for target in plan['targets']] == ['https://shop.example.com/health', 'api.example.com', 'db.example.com']
    assert plan['agent_ids'] == ['101', '102']


def test_agents_resolve_by_name_and_id():
    plan = plan_for(['api.example.com'], agents=['frankfurt, germany', 102, '202', 'Frankfurt, Germany'])
    assert plan['agent_ids'] == ['101', '102', '202']
    assert plan['agents'][2] == dict(id='202', name='branch-ams-ea', type='enterprise', state='offline')


def test_unknown_and_ambiguous_agents_are_errors():
    plan = plan_for(['api.example.com'], agents=['Frnkfurt, Germany', 999, 'lab-agent'])
    assert len(plan['errors']) == 2
    assert plan['errors'][0].startswith("diagnose_agents: unknown agents 'Frnkfurt, Germany' (closest: 'Frankfurt, Germany'")
    assert 'ID 999' in plan['errors'][0]
    assert "Known agents: 'Frankfurt, Germany'" in plan['errors'][0]
    assert plan['errors'][1] == "diagnose_agents: the name 'lab-agent' matches 2 agents (IDs 204, 205); give the ID instead."


@pytest.mark.parametrize('target, message', [
    ('shop.example.com/health', 'has a path but no scheme'),
    ('ftp://files.example.com/x', 'only http:// and https://'),
    ('https://user:secret@example.com/', 'credentials in the URL'),
    ('https://example.com:99999/', 'port must be a number'),
    ('bad host name', 'is not a'),
    ('https:///path', 'no valid host name'),
])
def test_bad_targets(target, message):
    with pytest.raises(ValueError, match=message):
        parse_target(target)


def test_empty_inputs_are_errors():
    plan = diagnose_plan([], agents=[], directory=DIRECTORY)
    assert plan['errors'] == ['diagnose_targets is empty: give at least one URL or host name.',
                              'diagnose_agents is empty: give at least one agent name or ID.']
    with pytest.raises(AnsibleFilterError, match='diagnose_test_prefix'):
        diagnose_plan(['a.example.com'], agents=[101], directory=DIRECTORY, prefix=' ')


def test_long_names_are_shortened_stably():
    url = 'https://shop.example.com/' + 'x' * 200
    name = make_test_name('diagnose', 'http-server', url[8:])
    assert len(name) == 120
    assert name == make_test_name('diagnose', 'http-server', url[8:])
    assert name != make_test_name('diagnose', 'http-server', url[8:] + 'y')
    assert plan_for([url], tests=['http-server'])['tests'][0]['name'] == name


def test_prefix():
    plan = diagnose_plan(['api.example.com'], agents=[101], directory=DIRECTORY, prefix='team-a')
    assert plan['tests'][0]['name'] == 'team-a agent-to-server api.example.com'


# Verdict rules -----------------------------------------------------------------------------------------

def test_fine_rows_have_no_findings():
    assert check_row(row('network', loss=0.5, latency=40.0), LIMITS) == []
    assert check_row(row('http-server', response_code=200, response_time=120.0), LIMITS) == []
    assert check_row(row('dns-trace', dns_ok=True), LIMITS) == []
    assert check_row(row('path-vis', hops=9), LIMITS) == []


def test_breaches_are_degraded_and_name_agent_layer_value_and_threshold():
    found = check_row(row('network', loss=25.0, latency=450.0), LIMITS, 'agent-to-server')
    assert found == [('degraded', 'Frankfurt, Germany (101), agent-to-server test, network: loss 25% > 5%'),
                     ('degraded', 'Frankfurt, Germany (101), agent-to-server test, network: latency 450 ms > 300 ms')]
    found = check_row(row('http-server', response_code=200, response_time=3500.0), LIMITS, 'http-server')
    assert found == [('degraded', 'Frankfurt, Germany (101), http-server test, http-server: response time 3500 ms > 3000 ms')]
    # Equal to the threshold is fine; DNS query times are not HTTP response times.
    assert check_row(row('network', loss=5.0, latency=300.0), LIMITS) == []
    assert check_row(row('dns-trace', dns_ok=True, response_time=5000.0), LIMITS) == []


def test_failures():
    assert check_row(row('network', loss=100.0), LIMITS) == [('failed', 'Frankfurt, Germany (101), network: loss 100% (unreachable)')]
    assert check_row(row('dns-trace', dns_ok=False, error='SERVFAIL', ok=False), LIMITS) == [
        ('failed', 'Frankfurt, Germany (101), dns-trace: error: SERVFAIL')]
    assert check_row(row('dns-trace', dns_ok=False, ok=True), LIMITS) == [('failed', 'Frankfurt, Germany (101), dns-trace: DNS resolution failed')]
    assert check_row(row('http-server', response_code=503, error='HTTP', ok=False), LIMITS) == [
        ('failed', 'Frankfurt, Germany (101), http-server: HTTP status 503, expected 200 (error: HTTP)')]
    assert check_row(row('http-server', response_code=301, ok=True), LIMITS) == [
        ('failed', 'Frankfurt, Germany (101), http-server: HTTP status 301, expected 200')]
    assert check_row(row('page-load', ok=False), LIMITS) == [('failed', 'Frankfurt, Germany (101), page-load: not ok')]


def test_expected_status_zero_accepts_what_the_summary_calls_ok():
    limits = thresholds_of({'expected_status': 0})
    assert check_row(row('http-server', response_code=301, ok=True), limits) == []
    assert check_row(row('http-server', response_code=404, ok=False), limits) == [
        ('failed', 'Frankfurt, Germany (101), http-server: HTTP status 404 is not a success')]


def test_thresholds_are_validated():
    assert thresholds_of({'max_loss': '2', 'expected_status': '204', 'unknown': 1}) == dict(
        max_loss=2.0, max_latency=300.0, max_response_time=3000.0, expected_status=204)
    with pytest.raises(AnsibleFilterError, match='must be numbers'):
        thresholds_of({'max_latency': 'fast'})


def test_report_all_ok():
    plan = plan_for(['https://shop.example.com/health', 'api.example.com'], agents=['Frankfurt, Germany', 'London, England'])
    launched, reruns, waits = registered(plan, {})
    report = diagnose_verdicts(plan, launched=launched, reruns=reruns, results=waits, generated_at='2026-11-26T10:01:00Z')
    assert report['verdict'] == 'ok'
    assert report['counts'] == dict(ok=2, degraded=0, failed=0)
    assert report['generated_at'] == '2026-11-26T10:01:00Z'
    assert [target['verdict'] for target in report['targets']] == ['ok', 'ok']
    test = report['targets'][0]['tests'][0]
    assert sorted(test) == ['complete', 'missing', 'name', 'outcome', 'reasons', 'rerun', 'started_at', 'summary', 'target', 'test_id',
                            'type', 'verdict']
    assert test['type'] == 'http-server' and test['outcome'] == 'created' and test['rerun'] is False
    assert test['test_id'] == '1000'


def test_report_reused_tests_carry_the_rerun_start():
    plan = plan_for(['api.example.com'])
    launched, reruns, waits = registered(plan, dict((test['name'], {'outcome': 'unchanged'}) for test in plan['tests']))
    report = diagnose_verdicts(plan, launched=launched, reruns=reruns, results=waits)
    for test in report['targets'][0]['tests']:
        assert test['outcome'] == 'unchanged' and test['rerun'] is True and test['started_at'] == '2026-11-26T10:00:05Z'
    assert report['verdict'] == 'ok'


def test_report_worst_verdict_wins_and_failures_come_first():
    plan = plan_for(['https://slow.example.com/', 'https://shop.example.com/'])
    per_test = {
        'diagnose http-server slow.example.com': {'summary': [row('network', loss=25.0, latency=20.0),
                                                              row('http-server', response_code=200, response_time=100.0)]},
        'diagnose dns-trace slow.example.com': {'summary': [row('dns-trace', dns_ok=False, error='SERVFAIL', ok=False)]},
    }
    report = diagnose_verdicts(plan, *registered(plan, per_test))
    slow, shop = report['targets']
    assert slow['verdict'] == 'failed'
    assert slow['reasons'] == ['Frankfurt, Germany (101), dns-trace test, dns-trace: error: SERVFAIL',
                               'Frankfurt, Germany (101), http-server test, network: loss 25% > 5%']
    assert shop['verdict'] == 'ok' and shop['reasons'] == []
    assert report['verdict'] == 'failed'
    assert report['counts'] == dict(ok=1, degraded=0, failed=1)


def test_offline_agent_and_incomplete_results_are_degraded():
    plan = plan_for(['api.example.com'], agents=['Frankfurt, Germany', 'branch-ams-ea'])
    missing = [dict(agent_id='202', agent_name='branch-ams-ea', layer='network', reason='offline'),
               dict(agent_id='202', agent_name='branch-ams-ea', layer='path-vis', reason='offline')]
    per_test = {
        'diagnose agent-to-server api.example.com': {'missing': missing},
        'diagnose dns-trace api.example.com': {'complete': False, 'summary': [row('dns-trace', dns_ok=True)]},
    }
    report = diagnose_verdicts(plan, *registered(plan, per_test))
    target = report['targets'][0]
    assert target['verdict'] == 'degraded'
    assert target['reasons'] == [
        'branch-ams-ea (202), agent-to-server test: no result (offline) in network, path-vis',
        'dns-trace test: the results were incomplete when the wait ended',
    ]


def test_no_results_at_all_is_degraded():
    plan = plan_for(['api.example.com'], tests=['agent-to-server'])
    name = plan['tests'][0]['name']
    report = diagnose_verdicts(plan, *registered(plan, {name: {'skip_wait': True}}))
    assert report['targets'][0]['verdict'] == 'degraded'
    assert report['targets'][0]['reasons'] == ['agent-to-server test: no results']
    report = diagnose_verdicts(plan, *registered(plan, {name: {'summary': []}}))
    assert report['targets'][0]['reasons'] == ['agent-to-server test: no agent reported']


def test_verdicts_of_a_single_result():
    result = dict(test={'testName': 'checkout', 'type': 'http-server', 'url': 'https://shop.example.com/'}, test_id='7',
                  started_at='2026-11-26T10:00:00Z', complete=True, missing=[],
                  summary=[row('http-server', response_code=500, ok=False), row('network', loss=0.0, latency=10.0)])
    report = diagnose_verdicts(result, thresholds={'max_loss': 1})
    assert report['verdict'] == 'failed'
    assert report['targets'][0]['target'] == 'checkout'
    assert report['targets'][0]['reasons'] == ['Frankfurt, Germany (101), http-server test, http-server: HTTP status 500, expected 200']
    assert report['thresholds']['max_loss'] == 1.0
    with pytest.raises(AnsibleFilterError, match='expects the plan'):
        diagnose_verdicts({'something': 'else'})


# Table -----------------------------------------------------------------------------------------------

def test_table_text_has_a_line_per_target_test_and_agent():
    plan = plan_for(['https://shop.example.com/health'], agents=['London, England', 'Frankfurt, Germany', 'branch-ams-ea'])
    http = [row('network', agent_id='101', loss=0.0, latency=20.0, jitter=1.5),
            row('http-server', agent_id='101', response_code=200, response_time=150.0),
            row('network', agent_id='102', agent_name='London, England', loss=0.0, latency=30.0, jitter=0.5),
            row('http-server', agent_id='102', agent_name='London, England', response_code=200, response_time=450.0)]
    missing = [dict(agent_id='202', agent_name='branch-ams-ea', layer='http-server', reason='offline')]
    per_test = {'diagnose http-server shop.example.com/health': {'summary': http, 'missing': missing}}
    report = diagnose_verdicts(plan, *registered(plan, per_test))
    lines = diagnose_table(report)
    assert lines[0].split() == ['TARGET', 'TEST', 'AGENT', 'LOSS', 'LATENCY', 'JITTER', 'HTTP', 'RESPONSE', 'DNS', 'STATUS']
    # The agents in the order they were asked for; all columns aligned under the headings.
    assert 'London, England (102)' in lines[1] and 'Frankfurt, Germany (101)' in lines[2] and 'branch-ams-ea (202)' in lines[3]
    assert lines[1].index('450 ms') == lines[0].index('RESPONSE')
    assert lines[3].endswith('degraded (no result: offline)')
    assert lines[-1] == 'Overall: DEGRADED'
    assert 'https://shop.example.com/health: DEGRADED' in lines
    assert '  - branch-ams-ea (202), http-server test: no result (offline) in http-server' in lines


def test_table_markdown():
    plan = plan_for(['api.example.com'], tests=['agent-to-server'])
    report = diagnose_verdicts(plan, *registered(plan, {}))
    lines = diagnose_table(report, format='markdown')
    assert lines[0] == '| Target | Test | Agent | Loss | Latency | Jitter | Http | Response | Dns | Status |'
    assert lines[1].startswith('|---|')
    assert lines[2] == '| api.example.com | agent-to-server | Frankfurt, Germany (101) | 0% | 20 ms |  |  |  |  | ok |'
    with pytest.raises(AnsibleFilterError, match='format'):
        diagnose_table(report, format='html')
    with pytest.raises(AnsibleFilterError, match='diagnose_report'):
        diagnose_table([])


# One waiting task for every run ----------------------------------------------------------------------

def test_waits_pair_each_started_run_with_its_start():
    created = dict(test={'testId': 1, 'testName': 'a'}, started_at='2026-11-26T10:00:00Z', outcome='created')
    unchanged = dict(test={'testId': 2, 'testName': 'b'}, outcome='unchanged')
    rerun = dict(test={'testId': 2, 'testName': 'b'}, started_at='2026-11-26T10:00:05Z', item=unchanged)
    waits = diagnose_waits(dict(results=[created, unchanged]), dict(results=[rerun]))
    assert waits == [{'test': created['test'], 'since': '2026-11-26T10:00:00Z'},
                     {'test': rerun['test'], 'since': '2026-11-26T10:00:05Z'}]
    assert diagnose_waits(dict(results=[]), None) == []


def test_verdicts_read_one_multi_test_result():
    plan = plan_for(['api.example.com'])
    launched, reruns, waits = registered(plan, {})
    # The same waits as one test_results_info result with tests: entries named by their definition.
    combined = dict(tests=[dict(entry, test={'testName': entry['item']['item']['name']}) for entry in waits['results']])
    for entry in combined['tests']:
        del entry['item']
    combined['tests'][0]['summary'] = [row('network', loss=30.0, latency=20.0)]
    report = diagnose_verdicts(plan, launched=launched, reruns=reruns, results=combined)
    assert report['targets'][0]['verdict'] == 'degraded'
    assert any('loss 30% > 5%' in reason for reason in report['targets'][0]['reasons'])
