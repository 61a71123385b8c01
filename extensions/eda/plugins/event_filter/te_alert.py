# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event filter netdiag.thousandeyes.te_alert: a ThousandEyes alert notification as one flat, predictable dict.

ansible-rulebook loads this file on its own (runpy), so it imports nothing from the collection: standard library only.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import os
from datetime import datetime, timezone
from typing import Any

DOCUMENTATION = r'''
---
short_description: Turn a ThousandEyes alert notification into event.te_alert
description:
  - An ansible-rulebook event filter for the webhook notifications that ThousandEyes sends for its alert rules, rendered
    with the custom webhook template of this collection (C(extensions/eda/webhook/thousandeyes_webhook.json.hbs)).
  - It reads C(event.payload) and adds C(event.te_alert) with the keys C(alert_id), C(state) (C(trigger) or C(clear),
    from C(type.id) 2 or 1, a number or a string), C(severity), C(rule) (the alert rule's name), C(test_id), C(test_name),
    C(test_type) (the collection's spelling, for example C(http-server) or C(dns-dnssec)), C(agents) (a list of C(id) and
    C(name) from C(alert.details[].source)), C(targets) (strings from C(alert.targets[].description)), C(first_seen) and
    C(time_cleared) (ISO 8601 UTC times, from epoch seconds or milliseconds), C(notification_id), and C(missing).
  - It never raises on a payload it does not know. A value that is absent or empty gives an empty string (or an empty
    list), and its path in the payload (for example C(alert.rule.name)) is listed in C(missing), so that a rule or a
    playbook can say what the notification lacked. An unknown C(type.id) gives an empty C(state).
  - Strings are HTML-unescaped, since the webhook template language escapes C(&), C(<), C(>) and quotes.
  - It reads the body of ThousandEyes' fixed-format webhook integration too (no template): C(eventType)
    C(ALERT_NOTIFICATION_TRIGGER) or C(ALERT_NOTIFICATION_CLEAR) gives C(state) C(trigger) or C(clear), with the alert from
    C(alert.alertId), C(alert.ruleName), C(alert.testId), C(alert.testName), C(alert.type), C(alert.agents[]),
    C(alert.dateStart), C(alert.dateEnd) and C(eventId). C(WEBHOOK_TEST) and agent notifications
    (C(AGENT_ALERT_NOTIFICATION_TRIGGER), C(AGENT_ALERT_NOTIFICATION_CLEAR)) give an empty C(state), so no diagnosis.
    C(event_type) holds the C(eventType) as sent (empty for the custom template).
  - It also adds C(event.te_alert_data), the same alert as base64 of its JSON, for the playbook's extra vars: ansible-core
    renders C({{ }}) and C({% %}) in the strings of extra vars when a task uses them, and a rule, test or agent name is
    written by whoever edits the ThousandEyes account. base64 holds no template characters, and the JSON that the
    playbook decodes from it (C(b64decode | from_json)) is data that ansible-core never renders.
  - It keeps the storm state of the rulebook in one folder, C(event.te_alert_state_dir) (the environment variable
    E(NETDIAG_EDA_STATE_DIR), by default C(~/.local/state/netdiag.thousandeyes/eda)): a clear notification creates
    C(cleared/<sha1 of the alert ID>) holding the time it cleared, a trigger of the same alert removes it. The playbook
    skips a diagnosis whose alert has such a file when it starts, and keeps C(targets/<sha1 of the target>) there for
    its window. The filter writes nothing else, and a folder it cannot write is logged, never raised.
options: {}
'''

EXAMPLES = r'''
- name: Diagnose ThousandEyes alerts
  hosts: localhost
  sources:
    - eda.builtin.webhook:
        host: 127.0.0.1
        port: 5000
        token: "{{ te_webhook_token }}"
      filters:
        - netdiag.thousandeyes.te_alert:
  rules:
    - name: A ThousandEyes alert triggered
      condition: event.te_alert.state == "trigger"
      action:
        debug:
          msg: "Alert {{ event.te_alert.alert_id }} ({{ event.te_alert.rule }}) on test {{ event.te_alert.test_id }}"
'''

LOGGER = logging.getLogger(__name__)

