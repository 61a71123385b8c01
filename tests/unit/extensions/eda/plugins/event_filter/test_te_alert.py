# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The event filter netdiag.thousandeyes.te_alert, loaded from its file as ansible-rulebook loads it, on payload variants
of the custom template and of the fixed-format integration; the webhook template rendered for trigger and clear
notifications; the alert for the playbook encoded as data; the two rulebooks kept the same but for the action."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
from pathlib import Path

import pytest
import yaml

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import TEST_TYPES
from ansible_collections.netdiag.thousandeyes.tests.unit.extensions.eda import fixed_format
from ansible_collections.netdiag.thousandeyes.tests.unit.extensions.eda.handlebars import notification, render_template

EDA = Path(__file__).resolve().parents[6] / 'extensions' / 'eda'


def load_filter(path):
    """The file's namespace, as runpy.run_path gives it to ansible-rulebook (run_path itself defers to the collection
    loader's path hook under ansible-test)."""
    namespace = {'__name__': '<run_path>', '__file__': str(path)}
    exec(compile(path.read_text(encoding='utf-8'), str(path), 'exec'), namespace)  # pylint: disable=exec-used
    return namespace


FILTER = load_filter(EDA / 'plugins' / 'event_filter' / 'te_alert.py')
main = FILTER['main']

FULL = {
    'alert_id': 'a1b2c3', 'state': 'trigger', 'severity': 'major', 'rule': 'HTTP errors > 1 agent', 'test_id': '100001',
    'test_name': 'shop health', 'test_type': 'http-server', 'agents': [{'id': '101', 'name': 'Frankfurt, Germany'}],
    'targets': ['https://shop.example.com/health'], 'first_seen': '2026-12-03T08:00:00Z', 'time_cleared': '',
    'notification_id': 'n-a1b2c3', 'event_type': '', 'missing': [],
}


@pytest.fixture(autouse=True)
def state_dir(tmp_path, monkeypatch):
    """The filter's storm state in a folder of the test's own."""
    monkeypatch.setenv('NETDIAG_EDA_STATE_DIR', str(tmp_path / 'state'))
    return tmp_path / 'state'


def event(payload):
    return {'payload': payload, 'meta': {'endpoint': 'thousandeyes', 'headers': {}}}


def te_alert(payload):
    return main(event(payload))['te_alert']


def test_the_template_renders_json_that_the_filter_reads_in_full():
    body = render_template(notification(agents=(('101', 'Frankfurt, Germany'), ('102', 'London, England'))))
    alert = te_alert(json.loads(body))
    assert alert == dict(FULL, agents=[{'id': '101', 'name': 'Frankfurt, Germany'}, {'id': '102', 'name': 'London, England'}])


def test_a_clear_notification_renders_valid_json_too():
    body = render_template(notification(state='clear', cleared=1796286600, agents=(), targets=()))
    alert = te_alert(json.loads(body))
    assert alert['state'] == 'clear' and alert['time_cleared'] == '2026-12-03T08:30:00Z'
    assert alert['agents'] == [] and alert['targets'] == []
    assert alert['missing'] == ['alert.details[].source', 'alert.targets[].description']


def test_names_with_quotes_and_ampersands_survive_the_template():
    body = render_template(notification(rule='Shop "checkout" & <cart>', test_name="O'Brien's test"))
    alert = te_alert(json.loads(body))
    assert alert['rule'] == 'Shop "checkout" & <cart>' and alert['test_name'] == "O'Brien's test"


@pytest.mark.parametrize('type_id, state', [(2, 'trigger'), ('2', 'trigger'), (1, 'clear'), ('1', 'clear'), (2.0, 'trigger'),
                                            (3, ''), ('', ''), (None, '')])
def test_state_from_type_id_as_number_or_string(type_id, state):
    payload = {'type': {'id': type_id}, 'alert': {'id': 'x'}}
    assert te_alert(payload)['state'] == state
    # Some templates send the type bare, as the vendor's example rulebooks compare it.
    assert te_alert({'type': type_id, 'alert': {'id': 'x'}})['state'] == state
    assert ('type.id' in te_alert(payload)['missing']) is (state == '')


