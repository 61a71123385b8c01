# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose role's plan: targets and agents in, one instant test per target, test type and agent set out.

Private to this collection: may change at any time. Pure functions: no I/O, no clock. Host:port parsing, agent
name matching and the test type sets come from module_utils, so the role and the modules apply the same rules.
"""

from __future__ import annotations

import hashlib
import os.path
import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._agents import AgentDirectory, looks_like_id
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._endpoint import matching_agents
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import DNS_TYPES, URL_TYPES
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.wait import SILENT_STATES, describe_agents
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import ascii_host, closest_names, is_ip_address, split_host_port
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.renderers import REPORT_RENDERERS, report_suffix
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import DEFAULT_THRESHOLDS, VARIABLE_RANGES, range_problem, thresholds_of


# The test types the role knows how to set up from a target and judge from their summaries.
SUPPORTED_TYPES = ('agent-to-server', 'http-server', 'page-load', 'dns-trace', 'dns-dnssec')
# An http-server test's network measurements give loss, latency and the path: agent-to-server only when asked for.
URL_DEFAULT_TYPES = ('http-server', 'dns-trace')
HOST_DEFAULT_TYPES = ('agent-to-server', 'dns-trace')
DEFAULT_PORTS = {'http': 80, 'https': 443}

# Test names stay readable; a longer one keeps its start and gets a short hash so that it stays unique and stable.
MAX_NAME_LENGTH = 120
HASH_LENGTH = 8
# Up to this many agent IDs are written out in a test name; a larger set is named by its size and a hash.
MAX_LISTED_AGENTS = 4

# A survey text area holds one target per line; commas separate targets too. Spaces never do: a target with
# spaces is refused rather than guessed at.
TARGET_SEPARATORS = re.compile(r'[\r\n,]+')


# The report formats by file suffix: the keys of the one map from suffix to renderer.
REPORT_SUFFIXES = tuple(REPORT_RENDERERS)


def report_path_errors(path: Any, folder: Any = None) -> list[str]:
    """What is wrong with diagnose_report_path: its suffix, and (given the ``stat`` of its folder) the folder."""
    if path is None or path == '':
        return []
    if not isinstance(path, str):
        return ['diagnose_report_path must be a file path, got %s.' % type(path).__name__]
    suffix = report_suffix(path)
    if suffix not in REPORT_SUFFIXES:
        return ['diagnose_report_path: %r has %s; the suffix picks the report format: %s.'
                % (path, 'the unknown suffix %r' % suffix if suffix else 'no suffix', ', '.join(REPORT_SUFFIXES))]
    if not isinstance(folder, dict):
        return []
    where = os.path.dirname(path) or '.'
    if not folder.get('exists'):
        return ['diagnose_report_path: the folder %s does not exist; create it first or choose another path.' % where]
    if not folder.get('isdir'):
        return ['diagnose_report_path: %s is not a folder; choose a path inside a folder.' % where]
    if folder.get('writeable') is False:
        return ['diagnose_report_path: the folder %s is not writable; choose a writable folder.' % where]
    return []


def variable_errors(variables: Any) -> list[str]:
    """What is wrong with the role's other variables (thresholds, wait timeout, report path), one line each, naming them.

    ``variables`` maps the role variable names to their values; ``diagnose_report_folder`` is the ``stat`` of the
    report path's folder (the role reads it first, so that a missing folder fails before any test runs).
    """
    if variables is None:
        return []
    if not isinstance(variables, dict):
        return ['diagnose_plan: variables must be a dict of role variables, got %s.' % type(variables).__name__]
    errors = []
    for name, value in variables.items():
        key = name[len('diagnose_'):] if name.startswith('diagnose_') else name
        if (key in VARIABLE_RANGES or key == 'expected_status') and value is not None and value != '':
            problem = range_problem(key, value)
            if problem:
                errors.append('%s %s.' % (name, problem))
    errors.extend(report_path_errors(variables.get('diagnose_report_path'), variables.get('diagnose_report_folder')))
    return errors


def run_thresholds(variables: dict[str, Any]) -> dict[str, Any]:
    """The thresholds of a run from the role's variables (``diagnose_max_loss`` and so on), defaults filled in."""
    return thresholds_of(dict((key, variables.get('diagnose_%s' % key)) for key in DEFAULT_THRESHOLDS))


