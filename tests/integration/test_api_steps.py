# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api type's steps on the emulator (v7), in-process: exact comparison of the user's text, assertion operators
checked before any request, settings that would replace an option refused, secrets masked everywhere, and the
oauth2, collect_api_response and predefined_variables fields against the vendor's schema."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import diagnose_verdicts
from tests.schema import oracle

pytestmark = pytest.mark.parametrize('api_version', ['v7'])

STEPS = [
    dict(name='sign-in', url='https://health.example.com/v1/session', method='post', body='{"user": "probe"}',
         headers={'Content-Type': 'application/json'}, auth=dict(type='basic', username='probe', password='step-secret-value'),
         assertions=[dict(name='status-code', operator='is', value=200)], variables=[dict(name='session_id', value='$.session.id')]),
    dict(name='read-status', url='https://health.example.com/v1/status/{{session_id}}',
         assertions=[dict(name='response-body', operator='includes', value='token')]),
]


def api_task(**changes):
    args = dict(name='api-steps', type='api', agents=[101], target='https://health.example.com/', requests=copy.deepcopy(STEPS))
    args.update(changes)
    return args


def creates(emulator):
    return emulator.requests('create')


def schema_problems(emulator):
    return oracle.check_log([entry for entry in emulator.requests() if entry['path'].startswith('/v7/tests/api')])


def test_changed_response_body_text_recreates_and_the_same_task_is_unchanged(emulator, run_module):
    first = run_module('instant_test', api_task())
    assert first['failed'] is False and first['outcome'] == 'created', first
    again = run_module('instant_test', api_task())
    assert (again['changed'], again['outcome']) == (False, 'unchanged')
    assert len(creates(emulator)) == 1
    # Only the case of the assertion's text changes: the test is recreated with the new text.
    steps = copy.deepcopy(STEPS)
    steps[1]['assertions'][0]['value'] = 'Token'
    changed = run_module('instant_test', api_task(requests=steps))
    assert (changed['changed'], changed['outcome']) == (True, 'recreated'), changed
    assert len(creates(emulator)) == 2
    assert creates(emulator)[1]['body']['requests'][1]['assertions'][0]['value'] == 'Token'
    same = run_module('instant_test', api_task(requests=steps))
    assert (same['changed'], same['outcome']) == (False, 'unchanged'), same
    assert len(creates(emulator)) == 2
    assert schema_problems(emulator) == []


def test_an_operator_that_does_not_fit_fails_before_any_request(emulator, run_module):
    steps = copy.deepcopy(STEPS)
    steps[1]['assertions'].append(dict(name='status-code', operator='matches', value='200'))
    result = run_module('instant_test', api_task(requests=steps))
    assert result['failed'] is True
    assert "the assertion 2 of step 'read-status' is a status-code assertion, which takes is or is-not, not 'matches'" in result['msg']
    assert emulator.requests() == []


def test_a_missing_operator_is_sent_as_the_one_that_fits(emulator, run_module):
    steps = copy.deepcopy(STEPS)
    steps[1]['assertions'] = [dict(name='response-body', value='ok'), dict(value=200)]
    result = run_module('instant_test', api_task(requests=steps))
    assert result['failed'] is False, result
    sent = creates(emulator)[0]['body']['requests'][1]['assertions']
    assert sent == [{'name': 'response-body', 'operator': 'includes', 'value': 'ok'}, {'name': 'status-code', 'operator': 'is', 'value': '200'}]
    assert schema_problems(emulator) == []


@pytest.mark.parametrize('settings, option', [({'requests': [{'name': 'x', 'url': 'https://x.example/'}]}, 'requests'),
                                              ({'url': 'https://other.example.com/'}, 'target'),
                                              ({'agents': [{'agentId': '102'}]}, 'agents')])
def test_settings_that_would_replace_an_option_fail_before_any_request(emulator, run_module, settings, option):
    key = list(settings)[0]
    result = run_module('instant_test', api_task(settings=settings))
    assert result['failed'] is True
    assert 'use %s instead of settings.%s' % (option, key) in result['msg'], result['msg']
    assert emulator.requests() == []


SECRET_HEADERS = {'Cookie': 'cookie-secret-value', 'X-Auth-Key': 'auth-key-secret-value', 'X-Session-Id': 'session-secret-value',
                  'Set-Cookie': 'set-cookie-secret-value'}
URL_SECRETS = ('base-url-secret', 'step-url-secret')


def secret_task(**changes):
    steps = copy.deepcopy(STEPS)
    steps[0]['headers'] = dict(steps[0]['headers'], **SECRET_HEADERS)
    steps[1]['url'] = 'https://probe:step-url-secret@health.example.com/v1/status/{{session_id}}'
    return api_task(name='api-secrets', target='https://monitor:base-url-secret@health.example.com/', requests=steps, **changes)