STATES = {'1': 'clear', '2': 'trigger'}
# eventType of the fixed-format webhook integration.
FIXED_STATES = {'ALERT_NOTIFICATION_TRIGGER': 'trigger', 'ALERT_NOTIFICATION_CLEAR': 'clear'}
AGENT_EVENT_TYPES = ('AGENT_ALERT_NOTIFICATION_TRIGGER', 'AGENT_ALERT_NOTIFICATION_CLEAR')

# The collection's test type names (the instant_test type option; a copy of plugins/module_utils/_model.py's TEST_TYPES,
# which this file cannot import: a unit test keeps the two equal), and how alerts may spell them otherwise.
TEST_TYPES = ('agent-to-server', 'agent-to-agent', 'http-server', 'page-load', 'web-transactions', 'ftp-server', 'dns-trace',
              'dns-server', 'dns-dnssec', 'sip-server', 'voice', 'api')
TEST_TYPE_ALIASES = {
    'dnssec': 'dns-dnssec',
    'dns-sec': 'dns-dnssec',
    'transactions': 'web-transactions',
    'web-transaction': 'web-transactions',
    'transaction': 'web-transactions',
    'rtp-stream': 'voice',
    'rtp-server': 'voice',
    'sip': 'sip-server',
    'http': 'http-server',
    'ftp': 'ftp-server',
    # Display names of the fixed-format integration's alert.type.
    'dns-trace-domain': 'dns-trace',
    'dns-server-domain': 'dns-server',
    'dns-domain': 'dns-trace',
    'dns-dnssec-domain': 'dns-dnssec',
    'network': 'agent-to-server',
    'network-agent-to-server': 'agent-to-server',
    'network-agent-to-agent': 'agent-to-agent',
    'voice-rtp-stream': 'voice',
    'voice-sip-server': 'sip-server',
    'web-http-server': 'http-server',
    'web-page-load': 'page-load',
    'web-transaction-scripted': 'web-transactions',
    'web-ftp-server': 'ftp-server',
    'api-test': 'api',
}

# The folder of the storm state (one for the filter and the playbook, on the rulebook's host).
STATE_DIR_VARIABLE = 'NETDIAG_EDA_STATE_DIR'
DEFAULT_STATE_DIR = os.path.join('~', '.local', 'state', 'netdiag.thousandeyes', 'eda')

# Epoch values above this are milliseconds (in seconds it would be the year 5138).
MILLISECONDS_FROM = 10 ** 11


def _text(value: Any) -> str:
    """A scalar as a stripped string, HTML-unescaped; '' for None, containers and booleans."""
    if value is None or isinstance(value, (bool, dict, list, tuple)):
        return ''
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return html.unescape(str(value)).strip()


def _get(tree: Any, path: str) -> Any:
    """The value at a dotted path of nested dicts, None where a step is missing."""
    for key in path.split('.'):
        if not isinstance(tree, dict):
            return None
        tree = tree.get(key)
    return tree


def _scalar(value: Any, *keys: str) -> Any:
    """A value that may come as itself or wrapped in a dict (``{"id": ...}``, ``{"epochSecond": ...}``)."""
    if isinstance(value, dict):
        for key in keys:
            if value.get(key) not in (None, ''):
                return value[key]
        return None
    return value


