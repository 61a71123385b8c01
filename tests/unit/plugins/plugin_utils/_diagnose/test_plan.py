# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose plan: target parsing, stable names that carry the agent set, agent resolution, runs and waits."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import (
    DiagnoseInputError,
    agent_set_label,
    diagnose_input_errors,
    diagnose_plan,
    diagnose_runs,
    diagnose_waits,
    parse_target,
    test_name as make_test_name,
    variable_errors,
)

from ansible_collections.netdiag.thousandeyes.tests.unit.plugins.plugin_utils._diagnose.diagnose_data import DIRECTORY, plan_for


def test_url_gets_http_server_and_dns_trace_with_stable_names_that_carry_the_agents():
    plan = plan_for(['https://shop.example.com/health'])
    assert plan['tests'] == [
        dict(name='diagnose http-server shop.example.com/health from 101', type='http-server', target='https://shop.example.com/health',
             targets=['https://shop.example.com/health']),
        dict(name='diagnose dns-trace shop.example.com from 101', type='dns-trace', target='shop.example.com',
             targets=['https://shop.example.com/health']),
    ]
    assert plan['targets'] == [dict(target='https://shop.example.com/health', tests=[test['name'] for test in plan['tests']])]
    # The same input always gives the same names.
    assert plan_for(['https://shop.example.com/health'])['tests'] == plan['tests']


def test_other_agents_give_other_names_and_the_order_of_agents_does_not_matter():
    frankfurt = plan_for(['api.example.com'], agents=['Frankfurt, Germany'])
    london = plan_for(['api.example.com'], agents=['London, England'])
    both = plan_for(['api.example.com'], agents=['London, England', 101])
    both_again = plan_for(['api.example.com'], agents=[101, 'London, England'])
    names = [set(test['name'] for test in plan['tests']) for plan in (frankfurt, london, both)]
    assert not names[0] & names[1] and not names[0] & names[2] and not names[1] & names[2]
    assert both['tests'] == both_again['tests']
    assert both['tests'][0]['name'] == 'diagnose agent-to-server api.example.com from 101,102'


def test_large_agent_sets_are_named_by_size_and_hash():
    assert agent_set_label(['102', '101', '9']) == '9,101,102'
    label = agent_set_label([str(agent_id) for agent_id in range(100, 106)])
    assert label.startswith('6 agents ') and len(label) == len('6 agents ') + 8
    assert label == agent_set_label([str(agent_id) for agent_id in reversed(range(100, 106))])
    assert label != agent_set_label([str(agent_id) for agent_id in range(100, 105)] + ['999'])


def test_host_gets_two_tests_and_http_url_uses_port_80():
    plan = plan_for(['db.example.com:5432', 'http://Legacy.Example.com'])
    assert [(test['type'], test['target']) for test in plan['tests']] == [
        ('agent-to-server', 'db.example.com:5432'), ('dns-trace', 'db.example.com'),
        ('http-server', 'http://legacy.example.com/'), ('dns-trace', 'legacy.example.com'),
    ]
    assert plan['tests'][2]['name'] == 'diagnose http-server http://legacy.example.com/ from 101'


def test_shared_tests_appear_once():
    plan = plan_for(['https://shop.example.com/a', 'https://shop.example.com/b', 'shop.example.com:443'],
                    tests=['http-server', 'agent-to-server', 'dns-trace'])
    names = [test['name'] for test in plan['tests']]
    assert len(names) == len(set(names)) == 5
    shared = [test for test in plan['tests'] if test['type'] == 'agent-to-server'][0]
    assert shared['targets'] == ['https://shop.example.com/a', 'https://shop.example.com/b', 'shop.example.com:443']


def test_chosen_types_and_ip_targets():
    plan = plan_for(['10.1.2.3', 'api.example.com'], tests=['dns-trace', 'agent-to-server', 'dns-trace'])
    assert [(test['type'], test['target']) for test in plan['tests']] == [
        ('agent-to-server', '10.1.2.3'), ('dns-trace', 'api.example.com'), ('agent-to-server', 'api.example.com')]
    assert plan_for(['api.example.com'], tests=['http-server'])['tests'][0]['target'] == 'https://api.example.com/'
    plan = diagnose_plan(['10.1.2.3'], agents=[101], directory=DIRECTORY, tests=['dns-trace'])
    assert plan['errors'] == ["diagnose_targets: none of the test types dns-trace applies to '10.1.2.3'."]


