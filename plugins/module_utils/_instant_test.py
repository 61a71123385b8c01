# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The logic of ``instant_test`` and ``instant_test_rerun``.

Private to this collection: may change at any time. The task's options become the collection's canonical
fields (v6 names and values); the version dialect turns them into a request body. Idempotency compares only
the fields the task sets, normalised, against the existing definition.
"""

from __future__ import annotations

import re
import time

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._agents import looks_like_id
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import (
    ApiError,
    InvalidResponseError,
    NotFoundError,
    OptionError,
    ServerError,
    ThousandEyesError,
    TransportError,
)
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._lookup import describe_tests, find_tests_by_name, get_test, resolve_test
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results import (
    check_wait_timeout,
    collect_results,
    data_links,
    iso_utc,
    module_results,
    started_at_from,
)
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._test_types import TEST_TYPES

TYPE_CHOICES = list(TEST_TYPES)

URL_TYPES = ('http-server', 'page-load', 'web-transactions', 'ftp-server')
DNS_TYPES = ('dns-trace', 'dns-server', 'dns-dnssec')
AGENT_TARGET_TYPES = ('agent-to-agent', 'voice')
CREDENTIAL_TYPES = ('http-server', 'page-load', 'web-transactions', 'ftp-server', 'sip-server')
PROTOCOLS = {
    'agent-to-server': ('tcp', 'icmp', 'udp'),
    'agent-to-agent': ('tcp', 'udp'),
    'sip-server': ('tcp', 'tls', 'udp'),
    'dns-trace': ('udp', 'tcp'),
    'dns-server': ('udp', 'tcp'),
}
PORT_TYPES = ('agent-to-server', 'agent-to-agent', 'sip-server')
DNS_RECORD_TYPES = ('A', 'AAAA', 'ANY', 'CNAME', 'DNSKEY', 'DS', 'MX', 'NS', 'NSEC', 'NULL', 'PTR', 'RRSIG', 'SOA', 'TXT')

# How long a create whose answer was lost is looked for before the task gives up (the server may still be storing it).
ADOPT_LOOKUP_PAUSES = (0.0, 2.0, 4.0)


def wait_argument_spec():
    """The options of the doc fragment netdiag.thousandeyes.wait."""
    return dict(wait=dict(type='bool', default=False), wait_timeout=dict(type='int', default=300))


def instant_test_argument_spec():
    return dict(
        name=dict(type='str', required=True),
        type=dict(type='str', choices=TYPE_CHOICES),
        test_id=dict(type='str'),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        agents=dict(type='list', elements='raw'),
        target=dict(type='str'),
        port=dict(type='int'),
        protocol=dict(type='str'),
        dns_servers=dict(type='list', elements='str'),
        transaction_script=dict(type='str'),
        request_type=dict(type='str', choices=['download', 'upload', 'list']),
        username=dict(type='str'),
        password=dict(type='str', no_log=True),
        description=dict(type='str'),
        settings=dict(type='dict'),
        on_change=dict(type='str', default='recreate', choices=['recreate', 'fail']),
        **wait_argument_spec()
    )


def rerun_argument_spec():
    return dict(
        test_id=dict(type='str'),
        name=dict(type='str'),
        type=dict(type='str', choices=TYPE_CHOICES),
        **wait_argument_spec()
    )


# Building the canonical fields -----------------------------------------------------------------------

def _split_host_port(value, option):
    """``host`` or ``host:port`` (``[v6::addr]:port`` too) -> (host, port or None)."""
    value = value.strip()
    match = re.match(r'^\[(?P<host>[^\]]+)\](?::(?P<port>[^:]*))?$', value) or re.match(r'^(?P<host>[^:]+)(?::(?P<port>[^:]*))?$', value)
    if not match:
        return value, None  # a bare IPv6 address
    port = match.group('port')
    if port is None:
        return match.group('host'), None
    if not port.isdigit():
        raise OptionError('%s: the port in %r must be a number from 1 to 65535.' % (option, value))
    return match.group('host'), int(port)


def _check_port(port, option, low=1):
    if port is not None and not low <= port <= 65535:
        raise OptionError('%s must be from %d to 65535, got %s.' % (option, low, port))


def build_fields(params, agent_directory):
    """Validate a present task and return (canonical fields, target agent info). Sends no write; may read agents."""
    test_type = params['type']
    if not test_type:
        raise OptionError('type is required with state=present; choose one of: %s.' % ', '.join(TYPE_CHOICES))
    if not params['agents']:
        raise OptionError('agents is required with state=present: give at least one agent ID, agent name, or dict with '
                          'id or name (and optionally source_ip).')
    target = (params['target'] or '').strip()
    if not target:
        raise OptionError('target is required for %s %s test: %s.' % ('an' if test_type[0] in 'aeiou' else 'a', test_type,
                                                                      _TARGET_HINTS[test_type]))
    port, protocol = params['port'], params['protocol']
    protocol = protocol.lower() if protocol else None
    if port is not None and test_type not in PORT_TYPES:
        raise OptionError('port does not apply to %s tests (only to %s); put the port in target instead where it is a URL.'
                          % (test_type, ', '.join(PORT_TYPES)))
    if protocol is not None:
        allowed = PROTOCOLS.get(test_type)
        if not allowed:
            raise OptionError('protocol does not apply to %s tests; set the API field through settings if you need it.' % test_type)
        if protocol not in allowed:
            raise OptionError('protocol must be one of %s for %s tests, got %r.' % (', '.join(allowed), test_type, params['protocol']))
    for option in ('dns_servers', 'transaction_script', 'request_type'):
        if params[option] and not _OPTION_TYPES[option] == test_type:
            raise OptionError('%s applies only to %s tests, not to %s.' % (option, _OPTION_TYPES[option], test_type))
    if (params['username'] or params['password']) and test_type not in CREDENTIAL_TYPES:
        raise OptionError('username and password apply only to %s tests.' % ', '.join(CREDENTIAL_TYPES))
    if params['settings'] is not None and not isinstance(params['settings'], dict):
        raise OptionError('settings must be a dict of API field names and values.')
    reserved = sorted(set(params['settings'] or {}) & set(('agents', 'testName')))
    if reserved:
        raise OptionError('settings must not hold %s: use the agents and name options.' % ' or '.join(reserved))
    check_wait_timeout(params['wait_timeout'])
    _check_source_ips(params['agents'], test_type, agent_directory.client.api)

    fields = {'testName': params['name']}
    if params['description'] is not None:
        fields['description'] = params['description']

    if test_type == 'agent-to-server':
        host, target_port = _split_host_port(target, 'target')
        if target_port is not None and port is not None and target_port != port:
            raise OptionError('target says port %s but port says %s; give the port once.' % (target_port, port))
        _check_port(port if port is not None else target_port, 'port' if port is not None else 'target: the port')
        port = port if port is not None else target_port
        if protocol == 'icmp' and port is not None:
            raise OptionError('ICMP tests have no port: remove port (and any :port in target), or use protocol tcp.')
        fields['server'] = host
        if port is not None:
            fields['port'] = port
        if protocol:
            fields['protocol'] = protocol.upper()
    elif test_type in AGENT_TARGET_TYPES:
        fields['targetAgentId'] = _resolve_target_agent(target, agent_directory)
        if port is not None:
            _check_port(port, 'port')
            fields['port'] = port
        if protocol:
            fields['protocol'] = protocol.upper()
    elif test_type in URL_TYPES:
        schemes = ('ftp://', 'ftps://', 'sftp://') if test_type == 'ftp-server' else ('http://', 'https://')
        if not target.lower().startswith(schemes):
            raise OptionError('target must be a URL starting with %s for a %s test, got %r.' % (' or '.join(schemes), test_type, target))
        fields['url'] = target
        if test_type == 'web-transactions':
            if not params['transaction_script']:
                raise OptionError('transaction_script is required for a web-transactions test: the JavaScript of the transaction.')
            fields['transactionScript'] = params['transaction_script']
        if test_type == 'ftp-server':
            missing = [option for option in ('request_type', 'username', 'password') if not params[option]]
            if missing:
                raise OptionError('%s required for an ftp-server test.' % ' and '.join(missing) + (' is' if len(missing) == 1 else ' are'))
            fields['requestType'] = params['request_type'].capitalize()
        if params['username']:
            fields['username'] = params['username']
            if test_type != 'ftp-server':
                fields['authType'] = 'BASIC'
        if params['password']:
            fields['password'] = params['password']
    elif test_type in DNS_TYPES:
        fields['domain'] = _domain(target)
        if test_type == 'dns-server':
            servers = [server.strip() for server in params['dns_servers'] or [] if server and server.strip()]
            if not servers:
                raise OptionError('dns_servers is required for a dns-server test: the name servers to query, for example [8.8.8.8].')
            fields['dnsServers'] = servers
        if protocol:
            fields['dnsTransportProtocol'] = protocol.upper()
    elif test_type == 'sip-server':
        host, target_port = _split_host_port(target, 'target')
        if target_port is not None and port is not None and target_port != port:
            raise OptionError('target says port %s but port says %s; give the port once.' % (target_port, port))
        _check_port(port if port is not None else target_port, 'port' if port is not None else 'target: the port', low=1024)
        port = port if port is not None else (target_port if target_port is not None else 5060)
        credentials = {'sipRegistrar': host, 'port': port, 'protocol': (protocol or 'tcp').upper()}
        if params['username']:
            credentials['authUser'] = params['username']
        if params['password']:
            credentials['password'] = params['password']
        fields['targetSipCredentials'] = credentials

    fields['agents'] = agent_directory.resolve(params['agents'])
    if test_type in AGENT_TARGET_TYPES and any(agent['agentId'] == fields['targetAgentId'] for agent in fields['agents']):
        raise OptionError('target agent %s is also one of the agents; a %s test needs a different target agent.' % (target, test_type))
    return fields


def _check_source_ips(agents, test_type, api):
    """Fail before any request when an agent names a source_ip that this API version's type cannot take."""
    if test_type not in api.types_without_source_ip:
        return
    with_source_ip = [agent for agent in agents if isinstance(agent, dict) and agent.get('source_ip')]
    if with_source_ip:
        raise OptionError('agents: source_ip does not apply to %s tests on API %s, whose agents take no source address; remove '
                          'source_ip from %s.' % (test_type, api.name, ', '.join(repr(agent) for agent in with_source_ip)))


