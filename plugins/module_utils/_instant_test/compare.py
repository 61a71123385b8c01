# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Comparing a task's canonical fields with an existing test definition.

Private to this collection: may change at any time. Only the fields the task sets are compared, normalised:
0/1 equals false/true, enum-like words ignore case and dashes, ``server`` is split from its port, agents are compared
by ID (and source address when the task gives one), and a definition read without agents says nothing about them.
An api test's steps (``requests``) and ``predefinedVariables`` are the user's own text: compared exactly, but for the
enumerations of the schema (a step's method, authType and clientAuthentication, an assertion's name and operator).
"""

from __future__ import annotations

import re

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._masking import masked
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import split_host_port


def _as_bool(value):
    if isinstance(value, bool):
        return value
    if value in (0, 1, '0', '1'):
        return bool(int(value))
    if isinstance(value, str) and value.lower() in ('true', 'false'):
        return value.lower() == 'true'
    return None


def _enum_key(value):
    return re.sub(r'[-_]', '', value.lower())


def same_value(wanted, actual):
    """Whether an existing value satisfies a wanted one: only keys set are compared; 0/1 equals false/true;
    enum-like words ignore case and dashes (v6 FORCE_IPV4 = v7 force-ipv4); numbers compare by value."""
    if isinstance(wanted, dict):
        return isinstance(actual, dict) and all(same_value(value, actual.get(key)) for key, value in wanted.items())
    if isinstance(wanted, list):
        return isinstance(actual, list) and len(wanted) == len(actual) and all(map(same_value, wanted, actual))
    if isinstance(wanted, bool) or isinstance(actual, bool):
        return _as_bool(wanted) is not None and _as_bool(wanted) == _as_bool(actual)
    if isinstance(wanted, (int, float)) or isinstance(actual, (int, float)):
        try:
            return float(wanted) == float(actual)
        except (TypeError, ValueError):
            return False
    if isinstance(wanted, str) and isinstance(actual, str):
        if wanted == actual:
            return True
        if re.match(r'^[A-Za-z][A-Za-z0-9_-]*$', wanted):
            return _enum_key(wanted) == _enum_key(actual)
        return False
    return wanted == actual


# The enumerations of an api step (ApiRequest) and of its assertions: the only words there that ignore case.
API_STEP_ENUMS = frozenset(('method', 'authType', 'clientAuthentication'))
API_ASSERTION_ENUMS = frozenset(('name', 'operator'))


def _same_word(wanted, actual, enum):
    """Strings exactly (enumerations without case); booleans and numbers as everywhere."""
    if isinstance(wanted, str) and isinstance(actual, str):
        return wanted.lower() == actual.lower() if enum else wanted == actual
    return same_value(wanted, actual)


def _same_entries(wanted, actual, enums=frozenset()):
    """Lists of flat objects (headers, variables, assertions, predefined variables), in order, exactly."""
    if not isinstance(actual, list) or len(wanted) != len(actual):
        return False
    for want, have in zip(wanted, actual):
        if not isinstance(have, dict):
            return False
        if not all(_same_word(value, have.get(key), key in enums) for key, value in want.items()):
            return False
    return True


def same_steps(wanted, actual):
    """Whether an api test's answered steps satisfy the task's: the user's text exactly (names, URLs, bodies, header
    names and values, variables, assertion values), enumerations without case; write-only keys never compared."""
    if not isinstance(actual, list) or len(wanted) != len(actual):
        return False
    for step, have in zip(wanted, actual):
        if not isinstance(have, dict):
            return False
        for key, value in step.items():
            if key in WRITE_ONLY:
                continue
            if key == 'assertions':
                same = _same_entries(value, have.get(key), API_ASSERTION_ENUMS)
            elif isinstance(value, list):
                same = _same_entries(value, have.get(key))
            else:
                same = _same_word(value, have.get(key), key in API_STEP_ENUMS)
            if not same:
                return False
    return True


def comparable_existing(test, api):
    """The existing definition in canonical terms: server split from its port, agents and DNS servers flattened."""
    view = dict(test)
    if 'server' in test and isinstance(test['server'], str) and 'url' not in test:
        host, port = split_host_port(test['server'], 'server') if test['server'] else (test['server'], None)
        view['server'] = host
        if port is not None and test.get('port') is None:
            view['port'] = port
    if isinstance(test.get('agents'), list):
        view['agents'] = [(str(agent.get('agentId')), agent.get('sourceIpAddress')) for agent in test['agents']]
    if 'dnsServers' in test:
        view['dnsServers'] = sorted(_server_name(server) for server in test.get('dnsServers') or [])
    if test.get('targetAgentId') is not None:
        view['targetAgentId'] = str(test['targetAgentId'])
    if 'targetSipCredentials' not in test and test.get('sipRegistrar'):
        view['targetSipCredentials'] = dict((key, test[key]) for key in ('sipRegistrar', 'port', 'protocol', 'authUser', 'user')
                                            if test.get(key) is not None)
    view['type'] = api.test_type_from_api(test.get('type'))
    return view


def _server_name(server):
    name = server.get('serverName') if isinstance(server, dict) else server
    return (name or '').rstrip('.').lower()


# Secrets the API never echoes; a difference there cannot be seen. At any depth: the api type's steps carry
# their own password and bearerToken.
WRITE_ONLY = ('password', 'bearerToken', 'clientSecret')


def without_write_only(value):
    """The value without the WRITE_ONLY keys of its dicts, at any depth."""
    if isinstance(value, dict):
        return dict((key, without_write_only(item)) for key, item in value.items() if key not in WRITE_ONLY)
    if isinstance(value, list):
        return [without_write_only(item) for item in value]
    return value


def uncomparable_settings(settings, existing, api):
    """The settings keys a definition cannot confirm: write-only fields of the API version and keys it does not return.

    They never count as a difference, so that a field the API takes but never returns cannot recreate the test on every run.
    """
    return [key for key in settings or {} if key in api.write_only_fields or key not in existing]


def differences(wanted, existing, api, settings=None, secret_names=()):
    """Fields (canonical names) whose existing value differs; each as (name, before, after).

    ``settings``: the task's settings, whose uncomparable keys (``uncomparable_settings``) are left out.
    ``secret_names``: the predefined variables marked secret, whose values are never compared (as write-only fields).
    """
    view = comparable_existing(existing, api)
    skipped = set(uncomparable_settings(settings, existing, api))
    changed = []
    for key, value in wanted.items():
        if key in WRITE_ONLY or key == 'testName' or key in skipped:
            continue
        before = view.get(key)
        if key == 'agents':
            if 'agents' not in view:
                # A definition read without its agents says nothing about them: never take that for "no agents".
                continue
            have = dict(before or [])
            same = sorted(have) == sorted(agent['agentId'] for agent in value) and all(
                not agent.get('sourceIpAddress') or have.get(agent['agentId']) in (None, agent['sourceIpAddress']) for agent in value)
            if not same:
                changed.append((key, sorted(have), sorted(agent['agentId'] for agent in value)))
            continue
        if key == 'dnsServers':
            after = sorted(_server_name(server) for server in value)
            if before != after:
                changed.append((key, before, after))
            continue
        if key in ('server', 'domain') and isinstance(before, str):
            if before.lower() != value.lower():
                changed.append((key, before, value))
            continue
        value = without_write_only(value)
        if key == 'requests' and isinstance(value, list):
            if not same_steps(value, before):
                changed.append((key, before, value))
            continue
        if key == 'predefinedVariables' and isinstance(value, list):
            value = [dict((name, item) for name, item in pair.items() if name != 'value') if pair.get('name') in secret_names else pair
                     for pair in value]
            if not _same_entries(value, before):
                changed.append((key, before, value))
            continue
        if not same_value(value, before):
            changed.append((key, before, value))
    return changed


def diff_of(test, fields, api, secret_names=()):
    """Before/after of the set fields, for diff mode; ``secret_names``: the predefined variables marked secret."""
    view = comparable_existing(test, api) if test else {}
    keys = [key for key in fields if key not in WRITE_ONLY and key not in api.write_only_fields]
    before = dict((key, view.get(key)) for key in keys) if test else {}
    after = dict((key, without_write_only(fields[key])) for key in keys)
    if isinstance(before.get('requests'), list) and isinstance(after.get('requests'), list):
        # A step is compared on the keys the task sets (the API adds its defaults, collectApiResponse): shown the same way.
        before['requests'] = [dict((name, have.get(name)) for name in want) if isinstance(have, dict) and isinstance(want, dict) else have
                              for have, want in zip(before['requests'], after['requests'])] + before['requests'][len(after['requests']):]
    if 'agents' in after:
        after['agents'] = sorted(agent['agentId'] for agent in after['agents'])
        if test and 'agents' in view:
            before['agents'] = sorted(agent_id for agent_id, dummy in view['agents'])
        elif test:
            before['agents'] = after['agents']  # not in the definition: not compared
    # Shown as any definition is: credentials masked by the one rule (headers, URL user-info, secret variables).
    return {'before': masked(without_write_only(before), secret_names=secret_names), 'after': masked(after, secret_names=secret_names)}
