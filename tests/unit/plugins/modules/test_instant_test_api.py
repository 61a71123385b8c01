# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api type: steps in the API's spelling, v6 refusal before any request, credentials never compared, summary rows."""

from __future__ import annotations

import copy

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.compare import diff_of, differences, same_steps
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.fields import build_fields
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._masking import masked, secret_values
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.summary import summary_row
from ansible_collections.netdiag.thousandeyes.plugins.modules.instant_test import argument_spec
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import diagnose_verdicts

from ..module_utils.fake_session import make_client
from .test_instant_test import FakeModule

STEPS = [
    dict(name='sign-in', url='https://api.example.com/session', method='post', body='{}', headers={'Authorization': 'Bearer h'},
         auth=dict(username='probe', password='pw'), assertions=[dict(name='status-code', operator='is', value=200)],
         variables=[dict(name='sid', value='$.id')], wait_time=250),
    dict(name='status', url='https://api.example.com/status/{{sid}}', auth=dict(token='tk'), verify_certificate=False),
]


def api_params(**params):
    base = dict(name='api', type='api', agents=[101], target='https://api.example.com/', requests=STEPS)
    base.update(params)
    return FakeModule(**base).params


def test_steps_are_sent_in_the_api_spelling():
    client, session, dummy = make_client([])
    fields = build_fields(api_params(), client.agents)
    assert fields['url'] == 'https://api.example.com/'
    assert fields['requests'] == [
        {'name': 'sign-in', 'url': 'https://api.example.com/session', 'method': 'post', 'body': '{}', 'waitTimeMs': 250,
         'verifyCertificate': True, 'headers': [{'key': 'Authorization', 'value': 'Bearer h'}], 'authType': 'basic',
         'username': 'probe', 'password': 'pw', 'assertions': [{'name': 'status-code', 'operator': 'is', 'value': '200'}],
         'variables': [{'name': 'sid', 'value': '$.id'}]},
        {'name': 'status', 'url': 'https://api.example.com/status/{{sid}}', 'method': 'get', 'verifyCertificate': False,
         'authType': 'bearer-token', 'bearerToken': 'tk'},
    ]
    assert session.calls == []


def test_v6_refuses_the_api_type_before_any_request():
    client, session, dummy = make_client([], api_version='v6')
    with pytest.raises(OptionError, match='type: api tests exist only in API v7'):
        build_fields(api_params(agents=['Frankfurt']), client.agents)
    assert session.calls == []


def assert_refused_before_any_request(params, message):
    """The task's fields are refused with ``message``, and nothing was requested on the way."""
    client, session, dummy = make_client([])
    with pytest.raises(OptionError, match=message):
        build_fields(api_params(**params), client.agents)
    assert session.calls == []


@pytest.mark.parametrize('params, message', [
    (dict(requests=None), 'requests is required for an api test'),
    (dict(requests=[dict(name='a', url='https://x/'), dict(name='a', url='https://y/')]), "name 'a' is the name of another step"),
    (dict(requests=[dict(name='a', url='ftp://x/')]), r'requests\[0\].url must be a URL'),
    (dict(requests=[dict(name='a', url='https://x/', assertions=[dict(value='ok')])]), 'must be an HTTP status code'),
    (dict(requests=[dict(name='a', url='https://x/', auth=dict(type='basic'))]), 'basic authentication needs username'),
    (dict(type='http-server', target='https://x/', requests=STEPS), 'requests applies only to api tests'),
])
def test_bad_steps_fail_before_any_request(params, message):
    assert_refused_before_any_request(params, message)


def test_step_credentials_are_never_compared_nor_shown():
    client, dummy, dummy = make_client([])
    fields = build_fields(api_params(), client.agents)
    # The API answers the steps without password and bearerToken, and with its own defaults.
    answered = [dict((key, value) for key, value in step.items() if key not in ('password', 'bearerToken')) for step in fields['requests']]
    answered[0]['collectApiResponse'] = True
    existing = {'testId': '1', 'testName': 'api', 'type': 'api', 'url': 'https://api.example.com/', 'requests': answered,
                'agents': [{'agentId': '101'}]}
    assert differences(fields, existing, client.api) == []
    diff = diff_of(existing, fields, client.api)
    assert 'password' not in diff['after']['requests'][0] and 'bearerToken' not in diff['after']['requests'][1]
    # A changed assertion is a difference.
    answered[0]['assertions'] = [{'name': 'status-code', 'operator': 'is', 'value': '201'}]
    assert [name for name, before, after in differences(fields, existing, client.api)] == ['requests']
    # Credential-like header values are masked like the password options.
    assert secret_values(STEPS) == ['Bearer h', 'pw', 'tk']