def _iso_time(value: Any) -> str:
    """Epoch seconds or milliseconds (number or digits), or an ISO 8601 time, as ``YYYY-MM-DDTHH:MM:SSZ``; '' otherwise."""
    value = _scalar(value, 'epochSecond', 'epochMilli')
    text = _text(value)
    if not text:
        return ''
    try:
        number = float(text)
    except ValueError:
        number = None
    try:
        if number is not None:
            if number >= MILLISECONDS_FROM:
                number /= 1000.0
            moment = datetime.fromtimestamp(number, tz=timezone.utc)
        else:
            moment = datetime.fromisoformat(text.replace(' ', 'T', 1))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
    except (ValueError, OverflowError, OSError):
        return ''
    return moment.astimezone(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def _test_type(value: Any) -> str:
    """The collection's name of a test type (``HTTP Server``, ``http_server`` and ``http-server`` alike); other values
    lower-cased with dashes."""
    text = '-'.join(''.join(char if char.isalnum() else ' ' for char in _text(value).lower()).split())
    return TEST_TYPE_ALIASES.get(text, text)


def _state(payload: dict) -> str:
    """trigger or clear from type.id (or a bare type, as some templates send it); '' for anything else."""
    return STATES.get(_text(_scalar(payload.get('type'), 'id')), '')


def _agents(details: Any) -> list:
    agents = []
    for detail in details if isinstance(details, list) else []:
        source = detail.get('source') if isinstance(detail, dict) else None
        if not isinstance(source, dict):
            continue
        agent = {'id': _text(source.get('id')), 'name': _text(source.get('name'))}
        if (agent['id'] or agent['name']) and agent not in agents:
            agents.append(agent)
    return agents


def _targets(targets: Any) -> list:
    found = []
    for target in targets if isinstance(targets, list) else []:
        description = _text(target.get('description') if isinstance(target, dict) else target)
        if description and description not in found:
            found.append(description)
    return found


def _payload(event: dict) -> Any:
    payload = event.get('payload')
    if isinstance(payload, str):
        # A body that was sent as a JSON string holding the JSON object.
        try:
            payload = json.loads(payload)
        except ValueError:
            return None
    return payload


def _fixed_agents(agents: Any) -> list:
    found = []
    for agent in agents if isinstance(agents, list) else []:
        if not isinstance(agent, dict):
            continue
        entry = {'id': _text(agent.get('agentId')), 'name': _text(agent.get('agentName'))}
        if (entry['id'] or entry['name']) and entry not in found:
            found.append(entry)
    return found


def _empty(event_type: str = '') -> dict:
    return {'alert_id': '', 'state': '', 'severity': '', 'rule': '', 'test_id': '', 'test_name': '', 'test_type': '', 'agents': [],
            'targets': [], 'first_seen': '', 'time_cleared': '', 'notification_id': '', 'event_type': event_type, 'missing': []}


def _normalise_fixed(payload: dict, event_type: str) -> dict:
    """``te_alert`` for a body of the fixed-format webhook integration (``eventType``)."""
    te_alert = _empty(event_type)
    te_alert['notification_id'] = _text(payload.get('eventId'))
    if event_type in AGENT_EVENT_TYPES:
        # An agent notification (clock offset, version, online state): no test, nothing to diagnose.
        agent = payload.get('agentAlert') if isinstance(payload.get('agentAlert'), dict) else {}
        te_alert['rule'] = _text(agent.get('ruleName'))
        te_alert['agents'] = _fixed_agents([agent])
        te_alert['first_seen'] = _iso_time(agent.get('dateStart'))
        te_alert['time_cleared'] = _iso_time(agent.get('dateEnd'))
        return te_alert
    state = FIXED_STATES.get(event_type, '')
    if not state:
        # WEBHOOK_TEST (the integration's Test link) or an event type this filter does not know.
        return te_alert
    missing = te_alert['missing']
    alert = payload.get('alert') if isinstance(payload.get('alert'), dict) else {}

    def field(path: str, value: str) -> str:
        if not value:
            missing.append(path)
        return value

    te_alert.update({
        'alert_id': field('alert.alertId', _text(alert.get('alertId'))),
        'state': state,
        'rule': field('alert.ruleName', _text(alert.get('ruleName'))),
        'test_id': field('alert.testId', _text(alert.get('testId'))),
        'test_name': field('alert.testName', _text(alert.get('testName'))),
        'test_type': field('alert.type', _test_type(alert.get('type'))),
        'agents': _fixed_agents(alert.get('agents')),
        'first_seen': field('alert.dateStart', _iso_time(alert.get('dateStart'))),
        'time_cleared': _iso_time(alert.get('dateEnd')),
    })
    if not te_alert['notification_id']:
        missing.append('eventId')
    if not te_alert['agents']:
        missing.append('alert.agents[]')
    return te_alert


def normalise(payload: Any) -> dict:
    """``te_alert`` for one notification payload."""
    if isinstance(payload, dict) and _text(payload.get('eventType')):
        return _normalise_fixed(payload, _text(payload.get('eventType')).upper())
    missing = []
    if not isinstance(payload, dict):
        payload = {}
        missing.append('payload')

    def field(path: str, value: str) -> str:
        if not value and 'payload' not in missing:
            missing.append(path)
        return value

    alert = payload.get('alert') if isinstance(payload.get('alert'), dict) else {}
    state = _state(payload)
    if not state and 'payload' not in missing:
        missing.append('type.id')
    te_alert = {
        'alert_id': field('alert.id', _text(_scalar(alert.get('id'), 'id'))),
        'state': state,
        'severity': field('alert.severity', _text(_scalar(alert.get('severity'), 'id', 'name')).lower()),
        'rule': field('alert.rule.name', _text(_get(alert, 'rule.name'))),
        'test_id': field('alert.test.id', _text(_get(alert, 'test.id'))),
        'test_name': field('alert.test.name', _text(_get(alert, 'test.name'))),
        'test_type': field('alert.test.testType', _test_type(_get(alert, 'test.testType'))),
        'agents': _agents(alert.get('details')),
        'targets': _targets(alert.get('targets')),
        'first_seen': field('alert.firstSeen', _iso_time(alert.get('firstSeen'))),
        # Empty on a trigger, so never "missing".
        'time_cleared': _iso_time(alert.get('timeCleared')),
        'notification_id': field('id', _text(payload.get('id'))),
        'event_type': '',
    }
    if not te_alert['agents'] and 'payload' not in missing:
        missing.append('alert.details[].source')
    if not te_alert['targets'] and 'payload' not in missing:
        missing.append('alert.targets[].description')
    te_alert['missing'] = missing
    return te_alert


def encode(te_alert: dict) -> str:
    """The alert for the playbook's extra vars: base64 of its JSON. No template character survives in it (ansible-core
    would render one in an extra var), and ansible-rulebook's native rendering of ``{{ event.te_alert_data }}`` cannot
    mistake it for a Python literal (it would turn a JSON text back into a dict of template strings)."""
    return base64.b64encode(json.dumps(te_alert, sort_keys=True).encode('utf-8')).decode('ascii')


def state_dir() -> str:
    return os.path.abspath(os.path.expanduser(os.environ.get(STATE_DIR_VARIABLE) or DEFAULT_STATE_DIR))


def record(te_alert: dict, folder: str) -> None:
    """A clear leaves cleared/<sha1 of the alert ID> (its time inside); a trigger of the same alert removes it."""
    if te_alert['state'] not in ('trigger', 'clear') or not te_alert['alert_id']:
        return
    cleared = os.path.join(folder, 'cleared')
    path = os.path.join(cleared, hashlib.sha1(te_alert['alert_id'].encode('utf-8')).hexdigest())
    if te_alert['state'] == 'trigger':
        if os.path.exists(path):
            os.remove(path)
        return
    os.makedirs(cleared, mode=0o700, exist_ok=True)
    with open(path, 'w', encoding='utf-8') as stamp:
        stamp.write(te_alert['time_cleared'] or datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'))


def main(event: Any) -> Any:
    """Add ``te_alert`` and ``te_alert_data`` to the event; never raises (an event that is not a dict passes unchanged)."""
    if not isinstance(event, dict):
        LOGGER.warning('te_alert: the event is a %s, not a dict: passed on unchanged.', type(event).__name__)
        return event
    try:
        te_alert = normalise(_payload(event))
    except Exception:  # pylint: disable=broad-exception-caught
        # A payload shape this filter did not foresee must not stop the event source.
        LOGGER.exception('te_alert: could not read the notification payload.')
        te_alert = normalise(None)
    if te_alert['event_type'] and not te_alert['state']:
        LOGGER.info('te_alert: a %s notification, not an alert of a test: nothing to diagnose.', te_alert['event_type'])
    if te_alert['missing']:
        LOGGER.warning('te_alert: the notification lacks %s.', ', '.join(te_alert['missing']))
    event['te_alert'] = te_alert
    event['te_alert_data'] = encode(te_alert)
    event['te_alert_state_dir'] = state_dir()
    try:
        record(te_alert, event['te_alert_state_dir'])
    except OSError as error:
        LOGGER.warning('te_alert: could not keep the state of alert %s in %s: %s', te_alert['alert_id'], event['te_alert_state_dir'], error)
    return event
