# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose verdicts: the rules per summary row, per test and per target, and the report."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import REPORT_KEYS, TARGET_DEFAULTS, check_row, diagnose_verdicts
from ansible_collections.netdiag.thousandeyes.tests.unit.plugins.plugin_utils._diagnose.diagnose_data import (
    name_of,
    plan_for,
    registered,
    row,
)

LIMITS = thresholds_of(None)


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
    # Equal to the threshold is fine; DNS query times are not HTTP response times; numbers as strings are read too.
    assert check_row(row('network', loss=5.0, latency=300.0), LIMITS) == []
    assert check_row(row('dns-trace', dns_ok=True, response_time=5000.0), LIMITS) == []
    assert check_row(row('network', loss='12.5', latency='x'), LIMITS) == [('degraded', 'Frankfurt, Germany (101), network: loss 12.5% > 5%')]


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


def test_expected_status_zero_accepts_any_2xx_or_3xx():
    limits = thresholds_of({'expected_status': 0})
    assert check_row(row('http-server', response_code=301, ok=True), limits) == []
    assert check_row(row('http-server', response_code=404, ok=False), limits) == [
        ('failed', 'Frankfurt, Germany (101), http-server: HTTP status 404 is not a success')]


def test_thresholds_are_validated():
    assert thresholds_of({'max_loss': '2', 'expected_status': '204', 'unknown': 1}) == dict(
        max_loss=2.0, max_latency=300.0, max_response_time=3000.0, expected_status=204, max_dns_time=None)
    with pytest.raises(DiagnoseInputError, match="threshold max_latency must be a number, got 'fast'"):
        thresholds_of({'max_latency': 'fast'})
    # Out of range: verdicts against these would mean nothing.
    with pytest.raises(DiagnoseInputError, match="threshold max_loss must be a loss in percent from 0 to 100, got -5"):
        thresholds_of({'max_loss': -5})
    with pytest.raises(DiagnoseInputError, match="threshold expected_status must be an HTTP status code from 100 to 599"):
        thresholds_of({'expected_status': 999})


def test_report_all_ok():
    plan = plan_for(['https://shop.example.com/health', 'api.example.com'], agents=['Frankfurt, Germany', 'London, England'])
    runs, waited = registered(plan, {})
    report = diagnose_verdicts(plan, runs=runs, results=waited, generated_at='2026-11-26T10:01:00Z')
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
    runs, waited = registered(plan, dict((test['name'], {'outcome': 'unchanged'}) for test in plan['tests']))
    report = diagnose_verdicts(plan, runs=runs, results=waited)
    for test in report['targets'][0]['tests']:
        assert test['outcome'] == 'unchanged' and test['rerun'] is True and test['started_at'] == '2026-11-26T10:00:05Z'
    assert report['verdict'] == 'ok'


def test_report_worst_verdict_wins_and_failures_come_first():
    plan = plan_for(['https://slow.example.com/', 'https://shop.example.com/'])
    per_test = {
        name_of(plan, 'http-server', 'https://slow.example.com/'): {
            'summary': [row('network', loss=25.0, latency=20.0), row('http-server', response_code=200, response_time=100.0)]},
        name_of(plan, 'dns-trace', 'https://slow.example.com/'): {'summary': [row('dns-trace', dns_ok=False, error='SERVFAIL', ok=False)]},
    }
    runs, waited = registered(plan, per_test)
    slow, shop = diagnose_verdicts(plan, runs, waited)['targets']
    assert slow['verdict'] == 'failed'
    assert slow['reasons'] == ['Frankfurt, Germany (101), dns-trace test, dns-trace: error: SERVFAIL',
                               'Frankfurt, Germany (101), http-server test, network: loss 25% > 5%']
    assert shop['verdict'] == 'ok' and shop['reasons'] == []


def test_offline_agent_and_incomplete_results_are_degraded():
    plan = plan_for(['api.example.com'], agents=['Frankfurt, Germany', 'branch-ams-ea'])
    missing = [dict(agent_id='202', agent_name='branch-ams-ea', layer='network', reason='offline'),
               dict(agent_id='202', agent_name='branch-ams-ea', layer='path-vis', reason='offline')]
    per_test = {
        name_of(plan, 'agent-to-server', 'api.example.com'): {'missing': missing},
        name_of(plan, 'dns-trace', 'api.example.com'): {'complete': False, 'summary': [row('dns-trace', dns_ok=True)]},
    }
    target = diagnose_verdicts(plan, *registered(plan, per_test))['targets'][0]
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