def test_api_rows_judged_by_completion_and_error():
    row = {'agent': {'agentId': '101', 'agentName': 'Frankfurt'}, 'roundId': 1796000000, 'apiTransactionTime': 420,
           'completion': 100.0, 'errorType': 'none', 'errorDetails': ''}
    healthy = summary_row('api', row)
    assert (healthy['total_time'], healthy['completion'], healthy['error'], healthy['ok']) == (420.0, 100.0, None, True)
    failed = summary_row('api', dict(row, completion=50.0, errorType='assertion', errorDetails='Assertion failed in step 2'))
    assert (failed['completion'], failed['error'], failed['ok']) == (50.0, 'Assertion failed in step 2', False)
    # Incomplete without an error text still fails.
    assert summary_row('api', dict(row, completion=50.0))['ok'] is False
    report = diagnose_verdicts({'summary': [failed], 'complete': True, 'missing': [], 'test_id': '1',
                                'test': {'testName': 'api', 'type': 'api', 'url': 'https://api.example.com/'}})
    assert report['verdict'] == 'failed' and 'Assertion failed in step 2' in report['targets'][0]['reasons'][0]


def _answered(fields):
    """The steps as the API answers them: no credentials, its own defaults added."""
    answered = []
    for step in fields['requests']:
        shown = dict((key, copy.deepcopy(value)) for key, value in step.items() if key not in ('password', 'bearerToken', 'clientSecret'))
        answered.append(dict({'collectApiResponse': True}, **shown))
    return answered


@pytest.mark.parametrize('kind, change', [
    ('step name', lambda steps: steps[0].update(name='Sign-in')),
    ('step url', lambda steps: steps[1].update(url='https://api.example.com/Status/{{sid}}')),
    ('body', lambda steps: steps[0].update(body='{ }')),
    ('header name', lambda steps: steps[0].update(headers=[{'key': 'authorization', 'value': 'Bearer h'}])),
    ('header value', lambda steps: steps[0].update(headers=[{'key': 'Authorization', 'value': 'bearer h'}])),
    ('variable name', lambda steps: steps[0].update(variables=[{'name': 'SID', 'value': '$.id'}])),
    ('variable value', lambda steps: steps[0].update(variables=[{'name': 'sid', 'value': '$.ID'}])),
    ('assertion value', lambda steps: steps[0].update(assertions=[{'name': 'status-code', 'operator': 'is', 'value': '201'}])),
    ('username', lambda steps: steps[0].update(username='Probe')),
])
def test_free_text_inside_requests_is_compared_exactly(kind, change):
    client, dummy, dummy = make_client([])
    fields = build_fields(api_params(), client.agents)
    answered = _answered(fields)
    change(answered)
    existing = {'testId': '1', 'testName': 'api', 'type': 'api', 'url': 'https://api.example.com/', 'requests': answered,
                'agents': [{'agentId': '101'}]}
    assert [name for name, before, after in differences(fields, existing, client.api)] == ['requests'], kind


def test_response_body_text_differs_by_case():
    steps = [dict(name='login', url='https://api.example.com/login',
                  assertions=[dict(name='response-body', operator='includes', value='token')])]
    client, dummy, dummy = make_client([])
    fields = build_fields(api_params(requests=steps), client.agents)
    answered = _answered(fields)
    existing = {'testId': '1', 'testName': 'api', 'type': 'api', 'url': 'https://api.example.com/', 'requests': answered,
                'agents': [{'agentId': '101'}]}
    assert differences(fields, existing, client.api) == []
    answered[0]['assertions'][0]['value'] = 'Token'
    assert [name for name, before, after in differences(fields, existing, client.api)] == ['requests']


@pytest.mark.parametrize('kind, change', [
    ('method', lambda steps: steps[0].update(method='POST')),
    ('auth type', lambda steps: steps[1].update(authType='Bearer-Token')),
    ('assertion name and operator', lambda steps: steps[0].update(assertions=[{'name': 'Status-Code', 'operator': 'IS', 'value': '200'}])),
])
def test_enumerations_inside_requests_ignore_case(kind, change):
    client, dummy, dummy = make_client([])
    fields = build_fields(api_params(), client.agents)
    answered = _answered(fields)
    change(answered)
    existing = {'testId': '1', 'testName': 'api', 'type': 'api', 'url': 'https://api.example.com/', 'requests': answered,
                'agents': [{'agentId': '101'}]}
    assert differences(fields, existing, client.api) == [], kind


