# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets, for both API versions: no token, Basic auth token or service password shows in task output, results, diffs or
error messages, even when the API echoes what it was sent.

Every case runs in-process (module_runner.py) and its registered result is searched for the secrets; one playbook run per
API version at -vvvv with --diff searches what Ansible prints as well (the callback's output of check mode, a diff and
echoed failures)."""

from __future__ import annotations

import http.server
import json
import threading
import uuid

import pytest

TOKEN = 'te-emulator-token'  # the emulator accepts only its own token; the test runs use it through TE_TOKEN
AUTH_TOKEN = 'te-emulator-auth-token'


class EchoHandler(http.server.BaseHTTPRequestHandler):
    """An API that repeats secrets back: a 401 names the refused token, a 400 quotes the request body."""

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass

    def _answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _refused_token(self):
        credential = (self.headers.get('Authorization') or '').partition(' ')[2]
        return credential if credential != TOKEN else None

    def do_GET(self):
        token = self._refused_token()
        if token:
            self._answer(401, {'errorMessage': 'Invalid access token %s' % token})
        else:
            self._answer(200, {'test': []} if self.path.startswith('/v6/') else {'tests': []})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length') or 0)).decode()
        self.server.bodies.append(body)
        self._answer(400, {'errorMessage': 'Invalid test definition: %s' % body})


@pytest.fixture
def echo_url():
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), EchoHandler)
    server.bodies = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield 'http://127.0.0.1:%d' % server.server_address[1], server.bodies
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def new_secrets():
    """The secrets of one run, as the environment gives them (AWX credentials); unique, so that any trace of one is found."""
    return {
        'SECRET_SERVICE_PASSWORD': 'svc-pass-%s' % uuid.uuid4().hex,
        'SECRET_SIP_PASSWORD': 'sip-pass-%s' % uuid.uuid4().hex,
        'SECRET_WRONG_TOKEN': 'wrong-token-%s' % uuid.uuid4().hex,
        'SECRET_WRONG_AUTH_TOKEN': 'wrong-auth-%s' % uuid.uuid4().hex,
        'SECRET_SETTINGS_PASSWORD': 'settings-pass-%s' % uuid.uuid4().hex,
        'SECRET_AUTH_TOKEN': AUTH_TOKEN,
    }


def test_no_secret_in_output_results_diffs_or_errors(emulator, run_playbook, api_version, echo_url, tmp_path):
    url, echoed_bodies = echo_url
    secrets = new_secrets()
    result_file = tmp_path / 'results.json'
    outcome = run_playbook('secrets.yml', extra_vars={'echo_url': url, 'result_file': str(result_file)},
                           args=['-vvvv', '--diff'], env=secrets)
    results = json.loads(result_file.read_text())
    shown = outcome.output + result_file.read_text()
    for name, value in list(secrets.items()) + [('TE_TOKEN', TOKEN)]:
        assert value not in shown, '%s appears in the output' % name
    assert 'Traceback' not in outcome.output

    # The secrets were really in play: sent to the APIs, and masked where the output would have shown them.
    assert results['checked']['changed'] is True and results['checked']['payload']['password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert results['created']['outcome'] == 'created' and 'diff' in results['created']
    bodies = json.dumps([entry['body'] for entry in emulator.requests('create')])
    assert secrets['SECRET_SERVICE_PASSWORD'] in bodies
    assert results['echoed']['failed'] is True and 'HTTP 400' in results['echoed']['msg']
    assert any(secrets['SECRET_SERVICE_PASSWORD'] in body for body in echoed_bodies)
    assert results['wrong_token']['failed'] is True and 'HTTP 401' in results['wrong_token']['msg']
    assert results['settings_echoed']['failed'] is True and 'HTTP 400' in results['settings_echoed']['msg']
    assert any(secrets['SECRET_SETTINGS_PASSWORD'] in body for body in echoed_bodies)


def test_no_secret_in_results_diffs_or_errors(emulator, run_module, api_version, echo_url):
    url, echoed_bodies = echo_url
    secrets = new_secrets()
    login = dict(name='secret-http', type='http-server', agents=[101], target='https://shop.example.com/login', username='shop-monitor',
                 password=secrets['SECRET_SERVICE_PASSWORD'])
    settings = dict(name='secret-settings', type='http-server', agents=[101], target='https://shop.example.com/login',
                    username='shop-monitor', settings={'clientCertificate': secrets['SECRET_SETTINGS_PASSWORD']})
    basic = dict(name='secret-http', type='http-server', state='absent', token='', email='demo@example.com')

    def task(args, check_mode=False):
        return run_module('instant_test', args, check_mode=check_mode, diff=True)  # as with --diff

    results = {
        'checked': task(login, check_mode=True),  # check mode shows the body it would send
        'created': task(login),
        'again': task(login),
        'sip': task(dict(name='secret-sip', type='sip-server', agents=[101], target='sip.example.com:5061', protocol='tls',
                         username='sip-monitor', password=secrets['SECRET_SIP_PASSWORD'], wait=True, wait_timeout=30)),
        'echoed': task(dict(login, name='secret-echo', api_url=url)),  # an API that echoes the request body in its 400
        'wrong_token': task(dict(login, name='secret-wrong-token', api_url=url, token=secrets['SECRET_WRONG_TOKEN'])),  # and a token
        'settings_checked': task(settings, check_mode=True),  # a client certificate given through settings, under its API name
        'settings_echoed': task(dict(settings, api_url=url)),
        'basic': task(dict(basic, auth_token=secrets['SECRET_AUTH_TOKEN'])),  # v6; v7 refuses it before any request
        'basic_wrong': task(dict(basic, auth_token=secrets['SECRET_WRONG_AUTH_TOKEN'])),
    }
    shown = json.dumps(results)
    for name, value in list(secrets.items()) + [('TE_TOKEN', TOKEN)]:
        assert value not in shown, '%s appears in the output' % name

    # The secrets were really in play: sent to the APIs, and masked where the output would have shown them.
    assert results['checked']['changed'] is True and results['checked']['payload']['password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert results['created']['outcome'] == 'created' and 'diff' in results['created']
    assert results['again']['outcome'] == 'unchanged'
    assert results['sip']['outcome'] == 'created' and results['sip']['complete'] is True
    bodies = json.dumps([entry['body'] for entry in emulator.requests('create')])
    assert secrets['SECRET_SERVICE_PASSWORD'] in bodies and secrets['SECRET_SIP_PASSWORD'] in bodies
    assert results['echoed']['failed'] is True and 'HTTP 400' in results['echoed']['msg']
    assert any(secrets['SECRET_SERVICE_PASSWORD'] in body for body in echoed_bodies)
    assert results['wrong_token']['failed'] is True and 'HTTP 401' in results['wrong_token']['msg']
    assert results['settings_checked']['payload']['clientCertificate'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    assert results['settings_echoed']['failed'] is True and 'HTTP 400' in results['settings_echoed']['msg']
    assert any(secrets['SECRET_SETTINGS_PASSWORD'] in body for body in echoed_bodies)
    if api_version == 'v6':
        assert results['basic']['failed'] is False and results['basic']['outcome'] == 'deleted'
        assert results['basic_wrong']['failed'] is True and 'HTTP 401' in results['basic_wrong']['msg']
    else:
        assert 'API v7 accepts only bearer tokens' in results['basic']['msg']
        assert 'API v7 accepts only bearer tokens' in results['basic_wrong']['msg']
