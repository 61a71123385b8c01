# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A present ``instant_test`` task's options as the collection's canonical fields.

Private to this collection: may change at any time. Canonical fields use the v7 names and values (lower-case enums,
agent IDs as strings, ``server`` and ``port`` apart); the provider turns them into its version's create body. What
each type takes comes from the type table in ``_model.py``.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._agents import looks_like_id
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import TEST_TYPES, types_with
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.wait import check_wait_timeout
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._instant_test.settings_fields import READ_ONLY
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import ascii_host, closest_names, split_host_port

DNS_RECORD_TYPES = ('A', 'AAAA', 'ANY', 'CNAME', 'DNSKEY', 'DS', 'MX', 'NS', 'NSEC', 'NULL', 'PTR', 'RRSIG', 'SOA', 'TXT')
TYPE_SPECIFIC_OPTIONS = ('dns_servers', 'transaction_script', 'request_type', 'requests', 'predefined_variables')
DEFAULT_SIP_PORT = 5060
REQUEST_TYPES = ('download', 'upload', 'list')  # ftp-server's requestType

# The api type's steps (``requests``): the values the task may give, and each step option's API field.
API_METHODS = ('get', 'post', 'put', 'delete', 'patch')
API_AUTH_TYPES = ('none', 'basic', 'bearer-token', 'oauth2')
API_CLIENT_AUTHENTICATIONS = ('basic-auth-header', 'in-body')
# Each assertion name's operators (the schema's ApiRequestAssertionOperator: status-code takes is and is-not,
# response-body the others); the first is the default.
API_ASSERTION_OPERATORS = {'status-code': ('is', 'is-not'), 'response-body': ('includes', 'not-includes', 'matches', 'not-matches')}
API_ASSERTION_NAMES = tuple(API_ASSERTION_OPERATORS)
API_ALL_OPERATORS = tuple(operator for operators in API_ASSERTION_OPERATORS.values() for operator in operators)
API_STEP_FIELDS = (('name', 'name'), ('url', 'url'), ('method', 'method'), ('body', 'body'), ('wait_time', 'waitTimeMs'),
                   ('verify_certificate', 'verifyCertificate'), ('collect_api_response', 'collectApiResponse'))
# oauth2 step auth: option -> the API's field (clientSecret is write-only, like password and bearerToken).
API_OAUTH_FIELDS = (('client_id', 'clientId'), ('client_secret', 'clientSecret'), ('token_url', 'tokenUrl'), ('scope', 'scope'),
                    ('client_authentication', 'clientAuthentication'))


def _check_port(port, option, low=1):
    if port is not None and not low <= port <= 65535:
        raise OptionError('%s must be from %d to 65535, got %s.' % (option, low, port))


# The API field a target is, per kind of target (TestType.target).
TARGET_FIELDS = {'host': ('server',), 'agent': ('targetAgentId',), 'url': ('url',), 'domain': ('domain',),
                 'sip': ('targetSipCredentials', 'sipRegistrar')}
# The API fields of the type-specific options (TestType.option).
OPTION_FIELDS = {'requests': 'requests', 'transaction_script': 'transactionScript', 'request_type': 'requestType',
                 'dns_servers': 'dnsServers'}
# Options of a type beside the one it requires: predefined_variables of the api type.
OPTIONAL_OPTION_FIELDS = {'api': {'predefinedVariables': 'predefined_variables'}}


def option_fields(test_type):
    """The API fields that an option of instant_test sets for this type, each with its option: settings may not hold them
    (they would replace the checked option without a word)."""
    facts = TEST_TYPES[test_type]
    fields = {'agents': 'agents', 'testName': 'name', 'description': 'description'}
    fields.update((field, 'target') for field in TARGET_FIELDS[facts.target])
    if facts.port:
        fields['port'] = 'port'
    if facts.protocols:
        fields['dnsTransportProtocol' if facts.target == 'domain' else 'protocol'] = 'protocol'
    if facts.credentials:
        fields.update({'username': 'username', 'password': 'password'})
        if facts.target == 'sip':
            fields['authUser'] = 'username'
    if facts.option:
        fields[OPTION_FIELDS[facts.option]] = facts.option
    fields.update(OPTIONAL_OPTION_FIELDS.get(test_type, {}))
    return fields


