# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose role against the emulator: real ansible-playbook runs.

Timing is asserted on the emulator's request log (the order of requests), never with wall-clock time.

Tests whose runs start from the same setup share them (shared_run.py): a class-scoped fixture runs the role once
per API version and keeps each run's output, report and request log, and the tests assert on those. API v6 runs
where the role reaches the v6 provider in its own way: the create, reuse and rerun flow of TestThreeTargets (and the
path details of test_diagnose_location.py); the other tests run on v7 (TESTING.md, "Where the moved assertions went").
"""

from __future__ import annotations

import calendar
import itertools
import json
import re
import time

import pytest

from shared_run import SharedRun

THREE_TARGETS = ['https://shop.example.com/health', 'api.example.com', 'https://cdn.example.com/']
# The tests the role plans for THREE_TARGETS: 2 for each URL (http-server, dns-trace), 2 for the host.
THREE_TARGETS_TESTS = 6
AGENTS = ['Frankfurt, Germany', 102]


def epoch(iso):
    return calendar.timegm(time.strptime(iso, '%Y-%m-%dT%H:%M:%SZ'))


def role_run(run_playbook, report_json, expect_rc=0, env=None, args=(), **variables):
    """Run the role through tests/integration/playbooks/diagnose_role.yml; returns (result, report or None)."""
    variables.setdefault('diagnose_agents', AGENTS)
    variables['report_json'] = str(report_json)
    result = run_playbook('diagnose_role.yml', extra_vars=variables, env=env, args=args, expect_rc=expect_rc)
    report = json.loads(report_json.read_text()) if report_json.exists() else None
    return result, report


def numbered_runs(run_playbook, folder):
    """Role runs one after another, each with its own report file; each returns (result, report or None)."""
    numbers = itertools.count()

    def run(**arguments):
        return role_run(run_playbook, folder / ('report-%d.json' % next(numbers)), **arguments)

    return run


@pytest.fixture
def diagnose(run_playbook, tmp_path):
    return numbered_runs(run_playbook, tmp_path)


def seqs(emulator, operation):
    return [entry['seq'] for entry in emulator.requests(operation)]


def all_tests(report):
    tests = {}
    for target in report['targets']:
        for test in target['tests']:
            tests[test['name']] = test
    return tests


class TestThreeTargets:
    """Two runs on THREE_TARGETS, once per API version: the first creates the six tests and waits for their results
    in one phase (a result delay of four seconds), the second reuses and reruns every one of them."""

    @pytest.fixture(scope='class', params=['v6', 'v7'])
    @classmethod
    def api_version(cls, request):
        return request.param

    @pytest.fixture(scope='class')
    @classmethod
    def runs(cls, emulator_server, api_version, tmp_path_factory):
        shared = SharedRun(emulator_server, api_version)
        folder = tmp_path_factory.mktemp('three-targets')
        diagnose = numbered_runs(shared.run, folder)
        shared.reset(result_delay=4)
        report_md = folder / 'report.md'
        result, report = diagnose(diagnose_targets=THREE_TARGETS, diagnose_report_path=str(report_md), env={'ANSIBLE_SHOW_CUSTOM_STATS': 'true'})
        first = dict(result=result, report=report, log=shared.snapshot(), report_md=report_md)
        shared.configure(result_delay=2)
        shared.clear_log()
        result, report = diagnose(diagnose_targets=THREE_TARGETS)
        return dict(first=first, second=dict(result=result, report=report, log=shared.snapshot()))

    def test_three_targets_ok_in_one_waiting_phase(self, runs):
        result, report, emulator, report_md = (runs['first'][key] for key in ('result', 'report', 'log', 'report_md'))

        assert report['verdict'] == 'ok'
        assert [(target['target'], target['verdict'], target['reasons']) for target in report['targets']] == [
            (target, 'ok', []) for target in THREE_TARGETS]
        tests = all_tests(report)
        assert len(tests) == THREE_TARGETS_TESTS
        assert 'diagnose http-server shop.example.com/health from 101,102' in tests
        assert 'diagnose agent-to-server api.example.com from 101,102' in tests
        for test in tests.values():
            assert test['outcome'] == 'created' and test['rerun'] is False and test['complete'] is True
            # Both agents reported in every layer, in this run.
            assert {row['agent_id'] for row in test['summary']} == {'101', '102'}
            assert all(row['round_id'] >= epoch(test['started_at']) for row in test['summary'])

        # Agents listed once; a create per test; one waiting phase: every create before the first results request.
        assert emulator.count('list_agents') == 1
        assert emulator.count('create') == THREE_TARGETS_TESTS
        assert emulator.count('rerun') == 0
        assert max(seqs(emulator, 'create')) < min(seqs(emulator, 'results'))

        # The table, the set_stats artifact and the Markdown report.
        assert 'TARGET' in result.stdout and 'Overall: OK' in result.stdout
        assert 'CUSTOM STATS' in result.stdout and 'thousandeyes_diagnose' in result.stdout
        text = report_md.read_text()
        assert text.startswith('# ThousandEyes diagnosis: OK')
        assert '| https://shop.example.com/health | ok | none | - | - |' in text
        assert '| api.example.com | none | agent-to-server | Frankfurt, Germany (101) |' in text
        # Agent names contain commas: one agent per line, with its ID, so that the list cannot be misread.
        assert '\nAgents:\n- Frankfurt, Germany (101)\n- London, England (102)\n' in text
        assert '6 tests ran, 6 instant-test calls.' in text
        assert report['tests_run'] == report['instant_calls'] == THREE_TARGETS_TESTS
        assert all(target['location'] == 'none' and target['evidence'] == [] for target in report['targets'])
        # Nothing breaches: no path details are read.
        assert not [entry for entry in emulator.requests() if 'path-vis/' in entry['path'] and entry['path'].count('/') > 4]

    def test_second_run_reuses_and_reruns_every_test(self, runs):
        first = runs['first']['report']
        tests_before = sorted(test['testId'] for test in runs['first']['log'].tests())
        second, emulator = runs['second']['report'], runs['second']['log']

        assert second['verdict'] == 'ok'
        first_tests, second_tests = all_tests(first), all_tests(second)
        assert set(first_tests) == set(second_tests)
        for name, test in second_tests.items():
            assert test['outcome'] == 'unchanged' and test['rerun'] is True
            assert test['test_id'] == first_tests[name]['test_id']
            # Fresh results: every row comes from the rerun, newer than the first run's rows.
            assert test['started_at'] >= first_tests[name]['started_at']
            assert test['summary'] and all(row['round_id'] >= epoch(test['started_at']) for row in test['summary'])
            assert min(row['round_id'] for row in test['summary']) > max(row['round_id'] for row in first_tests[name]['summary'])
        assert emulator.count('create') == 0
        assert emulator.count('delete') == 0
        reruns = emulator.requests('rerun')
        assert len(reruns) == THREE_TARGETS_TESTS
        assert len({entry['path'] for entry in reruns}) == THREE_TARGETS_TESTS  # each test once
        assert max(seqs(emulator, 'rerun')) < min(seqs(emulator, 'results'))
        assert sorted(test['testId'] for test in emulator.tests()) == tests_before


@pytest.mark.parametrize('api_version', ['v7'])
def test_offline_agent_is_degraded_not_a_hang(emulator, diagnose):
    emulator.configure(result_delay=2)
    # A wait_timeout far beyond the test's timeout: the offline agent must not hold the wait.
    result, report = diagnose(diagnose_targets=['api.example.com'], diagnose_agents=['Frankfurt, Germany', 'branch-ams-ea'],
                              diagnose_wait_timeout=3000)

    target = report['targets'][0]
    assert report['verdict'] == 'degraded' and target['verdict'] == 'degraded'
    assert target['reasons'] == [
        'branch-ams-ea (202), agent-to-server test: no result (offline) in network, path-vis',
        'branch-ams-ea (202), dns-trace test: no result (offline) in dns-trace',
    ]
    for test in target['tests']:
        assert test['complete'] is True
        assert {row['agent_id'] for row in test['summary']} == {'101'}
        assert all(row['ok'] for row in test['summary'])
    assert 'degraded (no result: offline)' in result.stdout
    # The waits ended when the online agent had reported, after a few polls.
    assert emulator.count('results') <= 12


@pytest.mark.parametrize('api_version', ['v7'])
def test_only_offline_agents_fail_before_any_test(emulator, diagnose):
    result, report = diagnose(expect_rc=2, diagnose_targets=['api.example.com'], diagnose_agents=['branch-ams-ea'],
                              diagnose_wait_timeout=3000)
    assert report is None
    assert 'diagnose_agents: none of the agents can report, so every test would run for nothing: branch-ams-ea (202) is offline.' \
        in ' '.join(result.output.split())
    assert emulator.writes() == []


@pytest.mark.parametrize('api_version', ['v7'])
def test_breach_fails_the_play_with_the_reasons(emulator, diagnose, tmp_path):
    emulator.configure(result_delay=2, target_profiles={'slow.example.com': {'loss': 25.0, 'avgLatency': 450, 'responseTime': 2500}})
    report_md = tmp_path / 'breach.md'
    result, report = diagnose(expect_rc=2, diagnose_targets=['https://slow.example.com/', 'https://shop.example.com/health'],
                              diagnose_fail_on_breach=True, diagnose_max_response_time=2000, diagnose_cleanup=True,
                              diagnose_report_path=str(report_md))

    assert report is None  # the play failed in the role
    assert 'Diagnose verdict: degraded (targets: 0 failed, 1 degraded, 1 ok)' in result.output
    failure = result.output[result.output.index('Diagnose verdict: degraded'):]
    assert 'https://slow.example.com/: degraded' in failure
    # One reason per cause, the measurement first, then the agents that share it: counted when they are all of them.
    for agents, finding in (('2 of 2 agents', 'http-server test, network: loss 25% > 5%'),
                            ('2 of 2 agents', 'http-server test, network: latency 450 ms > 300 ms'),
                            ('2 of 2 agents', 'http-server test, http-server: response time 2500 ms > 2000 ms')):
        # The message shows in the task's error and again in its JSON: the same line in both.
        reasons = sorted(set(line.strip() for line in re.split(r'\\n|\n', failure) if finding in line))
        assert len(reasons) == 1 and reasons[0].startswith('- ' + finding) and agents in reasons[0].split(finding)[1], failure
    assert 'Frankfurt, Germany (101); London, England (102), http-server test' not in failure
    assert 'https://slow.example.com/: degraded (location: ' in failure
    assert 'https://shop.example.com/health: ' not in failure
    # The report and the cleanup came before the failure.
    assert report_md.read_text().startswith('# ThousandEyes diagnosis: DEGRADED')
    assert emulator.tests() == []


@pytest.mark.parametrize('api_version', ['v7'])
def test_twenty_targets_stay_inside_the_instant_budget(emulator, diagnose):
    emulator.configure(result_delay=1, rate_limits={'instant': {'limit': 10, 'window': 5}})
    targets = ['host%02d.example.com' % number for number in range(1, 21)]

    result, report = diagnose(diagnose_targets=targets, diagnose_agents=[101])

    assert report['verdict'] == 'ok'
    assert [target['verdict'] for target in report['targets']] == ['ok'] * 20
    creates = emulator.requests('create')
    # 40 instant calls against a budget of 10 per 5 seconds: any 429 was waited out, and every test was created once.
    assert len([entry for entry in creates if entry['status'] == 201]) == 40
    assert len({json.dumps(entry['body'], sort_keys=True) for entry in creates if entry['status'] == 201}) == 40
    assert 'failed=0' in result.stdout


# Test names carry the agent set: runs on api.example.com one after another ------------------------------

class TestRunsOnOneTarget:
    """Role runs on api.example.com one after another (v7), from the same first run (Frankfurt's two tests):

    1. Frankfurt: creates ``diagnose agent-to-server|dns-trace api.example.com from 101``;
    2. Frankfurt with one more target and diagnose_cleanup: creates and deletes the new target's tests;
    3. London: its own tests;
    4. agent 101 again: reruns Frankfurt's tests;
    5. after someone edited Frankfurt's dns-trace test, check mode with a new target and diagnose_cleanup.
    """

    @pytest.fixture(scope='class', params=['v7'])
    @classmethod
    def api_version(cls, request):
        return request.param

    @pytest.fixture(scope='class')
    @classmethod
    def runs(cls, emulator_server, api_version, tmp_path_factory):
        shared = SharedRun(emulator_server, api_version)
        diagnose = numbered_runs(shared.run, tmp_path_factory.mktemp('one-target'))
        steps = {}

        def step(name, **arguments):
            shared.clear_log()
            result, report = diagnose(**arguments)
            steps[name] = dict(result=result, report=report, log=shared.snapshot())

        shared.reset(result_delay=1)
        step('frankfurt', diagnose_targets=['api.example.com'], diagnose_agents=['Frankfurt, Germany'])
        step('cleanup', diagnose_targets=['api.example.com', 'https://new.example.com/x'], diagnose_agents=['Frankfurt, Germany'],
             diagnose_cleanup=True)
        step('london', diagnose_targets=['api.example.com'], diagnose_agents=['London, England'])
        step('again', diagnose_targets=['api.example.com'], diagnose_agents=[101])
        # Someone changed one of the role's tests: the role would recreate it.
        shared.run('diagnose_edit_test.yml', extra_vars={'test_name': 'diagnose dns-trace api.example.com from 101', 'test_type': 'dns-trace',
                                                         'test_target': 'api.example.com', 'test_agents': ['101'],
                                                         'test_description': 'Edited by hand.'})
        step('check', expect_rc=None, args=['--check'], diagnose_targets=['api.example.com', 'https://new.example.com/'],
             diagnose_agents=['Frankfurt, Germany'], diagnose_cleanup=True, env={'ANSIBLE_SHOW_CUSTOM_STATS': '1'})
        return steps

    def test_cleanup_deletes_only_what_it_created(self, runs):
        before = sorted((test['testId'], test['testName']) for test in runs['frankfurt']['log'].tests())
        assert len(before) == 2

        report, emulator = runs['cleanup']['report'], runs['cleanup']['log']

        tests = all_tests(report)
        created = sorted(test['test_id'] for test in tests.values() if test['outcome'] == 'created')
        assert len(created) == 2  # http-server and dns-trace for the URL
        assert sorted(test['outcome'] for test in tests.values()) == ['created'] * 2 + ['unchanged'] * 2
        assert sorted((test['testId'], test['testName']) for test in emulator.tests()) == before
        # v6 POST /v6/tests/{type}/{id}/delete, v7 DELETE /v7/tests/{type}/{id}
        deleted = sorted(entry['path'].split('/')[4] for entry in emulator.requests('delete'))
        assert deleted == created

    def test_runs_from_other_agents_never_touch_each_others_tests(self, runs):
        frankfurt = all_tests(runs['frankfurt']['report'])
        assert sorted(frankfurt) == ['diagnose agent-to-server api.example.com from 101', 'diagnose dns-trace api.example.com from 101']
        frankfurt_ids = sorted(test['test_id'] for test in frankfurt.values())

        london, emulator = all_tests(runs['london']['report']), runs['london']['log']

        assert sorted(london) == ['diagnose agent-to-server api.example.com from 102', 'diagnose dns-trace api.example.com from 102']
        assert [test['outcome'] for test in london.values()] == ['created', 'created']
        assert emulator.count('delete') == 0 and emulator.count('rerun') == 0
        # Frankfurt's tests are still there, untouched; the same agents in another order reuse them.
        assert sorted(str(test['testId']) for test in emulator.tests() if test['testName'].endswith('from 101')) == frankfurt_ids
        again, emulator = all_tests(runs['again']['report']), runs['again']['log']
        assert sorted(test['test_id'] for test in again.values()) == frankfurt_ids
        assert [test['outcome'] for test in again.values()] == ['unchanged', 'unchanged']
        assert emulator.count('create') == 0 and emulator.count('delete') == 0 and emulator.count('rerun') == 2

    def test_check_mode_lists_creations_recreations_reruns_and_deletions(self, runs):
        result, report, emulator = (runs['check'][key] for key in ('result', 'report', 'log'))

        assert result.rc == 0, result.output
        assert emulator.writes() == []
        output = result.stdout
        assert 'Would create: diagnose http-server new.example.com from 101, diagnose dns-trace new.example.com from 101' in output
        assert 'Would recreate (delete, then create with the new settings): diagnose dns-trace api.example.com from 101' in output
        assert 'Would rerun: diagnose agent-to-server api.example.com from 101' in output
        assert ('Would delete after the run (diagnose_cleanup): diagnose http-server new.example.com from 101, '
                'diagnose dns-trace new.example.com from 101') in output
        # The role sets diagnose_report in check mode too, with the plan and no verdicts, and publishes it with set_stats.
        assert report['check_mode'] is True and report['verdict'] is None and report['tests_run'] == 0
        assert report['would'] == dict(
            create=['diagnose http-server new.example.com from 101', 'diagnose dns-trace new.example.com from 101'],
            recreate=['diagnose dns-trace api.example.com from 101'], rerun=['diagnose agent-to-server api.example.com from 101'],
            delete=['diagnose http-server new.example.com from 101', 'diagnose dns-trace new.example.com from 101'])
        assert [target['target'] for target in report['targets']] == ['api.example.com', 'https://new.example.com/']
        outcomes = [(test['type'], test['outcome']) for test in report['targets'][0]['tests']]
        assert outcomes == [('agent-to-server', 'unchanged'), ('dns-trace', 'recreated')]
        assert [agent['id'] for agent in report['agents']] == ['101']
        assert '"thousandeyes_diagnose"' in output and '"check_mode": true' in output


# Bad role input: one line, before any request ----------------------------------------------------------

LONG_LABEL = '%s.example.com' % ('a' * 64)


class TestBadInput:
    """One run with every input mistake that the role finds before listing the agents (v7): the role names them all
    in one failure, before any request."""

    @pytest.fixture(scope='class', params=['v7'])
    @classmethod
    def api_version(cls, request):
        return request.param

    @pytest.fixture(scope='class')
    @classmethod
    def run(cls, emulator_server, api_version, tmp_path_factory):
        shared = SharedRun(emulator_server, api_version)
        folder = tmp_path_factory.mktemp('bad-input')
        missing_folder = folder / 'no-such-folder'
        shared.reset()
        # Each of the variables used to pass the first task: the tests were created (and units spent) before a failure or
        # a verdict that meant nothing.
        result = numbered_runs(shared.run, folder)(
            expect_rc=2, diagnose_targets=['https://shop.example.com/', 'shop example com', LONG_LABEL], diagnose_tests=['http-server', 'ping'],
            diagnose_wait_timeout=-1, diagnose_max_loss=-5, diagnose_max_latency=0, diagnose_max_response_time=-3, diagnose_expected_status=999,
            diagnose_report_path=str(missing_folder / 'report.md'))[0]
        return dict(result=result, log=shared.snapshot(), missing_folder=missing_folder)

    def test_a_wrong_test_type_is_one_line_before_any_request(self, run):
        result, emulator = run['result'], run['log']
        assert ("diagnose_tests: unsupported test type 'ping'; the role runs agent-to-server, http-server, page-load, dns-trace, "
                "dns-dnssec.") in result.output
        assert 'argument_spec_data' not in result.output
        assert emulator.requests() == []

    def test_bad_role_variables_fail_together_before_any_request(self, run):
        output, emulator, missing_folder = run['result'].output, run['log'], run['missing_folder']
        assert "diagnose_wait_timeout must be a number of seconds above 0, got -1." in output
        assert "diagnose_max_loss must be a loss in percent from 0 to 100, got -5" in output
        assert "diagnose_max_latency must be a latency in milliseconds above 0, got 0" in output
        assert "diagnose_max_response_time must be a response time in milliseconds above 0, got -3" in output
        assert "diagnose_expected_status must be an HTTP status code from 100 to 599 (or 0 for any 2xx or 3xx status), got 999" in output
        assert "diagnose_report_path: the folder %s does not exist" % missing_folder in output
        assert emulator.requests() == []

    def test_a_target_with_spaces_is_refused_by_name(self, run):
        result, emulator, long_label = run['result'], run['log'], LONG_LABEL
        assert "diagnose_targets: 'shop example com' has spaces" in result.output
        assert 'one target per list item' in result.output
        # A label over 63 characters, which the API would refuse after the role spent units: refused first.
        assert "diagnose_targets: '%s' is not a valid host name" % long_label in result.output
        assert 'has 64 characters; a host name label has at most 63' in result.output
        assert emulator.requests() == []


@pytest.mark.parametrize('api_version', ['v7'])
def test_several_agents_in_one_string_get_a_hint(emulator, diagnose):
    result = diagnose(expect_rc=2, diagnose_targets=['api.example.com'], diagnose_agents=['Frankfurt, Germany, London, England'])[0]
    assert "no agent is named 'Frankfurt, Germany, London, England'" in result.output
    assert "several agent names ('Frankfurt, Germany', 'London, England'): give one agent per list item." in result.output
    assert emulator.writes() == []