def test_a_wrong_test_type_is_one_line_and_needs_no_directory():
    plan = diagnose_plan(['api.example.com'], agents=['Frankfurt, Germany'], tests=['http-server', 'voice'])
    assert plan['errors'] == ["diagnose_tests: unsupported test type 'voice'; the role runs agent-to-server, http-server, page-load, "
                              "dns-trace, dns-dnssec."]
    assert plan['tests'] == [] and plan['agents'] == []


def test_without_a_directory_only_the_input_is_checked():
    plan = diagnose_plan(['api.example.com'], agents=['No such agent'])
    assert plan == dict(agents=[], agent_ids=[], targets=[], tests=[], errors=[])


def test_survey_strings_are_split_on_lines_and_commas():
    plan = diagnose_plan('https://shop.example.com/health\napi.example.com, db.example.com\n', agents='Frankfurt, Germany\n102\n',
                         directory=DIRECTORY)
    assert [target['target'] for target in plan['targets']] == ['https://shop.example.com/health', 'api.example.com', 'db.example.com']
    assert plan['agent_ids'] == ['101', '102']


@pytest.mark.parametrize('targets', ['shop example com', ['shop example com'], ['api.example.com', 'shop example com']])
def test_a_target_with_spaces_is_refused_by_name(targets):
    plan = diagnose_plan(targets, agents=[101])
    assert plan['errors'] == ["diagnose_targets: 'shop example com' has spaces: a URL or host name has none. Give one target per list "
                              "item (or per line)."]


def test_agents_resolve_by_name_and_id():
    plan = plan_for(['api.example.com'], agents=['frankfurt, germany', 102, '202', 'Frankfurt, Germany'])
    assert plan['agent_ids'] == ['101', '102', '202']
    assert plan['agents'][2] == dict(id='202', name='branch-ams-ea', type='enterprise', state='offline')


def test_agents_that_all_cannot_report_are_refused_before_any_test():
    plan = diagnose_plan(['api.example.com'], agents=['branch-ams-ea'], directory=DIRECTORY)
    assert plan['tests'] == []
    assert plan['errors'] == ['diagnose_agents: none of the agents can report, so every test would run for nothing: branch-ams-ea '
                              '(202) is offline. Offline and disabled Enterprise agents return no results; add an agent that is online.']
    # One agent that can report is enough: the offline one is reported in the verdict instead.
    assert diagnose_plan(['api.example.com'], agents=['branch-ams-ea', 101], directory=DIRECTORY)['errors'] == []


def test_control_agents_run_every_test_after_the_agents_and_count_for_reporting():
    plan = diagnose_plan(['api.example.com'], agents=['102', 101], control_agents=['Frankfurt, Germany (Azure)', 101],
                         directory=DIRECTORY)
    assert plan['errors'] == []
    assert plan['agent_ids'] == ['102', '101', '108']
    assert plan['tests'][0]['name'] == 'diagnose agent-to-server api.example.com from 101,102,108'
    # The alerting agent may be the one that went offline: a comparison agent that can report is enough.
    assert diagnose_plan(['api.example.com'], agents=['branch-ams-ea'], control_agents=[101], directory=DIRECTORY)['errors'] == []
    assert diagnose_plan(['api.example.com'], agents=['branch-ams-ea'], control_agents='branch-ams-ea\n',
                         directory=DIRECTORY)['errors'][0].startswith(
        'diagnose_agents and diagnose_control_agents: none of the agents can report')


def test_control_agent_errors_name_their_variable():
    plan = diagnose_plan(['api.example.com'], agents=[101], control_agents=[999, 'Frnkfurt, Germany', {'x': 1}])
    assert plan['errors'] == ["diagnose_control_agents: {'x': 1} is neither an agent name nor an agent ID."]
    plan = diagnose_plan(['api.example.com'], agents=[101], control_agents=[999, 'Frnkfurt, Germany'], directory=DIRECTORY)
    assert plan['errors'][0].startswith('diagnose_control_agents: no agent has the ID 999')
    assert plan['errors'][1].startswith("diagnose_control_agents: no agent is named 'Frnkfurt, Germany'")
    assert diagnose_plan(['api.example.com'], agents=[101], control_agents=5.5)['errors'] == [
        'diagnose_control_agents must be a list of agent names or IDs, got float.']