def test_results_are_matched_by_test_id_not_by_position():
    plan = plan_for(['api.example.com'])
    runs, waited = registered(plan, {name_of(plan, 'dns-trace', 'api.example.com'): {'summary': [row('dns-trace', dns_ok=False)]}})
    waited['tests'].reverse()
    target = diagnose_verdicts(plan, runs, waited)['targets'][0]
    assert target['reasons'] == ['Frankfurt, Germany (101), dns-trace test, dns-trace: DNS resolution failed']


def test_verdicts_of_a_single_result():
    result = dict(test={'testName': 'checkout', 'type': 'http-server', 'url': 'https://shop.example.com/'}, test_id='7',
                  started_at='2026-11-26T10:00:00Z', complete=True, missing=[],
                  summary=[row('http-server', response_code=500, ok=False), row('network', loss=0.0, latency=10.0)])
    report = diagnose_verdicts(result, thresholds={'max_loss': 1})
    assert report['verdict'] == 'failed'
    # The target is what the test measures, as in the role's report; the next step says what to do and how to rerun.
    assert report['targets'][0]['target'] == 'https://shop.example.com/'
    assert report['targets'][0]['tests'][0]['name'] == 'checkout'
    assert report['targets'][0]['next_step'] == (
        "Check the target's server and its hosting. Rerun these tests: ansible-playbook playbooks/diagnose.yml -e "
        "'{\"diagnose_targets\": [\"https://shop.example.com/\"], \"diagnose_agents\": [\"101\"]}'")
    assert report['targets'][0]['reasons'] == ['Frankfurt, Germany (101), http-server test, http-server: HTTP status 500, expected 200']
    assert report['targets'][0]['tests'][0]['rerun'] is True
    assert report['thresholds']['max_loss'] == 1.0
    assert 'max_dns_time' not in report['thresholds']  # unset, so it does not apply
    assert report['instant_calls'] == 1


@pytest.mark.parametrize('outcome, started, rerun, calls', [
    ('created', True, False, 1),   # instant_test that created the test
    ('rerun', True, True, 1),      # instant_test with run: always on an unchanged test
    ('unchanged', False, False, 0),
    (None, False, False, 0),       # test_results_info
])
def test_a_single_result_counts_the_instant_call_it_made(outcome, started, rerun, calls):
    result = dict(test={'testName': 'gate', 'type': 'http-server', 'url': 'https://shop.example.com/'}, test_id='7', complete=True,
                  missing=[], summary=[row('http-server', response_code=200, ok=True)])
    if outcome:
        result['outcome'] = outcome
    if started:
        result['started_at'] = '2026-11-26T10:00:00Z'
    report = diagnose_verdicts(result)
    assert report['instant_calls'] == calls
    assert report['targets'][0]['tests'][0]['rerun'] is rerun


def test_a_bad_threshold_is_named():
    with pytest.raises(DiagnoseInputError, match="threshold max_loss must be a number, got 'lots'"):
        diagnose_verdicts({'summary': []}, thresholds={'max_loss': 'lots'})
    with pytest.raises(DiagnoseInputError, match='expects the plan'):
        diagnose_verdicts({'something': 'else'})


def test_a_result_without_summary_names_every_module_that_gives_one():
    # instant_test in check mode (or without wait): nothing to judge, and the message says which results have a summary.
    with pytest.raises(DiagnoseInputError) as raised:
        diagnose_verdicts({'changed': True, 'outcome': 'created', 'test': {'testName': 'gate'}})
    assert 'test_results_info, or instant_test or instant_test_rerun with wait: true' in str(raised.value)
    assert 'Check mode reads no results.' in str(raised.value)