def test_same_steps_compares_booleans_and_numbers_by_value():
    wanted = [{'name': 'a', 'url': 'https://x/', 'waitTimeMs': 250, 'verifyCertificate': True}]
    assert same_steps(wanted, [{'name': 'a', 'url': 'https://x/', 'waitTimeMs': 250.0, 'verifyCertificate': 1}])
    assert not same_steps(wanted, [{'name': 'a', 'url': 'https://x/', 'waitTimeMs': 500, 'verifyCertificate': True}])
    assert not same_steps(wanted, [{'name': 'a', 'url': 'https://x/', 'waitTimeMs': 250, 'verifyCertificate': False}])
    assert not same_steps(wanted, wanted + wanted)


@pytest.mark.parametrize('assertion, message', [
    (dict(name='status-code', operator='matches', value='200'),
     r"requests\[0\].assertions\[0\].operator: the assertion 1 of step 'a' is a status-code assertion, which takes is or is-not, not 'matches'"),
    (dict(name='response-body', operator='is', value='ok'),
     r"the assertion 1 of step 'a' is a response-body assertion, which takes includes or not-includes or matches or not-matches, not 'is'"),
    (dict(operator='includes', value='200'), "step 'a' is a status-code assertion"),
])
def test_an_operator_that_does_not_fit_its_assertion_fails_before_any_request(assertion, message):
    client, session, dummy = make_client([])
    with pytest.raises(OptionError, match=message):
        build_fields(api_params(requests=[dict(name='a', url='https://x/', assertions=[assertion])]), client.agents)
    assert session.calls == []


def test_a_missing_operator_is_the_one_that_fits_the_name():
    client, dummy, dummy = make_client([])
    assertions = [dict(name='status-code', value=200), dict(name='response-body', value='ok'), dict(value=204),
                  dict(name='response-body', operator='not-matches', value='err.*')]
    fields = build_fields(api_params(requests=[dict(name='a', url='https://x/', assertions=assertions)]), client.agents)
    assert [(item['name'], item['operator']) for item in fields['requests'][0]['assertions']] == [
        ('status-code', 'is'), ('response-body', 'includes'), ('status-code', 'is'), ('response-body', 'not-matches')]


@pytest.mark.parametrize('test_type, target, settings, message', [
    ('api', 'https://api.example.com/', {'requests': []}, 'use requests instead of settings.requests'),
    ('api', 'https://api.example.com/', {'url': 'https://other.example.com/'}, 'use target instead of settings.url'),
    ('api', 'https://api.example.com/', {'agents': [{'agentId': '102'}]}, 'use agents instead of settings.agents'),
    ('api', 'https://api.example.com/', {'testName': 'other'}, 'use name instead of settings.testName'),
    ('api', 'https://api.example.com/', {'description': 'x'}, 'use description instead of settings.description'),
    ('agent-to-server', 'db.example.com', {'server': 'other.example.com', 'protocol': 'tcp'},
     'use protocol instead of settings.protocol; use target instead of settings.server'),
    ('http-server', 'https://x.example/', {'password': 'pw'}, 'use password instead of settings.password'),
    ('dns-server', 'example.com', {'dnsServers': ['8.8.8.8']}, 'use dns_servers instead of settings.dnsServers'),
    ('dns-trace', 'example.com', {'dnsTransportProtocol': 'tcp'}, 'use protocol instead of settings.dnsTransportProtocol'),
])
def test_settings_cannot_replace_an_option(test_type, target, settings, message):
    client, session, dummy = make_client([])
    params = api_params(type=test_type, target=target, settings=settings)
    if test_type != 'api':
        params['requests'] = None
    with pytest.raises(OptionError, match='settings must not replace what an option of this module sets: ' + message):
        build_fields(params, client.agents)
    assert session.calls == []


def test_settings_may_hold_a_field_no_option_sets_for_the_type():
    client, dummy, dummy = make_client([])
    # protocol is no option of the api type: it is an API field like any other there.
    fields = build_fields(api_params(protocol=None, settings={'protocol': 'tcp', 'timeLimit': 20}), client.agents)
    assert fields['url'] == 'https://api.example.com/'


OAUTH_STEP = dict(name='invoices', url='https://billing.example.com/v2/{{tenant}}/invoices', collect_api_response=False,
                  auth=dict(client_id='probe', client_secret='client-secret-value', token_url='https://login.example.com/token',
                            scope='invoices.read', client_authentication='in-body'))
VARIABLES = [dict(name='tenant', value='acme'), dict(name='partner', value='partner-secret-value', secret=True)]


