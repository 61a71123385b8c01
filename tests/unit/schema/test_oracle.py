# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the v7 schema check itself: it passes a good message and names field and rule otherwise."""

from __future__ import annotations

import pytest

pytest.importorskip('thousandeyes_sdk.instant_tests')

# pylint: disable=wrong-import-position
from ansible_collections.netdiag.thousandeyes.tests.schema import oracle  # noqa: E402

CREATE = '/v7/tests/http-server/instant'
GOOD_BODY = {'testName': 'web', 'url': 'https://www.example.com/', 'agents': [{'agentId': '101'}],
             'protocol': 'tcp', 'httpTimeLimit': 10, 'followRedirects': True}
GOOD_ANSWER = {'testId': '100001', 'testName': 'web', 'type': 'http-server', 'url': 'https://www.example.com/',
               'liveShare': False, 'createdDate': '2026-12-01T10:00:00Z',
               '_links': {'self': {'href': 'https://api.example.com/v7/tests/http-server/100001'}}}


def _entry(body=None, answer=None, status=201, query=None, method='POST', path=CREATE):
    return {'version': 'v7', 'method': method, 'path': path, 'query': query or {}, 'body': body,
            'response': {'status': status, 'contentType': 'application/hal+json', 'body': answer}}


def _rules(mismatches):
    return [(m.field, m.rule) for m in mismatches]


def test_good_request_and_answer_pass():
    assert oracle.check_log([_entry(GOOD_BODY, GOOD_ANSWER, query={'aid': '1234', 'expand': 'agent'})]) == []


def test_unknown_key_in_the_body_fails_and_names_it():
    body = dict(GOOD_BODY, urlTypo='x')
    found = oracle.check_request(_entry(body))
    assert len(found) == 1
    assert found[0].field == 'urlTypo' and 'undeclared key' in found[0].rule


def test_unknown_key_deep_in_the_body_fails():
    body = dict(GOOD_BODY, agents=[{'agentId': '101', 'sourceIp': '10.0.0.1'}])
    assert [m.field for m in oracle.check_request(_entry(body))] == ['agents[0].sourceIp']


def test_wrong_type_fails_and_names_the_rule():
    body = dict(GOOD_BODY, httpTimeLimit='10', followRedirects=1)
    rules = dict(_rules(oracle.check_request(_entry(body))))
    assert 'expected an integer' in rules['httpTimeLimit']
    assert 'expected a boolean' in rules['followRedirects']


def test_range_enum_and_required_fields():
    body = {'testName': 'web', 'agents': [{'agentId': '101'}], 'httpTimeLimit': 61, 'protocol': 'sctp'}
    rules = dict(_rules(oracle.check_request(_entry(body))))
    assert 'above the maximum 60' in rules['httpTimeLimit']
    assert 'not one of the enum' in rules['protocol']
    assert 'missing' in rules['url']


def test_the_generated_unknown_enum_member_is_not_a_schema_value():
    body = dict(GOOD_BODY, protocol='unknown')
    assert [m.field for m in oracle.check_request(_entry(body))] == ['protocol']


def test_query_names_and_values_are_checked():
    found = _rules(oracle.check_request(_entry(GOOD_BODY, query={'expand': 'agents', 'format': 'json'})))
    assert [item[0] for item in found] == ['expand', 'format']
    assert 'not one of the enum' in found[0][1] and 'query parameter unknown' in found[1][1]


def test_answers_are_checked_against_the_status_model():
    answer = dict(GOOD_ANSWER, testId=100001, interval=60)
    rules = dict(_rules(oracle.check_response(_entry(GOOD_BODY, answer))))
    assert 'expected a string' in rules['testId']
    assert 'undeclared key' in rules['interval']
    error = {'type': 'about:blank', 'title': 'Bad Request', 'status': 400, 'detail': 'x', 'errors': [{'code': 'X'}]}
    assert oracle.check_response(_entry(GOOD_BODY, error, status=400)) == []
    assert 'not declared' in oracle.check_response(_entry(GOOD_BODY, error, status=409))[0].rule
    problem = {key: value for key, value in error.items() if key != 'errors'}
    injected = dict(_entry(GOOD_BODY, dict(problem, status=503), status=503), fault='status')
    assert oracle.check_response(injected) == []
    injected['response']['body'] = dict(problem, extra=1)
    assert [m.field for m in oracle.check_response(injected)] == ['extra']


def test_unknown_operation_fails():
    found = oracle.check_request(_entry(method='GET', path='/v7/account-groupz'))
    assert found and 'no vendor operation' in found[0].rule


def test_literal_path_segments_win_over_placeholders():
    (op,) = oracle.find_operations('GET', '/v7/test-results/1/path-vis/agent/2/round/3')
    assert op.template.endswith('/path-vis/agent/{agentId}/round/{roundId}')
    assert [op.name for op in oracle.find_operations('POST', '/v7/tests/100001/run')] == ['run_instant_test']


def test_one_of_alternatives_accept_either_agent_kind():
    cloud = {'agentId': '101', 'agentName': 'Frankfurt', 'agentType': 'cloud', 'countryId': 'DE'}
    enterprise = dict(cloud, agentType='enterprise-cluster', hostname='h', clusterMembers=[{'memberId': '1'}])
    assert oracle.check_response(_entry(answer={'agents': [cloud, enterprise]}, status=200, method='GET',
                                        path='/v7/agents')) == []
    bad = dict(cloud, agentColour='blue')
    found = oracle.check_response(_entry(answer={'agents': [bad]}, status=200, method='GET', path='/v7/agents'))
    assert [m.field for m in found] == ['agents[0].agentColour']


ENDPOINT_CREATE = '/v7/endpoint/tests/scheduled-tests/agent-to-server/instant'


def test_endpoint_calls_are_checked_against_the_endpoint_packages():
    body = {'testName': 'vpn', 'server': 'vpn.example.com', 'agentSelectorType': 'specific-agents',
            'agents': ['0f8fad5b-d9cb-469f-a165-70867728950e'], 'maxMachines': 5}
    answer = {'testId': '100001', 'testName': 'vpn', 'type': 'agent-to-server', 'server': 'vpn.example.com',
              'agentSelectorConfig': {'agentSelectorType': 'specific-agents', 'agents': ['0f8fad5b-d9cb-469f-a165-70867728950e']}}
    assert oracle.check_log([_entry(body, answer, path=ENDPOINT_CREATE)]) == []
    wrong = dict(body, agentSelectorType='specific-agent', serverTypo='x')
    rules = dict(_rules(oracle.check_request(_entry(wrong, path=ENDPOINT_CREATE))))
    assert 'not one of the enum' in rules['agentSelectorType'] and 'undeclared key' in rules['serverTypo']
    row = {'agentId': 'a', 'roundId': 1, 'loss': 1.0, 'networkProfile': {'wirelessProfile': {'rssi': -82.5}}}
    found = oracle.check_response(_entry(None, {'results': [row]}, status=200, method='POST',
                                         path='/v7/endpoint/test-results/scheduled-tests/100001/network/filter'))
    assert [m.field for m in found] == ['results[0].networkProfile.wirelessProfile.rssi']


def test_the_unpinned_endpoint_test_list_is_named_not_checked():
    assert oracle.unpinned('GET', '/v7/endpoint/tests/scheduled-tests') == 'endpoint_tests'
    assert oracle.check_log([_entry(None, {'tests': [{'anything': 1}]}, status=200, method='GET',
                                    path='/v7/endpoint/tests/scheduled-tests')]) == []
    assert oracle.unpinned('POST', ENDPOINT_CREATE) is None
