# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event filter netdiag.thousandeyes.te_alert: a ThousandEyes alert notification as one flat, predictable dict.

ansible-rulebook loads this file on its own (runpy), so it imports nothing from the collection: standard library only.
"""

from __future__ import annotations

import html
import json
import logging
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

# The collection's test type names (the instant_test type option), and how alerts may spell them otherwise.
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
}

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


def normalise(payload: Any) -> dict:
    """``te_alert`` for one notification payload."""
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
    }
    if not te_alert['agents'] and 'payload' not in missing:
        missing.append('alert.details[].source')
    if not te_alert['targets'] and 'payload' not in missing:
        missing.append('alert.targets[].description')
    te_alert['missing'] = missing
    return te_alert


def main(event: Any) -> Any:
    """Add ``te_alert`` to the event; never raises (an event that is not a dict passes unchanged)."""
    if not isinstance(event, dict):
        LOGGER.warning('te_alert: the event is a %s, not a dict: passed on unchanged.', type(event).__name__)
        return event
    try:
        te_alert = normalise(_payload(event))
    except Exception:  # pylint: disable=broad-exception-caught
        # A payload shape this filter did not foresee must not stop the event source.
        LOGGER.exception('te_alert: could not read the notification payload.')
        te_alert = normalise(None)
    if te_alert['missing']:
        LOGGER.warning('te_alert: the notification lacks %s.', ', '.join(te_alert['missing']))
    event['te_alert'] = te_alert
    return event
