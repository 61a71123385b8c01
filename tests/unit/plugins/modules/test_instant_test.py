# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""instant_test's task as ordered lists of calls on a fake session: fields, comparison, recreate and adoption."""

from __future__ import annotations

import pytest
from requests import exceptions as requests_exceptions

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError, TransportError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.compare import differences, same_value
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.fields import build_fields
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.task import InstantTestTask
from ansible_collections.netdiag.thousandeyes.plugins.modules.instant_test import argument_spec

from ..module_utils.fake_session import BASE, Answer, make_client

LIST = BASE + '/v7/tests'
DETAIL = BASE + '/v7/tests/agent-to-server/1001'
CREATE = BASE + '/v7/tests/agent-to-server/instant'
AGENTS = BASE + '/v7/agents'

DEFINITION = {'testId': '1001', 'testName': 'db', 'type': 'agent-to-server', 'server': 'db.example.com:5432', 'protocol': 'tcp',
              'agents': [{'agentId': '101', 'agentName': 'Frankfurt', 'agentType': 'cloud'}],
              '_links': {'testResults': [{'href': BASE + '/v7/test-results/1001/network'}]}}
LISTED = {'tests': [{'testId': '1001', 'testName': 'db', 'type': 'agent-to-server'}], '_links': {}}
EMPTY_LIST = {'tests': [], '_links': {}}


class FakeModule:
    """What the task uses of AnsibleModule."""

    def __init__(self, check_mode=False, **params):
        self.params = dict((name, spec.get('default')) for name, spec in argument_spec().items())
        self.params.update(params)
        self.check_mode = check_mode
        self._diff = False
        self.warnings = []
        self.no_log_values = set()

    def warn(self, message):
        self.warnings.append(message)


def task_params(**params):
    base = dict(name='db', type='agent-to-server', agents=[101], target='db.example.com:5432', protocol='TCP')
    base.update(params)
    return base


def run(answers, **params):
    client, session, dummy = make_client(answers)
    module = FakeModule(**task_params(**params))
    return InstantTestTask(module, client).run(), session, module


class TestFields:
    def test_canonical_fields_are_v7_spelling(self):
        client, session, dummy = make_client([])
        fields = build_fields(FakeModule(**task_params()).params, client.agents)
        assert fields == {'testName': 'db', 'server': 'db.example.com', 'port': 5432, 'protocol': 'tcp', 'agents': [{'agentId': '101'}]}
        assert session.calls == []  # agents by ID need no agents request

    def test_agent_names_are_resolved_with_one_listing(self):
        listing = {'agents': [{'agentId': '101', 'agentName': 'Frankfurt', 'agentType': 'cloud'},
                              {'agentId': '105', 'agentName': 'Tokyo', 'agentType': 'cloud'}]}
        client, session, dummy = make_client([Answer(200, listing)])
        params = FakeModule(**task_params(type='agent-to-agent', agents=['frankfurt'], target='Tokyo', protocol=None, port=None)).params
        fields = build_fields(params, client.agents)
        assert fields['agents'] == [{'agentId': '101'}] and fields['targetAgentId'] == '105'
        assert session.requests() == [('GET', AGENTS)]

    def test_several_names_in_one_string_get_the_hint(self):
        listing = {'agents': [{'agentId': '101', 'agentName': 'Frankfurt, Germany', 'agentType': 'cloud'},
                              {'agentId': '108', 'agentName': 'Frankfurt, Germany (Azure)', 'agentType': 'cloud'},
                              {'agentId': '102', 'agentName': 'London, England', 'agentType': 'cloud'}]}
        client, dummy, dummy = make_client([Answer(200, listing)])
        params = FakeModule(**task_params(agents=['Frankfurt, Germany, London, England'])).params
        with pytest.raises(OptionError, match="holds several agent names \\('Frankfurt, Germany', 'London, England'\\): give one "
                                              "agent per list item"):
            build_fields(params, client.agents)
        # A name that only misses gets the closest names, not that hint.
        with pytest.raises(OptionError, match='Closest names') as raised:
            build_fields(FakeModule(**task_params(agents=['Frankfurt, Germany (Azur)'])).params, client.agents)
        assert 'one agent per list item' not in raised.value.msg

    @pytest.mark.parametrize('test_type', ['agent-to-server', 'sip-server'])
    def test_a_url_as_a_host_target_says_what_the_type_wants(self, test_type):
        client, session, dummy = make_client([])
        params = FakeModule(**task_params(type=test_type, target='https://shop.example.com/health', protocol=None)).params
        with pytest.raises(OptionError, match='a %s test wants a host or host:port, not a URL' % test_type):
            build_fields(params, client.agents)
        assert session.calls == []

    @pytest.mark.parametrize('params, message', [
        (dict(port=80, target='https://x.example.com/', type='http-server', protocol=None), 'port does not apply to http-server'),
        (dict(protocol='icmp', target='db.example.com:5432'), 'ICMP tests have no port'),
        (dict(target='db.example.com:1', port=2), 'target says port 1 but port says 2'),
        (dict(dns_servers=['8.8.8.8']), 'dns_servers applies only to dns-server tests'),
        (dict(username='u'), 'username and password apply only to'),
    ])
    def test_bad_options_fail_before_any_request(self, params, message):
        client, session, dummy = make_client([])
        with pytest.raises(OptionError, match=message):
            build_fields(FakeModule(**task_params(**params)).params, client.agents)
        assert session.calls == []


