# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks of netdiag.thousandeyes against the bundled emulator: what a task costs, beside the obvious alternative.

``make bench`` runs this from the synced collection tree; by hand, with the collection on ANSIBLE_COLLECTIONS_PATH:

    python bench/run.py [--reps 5] [--results bench/results] [--report BENCHMARKS.md] [--sections counts,timing,...]

It starts the emulator on a loopback port, runs the playbooks of bench/playbooks with real ansible-playbook and reads the
emulator's request log. It prints a table, writes the raw figures to the results folder (git-ignored) and the report to
BENCHMARKS.md. Timings are compared only as ratios of runs taken in turn in this one session (median of the per-round
ratios); nothing here asserts a timing. A benchmark stops with an error only when a playbook fails or the emulator's log
shows that the work was not done (a test not created, a create refused).
"""

from __future__ import annotations

import argparse
import base64
import datetime
import io
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from emulator import control  # noqa: E402  pylint: disable=wrong-import-position
from tests.scenarios import locations as location_table  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOKS = ROOT / 'bench' / 'playbooks'
CALLBACKS = ROOT / 'bench' / 'callback_plugins'
SECTIONS = ('counts', 'timing', 'scaling', 'drain', 'memory', 'locations', 'page')
# Budgets so large that they never interfere, for every benchmark that is not about rate limits.
UNLIMITED = {'org': {'limit': 1000000, 'window': 60}, 'instant': {'limit': 1000000, 'window': 60}}
AGENTS = [101, 102]
TIMING_TASKS = 8
SCALING_TARGETS = (1, 5, 20)
# Not close to a poll of the first wait (about 0, 2, 5 and 9.5 s after it starts), where a run-to-run jitter of
# 0.1 s would move the 1-target time by a whole poll interval.
SCALING_DELAY = 8.0
COUNT_TARGETS = 3
DRAIN_CREATES = 60
DRAIN_BUDGET = {'limit': 10, 'window': 5}
GOALS = {'create_ratio': 1.3, 'scaling_ratio': 2.0, 'drain_ratio': 1.15}


class BenchError(Exception):
    """A benchmark could not do its work (a playbook failed, the emulator did not see what was expected)."""


def median(values):
    return statistics.median(values) if values else None


def fmt(value, digits=2, suffix=''):
    if value is None:
        return 'n/a'
    return ('%.' + str(digits) + 'f%s') % (value, suffix)


def spread(values, digits=2):
    """``median (min-max)`` of a list of numbers."""
    if not values:
        return 'n/a'
    return '%s (%s-%s)' % (fmt(median(values), digits), fmt(min(values), digits), fmt(max(values), digits))


def say(message):
    print(message, flush=True)


# Playbook runs -----------------------------------------------------------------------------------------

class PlayRun:
    """One ansible-playbook run: exit code, wall time, the per-task timings of bench_timing and the saved output."""

    def __init__(self, rc, wall, tasks, output, saved):
        self.rc = rc
        self.wall = wall
        self.tasks = tasks
        self.output = output
        self.saved = saved

    def task(self, prefix):
        """The first task whose name (without the role prefix) starts with ``prefix``."""
        for task in self.tasks:
            if task['name'].split(' : ')[-1].startswith(prefix):
                return task
        raise BenchError('no task named %r in this run' % prefix)

    def durations(self, name):
        """Wall time of every task with exactly this name, in order."""
        return [task['end'] - task['start'] for task in self.tasks if task['name'].split(' : ')[-1] == name and task['end'] is not None]

    def seconds(self, prefix):
        task = self.task(prefix)
        return task['end'] - task['start']

    def span(self):
        """From the start of the first task to the end of the last one (ansible-playbook's start-up left out)."""
        ends = [task['end'] for task in self.tasks if task['end'] is not None]
        return max(ends) - self.tasks[0]['start']


class Runner:
    """Runs the bench playbooks against one emulator with the environment a user would set (TE_*)."""

    def __init__(self, emulator, workdir, log):
        self.emulator = emulator
        self.workdir = workdir
        self.log = log
        self.runs = 0
        playbook = shutil.which('ansible-playbook') or os.path.join(os.path.dirname(sys.executable), 'ansible-playbook')
        self.command = [playbook]

    def env(self, api_version, timing_file, extra=None):
        env = dict((key, value) for key, value in os.environ.items() if not key.startswith('TE_'))
        env.update(
            TE_API_URL=self.emulator.url,
            TE_TOKEN=control.TOKEN,
            TE_API_VERSION=api_version,
            ANSIBLE_CALLBACK_PLUGINS=str(CALLBACKS),
            ANSIBLE_CALLBACKS_ENABLED='bench_timing',
            BENCH_TIMING_FILE=str(timing_file),
            ANSIBLE_PYTHON_INTERPRETER=sys.executable,
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
            ANSIBLE_NOCOLOR='1',
            ANSIBLE_FORCE_COLOR='0',
            ANSIBLE_LOCALHOST_WARNING='false',
            ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
            ANSIBLE_RETRY_FILES_ENABLED='false',
        )
        env.update(extra or {})
        return env

    def play(self, playbook, api_version='v6', env=None, save=False, **extra_vars):
        self.runs += 1
        timing_file = self.workdir / ('timing-%d.json' % self.runs)
        output_file = self.workdir / ('output-%d.json' % self.runs)
        if save:
            extra_vars['bench_output'] = str(output_file)
        command = self.command + [str(PLAYBOOKS / playbook), '-e', json.dumps(extra_vars)]
        start = time.monotonic()
        completed = subprocess.run(command, env=self.env(api_version, timing_file, env), stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, text=True, timeout=900, check=False)
        wall = time.monotonic() - start
        self.log.write('### run %d: %s %s (%s) rc=%s %.2fs\n%s\n' % (
            self.runs, playbook, json.dumps(extra_vars, sort_keys=True), api_version, completed.returncode, wall, completed.stdout))
        self.log.flush()
        if completed.returncode != 0:
            raise BenchError('%s %s exited %s:\n%s' % (playbook, json.dumps(extra_vars), completed.returncode, completed.stdout[-4000:]))
        tasks = json.loads(timing_file.read_text(encoding='utf-8'))
        saved = json.loads(output_file.read_text(encoding='utf-8')) if save else None
        return PlayRun(completed.returncode, wall, tasks, completed.stdout, saved)

    # The emulator's request log ------------------------------------------------------------------------
    def clear_log(self):
        self.emulator.control('DELETE', 'requests')

    def log_entries(self):
        return self.emulator.requests()


def operations(entries):
    """Requests per operation (429s counted apart, as ``create 429``)."""
    counts = Counter()
    for entry in entries:
        name = entry['operation']
        if entry.get('status') == 429:
            name += ' 429'
        counts[name] += 1
    return dict(counts)


def describe_ops(ops, order=('list_agents', 'list_tests', 'get_test', 'create', 'rerun', 'results', 'delete')):
    parts = ['%s %s' % (ops[name], name) for name in order if ops.get(name)]
    parts += ['%s %s' % (value, name) for name, value in sorted(ops.items()) if name not in order and value]
    return ', '.join(parts) or 'none'


def results_request(entry):
    """(testId, layer) of a results request: v6 ``/v6/net/metrics/123.json`` is layer ``net/metrics`` of test 123,
    v7 ``/v7/test-results/123/network`` is layer ``network``."""
    parts = re.sub(r'\.(json|xml)$', '', entry['path']).strip('/').split('/')[1:]
    if parts and parts[0] == 'test-results':
        return parts[1], '/'.join(parts[2:])
    index = next((index for index, part in enumerate(parts) if part.isdigit()), len(parts))
    return '/'.join(parts[index:index + 1]), '/'.join(parts[:index])


def layers_read(entries):
    """Distinct result layers read per test, from the results requests of the log: {testId: set of layers}."""
    layers = {}
    for entry in entries:
        if entry['operation'] == 'results':
            test_id, layer = results_request(entry)
            layers.setdefault(test_id, set()).add(layer)
    return layers


def first_wait_overshoot(entries, tests):
    """Seconds from the moment the first test's rows were visible to the read that found them (the poll granularity)."""
    first = min(tests, key=lambda test: int(test['testId']))
    visible = first['runs'][-1]['visibleAt']
    reads = [entry['time'] for entry in entries
             if entry['operation'] == 'results' and results_request(entry)[0] == str(first['testId']) and entry['time'] >= visible]
    return (min(reads) - visible) if reads else None


# 1. Requests per operation -----------------------------------------------------------------------------

def bench_counts(runner, emulator):
    results = {'modules': {}, 'diagnose': {}}
    for version in ('v6', 'v7'):
        say('  requests per operation, API %s' % version)
        emulator.reset(result_delay=1.0, rate_limits=UNLIMITED)
        rows = {}
        runner.clear_log()
        created = runner.play('instant_test.yml', version, save=True, bench_count=1, bench_prefix='count-%s' % version).saved[0]
        if created.get('outcome') != 'created':
            raise BenchError('the create did not create: %s' % created.get('outcome'))
        rows['create'] = operations(runner.log_entries())
        runner.clear_log()
        again = runner.play('instant_test.yml', version, save=True, bench_count=1, bench_prefix='count-%s' % version).saved[0]
        if again.get('outcome') != 'unchanged':
            raise BenchError('the same task again was %s, not unchanged' % again.get('outcome'))
        rows['unchanged'] = operations(runner.log_entries())
        test_id = created['test_id']
        runner.clear_log()
        rerun = runner.play('rerun.yml', version, save=True, bench_test_id=test_id)
        if not rerun.saved.get('started_at'):
            raise BenchError('the rerun returned no started_at')
        rows['rerun'] = operations(runner.log_entries())
        time.sleep(1.5)  # the rerun's rows appear after result_delay
        runner.clear_log()
        read = runner.play('results.yml', version, save=True, bench_test_id=test_id).saved
        rows['results'] = operations(runner.log_entries())
        layer_count = len(created['data_links'])
        if not read.get('summary'):
            raise BenchError('the results fetch returned no summary rows')
        results['modules'][version] = dict(rows=rows, layers=layer_count, test_type='http-server')

    say('  requests per operation, diagnose role (API v6, %d targets, new then reused)' % COUNT_TARGETS)
    emulator.reset(result_delay=1.0, rate_limits=UNLIMITED)
    for phase in ('new', 'reused'):
        runner.clear_log()
        runner.play('diagnose.yml', 'v6', **diagnose_vars(COUNT_TARGETS))
        entries = runner.log_entries()
        results['diagnose'][phase] = diagnose_counts(entries, emulator, COUNT_TARGETS)
    results['verdicts'] = verdict_counts(runner, emulator)
    return results


# One URL target per fault scenario of the emulator: (location, scenario, agents, path details the verdict needs).
# The path details needed: none without a network breach or when the server or DNS decides; the breaching agents'
# for a shared hop; with only some agents breaching, theirs and the healthy agents' to compare (what tells agents
# from path).
VERDICT_TARGET = 'https://shop.example.com/health'
VERDICT_SCENARIOS = (
    ('none', None, [101, 102], 0),
    ('path', {'fault': 'hop', 'hop': 5, 'loss': 40}, [101, 102], 2),
    ('target', {'fault': 'server', 'status': 503}, [101, 102], 0),
    ('dns', {'fault': 'dns', 'error': 'SERVFAIL'}, [101, 102], 0),
    ('agents', {'fault': 'agents', 'agents': [105], 'hop': 2, 'loss': 40}, [101, 102, 105], 3),
)
PATH_DETAIL = re.compile(r'/net/path-vis/\d+/\d+/\d+|/path-vis/agent/\d+/round/\d+')


def verdict_counts(runner, emulator):
    """The role's requests per verdict (API v7, one URL target, new tests) beside the minimum for the same verdict."""
    found = {}
    for location, scenario, agents, details_needed in VERDICT_SCENARIOS:
        say('  requests for a %s verdict' % location)
        emulator.reset(result_delay=1.0, rate_limits=UNLIMITED, scenarios={VERDICT_TARGET: scenario} if scenario else {})
        runner.clear_log()
        run = runner.play('diagnose.yml', 'v7', save=False, diagnose_targets=[VERDICT_TARGET], diagnose_agents=agents,
                          diagnose_wait_timeout=120)
        entries = runner.log_entries()
        ops = operations(entries)
        details = sum(1 for entry in entries if PATH_DETAIL.search(entry['path']))
        layers = sum(len(paths) for paths in layers_read([entry for entry in entries if not PATH_DETAIL.search(entry['path'])]).values())
        created = ops.get('create', 0)
        polls = ops.get('results', 0) - details - layers
        # 1 agents listing, a create per test (tests list + POST), one GET per result layer, the path details needed.
        minimum = 1 + 2 * created + layers + details_needed
        if location != 'none' and 'location: %s' % location not in run.output:
            raise BenchError('the %s scenario did not show location %s in the play output' % (location, location))
        found[location] = dict(tests=created, layers=layers, path_details=details, path_details_needed=details_needed,
                               total=sum(ops.values()), polls=polls, minimum=minimum, ops=ops)
    return found


def diagnose_vars(targets):
    return dict(diagnose_targets=['app%02d.example.com' % index for index in range(targets)], diagnose_agents=AGENTS,
                diagnose_wait_timeout=120)


def diagnose_counts(entries, emulator, targets):
    """What the role sent for ``targets`` targets, and the minimum for the same work (see BENCHMARKS.md)."""
    ops = operations(entries)
    layers = layers_read(entries)
    tests = emulator.tests()
    reused = ops.get('rerun', 0)
    created = ops.get('create', 0)
    test_count = created + reused
    layer_total = sum(len(paths) for paths in layers.values())
    if len(tests) != test_count or len(layers) != test_count:
        raise BenchError('the diagnose role ran %d tests (%d created, %d rerun) but read results of %d'
                         % (len(tests), created, reused, len(layers)))
    total = sum(ops.values())
    # The minima of the single operations, composed: a new test is a create (tests list + POST), a reused one an
    # unchanged lookup (tests list + detail) and a rerun by ID (detail + POST); then one read per result layer; the
    # agents listing once per run.
    minimum = 2 * created + 4 * reused + layer_total + 1
    extra_polls = ops.get('results', 0) - layer_total
    return dict(targets=targets, tests=test_count, created=created, reused=reused, layers=layer_total, ops=ops, total=total,
                minimum=minimum, per_target=total / targets, per_target_no_polls=(total - extra_polls) / targets,
                minimum_per_target=minimum / targets, extra_polls=extra_polls, extra_details=ops.get('get_test', 0) - 2 * reused)


# 6. Where the diagnose role places faults ------------------------------------------------------------------

def bench_locations(runner, emulator):
    """The scenario table (tests/scenarios/locations.yml) through the role: one run per API version, a target per row."""
    table = location_table.load()
    rows = table['rows']
    found = {}
    for version in ('v6', 'v7'):
        say('  scenario table, API %s (%d targets)' % (version, len(rows)))
        emulator.reset(result_delay=1.0, rate_limits=UNLIMITED, scenarios=location_table.emulator_scenarios(rows))
        run = runner.play('diagnose.yml', version, save=True, diagnose_targets=[location_table.target(row) for row in rows],
                          diagnose_agents=table['agents'], diagnose_tests=['http-server'], diagnose_wait_timeout=120)
        found[version] = location_table.compare(rows, run.saved)
    return dict(rows=[dict(name=row['name'], about=row['about']) for row in rows], found=found,
                date=datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))


