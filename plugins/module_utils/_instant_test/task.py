# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The two tasks: ``instant_test`` (present or absent) and ``instant_test_rerun``.

Private to this collection: may change at any time. Keeps what matters most: the create is sent exactly once (a
lost answer is adopted by name, never sent again), deletes and reruns are never retried, and every failure is a
typed error that ``_module.run_module`` turns into one message.
"""

from __future__ import annotations

import re
import time

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import (
    ApiError,
    InvalidResponseError,
    NotFoundError,
    OptionError,
    ServerError,
    ThousandEyesError,
    TransportError,
)
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.compare import diff_of, differences, uncomparable_settings
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.fields import build_fields, secret_variable_names
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._lookup import describe_tests, find_tests_by_name, get_test, resolve_test
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._masking import masked, secret_values
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.summary import module_results
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.time import iso_utc, started_at_from
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.wait import (
    SILENT_STATES,
    check_wait_timeout,
    collect_results,
    data_links,
    describe_agents,
    silent_agents_warning,
)

# How long a create whose answer was lost is looked for before the task gives up (the server may still be storing it).
ADOPT_LOOKUP_PAUSES = (0.0, 2.0, 4.0)


class TestTask:
    """Shared by both modules: the client, the module, and what a test looks like when returned."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.api = client.api
        self.params = module.params

    secret_names = ()

    def describe(self, test):
        """``test`` (its credentials masked), ``test_id`` and ``data_links`` of a definition."""
        return {'test': masked(test, secret_names=self.secret_names), 'test_id': self.api.test_id(test), 'data_links': data_links(self.client, test)}

    def changes_text(self, changes):
        """The differences for a message, their credentials masked."""
        return '; '.join('%s is %r, the task wants %r' % masked(change, secret_names=self.secret_names) for change in changes)

    def read_results(self, test, since, result, fresh, adopted=False):
        """Wait for the results of this run; an error while waiting keeps what the task already did.

        ``fresh``: whether ``since`` is the start of a round this task asked for (then every row returned is of it).
        """
        try:
            collected = collect_results(self.client, test, since=since, wait=True, wait_timeout=self.params['wait_timeout'])
        except ThousandEyesError as error:
            error.details.update(changed=result.get('changed'), test_id=result.get('test_id'), outcome=result.get('outcome'))
            error.msg += ' The test itself is in place (test_id %s); read its results later with test_results_info.' % result.get('test_id')
            raise
        collected['results'] = module_results(collected['results'])
        result.update(collected, fresh=fresh)
        warning = silent_agents_warning(result['test_id'], collected['missing'])
        if warning:
            self.module.warn(warning)
        if not fresh:
            self.module.warn(self.stale_warning(result, adopted))

    def start_run(self, test_id, not_found):
        """POST the rerun of ``test_id`` once (never retried); returns the epoch seconds its round counts from."""
        local_before = time.time()
        try:
            response = self.client.post(self.api.rerun_path(test_id), instant=True)
        except NotFoundError as error:
            raise NotFoundError('%s (%s).' % (not_found, error.api_message), status=404, url=error.url)
        return started_at_from(local_before, response.headers)

    def stale_warning(self, result, adopted):
        """fresh: false, said with the rows' age and the option that runs the test again."""
        if adopted:
            why = 'another run created test %s at the same moment, so this task started no round of its own' % result['test_id']
        else:
            why = 'test %s is unchanged and run is on_create, so this task started no round' % result['test_id']
        if not result['rounds']:
            rows = 'no rows of an earlier round were found either'
        else:
            newest = max(result['rounds'])
            rows = 'the rows returned come from the round that started at %s, %s ago' % (iso_utc(newest), age_text(time.time() - newest))
        return ('fresh: false: %s; %s. Set run: always to run the test again and wait for a new round (a CI gate should).'
                % (why, rows))