@pytest.mark.parametrize('test, target, agents', [
    ({'type': 'dns-trace', 'domain': 'example.com', 'agents': [{'agentId': 102}, {'agentId': '101'}]}, 'example.com', '["101", "102"]'),
    ({'type': 'agent-to-server', 'server': 'db.example.com:5432'}, 'db.example.com:5432', '["101"]'),  # agents from the rows
])
def test_a_single_dns_or_network_result_names_its_domain_or_server(test, target, agents):
    report = diagnose_verdicts(dict(test=test, test_id='9', complete=True, missing=[], summary=[row('network', loss=0.0, latency=10.0)]))
    assert report['targets'][0]['target'] == target
    assert report['targets'][0]['next_step'].startswith('Nothing to do. Rerun these tests')
    assert '"diagnose_agents": %s}' % agents in report['targets'][0]['next_step']


def test_one_dns_failure_is_one_reason_naming_every_agent():
    plan = plan_for(['https://shop.example.com/'], agents=['Frankfurt, Germany', 'London, England'])
    http, dns = [], []
    for agent_id, name in (('101', 'Frankfurt, Germany'), ('102', 'London, England')):
        http.append(row('http-server', agent_id=agent_id, agent_name=name, response_code=0, error='DNS resolution failed: SERVFAIL', ok=False))
        http.append(row('network', agent_id=agent_id, agent_name=name, loss=100.0))  # no address, nothing reached
        dns.append(row('dns-trace', agent_id=agent_id, agent_name=name, dns_ok=False, error='SERVFAIL', ok=False))
    report = diagnose_verdicts(plan, *registered(plan, {name_of(plan, 'http-server', 'https://shop.example.com/'): {'summary': http},
                                                        name_of(plan, 'dns-trace', 'https://shop.example.com/'): {'summary': dns}}))
    target = report['targets'][0]
    assert target['verdict'] == 'failed'
    assert target['reasons'] == ['Frankfurt, Germany (101); London, England (102), dns-trace test, dns-trace: error: SERVFAIL']
    # Each test keeps its own reasons, per agent.
    assert len(target['tests'][0]['reasons']) == 4 and len(target['tests'][1]['reasons']) == 2


def test_an_http_error_without_a_dns_failure_stays_a_reason():
    plan = plan_for(['https://shop.example.com/'])
    http = [row('http-server', response_code=0, error='DNS resolution failed: timeout')]
    report = diagnose_verdicts(plan, *registered(plan, {
        name_of(plan, 'http-server', 'https://shop.example.com/'): {'summary': http},
        name_of(plan, 'dns-trace', 'https://shop.example.com/'): {'summary': [row('dns-trace', dns_ok=True)]}}))
    assert report['targets'][0]['reasons'] == [
        'Frankfurt, Germany (101), http-server test, http-server: HTTP status 0, expected 200 (error: DNS resolution failed: timeout)']


def test_the_full_report_the_plan_and_a_single_result_have_one_shape():
    plan = plan_for(['https://shop.example.com/'])
    runs, results = registered(plan, {})
    full = diagnose_verdicts(plan, runs, results)
    planned = diagnose_verdicts(plan, runs, check_mode=True)
    single = diagnose_verdicts(dict(test={'testName': 'checkout', 'type': 'http-server', 'url': 'https://shop.example.com/'}, test_id='7',
                                    complete=True, missing=[], summary=[row('http-server', response_code=200, response_time=100.0)]))
    for report in (full, planned, single):
        assert tuple(report) == REPORT_KEYS
        assert all(set(target) == set(TARGET_DEFAULTS) for target in report['targets'])
    assert (full['check_mode'], planned['check_mode'], single['check_mode']) == (False, True, False)
    assert full['would'] is None and single['would'] is None and set(planned['would']) == {'create', 'recreate', 'rerun', 'delete'}
    assert planned['verdict'] is None and planned['counts'] == dict(ok=0, degraded=0, failed=0) and full['verdict'] == 'ok'
    assert planned['targets'][0]['evidence'] == [] and planned['targets'][0]['location'] is None


def test_a_single_result_gives_its_reasons_as_data_too():
    report = diagnose_verdicts(dict(test={'testName': 'checkout', 'type': 'http-server', 'url': 'https://shop.example.com/'}, test_id='7',
                                    complete=True, missing=[], summary=[row('http-server', response_code=500, ok=False)]))
    assert report['targets'][0]['reason_groups'] == [dict(verdict='failed', where='http-server test, http-server',
                                                          text='HTTP status 500, expected 200', agents=['Frankfurt, Germany (101)'])]