_TARGET_HINTS = {
    'agent-to-server': 'the server to test, as host or host:port',
    'agent-to-agent': 'the target agent, by name or ID',
    'voice': 'the target agent, by name or ID',
    'http-server': 'the URL to fetch',
    'page-load': 'the URL of the page',
    'web-transactions': 'the URL where the transaction starts',
    'ftp-server': 'the ftp:// URL',
    'dns-trace': 'the domain, as name or "name TYPE"',
    'dns-server': 'the domain, as name or "name TYPE"',
    'dns-dnssec': 'the domain, as name or "name TYPE"',
    'sip-server': 'the SIP registrar, as host or host:port',
}
_OPTION_TYPES = {'dns_servers': 'dns-server', 'transaction_script': 'web-transactions', 'request_type': 'ftp-server'}


def _domain(target):
    parts = target.split()
    if len(parts) > 2 or (len(parts) == 2 and parts[1].upper() not in DNS_RECORD_TYPES):
        raise OptionError('target must be a domain as "name" or "name TYPE" (TYPE one of %s), got %r.'
                          % (', '.join(DNS_RECORD_TYPES), target))
    return ' '.join([parts[0]] + [part.upper() for part in parts[1:]])


def _resolve_target_agent(target, agent_directory):
    if looks_like_id(target):
        return target.strip()
    return agent_directory.find_by_name(target, option='target')['id']