def _check_options(params, test_type):
    """The checks of options that do not fit the type; no request is made before they pass."""
    facts = TEST_TYPES[test_type]
    if params['port'] is not None and not facts.port:
        raise OptionError('port does not apply to %s tests (only to %s); put the port in target instead where it is a URL.'
                          % (test_type, ', '.join(types_with(port=True))))
    protocol = params['protocol'].lower() if params['protocol'] else None
    if protocol is not None:
        if not facts.protocols:
            raise OptionError('protocol does not apply to %s tests; set the API field through settings if you need it.' % test_type)
        if protocol not in facts.protocols:
            raise OptionError('protocol must be one of %s for %s tests, got %r.' % (', '.join(facts.protocols), test_type, params['protocol']))
    for option in TYPE_SPECIFIC_OPTIONS:
        owner = (types_with(option=option) or [owner for owner, options in OPTIONAL_OPTION_FIELDS.items() if option in options.values()])[0]
        if params.get(option) and owner != test_type:
            raise OptionError('%s applies only to %s tests, not to %s.' % (option, owner, test_type))
    if (params['username'] or params['password']) and not facts.credentials:
        raise OptionError('username and password apply only to %s tests.%s' % (', '.join(types_with(credentials=True)), (
            ' An api test takes credentials per step, in requests[].auth.' if test_type == 'api' else '')))
    if params['settings'] is not None and not isinstance(params['settings'], dict):
        raise OptionError('settings must be a dict of API field names and values.')
    replaced = [(key, option) for key, option in sorted(option_fields(test_type).items()) if key in (params['settings'] or {})]
    if replaced:
        raise OptionError('settings must not replace what an option of this module sets: %s. Nothing was sent.' % '; '.join(
            'use %s instead of settings.%s' % (option, key) for key, option in replaced))
    check_wait_timeout(params['wait_timeout'])
    return protocol


def check_settings(settings, test_type, api):
    """Every settings key must be a field that the type has in this API version; no request is made before.

    A misspelled key would be dropped or refused by the API, or never come back in the definition, so that every
    run would recreate the test.
    """
    known = api.settings_fields(test_type)
    if not settings or known is None:
        return
    read_only = sorted(key for key in settings if key in READ_ONLY)
    if read_only:
        raise OptionError('settings: %s %s set by ThousandEyes, not by a task; remove %s from settings.'
                          % (', '.join(read_only), 'is' if len(read_only) == 1 else 'are', 'it' if len(read_only) == 1 else 'them'))
    writable = sorted(known - READ_ONLY)
    unknown = [key for key in settings if key not in known]
    if unknown:
        hints = []
        for key in unknown:
            close = closest_names(str(key), writable, limit=3)
            hints.append('%r (closest: %s)' % (key, ', '.join(close)) if close else repr(key))
        raise OptionError('settings: %s %s not %s of %s tests in API %s, so nothing was sent. Check the spelling; the fields '
                          'this type takes are listed in the API reference of %s.'
                          % ('; '.join(hints), 'is' if len(unknown) == 1 else 'are', 'a field' if len(unknown) == 1 else 'fields',
                             test_type, api.name, test_type))


def _check_source_ips(agents, test_type, api):
    """Fail before any request when an agent names a source_ip that this API version's type cannot take."""
    if api.accepts_source_ip(test_type):
        return
    with_source_ip = [agent for agent in agents if isinstance(agent, dict) and agent.get('source_ip')]
    if with_source_ip:
        raise OptionError('agents: source_ip does not apply to %s tests on API %s, whose agents take no source address; remove '
                          'source_ip from %s.' % (test_type, api.name, ', '.join(repr(agent) for agent in with_source_ip)))


def _host_and_port(target, port, test_type, low=1):
    """(host, port or None) of a ``host`` / ``host:port`` target and the port option, which must agree."""
    if '://' in target or '/' in target:
        url_types = ', '.join(types_with(target='url'))
        raise OptionError('target: a %s test wants a host or host:port, not a URL, got %r; give the host (for example '
                          'www.example.com:443), or use a URL type (%s) to test the URL.' % (test_type, target, url_types))
    host, target_port = split_host_port(target, 'target')
    host = ascii_host(host, 'target')
    if target_port is not None and port is not None and target_port != port:
        raise OptionError('target says port %s but port says %s; give the port once.' % (target_port, port))
    _check_port(port if port is not None else target_port, 'port' if port is not None else 'target: the port', low=low)
    return host, port if port is not None else target_port