def test_the_documented_variables_as_plain_values_work_too():
    # firstSeen as epoch seconds, epoch milliseconds or an ISO time; severity as a string; IDs as numbers.
    payload = {'id': 77, 'type': {'id': '2'}, 'alert': {
        'id': 123, 'severity': 'Critical', 'firstSeen': 1796284800, 'rule': {'name': 'r'},
        'test': {'id': 100001, 'name': 't', 'testType': 'DNS Trace'},
        'details': [{'source': {'id': 101, 'name': 'Frankfurt, Germany'}}], 'targets': [{'description': 'example.com'}]}}
    alert = te_alert(payload)
    assert alert['alert_id'] == '123' and alert['test_id'] == '100001' and alert['notification_id'] == '77'
    assert alert['severity'] == 'critical' and alert['test_type'] == 'dns-trace'
    assert alert['agents'] == [{'id': '101', 'name': 'Frankfurt, Germany'}]
    assert alert['first_seen'] == '2026-12-03T08:00:00Z' and alert['missing'] == []
    for first_seen in (1796284800000, '1796284800', {'epochMilli': '1796284800000'}, '2026-12-03T08:00:00Z', '2026-12-03 08:00:00',
                       '2026-12-03T09:00:00+01:00'):
        payload['alert']['firstSeen'] = first_seen
        assert te_alert(payload)['first_seen'] == '2026-12-03T08:00:00Z', first_seen


@pytest.mark.parametrize('spelling, name', [('http-server', 'http-server'), ('HTTP Server', 'http-server'), ('agent_to_server', 'agent-to-server'),
                                            ('dnssec', 'dns-dnssec'), ('DNSSEC', 'dns-dnssec'), ('Page Load', 'page-load'),
                                            ('transactions', 'web-transactions'), ('RTP Stream', 'voice'), ('bgp', 'bgp')])
def test_test_types_in_the_collection_spelling(spelling, name):
    assert te_alert({'type': {'id': 2}, 'alert': {'test': {'testType': spelling}}})['test_type'] == name


def test_agents_and_targets_are_deduplicated_and_odd_entries_skipped():
    payload = {'type': {'id': 2}, 'alert': {
        'details': [{'source': {'id': '101', 'name': 'Frankfurt, Germany'}}, {'source': {'id': '101', 'name': 'Frankfurt, Germany'}},
                    {'source': None}, 'junk', {'metricsAtStart': 'loss 20%'}, {'source': {'name': 'branch-ams-ea'}}],
        'targets': [{'description': 'https://a.example.com/'}, {'description': 'https://a.example.com/'}, {'description': ''}, 7,
                    {'other': 1}]}}
    alert = te_alert(payload)
    assert alert['agents'] == [{'id': '101', 'name': 'Frankfurt, Germany'}, {'id': '', 'name': 'branch-ams-ea'}]
    assert alert['targets'] == ['https://a.example.com/', '7']


ODD_PAYLOADS = [None, 'not json', [], 42, {}, {'alert': 'text'},
                {'alert': {'rule': 'text', 'test': [1], 'details': {'a': 1}, 'targets': 'x'}}]


@pytest.mark.parametrize('payload', ODD_PAYLOADS)
def test_unknown_payloads_give_empty_values_and_say_what_was_missing(payload):
    alert = te_alert(payload)
    assert set(alert) == set(FULL)
    assert alert['state'] == '' and alert['alert_id'] == '' and alert['agents'] == [] and alert['first_seen'] == ''
    assert alert['missing']
    if not isinstance(payload, dict):
        assert alert['missing'] == ['payload']
    else:
        assert {'type.id', 'alert.id', 'alert.test.id', 'alert.details[].source'} <= set(alert['missing'])


def test_a_payload_sent_as_a_json_string_is_read():
    assert te_alert(json.dumps({'type': {'id': 2}, 'alert': {'id': 'x'}}))['alert_id'] == 'x'


def test_bad_times_give_an_empty_first_seen():
    for value in ('yesterday', 10 ** 30, -10 ** 20, {'epochSecond': None}, True):
        alert = te_alert({'type': {'id': 2}, 'alert': {'firstSeen': value}})
        assert alert['first_seen'] == '' and 'alert.firstSeen' in alert['missing']


def test_the_event_keeps_its_keys_and_events_that_are_not_dicts_pass_unchanged():
    original = event({'type': {'id': 2}, 'alert': {'id': 'x'}})
    result = main(copy.deepcopy(original))
    assert result['payload'] == original['payload'] and result['meta'] == original['meta']
    assert main(['a']) == ['a'] and main(None) is None