def test_unknown_and_ambiguous_agents_are_errors():
    plan = diagnose_plan(['api.example.com'], agents=['Frnkfurt, Germany', 999, 'lab-agent'], directory=DIRECTORY)
    assert plan['tests'] == []
    assert len(plan['errors']) == 3
    assert plan['errors'][0].startswith("diagnose_agents: no agent is named 'Frnkfurt, Germany'. Closest names: 'Frankfurt, Germany'")
    assert 'one agent per list item' not in plan['errors'][0]
    assert plan['errors'][1].startswith('diagnose_agents: no agent has the ID 999')
    assert plan['errors'][2].startswith("diagnose_agents: the agent name 'lab-agent' matches 2 agents: 204 (Lab, enterprise), 205")


ENDPOINTS = [
    dict(id='0f8fad5b-d9cb-469f-a165-70867728950e', name='alice-laptop', computer_name='ALICE-MBP', state='online'),
    dict(id='7c9e6679-7425-40de-944b-e07fc1f90ae7', name='bob-laptop', computer_name='BOB-THINKPAD', state='online'),
    dict(id='886313e1-3b8a-4372-9b90-0c9aee199e5d', name='dave-laptop', computer_name='DAVE-MBA', state='offline'),
    dict(id='16fd2706-8baf-433b-82eb-8c7fada847da', name='lab', computer_name='LAB-1', state='online'),
    dict(id='26fd2706-8baf-433b-82eb-8c7fada847da', name='lab', computer_name='LAB-2', state='online'),
]


def test_endpoint_agents_resolve_like_the_endpoint_module_and_the_survey_string_splits_on_lines():
    plan = diagnose_plan(['api.example.com'], agents=[101], endpoint_agents='alice-laptop\nBOB-THINKPAD\n0f8fad5b-d9cb-469f-a165-70867728950e',
                         directory=DIRECTORY, endpoint_directory=dict(changed=False, agents=ENDPOINTS))
    assert plan['errors'] == []
    assert plan['endpoint_agent_ids'] == ['0f8fad5b-d9cb-469f-a165-70867728950e', '7c9e6679-7425-40de-944b-e07fc1f90ae7']
    assert [agent['name'] for agent in plan['endpoint_agents']] == ['alice-laptop', 'bob-laptop']
    # Without them the plan has none, and nothing needs the listing.
    assert diagnose_plan(['api.example.com'], agents=[101], directory=DIRECTORY)['endpoint_agent_ids'] == []


def test_unknown_ambiguous_and_offline_endpoint_agents_are_errors_of_the_plan():
    plan = diagnose_plan(['api.example.com'], agents=[101], endpoint_agents=['alice-laptop', 'zed-laptop', 'lab', 'alise-laptop'],
                         directory=DIRECTORY, endpoint_directory=ENDPOINTS)
    assert plan['tests'] == [] and plan['endpoint_agent_ids'] == []
    assert len(plan['errors']) == 3
    assert plan['errors'][0].startswith("diagnose_endpoint_agents: no endpoint agent has the ID, name or computer name 'zed-laptop'; known ones: ")
    assert "'alice-laptop'" in plan['errors'][0] and 'netdiag.thousandeyes.endpoint_agent_info' in plan['errors'][0]
    assert plan['errors'][1].startswith("diagnose_endpoint_agents: 'lab' names 2 endpoint agents (16fd2706-")
    assert "'alise-laptop'; known ones: 'alice-laptop'" in plan['errors'][2]
    offline = diagnose_plan(['api.example.com'], agents=[101], endpoint_agents=['dave-laptop'], directory=DIRECTORY, endpoint_directory=ENDPOINTS)
    assert offline['errors'] == ['diagnose_endpoint_agents: none of the endpoint agents is online, so their tests could not report: '
                                 'dave-laptop (offline). Start the agents, or leave diagnose_endpoint_agents empty.']
    assert diagnose_plan(['api.example.com'], agents=[101], endpoint_agents=5.5)['errors'] == [
        'diagnose_endpoint_agents must be a list of agent names or IDs, got float.']
    # Blank lines name nobody: an endpoint test without agents would run on every endpoint agent.
    assert diagnose_input_errors(['api.example.com'], agents=[101], endpoint_agents='\n \n') == [
        "diagnose_endpoint_agents holds no agent name or ID ('\\n \\n'); leave it empty to test from the Cloud Agents only."]
    assert diagnose_input_errors(['api.example.com'], agents=[101], endpoint_agents='') == []
    assert diagnose_input_errors(['api.example.com'], agents=[101], endpoint_agents=[]) == []