def split_targets(targets: Any) -> tuple[list[str], list[str]]:
    """Targets as a flat list of strings, and errors. A string splits on line breaks and commas."""
    if targets is None:
        return [], []
    if isinstance(targets, str):
        targets = [targets]
    if not isinstance(targets, (list, tuple)):
        return [], ['diagnose_targets must be a list of URLs or host names, got %s.' % type(targets).__name__]
    flat: list[str] = []
    errors: list[str] = []
    for item in targets:
        if not isinstance(item, str):
            errors.append('diagnose_targets: %r is not a URL or host name.' % (item,))
            continue
        flat.extend(part.strip() for part in TARGET_SEPARATORS.split(item) if part.strip())
    return flat, errors


def split_agents(agents: Any, variable: str = 'diagnose_agents') -> tuple[list[Any], list[str]]:
    """Agent references as a flat list, and errors. A string holds one agent per line (agent names contain commas)."""
    if agents is None:
        return [], []
    if isinstance(agents, (str, int)) and not isinstance(agents, bool):
        agents = [agents]
    if not isinstance(agents, (list, tuple)):
        return [], ['%s must be a list of agent names or IDs, got %s.' % (variable, type(agents).__name__)]
    flat: list[Any] = []
    errors: list[str] = []
    for item in agents:
        if isinstance(item, str):
            flat.extend(line.strip() for line in item.splitlines() if line.strip())
        elif isinstance(item, dict) and len(item) == 1 and ('id' in item or 'name' in item):
            flat.append(item.get('id', item.get('name')))
        elif isinstance(item, int) and not isinstance(item, bool):
            flat.append(item)
        else:
            errors.append('%s: %r is neither an agent name nor an agent ID.' % (variable, item))
    return flat, errors


def _host_text(host: str) -> str:
    return '[%s]' % host if ':' in host else host


def _checked_host(host: str, problem: str) -> str:
    """The host as the API takes it (the modules' rule: labels of at most 63 characters, international names as
    punycode); DiagnoseInputError starting with ``problem`` and saying what is wrong."""
    try:
        return ascii_host(host, 'host').lower()
    except OptionError as error:
        raise DiagnoseInputError('%s: %s' % (problem, error.msg.replace('host: ', '', 1))) from None


def parse_target(text: str) -> dict[str, Any]:
    """A target as a dict: ``kind`` (url or host), ``host``, ``port``, and for URLs ``url`` (normalised) and ``scheme``.

    Raises DiagnoseInputError with a message for the user.
    """
    if re.search(r'\s', text):
        raise DiagnoseInputError('%r has spaces: a URL or host name has none. Give one target per list item (or per line).'
                                 % text)
    if '://' in text:
        parts = urlsplit(text)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise DiagnoseInputError('%r: only http:// and https:// URLs (or host names) can be diagnosed.' % text)
        if parts.username is not None or parts.password is not None:
            raise DiagnoseInputError('%r: credentials in the URL are not supported (they would end up in the test name).' % text)
        host = (parts.hostname or '').lower()
        try:
            port = parts.port
        except ValueError:
            raise DiagnoseInputError('%r: the port must be a number from 1 to 65535.' % text) from None
        if not host:
            raise DiagnoseInputError('%r: the URL has no valid host name.' % text)
        host = _checked_host(host, '%r: the URL has no valid host name' % text)
        default_port = DEFAULT_PORTS[scheme]
        netloc = _host_text(host) + (':%d' % port if port and port != default_port else '')
        url = urlunsplit((scheme, netloc, parts.path or '/', parts.query, ''))
        return dict(kind='url', host=host, port=port or default_port, scheme=scheme, url=url)
    if '/' in text:
        raise DiagnoseInputError('%r has a path but no scheme: write it as a URL, for example https://%s.' % (text, text))
    try:
        host, port = split_host_port(text, 'diagnose_targets')
    except OptionError as error:
        raise DiagnoseInputError(error.msg.replace('diagnose_targets: ', '', 1)) from None
    host = _checked_host(host, '%r is not a valid host name, host:port or URL' % text)
    if port is not None and not 1 <= port <= 65535:
        raise DiagnoseInputError('%r: the port must be a number from 1 to 65535.' % text)
    return dict(kind='host', host=host, port=port)


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode('utf-8')).hexdigest()[:HASH_LENGTH]


