# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters behind the ``netdiag.thousandeyes.diagnose`` role: the test plan, the verdicts and the result table.

Pure functions of their inputs (no I/O, no clock), so the role's logic is unit-tested without Ansible or an API.
The documentation of each filter is in the YAML file of the same name next to this one.
"""

from __future__ import annotations

import difflib
import hashlib
import ipaddress
import re
from urllib.parse import urlsplit, urlunsplit

from ansible.errors import AnsibleFilterError

# The test types the role knows how to set up from a target and judge from their summaries.
SUPPORTED_TYPES = ('agent-to-server', 'http-server', 'page-load', 'dns-trace', 'dns-dnssec')
URL_DEFAULT_TYPES = ('http-server', 'agent-to-server', 'dns-trace')
HOST_DEFAULT_TYPES = ('agent-to-server', 'dns-trace')
DNS_TYPES = ('dns-trace', 'dns-dnssec')
URL_TYPES = ('http-server', 'page-load')
DEFAULT_PORTS = {'http': 80, 'https': 443}

VERDICTS = ('ok', 'degraded', 'failed')
# Layers whose response time is an HTTP response time that diagnose_max_response_time applies to.
RESPONSE_TIME_LAYERS = ('http-server', 'page-load')
# Layers whose response code is compared with the expected status.
STATUS_LAYERS = ('http-server',)

# Test names stay readable; a longer one keeps its start and gets a short hash so that it stays unique and stable.
MAX_NAME_LENGTH = 120
HASH_LENGTH = 8

HOST_PATTERN = re.compile(r'^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$')
TARGET_SEPARATORS = re.compile(r'[\s,]+')
DEFAULT_THRESHOLDS = dict(max_loss=5.0, max_latency=300.0, max_response_time=3000.0, expected_status=200)


# Plan ------------------------------------------------------------------------------------------------

def _split_targets(targets):
    """Targets as a flat list of strings; a string (a survey textarea) splits on white space and commas."""
    if targets is None:
        return []
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, (list, tuple)):
        raise AnsibleFilterError('diagnose_targets must be a list of URLs or host names, got %s.' % type(targets).__name__)
    flat = []
    for item in targets:
        if not isinstance(item, str):
            raise AnsibleFilterError('diagnose_targets: %r is not a URL or host name.' % (item,))
        flat.extend(part for part in TARGET_SEPARATORS.split(item) if part)
    return flat


def _split_agents(agents):
    """Agent references as a flat list; a string (a survey textarea) holds one agent per line (names contain commas)."""
    if agents is None:
        return []
    if isinstance(agents, (str, int)) and not isinstance(agents, bool):
        agents = [agents]
    if not isinstance(agents, (list, tuple)):
        raise AnsibleFilterError('diagnose_agents must be a list of agent names or IDs, got %s.' % type(agents).__name__)
    flat = []
    for item in agents:
        if isinstance(item, str):
            flat.extend(line.strip() for line in item.splitlines() if line.strip())
        elif isinstance(item, dict) and len(item) == 1 and ('id' in item or 'name' in item):
            flat.append(item.get('id', item.get('name')))
        elif isinstance(item, int) and not isinstance(item, bool):
            flat.append(item)
        else:
            raise AnsibleFilterError('diagnose_agents: %r is neither an agent name nor an agent ID.' % (item,))
    return flat


def _is_ip(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _host_text(host):
    return '[%s]' % host if ':' in host else host


def parse_target(text):
    """A target as a dict: ``kind`` (url or host), ``host``, ``port``, and for URLs ``url`` (normalised) and ``scheme``.

    Raises ValueError with a message for the user.
    """
    if '://' in text:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise ValueError('%r: only http:// and https:// URLs (or host names) can be diagnosed.' % text)
        if parts.username is not None or parts.password is not None:
            raise ValueError('%r: credentials in the URL are not supported (they would end up in the test name).' % text)
        host = (parts.hostname or '').lower()
        try:
            port = parts.port
        except ValueError:
            raise ValueError('%r: the port must be a number from 1 to 65535.' % text)
        if not host or not (HOST_PATTERN.match(host) or _is_ip(host)):
            raise ValueError('%r: the URL has no valid host name.' % text)
        default_port = DEFAULT_PORTS[scheme]
        netloc = _host_text(host) + (':%d' % port if port and port != default_port else '')
        url = urlunsplit((scheme, netloc, parts.path or '/', parts.query, ''))
        return dict(kind='url', host=host, port=port or default_port, scheme=scheme, url=url)
    if '/' in text:
        raise ValueError('%r has a path but no scheme: write it as a URL, for example https://%s.' % (text, text))
    match = re.match(r'^\[(?P<host>[^\]]+)\](?::(?P<port>[0-9]+))?$', text) or re.match(r'^(?P<host>[^:]+)(?::(?P<port>[0-9]+))?$', text)
    if match:
        host, port = match.group('host').lower(), match.group('port')
    elif _is_ip(text):
        host, port = text.lower(), None
    else:
        raise ValueError('%r is not a host name, host:port or URL.' % text)
    if not (HOST_PATTERN.match(host) or _is_ip(host)):
        raise ValueError('%r is not a valid host name.' % text)
    if port is not None and not 1 <= int(port) <= 65535:
        raise ValueError('%r: the port must be a number from 1 to 65535.' % text)
    return dict(kind='host', host=host, port=int(port) if port is not None else None)


def test_name(prefix, test_type, label):
    """The stable test name: ``<prefix> <type> <label>``, shortened with a hash when it is long."""
    name = '%s %s %s' % (prefix, test_type, label)
    if len(name) <= MAX_NAME_LENGTH:
        return name
    digest = hashlib.sha1(name.encode('utf-8')).hexdigest()[:HASH_LENGTH]
    return '%s~%s' % (name[:MAX_NAME_LENGTH - HASH_LENGTH - 1], digest)


def _url_label(url):
    label = url[len('https://'):] if url.startswith('https://') else url
    return label[:-1] if label.endswith('/') and label.count('/') == 1 else label


def test_for(target, test_type, prefix):
    """The instant test (name, type, module target) for one parsed target and type; None when it does not apply."""
    host = target['host']
    if test_type in URL_TYPES:
        if target['kind'] == 'url':
            url = target['url']
        else:
            url = 'https://%s%s/' % (_host_text(host), ':%d' % target['port'] if target['port'] and target['port'] != 443 else '')
        return dict(name=test_name(prefix, test_type, _url_label(url)), type=test_type, target=url)
    if test_type == 'agent-to-server':
        port = target['port']
        server = '%s:%d' % (_host_text(host), port) if port else host
        return dict(name=test_name(prefix, test_type, server), type=test_type, target=server)
    if test_type in DNS_TYPES:
        if _is_ip(host):
            return None  # an address has no name to trace
        return dict(name=test_name(prefix, test_type, host), type=test_type, target=host)
    raise AnsibleFilterError('diagnose_tests: unsupported test type %r; the role runs %s.' % (test_type, ', '.join(SUPPORTED_TYPES)))


def _agent_directory(directory):
    agents = []
    for agent in directory or []:
        if isinstance(agent, dict) and agent.get('id') is not None:
            agents.append(dict(id=str(agent['id']), name=agent.get('name'), type=agent.get('type'), state=agent.get('state')))
    return agents


def resolve_agents(refs, directory):
    """Map agent names and IDs to agents of the directory. Returns (agents, errors)."""
    known = _agent_directory(directory)
    by_id = dict((agent['id'], agent) for agent in known)
    names = sorted(set(agent['name'] for agent in known if agent['name']))
    selected, errors, unknown = [], [], []
    for ref in refs:
        if isinstance(ref, int) or (isinstance(ref, str) and ref.strip().isdigit()):
            agent = by_id.get(str(ref).strip())
            if agent is None:
                unknown.append('ID %s' % str(ref).strip())
                continue
        else:
            wanted = ref.strip().lower()
            matches = [agent for agent in known if (agent['name'] or '').lower() == wanted]
            if not matches:
                close = difflib.get_close_matches(ref, names, n=3, cutoff=0.5)
                unknown.append('%r%s' % (ref, ' (closest: %s)' % ', '.join(repr(name) for name in close) if close else ''))
                continue
            if len(matches) > 1:
                errors.append('diagnose_agents: the name %r matches %d agents (IDs %s); give the ID instead.'
                              % (ref, len(matches), ', '.join(agent['id'] for agent in matches)))
                continue
            agent = matches[0]
        if agent not in selected:
            selected.append(agent)
    if unknown:
        errors.insert(0, 'diagnose_agents: unknown agent%s %s. Known agents: %s.' % (
            's' if len(unknown) > 1 else '', ', '.join(unknown), ', '.join(repr(name) for name in names) or 'none'))
    return selected, errors


def diagnose_plan(targets, agents=None, directory=None, tests=None, prefix='diagnose'):
    """The role's plan: resolved agents, one instant test per (target, type) under a stable name, and input errors.

    ``targets``: URLs or host names (a list, or a string separated by white space or commas).
    ``agents``: names or IDs (a list, or a string with one per line). ``directory``: the ``agents`` that
    ``netdiag.thousandeyes.agent_info`` returned. ``tests``: test types for every target (empty: per target
    defaults). ``prefix``: the first word of every test name.

    Returns ``dict(agents, agent_ids, targets=[{target, tests: [names]}], tests=[{name, type, target, targets}], errors)``.
    A test shared by several targets (the same host behind two URLs) appears once.
    """
    errors = []
    if not isinstance(prefix, str) or not prefix.strip():
        raise AnsibleFilterError('diagnose_test_prefix must be a non-empty string.')
    prefix = prefix.strip()
    wanted_types = []
    for test_type in tests or []:
        if test_type not in SUPPORTED_TYPES:
            raise AnsibleFilterError('diagnose_tests: unsupported test type %r; the role runs %s.' % (test_type, ', '.join(SUPPORTED_TYPES)))
        if test_type not in wanted_types:
            wanted_types.append(test_type)

    target_texts = _split_targets(targets)
    if not target_texts:
        errors.append('diagnose_targets is empty: give at least one URL or host name.')
    agent_refs = _split_agents(agents)
    if not agent_refs:
        errors.append('diagnose_agents is empty: give at least one agent name or ID.')
    selected, agent_errors = resolve_agents(agent_refs, directory)
    errors.extend(agent_errors)

    plan_targets, plan_tests, by_name = [], [], {}
    for text in target_texts:
        try:
            parsed = parse_target(text)
        except ValueError as error:
            errors.append('diagnose_targets: %s' % error)
            continue
        if any(entry['target'] == text for entry in plan_targets):
            continue
        types = wanted_types or (URL_DEFAULT_TYPES if parsed['kind'] == 'url' else HOST_DEFAULT_TYPES)
        names = []
        for test_type in types:
            test = test_for(parsed, test_type, prefix)
            if test is None:
                continue
            if test['name'] not in by_name:
                test['targets'] = []
                by_name[test['name']] = test
                plan_tests.append(test)
            by_name[test['name']]['targets'].append(text)
            names.append(test['name'])
        if not names:
            errors.append('diagnose_targets: none of the test types %s applies to %r.' % (', '.join(types), text))
        plan_targets.append(dict(target=text, tests=names))

    return dict(agents=selected, agent_ids=[agent['id'] for agent in selected], targets=plan_targets, tests=plan_tests,
                errors=errors)


# Verdicts --------------------------------------------------------------------------------------------

def _number(value):
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _fmt(value):
    return ('%.1f' % value).rstrip('0').rstrip('.')


def thresholds_of(thresholds):
    """Thresholds with defaults filled in; numbers as floats, expected_status as int (0: any successful status)."""
    merged = dict(DEFAULT_THRESHOLDS)
    for key, value in (thresholds or {}).items():
        if key in merged and value is not None and value != '':
            merged[key] = value
    try:
        for key in ('max_loss', 'max_latency', 'max_response_time'):
            merged[key] = float(merged[key])
        merged['expected_status'] = int(merged['expected_status'])
    except (TypeError, ValueError) as error:
        raise AnsibleFilterError('diagnose thresholds must be numbers: %s' % error)
    return merged


def agent_label(row, agents_by_id=None):
    agent_id = row.get('agent_id')
    name = row.get('agent_name') or (agents_by_id or {}).get(str(agent_id), {}).get('name')
    return '%s (%s)' % (name, agent_id) if name else 'agent %s' % agent_id


def check_row(row, thresholds, test_type=None, agents_by_id=None):
    """Judge one summary row. Returns a list of ``(verdict, reason)``: failures first, then breaches; empty when fine."""
    layer = row.get('layer')
    where = '%s, %s%s' % (agent_label(row, agents_by_id), '%s test, ' % test_type if test_type else '', layer)
    failures, breaches = [], []
    error = row.get('error')
    code = row.get('response_code')
    expected = thresholds['expected_status']
    status = None
    if layer in STATUS_LAYERS and code is not None:
        if expected and int(code) != expected:
            status = 'HTTP status %s, expected %s' % (code, expected)
        elif not expected and row.get('ok') is False:
            status = 'HTTP status %s is not a success' % code
    if status:
        failures.append('%s (error: %s)' % (status, error) if error else status)
    elif error:
        failures.append('error: %s' % error)
    if row.get('dns_ok') is False and not error:
        failures.append('DNS resolution failed')
    loss = _number(row.get('loss'))
    if loss is not None and loss >= 100:
        failures.append('loss %s%% (unreachable)' % _fmt(loss))
    if row.get('ok') is False and not failures:
        failures.append('not ok')

    if loss is not None and thresholds['max_loss'] < loss < 100:
        breaches.append('loss %s%% > %s%%' % (_fmt(loss), _fmt(thresholds['max_loss'])))
    latency = _number(row.get('latency'))
    if latency is not None and latency > thresholds['max_latency']:
        breaches.append('latency %s ms > %s ms' % (_fmt(latency), _fmt(thresholds['max_latency'])))
    response_time = _number(row.get('response_time'))
    if layer in RESPONSE_TIME_LAYERS and response_time is not None and response_time > thresholds['max_response_time']:
        breaches.append('response time %s ms > %s ms' % (_fmt(response_time), _fmt(thresholds['max_response_time'])))
    return [('failed', '%s: %s' % (where, text)) for text in failures] + [('degraded', '%s: %s' % (where, text)) for text in breaches]


def worst(verdicts):
    """The worst of some verdicts (``ok`` for none)."""
    rank = max([VERDICTS.index(verdict) for verdict in verdicts] or [0])
    return VERDICTS[rank]


def diagnose_waits(launched, reruns=None):
    """What ``test_results_info`` waits for: ``[{'test': definition, 'since': started_at}]`` for every run started.

    ``launched`` and ``reruns`` are the registered results of the role's looped ``instant_test`` and
    ``instant_test_rerun`` tasks; an unchanged test counts through its rerun.
    """
    waits = []
    for registered in (launched, reruns):
        entries = registered.get('results') or [] if isinstance(registered, dict) else registered or []
        for entry in entries:
            if isinstance(entry, dict) and entry.get('started_at') and entry.get('test'):
                waits.append({'test': entry['test'], 'since': entry['started_at']})
    return waits


def _by_name(registered):
    """Registered loop results (``register`` of a looped task) by the plan test name of their item.

    The result of one ``test_results_info`` task with ``tests`` is read too: its entries carry the test definition,
    whose name is the plan's name.
    """
    found = {}
    if isinstance(registered, dict) and isinstance(registered.get('tests'), list):
        for entry in registered['tests']:
            name = (entry.get('test') or {}).get('testName') if isinstance(entry, dict) else None
            if name:
                found[name] = entry
        return found
    if isinstance(registered, dict):
        registered = registered.get('results') or []
    for entry in registered or []:
        if not isinstance(entry, dict) or entry.get('skipped'):
            continue
        item = entry.get('item')
        while isinstance(item, dict) and 'name' not in item and isinstance(item.get('item'), dict):
            item = item['item']  # a loop over another task's results
        if isinstance(item, dict) and item.get('name'):
            found[item['name']] = entry
    return found


def judge_test(test_type, results, thresholds, agents_by_id):
    """Verdict and reasons of one test from its wait result (``summary``, ``complete``, ``missing``)."""
    judged = []
    if not results or results.get('failed'):
        message = (results or {}).get('msg')
        judged.append(('degraded', '%s test: no results%s' % (test_type, ' (%s)' % message if message else '')))
        return judged
    for row in results.get('summary') or []:
        judged.extend(check_row(row, thresholds, test_type, agents_by_id))
    missing = results.get('missing') or []
    grouped, order = {}, []
    for entry in missing:
        key = (str(entry.get('agent_id')), entry.get('reason') or 'missing')
        if key not in grouped:
            order.append(key)
            grouped[key] = dict(label=agent_label(entry, agents_by_id), layers=[])
        if entry.get('layer') and entry['layer'] not in grouped[key]['layers']:
            grouped[key]['layers'].append(entry['layer'])
    for key in order:
        layers = grouped[key]['layers']
        judged.append(('degraded', '%s, %s test: no result (%s)%s' % (
            grouped[key]['label'], test_type, key[1], ' in %s' % ', '.join(layers) if layers else '')))
    if results.get('complete') is False and not missing:
        judged.append(('degraded', '%s test: the results were incomplete when the wait ended' % test_type))
    if not results.get('summary') and not missing:
        judged.append(('degraded', '%s test: no agent reported' % test_type))
    return judged


def diagnose_verdicts(plan, launched=None, reruns=None, results=None, thresholds=None, generated_at=None):
    """The ``diagnose_report``: a verdict with reasons per target, and the overall verdict.

    ``plan`` is what ``diagnose_plan`` returned; ``launched``, ``reruns`` and ``results`` are the registered
    results of the role's looped ``instant_test``, ``instant_test_rerun`` and ``test_results_info`` tasks (each
    item carries the plan test, or a result that does); ``thresholds`` holds max_loss, max_latency,
    max_response_time and expected_status.
    """
    limits = thresholds_of(thresholds)
    if isinstance(plan, dict) and 'summary' in plan and 'tests' not in plan:
        return _single_report(plan, limits, generated_at)
    if not isinstance(plan, dict) or 'tests' not in plan or 'targets' not in plan:
        raise AnsibleFilterError('diagnose_verdicts expects the plan that diagnose_plan returned, or a result with a summary '
                                 '(test_results_info, or instant_test_rerun with wait).')
    launched, reruns, results = _by_name(launched), _by_name(reruns), _by_name(results)
    agents_by_id = dict((agent['id'], agent) for agent in plan.get('agents') or [])

    tests = {}
    for test in plan['tests']:
        launch = launched.get(test['name']) or {}
        rerun = reruns.get(test['name'])
        waited = results.get(test['name'])
        judged = judge_test(test['type'], waited, limits, agents_by_id)
        tests[test['name']] = dict(
            type=test['type'], name=test['name'], target=test['target'], test_id=launch.get('test_id'),
            outcome=launch.get('outcome'), rerun=rerun is not None,
            started_at=(rerun or launch).get('started_at'),
            complete=(waited or {}).get('complete', False), missing=(waited or {}).get('missing') or [],
            summary=(waited or {}).get('summary') or [],
            verdict=worst(verdict for verdict, reason in judged), reasons=_unique(reason for verdict, reason in judged),
            _judged=judged)

    report_targets = []
    for entry in plan['targets']:
        judged = [pair for name in entry['tests'] for pair in tests[name]['_judged']]
        ordered = [reason for verdict, reason in judged if verdict == 'failed'] + [reason for verdict, reason in judged if verdict != 'failed']
        report_targets.append(dict(target=entry['target'], verdict=worst(verdict for verdict, reason in judged), reasons=_unique(ordered),
                                   tests=[_public(tests[name]) for name in entry['tests']]))
    counts = dict((verdict, sum(1 for entry in report_targets if entry['verdict'] == verdict)) for verdict in VERDICTS)
    return dict(generated_at=generated_at, verdict=worst(entry['verdict'] for entry in report_targets), counts=counts,
                thresholds=limits, agents=plan.get('agents') or [], targets=report_targets)


def _single_report(result, limits, generated_at):
    """The report of one module result that waited (``summary``, ``missing``, ``complete``, ``test``)."""
    test = result.get('test') or {}
    name = test.get('testName') or 'test %s' % result.get('test_id')
    test_type = test.get('type') or 'test'
    judged = judge_test(test_type, result, limits, {})
    verdict = worst(verdict for verdict, reason in judged)
    reasons = _unique([reason for verdict, reason in judged if verdict == 'failed'] + [reason for verdict, reason in judged if verdict != 'failed'])
    entry = dict(type=test_type, name=name, target=test.get('url') or test.get('server') or test.get('domain'), test_id=result.get('test_id'),
                 outcome=result.get('outcome'), rerun='started_at' in result and 'outcome' not in result, started_at=result.get('started_at'),
                 complete=result.get('complete', False), missing=result.get('missing') or [], summary=result.get('summary') or [],
                 verdict=verdict, reasons=reasons)
    counts = dict((name_, 1 if name_ == verdict else 0) for name_ in VERDICTS)
    return dict(generated_at=generated_at, verdict=verdict, counts=counts, thresholds=limits, agents=[],
                targets=[dict(target=name, verdict=verdict, reasons=reasons, tests=[entry])])


def _public(test):
    return dict((key, value) for key, value in test.items() if not key.startswith('_'))


def _unique(items):
    seen = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


# Table -----------------------------------------------------------------------------------------------

TABLE_COLUMNS = ('target', 'test', 'agent', 'loss', 'latency', 'jitter', 'http', 'response', 'dns', 'status')
TABLE_HEADINGS = dict(target='TARGET', test='TEST', agent='AGENT', loss='LOSS', latency='LATENCY', jitter='JITTER', http='HTTP',
                      response='RESPONSE', dns='DNS', status='STATUS')


def _ms(value):
    number = _number(value)
    return '%s ms' % _fmt(number) if number is not None else ''


def _agent_rows(target, test, limits, agents_by_id):
    """One table row per agent of a test: the key metrics of all of its layers, and the agent's status."""
    per_agent, order = {}, []
    for row in test.get('summary') or []:
        key = str(row.get('agent_id'))
        if key not in per_agent:
            order.append(key)
            per_agent[key] = dict(agent=agent_label(row, agents_by_id), rows=[])
        per_agent[key]['rows'].append(row)
    for entry in test.get('missing') or []:
        key = str(entry.get('agent_id'))
        if key not in per_agent:
            order.append(key)
            per_agent[key] = dict(agent=agent_label(entry, agents_by_id), rows=[])
        per_agent[key].setdefault('missing', []).append(entry)
    position = dict((agent_id, index) for index, agent_id in enumerate(agents_by_id))
    order.sort(key=lambda agent_id: position.get(agent_id, len(position)))
    lines = []
    for key in order:
        info = per_agent[key]
        cells = dict(target=target, test=test['type'], agent=info['agent'], loss='', latency='', jitter='', http='', response='',
                     dns='')
        verdicts = []
        for row in info['rows']:
            verdicts.extend(verdict for verdict, reason in check_row(row, limits))
            if row.get('layer') == 'network':
                loss = _number(row.get('loss'))
                cells.update(loss='%s%%' % _fmt(loss) if loss is not None else '', latency=_ms(row.get('latency')), jitter=_ms(row.get('jitter')))
            elif row.get('layer') in RESPONSE_TIME_LAYERS:
                cells.update(http=str(row.get('response_code') or '') if row.get('response_code') is not None else '',
                             response=_ms(row.get('response_time')))
            elif row.get('layer') in ('dns-trace', 'dnssec', 'dns-server'):
                cells['dns'] = 'ok' if row.get('dns_ok') else ('FAIL' if row.get('dns_ok') is False else '')
        status = worst(verdicts)
        if info.get('missing'):
            reasons = sorted(set(entry.get('reason') or 'missing' for entry in info['missing']))
            status = '%s (no result: %s)' % ('degraded' if status == 'ok' else status, ', '.join(reasons))
        cells['status'] = status
        lines.append(cells)
    return lines