def test_a_failed_endpoint_listing_is_one_error_that_says_what_to_change():
    refused = dict(failed=True, msg='Endpoint Agent instant tests and endpoint agents exist only in API v7 (v6 has no such calls): '
                   'set api_version to v7 (or TE_API_VERSION=v7) to use them. Nothing was sent.')
    plan = diagnose_plan(['api.example.com'], agents=[101], endpoint_agents=['alice-laptop'], directory=DIRECTORY, endpoint_directory=refused)
    assert plan['errors'] == ['diagnose_endpoint_agents: %s Leave diagnose_endpoint_agents empty to diagnose from the Cloud Agents only.'
                              % refused['msg']]
    assert plan['tests'] == []


def test_several_agents_in_one_string_get_the_hint():
    plan = diagnose_plan(['api.example.com'], agents=['Frankfurt, Germany, London, England'], directory=DIRECTORY)
    assert len(plan['errors']) == 1
    assert plan['errors'][0].startswith("diagnose_agents: no agent is named 'Frankfurt, Germany, London, England'")
    assert plan['errors'][0].count('several agent names') == 1
    assert plan['errors'][0].endswith("several agent names ('Frankfurt, Germany', 'London, England'): give one agent per "
                                      "list item.")
    plan = diagnose_plan(['api.example.com'], agents=['Paris, France, Rome, Italy'], directory=DIRECTORY)
    assert plan['errors'][0].endswith('If it holds several agents, give one agent per list item.')


@pytest.mark.parametrize('target, message', [
    ('shop.example.com/health', 'has a path but no scheme'),
    ('ftp://files.example.com/x', 'only http:// and https://'),
    ('https://user:secret@example.com/', 'credentials in the URL'),
    ('https://example.com:99999/', 'port must be a number'),
    ('db.example.com:port', 'must be a number'),
    ('db.example.com:70000', 'port must be a number'),
    ('bad_host!', 'is not a valid host name'),
    ('https:///path', 'no valid host name'),
    ('%s.example.com' % ('a' * 64), 'has 64 characters; a host name label has at most 63'),
    ('https://%s.example.com/' % ('a' * 64), 'no valid host name: the label'),
])
def test_bad_targets(target, message):
    with pytest.raises(DiagnoseInputError, match=message):
        parse_target(target)


def test_international_targets_as_punycode():
    # The modules' host rule: the API takes international names as punycode (IDNA).
    assert parse_target('https://bücher.example/') == dict(kind='url', host='xn--bcher-kva.example', port=443,
                                                           scheme='https', url='https://xn--bcher-kva.example/')
    assert parse_target('Bücher.example:8443') == dict(kind='host', host='xn--bcher-kva.example', port=8443)


def test_ipv6_targets():
    assert parse_target('[2001:db8::1]:8443') == dict(kind='host', host='2001:db8::1', port=8443)
    assert parse_target('2001:db8::1') == dict(kind='host', host='2001:db8::1', port=None)


def test_empty_inputs_and_bad_prefix_are_errors():
    plan = diagnose_plan([], agents=[], directory=DIRECTORY, prefix='two words')
    assert plan['errors'] == ["diagnose_test_prefix must be one word (no spaces), got 'two words'.",
                              'diagnose_targets is empty: give at least one URL or host name.',
                              'diagnose_agents is empty: give at least one agent name or ID.']


def test_long_names_are_shortened_stably_and_keep_the_agents():
    url = 'https://shop.example.com/' + 'x' * 200
    name = make_test_name('diagnose', 'http-server', url[8:], ['101'])
    assert len(name) == 120 and name.endswith(' from 101')
    assert name == make_test_name('diagnose', 'http-server', url[8:], ['101'])
    assert name != make_test_name('diagnose', 'http-server', url[8:] + 'y', ['101'])
    assert plan_for([url], tests=['http-server'])['tests'][0]['name'] == name