def _domain(target):
    parts = target.split()
    if len(parts) > 2 or (len(parts) == 2 and parts[1].upper() not in DNS_RECORD_TYPES):
        raise OptionError('target must be a domain as "name" or "name TYPE" (TYPE one of %s), got %r.'
                          % (', '.join(DNS_RECORD_TYPES), target))
    return ' '.join([parts[0]] + [part.upper() for part in parts[1:]])


def _url_fields(params, test_type, target):
    schemes = ('ftp://', 'ftps://', 'sftp://') if test_type == 'ftp-server' else ('http://', 'https://')
    if not target.lower().startswith(schemes):
        raise OptionError('target must be a URL starting with %s for a %s test, got %r.' % (' or '.join(schemes), test_type, target))
    fields = {'url': checked_url(target)}
    if test_type == 'web-transactions':
        if not params['transaction_script']:
            raise OptionError('transaction_script is required for a web-transactions test: the JavaScript of the transaction.')
        fields['transactionScript'] = params['transaction_script']
    if test_type == 'ftp-server':
        missing = [option for option in ('request_type', 'username', 'password') if not params[option]]
        if missing:
            raise OptionError('%s required for an ftp-server test.' % ' and '.join(missing) + (' is' if len(missing) == 1 else ' are'))
        fields['requestType'] = params['request_type']
    if test_type == 'api':
        fields['requests'] = _api_requests(params['requests'])
        if params.get('predefined_variables'):
            fields['predefinedVariables'] = _predefined_variables(params['predefined_variables'], fields['requests'])
    if params['username']:
        fields['username'] = params['username']
        if test_type != 'ftp-server':
            fields['authType'] = 'basic'
    if params['password']:
        fields['password'] = params['password']
    return fields