# Comparing with an existing definition ---------------------------------------------------------------

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
        if re.match(r'^[A-Za-z][A-Za-z_-]*$', wanted):
            return _enum_key(wanted) == _enum_key(actual)
        return False
    return wanted == actual


def comparable_existing(test, api):
    """The existing definition in canonical terms: server split from its port, agents and DNS servers flattened."""
    view = dict(test)
    if 'server' in test and isinstance(test['server'], str) and 'url' not in test:
        host, port = _split_host_port(test['server'], 'server') if test['server'] else (test['server'], None)
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


# Secrets the API never echoes; a difference there cannot be seen.
WRITE_ONLY = ('password',)


def secret_values(value, key=''):
    """The values of password-like fields in ``settings`` (any depth): masked in all output like the password option."""
    if isinstance(value, dict):
        return [secret for name, item in value.items() for secret in secret_values(item, str(name))]
    if isinstance(value, list):
        return [secret for item in value for secret in secret_values(item, key)]
    if re.search(r'password|passphrase|secret|token', key, re.I) and isinstance(value, str) and value:
        return [value]
    return []


def differences(wanted, existing, api):
    """Fields (canonical names) whose existing value differs; each as (name, before, after)."""
    view = comparable_existing(existing, api)
    changed = []
    for key, value in wanted.items():
        if key in WRITE_ONLY or key == 'testName':
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
        if isinstance(value, dict):
            value = dict((k, v) for k, v in value.items() if k not in WRITE_ONLY)
        if not same_value(value, before):
            changed.append((key, before, value))
    return changed


def diff_of(test, fields, api):
    """Before/after of the set fields, for diff mode."""
    view = comparable_existing(test, api) if test else {}
    keys = [key for key in fields if key not in WRITE_ONLY]
    before = dict((key, view.get(key)) for key in keys) if test else {}
    after = dict((key, fields[key]) for key in keys)
    if 'agents' in after:
        after['agents'] = sorted(agent['agentId'] for agent in after['agents'])
        if test and 'agents' in view:
            before['agents'] = sorted(agent_id for agent_id, dummy in view['agents'])
        elif test:
            before['agents'] = after['agents']  # not in the definition: not compared
    for side in (before, after):
        credentials = side.get('targetSipCredentials')
        if isinstance(credentials, dict):
            side['targetSipCredentials'] = dict((k, v) for k, v in credentials.items() if k not in WRITE_ONLY)
    return {'before': before, 'after': after}