def table_rows(report):
    """The table as dicts (one per target, test type and agent)."""
    limits = thresholds_of(report.get('thresholds'))
    agents_by_id = dict((str(agent.get('id')), agent) for agent in report.get('agents') or [])
    rows = []
    for target in report.get('targets') or []:
        for test in target.get('tests') or []:
            agent_rows = _agent_rows(target['target'], test, limits, agents_by_id)
            if not agent_rows:
                agent_rows = [dict(target=target['target'], test=test['type'], agent='-', loss='', latency='', jitter='', http='',
                                   response='', dns='', status=test.get('verdict') or 'degraded')]
            rows.extend(agent_rows)
    return rows


def _markdown_cell(text):
    return str(text).replace('|', '\\|')


def diagnose_table(report, format='text'):  # pylint: disable=redefined-builtin
    """The report as table lines: ``text`` (aligned columns, then a verdict line per target) or ``markdown``."""
    if not isinstance(report, dict) or 'targets' not in report:
        raise AnsibleFilterError('diagnose_table expects the diagnose_report that diagnose_verdicts returned.')
    rows = table_rows(report)
    if format == 'markdown':
        lines = ['| %s |' % ' | '.join(TABLE_HEADINGS[column].capitalize() for column in TABLE_COLUMNS),
                 '|%s|' % '|'.join('---' for column in TABLE_COLUMNS)]
        lines.extend('| %s |' % ' | '.join(_markdown_cell(row[column]) for column in TABLE_COLUMNS) for row in rows)
        return lines
    if format != 'text':
        raise AnsibleFilterError('diagnose_table: format must be text or markdown, got %r.' % (format,))
    widths = dict((column, max([len(TABLE_HEADINGS[column])] + [len(str(row[column])) for row in rows])) for column in TABLE_COLUMNS)
    lines = ['  '.join(TABLE_HEADINGS[column].ljust(widths[column]) for column in TABLE_COLUMNS).rstrip()]
    lines.extend('  '.join(str(row[column]).ljust(widths[column]) for column in TABLE_COLUMNS).rstrip() for row in rows)
    lines.append('')
    for target in report['targets']:
        lines.append('%s: %s' % (target['target'], target['verdict'].upper()))
        lines.extend('  - %s' % reason for reason in target.get('reasons') or [])
    lines.append('Overall: %s' % str(report.get('verdict')).upper())
    return lines


class FilterModule:
    """Filters of the diagnose role."""

    def filters(self):
        return {
            'diagnose_plan': diagnose_plan,
            'diagnose_verdicts': diagnose_verdicts,
            'diagnose_table': diagnose_table,
            'diagnose_waits': diagnose_waits,
        }