def checked_url(url):
    """The URL with a valid host and port (an international host as punycode); OptionError naming target."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if port is not None and not 1 <= port <= 65535:
        raise OptionError('target: the port in %r must be a number from 1 to 65535.' % url)
    host = parts.hostname or ''
    if not host:
        raise OptionError('target: %r has no host name.' % url)
    if ':' in host:
        return url  # an IPv6 address in brackets
    ascii_name = ascii_host(host, 'target')
    if ascii_name == host or ascii_name.lower() == host.lower():
        return url
    userinfo = parts.netloc.rpartition('@')[0]
    netloc = (userinfo + '@' if userinfo else '') + ascii_name + (':%d' % port if port is not None else '')
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _pairs(items, where, key_name):
    """``[{key_name, value}]`` from a list of ``{name, value}`` dicts (variables, assertions' shape aside)."""
    out = []
    for index, item in enumerate(items or []):
        if not isinstance(item, dict) or not item.get('name') or item.get('value') in (None, ''):
            raise OptionError('%s[%d] needs a name and a value, got %r.' % (where, index, item))
        out.append({key_name: str(item['name']), 'value': str(item['value'])})
    return out


def _api_auth(auth, where):
    """The API's authType and credential fields of a step's ``auth``."""
    oauth_given = [option for option, dummy in API_OAUTH_FIELDS if auth.get(option)]
    auth_type = auth.get('type') or ('bearer-token' if auth.get('token') else 'oauth2' if oauth_given
                                     else 'basic' if auth.get('username') else 'none')
    if auth_type not in API_AUTH_TYPES:
        raise OptionError('%s.auth.type must be one of %s, got %r.' % (where, ', '.join(API_AUTH_TYPES), auth_type))
    fields = {'authType': auth_type}
    if oauth_given and auth_type != 'oauth2':
        verb = 'applies' if len(oauth_given) == 1 else 'apply'
        raise OptionError('%s.auth: %s %s only to type oauth2, not to %s.' % (where, ', '.join(oauth_given), verb, auth_type))
    if auth_type == 'basic':
        if not auth.get('username'):
            raise OptionError('%s.auth: basic authentication needs username (and password).' % where)
        fields['username'] = auth['username']
        if auth.get('password'):
            fields['password'] = auth['password']
    elif auth_type == 'bearer-token':
        if not auth.get('token'):
            raise OptionError('%s.auth: bearer-token authentication needs token.' % where)
        fields['bearerToken'] = auth['token']
    elif auth_type == 'oauth2':
        missing = [option for option in ('client_id', 'token_url') if not auth.get(option)]
        if missing:
            raise OptionError('%s.auth: oauth2 authentication needs %s (and client_secret, scope and client_authentication as '
                              'the token endpoint wants them).' % (where, ' and '.join(missing)))
        if not auth['token_url'].lower().startswith(('http://', 'https://', '{{')):
            raise OptionError('%s.auth.token_url must be a URL starting with http:// or https://, got %r.' % (where, auth['token_url']))
        if auth.get('client_authentication') and auth['client_authentication'] not in API_CLIENT_AUTHENTICATIONS:
            raise OptionError('%s.auth.client_authentication must be one of %s, got %r.'
                              % (where, ', '.join(API_CLIENT_AUTHENTICATIONS), auth['client_authentication']))
        if auth.get('username') or auth.get('password') or auth.get('token'):
            raise OptionError('%s.auth: type oauth2 takes client_id, client_secret, token_url, scope and client_authentication, '
                              'not username, password or token.' % where)
        fields.update((field, auth[option]) for option, field in API_OAUTH_FIELDS if auth.get(option))
    elif auth.get('username') or auth.get('password') or auth.get('token'):
        raise OptionError('%s.auth: type none takes no username, password or token; set type basic or bearer-token.' % where)
    return fields


def _api_assertions(assertions, where, step_name):
    """The step's assertions; each operator must fit its assertion's name (the schema's rule), a missing one is the
    name's first (``is`` for status-code, ``includes`` for response-body)."""
    out = []
    for index, assertion in enumerate(assertions or []):
        here = '%s.assertions[%d]' % (where, index)
        if not isinstance(assertion, dict):
            raise OptionError('%s must be a dict with name, operator and value, got %r.' % (here, assertion))
        name = assertion.get('name') or 'status-code'
        value = assertion.get('value')
        if name not in API_ASSERTION_NAMES:
            raise OptionError('%s.name must be one of %s, got %r.' % (here, ', '.join(API_ASSERTION_NAMES), name))
        fitting = API_ASSERTION_OPERATORS[name]
        operator = assertion.get('operator') or fitting[0]
        if operator not in fitting:
            raise OptionError('%s.operator: the assertion %d of step %r is a %s assertion, which takes %s, not %r. Nothing was sent.'
                              % (here, index + 1, step_name, name, ' or '.join(fitting), operator))
        if value is None or str(value) == '':
            raise OptionError('%s.value is required: the status code or the text the response body is checked against.' % here)
        if name == 'status-code' and not str(value).isdigit():
            raise OptionError('%s.value must be an HTTP status code such as 200 for a status-code assertion, got %r.' % (here, value))
        out.append({'name': name, 'operator': operator, 'value': str(value)})
    return out


def _api_requests(steps):
    """The API's ``requests`` from the task's steps: snake_case options to the API's fields and spelling."""
    if not steps:
        raise OptionError('requests is required for an api test: the steps, each with name and url (and method, assertions, ...).')
    out, names = [], []
    for index, step in enumerate(steps):
        if not isinstance(step, dict):
            raise OptionError('requests[%d] must be a dict with name and url, got %r.' % (index, step))
        where = 'requests[%d]' % index
        for required in ('name', 'url'):
            if not step.get(required):
                raise OptionError('%s.%s is required.' % (where, required))
        if step['name'] in names:
            raise OptionError('%s.name %r is the name of another step; the names of the steps must differ.' % (where, step['name']))
        names.append(step['name'])
        url = step['url']
        if not url.lower().startswith(('http://', 'https://', '{{')):
            raise OptionError('%s.url must be a URL starting with http:// or https:// (or a {{variable}}), got %r.' % (where, url))
        method = (step.get('method') or 'get').lower()
        if method not in API_METHODS:
            raise OptionError('%s.method must be one of %s, got %r.' % (where, ', '.join(API_METHODS), step.get('method')))
        wait_time = step.get('wait_time')
        if wait_time is not None and not 0 <= wait_time:
            raise OptionError('%s.wait_time must be 0 or more milliseconds, got %s.' % (where, wait_time))
        request = dict((field, step[option]) for option, field in API_STEP_FIELDS if step.get(option) is not None)
        request['method'] = method
        # The API's default is not to verify certificates; an API health check that accepts any certificate
        # would pass against an impostor, so the collection verifies unless the step says otherwise.
        request['verifyCertificate'] = step.get('verify_certificate') is not False
        headers = step.get('headers')
        if headers:
            if not isinstance(headers, dict):
                raise OptionError('%s.headers must be a dict of header names and values, got %r.' % (where, headers))
            request['headers'] = [{'key': str(key), 'value': str(value)} for key, value in headers.items()]
        if step.get('auth'):
            request.update(_api_auth(step['auth'], where))
        if step.get('assertions'):
            request['assertions'] = _api_assertions(step['assertions'], where, step['name'])
        if step.get('variables'):
            request['variables'] = _pairs(step['variables'], where + '.variables', 'name')
        out.append(request)
    return out


def _predefined_variables(variables, requests):
    """The test's predefinedVariables: names unique and not those of a step's variables."""
    pairs = _pairs(variables, 'predefined_variables', 'name')
    step_variables = set(variable['name'] for request in requests for variable in request.get('variables') or [])
    seen = set()
    for index, pair in enumerate(pairs):
        if pair['name'] in seen:
            raise OptionError('predefined_variables[%d].name %r is the name of another predefined variable; the names must differ.'
                              % (index, pair['name']))
        if pair['name'] in step_variables:
            raise OptionError('predefined_variables[%d].name %r is also the name of a step\'s variable; the names must differ.'
                              % (index, pair['name']))
        seen.add(pair['name'])
    return pairs


def secret_variable_names(params):
    """The names of the predefined variables the task marks secret: their values are masked and never compared."""
    return tuple(str(item['name']) for item in params.get('predefined_variables') or [] if isinstance(item, dict) and item.get('secret'))


def build_fields(params, agent_directory):
    """Validate a present task and return its canonical fields. Sends no write; may read the agents (once)."""
    test_type = params['type']
    if not test_type:
        raise OptionError('type is required with state=present; choose one of: %s.' % ', '.join(TEST_TYPES))
    unsupported = agent_directory.client.api.unsupported_type(test_type)
    if unsupported:
        raise OptionError(unsupported)
    if not params['agents']:
        raise OptionError('agents is required with state=present: give at least one agent ID, agent name, or dict with '
                          'id or name (and optionally source_ip).')
    facts = TEST_TYPES[test_type]
    target = (params['target'] or '').strip()
    if not target:
        raise OptionError('target is required for %s %s test: %s.' % ('an' if test_type[0] in 'aeiou' else 'a', test_type, facts.hint))
    protocol = _check_options(params, test_type)
    check_settings(params['settings'], test_type, agent_directory.client.api)
    _check_source_ips(params['agents'], test_type, agent_directory.client.api)

    fields = {'testName': params['name']}
    if params['description'] is not None:
        fields['description'] = params['description']
    port = params['port']
    if facts.target == 'host':
        host, port = _host_and_port(target, port, test_type)
        if protocol == 'icmp' and port is not None:
            raise OptionError('ICMP tests have no port: remove port (and any :port in target), or use protocol tcp.')
        fields['server'] = host
        if port is not None:
            fields['port'] = port
        if protocol:
            fields['protocol'] = protocol
    elif facts.target == 'agent':
        fields['targetAgentId'] = target.strip() if looks_like_id(target) else agent_directory.find_by_name(target, option='target')['id']
        if port is not None:
            _check_port(port, 'port')
            fields['port'] = port
        if protocol:
            fields['protocol'] = protocol
    elif facts.target == 'url':
        fields.update(_url_fields(params, test_type, target))
    elif facts.target == 'domain':
        fields['domain'] = _domain(target)
        if test_type == 'dns-server':
            servers = [server.strip() for server in params['dns_servers'] or [] if server and server.strip()]
            if not servers:
                raise OptionError('dns_servers is required for a dns-server test: the name servers to query, for example [8.8.8.8].')
            fields['dnsServers'] = servers
        if protocol:
            fields['dnsTransportProtocol'] = protocol
    elif facts.target == 'sip':
        host, port = _host_and_port(target, port, test_type, low=1024)
        credentials = {'sipRegistrar': host, 'port': port if port is not None else DEFAULT_SIP_PORT, 'protocol': protocol or 'tcp'}
        if params['username']:
            credentials['authUser'] = params['username']
        if params['password']:
            credentials['password'] = params['password']
        fields['targetSipCredentials'] = credentials

    fields['agents'] = agent_directory.resolve(params['agents'])
    if facts.target == 'agent' and any(agent['agentId'] == fields['targetAgentId'] for agent in fields['agents']):
        raise OptionError('target agent %s is also one of the agents; a %s test needs a different target agent.' % (target, test_type))
    return fields
