# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api instant-test type: end to end on v7 (check and diff mode, create and wait, unchanged, results, summary and
verdict, a failing assertion), refused on v6 before any request. The modules run in-process against the emulator."""

from __future__ import annotations

import json
import re

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import diagnose_verdicts
from tests.schema import oracle

# The api create, the api definition and the api results.
API_PATH = re.compile(r'^/v7/(tests/api/(instant|\d+)|test-results/\d+/api)$')
SECRETS = ('step-secret-value', 'token-secret-value', 'header-secret-value')
HEALTH_STEPS = [
    {
        'name': 'sign-in',
        'url': 'https://health.example.com/v1/session',
        'method': 'post',
        'body': '{"user": "probe"}',
        'headers': {'Content-Type': 'application/json', 'Authorization': 'Bearer header-secret-value'},
        'auth': {'type': 'basic', 'username': 'probe', 'password': 'step-secret-value'},
        'assertions': [{'name': 'status-code', 'operator': 'is', 'value': 200}],
        'variables': [{'name': 'session_id', 'value': '$.session.id'}],
        'wait_time': 500,
    },
    {
        'name': 'read-status',
        'url': 'https://health.example.com/v1/status/{{session_id}}',
        'auth': {'token': 'token-secret-value'},
        'assertions': [{'name': 'status-code', 'operator': 'is', 'value': 200},
                       {'name': 'response-body', 'operator': 'includes', 'value': '"ok"'}],
    },
]
HEALTH = dict(name='api-health', type='api', agents=[101, 102], target='https://health.example.com/', requests=HEALTH_STEPS,
              settings={'timeLimit': 20}, wait=True, wait_timeout=60)


def test_api_type(emulator, run_module, api_version):
    emulator.configure(scenarios={'broken.example.com': {'fault': 'assertion', 'step': 2, 'completion': 50}})
    if api_version == 'v6':
        # API v6 refuses the api type before any request: the task failed and said that api needs v7.
        refused = run_module('instant_test', dict(name='api-health', type='api', agents=[101, 102], target='https://health.example.com/',
                                                  requests=HEALTH_STEPS))
        assert refused['failed'] is True
        assert 'exist only in API v7' in refused['msg']
        assert refused.get('request_count', 0) == 0
        for secret in SECRETS:
            assert secret not in json.dumps(refused)
        # The task failed before any request: no write, and no read either.
        assert emulator.requests() == []
        return

    # Check mode with diff creates nothing and shows the body: what it would send, in the API's spelling, certificates
    # verified.
    checked = run_module('instant_test', HEALTH, check_mode=True, diff=True)
    assert checked['changed'] is True
    assert checked['outcome'] == 'created'
    assert checked['test_id'] is None
    assert checked['payload']['url'] == 'https://health.example.com/'
    assert checked['payload']['timeLimit'] == 20
    assert [step['name'] for step in checked['payload']['requests']] == ['sign-in', 'read-status']
    assert [step['verifyCertificate'] for step in checked['payload']['requests']] == [True, True]
    assert checked['payload']['requests'][0]['waitTimeMs'] == 500
    assert checked['payload']['requests'][0]['authType'] == 'basic'
    assert checked['payload']['requests'][1]['authType'] == 'bearer-token'
    assert checked['payload']['requests'][0]['headers'][0] == {'key': 'Content-Type', 'value': 'application/json'}
    assert checked['payload']['requests'][0]['assertions'][0] == {'name': 'status-code', 'operator': 'is', 'value': '200'}
    assert checked['payload']['requests'][0]['variables'] == [{'name': 'session_id', 'value': '$.session.id'}]
    assert checked['diff']['before'] == {}
    assert 'password' not in checked['diff']['after']['requests'][0]
    assert 'bearerToken' not in checked['diff']['after']['requests'][1]
    assert emulator.writes() == []

    # Create and wait: the api layer came back, one row per agent, every step completed.
    created = run_module('instant_test', HEALTH)
    rows = [row for row in created['summary'] if row['layer'] == 'api']
    assert created['changed'] is True
    assert created['outcome'] == 'created'
    assert created['complete']
    assert 'api' in [result['layer'] for result in created['results']]
    assert sorted(row['agent_id'] for row in rows) == ['101', '102']
    assert sorted(set(row['completion'] for row in rows)) == [100.0]
    assert len([row['total_time'] for row in rows if isinstance(row['total_time'], (int, float))]) == 2
    assert [row['error'] for row in rows] == [None, None]
    assert [row['ok'] for row in rows] == [True, True]
    assert diagnose_verdicts(created)['verdict'] != 'failed'
    assert [step['verifyCertificate'] for step in created['test']['requests']] == [True, True]

    # The same task again (with diff): unchanged, although the API never returns the steps' credentials.
    again = run_module('instant_test', HEALTH, diff=True)
    assert again['changed'] is False
    assert again['outcome'] == 'unchanged'
    assert again['test_id'] == created['test_id']
    assert again['diff']['before'] == again['diff']['after']

    # The api layer read with test_results_info: the summary rows carry transaction time, completion and error.
    read = run_module('test_results_info', dict(test_id=created['test_id'], type='api', layers=['api']))
    assert sorted(set(row['layer'] for row in read['summary'])) == ['api']
    assert sorted(set(row['completion'] for row in read['summary'])) == [100.0]
    assert len([row['total_time'] for row in read['summary'] if isinstance(row['total_time'], (int, float))]) == 2

    # An API whose second step's assertion fails: the row is not ok, says which assertion failed, and the verdict fails
    # the target.
    broken = run_module('instant_test', dict(name='api-broken', type='api', agents=[101], target='https://broken.example.com/', requests=[
        {'name': 'list', 'url': 'https://broken.example.com/v1/items', 'assertions': [{'value': 200}]},
        {'name': 'read', 'url': 'https://broken.example.com/v1/items/1', 'assertions': [{'value': 200}]},
    ], wait=True, wait_timeout=60))
    row = [row for row in broken['summary'] if row['layer'] == 'api'][0]
    verdict = diagnose_verdicts(broken)
    assert row['completion'] == 50.0
    assert not row['ok']
    assert 'Assertion failed in step 2' in row['error']
    assert verdict['verdict'] == 'failed'
    assert verdict['targets'][0]['verdict'] == 'failed'
    assert len([reason for reason in verdict['targets'][0]['reasons'] if 'Assertion failed' in reason]) == 1

    # What the instant_test tasks return never carries the credentials. (test_results_info returns the definition as the
    # API gives it, and the API echoes headers, unlike auth credentials: a playbook reads it under no_log.)
    for secret in SECRETS:
        assert secret not in json.dumps([checked, created, again, broken])
    assert not any(secret in json.dumps(read) for secret in SECRETS[:2])

    assert emulator.count('create') == 2
    assert emulator.writes() == [entry for entry in emulator.requests() if entry.get('operation') == 'create']
    creates = emulator.requests('create')
    assert [entry['path'].split('?')[0] for entry in creates] == ['/v7/tests/api/instant'] * 2
    # The credentials went to the API, in its spelling; its answers never carry them.
    steps = creates[0]['body']['requests']
    assert (steps[0]['password'], steps[1]['bearerToken']) == ('step-secret-value', 'token-secret-value')
    answers = [test for test in emulator.tests() if test.get('testName') == 'api-health']
    assert answers and not any(secret in str(answers) for secret in SECRETS[:2])
    # The vendor's schema knows the api create, definition and results, and this run's ones match it (the schema
    # plugin checks every request after the test too; this says that the api ones were among them).
    api_entries = [entry for entry in emulator.requests() if API_PATH.match(entry['path'].split('?')[0])]
    assert {oracle.find_operations(entry['method'], entry['path'].split('?')[0])[0].name for entry in api_entries} == {
        'create_api_instant_test', 'get_api_test', 'get_test_api_results'}
    assert oracle.check_log(api_entries) == []