# The two tasks ----------------------------------------------------------------------------------------

class TestTask:
    """Shared by both modules: the client, the module, and what a test looks like when returned."""

    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.api = client.api
        self.params = module.params

    def describe(self, test):
        """``test``, ``test_id`` and ``data_links`` of a definition."""
        return {'test': test, 'test_id': self.api.test_id(test), 'data_links': data_links(self.client, test)}

    def read_results(self, test, since, result):
        """Wait for the results of this run; an error while waiting keeps what the task already did."""
        try:
            collected = collect_results(self.client, test, since=since, wait=True, wait_timeout=self.params['wait_timeout'])
            collected['results'] = module_results(collected['results'])
            result.update(collected)
        except ThousandEyesError as error:
            error.details.update(changed=result.get('changed'), test_id=result.get('test_id'), outcome=result.get('outcome'))
            error.msg += ' The test itself is in place (test_id %s); read its results later with test_results_info.' % result.get('test_id')
            raise


class InstantTestTask(TestTask):

    def run(self):
        # Ansible masks no_log options in every output; settings may carry secrets under API names, masked the same way.
        self.module.no_log_values.update(secret_values(self.params['settings']))
        if self.params['state'] == 'absent':
            return self.absent()
        return self.present()

    def find_one(self, test_type):
        """The test this task means, from its test_id when given, else the one test with its name (and type)."""
        if self.params['test_id']:
            return self.by_test_id(test_type)
        return self.find_by_name(test_type)

    def find_by_name(self, test_type):
        """The one test with the task's name (and type), None when there is none; OptionError listing several."""
        tests = find_tests_by_name(self.client, self.params['name'], test_type)
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
        found = self.find_one(test_type)
        if found and self.params['test_id']:
            existing = found  # already the full definition
        else:
            existing = get_test(self.client, self.api.test_id(found), test_type) if found else None
        if existing is not None:
            changes = differences(fields, existing, self.api)
            if not changes:
                result = dict(changed=False, outcome='unchanged', **self.describe(existing))
                if self.module._diff:
                    result['diff'] = diff_of(existing, fields, self.api)
                if self.params['wait'] and not self.module.check_mode:
                    self.read_results(existing, None, result)
                return result
            if self.params['on_change'] == 'fail':
                raise OptionError('Test %r (%s) exists with other settings: %s. Set on_change=recreate to replace it, or change '
                                  'the task to match.' % (self.params['name'], self.api.test_id(existing), '; '.join(
                                      '%s is %r, the task wants %r' % change for change in changes)), test_id=self.api.test_id(existing))
        outcome = 'recreated' if existing is not None else 'created'
        body = dict(self.api.test_body(test_type, derived), **settings)
        result = dict(changed=True, outcome=outcome)
        if self.module._diff:
            result['diff'] = diff_of(existing, fields, self.api)
        if self.module.check_mode:
            result.update(payload=body, test=existing, test_id=self.api.test_id(existing) if existing else None, data_links=[])
            return result
        if existing is not None:
            self.delete(existing, reason='to recreate it with the new settings')
        test, started_at = self.create(test_type, fields, body)
        result.update(self.describe(test))
        if started_at is None:
            result.update(changed=False, outcome='unchanged')
        else:
            result['started_at'] = iso_utc(started_at)
        if self.params['wait']:
            self.read_results(test, started_at, result)
        return result

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
            changes = differences(fields, test, self.api)
            if not changes:
                return test
            raise OptionError('ThousandEyes refused the create because a test named %r already exists (test_id %s) with other '
                              'settings: %s.' % (self.params['name'], self.api.test_id(test), '; '.join(
                                  '%s is %r, the task wants %r' % change for change in changes)), test_id=self.api.test_id(test))
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
        local_before = time.time()
        try:
            response = self.client.post(self.api.rerun_path(result['test_id']), instant=True)
        except NotFoundError as error:
            raise NotFoundError('ThousandEyes has no instant test %s to rerun (%s).' % (self.label(result['test_id']), error.api_message),
                                status=404, url=error.url)
        started_at = started_at_from(local_before, response.headers)
        result['started_at'] = iso_utc(started_at)
        if self.params['wait']:
            self.read_results(test, started_at, result)
        return result

    def label(self, test_id):
        return '%r (test_id %s)' % (self.params['name'], test_id) if self.params['name'] else 'with test_id %s' % test_id

    def resolve(self):
        return resolve_test(self.client, test_id=self.params['test_id'], name=self.params['name'], test_type=self.params['type'])
