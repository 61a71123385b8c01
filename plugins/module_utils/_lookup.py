# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Finding tests by ID or by name.

Private to this collection: may change at any time. Every function returns test definitions exactly as the
API gives them (v6 list or detail entries, v7 objects).
"""

from __future__ import annotations

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import NotFoundError, OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import TEST_TYPES
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import ascii_digits, closest_names


def is_saved_event(test):
    """Saved events (private snapshots) are listed with the tests; they are never the test a task means."""
    return test.get('savedEvent') in (1, True, '1', 'true', 'True')


def list_tests(client):
    """Every entry of the account group's tests listing, saved events included."""
    return client.api.list_tests()


def match_tests(client, tests, name, test_type=None):
    """The entries of ``tests`` named exactly ``name`` (and of ``test_type`` if given), saved events left out."""
    return [test for test in tests
            if not is_saved_event(test) and client.api.test_name(test) == name
            and (test_type is None or client.api.test_type_from_api(test.get('type')) == test_type)]


def find_tests_by_name(client, name, test_type=None):
    """The tests named exactly ``name`` (and of ``test_type``), as the tests listing gives them."""
    return match_tests(client, list_tests(client), name, test_type)


def describe_tests(client, tests):
    """``123 (http-server), 456 (dns-trace)`` for error messages."""
    return ', '.join('%s (%s)' % (client.api.test_id(test), client.api.test_type_from_api(test.get('type'))) for test in tests)


def _not_found(client, test_id, test_type, error=None):
    kind = ('%s test' % test_type) if test_type else 'test'
    details = {}
    if error is not None:
        details = dict(status=error.status, method=error.method, url=error.url, api_message=error.api_message)
    return NotFoundError('No ThousandEyes %s has the ID %s in this account group (API %s). Check test_id%s and account_group_id.'
                         % (kind, test_id, client.api.name, ' and type' if test_type else ''), **details)


def _get(client, test_id, test_type):
    try:
        return client.api.get_test(test_id, test_type)
    except NotFoundError as error:
        raise _not_found(client, test_id, test_type, error)


def get_test(client, test_id, test_type=None):
    """The full definition of test ``test_id``; NotFoundError naming the ID when there is none.

    v7 needs the type in the path: without ``test_type`` the type is read from the tests listing, and when the
    test is not listed (instant tests may not be) each type is tried in turn until one answers.
    """
    test_id = str(test_id).strip()
    if not ascii_digits(test_id):
        raise OptionError('test_id must be the numeric ID of a test, got %r.' % test_id)
    if not client.api.detail_needs_type or test_type:
        test = _get(client, test_id, test_type)
    else:
        listed = [entry for entry in list_tests(client) if client.api.test_id(entry) == test_id]
        if listed:
            test = _get(client, test_id, client.api.test_type_from_api(listed[0].get('type')))
        else:
            test = None
            for candidate in TEST_TYPES:
                try:
                    test = client.api.get_test(test_id, candidate)
                except NotFoundError:
                    continue
                break
    if not test:
        raise _not_found(client, test_id, test_type)
    if test_type and client.api.test_type_from_api(test.get('type')) != test_type:
        raise NotFoundError('Test %s is of type %s, not %s; fix type or leave it out.'
                            % (test_id, client.api.test_type_from_api(test.get('type')), test_type))
    return test


def resolve_test(client, test_id=None, name=None, test_type=None):
    """The full definition of the one test given by ID, or by exact name (and type).

    A name that matches nothing fails with the closest names; a name that matches several tests fails with
    their IDs and types.
    """
    if test_id is not None:
        return get_test(client, test_id, test_type)
    tests = list_tests(client)
    matches = match_tests(client, tests, name, test_type)
    if len(matches) == 1:
        match = matches[0]
        return get_test(client, client.api.test_id(match), client.api.test_type_from_api(match.get('type')))
    if matches:
        raise OptionError('name: %d tests are named %r: %s. Give test_id%s to choose one.'
                          % (len(matches), name, describe_tests(client, matches), '' if test_type else ' or type'))
    candidates = [test for test in tests if not is_saved_event(test)]
    other_types = match_tests(client, candidates, name)
    if other_types:
        raise NotFoundError('name: there is no %s test named %r; tests with that name: %s.'
                            % (test_type, name, describe_tests(client, other_types)))
    names = sorted(set(client.api.test_name(test) for test in candidates if client.api.test_name(test)))
    close = closest_names(name, names)
    hint = ('Closest names: %s.' % ', '.join(repr(candidate) for candidate in close)) if close else (
        'The account group lists %d tests.' % len(names))
    raise NotFoundError('name: no test named %r%s. %s Names are compared exactly; instant tests that the API does not list '
                        'can only be read by test_id.' % (name, (' of type %s' % test_type) if test_type else '', hint))
