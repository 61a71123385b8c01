# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The part of Handlebars that the ThousandEyes webhook template of this collection uses, to render it in tests.

``{{path.to.value}}`` (HTML-escaped, as Handlebars does; an absent value renders empty), ``{{#each path}}...{{/each}}``
(the block once per element, with the element as the context) and ``{{#unless @last}}...{{/unless}}`` inside it.
Anything else fails, so that the template cannot grow a construct these tests do not render.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parents[4] / 'extensions' / 'eda' / 'webhook' / 'thousandeyes_webhook.json.hbs'
EACH = re.compile(r'\{\{#each ([\w.]+)\}\}(.*?)\{\{/each\}\}', re.DOTALL)
UNLESS_LAST = re.compile(r'\{\{#unless @last\}\}(.*?)\{\{/unless\}\}', re.DOTALL)
VALUE = re.compile(r'\{\{([\w.]+)\}\}')


def lookup(context, path):
    for key in path.split('.'):
        if key == 'size' and isinstance(context, list):
            return len(context)
        if not isinstance(context, dict):
            return None
        context = context.get(key)
    return context


def _values(text, context):
    def value(match):
        found = lookup(context, match.group(1))
        return '' if found is None else html.escape(str(found), quote=True)
    return VALUE.sub(value, text)


def render(template, notification):
    """The body ThousandEyes would send for ``notification`` (the variables of its webhook documentation)."""
    def each(match):
        items = lookup(notification, match.group(1)) or []
        parts = []
        for index, item in enumerate(items):
            block = UNLESS_LAST.sub(lambda unless: '' if index == len(items) - 1 else unless.group(1), match.group(2))
            parts.append(_values(block, item))
        return ''.join(parts)

    # Checked before the values go in: a value may hold "{{" (Handlebars renders values once, as text).
    skeleton = EACH.sub(lambda match: UNLESS_LAST.sub(lambda unless: unless.group(1), match.group(2)), template)
    unknown = VALUE.sub('', skeleton)
    if '{{' in unknown:
        raise ValueError('the template uses a construct that tests/unit/extensions/eda/handlebars.py does not render: %s'
                         % unknown[unknown.index('{{'):][:60])
    text = EACH.sub(each, template)
    return _values(text, notification)


def render_template(notification):
    return render(TEMPLATE.read_text(encoding='utf-8'), notification)


def notification(state='trigger', alert_id='a1b2c3', test_id='100001', test_name='shop health', test_type='http-server',
                 rule='HTTP errors > 1 agent', first_seen=1796284800, agents=(('101', 'Frankfurt, Germany'),),
                 targets=('https://shop.example.com/health',), cleared=None):
    """A ThousandEyes notification as its webhook documentation names the variables."""
    return {
        'id': 'n-' + alert_id,
        'type': {'id': 2 if state == 'trigger' else 1},
        'alert': {
            'id': alert_id,
            'severity': {'id': 'MAJOR'},
            'firstSeen': {'epochSecond': first_seen, 'epochMilli': first_seen * 1000},
            'timeCleared': {'epochSecond': cleared} if cleared else None,
            'rule': {'id': '9001', 'name': rule},
            'test': {'id': test_id, 'name': test_name, 'testType': test_type},
            'details': [{'source': {'id': agent_id, 'name': name}} for agent_id, name in agents],
            'targets': [{'description': target} for target in targets],
        },
    }
