# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one masking rule: credential headers by name, URL user-info, write-only fields and secret predefined variables,
in a task's options (no_log values) and in definitions read from the API."""

from __future__ import annotations

import json

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._masking import MASK, is_credential_name, mask_url, masked, secret_values


@pytest.mark.parametrize('name', ['Cookie', 'Set-Cookie', 'X-Session-Id', 'JSESSIONID', 'sid', 'X-Auth-Key', 'X-Api-Key', 'apikey',
                                  'Authorization', 'Proxy-Authorization', 'X-Auth-Token', 'access_token', 'client_secret',
                                  'password', 'clientCertificate', 'X-Access-Key'])
def test_credential_names(name):
    assert is_credential_name(name)


@pytest.mark.parametrize('name', ['Accept', 'Content-Type', 'tokenUrl', 'token_url', 'User-Agent', 'region', 'verifyCertificate',
                                  'authType', 'inside'])
def test_other_names(name):
    assert not is_credential_name(name)


def definition():
    return {'testId': '1', 'type': 'api', 'url': 'https://probe:base-secret@api.example.com/',
            'requests': [{'name': 'login', 'url': 'https://step-token@api.example.com/login', 'tokenUrl': 'https://auth.example.com/token',
                          'headers': [{'key': 'Cookie', 'value': 'cookie-secret'}, {'key': 'X-Auth-Key', 'value': 'key-secret'},
                                      {'key': 'X-Session-Id', 'value': 'session-secret'}, {'key': 'Accept', 'value': 'application/json'}],
                          'variables': [{'name': 'session', 'value': '$.session.id'}], 'password': 'pw-secret'}],
            'predefinedVariables': [{'name': 'api_key', 'value': 'variable-secret'}, {'name': 'tenant', 'value': 'tenant-secret'},
                                    {'name': 'region', 'value': 'eu'}],
            'headers': ['Authorization: Basic line-secret', 'Accept: */*'], 'customHeaders': {'all': {'Set-Cookie': 'set-cookie-secret'}}}


SECRETS = ('base-secret', 'step-token', 'cookie-secret', 'key-secret', 'session-secret', 'pw-secret', 'variable-secret', 'tenant-secret',
           'line-secret', 'set-cookie-secret')


def test_a_definition_shows_no_credential_and_keeps_the_rest():
    shown = masked(definition(), secret_names=('tenant',))
    text = json.dumps(shown)
    for secret in SECRETS:
        assert secret not in text, secret
    step = shown['requests'][0]
    assert shown['url'] == 'https://probe:********@api.example.com/' and step['url'] == 'https://********@api.example.com/login'
    assert step['headers'][3] == {'key': 'Accept', 'value': 'application/json'} and step['headers'][0] == {'key': 'Cookie', 'value': MASK}
    assert step['tokenUrl'] == 'https://auth.example.com/token' and step['variables'] == [{'name': 'session', 'value': '$.session.id'}]
    assert shown['predefinedVariables'][2] == {'name': 'region', 'value': 'eu'}
    assert shown['headers'] == ['Authorization: ********', 'Accept: */*']
    # The definition itself is left as it was.
    assert definition()['requests'][0]['password'] == 'pw-secret'


def test_the_no_log_values_of_a_task_are_the_same_credentials():
    # A header line's whole value is its credential.
    expected = [secret if secret != 'line-secret' else 'Basic line-secret' for secret in SECRETS]
    assert sorted(secret_values(definition(), secret_names=('tenant',))) == sorted(expected)


def test_a_url_in_text_loses_its_user_info():
    assert mask_url('run https://a:b@x.example/ then http://tok@y.example/') == 'run https://a:********@x.example/ then http://********@y.example/'
    assert mask_url('https://x.example/a@b') == 'https://x.example/a@b'


def test_a_report_shows_no_url_credentials():
    from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import diagnose_verdicts  # pylint: disable=import-outside-toplevel
    row = {'layer': 'api', 'agent_id': '101', 'agent_name': 'Frankfurt', 'ok': True, 'completion': 100.0, 'total_time': 300.0,
           'error': None, 'round_id': 1796000000}
    report = diagnose_verdicts({'summary': [row], 'complete': True, 'missing': [], 'test_id': '1',
                                'test': {'testName': 'api', 'type': 'api', 'url': 'https://probe:report-secret@api.example.com/'}})
    assert 'report-secret' not in json.dumps(report)
    assert report['targets'][0]['target'] == 'https://probe:********@api.example.com/'
