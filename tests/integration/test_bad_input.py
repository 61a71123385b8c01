# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input, for both API versions: each task fails before any write request, with a message that names the option to
change. Real playbook runs against the emulator; the emulator's request log shows that nothing was written."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from emulator import control

ALL_TYPES = ['agent-to-server', 'agent-to-agent', 'http-server', 'page-load', 'web-transactions', 'ftp-server', 'dns-trace',
             'dns-server', 'dns-dnssec', 'sip-server', 'voice']


@pytest.fixture
def results(run_playbook, tmp_path):
    """Run a bad_input playbook and return what it registered."""

    def run(name, env=None):
        result_file = tmp_path / 'results.json'
        outcome = run_playbook(name, extra_vars={'result_file': str(result_file)}, env=env)
        assert 'Traceback' not in outcome.output
        return json.loads(result_file.read_text())

    return run


def failed_naming(result, *needles):
    assert result['failed'] is True, result
    for needle in needles:
        assert needle in result['msg'], result['msg']
    return True


def test_bad_task_options_fail_before_any_write(emulator, results, api_version):
    found = results('bad_input.yml')
    assert failed_naming(found['unknown_type'], 'value of type must be one of', 'got: http-servr')
    assert [item['item'] for item in found['missing_target']] == ALL_TYPES
    for item in found['missing_target']:
        assert failed_naming(item, 'target is required for', ' %s test' % item['item'])
    assert failed_naming(found['port_range'], 'port must be from 1 to 65535', '70000')
    assert failed_naming(found['port_in_target'], 'target: the port must be from 1 to 65535', 'got 0')
    assert failed_naming(found['sip_port'], 'port must be from 1024 to 65535', 'got 80')
    # An unknown name lists the closest names; a shared name lists the agents' IDs.
    assert failed_naming(found['unknown_agent'], 'agents:', "'Frankfrut, Germany'", "Closest names: 'Frankfurt, Germany'")
    assert failed_naming(found['shared_agent'], 'agents:', "'lab-agent' matches 2 agents", '204 (', '205 (', 'by ID')
    assert failed_naming(found['unknown_target_agent'], 'target:', "'no-such-agent'", 'Closest names')
    assert failed_naming(found['both_auth'], 'exactly one way to authenticate', 'token (TE_TOKEN)', 'auth_token')
    assert failed_naming(found['settings_list'], "argument 'settings'", 'dict')
    assert failed_naming(found['settings_string'], "argument 'settings'", 'dict')
    assert failed_naming(found['negative_wait'], 'wait_timeout must be 0 or more', '-5')
    assert failed_naming(found['negative_wait_rerun'], 'wait_timeout must be 0 or more', '-5')
    # settings keys are checked against the type's fields in the API version in use, before any request.
    assert failed_naming(found['settings_typo'], 'settings:', "'httpTimeLimt'", 'closest: httpTimeLimit', 'http-server',
                         'API %s' % api_version)
    assert failed_naming(found['settings_read_only'], 'settings: createdBy is set by ThousandEyes')
    # Input that would reach the API as a write fails here, naming the option.
    assert failed_naming(found['host_spaces'], 'target:', "'shop example com' has spaces")
    assert failed_naming(found['url_port'], 'target: the port in', '70000', 'from 1 to 65535')
    assert failed_naming(found['empty_name'], 'name must not be empty')
    assert failed_naming(found['long_label'], 'target: the label', 'has 64 characters', 'at most 63')
    assert failed_naming(found['long_label_url'], 'target: the label', 'has 64 characters', 'at most 63')
    # A name split at its comma by Ansible is recognised, in instant_test and agent_info alike.
    assert failed_naming(found['split_agent'], 'agents:', "'Frankfurt' and 'Germany' are the pieces of the agent name "
                         "'Frankfurt, Germany'", 'one agent per list item', "agents: ['Frankfurt, Germany']")
    assert failed_naming(found['split_agent_info'], 'name:', "agent name 'Frankfurt, Germany'", 'one name per list item')
    assert failed_naming(found['unknown_country'], 'country:', "'Atlantis'", 'DE', 'US')
    countries = found['country_name']
    assert countries['failed'] is False and countries['agents']
    assert {agent['country'] for agent in countries['agents']} == {'DE'}

    # Reading agents to resolve names is all that was sent: no create, rerun or delete, not even a test lookup.
    assert emulator.writes() == []
    assert {entry['operation'] for entry in emulator.requests()} <= {'list_agents'}


def test_bad_credentials_fail_before_any_request(emulator, results, playbook_env, api_version):
    del playbook_env['TE_TOKEN']  # run_playbook copies this environment when it runs
    found = results('bad_input_credentials.yml')
    assert failed_naming(found['no_credentials'], 'No ThousandEyes credentials', 'TE_TOKEN')
    assert failed_naming(found['both_methods'], 'exactly one way to authenticate', 'token (TE_TOKEN)', 'email with auth_token')
    assert failed_naming(found['email_only'], 'auth_token (TE_AUTH_TOKEN) is missing')
    basic = found['basic_auth']
    if api_version == 'v7':
        assert failed_naming(basic, 'API v7 accepts only bearer tokens', 'token (TE_TOKEN)', 'api_version')
        assert emulator.requests() == []
    else:
        # The positive control: v6 takes Basic auth.
        assert basic['failed'] is False and basic['outcome'] == 'absent'
        assert {entry['auth'] for entry in emulator.requests()} == {'basic'}
    assert emulator.writes() == []


def test_source_ip_only_where_the_api_version_takes_it(emulator, results, api_version):
    found = results('bad_input_source_ip.yml')
    types = ['page-load', 'web-transactions', 'dns-trace', 'dns-server', 'dns-dnssec']
    assert [item['item'] for item in found] == types
    if api_version == 'v7':
        for item in found:
            assert failed_naming(item, 'source_ip', '%s tests' % item['item'], 'API v7')
        assert emulator.requests() == []
    else:
        for item in found:
            assert item['failed'] is False, item
            assert item['payload']['agents'] == [{'agentId': 101, 'sourceIpAddress': '10.0.0.5'}]
        assert emulator.writes() == []


def _raw(emulator, method, path, body=None):
    """(status, parsed body) of one request straight to the emulator, as any HTTP client would send it."""
    request = urllib.request.Request(emulator.url.rstrip('/') + path, method=method,
                                     data=None if body is None else json.dumps(body).encode('utf-8'),
                                     headers={'Authorization': 'Bearer %s' % control.TOKEN, 'Content-Type': 'application/json',
                                              'Accept': 'application/json'})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b'null')
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b'null')


def test_unicode_digits_are_refused_as_the_api_would(emulator, api_version):
    # str.isdigit() takes superscript digits that int() refuses: the emulator answered with a dropped connection or a 500.
    suffix = '.json' if api_version == 'v6' else ''
    status, _body = _raw(emulator, 'GET', '/%s/agents%s?aid=%s' % (api_version, suffix, urllib.parse.quote('¹')))
    assert status == 403
    create = '/v6/instant/http-server.json' if api_version == 'v6' else '/v7/tests/http-server/instant'
    status, body = _raw(emulator, 'POST', create, {'testName': 'unicode-agent', 'url': 'https://shop.example.com/',
                                                   'agents': [{'agentId': '³'}]})
    assert status == 400, body
    assert 'agentId' in json.dumps(body)
    assert emulator.tests() == []