# 7. The report page for a NOC -------------------------------------------------------------------------

CHROMIUM_NAMES = ('chromium', 'chromium-headless-shell', 'chromium-browser')
CHROMIUM_FLAGS = ('--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--hide-scrollbars',
                  # Nothing leaves the machine: every request would go to a closed loopback port.
                  '--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<-loopback>')
PAGE_WIDTH = 1280
# The measuring copy of the page: one inline script, allowed by its own policy, that writes the page's height into
# the title (no box, so the layout it measures is the page's), and the heights of the visible matrices, drawings and
# hop tables. OPEN_ALL opens every section and path first.
MEASURE = ('<script>addEventListener("load",function(){%s'
           'function sum(css){var total=0;document.querySelectorAll(css).forEach(function(e){'
           'if(e.checkVisibility()){total+=e.getBoundingClientRect().height;}});'
           'return Math.round(total);}'
           'document.title="height:"+document.documentElement.scrollHeight+";matrix:"+sum("table.matrix")+";drawings:"+sum("svg.path")'
           '+";hops:"+sum("table.hops");});</script>')
OPEN_ALL = 'document.querySelectorAll("details").forEach(function(d){d.open=true;});'


def noc_page():
    """The HTML page of the 20 targets by 8 agents report (tests/unit/.../report_page_data.py), or None when the
    collection is not on its ansible_collections path (bench runs from the synced tree)."""
    collections = ROOT.parents[2]
    if ROOT.parent.parent.name != 'ansible_collections':
        return None
    if str(collections) not in sys.path:
        sys.path.insert(0, str(collections))
    # pylint: disable=import-outside-toplevel
    from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import diagnose_report_html
    from ansible_collections.netdiag.thousandeyes.tests.unit.plugins.plugin_utils._diagnose.report_page_data import noc_report
    return diagnose_report_html(noc_report())