def agent_set_label(agent_ids: list[str]) -> str:
    """The agent set as a test name ends: its IDs in numeric order, or its size and a hash when it is large.

    The order the agents were given in does not matter, so the same set always gives the same name.
    """
    ids = sorted(set(str(agent_id) for agent_id in agent_ids), key=lambda agent_id: (len(agent_id), agent_id))
    if len(ids) <= MAX_LISTED_AGENTS:
        return ','.join(ids)
    return '%d agents %s' % (len(ids), _digest(','.join(ids)))


def test_name(prefix: str, test_type: str, label: str, agent_ids: list[str]) -> str:
    """The stable test name, ``<prefix> <type> <label> from <agents>``; a long label is shortened with a hash."""
    suffix = ' from %s' % agent_set_label(agent_ids)
    name = '%s %s %s' % (prefix, test_type, label)
    if len(name) + len(suffix) > MAX_NAME_LENGTH:
        name = '%s~%s' % (name[:MAX_NAME_LENGTH - len(suffix) - HASH_LENGTH - 1], _digest(name))
    return name + suffix


def _url_label(url: str) -> str:
    label = url[len('https://'):] if url.startswith('https://') else url
    return label[:-1] if label.endswith('/') and label.count('/') == 1 else label


def test_for(target: dict[str, Any], test_type: str, prefix: str, agent_ids: list[str]) -> dict[str, Any] | None:
    """The instant test (name, type, module target) for one parsed target and type; None when it does not apply."""
    host = target['host']
    if test_type in URL_TYPES:
        if target['kind'] == 'url':
            url = target['url']
        else:
            port = target['port']
            url = 'https://%s%s/' % (_host_text(host), ':%d' % port if port and port != 443 else '')
        return dict(name=test_name(prefix, test_type, _url_label(url), agent_ids), type=test_type, target=url)
    if test_type in DNS_TYPES:
        if is_ip_address(host):
            return None  # an address has no name to trace
        return dict(name=test_name(prefix, test_type, host, agent_ids), type=test_type, target=host)
    port = target['port']
    server = '%s:%d' % (_host_text(host), port) if port else host
    return dict(name=test_name(prefix, test_type, server, agent_ids), type=test_type, target=server)


class ListedAgents(AgentDirectory):
    """The agents that ``agent_info`` listed, matched by the modules' own rules (case, closest names, shared names)."""

    def __init__(self, agents: list[dict[str, Any]]) -> None:
        super().__init__(client=None)
        self._agents = [dict(id=str(agent['id']), name=agent.get('name'), type=agent.get('type'), state=agent.get('state'),
                             location=agent.get('location'), addresses=agent.get('addresses') or [], network=agent.get('network'),
                             local_problem=agent.get('local_problem'))
                        for agent in agents if isinstance(agent, dict) and agent.get('id') is not None]


def _several_in_one(ref: str, known: ListedAgents) -> list[str]:
    """The agent names that ``ref`` joins with commas ("Frankfurt, Germany, London, England"), or [] if it does not."""
    names = dict(((agent['name'] or '').lower(), agent['name']) for agent in known.list())
    parts = [part.strip() for part in ref.split(',')]

    def split(start: int) -> list[str] | None:
        if start == len(parts):
            return []
        for end in range(start + 1, len(parts) + 1):
            candidate = ', '.join(parts[start:end]).lower()
            if candidate in names:
                rest = split(end)
                if rest is not None:
                    return [names[candidate]] + rest
        return None

    found = split(0)
    return found if found and len(found) > 1 else []