def test_an_unexpected_failure_inside_never_escapes(monkeypatch):
    def broken(payload):
        if payload is not None:
            raise RuntimeError('boom')
        return dict.fromkeys(FULL, '') | {'missing': ['payload']}
    monkeypatch.setitem(main.__globals__, 'normalise', broken)
    assert main(event({'type': {'id': 2}}))['te_alert']['missing'] == ['payload']


def test_the_rulebooks_differ_only_in_how_they_launch_the_diagnosis():
    rulebooks = dict((path.name, yaml.safe_load(path.read_text(encoding='utf-8'))) for path in (EDA / 'rulebooks').glob('*.yml'))
    tls = rulebooks.pop('diagnose_on_alert_tls.yml')
    assert set(rulebooks) == {'diagnose_on_alert.yml', 'diagnose_on_alert_job_template.yml'}
    local, controller = rulebooks['diagnose_on_alert.yml'][0], rulebooks['diagnose_on_alert_job_template.yml'][0]
    local_action = local['rules'][0].pop('action')
    local_extra_vars_state_dir = local_action['run_playbook']['extra_vars'].pop('diagnose_alert_state_dir')
    controller_action = controller['rules'][0].pop('action')
    assert local == controller
    assert local_action == {'run_playbook': {'name': 'netdiag.thousandeyes.diagnose_alert', 'extra_vars': {'te_alert': '{{ event.te_alert_data }}'}}}
    assert controller_action['run_job_template']['job_args'] == {'extra_vars': {'te_alert': '{{ event.te_alert_data }}'}}
    source = local['sources'][0]
    assert source['filters'] == [{'netdiag.thousandeyes.te_alert': None}]
    assert '127.0.0.1' in source['eda.builtin.webhook']['host'] and 'te_webhook_token' in source['eda.builtin.webhook']['token']
    assert local['rules'][0]['condition'] == 'event.te_alert.state == "trigger"'
    assert local['rules'][0]['throttle']['group_by_attributes'] == ['event.te_alert.test_id']
    assert local_extra_vars_state_dir == '{{ event.te_alert_state_dir }}'


INJECTIONS = ("{{ lookup('pipe', 'touch /tmp/te-alert-injected') }}", "{% for x in range(3) %}{{ x }}{% endfor %}", '{# note #} agent')


def test_the_alert_for_the_playbook_is_data_without_template_characters():
    """te_alert_data holds the alert as base64 of its JSON: no {, % or # for ansible-core to render, and nothing that
    ansible-rulebook's native rendering could read as a Python literal."""
    rule, test_name, agent = INJECTIONS
    body = render_template(notification(rule=rule, test_name=test_name, agents=(('101', agent),)))
    result = main(event(json.loads(body)))
    alert = result['te_alert']
    assert alert['rule'] == rule and alert['test_name'] == test_name and alert['agents'] == [{'id': '101', 'name': agent}]
    data = result['te_alert_data']
    assert isinstance(data, str) and set(data) <= set('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=')
    assert json.loads(base64.b64decode(data)) == alert
    # Every notification gets it, an empty or odd one too.
    assert json.loads(base64.b64decode(main(event(None))['te_alert_data']))['missing'] == ['payload']


def test_the_fixed_format_trigger_reads_into_the_same_te_alert():
    alert = te_alert(fixed_format.TRIGGER)
    assert alert == dict(FULL, alert_id='35541', severity='', rule='Default Page Load Alert Rule', test_id='5370',
                         test_name='http://www.example.com', test_type='page-load', agents=[{'id': '108', 'name': 'Boston, MA'}],
                         targets=[], first_seen='2014-08-24T01:01:47Z', notification_id='49-35541',
                         event_type='ALERT_NOTIFICATION_TRIGGER')


def test_the_fixed_format_clear_is_a_clear():
    alert = te_alert(fixed_format.CLEAR)
    assert alert['state'] == 'clear' and alert['alert_id'] == '35541' and alert['time_cleared'] == '2014-08-24T01:09:47Z'
    assert alert['event_type'] == 'ALERT_NOTIFICATION_CLEAR' and alert['missing'] == []