class TestComparison:
    def test_same_value_rules(self):
        assert same_value(True, 1) and same_value('force-ipv4', 'FORCE_IPV4') and same_value(5, '5.0')
        assert not same_value('tcp', 'udp') and not same_value('https://a/', 'https://A/')

    def test_server_port_and_agents(self):
        wanted = {'server': 'DB.example.com', 'port': 5432, 'agents': [{'agentId': '101'}]}
        assert differences(wanted, DEFINITION, client_api()) == []
        assert differences(dict(wanted, port=5433), DEFINITION, client_api()) == [('port', 5432, 5433)]


def client_api():
    return make_client([])[0].api


class TestTask:
    def test_unchanged_is_one_list_and_one_definition(self):
        result, session, dummy = run([Answer(200, LISTED), Answer(200, DEFINITION)])
        assert result['changed'] is False and result['outcome'] == 'unchanged' and result['test_id'] == '1001'
        assert [(method, url, params) for method, url, params, dummy in session.calls] == [
            ('GET', LIST, {}), ('GET', DETAIL, {'expand': 'agent'})]

    def test_other_settings_recreate_it(self):
        created = dict(DEFINITION, testId='1002')
        result, session, dummy = run([Answer(200, LISTED), Answer(200, DEFINITION), Answer(204, text=''), Answer(201, created)],
                                     agents=[102])
        assert result['outcome'] == 'recreated' and result['test_id'] == '1002'
        assert session.requests() == [('GET', LIST), ('GET', DETAIL), ('DELETE', DETAIL), ('POST', CREATE)]
        assert session.calls[-1][3]['agents'] == [{'agentId': '102'}]

    def test_on_change_fail_changes_nothing(self):
        with pytest.raises(OptionError, match='exists with other settings'):
            run([Answer(200, LISTED), Answer(200, DEFINITION)], agents=[102], on_change='fail')

    def test_a_lost_create_answer_is_adopted_by_name_and_never_sent_again(self):
        result, session, module = run([Answer(200, EMPTY_LIST), requests_exceptions.ConnectionError('reset'),
                                       Answer(200, LISTED), Answer(200, DEFINITION)])
        assert result['changed'] is True and result['test_id'] == '1001'
        assert session.requests() == [('GET', LIST), ('POST', CREATE), ('GET', LIST), ('GET', DETAIL)]
        assert 'No second create was sent' in module.warnings[0]

    def test_a_lost_create_answer_with_nothing_listed_fails_without_a_second_create(self, monkeypatch):
        monkeypatch.setattr('time.sleep', lambda seconds: None)
        with pytest.raises(TransportError, match='Nothing was sent again') as raised:
            run([Answer(200, EMPTY_LIST), requests_exceptions.ConnectionError('reset')] + [Answer(200, EMPTY_LIST)] * 3)
        assert 'probably not created' in raised.value.msg

    def test_a_name_clash_with_the_same_settings_is_adopted(self):
        clash = Answer(400, {'title': 'Bad Request', 'detail': 'A test with this name already exists'})
        result, session, dummy = run([Answer(200, EMPTY_LIST), clash, Answer(200, LISTED), Answer(200, DEFINITION)])
        assert result['changed'] is False and result['outcome'] == 'unchanged' and result['test_id'] == '1001'
        assert session.requests() == [('GET', LIST), ('POST', CREATE), ('GET', LIST), ('GET', DETAIL)]

    def test_check_mode_sends_no_write(self):
        client, session, dummy = make_client([Answer(200, EMPTY_LIST)])
        module = FakeModule(check_mode=True, **task_params())
        result = InstantTestTask(module, client).run()
        assert result['changed'] is True and result['payload']['server'] == 'db.example.com:5432'
        assert session.requests() == [('GET', LIST)]


class TestBeforeTheCreate:
    def test_a_name_taken_by_a_test_of_another_type_fails_before_the_create(self):
        other = {'tests': [{'testId': '2002', 'testName': 'db', 'type': 'dns-trace'}], '_links': {}}
        with pytest.raises(OptionError, match=r"'db' is already the name of 2002 \(dns-trace\)") as raised:
            run([Answer(200, other)])
        assert raised.value.details['test_id'] == '2002'

    def test_agents_by_id_are_checked_when_the_listing_was_read_anyway(self):
        listing = {'agents': [{'agentId': '101', 'agentName': 'Frankfurt', 'agentType': 'cloud', 'ipAddresses': ['104.28.10.11']},
                              {'agentId': '201', 'agentName': 'branch', 'agentType': 'enterprise', 'ipAddresses': ['10.10.1.5']}]}
        client, session, dummy = make_client([Answer(200, listing)])
        with pytest.raises(OptionError, match='no agent has the ID 999'):
            build_fields(FakeModule(**task_params(agents=['Frankfurt', 999])).params, client.agents)
        with pytest.raises(OptionError, match="source_ip 10.9.9.9 is not an address of agent 'branch' \\(201\\)"):
            build_fields(FakeModule(**task_params(agents=['Frankfurt', {'id': 201, 'source_ip': '10.9.9.9'}])).params, client.agents)
        assert session.requests() == [('GET', AGENTS)]  # one listing for both tasks' checks

    def test_agents_by_id_alone_need_no_listing(self):
        client, session, dummy = make_client([])
        fields = build_fields(FakeModule(**task_params(agents=[999, {'id': 201, 'source_ip': '10.9.9.9'}])).params, client.agents)
        assert [agent['agentId'] for agent in fields['agents']] == ['999', '201']
        assert session.calls == []
