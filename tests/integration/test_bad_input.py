# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input, for both API versions: each task fails before any write request, with a message that names the option to
change. The modules run in-process (module_runner.py) against the emulator, with the arguments the tasks of a playbook
would pass; the emulator's request log shows that nothing was written."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from emulator import control

ALL_TYPES = ['agent-to-server', 'agent-to-agent', 'http-server', 'page-load', 'web-transactions', 'ftp-server', 'dns-trace',
             'dns-server', 'dns-dnssec', 'sip-server', 'voice']
SHOP = 'https://shop.example.com/'

# One task each: the module and its arguments, as a playbook task would give them (YAML's "agents: Frankfurt, Germany"
# is the string that Ansible splits at its comma).
BAD_TASKS = {
    'unknown_type': ('instant_test', dict(name='bad-type', type='http-servr', agents=[101], target=SHOP)),
    'port_range': ('instant_test', dict(name='bad-port', type='agent-to-server', agents=[101], target='db.example.com', port=70000)),
    'port_in_target': ('instant_test', dict(name='bad-port-target', type='agent-to-server', agents=[101], target='db.example.com:0')),
    'sip_port': ('instant_test', dict(name='bad-sip-port', type='sip-server', agents=[101], target='sip.example.com', port=80)),
    'unknown_agent': ('instant_test', dict(name='bad-agent', type='http-server', agents=['Frankfrut, Germany'], target=SHOP)),
    'shared_agent': ('instant_test', dict(name='bad-shared-agent', type='http-server', agents=['lab-agent'], target=SHOP)),
    'unknown_target_agent': ('instant_test', dict(name='bad-target-agent', type='agent-to-agent', agents=[101], target='no-such-agent')),
    'both_auth': ('instant_test', dict(name='bad-auth', type='http-server', agents=[101], target=SHOP, email='demo@example.com',
                                       auth_token='bad-input-auth-token')),
    'settings_list': ('instant_test', dict(name='bad-settings', type='http-server', agents=[101], target=SHOP,
                                           settings=['httpTimeLimit', 10])),
    'settings_string': ('instant_test', dict(name='bad-settings-string', type='http-server', agents=[101], target=SHOP,
                                             settings='httpTimeLimit')),
    'negative_wait': ('instant_test', dict(name='bad-wait', type='http-server', agents=[101], target=SHOP, wait=True, wait_timeout=-5)),
    'negative_wait_rerun': ('instant_test_rerun', dict(name='bad-wait', wait=True, wait_timeout=-5)),
    'settings_typo': ('instant_test', dict(name='bad-settings-key', type='http-server', agents=[101], target=SHOP,
                                           settings={'httpTimeLimt': 5})),
    'settings_read_only': ('instant_test', dict(name='bad-settings-read-only', type='http-server', agents=[101], target=SHOP,
                                                settings={'createdBy': 'me'})),
    'host_spaces': ('instant_test', dict(name='bad-host-spaces', type='agent-to-server', agents=[101], target='shop example com')),
    'url_port': ('instant_test', dict(name='bad-url-port', type='http-server', agents=[101], target='https://shop.example.com:70000/')),
    'empty_name': ('instant_test', dict(name='', type='http-server', agents=[101], target=SHOP)),
    'long_label': ('instant_test', dict(name='bad-long-label', type='agent-to-server', agents=[101], target='a' * 64 + '.example.com')),
    'long_label_url': ('instant_test', dict(name='bad-long-label-url', type='http-server', agents=[101],
                                            target='https://%s.example.com/' % ('b' * 64))),
    'split_agent': ('instant_test', dict(name='bad-split-agent', type='http-server', agents='Frankfurt, Germany', target=SHOP)),
    'split_agent_info': ('agent_info', dict(name='Frankfurt, Germany')),
    'unknown_country': ('agent_info', dict(country=['Atlantis'])),
    'country_name': ('agent_info', dict(country=['Germany'])),  # a positive control
}


def missing_target_args(test_type):
    """The arguments of the no-target task for one type: what else the type requires, but no target."""
    args = dict(name='bad-target-%s' % test_type, type=test_type, agents=[101])
    if test_type == 'dns-server':
        args['dns_servers'] = ['8.8.8.8']
    if test_type == 'web-transactions':
        args['transaction_script'] = 'markers.start();'
    return args


def with_item(result, item):
    """A result as a loop registers it: with its item."""
    result['item'] = item
    return result


def failed_naming(result, *needles):
    assert result['failed'] is True, result
    for needle in needles:
        assert needle in result['msg'], result['msg']
    return True


def test_bad_task_options_fail_before_any_write(emulator, run_module, api_version):
    found = dict((key, run_module(module, args)) for key, (module, args) in BAD_TASKS.items())
    found['missing_target'] = [with_item(run_module('instant_test', missing_target_args(item)), item) for item in ALL_TYPES]
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


def test_bad_credentials_fail_before_any_request(emulator, run_module, api_version):
    absent = dict(name='bad-credentials', type='http-server', state='absent')
    no_token = {'TE_TOKEN': None}  # run without TE_TOKEN in the environment
    found = {
        'no_credentials': run_module('instant_test', absent, env=no_token),
        'both_methods': run_module('instant_test', dict(absent, token=control.TOKEN, email='demo@example.com',
                                                        auth_token='te-emulator-auth-token'), env=no_token),
        'email_only': run_module('instant_test', dict(absent, email='demo@example.com'), env=no_token),
        'basic_auth': run_module('instant_test', dict(absent, email='demo@example.com', auth_token='te-emulator-auth-token'),
                                 env=no_token),
    }
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


def test_source_ip_only_where_the_api_version_takes_it(emulator, run_module, api_version):
    types = ['page-load', 'web-transactions', 'dns-trace', 'dns-server', 'dns-dnssec']
    found = []
    for item in types:
        # An agent with source_ip, for each type without a source address in v7; check mode: nothing is written.
        args = dict(name='source-ip-%s' % item, type=item, agents=[{'id': 101, 'source_ip': '10.0.0.5'}],
                    target='https://shop.example.com/' if item in ['page-load', 'web-transactions'] else 'example.com')
        if item == 'dns-server':
            args['dns_servers'] = ['8.8.8.8']
        if item == 'web-transactions':
            args['transaction_script'] = 'markers.start();'
        found.append(with_item(run_module('instant_test', args, check_mode=True), item))
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