def test_oauth2_collect_api_response_and_predefined_variables_are_sent_in_the_api_spelling():
    client, session, dummy = make_client([])
    fields = build_fields(api_params(requests=[OAUTH_STEP], predefined_variables=VARIABLES), client.agents)
    assert fields['requests'] == [{'name': 'invoices', 'url': 'https://billing.example.com/v2/{{tenant}}/invoices', 'method': 'get',
                                   'verifyCertificate': True, 'collectApiResponse': False, 'authType': 'oauth2', 'clientId': 'probe',
                                   'clientSecret': 'client-secret-value', 'tokenUrl': 'https://login.example.com/token',
                                   'scope': 'invoices.read', 'clientAuthentication': 'in-body'}]
    assert fields['predefinedVariables'] == [{'name': 'tenant', 'value': 'acme'}, {'name': 'partner', 'value': 'partner-secret-value'}]
    assert session.calls == []


def test_secrets_of_oauth2_and_secret_variables_are_never_compared_nor_shown():
    client, dummy, dummy = make_client([])
    fields = build_fields(api_params(requests=[OAUTH_STEP], predefined_variables=VARIABLES), client.agents)
    answered = _answered(fields)
    variables = [{'name': 'tenant', 'value': 'acme'}, {'name': 'partner', 'value': 'an-older-value'}]
    existing = {'testId': '1', 'testName': 'api', 'type': 'api', 'url': 'https://api.example.com/', 'requests': answered,
                'predefinedVariables': variables, 'agents': [{'agentId': '101'}]}
    assert differences(fields, existing, client.api, secret_names=('partner',)) == []
    # Without the secret mark, the value is compared like any other text.
    assert [name for name, before, after in differences(fields, existing, client.api)] == ['predefinedVariables']
    variables[0]['value'] = 'Acme'
    assert [name for name, before, after in differences(fields, existing, client.api, secret_names=('partner',))] == ['predefinedVariables']
    variables[0]['value'] = 'acme'
    answered[0]['collectApiResponse'] = True
    assert [name for name, before, after in differences(fields, existing, client.api, secret_names=('partner',))] == ['requests']
    diff = diff_of(existing, fields, client.api, ('partner',))
    assert 'client-secret-value' not in str(diff) and 'partner-secret-value' not in str(diff) and 'an-older-value' not in str(diff)
    assert diff['after']['predefinedVariables'][0] == {'name': 'tenant', 'value': 'acme'}
    assert sorted(secret_values({'requests': [OAUTH_STEP], 'predefined_variables': VARIABLES}, secret_names=('partner',))) == [
        'client-secret-value', 'partner-secret-value']
    assert masked(existing, secret_names=('partner',))['predefinedVariables'][1]['value'] != 'an-older-value'


def test_the_secret_options_are_no_log():
    step = argument_spec()['requests']['options']
    assert all(step['auth']['options'][name].get('no_log') for name in ('password', 'token', 'client_secret'))
    assert not step['auth']['options']['client_id'].get('no_log')


@pytest.mark.parametrize('params, message', [
    (dict(requests=[dict(name='a', url='https://x/', auth=dict(type='oauth2', client_id='c'))]), 'oauth2 authentication needs token_url'),
    (dict(requests=[dict(name='a', url='https://x/', auth=dict(client_id='c', token_url='ftp://x/'))]), 'token_url must be a URL'),
    (dict(requests=[dict(name='a', url='https://x/', auth=dict(type='basic', username='u', client_id='c'))]),
     'client_id applies only to type oauth2, not to basic'),
    (dict(requests=[dict(name='a', url='https://x/', auth=dict(type='oauth2', client_id='c', token_url='https://t/', token='t'))]),
     'type oauth2 takes client_id'),
    (dict(predefined_variables=[dict(name='a', value='1'), dict(name='a', value='2')]), 'is the name of another predefined variable'),
    (dict(predefined_variables=[dict(name='sid', value='1')]), "is also the name of a step's variable"),
    (dict(type='http-server', target='https://x/', requests=None, predefined_variables=VARIABLES), 'predefined_variables applies only to api tests'),
    (dict(settings={'predefinedVariables': []}), 'use predefined_variables instead of settings.predefinedVariables'),
])
def test_bad_oauth2_and_predefined_variables_fail_before_any_request(params, message):
    assert_refused_before_any_request(params, message)


def test_the_diff_of_an_unchanged_api_test_shows_no_difference():
    client, dummy, dummy = make_client([])
    fields = build_fields(api_params(), client.agents)
    existing = {'testId': '1', 'testName': 'api', 'type': 'api', 'url': 'https://api.example.com/', 'requests': _answered(fields),
                'agents': [{'agentId': '101'}]}
    assert differences(fields, existing, client.api) == []
    diff = diff_of(existing, fields, client.api)
    assert diff['before'] == diff['after']