@pytest.mark.parametrize('payload, event_type', [(fixed_format.WEBHOOK_TEST, 'WEBHOOK_TEST'),
                                                 (fixed_format.AGENT_TRIGGER, 'AGENT_ALERT_NOTIFICATION_TRIGGER'),
                                                 (fixed_format.AGENT_CLEAR, 'AGENT_ALERT_NOTIFICATION_CLEAR')])
def test_webhook_tests_and_agent_notifications_give_no_trigger_and_say_what_they_were(payload, event_type, caplog):
    with caplog.at_level('INFO'):
        alert = te_alert(payload)
    assert alert['state'] == '' and alert['event_type'] == event_type and alert['test_id'] == ''
    assert set(alert) == set(FULL)
    assert 'a %s notification, not an alert of a test' % event_type in caplog.text
    if event_type.startswith('AGENT_'):
        assert alert['agents'] == [{'id': '2001', 'name': 'branch-ams-ea'}] and alert['rule'] == 'Agent clock offset'


@pytest.mark.parametrize('display, name', [('HTTP Server', 'http-server'), ('Page Load', 'page-load'), ('DNS+ Domain', 'dns-trace'),
                                           ('DNS Server', 'dns-server'), ('Web Transactions', 'web-transactions'), ('API', 'api'),
                                           ('BGP', 'bgp')])
def test_the_fixed_formats_display_types_in_the_collection_spelling(display, name):
    assert te_alert(dict(fixed_format.TRIGGER, alert=dict(fixed_format.TRIGGER['alert'], type=display)))['test_type'] == name


def test_a_fixed_format_trigger_without_its_alert_says_what_it_lacks():
    alert = te_alert({'eventType': 'ALERT_NOTIFICATION_TRIGGER'})
    assert alert['state'] == 'trigger' and alert['test_id'] == ''
    assert alert['missing'] == ['alert.alertId', 'alert.ruleName', 'alert.testId', 'alert.testName', 'alert.type', 'alert.dateStart',
                                'eventId', 'alert.agents[]']


def test_one_table_of_test_types_for_the_filter_the_playbook_and_the_modules():
    playbook = yaml.safe_load((EDA.parents[1] / 'playbooks' / 'diagnose_alert.yml').read_text(encoding='utf-8'))
    assert list(FILTER['TEST_TYPES']) == list(TEST_TYPES)
    assert playbook[0]['vars']['alert_known_types'] == list(TEST_TYPES)
    assert set(FILTER['TEST_TYPE_ALIASES'].values()) <= set(TEST_TYPES)


def test_the_tls_rulebook_is_diagnose_on_alert_with_a_certificate():
    rulebooks = dict((path.name, yaml.safe_load(path.read_text(encoding='utf-8'))) for path in (EDA / 'rulebooks').glob('*.yml'))
    local, tls = rulebooks['diagnose_on_alert.yml'][0], rulebooks['diagnose_on_alert_tls.yml'][0]
    webhook = tls['sources'][0]['eda.builtin.webhook']
    assert webhook.pop('certfile') == '{{ te_webhook_certfile }}' and webhook.pop('keyfile') == '{{ te_webhook_keyfile }}'
    assert tls == local


def test_a_clear_leaves_a_mark_in_the_state_folder_that_a_new_trigger_removes(state_dir):
    cleared = state_dir / 'cleared' / hashlib.sha1(b'a1b2c3').hexdigest()
    result = main(event(json.loads(render_template(notification(state='clear', cleared=1796286600)))))
    assert result['te_alert_state_dir'] == str(state_dir)
    assert cleared.read_text(encoding='utf-8') == '2026-12-03T08:30:00Z'
    main(event(json.loads(render_template(notification(alert_id='other')))))
    assert cleared.exists()
    main(event(json.loads(render_template(notification()))))
    assert not cleared.exists()
    # Nothing for a webhook test or an alert without an ID.
    main(event(fixed_format.WEBHOOK_TEST))
    main(event({'type': {'id': 1}, 'alert': {}}))
    assert sorted(path.name for path in (state_dir / 'cleared').iterdir()) == []


def test_a_state_folder_that_cannot_be_written_is_logged_never_raised(tmp_path, monkeypatch, caplog):
    (tmp_path / 'file').write_text('x')
    monkeypatch.setenv('NETDIAG_EDA_STATE_DIR', str(tmp_path / 'file' / 'state'))
    alert = te_alert(fixed_format.CLEAR)
    assert alert['state'] == 'clear'
    assert 'could not keep the state of alert 35541' in caplog.text