def test_prefix():
    plan = plan_for(['api.example.com'], agents=[101])
    assert diagnose_plan(['api.example.com'], agents=[101], directory=DIRECTORY, prefix='team-a')['tests'][0]['name'] == (
        plan['tests'][0]['name'].replace('diagnose', 'team-a', 1))


# Runs and waits --------------------------------------------------------------------------------------

def test_runs_pair_each_test_with_its_launch_and_rerun():
    plan = plan_for(['api.example.com'])
    created = dict(item=plan['tests'][0], test_id='1', outcome='created', test={'testId': '1'}, started_at='2026-11-26T10:00:00Z')
    unchanged = dict(item=plan['tests'][1], test_id='2', outcome='unchanged', test={'testId': '2'})
    rerun = dict(item=unchanged, test_id='2', started_at='2026-11-26T10:00:05Z', test={'testId': '2', 'fresh': True})
    runs = diagnose_runs(plan, dict(results=[created, unchanged]), dict(results=[rerun]))
    assert runs == [
        dict(name=plan['tests'][0]['name'], type='agent-to-server', target='api.example.com', test_id='1', outcome='created',
             rerun=False, started_at='2026-11-26T10:00:00Z', test={'testId': '1'}),
        dict(name=plan['tests'][1]['name'], type='dns-trace', target='api.example.com', test_id='2', outcome='unchanged',
             rerun=True, started_at='2026-11-26T10:00:05Z', test={'testId': '2', 'fresh': True}),
    ]
    assert diagnose_waits(runs) == [{'test': {'testId': '1'}, 'since': '2026-11-26T10:00:00Z'},
                                    {'test': {'testId': '2', 'fresh': True}, 'since': '2026-11-26T10:00:05Z'}]
    # A rerun loop that was skipped entirely (nothing unchanged) registers skipped results.
    assert diagnose_runs(plan, dict(results=[created, dict(created, test_id='3')]), dict(results=[], skipped=True))[1]['rerun'] is False


def test_runs_need_the_register_of_the_loop_over_the_plan():
    plan = plan_for(['api.example.com'])
    with pytest.raises(DiagnoseInputError, match='2 tests'):
        diagnose_runs(plan, dict(results=[]), None)
    with pytest.raises(DiagnoseInputError, match='diagnose_plan'):
        diagnose_runs(None, [], None)
    assert diagnose_waits([]) == []


@pytest.mark.parametrize('name, value, message', [
    ('diagnose_max_loss', -5, 'diagnose_max_loss must be a loss in percent from 0 to 100, got -5.'),
    ('diagnose_max_loss', 101, 'diagnose_max_loss must be a loss in percent from 0 to 100, got 101.'),
    ('diagnose_max_latency', 0, 'diagnose_max_latency must be a latency in milliseconds above 0, got 0.'),
    ('diagnose_max_response_time', 'slow', "diagnose_max_response_time must be a response time in milliseconds above 0, got 'slow'."),
    ('diagnose_expected_status', 999, 'diagnose_expected_status must be an HTTP status code from 100 to 599 (or 0 for any 2xx or 3xx '
                                      'status), got 999.'),
    ('diagnose_expected_status', 20.5, 'diagnose_expected_status must be an HTTP status code from 100 to 599 (or 0 for any 2xx or 3xx '
                                       'status), got 20.5.'),
    ('diagnose_wait_timeout', -1, 'diagnose_wait_timeout must be a number of seconds above 0, got -1.'),
    ('diagnose_wait_timeout', 'nan', "diagnose_wait_timeout must be a number of seconds above 0, got 'nan'."),
    ('diagnose_report_path', 'out/report.txt', "diagnose_report_path: 'out/report.txt' has the unknown suffix '.txt'; the suffix picks "
                                               "the report format: .md, .html, .json."),
    ('diagnose_report_path', 'report', "diagnose_report_path: 'report' has no suffix; the suffix picks the report format: .md, .html, .json."),
])
def test_a_bad_role_variable_is_named_with_what_it_takes(name, value, message):
    assert variable_errors({name: value}) == [message]
    assert message in diagnose_plan(['api.example.com'], agents=[101], variables={name: value})['errors']