def page_height(chromium, page, workdir, open_all=False):
    """``document.documentElement.scrollHeight`` of the page in headless Chromium, at PAGE_WIDTH px, from file://."""
    script = MEASURE % (OPEN_ALL if open_all else '')
    measured = page.replace("default-src 'none'; style-src 'unsafe-inline'", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'", 1)
    measured = measured.replace('</body>', script + '</body>', 1)
    path = workdir / ('page-open.html' if open_all else 'page.html')
    path.write_text(measured, encoding='utf-8')
    command = [chromium, *CHROMIUM_FLAGS, '--user-data-dir=%s' % (workdir / 'chromium-profile'), '--window-size=%d,1000' % PAGE_WIDTH,
               '--virtual-time-budget=5000', '--dump-dom', path.as_uri()]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    match = re.search(r'<title>height:(\d+);matrix:(\d+);drawings:(\d+);hops:(\d+)</title>', completed.stdout)
    if completed.returncode != 0 or not match:
        raise BenchError('chromium did not measure the page (exit %d): %s' % (completed.returncode, completed.stderr[-500:]))
    return dict(zip(('height', 'matrix', 'drawings', 'hops'), (int(value) for value in match.groups())))


def bench_page(workdir):
    """Size and rendered height of the report page at 20 targets by 8 agents; skipped without Chromium."""
    page = noc_page()
    if page is None:
        say('  skipped: the collection is not on an ansible_collections path (run make bench)')
        return dict(skipped='the collection is not on an ansible_collections path')
    figures = dict(bytes=len(page.encode('utf-8')), drawings=page.count('<svg'), targets=page.count('<details class="target"'),
                   width=PAGE_WIDTH, date=datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC'))
    chromium = next((shutil.which(name) for name in CHROMIUM_NAMES if shutil.which(name)), None)
    if chromium is None:
        say('  skipped the height: no Chromium (chromium, chromium-headless-shell or chromium-browser) on PATH')
        figures['skipped'] = 'no Chromium on PATH'
        return figures
    figures['chromium'] = subprocess.run([chromium, '--version'], capture_output=True, text=True, timeout=60, check=False).stdout.strip()
    opened = page_height(chromium, page, workdir)
    figures.update(height=opened['height'], parts=dict((key, value) for key, value in opened.items() if key != 'height'))
    figures['height_all_open'] = page_height(chromium, page, workdir, open_all=True)['height']
    say('  %d KB, %d px tall as opened, %d px with every section open' % (round(figures['bytes'] / 1024), figures['height'], figures['height_all_open']))
    return figures


# 2. Seconds per task ---------------------------------------------------------------------------------

def bench_timing(runner, emulator, reps):
    """Rounds of TIMING_TASKS pairs of tasks (module, then uri), one playbook run per round; per-round ratio of the sums."""
    create = {'instant_test': [], 'uri': [], 'ratios': []}
    unchanged = {'instant_test': [], 'uri': [], 'ratios': []}
    same_body = True
    for rep in range(reps):
        say('  creates, round %d/%d' % (rep + 1, reps))
        emulator.reset(rate_limits=UNLIMITED)
        run = runner.play('pairs.yml', bench_mode='create', bench_count=TIMING_TASKS, bench_prefix='r%d' % rep)
        bodies = [entry['body'] for entry in runner.log_entries() if entry['operation'] == 'create' and entry['status'] == 201]
        if len(bodies) != 2 * TIMING_TASKS:
            raise BenchError('expected %d creates, the emulator accepted %d' % (2 * TIMING_TASKS, len(bodies)))
        strip = [dict((key, value) for key, value in body.items() if key != 'testName') for body in bodies]
        same_body = same_body and all(body == strip[0] for body in strip)
        add_round(create, run.durations('Module create'), run.durations('Uri create'))

    emulator.reset(rate_limits=UNLIMITED)
    runner.play('instant_test.yml', bench_count=TIMING_TASKS, bench_prefix='same')
    for rep in range(reps):
        say('  unchanged, round %d/%d' % (rep + 1, reps))
        runner.clear_log()
        run = runner.play('pairs.yml', bench_mode='unchanged', bench_count=TIMING_TASKS, bench_prefix='same')
        if operations(runner.log_entries()).get('create'):
            raise BenchError('the unchanged tasks created tests')
        add_round(unchanged, run.durations('Module unchanged'), run.durations('Uri tests list'))
    return dict(create=create, unchanged=unchanged, same_body=same_body, tasks=TIMING_TASKS, reps=reps)


def add_round(figures, module, uri):
    if len(module) != TIMING_TASKS or len(uri) != TIMING_TASKS:
        raise BenchError('expected %d timed tasks of each kind, got %d and %d' % (TIMING_TASKS, len(module), len(uri)))
    figures['instant_test'].append(sum(module) / len(module))
    figures['uri'].append(sum(uri) / len(uri))
    figures['ratios'].append(sum(module) / sum(uri))


# 3. The diagnose role with 1, 5 and 20 targets -------------------------------------------------------

def bench_scaling(runner, emulator, reps):
    runs = dict((str(targets), []) for targets in SCALING_TARGETS)  # str: the keys survive JSON
    for rep in range(reps):
        for targets in SCALING_TARGETS:
            say('  diagnose, %d target%s, round %d/%d' % (targets, '' if targets == 1 else 's', rep + 1, reps))
            emulator.reset(result_delay=SCALING_DELAY, rate_limits=UNLIMITED)
            run = runner.play('diagnose.yml', 'v6', **diagnose_vars(targets))
            entries = runner.log_entries()
            counts = diagnose_counts(entries, emulator, targets)
            runs[str(targets)].append(dict(seconds=run.span(), wall=run.wall, creates=run.seconds('Create each test'),
                                           waits=run.seconds('Wait for the results'), tests=counts['tests'], requests=counts['total'],
                                           minimum=counts['minimum'], extra_polls=counts['extra_polls'],
                                           overshoot=first_wait_overshoot(entries, emulator.tests())))
    ratios = {}
    for targets in SCALING_TARGETS:
        ratios[str(targets)] = [run['seconds'] / runs['1'][index]['seconds'] for index, run in enumerate(runs[str(targets)])]
    return dict(runs=runs, ratios=ratios, delay=SCALING_DELAY, reps=reps)


# 4. Rate-limit drain ---------------------------------------------------------------------------------

def drain_minimum(creates, limit, window):
    """Seconds the budget allows for ``creates`` instant calls: every full window before the last one must pass."""
    windows = -(-creates // limit)  # ceiling
    return (windows - 1) * window


def achievable_minimum(minimum, creates, limit, pace):
    """The least time a loop at ``pace`` seconds per create can take: the budget's minimum plus the last window's creates,
    or, on a machine too slow for the budget to run out, every create at that pace."""
    return max(minimum + limit * pace, creates * pace)


def bench_drain(runner, emulator, reps):
    runs = []
    minimum = drain_minimum(DRAIN_CREATES, DRAIN_BUDGET['limit'], DRAIN_BUDGET['window'])
    for rep in range(reps):
        say('  drain of %d creates, round %d/%d' % (DRAIN_CREATES, rep + 1, reps))
        emulator.reset(rate_limits={'instant': DRAIN_BUDGET})
        run = runner.play('instant_test.yml', bench_count=DRAIN_CREATES, bench_prefix='drain%d' % rep)
        entries = runner.log_entries()
        ops = operations(entries)
        stored = len(emulator.tests())
        if ops.get('create') != DRAIN_CREATES or stored != DRAIN_CREATES:
            raise BenchError('the drain created %s tests (%s accepted creates), not %d' % (stored, ops.get('create'), DRAIN_CREATES))
        task = run.task('Create the tests')
        items = [end - start for start, end in zip([task['start']] + task['items'], task['items'])]
        accepted = [entry['time'] for entry in entries if entry['operation'] == 'create' and entry['status'] == 201]
        # The pace of a create with budget to spare: the tasks of the first window (before any 429), first one left out.
        pace = median(items[1:DRAIN_BUDGET['limit']])
        runs.append(dict(seconds=task['end'] - task['start'], first_to_last=accepted[-1] - accepted[0], throttled=ops.get('create 429', 0),
                         pace=pace, achievable=achievable_minimum(minimum, DRAIN_CREATES, DRAIN_BUDGET['limit'], pace),
                         requests=sum(ops.values())))
    return dict(runs=runs, minimum=minimum, creates=DRAIN_CREATES, budget=DRAIN_BUDGET, reps=reps)


# 5. Memory and profiles ------------------------------------------------------------------------------

RUSAGE_WRAPPER = '''
import json, resource, subprocess, sys, time
start = time.monotonic()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
print(json.dumps({"rc": done.returncode, "seconds": time.monotonic() - start, "stdout": done.stdout.decode(errors="replace"),
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
'''


def keep_modules(runner, emulator, keep_dir):
    """Run one create with instant_test and one with uri, keeping their AnsiballZ files; returns {name: path}."""
    env = {'ANSIBLE_KEEP_REMOTE_FILES': '1', 'ANSIBLE_REMOTE_TMP': str(keep_dir)}
    emulator.reset(rate_limits=UNLIMITED)
    runner.play('pairs.yml', env=env, bench_mode='create', bench_count=1, bench_prefix='keep')
    found = {}
    for name in ('instant_test', 'uri'):
        paths = sorted(keep_dir.glob('*/AnsiballZ_%s.py' % name))
        if not paths:
            raise BenchError('ANSIBLE_KEEP_REMOTE_FILES kept no AnsiballZ_%s.py' % name)
        found[name] = paths[0]
    return found


def payload(path):
    """Sizes of an AnsiballZ file: the file, its embedded zip, and the part that is this collection's code."""
    text = path.read_text(encoding='utf-8')
    match = re.search(r"zip_data\s*=\s*'([^']*)'", text) or re.search(r'ZIPDATA\s*=\s*"""(.*?)"""', text, re.S)
    info = dict(file_bytes=len(text.encode('utf-8')))
    if match:
        data = base64.b64decode(match.group(1))
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
        own = [entry for entry in entries if entry.filename.startswith('ansible_collections/')]
        info.update(zip_bytes=len(data), files=len(entries), source_bytes=sum(entry.file_size for entry in entries),
                    own_files=len(own), own_source_bytes=sum(entry.file_size for entry in own),
                    own_zip_bytes=sum(entry.compress_size for entry in own))
    return info


def import_profile(stderr):
    """From ``python -X importtime``: total import time and the parts that matter here (microseconds)."""
    rows = []
    for line in stderr.splitlines():
        match = re.match(r'import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)', line)
        if match:
            rows.append((int(match.group(1)), int(match.group(2)), match.group(4)))
    cumulative = dict((name, cumul) for dummy, cumul, name in rows)
    return dict(total=sum(row[0] for row in rows), requests=cumulative.get('requests'),
                basic=cumulative.get('ansible.module_utils.basic'), urls=cumulative.get('ansible.module_utils.urls'),
                own=sum(own for own, dummy, name in rows if name.startswith('ansible_collections.netdiag.thousandeyes.')))


def run_module_file(path, env):
    """Run a kept AnsiballZ file under the rusage wrapper: its wall time and peak RSS; fails if the module failed."""
    command = [sys.executable, '-c', RUSAGE_WRAPPER, sys.executable, str(path)]
    completed = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=True)
    result = json.loads(completed.stdout)
    output = result['stdout']
    module_result = json.loads(output[output.index('{'):]) if '{' in output else {}
    if result['rc'] != 0 or module_result.get('failed'):
        raise BenchError('%s failed: %s' % (path.name, output[-2000:]))
    return result


def import_times(path, env):
    """Run a kept AnsiballZ file with ``python -X importtime`` and profile its imports."""
    completed = subprocess.run([sys.executable, '-X', 'importtime', str(path)], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, check=False)
    if completed.returncode != 0:
        raise BenchError('%s failed: %s' % (path.name, completed.stdout[-2000:]))
    return import_profile(completed.stderr)


def connection_profile(emulator, reps):
    """Requests per connection in one client (one module run), and the cost of a new connection per request."""
    for entry in os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep):
        if entry and entry not in sys.path:
            sys.path.append(entry)
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import ThousandEyesClient
    # pylint: disable-next=import-outside-toplevel
    from ansible_collections.netdiag.thousandeyes.plugins.module_utils._connection import ConnectionSettings

    settings = ConnectionSettings.from_params(dict(api_url=emulator.url, api_version='v6', token=control.TOKEN, timeout=30,
                                                   rate_limit_max_wait=0, validate_certs=True))
    emulator.reset(rate_limits=UNLIMITED)
    client = ThousandEyesClient(settings)
    client.get('tests')
    client.post('instant/http-server', body={'testName': 'connection', 'url': 'https://shop.example.com/health',
                                             'agents': [{'agentId': agent} for agent in AGENTS]}, instant=True)
    connections = requests_sent = 0
    for adapter in client.session.adapters.values():
        pools = adapter.poolmanager.pools
        for key in list(pools.keys()):
            connections += pools[key].num_connections
            requests_sent += pools[key].num_requests
    client.close()

    calls = 20
    reused, fresh = [], []
    for dummy in range(reps):
        client = ThousandEyesClient(settings)
        start = time.monotonic()
        for dummy_call in range(calls):
            client.get('status')
        reused.append((time.monotonic() - start) / calls)
        client.close()
        start = time.monotonic()
        for dummy_call in range(calls):
            client = ThousandEyesClient(settings)
            client.get('status')
            client.close()
        fresh.append((time.monotonic() - start) / calls)
    return dict(connections=connections, requests=requests_sent, reused_ms=median(reused) * 1000, fresh_ms=median(fresh) * 1000)


def bench_memory(runner, emulator, reps, workdir):
    keep_dir = Path(tempfile.mkdtemp(prefix='keep-', dir=workdir))
    modules = keep_modules(runner, emulator, keep_dir)
    env = runner.env('v6', workdir / 'unused.json')
    results = dict((name, dict(maxrss_kb=[], seconds=[], imports=[], payload=payload(path))) for name, path in modules.items())
    for rep in range(reps):
        say('  one module run, round %d/%d' % (rep + 1, reps))
        for name, path in modules.items():
            emulator.reset(rate_limits=UNLIMITED)
            measured = run_module_file(path, env)
            results[name]['maxrss_kb'].append(measured['maxrss_kb'])
            results[name]['seconds'].append(measured['seconds'])
        for name, path in modules.items():
            emulator.reset(rate_limits=UNLIMITED)
            results[name]['imports'].append(import_times(path, env))
    shutil.rmtree(keep_dir, ignore_errors=True)
    say('  connection reuse')
    results['connections'] = connection_profile(emulator, reps)
    return results


# The report ------------------------------------------------------------------------------------------

def versions():
    info = dict(python=platform.python_version(), cpus=os.cpu_count(), system=platform.system())
    try:
        # pylint: disable-next=import-outside-toplevel
        from ansible.release import __version__ as ansible_version
        info['ansible_core'] = ansible_version
    except ImportError:
        info['ansible_core'] = 'unknown'
    try:
        import requests  # pylint: disable=import-outside-toplevel
        info['requests'] = requests.__version__
    except ImportError:
        info['requests'] = 'missing'
    return info


def verdict(met):
    return 'met' if met else 'MISSED'


def summary_rows(data):
    """The goals table: (what, figure, goal, verdict)."""
    rows = []
    counts = data.get('counts')
    if counts:
        for version, module in sorted(counts['modules'].items()):
            for operation, minimum in (('create', 2), ('unchanged', 2), ('rerun', 2)):
                total = sum(module['rows'][operation].values())
                rows.append(('%s requests, %s' % (operation, version), str(total), '%d (minimum)' % minimum, verdict(total <= minimum)))
            total = sum(module['rows']['results'].values())
            layers = module['layers']
            rows.append(('results fetch requests, %s' % version, str(total), '%d (one per layer; %d by test ID)' % (layers, layers + 1),
                         verdict(total <= layers) if total != layers + 1 else 'met by test ID; +1 definition read'))
        for phase in ('new', 'reused'):
            found = counts['diagnose'][phase]
            rows.append(('diagnose requests per target, %s tests, polls left out' % phase, fmt(found['per_target_no_polls'], 1),
                         '%s (minimum)' % fmt(found['minimum_per_target'], 1),
                         verdict(found['total'] - found['extra_polls'] <= found['minimum'])))
        verdicts = counts.get('verdicts') or {}
        for location in [location for location, _scenario, _agents, _needed in VERDICT_SCENARIOS if location in verdicts]:
            found = verdicts[location]
            rows.append(('diagnose requests, location %s, polls left out' % location, str(found['total'] - found['polls']),
                         '%d (minimum)' % found['minimum'], verdict(found['total'] - found['polls'] <= found['minimum'])))
    timing = data.get('timing')
    if timing:
        value = median(timing['create']['ratios'])
        rows.append(('instant_test create / uri POST, seconds per task', fmt(value, 2, 'x'), '<= %sx' % GOALS['create_ratio'],
                     verdict(value <= GOALS['create_ratio'])))
        value = median(timing['unchanged']['ratios'])
        rows.append(('instant_test unchanged / uri GET, seconds per task', fmt(value, 2, 'x'), 'reported', '-'))
    scaling = data.get('scaling')
    if scaling:
        for targets in SCALING_TARGETS[1:]:
            value = median(scaling['ratios'][str(targets)])
            goal = '<= %sx' % GOALS['scaling_ratio'] if targets == SCALING_TARGETS[-1] else 'reported'
            rows.append(('diagnose %d targets / 1 target, wall time' % targets, fmt(value, 2, 'x'), goal,
                         verdict(value <= GOALS['scaling_ratio']) if targets == SCALING_TARGETS[-1] else '-'))
    drain = data.get('drain')
    if drain:
        value = median([run['seconds'] for run in drain['runs']]) / drain['minimum']
        rows.append(('drain of %d creates / theoretical minimum' % drain['creates'], fmt(value, 3, 'x'),
                     '<= %sx' % GOALS['drain_ratio'], verdict(value <= GOALS['drain_ratio'])))
        achievable = median([run['seconds'] / achievable_minimum(drain['minimum'], drain['creates'], drain['budget']['limit'], run['pace'])
                             for run in drain['runs']])
        rows.append(('drain of %d creates / achievable minimum at the measured pace' % drain['creates'], fmt(achievable, 2, 'x'),
                     'reported', '-'))
    found = (data.get('locations') or {}).get('found') or {}
    for version, results in sorted(found.items()):
        right = sum(1 for entry in results if entry['right'])
        rows.append(('diagnose location scenario table, %s: rows right' % version, '%d of %d' % (right, len(results)),
                     'all', verdict(right == len(results))))
    page = data.get('page')
    if page and page.get('bytes'):
        rows.append(('diagnose report page, 20 targets x 8 agents: size, height as opened',
                     '%d KB, %s' % (round(page['bytes'] / 1024), '%d px' % page['height'] if page.get('height') else 'height not measured'),
                     'reported', '-'))
    memory = data.get('memory')
    if memory:
        module, uri = median(memory['instant_test']['maxrss_kb']), median(memory['uri']['maxrss_kb'])
        rows.append(('peak RSS of one module run, instant_test / uri', '%s / %s MiB' % (fmt(module / 1024, 1), fmt(uri / 1024, 1)),
                     'reported', '-'))
    return rows


def table(headers, rows):
    lines = ['| ' + ' | '.join(headers) + ' |', '|' + '|'.join('---' for dummy in headers) + '|']
    lines += ['| ' + ' | '.join(str(cell) for cell in row) + ' |' for row in rows]
    return '\n'.join(lines)


def plain_table(headers, rows):
    widths = [max(len(str(row[index])) for row in [headers] + rows) for index in range(len(headers))]
    lines = ['  '.join(str(cell).ljust(width) for cell, width in zip(headers, widths))]
    lines.append('  '.join('-' * width for width in widths))
    lines += ['  '.join(str(cell).ljust(width) for cell, width in zip(row, widths)) for row in rows]
    return '\n'.join(lines)


def report(data):
    """BENCHMARKS.md from the figures of this run."""
    info = data['environment']
    out = ['# Benchmarks', '',
           'What a task of this collection costs against the emulator, beside the obvious alternative '
           '(`ansible.builtin.uri` tasks). Written by `make bench` (`bench/run.py`); this is the report of the last run, '
           'taken on %s with %s CPUs, Python %s, ansible-core %s and requests %s, %d rounds per timing; it took %s minutes.'
           % (data['date'], info['cpus'], info['python'], info['ansible_core'], info['requests'], data['reps'],
              fmt(data.get('total_seconds', 0) / 60, 1)), '',
           'Timings are machine dependent, so only ratios are compared: the two sides of a ratio run in turn (A, B, A, B, ...) '
           'in one session, and the figure is the median of the per-round ratios. Nothing in `make test` asserts a timing. '
           'Request counts come from the emulator\'s request log. Raw figures of each run are in `bench/results/` '
           '(not committed).', '',
           '## Goals', '', table(('figure', 'measured', 'goal', 'verdict'), summary_rows(data)), '']
    if 'counts' in data:
        out += report_counts(data['counts'])
    if 'timing' in data:
        out += report_timing(data['timing'])
    if 'scaling' in data:
        out += report_scaling(data['scaling'])
    if 'drain' in data:
        out += report_drain(data['drain'])
    if 'memory' in data:
        out += report_memory(data['memory'], data.get('timing'))
    if 'locations' in data:
        out += report_locations(data['locations'])
    if 'page' in data:
        out += report_page(data['page'])
    out += report_bounds(data)
    return '\n'.join(out).rstrip() + '\n'


def report_counts(counts):
    out = ['## 1. HTTP requests per operation', '',
           'One task each, agents given by ID, an http-server test (its layers: network, path-vis, http-server), read from the '
           'emulator\'s request log. API v7 tasks give `type` where a test is read by ID, since v7 needs the type in the '
           'detail path (without it, one tests-list lookup more).', '']
    rows = []
    minimum = {
        'create': ('2', '1 tests list (is there a test of that name and type?) + 1 create POST. Agents by ID need no agents request.'),
        'unchanged': ('2', '1 tests list + 1 detail GET: the list carries no agents, so comparing the settings needs the definition.'),
        'rerun': ('2', '1 detail GET (the definition the module returns) + 1 rerun POST.'),
    }
    for operation in ('create', 'unchanged', 'rerun', 'results'):
        cells = [operation]
        for version in ('v6', 'v7'):
            module = counts['modules'][version]
            found = module['rows'][operation]
            cells.append('%d (%s)' % (sum(found.values()), describe_ops(found)))
        if operation == 'results':
            layers = counts['modules']['v6']['layers']
            cells += ['%d + 1' % layers, 'one GET per layer for the latest round (%d layers); + 1 detail GET when the caller knows only '
                      'the test ID, as the layers and agents come from the definition (the module always reads it: it returns '
                      '`test` and `data_links`)' % layers]
        else:
            cells += list(minimum[operation])
        rows.append(cells)
    out += [table(('operation', 'v6', 'v7', 'minimum', 'how the minimum is derived'), rows), '']

    rows = []
    for phase in ('new', 'reused'):
        found = counts['diagnose'][phase]
        rows.append(('%d targets, %s tests' % (found['targets'], phase), found['tests'], found['layers'], found['total'],
                     describe_ops(found['ops']), found['minimum'], fmt(found['per_target'], 1), fmt(found['minimum_per_target'], 1),
                     found['extra_polls'], found['extra_details']))
    if counts.get('verdicts'):
        verdict_rows = [(location, found['tests'], found['layers'], '%d (%d needed)' % (found['path_details'], found['path_details_needed']),
                         found['total'], found['minimum'], found['polls'], found['total'] - found['polls'] - found['minimum'])
                        for location, found in sorted(counts['verdicts'].items(),
                                                      key=lambda item: [scenario[0] for scenario in VERDICT_SCENARIOS].index(item[0]))]
        verdicts = ['Requests per verdict: the diagnose role on one URL target (API v7, new tests: http-server and dns-trace) '
                    'under each fault scenario of the emulator. The minimum is 1 agents listing, 2 per create, 1 GET per result '
                    'layer and the path details the verdict needs (the breaching agents\' latest round; with only some agents '
                    'breaching, the healthy ones\' too). "Above minimum" leaves out the polls.', '',
                    table(('location', 'tests', 'layers', 'path details', 'requests', 'minimum', 'polls', 'above minimum'), verdict_rows),
                    '']
    else:
        verdicts = []
    out += ['The diagnose role (API v6, host targets, so two tests per target: agent-to-server and dns-trace; agents by ID). '
            'The minimum composes the minima above: 1 agents listing per run; per new test a create (2); per reused test '
            'an unchanged lookup (2) and a rerun by ID (2; the API alone would need 1, since the lookup already read the '
            'definition, but the rerun returns the definition it reads); then one GET per result layer of each test, read '
            'once when its rows are there. "Polls" are results GETs beyond one per layer: reads made before the rows '
            'existed, which any client that does not know the result delay makes too; the goal leaves them out. '
            '"Definition re-reads" are detail GETs beyond the minimum.', '',
            table(('run', 'tests', 'layers', 'requests', 'by operation', 'minimum', 'per target', 'minimum per target', 'polls',
                   'definition re-reads'), rows), ''] + verdicts
    return out


def report_locations(locations):
    """The scenario table: expected location against found (a confusion table per API version), then each row."""
    found = locations['found']
    out = ['## 6. Where the diagnose role places faults', '',
           'The scenario table `tests/scenarios/locations.yml` through the diagnose role: one run per API version, one URL '
           'target per row (http-server tests from Frankfurt, London and New York), each target with its own emulator '
           'scenarios. A row is right when the verdict, the location and the hop named (the first hop of the evidence; '
           '`destination` for the server\'s end) are the expected ones.%s' % (
               ' Measured on %s.' % locations['date'] if locations.get('date') else ''), '']
    names = ['none', 'target', 'path', 'dns', 'agents']
    for version, results in sorted(found.items()):
        cells = Counter((entry['expected']['location'], entry['found']['location']) for entry in results)
        rows = [['expected %s' % expected] + [str(cells.get((expected, name), '')) or '.' for name in names]
                for expected in names if any(key[0] == expected for key in cells)]
        out += ['Expected location (rows) against found (columns), API %s:' % version, '',
                table(['%s' % version] + ['found %s' % name for name in names], rows), '']
    versions = sorted(found)
    by_version = dict((version, dict((entry['name'], entry) for entry in found[version])) for version in versions)
    rows = []
    for row in locations['rows']:
        entries = [by_version[version][row['name']] for version in versions]
        expected = entries[0]['expected']
        rows.append([row['name'], row['about'], expected['verdict'], expected['location'], expected['hop']]
                    + ['%s, %s, %s' % (entry['found']['verdict'], entry['found']['location'], entry['found']['hop']) for entry in entries]
                    + ['yes' if all(entry['right'] for entry in entries) else 'NO'])
    out += [table(['scenario', 'what', 'verdict', 'location', 'hop'] + ['found %s' % version for version in versions] + ['right'], rows), '']
    return out


def report_page(page):
    """The report page at 20 targets by 8 agents: its size and its height in Chromium."""
    out = ['## 7. The report page for a NOC: 20 targets by 8 agents', '',
           'The HTML page of the report that `tests/unit/plugins/plugin_utils/_diagnose/report_page_data.py` builds (20 '
           'targets by 8 agents, each agent with its own LAN; five targets lose packets in transit and have their paths read, '
           'five answer 503, one name does not resolve), rendered by headless Chromium from a file:// URL with every request '
           'sent to a closed loopback port, %d px wide. The height is `document.documentElement.scrollHeight` after the load, '
           'read by one inline script in a copy of the page (the page itself has none): as the page opens (healthy targets '
           'folded, faults open), and with every target and path opened. (The figures of the issue that asked for this, '
           '398 KB and about 12,500 px, are of a page of its own, not of this data set.) Before the matrix had a row per '
           'agent (it had one per agent and test) and the page opened on what is wrong (the next step first, drawings '
           'open only where they place the fault, the tests and links folded), the same data measured 212 KB (217,395 '
           'bytes), 16,373 px as opened, of which 5,020 px matrices, 1,650 px drawings and 2,524 px hop tables, and '
           '25,271 px with every section open (2026-12-07).%s' % (
               page.get('width', PAGE_WIDTH), ' Measured on %s.' % page['date'] if page.get('date') else ''), '']
    if page.get('skipped') and not page.get('bytes'):
        return out + ['Not measured: %s.' % page['skipped'], '']
    rows = [('size', '%d KB (%d bytes)' % (round(page['bytes'] / 1024), page['bytes'])),
            ('targets, drawings', '%d, %d' % (page['targets'], page['drawings']))]
    if page.get('height'):
        parts = page.get('parts') or {}
        rows += [('height as opened', '%d px' % page['height']),
                 ('of which agent-by-test matrices, drawings, hop tables (as opened)', '%s px, %s px, %s px' % (
                     parts.get('matrix', '?'), parts.get('drawings', '?'), parts.get('hops', '?'))),
                 ('height, every section open', '%d px' % page['height_all_open']),
                 ('browser', page.get('chromium') or 'chromium')]
    else:
        rows.append(('height', 'not measured: %s' % page.get('skipped')))
    out += [table(('figure', 'value'), rows), '']
    parts = page.get('parts') or {}
    if page.get('height') and parts:
        out += ['Where the height goes, as the page opens: the agent-by-test matrices (a row per agent, the test types side '
                'by side: 8 rows for each open target) take %d px of the %d, the %d drawings %d px and their hop tables %d px '
                '(the agents\' own LANs folded); the rest is the summary table, the headings, next steps, reasons and '
                'evidence of the open targets, and a line per folded target and per folded list of tests and links.' % (
                    parts['matrix'], page['height'], page['drawings'], parts['drawings'], parts['hops']), '']
    return out


def merge_report(old, new, sections):
    """The report of a run of some sections only: the old report with the new one's sections and goal rows in place."""
    def blocks(text):
        parts, current = [], []
        for line in text.splitlines():
            if line.startswith('## ') and current:
                parts.append(current)
                current = []
            current.append(line)
        parts.append(current)
        return parts

    old_blocks, new_blocks = blocks(old), blocks(new)
    headings = [block[0] for block in old_blocks]
    for block in new_blocks[1:]:
        heading = block[0]
        if heading == '## Goals':
            goals = old_blocks[headings.index(heading)] if heading in headings else None
            if goals is None:
                continue
            new_rows = [line for line in block if line.startswith('| ') and not line.startswith('| figure')]
            keys = [line.split(' | ')[0] for line in new_rows]
            kept = [line for line in goals if not (line.startswith('| ') and line.split(' | ')[0] in keys)]
            last = max(index for index, line in enumerate(kept) if line.startswith('|'))
            goals[:] = kept[:last + 1] + new_rows + kept[last + 1:]
        elif heading == '## What bounds the figures':
            continue
        elif heading in headings:
            old_blocks[headings.index(heading)][:] = block
        else:
            at = headings.index('## What bounds the figures') if '## What bounds the figures' in headings else len(old_blocks)
            old_blocks.insert(at, block)
            headings.insert(at, heading)
    return '\n'.join(line for block in old_blocks for line in block).rstrip() + '\n'


def report_timing(timing):
    out = ['## 2. Seconds per task against `ansible.builtin.uri`', '',
           'Each round is one playbook run (`bench/playbooks/pairs.yml`) of %d pairs of tasks, one task of each kind in '
           'turn: an `instant_test` create (http-server, agents by ID) and a `uri` POST of the same body%s, with the same '
           'bearer token, to the same endpoint; then, in other rounds, an unchanged `instant_test` and a `uri` GET of the '
           'tests list (what a uri user does to see whether the test exists). Seconds per task come from a callback '
           '(task start to task end; ansible-playbook start-up left out). The ratio of a round is the sum of its module '
           'tasks over the sum of its uri tasks; the figure is the median over %d rounds.'
           % (timing['tasks'], ' (checked in the emulator\'s log)' if timing['same_body'] else ' (WARNING: the bodies differed)',
              timing['reps']), '']
    rows = []
    for name, label in (('create', 'create'), ('unchanged', 'unchanged / exists?')):
        found = timing[name]
        rows.append((label, spread(found['instant_test'], 3), spread(found['uri'], 3), spread(found['ratios'], 2)))
    out += [table(('task', 'instant_test s/task, median (min-max)', 'uri s/task', 'ratio per round, median (min-max)'), rows), '']
    return out


def report_scaling(scaling):
    out = ['## 3. The diagnose role with 1, 5 and 20 targets', '',
           'Host targets (two tests each: agent-to-server and dns-trace), agents by ID, result delay %s s, budgets lifted '
           '(the drain below is the rate-limit benchmark), a fresh emulator for each run, the three sizes in turn in each '
           'round. Wall time = first to last task of the play (ansible-playbook start-up left out). "Rows to read" is the '
           'time from the moment the first test\'s rows were visible to the poll that read them.' % fmt(scaling['delay'], 0), '']
    rows = []
    for targets in SCALING_TARGETS:
        runs = scaling['runs'][str(targets)]
        overshoot = [run['overshoot'] for run in runs if run['overshoot'] is not None]
        rows.append((targets, runs[0]['tests'], spread([run['seconds'] for run in runs], 1), spread([run['creates'] for run in runs], 1),
                     spread([run['waits'] for run in runs], 1), spread(overshoot, 1), spread(scaling['ratios'][str(targets)], 2),
                     '%d (%d)' % (median([run['requests'] - run['extra_polls'] for run in runs]), runs[0]['minimum']),
                     int(median([run['extra_polls'] for run in runs]))))
    out += [table(('targets', 'tests', 'wall s', 'create loop s', 'waiting phase s', 'rows to read s', 'ratio to 1 target',
                   'requests without polls (minimum)', 'polls'), rows), '']
    return out


def report_drain(drain):
    budget = drain['budget']
    runs = [dict(run, achievable=achievable_minimum(drain['minimum'], drain['creates'], budget['limit'], run['pace']))
            for run in drain['runs']]
    windows = -(-drain['creates'] // budget['limit'])
    out = ['## 4. Rate-limit drain', '',
           '%d creates in one loop (distinct names, agents by ID) under an instant budget of %d per %d-second window. '
           'Theoretical minimum: %d creates need %d windows; the last creates can go at the start of window %d, so %d full '
           'windows must pass: (%d - 1) x %d s = %d s, counting the creates themselves as instantaneous. The achievable '
           'minimum adds what the %d creates of the last window take at the pace of an unthrottled create (measured in the '
           'same run, first window), or, where that pace is too slow for the budget to run out, is every create at that '
           'pace: %s s.'
           % (drain['creates'], budget['limit'], budget['window'], drain['creates'], windows, windows, windows - 1, windows,
              budget['window'], drain['minimum'], budget['limit'], fmt(median([run['achievable'] for run in runs]), 1)), '']
    rows = [('task wall time s', spread([run['seconds'] for run in runs], 1)),
            ('first to last accepted create s', spread([run['first_to_last'] for run in runs], 1)),
            ('measured / theoretical minimum', spread([run['seconds'] / drain['minimum'] for run in runs], 3)),
            ('measured / achievable minimum', spread([run['seconds'] / run['achievable'] for run in runs], 2)),
            ('unthrottled create pace s', spread([run['pace'] for run in runs], 3)),
            ('429 answers (all creates succeeded)', spread([run['throttled'] for run in runs], 0)),
            ('requests', spread([run['requests'] for run in runs], 0))]
    out += [table(('figure', 'median (min-max)'), rows), '']
    return out


def report_memory(memory, timing):
    module, uri = memory['instant_test'], memory['uri']
    rows = [('peak RSS (ru_maxrss of the module process) MiB', spread([value / 1024 for value in module['maxrss_kb']], 1),
             spread([value / 1024 for value in uri['maxrss_kb']], 1)),
            ('module process wall time s (AnsiballZ run directly)', spread(module['seconds'], 3), spread(uri['seconds'], 3)),
            ('imports, total ms (-X importtime)', spread([item['total'] / 1000 for item in module['imports']], 0),
             spread([item['total'] / 1000 for item in uri['imports']], 0)),
            ('of which ansible.module_utils.basic ms', spread([item['basic'] / 1000 for item in module['imports']], 0),
             spread([item['basic'] / 1000 for item in uri['imports']], 0)),
            ('of which requests ms', spread([item['requests'] / 1000 for item in module['imports']], 0), '-'),
            ('of which this collection\'s module_utils and module ms', spread([item['own'] / 1000 for item in module['imports']], 0),
             '-'),
            ('of which ansible.module_utils.urls ms', '-', spread([item['urls'] / 1000 for item in uri['imports']], 0)),
            ('AnsiballZ file KiB', fmt(module['payload']['file_bytes'] / 1024, 0), fmt(uri['payload']['file_bytes'] / 1024, 0)),
            ('AnsiballZ zip KiB (files)', '%s (%d)' % (fmt(module['payload']['zip_bytes'] / 1024, 0), module['payload']['files']),
             '%s (%d)' % (fmt(uri['payload']['zip_bytes'] / 1024, 0), uri['payload']['files'])),
            ('of which this collection KiB zipped (files, KiB source)', '%s (%d, %s)' % (
                fmt(module['payload']['own_zip_bytes'] / 1024, 0), module['payload']['own_files'],
                fmt(module['payload']['own_source_bytes'] / 1024, 0)), '-')]
    connections = memory['connections']
    out = ['## 5. Peak memory and profile of one module run', '',
           'One create with `instant_test` and one with `uri`, kept with `ANSIBLE_KEEP_REMOTE_FILES=1` and run directly '
           '(fresh emulator each time) under a wrapper that reads `resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`.', '',
           table(('figure, median (min-max)', 'instant_test', 'uri'), rows), '',
           'Connection reuse: the module\'s one `requests` session sent %d requests over %d connection(s) in a create (tests '
           'list + POST). A request on a kept-alive connection took %s ms, one on a new session and connection %s ms (loopback, '
           'plain HTTP; against the real API a new connection also costs a TLS handshake).'
           % (connections['requests'], connections['connections'], fmt(connections['reused_ms'], 2), fmt(connections['fresh_ms'], 2)), '']
    return out


def scaling_break_even(one, big, loop, delay):
    """The result delay from which the largest run takes at most GOALS['scaling_ratio'] times the 1-target run.

    Model: the 1-target run grows one for one with the delay; the largest run does not grow until the delay passes its
    create loop (its first results are ready by the time the loop ends), then one for one.
    """
    candidate = delay
    while candidate < 3600:
        one_at = one + (candidate - delay)
        big_at = big + max(0.0, candidate - max(loop, delay))
        if big_at <= GOALS['scaling_ratio'] * one_at:
            return candidate
        candidate += 0.5
    return None


def keep_alive_penalty(data):
    """Extra seconds a request on a kept-alive connection takes on this emulator (0 when it takes no longer)."""
    memory = data.get('memory')
    if not memory:
        return None
    connections = memory['connections']
    return max(connections['reused_ms'] - connections['fresh_ms'], 0.0) / 1000


def report_bounds(data):
    out = ['## What bounds the figures', '']
    timing, memory, scaling, drain, counts = (data.get(name) for name in ('timing', 'memory', 'scaling', 'drain', 'counts'))
    penalty = keep_alive_penalty(data)
    if penalty is not None and penalty > 0.01:
        out += ['- **The emulator delays every answer after the first on a connection** by about %s ms: it writes the headers '
                'and the body of an answer in two sends without TCP_NODELAY, so the body waits for the client\'s delayed '
                'ACK. The module\'s one `requests` session keeps the connection alive, as it should against the real API, '
                'so every request after the first in a module run pays this (a create or an unchanged task: one such request; '
                'a uri task: none). All figures here include it; it is the emulator\'s, not the API\'s.'
                % fmt(penalty * 1000, 0)]
    if timing and memory:
        module_s, uri_s = median(memory['instant_test']['seconds']), median(memory['uri']['seconds'])
        own = median([item['own'] for item in memory['instant_test']['imports']]) / 1000
        req = median([item['requests'] for item in memory['instant_test']['imports']]) / 1000
        urls = median([item['urls'] for item in memory['uri']['imports']]) / 1000
        gap = median(timing['create']['instant_test']) - median(timing['create']['uri'])
        out += ['- **A task**: most of a task is Ansible itself (worker, AnsiballZ, a Python process importing '
                '`ansible.module_utils.basic`), the same for both. A create task costs %s ms more than the uri POST. The '
                'module process alone: %s s against %s s for `uri`; its imports are `requests` (%s ms) and this collection\'s '
                'code, compiled from source in every run because AnsiballZ cannot cache bytecode (%s ms), against '
                '`ansible.module_utils.urls` (%s ms); then it sends a second request, the tests-list lookup that makes the '
                'task idempotent%s.'
                % (fmt(gap * 1000, 0), fmt(module_s, 3), fmt(uri_s, 3), fmt(req, 0), fmt(own, 0), fmt(urls, 0),
                   (', which on this emulator carries the %s ms delay above: most of the difference'
                    % fmt(penalty * 1000, 0)) if penalty and penalty > 0.01 else '')]
    if scaling:
        largest = SCALING_TARGETS[-1]
        big_runs = scaling['runs'][str(largest)]
        pace = median([(run['creates'] + run['waits']) / run['tests'] for run in big_runs])
        one = median([run['seconds'] for run in scaling['runs']['1']])
        big = median([run['seconds'] for run in big_runs])
        loop = median([run['creates'] for run in big_runs])
        break_even = scaling_break_even(one, big, loop, scaling['delay'])
        tests = big_runs[0]['tests']
        text = ('- **Targets**: the waiting phase is one test_results_info task for all tests and hardly grows with the '
                'targets (the first wait absorbs the result delay, the later tests find their rows at the first poll), but '
                'every test costs the module run of its create: %s s per test with %d tests, creates and the wait together. '
                'So the ratio depends on the result delay: the 1-target '
                'run is mostly the delay (%s s of %s s), the %d-target run mostly module runs (%s s). A longer delay adds to '
                'the 1-target run but, while it is shorter than the %d-target create loop (%s s), not to the %d-target run: '
                'with these costs the ratio is within %sx from a result delay of about %s s.'
                % (fmt(pace, 2), tests, fmt(scaling['delay'], 0), fmt(one, 1), largest, fmt(big, 1), largest, fmt(loop, 1),
                   largest, GOALS['scaling_ratio'], fmt(break_even, 0)))
        overshoot = median([run['overshoot'] for run in scaling['runs']['1'] if run['overshoot'] is not None])
        if overshoot is not None:
            text += (' The 1-target run also waits for the poll that finds the rows, %s s after they were visible: by '
                     'default test_results_info polls after 2 s, then 1.5 times later each time, up to every 10 s.'
                     % fmt(overshoot, 1))
        if penalty and penalty > 0.01:
            # Each module run's first request opens the connection; the others wait for the emulator's delayed answer.
            reused = median([run['requests'] - (1 + 2 * run['tests']) for run in big_runs])
            text += (' Of the %d-target run, about %s s is the emulator\'s delay (%d requests after the first of their module '
                     'run).' % (largest, fmt(reused * penalty, 1), reused))
        out.append(text)
    if drain:
        limit, window = drain['budget']['limit'], drain['budget']['window']
        runs = [dict(run, achievable=achievable_minimum(drain['minimum'], drain['creates'], limit, run['pace'])) for run in drain['runs']]
        pace = median([run['pace'] for run in runs])
        against = fmt(median([run['seconds'] / run['achievable'] for run in runs]), 2)
        if median([run['throttled'] for run in runs]) == 0:
            text = ('- **Rate-limit drain**: all %d creates succeed, and no 429 came: at %s s per create the loop sends %s creates '
                    'per %d-second window, under the budget of %d, so the budget never runs out. The run is bound by the '
                    'machine\'s pace (%d x %s s), not by the rate limit, and measures the rate-limit policy only on a machine '
                    'that creates faster than one per %s s. Against the achievable minimum the drain is at %sx.'
                    % (drain['creates'], fmt(pace, 2), fmt(window / pace, 1), window, limit, drain['creates'], fmt(pace, 2),
                       fmt(window / limit, 2), against))
        else:
            text = ('- **Rate-limit drain**: all %d creates succeed, each window costing one 429 (which spends nothing) and the '
                    '0.25 s margin the client adds to the Reset header (one-second resolution, from the server\'s clock). The '
                    'gap to the theoretical minimum is the creates of the last window, %d x %s s, which the minimum counts as '
                    'instantaneous: against the achievable minimum the drain is at %sx.'
                    % (drain['creates'], limit, fmt(pace, 2), against))
        if timing:
            uri_pace = median(timing['create']['uri'])
            bound = achievable_minimum(drain['minimum'], drain['creates'], limit, uri_pace)
            text += (' Even a loop of `uri` POSTs, at %s s per task and with perfect waits (it has none: a 429 fails a uri '
                     'task), could not finish before %s s, %sx the theoretical minimum.'
                     % (fmt(uri_pace, 2), fmt(bound, 1), fmt(bound / drain['minimum'], 2)))
        out.append(text)
    if counts and not any(counts['diagnose'][kind]['extra_details'] for kind in ('new', 'reused')):
        out += ['- **Requests**: create, unchanged and rerun are at the minimum, and so is the diagnose role: its one results '
                'task is given the definitions that the create and rerun steps returned, so it reads no definition again. '
                'A results fetch by ID alone reads the definition first (layers, agents, the returned `test`). Polls come on '
                'top while rows are not there yet.']
    elif counts:
        new, reused = counts['diagnose']['new'], counts['diagnose']['reused']
        out += ['- **Requests**: create, unchanged and rerun are at the minimum. A results fetch by ID reads the definition '
                'first (layers, agents, the returned `test`). In the diagnose role that read repeats the definition that '
                'the create or the rerun just returned: %s extra detail GET per new test and %s per reused test. Polls '
                'come on top while rows are not there yet.'
                % (fmt(new['extra_details'] / max(new['tests'], 1), 0), fmt(reused['extra_details'] / max(reused['tests'], 1), 0))]
    return out + ['']


# Main ------------------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description='Benchmarks of netdiag.thousandeyes against the emulator.')
    parser.add_argument('--reps', type=int, default=5, help='rounds per timing (at least 5)')
    parser.add_argument('--results', default=str(ROOT / 'bench' / 'results'), help='folder for the raw figures')
    parser.add_argument('--report', default=str(ROOT / 'BENCHMARKS.md'), help='the Markdown report to write')
    parser.add_argument('--sections', default=','.join(SECTIONS), help='comma-separated, from: %s' % ', '.join(SECTIONS))
    parser.add_argument('--from-results', metavar='JSON', help='write the report from the figures of an earlier run; run nothing')
    args = parser.parse_args(argv)
    if args.from_results:
        data = json.loads(Path(args.from_results).read_text(encoding='utf-8'))
        Path(args.report).write_text(report(data), encoding='utf-8')
        say(plain_table(('figure', 'measured', 'goal', 'verdict'), summary_rows(data)))
        return 0
    sections = [name.strip() for name in args.sections.split(',') if name.strip()]
    unknown = [name for name in sections if name not in SECTIONS]
    if unknown:
        parser.error('unknown sections: %s' % ', '.join(unknown))
    if args.reps < 5:
        parser.error('--reps must be at least 5: each timing is a median of at least five rounds')
    if not os.environ.get('ANSIBLE_COLLECTIONS_PATH'):
        parser.error('set ANSIBLE_COLLECTIONS_PATH to a path that holds this collection (make bench does)')

    results_dir = Path(args.results)
    results_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    stamp = datetime.datetime.now(datetime.timezone.utc)
    data = dict(date=stamp.strftime('%Y-%m-%d %H:%M UTC'), reps=args.reps, environment=versions(), sections=sections)
    workdir = Path(tempfile.mkdtemp(prefix='bench-'))
    emulator = control.start()
    try:
        with open(results_dir / 'playbooks.log', 'w', encoding='utf-8') as log:
            runner = Runner(emulator, workdir, log)
            for name in sections:
                say('%s:' % name)
                section_start = time.monotonic()
                if name == 'counts':
                    data['counts'] = bench_counts(runner, emulator)
                elif name == 'timing':
                    data['timing'] = bench_timing(runner, emulator, args.reps)
                elif name == 'scaling':
                    data['scaling'] = bench_scaling(runner, emulator, args.reps)
                elif name == 'drain':
                    data['drain'] = bench_drain(runner, emulator, args.reps)
                elif name == 'memory':
                    data['memory'] = bench_memory(runner, emulator, args.reps, workdir)
                elif name == 'locations':
                    data['locations'] = bench_locations(runner, emulator)
                elif name == 'page':
                    data['page'] = bench_page(workdir)
                data.setdefault('section_seconds', {})[name] = time.monotonic() - section_start
    except BenchError as error:
        say('bench: FAILED: %s' % error)
        return 1
    finally:
        emulator.stop()
        shutil.rmtree(workdir, ignore_errors=True)
    data['total_seconds'] = time.monotonic() - started

    name = 'bench-%s.json' % stamp.strftime('%Y%m%dT%H%M%SZ')
    for path in (results_dir / name, results_dir / 'latest.json'):
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + '\n', encoding='utf-8')
    report_path = Path(args.report)
    text = report(data)
    if set(sections) != set(SECTIONS) and report_path.exists():
        # A run of some sections updates their parts of the report and leaves the others as the last full run wrote them.
        text = merge_report(report_path.read_text(encoding='utf-8'), text, sections)
    report_path.write_text(text, encoding='utf-8')
    if 'locations' in data:
        say('')
        say('\n'.join(report_locations(data['locations'])))
    say('')
    say(plain_table(('figure', 'measured', 'goal', 'verdict'), summary_rows(data)))
    say('')
    say('bench: %d playbook runs in %.0f s; report written to %s, raw figures to %s'
        % (runner.runs, data['total_seconds'], Path(args.report).name, results_dir.name))
    return 0


if __name__ == '__main__':
    sys.exit(main())