def age_text(seconds):
    """``45 s``, ``12 min``, ``3 h``, ``2 d``: how old a round is, for a warning."""
    seconds = max(int(seconds), 0)
    for unit, size in (('d', 86400), ('h', 3600), ('min', 60)):
        if seconds >= 2 * size:
            return '%d %s' % (seconds // size, unit)
    return '%d s' % seconds


class InstantTestTask(TestTask):

    def run(self):
        # Ansible masks no_log options in every output; settings, an api step's headers and URLs, the target's user-info
        # may carry credentials too: masked the same way (the one rule of _masking).
        self.secret_names = secret_variable_names(self.params)
        for option in ('settings', 'requests', 'target', 'predefined_variables'):
            self.module.no_log_values.update(secret_values({option: self.params.get(option)}, secret_names=self.secret_names))
        if not self.params['name'].strip():
            raise OptionError('name must not be empty: give the test a name (test names are unique in the account group).')
        if self.params['state'] == 'absent':
            return self.absent()
        return self.present()

    def find_one(self, test_type, for_create=False):
        """The test this task means, from its test_id when given, else the one test with its name (and type)."""
        if self.params['test_id']:
            return self.by_test_id(test_type)
        return self.find_by_name(test_type, for_create)

    def find_by_name(self, test_type, for_create=False):
        """The one test with the task's name (and type), None when there is none; OptionError listing several.

        ``for_create``: the name may not be taken by a test of another type either (the API refuses the create then,
        names being unique in the account group), which the same listing shows before any write.
        """
        named = find_tests_by_name(self.client, self.params['name'])
        tests = [test for test in named if not test_type or self.api.test_type_from_api(test.get('type')) == test_type]
        if for_create and not tests and named:
            raise OptionError('name: %r is already the name of %s; test names are unique in the account group, so choose another '
                              'name (or delete that test). Nothing was created.'
                              % (self.params['name'], describe_tests(self.client, named)), test_id=self.api.test_id(named[0]))
        if len(tests) > 1:
            raise OptionError('%d tests are named %r%s: %s. Delete the extra ones or use another name.' % (
                len(tests), self.params['name'], ' with type %s' % test_type if test_type else '',
                describe_tests(self.client, tests)))
        return tests[0] if tests else None

    def by_test_id(self, test_type):
        # For accounts whose test list leaves out instant tests: the ID kept from an earlier run is the handle.
        try:
            test = get_test(self.client, self.params['test_id'], test_type)
        except NotFoundError:
            return None  # gone (deleted or expired): a present task creates it again
        if self.api.test_name(test) != self.params['name']:
            raise OptionError('test_id %s is the test %r, not %r; give the name of that test, or drop test_id.'
                              % (self.params['test_id'], self.api.test_name(test), self.params['name']))
        found_type = self.api.test_type_from_api(test.get('type'))
        if test_type and found_type != test_type:
            raise OptionError('test_id %s is a %s test, not %s.' % (self.params['test_id'], found_type, test_type))
        return test

    def present(self):
        test_type = self.params['type']
        derived = build_fields(self.params, self.client.agents)
        settings = self.params['settings'] or {}
        # settings are API names and values, sent verbatim and applied last; they are compared like every set field.
        fields = dict(derived, **settings)
        found = self.find_one(test_type, for_create=True)
        if found and self.params['test_id']:
            existing = found  # already the full definition
        else:
            existing = get_test(self.client, self.api.test_id(found), test_type) if found else None
        if existing is not None:
            self.warn_uncomparable(settings, existing)
            changes = differences(fields, existing, self.api, settings, self.secret_names)
            if not changes:
                return self.reuse(existing, fields)
            if self.params['on_change'] == 'fail':
                raise OptionError('Test %r (%s) exists with other settings: %s. Set on_change=recreate to replace it, or change '
                                  'the task to match.' % (self.params['name'], self.api.test_id(existing), self.changes_text(changes)),
                                  test_id=self.api.test_id(existing))
        outcome = 'recreated' if existing is not None else 'created'
        body = dict(self.api.test_body(test_type, derived), **settings)
        result = dict(changed=True, outcome=outcome)
        if self.module._diff:
            result['diff'] = diff_of(existing, fields, self.api, self.secret_names)
        self.refuse_agents_that_cannot_report(fields['agents'])
        if self.module.check_mode:
            result.update(payload=masked(body, secret_names=self.secret_names), test=masked(existing, secret_names=self.secret_names),
                          test_id=self.api.test_id(existing) if existing else None, data_links=[])
            return result
        if existing is not None:
            self.delete(existing, reason='to recreate it with the new settings')
        test, started_at = self.create(test_type, fields, body)
        if started_at is None:
            # Another run created the same test at the same moment: this task treats it as its own existing test.
            return self.reuse(test, fields, diff=result.get('diff'), adopted=True, replaced=existing is not None)
        result.update(self.describe(test), started_at=iso_utc(started_at))
        if self.params['wait']:
            self.read_results(test, started_at, result, fresh=True)
        return result

    def warn_uncomparable(self, settings, existing):
        """Say which settings keys the existing definition does not return (write-only fields go unsaid: documented)."""
        missing = [key for key in uncomparable_settings(settings, existing, self.api) if key not in self.api.write_only_fields]
        if missing:
            self.module.warn('settings: test %s does not return %s, so %s cannot be compared and never causes a recreation. If '
                             'you changed %s, delete the test (state: absent) and run the task again.'
                             % (self.api.test_id(existing), ', '.join(missing), 'it' if len(missing) == 1 else 'they',
                                'it' if len(missing) == 1 else 'them'))

    def reuse(self, test, fields, diff=None, adopted=False, replaced=False):
        """An existing test with the task's settings: left alone (run: on_create) or run again (run: always).

        ``adopted``: another run created it a moment ago; ``replaced``: this task deleted the old one first.
        """
        rerun = self.params['run'] == 'always'
        outcome = 'rerun' if rerun else 'recreated' if replaced else 'unchanged'
        result = dict(changed=rerun or replaced, outcome=outcome, **self.describe(test))
        if self.module._diff:
            result['diff'] = diff or diff_of(test, fields, self.api, self.secret_names)
        if rerun:
            self.refuse_agents_that_cannot_report(fields['agents'])
        if self.module.check_mode:
            return result
        started_at = None
        if rerun:
            started_at = self.start_run(result['test_id'], 'ThousandEyes has no instant test %s to run again: it was deleted '
                                        'meanwhile; run the task again to create it' % result['test_id'])
            result['started_at'] = iso_utc(started_at)
        if self.params['wait']:
            self.read_results(test, started_at, result, fresh=rerun, adopted=adopted)
        return result

    def refuse_agents_that_cannot_report(self, agents):
        """With wait, a run whose agents are all offline or disabled fails before it spends units (as check mode says).

        Only where the agents listing was read anyway (agents given by name); with IDs alone the wait finds out at
        its first poll instead, after the run.
        """
        if not self.params['wait']:
            return
        known = [self.client.agents.known(agent['agentId']) for agent in agents]
        if not known or any(agent is None or agent['state'] not in SILENT_STATES for agent in known):
            return
        raise OptionError('wait: none of the agents can report, so the test would run for nothing: %s. Offline and disabled '
                          'Enterprise agents return no results. Bring one of them online, or choose other agents (agent_info lists '
                          'the agents with their state). Nothing was created or run.'
                          % describe_agents(known))

    def create(self, test_type, fields, body):
        """POST the create once. Returns (definition, started_at); started_at is None when another run's test was adopted."""
        local_before = time.time()
        try:
            response = self.client.post(self.api.create_path(test_type), body=body, params=self.api.definition_params or None, instant=True)
        except TransportError as error:
            if not error.may_have_reached:
                raise
            return self.adopt_after_lost_answer(test_type, fields, error), int(local_before)
        except InvalidResponseError as error:
            # A success status with a body that is not JSON: the create was processed, only its answer is unreadable.
            return self.adopt_after_lost_answer(test_type, fields, error), int(local_before)
        except ServerError as error:
            self.explain_server_error(test_type, error)
            raise
        except ApiError as error:
            if error.status in (400, 409) and re.search(r'unique|exist|duplicate|already', error.api_message or '', re.I):
                return self.adopt_after_name_clash(test_type, fields, error), None
            raise
        test = self.api.unwrap_test(response.data)
        if not test:
            raise ApiError('ThousandEyes answered the create of %r with HTTP %s but no test definition.' % (self.params['name'], response.status),
                           status=response.status, url=response.url)
        return test, started_at_from(local_before, response.headers)

    def adopt_after_lost_answer(self, test_type, fields, error):
        # The create may have been stored: look for it by name (a new test has a new ID), never send it again.
        for pause in ADOPT_LOOKUP_PAUSES:
            time.sleep(pause)
            self.client.waits.add('retries', pause)
            found = self.find_by_name(test_type)
            if found:
                test = get_test(self.client, self.api.test_id(found), test_type)
                self.module.warn('The answer to the create of %r was lost or unreadable (%s); the test was found by name and adopted '
                                 '(test_id %s). No second create was sent.' % (self.params['name'], error.msg, self.api.test_id(test)))
                return test
        raise TransportError('%s No test named %r appeared in the test list afterwards, so it was probably not created (unless this '
                             'account leaves instant tests out of the list). Nothing was sent again; run the task again to create it.'
                             % (error.msg, self.params['name']), url=error.details.get('url'))

    def explain_server_error(self, test_type, error):
        # A 5xx may come after the API stored the test: never send the create again, but tell the user which it was.
        try:
            found = self.find_by_name(test_type)
        except ThousandEyesError as lookup_error:
            error.msg += (' The create was not sent again, and whether the API stored the test anyway is unknown: the lookup '
                          'afterwards failed too (%s).' % lookup_error.msg)
            return
        if found:
            error.details['test_id'] = self.api.test_id(found)
            error.msg += (' The create was not sent again. The API stored the test anyway (test_id %s): running the task again '
                          'finds it and creates nothing.' % self.api.test_id(found))
        else:
            error.msg += (' The create was not sent again, and no test named %r is in the test list, so nothing was created '
                          '(unless this account leaves instant tests out of the list): run the task again to create it.'
                          % self.params['name'])

    def adopt_after_name_clash(self, test_type, fields, error):
        # Another run created the same name first (the API enforces unique names): adopt it only if it is ours.
        tests = find_tests_by_name(self.client, self.params['name'])
        same_type = [test for test in tests if self.api.test_type_from_api(test.get('type')) == test_type]
        if len(same_type) == 1:
            test = get_test(self.client, self.api.test_id(same_type[0]), test_type)
            changes = differences(fields, test, self.api, self.params['settings'], self.secret_names)
            if not changes:
                return test
            raise OptionError('ThousandEyes refused the create because a test named %r already exists (test_id %s) with other '
                              'settings: %s.' % (self.params['name'], self.api.test_id(test), self.changes_text(changes)),
                              test_id=self.api.test_id(test))
        if not tests:
            raise OptionError('ThousandEyes refused the create of %r: %s. No test with that name is in the test list, so this '
                              'account does not seem to list instant tests: give the test_id an earlier run returned to reuse '
                              'the test, or choose another name.' % (self.params['name'], error.api_message))
        others = describe_tests(self.client, tests)
        raise OptionError('ThousandEyes refused the create of %r: %s. Tests with that name: %s. Test names must be unique in the '
                          'account group; choose another name.' % (self.params['name'], error.api_message, others))

    def delete(self, test, reason):
        method, path = self.api.delete_request(self.api.test_id(test), self.api.test_type_from_api(test.get('type')))
        try:
            self.client.send(method, path)
        except NotFoundError:
            return False  # already gone (a concurrent run deleted it)
        except ApiError as error:
            if error.status in (400, 403, 405):
                raise OptionError('ThousandEyes refused to delete test %s (%r) %s: %s. Nothing was created. Instant tests may not be '
                                  'deletable in this account: choose another name, or set on_change=fail.'
                                  % (self.api.test_id(test), self.params['name'], reason, error.api_message or error.status),
                                  test_id=self.api.test_id(test))
            raise
        return True

    def absent(self):
        found = self.find_one(self.params['type'])
        if not found:
            return dict(changed=False, outcome='absent', test=None, test_id=None, data_links=[])
        result = dict(changed=True, outcome='deleted', **self.describe(found))
        if self.module._diff:
            result['diff'] = {'before': {'testName': self.params['name'], 'testId': result['test_id']}, 'after': {}}
        if not self.module.check_mode:
            if not self.delete(found, reason='for state=absent'):
                result.update(changed=False, outcome='absent')
        return result


class RerunTask(TestTask):

    def run(self):
        check_wait_timeout(self.params['wait_timeout'])
        test = self.resolve()
        result = dict(changed=True, **self.describe(test))
        if self.module.check_mode:
            return result
        started_at = self.start_run(result['test_id'], 'ThousandEyes has no instant test %s to rerun' % self.label(result['test_id']))
        result['started_at'] = iso_utc(started_at)
        if self.params['wait']:
            self.read_results(test, started_at, result, fresh=True)
        return result

    def label(self, test_id):
        return '%r (test_id %s)' % (self.params['name'], test_id) if self.params['name'] else 'with test_id %s' % test_id

    def resolve(self):
        return resolve_test(self.client, test_id=self.params['test_id'], name=self.params['name'], test_type=self.params['type'])
