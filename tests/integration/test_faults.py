# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Faults, for both API versions: real playbook runs against the emulator's fault injection (and, for the transport
failures, against a closed port and a TLS server whose certificate fails verification).

Each test states what the task reports and how many tests the emulator holds afterwards: nothing is lost, nothing is
created twice. Timing is asserted only where it is the behaviour itself (a 429 waits for the budget's Reset), and then
on the emulator's request log, never on how long a run took.
"""

from __future__ import annotations

import http.server
import math
import re
import shutil
import socket
import ssl
import subprocess
import threading

import pytest

CREATE = r'^/v6/instant/|^/v7/tests/[^/]+/instant$'
AGENTS = r'^/v[67]/agents'
TEST_LIST = r'^/v[67]/tests(\.json)?$'
TEST_DETAIL = r'^/v6/tests/\d+\.json$|^/v7/tests/[^/]+/\d+$'
RESULTS = r'^/v6/(web|net)/|^/v7/test-results/'
SHORT_WINDOW = 2


@pytest.fixture
def run_task(run_module):
    """Run one instant_test task in-process and return its result."""

    def run(env=None, test_name='fault-http', test_agents=None, test_wait=False, te_timeout=None, te_max_wait=None):
        args = dict(name=test_name, type='http-server', agents=test_agents or ['Frankfurt, Germany', 102],
                    target='https://shop.example.com/health', wait=test_wait, wait_timeout=60)
        if te_timeout is not None:
            args['timeout'] = te_timeout
        if te_max_wait is not None:
            args['rate_limit_max_wait'] = te_max_wait
        return run_module('instant_test', args, env=env)

    return run


def entries(emulator, path):
    """The request log entries whose path matches ``path`` (a regular expression), oldest first."""
    pattern = re.compile(path)
    return [entry for entry in emulator.requests() if pattern.search(entry['path'])]


def statuses(emulator, path):
    return [(entry['status'], entry['fault']) for entry in entries(emulator, path)]


def assert_clear_failure(result, *needles):
    assert result['failed'] is True
    for needle in needles:
        assert needle in result['msg'], result['msg']


# 5xx -------------------------------------------------------------------------------------------------------------------

def test_5xx_on_reads_is_retried_and_the_task_succeeds(emulator, run_task):
    emulator.fault(action='status', status=500, method='GET', path=AGENTS)
    emulator.fault(action='status', status=503, method='GET', path=TEST_LIST)
    emulator.fault(action='maintenance', method='GET', path=RESULTS)
    created = run_task(test_wait=True)
    assert created['failed'] is False and created['outcome'] == 'created' and created['complete'] is True
    assert statuses(emulator, AGENTS) == [(500, 'status'), (200, None)]
    assert statuses(emulator, TEST_LIST) == [(503, 'status'), (200, None)]
    assert statuses(emulator, RESULTS)[:2] == [(503, 'maintenance'), (200, None)]

    # The second run meets 5xx on the list and on the definition, and still finds its test unchanged.
    emulator.fault(action='status', status=502, method='GET', path=TEST_LIST)
    emulator.fault(action='html', status=504, method='GET', path=TEST_DETAIL)
    again = run_task()
    assert again['failed'] is False and again['changed'] is False and again['outcome'] == 'unchanged'
    assert again['test_id'] == created['test_id']
    assert statuses(emulator, TEST_DETAIL) == [(504, 'html'), (200, None)]
    assert [entry['status'] for entry in emulator.requests('create')] == [201]
    assert len(emulator.tests()) == 1


def test_maintenance_that_lasts_fails_clearly_after_bounded_retries(emulator, run_task):
    emulator.fault(action='maintenance', method='GET', path=AGENTS, times=10)
    result = run_task()
    assert_clear_failure(result, 'HTTP 503', '/agents', 'maintenance mode', 'Tried 4 times')
    assert result['request_count'] == 4
    assert emulator.writes() == [] and emulator.tests() == []


@pytest.mark.parametrize('stored', [False, True], ids=['not-stored', 'stored'])
def test_500_on_the_create_fails_clearly_and_never_makes_two_tests(emulator, run_task, stored):
    emulator.fault(action='status', status=500, method='POST', path=CREATE, process=stored)
    result = run_task()
    assert_clear_failure(result, 'HTTP 500', 'The create was not sent again')
    assert [entry['status'] for entry in emulator.requests('create')] == [500]
    tests = emulator.tests()
    assert len(tests) == (1 if stored else 0)
    if stored:
        # The user is told that the test exists after all, and which one.
        assert result['test_id'] == str(tests[0]['testId']) and result['test_id'] in result['msg']
        again = run_task()
        assert again['failed'] is False and again['outcome'] == 'unchanged' and again['test_id'] == result['test_id']
    else:
        assert 'nothing was created' in result['msg']
        again = run_task()
        assert again['failed'] is False and again['outcome'] == 'created'
    assert len(emulator.tests()) == 1
    assert len([entry for entry in emulator.requests('create') if entry['status'] == 201]) == (0 if stored else 1)


# Lost answers ----------------------------------------------------------------------------------------------------------

def test_connection_dropped_after_the_create_was_stored_adopts_the_test(emulator, run_task):
    emulator.fault(action='drop', method='POST', path=CREATE)
    result = run_task()
    assert result['failed'] is False and result['changed'] is True and result['outcome'] == 'created'
    assert any('adopted' in warning and 'No second create' in warning for warning in result['warnings'])
    tests = emulator.tests()
    assert len(tests) == 1 and result['test_id'] == str(tests[0]['testId'])
    assert [entry['fault'] for entry in emulator.requests('create')] == ['drop']


def test_connection_dropped_before_the_create_was_stored_fails_clearly(emulator, run_task):
    emulator.fault(action='drop_before', method='POST', path=CREATE)
    result = run_task()
    assert_clear_failure(result, 'The connection to', 'probably not created', 'Nothing was sent again')
    assert emulator.count('create') == 1 and emulator.tests() == []


@pytest.mark.serial
def test_a_read_slower_than_timeout_is_retried(emulator, run_task):
    emulator.fault(action='slow', delay=4, method='GET', path=TEST_LIST)
    result = run_task(te_timeout=2)
    assert result['failed'] is False and result['outcome'] == 'created'
    assert [entry['fault'] for entry in entries(emulator, TEST_LIST)] == ['slow', None]
    assert emulator.count('create') == 1 and len(emulator.tests()) == 1


@pytest.mark.serial
def test_a_create_slower_than_timeout_is_adopted_not_sent_again(emulator, run_task):
    emulator.fault(action='slow', delay=4, method='POST', path=CREATE)
    result = run_task(te_timeout=2)
    assert result['failed'] is False and result['outcome'] == 'created'
    assert any('within 2 seconds' in warning and 'adopted' in warning for warning in result['warnings'])
    assert emulator.count('create') == 1
    tests = emulator.tests()
    assert len(tests) == 1 and result['test_id'] == str(tests[0]['testId'])


# Rate limits -----------------------------------------------------------------------------------------------------------

def window_end(log, budget, window, at):
    """The Reset the emulator announced at time ``at``: its fixed window replayed from the requests that spent."""
    start = None
    for entry in log:
        if entry['time'] >= at:
            break
        spent = entry['status'] not in (None, 401, 429) and entry['fault'] in (None, 'slow')
        if not spent or (budget == 'instant' and entry['operation'] not in ('create', 'rerun')):
            continue
        if start is not None and entry['time'] >= start + window:
            start = None
        if start is None:
            start = math.floor(entry['time'])
    if start is None or at >= start + window:
        start = math.floor(at)
    return start + window


@pytest.mark.parametrize('budget,method,path', [
    ('org', 'GET', TEST_LIST),
    ('instant', 'POST', CREATE),
    ('org', 'POST', CREATE),
], ids=['org-on-a-read', 'instant-on-the-create', 'org-on-the-create'])
@pytest.mark.serial
def test_429_waits_for_the_budgets_reset_and_succeeds(emulator, run_task, budget, method, path):
    limits = {'org': {'limit': 240, 'window': 60}, 'instant': {'limit': 24, 'window': 60}}
    limits[budget]['window'] = SHORT_WINDOW
    emulator.configure(rate_limits=limits)
    emulator.fault(action='rate_limit', budget=budget, method=method, path=path)
    result = run_task()
    assert result['failed'] is False and result['outcome'] == 'created'
    throttled, retried = entries(emulator, path)[:2]
    assert (throttled['status'], retried['status']) == (429, 201 if method == 'POST' else 200)
    # The request went out again only once the window named in the 429's Reset header had ended.
    assert retried['time'] >= window_end(emulator.requests(), budget, SHORT_WINDOW, throttled['time'])
    assert len(emulator.tests()) == 1
    assert [entry['status'] for entry in emulator.requests('create')] == ([429, 201] if method == 'POST' else [201])


@pytest.mark.serial
def test_a_long_rate_limit_wait_is_said_and_returned_as_waited(emulator, run_task):
    # A 429 on the instant-test budget with a window longer than the notice threshold, then a wait for results.
    emulator.configure(rate_limits={'org': {'limit': 240, 'window': 60}, 'instant': {'limit': 24, 'window': 7}})
    emulator.fault(action='rate_limit', budget='instant', method='POST', path=CREATE)
    result = run_task(test_wait=True)
    assert result['failed'] is False and result['outcome'] == 'created'
    waited = result['waited']
    assert set(waited) == {'organization_rate_limit', 'instant_test_rate_limit', 'results', 'retries'}
    assert waited['instant_test_rate_limit'] > 5 and waited['organization_rate_limit'] == 0
    assert waited['results'] > 0
    notices = [warning for warning in result['warnings'] if 'instant-test rate-limit budget' in warning]
    assert len(notices) == 1 and 'reset at' in notices[0] and 'Waited' in notices[0], result['warnings']


def test_every_module_returns_waited(emulator, run_task):
    result = run_task()
    assert result['waited'] == {'organization_rate_limit': 0.0, 'instant_test_rate_limit': 0.0, 'results': 0.0, 'retries': 0.0}
    assert not [warning for warning in result.get('warnings', []) if 'rate-limit budget' in warning]


@pytest.mark.parametrize('budget,method,path,label', [
    ('org', 'GET', TEST_LIST, 'organization'),
    ('instant', 'POST', CREATE, 'instant-test'),
], ids=['org', 'instant'])
def test_429_past_the_wait_bound_fails_naming_the_budget(emulator, run_task, budget, method, path, label):
    emulator.fault(action='rate_limit', budget=budget, method=method, path=path)
    result = run_task(te_max_wait=1)
    assert_clear_failure(result, 'The ThousandEyes %s rate-limit budget' % label, 'rate_limit_max_wait', 'TE_RATE_LIMIT_MAX_WAIT')
    assert result['rate_limit_budget'] == budget
    # One 429 and no spinning: the request was not sent again.
    assert [entry['status'] for entry in entries(emulator, path)] == [429]
    assert emulator.tests() == []


@pytest.mark.serial
def test_twenty_creates_under_a_budget_of_two_per_window(emulator, run_module):
    # A window of two seconds: an in-process task takes milliseconds, so even on a busy machine three creates fall into
    # one window and the budget does run out. Twenty tasks, each its own module run, as a loop of tasks would run them.
    emulator.configure(rate_limits={'org': {'limit': 240, 'window': 60}, 'instant': {'limit': 2, 'window': SHORT_WINDOW}})
    created = [run_module('instant_test', dict(name='budget-%d' % number, type='agent-to-server', agents=[101],
                                               target='host%d.example.com' % number))
               for number in range(1, 21)]
    assert [result['outcome'] for result in created] == ['created'] * 20
    assert len(set(result['test_id'] for result in created)) == 20
    tests = emulator.tests()
    assert sorted(test['testName'] for test in tests) == sorted('budget-%d' % number for number in range(1, 21))
    creates = emulator.requests('create')
    assert len([entry for entry in creates if entry['status'] == 201]) == 20
    # The budget did run out, and each task waited for its Reset rather than spinning: at most one 429 per task.
    refused = [entry for entry in creates if entry['status'] == 429]
    assert 1 <= len(refused) <= 20


# Credentials and account groups -----------------------------------------------------------------------------------------

def test_401_sends_one_request_and_says_what_to_check(emulator, run_task):
    result = run_task(env={'TE_TOKEN': 'not-the-emulator-token'})
    assert_clear_failure(result, 'HTTP 401', 'TE_TOKEN', 'not retried')
    assert result['request_count'] == 1
    assert [entry['status'] for entry in emulator.requests()] == [401]


def test_403_names_the_account_group(emulator, run_task):
    result = run_task(env={'TE_AID': '9999'})
    assert_clear_failure(result, 'HTTP 403', 'account group 9999', 'account_group_id', 'TE_AID')
    assert [entry['status'] for entry in emulator.requests()] == [403]


# Answers that are not JSON ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize('fault,kind', [
    (dict(action='xml'), 'XML'),
    (dict(action='html', status=200), 'an HTML page'),
], ids=['xml', 'html'])
def test_a_read_answered_with_something_else_than_json_fails_clearly(emulator, run_task, fault, kind):
    emulator.fault(method='GET', path=AGENTS, **fault)
    result = run_task()
    assert_clear_failure(result, 'Expected JSON from GET %s/' % emulator.url, 'but got %s' % kind, 'Check that api_url')
    assert emulator.writes() == []


def test_a_create_answered_with_xml_is_adopted_not_sent_again(emulator, run_task):
    emulator.fault(action='xml', method='POST', path=CREATE, process=True)
    result = run_task()
    assert result['failed'] is False and result['outcome'] == 'created'
    assert any('unreadable' in warning and 'adopted' in warning for warning in result['warnings'])
    assert emulator.count('create') == 1 and len(emulator.tests()) == 1


# Transport -------------------------------------------------------------------------------------------------------------

def closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_an_unreachable_api_url_fails_naming_it(run_task, api_version):
    url = 'http://127.0.0.1:%d' % closed_port()
    result = run_task(env={'TE_API_URL': url})
    assert_clear_failure(result, 'Cannot reach ThousandEyes at %s/%s/' % (url, api_version), 'api_url (TE_API_URL)', 'proxies')


def self_signed_certificate(directory):
    """(certificate, key) files for 127.0.0.1 that no trust store knows; None when nothing here can make them."""
    cert, key = directory / 'cert.pem', directory / 'key.pem'
    openssl = shutil.which('openssl')
    if openssl:
        subprocess.run([openssl, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
                        '-keyout', str(key), '-out', str(cert)], check=True, capture_output=True, timeout=60)
        return cert, key
    try:
        import datetime  # pylint: disable=import-outside-toplevel
        from cryptography import x509  # pylint: disable=import-outside-toplevel
        from cryptography.hazmat.primitives import hashes, serialization  # pylint: disable=import-outside-toplevel
        from cryptography.hazmat.primitives.asymmetric import rsa  # pylint: disable=import-outside-toplevel
        from cryptography.x509.oid import NameOID  # pylint: disable=import-outside-toplevel
    except ImportError:
        return None
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, '127.0.0.1')])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now)
                   .not_valid_after(now + datetime.timedelta(days=1)).sign(private, hashes.SHA256()))
    cert.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                          serialization.NoEncryption()))
    return cert, key


@pytest.fixture
def untrusted_https_url(tmp_path):
    """An HTTPS server on loopback with a self-signed certificate: every verified handshake with it fails."""
    files = self_signed_certificate(tmp_path)
    if files is None:
        pytest.skip('neither the openssl command nor the cryptography package is available to make a certificate')
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*[str(path) for path in files])
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), http.server.BaseHTTPRequestHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'https://127.0.0.1:%d' % server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def test_a_certificate_that_fails_verification_is_named_and_not_retried(run_task, api_version, untrusted_https_url):
    result = run_task(env={'TE_API_URL': untrusted_https_url})
    assert_clear_failure(result, 'TLS verification failed for %s/%s/' % (untrusted_https_url, api_version),
                         'certificate verify failed', 'REQUESTS_CA_BUNDLE', 'validate_certs')
    assert result['request_count'] == 1