def resolve_agents(refs: list[Any], directory: list[dict[str, Any]], variable: str = 'diagnose_agents',
                   selected: list[dict[str, Any]] | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Map agent names and IDs to agents of the directory. Returns (agents, errors).

    ``variable`` is the role variable that errors name; ``selected``, agents already chosen (through another variable),
    which the result starts with, so that an agent given twice appears once.
    """
    known = ListedAgents(directory or [])
    selected = list(selected or [])
    errors: list[str] = []
    for ref in refs:
        if looks_like_id(ref):
            agent = known.by_id(str(ref).strip())
            if agent is None:
                errors.append('%s: no agent has the ID %s; list the agents with netdiag.thousandeyes.agent_info.'
                              % (variable, str(ref).strip()))
                continue
        else:
            try:
                agent = known.find_by_name(ref, variable)
            except OptionError as error:
                message = error.msg
                # The directory itself may already name the agents the string holds.
                several = _several_in_one(ref, known) if ',' in ref and 'several agent names' not in message else []
                if several:
                    message += ' It holds several agent names (%s): give one agent per list item.' % ', '.join(
                        repr(name) for name in several)
                elif ref.count(',') > 1 and 'several agent names' not in message:
                    message += ' If it holds several agents, give one agent per list item.'
                errors.append(message)
                continue
        entry = dict(id=agent['id'], name=agent['name'], type=agent['type'], state=agent['state'])
        if agent.get('network'):
            entry['network'] = agent['network']  # the agent's own network, for the locator
        if agent.get('local_problem'):
            entry['local_problem'] = agent['local_problem']  # ThousandEyes flags the Cloud Agent itself, for the locator
        if entry not in selected:
            selected.append(entry)
    return selected, errors


def check_can_report(selected: list[dict[str, Any]], variables: str = 'diagnose_agents') -> list[str]:
    """An error when none of the agents can report (offline or disabled), since every test would run for nothing."""
    if selected and all(agent['state'] in SILENT_STATES for agent in selected):
        return ['%s: none of the agents can report, so every test would run for nothing: %s. Offline and disabled Enterprise '
                'agents return no results; add an agent that is online.' % (variables, describe_agents(selected))]
    return []


# How many known endpoint agents an error about an unknown one lists.
KNOWN_LISTED = 5


def _endpoint_listing(listing: Any) -> tuple[list[dict[str, Any]] | None, str | None]:
    """The endpoint agents of ``endpoint_agent_info``'s register (or a list of them), or why there are none."""
    if isinstance(listing, list):
        return [agent for agent in listing if isinstance(agent, dict) and agent.get('id')], None
    if not isinstance(listing, dict):
        return None, 'the endpoint agents were not listed (the role lists them with netdiag.thousandeyes.endpoint_agent_info).'
    if listing.get('failed') or not isinstance(listing.get('agents'), list):
        return None, str(listing.get('msg') or 'the endpoint agents could not be listed.')
    return _endpoint_listing(listing['agents'])


def resolve_endpoint_agents(refs: list[Any], listing: Any) -> tuple[list[dict[str, Any]], list[str]]:
    """Endpoint agents by ID (UUID), name or computer name, as endpoint_instant_test matches them. Returns (agents, errors).

    ``listing`` is the register of ``endpoint_agent_info`` (or its ``agents``); a failed listing (API v6 has no endpoint
    calls) is one error that says what to change. Each unknown agent is one error naming it and a few known ones; so is
    a name that several agents share. When none of the agents is online, the endpoint tests could not report: an error.
    """
    if not refs:
        return [], []
    agents, problem = _endpoint_listing(listing)
    if agents is None:
        return [], ['diagnose_endpoint_agents: %s Leave diagnose_endpoint_agents empty to diagnose from the Cloud Agents only.'
                    % problem.rstrip()]
    names = sorted(set(agent.get('name') or agent['id'] for agent in agents))
    selected: list[dict[str, Any]] = []
    errors: list[str] = []
    for ref in refs:
        matches = matching_agents(agents, ref)
        if len(matches) > 1:
            errors.append('diagnose_endpoint_agents: %r names %d endpoint agents (%s); give their IDs.'
                          % (ref, len(matches), ', '.join(agent['id'] for agent in matches)))
        elif not matches:
            known = closest_names(str(ref), names, limit=KNOWN_LISTED)
            known += [name for name in names if name not in known][:KNOWN_LISTED - len(known)]
            errors.append('diagnose_endpoint_agents: no endpoint agent has the ID, name or computer name %r; %s list them with '
                          'netdiag.thousandeyes.endpoint_agent_info.' % (
                              ref, 'the account group has none;' if not names else 'known ones: %s%s;' % (
                                  ', '.join(repr(name) for name in known),
                                  ' and %d more' % (len(names) - len(known)) if len(names) > len(known) else '')))
        elif matches[0] not in selected:
            selected.append(matches[0])
    if not errors and not any(agent.get('state') == 'online' for agent in selected):
        errors.append('diagnose_endpoint_agents: none of the endpoint agents is online, so their tests could not report: %s. '
                      'Start the agents, or leave diagnose_endpoint_agents empty.' % ', '.join(
                          '%s (%s)' % (agent.get('name') or agent['id'], agent.get('state') or 'state unknown') for agent in selected))
    return selected, errors


def wanted_types(tests: Any) -> tuple[list[str], list[str]]:
    """The test types asked for, without duplicates, and errors (one line each)."""
    if tests is None or tests == '':
        return [], []
    if isinstance(tests, str):
        tests = [part.strip() for part in re.split(r'[\s,]+', tests) if part.strip()]
    if not isinstance(tests, (list, tuple)):
        return [], ['diagnose_tests must be a list of test types (%s), got %s.' % (', '.join(SUPPORTED_TYPES), type(tests).__name__)]
    types: list[str] = []
    errors: list[str] = []
    for test_type in tests:
        if test_type not in SUPPORTED_TYPES:
            errors.append('diagnose_tests: unsupported test type %r; the role runs %s.' % (test_type, ', '.join(SUPPORTED_TYPES)))
        elif test_type not in types:
            types.append(test_type)
    return types, errors


def read_input(targets: Any, agents: Any = None, tests: Any = None, prefix: Any = 'diagnose', control_agents: Any = None,
               variables: Any = None, endpoint_agents: Any = None) -> dict[str, Any]:
    """The role's input read without any request: the test types, the parsed targets ``[(text, parsed)]``, the agent
    references of each agent variable, ``errors`` (one line each, naming the variable, in the order users see) and
    ``variables_ok`` (no error among the role variables: the thresholds can be built)."""
    errors: list[str] = variable_errors(variables)
    variables_ok = not errors
    types, type_errors = wanted_types(tests)
    errors.extend(type_errors)
    if not isinstance(prefix, str) or not prefix.strip() or re.search(r'\s', prefix.strip()):
        errors.append('diagnose_test_prefix must be one word (no spaces), got %r.' % (prefix,))
    target_texts, target_errors = split_targets(targets)
    errors.extend(target_errors)
    if not target_texts and not target_errors:
        errors.append('diagnose_targets is empty: give at least one URL or host name.')
    agent_refs, agent_errors = split_agents(agents)
    errors.extend(agent_errors)
    if not agent_refs and not agent_errors:
        errors.append('diagnose_agents is empty: give at least one agent name or ID.')
    control_refs, control_errors = split_agents(control_agents, 'diagnose_control_agents')
    errors.extend(control_errors)
    endpoint_refs, endpoint_errors = split_agents(endpoint_agents, 'diagnose_endpoint_agents')
    errors.extend(endpoint_errors)
    if endpoint_agents and not endpoint_refs and not endpoint_errors:
        # Blank lines only: the endpoint tests would be created without agents, which the API takes as all of them.
        errors.append('diagnose_endpoint_agents holds no agent name or ID (%r); leave it empty to test from the Cloud Agents only.'
                      % (endpoint_agents,))

    parsed_targets = []
    for text in target_texts:
        try:
            parsed_targets.append((text, parse_target(text)))
        except DiagnoseInputError as error:
            errors.append('diagnose_targets: %s' % error)
    return dict(types=types, targets=parsed_targets, agents=agent_refs, control_agents=control_refs, endpoint_agents=endpoint_refs,
                errors=errors, variables_ok=variables_ok)


def diagnose_input_errors(targets: Any, agents: Any = None, tests: Any = None, prefix: Any = 'diagnose', control_agents: Any = None,
                          variables: Any = None, endpoint_agents: Any = None) -> list[str]:
    """What is wrong with the role's input, checked without any request and without building the plan: the role
    variables (``variable_errors``), the test types, the prefix, the targets and the shape of the agent variables.
    The role runs it before its first request, so that a bad value fails even when the API cannot be reached;
    ``diagnose_plan`` with the agent directory then reports these errors too, with the agent errors."""
    return read_input(targets, agents, tests, prefix, control_agents, variables, endpoint_agents)['errors']


def diagnose_plan(targets: Any, agents: Any = None, directory: list[dict[str, Any]] | None = None, tests: Any = None,
                  prefix: Any = 'diagnose', control_agents: Any = None, variables: Any = None, endpoint_agents: Any = None,
                  endpoint_directory: Any = None) -> dict[str, Any]:
    """The role's plan: resolved agents, one instant test per target, type and agent set, and input errors.

    ``control_agents`` (diagnose_control_agents) run every test too, after ``agents``: comparison agents, for example
    those that did not alert. ``endpoint_agents`` (diagnose_endpoint_agents), users' machines that test every target
    too, are resolved against ``endpoint_directory`` (the register of ``endpoint_agent_info``) with the directory:
    ``endpoint_agents`` and ``endpoint_agent_ids`` of the plan, which the endpoint tests take.

    Without ``directory`` only the input is checked (nothing needs a request for that): ``errors`` is filled,
    ``agents`` and ``tests`` stay empty. With it, agents are resolved and the tests are planned. ``variables``, the
    role's other variables by name, are checked too (see ``variable_errors``).
    Returns ``dict(agents, agent_ids, endpoint_agents, endpoint_agent_ids, targets=[{target, tests: [names]}],
    tests=[{name, type, target, targets}], errors)``,
    and with ``variables`` also ``thresholds``: the thresholds of the run built once from them (defaults filled in,
    ``thresholds.thresholds_of``; None while a variable is wrong), which the role hands to the later filters.
    A test shared by several targets (the same host behind two URLs) appears once.
    """
    given = read_input(targets, agents, tests, prefix, control_agents, variables, endpoint_agents)
    errors = given['errors']
    thresholds = run_thresholds(variables) if variables is not None and given['variables_ok'] else None
    types, parsed_targets = given['types'], given['targets']
    agent_refs, control_refs, endpoint_refs = given['agents'], given['control_agents'], given['endpoint_agents']

    plan: dict[str, Any] = dict(agents=[], agent_ids=[], targets=[], tests=[], errors=errors)
    if variables is not None:
        plan['thresholds'] = thresholds
    if directory is not None:
        plan.update(endpoint_agents=[], endpoint_agent_ids=[])
    if directory is None or errors:
        return plan
    selected, resolve_errors = resolve_agents(agent_refs, directory)
    selected, control_resolve_errors = resolve_agents(control_refs, directory, 'diagnose_control_agents', selected)
    resolve_errors += control_resolve_errors
    resolve_errors = resolve_errors or check_can_report(
        selected, 'diagnose_agents and diagnose_control_agents' if control_refs else 'diagnose_agents')
    endpoints, endpoint_resolve_errors = resolve_endpoint_agents(endpoint_refs, endpoint_directory)
    resolve_errors += endpoint_resolve_errors
    if resolve_errors:
        errors.extend(resolve_errors)
        return plan
    agent_ids = [agent['id'] for agent in selected]
    plan.update(agents=selected, agent_ids=agent_ids, endpoint_agent_ids=[agent['id'] for agent in endpoints],
                endpoint_agents=[dict(id=agent['id'], name=agent.get('name'), state=agent.get('state')) for agent in endpoints])

    by_name: dict[str, dict[str, Any]] = {}
    for text, parsed in parsed_targets:
        if any(entry['target'] == text for entry in plan['targets']):
            continue
        target_types = types or (URL_DEFAULT_TYPES if parsed['kind'] == 'url' else HOST_DEFAULT_TYPES)
        names = []
        for test_type in target_types:
            test = test_for(parsed, test_type, prefix.strip(), agent_ids)
            if test is None:
                continue
            if test['name'] not in by_name:
                test['targets'] = []
                by_name[test['name']] = test
                plan['tests'].append(test)
            by_name[test['name']]['targets'].append(text)
            names.append(test['name'])
        if not names:
            errors.append('diagnose_targets: none of the test types %s applies to %r.' % (', '.join(target_types), text))
        plan['targets'].append(dict(target=text, tests=names))
    return plan


def _loop_results(registered: Any) -> list[dict[str, Any]]:
    """The entries of a looped task's ``register`` (or a list of them)."""
    if isinstance(registered, dict):
        registered = registered.get('results') or []
    return [entry for entry in registered or [] if isinstance(entry, dict)]


def diagnose_runs(plan: dict[str, Any], launched: Any, reruns: Any = None) -> list[dict[str, Any]]:
    """One run per plan test: what the role's create loop and rerun loop did with it.

    ``launched`` is the register of the loop over ``plan.tests`` (so its entries are in plan order);
    ``reruns`` the register of the rerun loop, matched by test ID. Each run has ``name``, ``type``, ``target``,
    ``test_id``, ``outcome``, ``rerun``, ``started_at`` (None when nothing started) and ``test`` (the definition).
    """
    if not isinstance(plan, dict) or not isinstance(plan.get('tests'), list):
        raise DiagnoseInputError('diagnose_runs expects the plan that diagnose_plan returned.')
    launches = _loop_results(launched)
    if len(launches) != len(plan['tests']):
        raise DiagnoseInputError('diagnose_runs expects the register of the loop over the plan\'s tests: %d entries for %d tests.'
                                 % (len(launches), len(plan['tests'])))
    reran = dict((str(entry['test_id']), entry) for entry in _loop_results(reruns)
                 if not entry.get('skipped') and entry.get('test_id') is not None)
    runs = []
    for test, launch in zip(plan['tests'], launches):
        rerun = reran.get(str(launch.get('test_id'))) if launch.get('test_id') is not None else None
        latest = rerun or launch
        runs.append(dict(name=test['name'], type=test['type'], target=test['target'], test_id=launch.get('test_id'),
                         outcome=launch.get('outcome'), rerun=rerun is not None, started_at=latest.get('started_at'),
                         test=latest.get('test') or launch.get('test')))
    return runs


def diagnose_waits(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What ``test_results_info`` (or, from the registered results of an endpoint_instant_test loop,
    ``endpoint_test_results_info``) waits for: ``[{'test': definition, 'since': started_at}]`` for every run started."""
    if not isinstance(runs, list):
        raise DiagnoseInputError('diagnose_waits expects the runs that diagnose_runs returned (or the results of an '
                                 'endpoint_instant_test loop).')
    return [{'test': run['test'], 'since': run['started_at']} for run in runs
            if isinstance(run, dict) and run.get('started_at') and run.get('test')]