@pytest.mark.parametrize('variables', [
    dict(diagnose_max_loss=0, diagnose_max_latency=0.5, diagnose_max_response_time='3000', diagnose_expected_status=0,
         diagnose_wait_timeout=1, diagnose_report_path=''),
    dict(diagnose_max_loss=100, diagnose_expected_status=599, diagnose_report_path='Report.HTML'),
    dict(diagnose_expected_status='204', diagnose_report_path='/tmp/report.json', diagnose_report_folder=None),
])
def test_sensible_role_variables_pass(variables):
    assert variable_errors(variables) == []


@pytest.mark.parametrize('folder, message', [
    (dict(exists=False), 'diagnose_report_path: the folder out does not exist; create it first or choose another path.'),
    (dict(exists=True, isdir=False), 'diagnose_report_path: out is not a folder; choose a path inside a folder.'),
    (dict(exists=True, isdir=True, writeable=False), 'diagnose_report_path: the folder out is not writable; choose a writable folder.'),
    (dict(exists=True, isdir=True, writeable=True), None),
])
def test_the_report_folder_must_exist_and_be_writable(folder, message):
    errors = variable_errors(dict(diagnose_report_path='out/report.md', diagnose_report_folder=folder))
    assert errors == ([message] if message else [])


def test_the_folder_of_a_bare_file_name_is_the_current_one():
    assert variable_errors(dict(diagnose_report_path='report.md', diagnose_report_folder=dict(exists=False))) == [
        'diagnose_report_path: the folder . does not exist; create it first or choose another path.']


def test_the_thresholds_of_a_run_are_built_once_with_the_plan():
    variables = dict(diagnose_max_loss='2.5', diagnose_max_latency=200, diagnose_max_response_time='', diagnose_expected_status='0')
    plan = diagnose_plan(['https://shop.example.com/'], agents=['Frankfurt, Germany'], directory=DIRECTORY, variables=variables)
    assert plan['errors'] == []
    assert plan['thresholds'] == dict(max_loss=2.5, max_latency=200.0, max_response_time=3000.0, expected_status=0, max_dns_time=None)
    wrong = diagnose_plan(['https://shop.example.com/'], agents=['Frankfurt, Germany'], directory=DIRECTORY, variables=dict(diagnose_max_loss=120))
    assert wrong['thresholds'] is None and wrong['errors'] == ['diagnose_max_loss must be a loss in percent from 0 to 100, got 120.']
    assert 'thresholds' not in diagnose_plan(['https://shop.example.com/'], agents=['Frankfurt, Germany'], directory=DIRECTORY)


def test_the_input_check_needs_no_request_builds_no_plan_and_words_errors_as_the_plan_does():
    variables = dict(diagnose_max_loss=120, diagnose_wait_timeout=30)
    errors = diagnose_input_errors(['shop example com', 'https://shop.example.com/'], agents='Frankfurt, Germany', tests=['ping'],
                                   variables=variables, endpoint_agents=5.5)
    assert errors == [
        'diagnose_max_loss must be a loss in percent from 0 to 100, got 120.',
        "diagnose_tests: unsupported test type 'ping'; the role runs agent-to-server, http-server, page-load, dns-trace, dns-dnssec.",
        'diagnose_endpoint_agents must be a list of agent names or IDs, got float.',
        "diagnose_targets: 'shop example com' has spaces: a URL or host name has none. Give one target per list item (or per line).",
    ]
    # The plan with the directory reports the same input errors first, in the same words, and plans nothing.
    plan = diagnose_plan(['shop example com', 'https://shop.example.com/'], agents='Frankfurt, Germany', tests=['ping'], variables=variables,
                         endpoint_agents=5.5, directory=DIRECTORY)
    assert plan['errors'] == errors and plan['tests'] == [] and plan['thresholds'] is None
    # A sound input has no error; unknown agents need the listing, so only the plan finds them.
    assert diagnose_input_errors(['api.example.com'], agents=['No such agent'], endpoint_agents=['zed-laptop']) == []
    assert diagnose_plan(['api.example.com'], agents=['No such agent'], directory=DIRECTORY)['errors'][0].startswith(
        "diagnose_agents: no agent is named 'No such agent'")
