# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one masking rule for every place a test definition is shown: module results, diffs, error messages, reports.

Private to this collection: may change at any time. A value is a credential when

- its key is named like one (``is_credential_name``: passwords, secrets, tokens, authorization, API and auth keys,
  cookies, session identifiers, client certificates and private keys), also as a ``{key, value}`` header or a
  ``{name, value}`` predefined variable of an api test;
- it is a write-only field of the API (``password``, ``bearerToken``, ``clientSecret``), whatever it holds;
- it is the user-info of a URL (``https://user:secret@host/``: the password, or the whole user-info when there is no
  password, as in ``https://token@host/``);
- it is the value of a predefined variable the task marks secret.

``secret_values`` lists the credentials of a task's own options (added to the module's no_log values, so that Ansible
masks them in everything the module returns); ``masked`` masks a definition read from the API, which may hold
credentials the task never gave (a test created elsewhere, an older definition in a diff).
"""

from __future__ import annotations

import re

# As Ansible masks no_log values: a whole value by this text, a part of a string (a URL's user-info) by asterisks.
MASK = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
PART_MASK = '********'

# Key names that hold credentials. A key ending in url (tokenUrl) names where a credential comes from, not one.
_CREDENTIAL_NAME = re.compile(r'passw|passphrase|secret|token|authori[sz]ation|(api|auth|access)[-_]?key|cookie|session|'
                              r'(^|[-_])sid$|client[-_]?certificate|private[-_]?key', re.I)
_URL_NAME = re.compile(r'ur[il]$', re.I)
# The API's write-only credentials (never answered): masked whatever their names say.
WRITE_ONLY_SECRETS = ('password', 'bearerToken', 'clientSecret')
# Lists of pairs whose name says whether the value is a credential: headers ({key, value}), predefined variables
# ({name, value}). A step's own variables are JSONPaths into an answer, never credentials.
_PAIR_LISTS = {'headers': 'key', 'predefinedVariables': 'name', 'predefined_variables': 'name'}
_HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")
_USERINFO = re.compile(r'(?P<scheme>\b[a-z][a-z0-9+.-]*://)(?P<userinfo>[^/?#@\s]+)@', re.I)


def is_credential_name(name):
    """Whether a key, header or variable of this name holds a credential."""
    name = str(name)
    return bool(_CREDENTIAL_NAME.search(name)) and not _URL_NAME.search(name)


def url_credentials(text):
    """The credentials in the user-info of the URLs in ``text``: each password, or the user-info without one."""
    found = []
    for match in _USERINFO.finditer(text):
        user, colon, password = match.group('userinfo').partition(':')
        found.append(password if colon else user)
    return [value for value in found if value]


def mask_url(text):
    """``text`` with the user-info of its URLs masked (``https://user:********@host/``, ``https://********@host/``)."""
    def replace(match):
        user, colon, dummy = match.group('userinfo').partition(':')
        return match.group('scheme') + (user + ':' + PART_MASK if colon else PART_MASK) + '@'
    return _USERINFO.sub(replace, text)


def _pair_is_secret(item, name_key, secret_names):
    return isinstance(item, dict) and (is_credential_name(item.get(name_key, '')) or item.get(name_key) in secret_names)


def _header_line(item):
    """(name, value) of a header given as one ``Name: value`` string (the http-server type's headers), else None."""
    if not isinstance(item, str):
        return None
    name, colon, value = item.partition(':')
    if not colon or value.startswith('//') or not _HEADER_NAME.match(name.strip()):
        return None
    return name.strip(), value.strip()


def secret_values(value, key='', secret_names=()):
    """The credentials in a task's options (settings, an api step, predefined variables), for the module's no_log
    values. ``secret_names``: names of predefined variables marked secret."""
    if isinstance(value, dict):
        return [secret for name, item in value.items() for secret in _secret_values_of(str(name), item, secret_names)]
    if isinstance(value, list):
        return [secret for item in value for secret in secret_values(item, key, secret_names)]
    if isinstance(value, str) and value:
        if key and is_credential_name(key):
            return [value]
        return url_credentials(value)
    return []


def _secret_values_of(name, item, secret_names):
    if name in _PAIR_LISTS and isinstance(item, list):
        found = []
        for pair in item:
            line = _header_line(pair) if name == 'headers' else None
            if line:
                found.extend([line[1]] if is_credential_name(line[0]) and line[1] else url_credentials(pair))
            elif _pair_is_secret(pair, _PAIR_LISTS[name], secret_names) and isinstance(pair.get('value'), str) and pair['value']:
                found.append(pair['value'])
            else:
                found.extend(secret_values(pair, '', secret_names))
        return found
    if name in WRITE_ONLY_SECRETS and isinstance(item, str) and item:
        return [item]
    return secret_values(item, name, secret_names)


def _masked_pair(pair, list_name, secret_names):
    line = _header_line(pair) if list_name == 'headers' else None
    if line and is_credential_name(line[0]) and line[1]:
        return '%s: %s' % (line[0], PART_MASK)
    if _pair_is_secret(pair, _PAIR_LISTS[list_name], secret_names) and pair.get('value'):
        return dict(pair, value=MASK)
    return masked(pair, '', secret_names)


def masked(value, key='', secret_names=()):
    """A copy of ``value`` (a definition, a diff, a report, a result) with every credential masked by the one rule."""
    if isinstance(value, dict):
        out = {}
        for name, item in value.items():
            name_text = str(name)
            if name_text in _PAIR_LISTS and isinstance(item, list):
                out[name] = [_masked_pair(pair, name_text, secret_names) for pair in item]
            elif isinstance(item, str) and item and (name_text in WRITE_ONLY_SECRETS or is_credential_name(name_text)):
                out[name] = MASK
            else:
                out[name] = masked(item, name_text, secret_names)
        return out
    if isinstance(value, list):
        return [masked(item, key, secret_names) for item in value]
    if isinstance(value, tuple):
        return tuple(masked(item, key, secret_names) for item in value)
    if isinstance(value, str):
        return mask_url(value)
    return value
