# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api type's steps on the emulator (v7), in-process: exact comparison of the user's text, assertion operators
checked before any request, settings that would replace an option refused, secrets masked everywhere, and the
oauth2, collect_api_response and predefined_variables fields against the vendor's schema."""

from __future__ import annotations

import copy

import pytest

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
