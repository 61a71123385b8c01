# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What test_results_info does: read (and optionally wait for) the results of one test, of several, or path details.

Private to this collection: may change at any time. ``read_results(module, client)`` is the module's logic; the module's
file keeps its documentation and options.
"""

from __future__ import annotations

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._lookup import resolve_test
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._masking import masked
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.summary import module_results
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.time import parse_time, parse_window
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.wait import (
    check_wait_timeout,
    collect_many,
    data_links,
    silent_agents_warning,
)
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import ascii_digits


def read_results(module, client):
    params = module.params
    check_wait_timeout(params['wait_timeout'])
    if params['poll_interval'] is not None and params['poll_interval'] < 1:
        raise OptionError('poll_interval must be at least 1 second, got %s.' % params['poll_interval'])
    if params['name'] is not None and not params['name'].strip():
        raise OptionError('name must not be empty.')
    since = parse_time(params['since'], 'since')
    start = parse_time(params['start'], 'start')
    end = parse_time(params['end'], 'end')
    window = parse_window(params['window'])
    if start is not None and end is not None and end < start:
        raise OptionError('end (%s) is before start (%s).' % (params['end'], params['start']))

    if params['path_details'] is not None:
        return dict(changed=False, complete=True, path_details=[_path_detail(client, entry) for entry in params['path_details']])
    if params['tests'] is not None:
        entries = [_entry(client, index, entry, since) for index, entry in enumerate(params['tests'])]
    else:
        entries = [(resolve_test(client, test_id=params['test_id'], name=params['name'], test_type=params['type']), since)]
    outcomes = collect_many(client, entries, layers=params['layers'], window=window, from_time=start, to_time=end,
                            wait=params['wait'], wait_timeout=params['wait_timeout'], poll_interval=params['poll_interval'])
    tests = []
    for (test, entry_since), outcome in zip(entries, outcomes):
        outcome['results'] = module_results(outcome['results'])
        if entry_since is not None:
            outcome['fresh'] = True  # every row is of a round at or after since
        # The definition is shown as everywhere: credentials (headers, URL user-info, secret variables) masked.
        tests.append(dict(test=masked(test), test_id=client.api.test_id(test), data_links=data_links(client, test), **outcome))
        warning = silent_agents_warning(tests[-1]['test_id'], outcome['missing'])
        if warning:
            module.warn(warning)
    if params['tests'] is not None:
        return dict(changed=False, tests=tests, complete=all(test['complete'] for test in tests))
    return dict(changed=False, **tests[0])


def _path_detail(client, entry):
    """The normalised path traces of one (test, agent, round) triple of the path_details option."""
    test_id, agent_id = entry['test_id'].strip(), entry['agent_id'].strip()
    for option, value in (('test_id', test_id), ('agent_id', agent_id)):
        if not ascii_digits(value):
            raise OptionError('path_details: %s must be a numeric ID, got %r.' % (option, entry[option]))
    traces = client.api.path_traces(test_id, agent_id, entry['round_id'])
    return dict(test_id=test_id, agent_id=agent_id, round_id=entry['round_id'], traces=traces)


def _entry(client, index, entry, since):
    """(test definition, since) of one element of the tests option."""
    option = 'tests[%d]' % index
    if (entry.get('test') is None) == (entry.get('test_id') is None):
        raise OptionError('%s: give exactly one of test (a test definition) and test_id.' % option)
    if entry.get('test') is not None:
        test = entry['test']
        if not client.api.test_id(test) or not test.get('type'):
            raise OptionError('%s.test must be a test definition as instant_test or instant_test_rerun return it in test '
                              '(with its testId and type).' % option)
    else:
        test = resolve_test(client, test_id=entry['test_id'], name=None, test_type=entry.get('type'))
    if entry.get('since') is not None:
        since = parse_time(entry['since'], option + '.since')
    return test, since