def assert_no_secret(shown, where):
    text = str(shown)
    for secret in tuple(SECRET_HEADERS.values()) + URL_SECRETS + ('step-secret-value',):
        assert secret not in text, '%s shows %s' % (where, secret)


def test_no_credential_in_results_diffs_messages_info_or_reports(emulator, run_module):
    emulator.configure(result_delay=0.0)
    created = run_module('instant_test', secret_task(wait=True, wait_timeout=60), diff=True)
    assert created['outcome'] == 'created' and created['diff']['after']['requests'], created
    assert_no_secret(created, 'the create')
    # The credentials went to the API as given.
    sent = creates(emulator)[0]['body']
    assert sent['url'] == 'https://monitor:base-url-secret@health.example.com/'
    assert {'key': 'Cookie', 'value': 'cookie-secret-value'} in sent['requests'][0]['headers']
    again = run_module('instant_test', secret_task(), diff=True, check_mode=True)
    assert again['outcome'] == 'unchanged'
    assert_no_secret(again, 'the unchanged check')
    # A changed header with on_change=fail names the difference, its credentials masked (the old value too).
    changed = secret_task(on_change='fail')
    changed['requests'][0]['headers']['Cookie'] = 'new-cookie-value'
    refused = run_module('instant_test', changed, diff=True)
    assert refused['failed'] is True and 'exists with other settings' in refused['msg'], refused
    assert_no_secret(refused, 'the on_change=fail message')
    rerun = run_module('instant_test_rerun', {'test_id': created['test_id']})
    assert rerun['failed'] is False
    assert_no_secret(rerun, 'instant_test_rerun')
    # test_results_info knows none of the task's secrets: the definition it reads is masked by the rule alone.
    info = run_module('test_results_info', {'test_id': created['test_id']})
    assert info['failed'] is False and info['test']['requests'][0]['headers']
    assert_no_secret(info, 'test_results_info')
    assert info['test']['url'] == 'https://monitor:********@health.example.com/'
    report = diagnose_verdicts(info)
    assert report['targets'][0]['target'] == 'https://monitor:********@health.example.com/'
    assert_no_secret(report, 'the report')
    assert len(creates(emulator)) == 1


OAUTH_SECRETS = ('client-secret-value', 'partner-secret-value', 'another-secret-value')


def oauth_task(client_secret='client-secret-value', partner='partner-secret-value', collect=False, tenant='acme'):
    step = dict(name='invoices', url='https://billing.example.com/v2/{{tenant}}/invoices', collect_api_response=collect,
                headers={'X-Partner': '{{partner}}'},
                auth=dict(type='oauth2', client_id='probe', client_secret=client_secret, token_url='https://login.example.com/token',
                          scope='invoices.read', client_authentication='basic-auth-header'),
                assertions=[dict(name='status-code', value=200)])
    return api_task(name='api-oauth', target='https://billing.example.com/', requests=[step],
                    predefined_variables=[dict(name='tenant', value=tenant), dict(name='partner', value=partner, secret=True)])


def test_oauth2_collect_api_response_and_secret_variables_on_the_schema(emulator, run_module):
    created = run_module('instant_test', oauth_task(), diff=True)
    assert created['outcome'] == 'created', created
    body = creates(emulator)[0]['body']
    step = body['requests'][0]
    assert (step['authType'], step['clientId'], step['clientSecret'], step['collectApiResponse']) == (
        'oauth2', 'probe', 'client-secret-value', False)
    assert body['predefinedVariables'] == [{'name': 'tenant', 'value': 'acme'}, {'name': 'partner', 'value': 'partner-secret-value'}]
    # The API answers without the client secret; its collectApiResponse is the task's.
    answered = created['test']['requests'][0]
    assert 'clientSecret' not in answered and answered['collectApiResponse'] is False
    # Secrets are never compared: another client secret or secret variable value alone changes nothing.
    again = run_module('instant_test', oauth_task(client_secret='another-secret-value', partner='another-secret-value'), diff=True)
    assert (again['changed'], again['outcome']) == (False, 'unchanged'), again
    for result in (created, again):
        for secret in OAUTH_SECRETS:
            assert secret not in str(result)
    # What is compared: collect_api_response and a variable that is not secret.
    assert run_module('instant_test', oauth_task(collect=True))['outcome'] == 'recreated'
    assert run_module('instant_test', oauth_task(collect=True, tenant='Acme'))['outcome'] == 'recreated'
    assert len(creates(emulator)) == 3
    assert schema_problems(emulator) == []
