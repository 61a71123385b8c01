# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""From a ThousandEyes alert to a diagnosis: a real ansible-rulebook runs extensions/eda/rulebooks/diagnose_on_alert.yml
on 127.0.0.1, takes notifications rendered with the collection's webhook template, and runs playbooks/diagnose_alert.yml
against the emulator.

ansible-rulebook comes from .venv-rulebook (`make rulebook`, a prerequisite of `make integration`, which names it in
NETDIAG_ANSIBLE_RULEBOOK); its diagnoses run the ansible-playbook of this venv on the synced collection. A missing
ansible-rulebook is a failure, not a skip. Every wait is bounded, and the rulebook process is stopped by its PID.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone
from html import unescape
from ipaddress import IPv4Address

import pytest
import yaml

from conftest import COLLECTION_ROOT
from tests.unit.extensions.eda import fixed_format
from tests.unit.extensions.eda.handlebars import notification, render_template

RULEBOOK = COLLECTION_ROOT / 'extensions' / 'eda' / 'rulebooks' / 'diagnose_on_alert.yml'
TLS_RULEBOOK = RULEBOOK.with_name('diagnose_on_alert_tls.yml')
EDA_DOC = COLLECTION_ROOT / 'docs' / 'eda.md'
# The docs' token, port and example test ID, which the test replaces (nothing else of the docs' blocks changes).
DOC_TOKEN = 'a-long-random-string'
WEBHOOK_TOKEN = 'eda-test-webhook-token'
STARTUP_TIMEOUT = 90
DIAGNOSIS_TIMEOUT = 300
FIRST_SEEN = 1796284800


def ansible_rulebook():
    path = os.environ.get('NETDIAG_ANSIBLE_RULEBOOK') or shutil.which('ansible-rulebook')
    if not path or not os.access(path, os.X_OK):
        pytest.fail('ansible-rulebook is not installed: `make rulebook` (a prerequisite of `make integration`) puts it into '
                    '.venv-rulebook; set NETDIAG_ANSIBLE_RULEBOOK to its path when running pytest by hand.')
    return path


def doc_block(language, first_line):
    """The fenced block of docs/eda.md that begins with ``first_line``, taken from the doc so that the two cannot drift."""
    for match in re.finditer(r'^```%s\n(?P<body>.*?)^```$' % language, EDA_DOC.read_text(encoding='utf-8'), re.M | re.S):
        if match.group('body').startswith(first_line):
            return match.group('body')
    return pytest.fail('docs/eda.md has no %s block beginning with %r' % (language, first_line))


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def post(port, body, token=WEBHOOK_TOKEN, tls=None):
    """POST a body to the rulebook's webhook (over HTTPS with ``tls``, an SSL context); the HTTP status."""
    headers = {'Content-Type': 'application/json'}
    if token is not None:
        headers['Authorization'] = 'Bearer ' + token
    request = urllib.request.Request('%s://127.0.0.1:%d/thousandeyes' % ('https' if tls else 'http', port), data=body.encode(),
                                     headers=headers, method='POST')
    try:
        with urllib.request.urlopen(request, timeout=30, context=tls) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def create_scheduled_test(emulator, test_type, name, **fields):
    """A test that stands for the scheduled test an alert rule watches (the emulator serves instant tests only)."""
    body = dict(testName=name, agents=[{'agentId': '101'}], **fields)
    request = urllib.request.Request('%s/v7/tests/%s/instant' % (emulator.url, test_type), data=json.dumps(body).encode(),
                                     headers={'Authorization': 'Bearer te-emulator-token', 'Content-Type': 'application/json'},
                                     method='POST')
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read())['testId']


class Rulebook:
    """ansible-rulebook on the rulebook under test, started and stopped by PID."""

    def __init__(self, workdir, env, rulebook=RULEBOOK, report_path='alert-{{ alert_file_id }}.md', extra_vars=None, docs=False):
        """``docs``: vars.yml and inventory.yml as docs/eda.md writes them (its token and port replaced), in a HOME of
        their own that holds the docs' report folder."""
        self.port = free_port()
        self.log = workdir / 'ansible-rulebook.log'
        variables = workdir / 'vars.yml'
        inventory = workdir / 'inventory.yml'
        if docs:
            home = workdir / 'home'
            env = dict(env, HOME=str(home))
            self.reports = home / 'eda-reports'
            subprocess.run(['bash', '-c', 'mkdir -p ~/eda-reports'], env=env, check=True, timeout=30)
            doc_vars = yaml.safe_load(doc_block('yaml', '# vars.yml'))
            assert doc_vars['te_webhook_token'] == DOC_TOKEN
            variables.write_text(yaml.safe_dump(dict(doc_vars, te_webhook_token=WEBHOOK_TOKEN, te_webhook_port=self.port)))
            inventory.write_text(doc_block('yaml', '# inventory.yml'))
        else:
            variables.write_text(yaml.safe_dump(dict({'te_webhook_token': WEBHOOK_TOKEN, 'te_webhook_port': self.port}, **(extra_vars or {}))))
            self.reports = workdir / 'reports'
            self.reports.mkdir()
            # The diagnose role's variables come from the inventory; diagnose_report_path is templated per alert.
            inventory.write_text(yaml.safe_dump({'all': {'hosts': {'localhost': {
                'ansible_connection': 'local', 'ansible_python_interpreter': sys.executable,
                'diagnose_control_agents': ['London, England'],
                'diagnose_report_path': str(self.reports / report_path)}}}}))
        with open(self.log, 'w', encoding='utf-8') as log:
            self.process = subprocess.Popen([ansible_rulebook(), '--rulebook', str(rulebook), '--inventory', str(inventory),
                                             '--vars', str(variables), '-vv'],
                                            cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT)

    def output(self):
        return self.log.read_text(encoding='utf-8', errors='replace')

    def wait_until_listening(self):
        """Until the rules engine waits for events (the webhook listens a moment before the rules are ready)."""
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail('ansible-rulebook exited %s before listening:\n%s' % (self.process.returncode, self.output()[-5000:]))
            if 'Waiting for events' in self.output():
                return
            time.sleep(0.5)
        pytest.fail('ansible-rulebook was not ready within %d s:\n%s' % (STARTUP_TIMEOUT, self.output()[-5000:]))

    def runs(self):
        """The return codes of the playbook runs so far (ansible-rulebook logs each at -vv)."""
        return [int(line.split('Ansible runner rc: ', 1)[1].split(',', 1)[0]) for line in self.output().splitlines()
                if 'Ansible runner rc: ' in line]

    def wait_for_report(self, alert_id, runs, suffix='md'):
        """The report of the diagnosis of an alert, once ``runs`` playbook runs have ended."""
        report = self.reports / ('alert-%s.%s' % (alert_id, suffix))
        deadline = time.monotonic() + DIAGNOSIS_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail('ansible-rulebook exited %s:\n%s' % (self.process.returncode, self.output()[-8000:]))
            done = self.runs()
            if any(done):
                pytest.fail('a diagnosis playbook failed:\n%s' % self.output()[-12000:])
            if len(done) >= runs and report.exists():
                return report.read_text(encoding='utf-8')
            time.sleep(1)
        pytest.fail('no report of alert %s within %d s:\n%s' % (alert_id, DIAGNOSIS_TIMEOUT, self.output()[-8000:]))

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


@pytest.fixture
def rulebook_env(emulator, tmp_path):
    """The environment of ansible-rulebook and so of its playbook runs: the emulator on API v7 (the playbook's
    v6 reading is tested on its own below), this venv's ansible-playbook and ansible-galaxy on the synced tree."""
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith('TE_'))
    env.update(TE_API_URL=emulator.url, TE_TOKEN='te-emulator-token', TE_API_VERSION='v7', ANSIBLE_NOCOLOR='1',
               ANSIBLE_LOCALHOST_WARNING='false', ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
               ANSIBLE_COLLECTIONS_PATH=str(COLLECTION_ROOT.parents[2]), ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false')
    env['PATH'] = os.path.dirname(sys.executable) + os.pathsep + env.get('PATH', '')
    # The storm state of the event filter and the playbook, per test.
    env['NETDIAG_EDA_STATE_DIR'] = str(tmp_path / 'state')
    return env


# ansible-rulebook, the webhook and the throttle are the same whatever core runs the playbook; the playbook itself runs on
# every core in test_diagnose_alert_playbook_reads_the_test_and_names_the_alert.
@pytest.mark.core_independent
def test_the_docs_emulator_block_runs_as_written(tmp_path):
    """docs/eda.md's try-out starts the emulator and creates the test that stands for the alerting one: the block as
    written (its port replaced) from the checkout, in a session of its own that is ended afterwards."""
    block = doc_block('bash', 'python -m emulator --port 8080')
    assert block.count('8080') == 3
    checkout = tmp_path / 'checkout'
    shutil.copytree(COLLECTION_ROOT / 'emulator', checkout / 'emulator')
    # The output goes to a file: the emulator left in the background would hold a pipe open after the block ended.
    output_file = tmp_path / 'output.txt'
    with open(output_file, 'w', encoding='utf-8') as output_handle:
        process = subprocess.Popen(['bash', '-ec', block.replace('8080', str(free_port()))], cwd=checkout, stdout=output_handle,
                                   stderr=subprocess.STDOUT, start_new_session=True,
                                   env=dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ['PATH']))
    try:
        process.wait(timeout=60)
    finally:
        try:
            os.killpg(process.pid, 15)  # the emulator the block left running in the background
        except ProcessLookupError:
            pass  # it has ended already
    output = output_file.read_text(encoding='utf-8')
    assert process.returncode == 0, output
    # The emulator's start line, then the created test as the API answers it.
    created = json.loads(output[output.index('{'):])
    assert created['testName'] == 'shop health' and created['testId']


@pytest.mark.core_independent
def test_trigger_notifications_run_one_diagnosis_per_alert(emulator, rulebook_env, tmp_path):
    """With the vars.yml and inventory.yml of docs/eda.md (its token and port replaced), and its try-out's notifications."""
    emulator.configure(result_delay=0.5)
    shop_test = create_scheduled_test(emulator, 'http-server', 'shop health', url='https://shop.example.com/health')
    db_test = create_scheduled_test(emulator, 'agent-to-server', 'db reachability', server='db.example.com:5432')
    docs_test = create_scheduled_test(emulator, 'http-server', 'shop home', url='https://shop.example.com/')
    creates_before = emulator.count('create')
    rulebook = Rulebook(tmp_path, rulebook_env, docs=True)
    try:
        rulebook.wait_until_listening()
        shop_alert = render_template(notification(alert_id='shop-1', test_id=shop_test, first_seen=FIRST_SEEN))
        # Refused without the token, or with another one: 401, nothing runs.
        assert post(rulebook.port, render_template(notification(alert_id='stranger', test_id=shop_test)), token=None) == 401
        assert post(rulebook.port, render_template(notification(alert_id='stranger', test_id=shop_test)), token='guess') == 401
        # A clear notification runs nothing; the trigger runs the diagnosis; the same alert again within the window does not.
        assert post(rulebook.port, render_template(notification(state='clear', alert_id='shop-1', test_id=shop_test,
                                                                cleared=FIRST_SEEN + 600))) == 200
        assert post(rulebook.port, shop_alert) == 200
        assert post(rulebook.port, shop_alert) == 200
        # Another alert, on another test, after them: once its report is there, everything before it has run (the
        # rulebook runs its actions one after the other).
        assert post(rulebook.port, render_template(notification(alert_id='db-7', test_id=db_test, test_name='db reachability',
                                                                test_type='agent-to-server', rule='Loss > 10%',
                                                                agents=(('', 'Frankfurt, Germany'),),
                                                                targets=('db.example.com:5432',)))) == 200
        rulebook.wait_for_report('db-7', runs=2)
        # The try-out of docs/eda.md, as written but for the token, the port and the test ID: the fixed-format trigger
        # runs a diagnosis, the custom template's on the same test does not (the throttle).
        try_out = doc_block('bash', "curl -H 'Authorization: Bearer %s'" % DOC_TOKEN)
        assert try_out.count('100001') == 2 and try_out.count(':5000/') == 2
        try_out = try_out.replace(DOC_TOKEN, WEBHOOK_TOKEN).replace(':5000/', ':%d/' % rulebook.port).replace('100001', docs_test)
        subprocess.run(['bash', '-ec', try_out], check=True, timeout=60, capture_output=True)
        docs_report = rulebook.wait_for_report('1', runs=3)
        db_report = (rulebook.reports / 'alert-db-7.md').read_text(encoding='utf-8')
    finally:
        rulebook.stop()
    assert rulebook.runs() == [0, 0, 0]

    reports = sorted(path.name for path in rulebook.reports.iterdir())
    assert reports == ['alert-1.md', 'alert-db-7.md', 'alert-shop-1.md'], rulebook.output()[-8000:]
    assert 'Answers ThousandEyes alert 1:\nrule "HTTP errors" on test shop health (%s),\nfirst seen 2026-12-03T08:00:00Z.' % docs_test in docs_report
    assert '| https://shop.example.com/ |' in docs_report
    shop_report = (rulebook.reports / 'alert-shop-1.md').read_text(encoding='utf-8')
    first_seen = datetime.fromtimestamp(FIRST_SEEN, tz=timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    assert 'Answers ThousandEyes alert shop-1 (major):' in shop_report
    assert 'rule "HTTP errors > 1 agent" on test shop health (%s),\nfirst seen %s.' % (shop_test, first_seen) in shop_report
    assert 'Alerting agents:\n- Frankfurt, Germany (101)\n' in shop_report
    # The alerting test's target, from the alerting agent and the comparison agent of the inventory.
    assert '| https://shop.example.com/health |' in shop_report
    assert 'Agents:\n- Frankfurt, Germany (101)\n- London, England (102)\n- Tokyo, Japan (105)\n' in shop_report
    assert 'Answers ThousandEyes alert db-7 (major):' in db_report and '| db.example.com:5432 |' in db_report
    # Three diagnoses, each creating its two tests once: nothing ran for the duplicates, the clear or the refused requests.
    assert emulator.count('create') - creates_before == 6
    assert emulator.count('rerun') == 0
    # The docs' inventory deletes them after the run (diagnose_cleanup).
    names = [entry['body']['testName'] for entry in emulator.requests('create')]
    assert 'diagnose http-server shop.example.com/health from 101,102,105' in names
    assert 'diagnose agent-to-server db.example.com:5432 from 101,102,105' in names
    assert [test['testName'] for test in emulator.tests() if test['testName'].startswith('diagnose ')] == []


def self_signed_pair(directory):
    """A certificate for 127.0.0.1 and its key (PEM files), and an SSL context of a client that trusts it alone."""
    # pylint: disable=import-outside-toplevel
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, '127.0.0.1')])
    now = datetime.now(timezone.utc)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
                   .not_valid_after(now + timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address('127.0.0.1'))]), critical=False)
                   .sign(key, hashes.SHA256()))
    certfile, keyfile = directory / 'webhook.crt', directory / 'webhook.key'
    certfile.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return certfile, keyfile, ssl.create_default_context(cafile=str(certfile))


# ansible-rulebook, TLS and the storm state are the same whatever core runs the playbook; that the playbook keeps the
# alert's names as data on every core is test_the_playbook_keeps_the_alerts_names_as_data_on_every_core's part.
@pytest.mark.core_independent
def test_a_storm_of_alerts_with_jinja_in_their_names_from_both_webhook_formats_over_tls(emulator, rulebook_env, tmp_path):
    """Through the TLS rulebook, 30 trigger notifications in a few seconds (custom template and fixed-format) for 3
    targets named by 5 tests start 3 diagnoses: one per test (the throttle), one per target (the playbook's window), and
    an alert that cleared before its diagnosis started is skipped. Rule, test and agent names hold Jinja: nothing runs,
    and they are printed as written, in the output and in the three report formats; the report's file name from a
    hostile alert ID stays in its folder; a WEBHOOK_TEST notification runs nothing."""
    emulator.configure(result_delay=0.5)
    injected = tmp_path / 'injected'
    rule = "{{ lookup('pipe', 'touch %s && echo INJECTED') }}" % injected
    test_name = "shop {{ 7 * 7 }} {% for x in range(3) %}{{ x }}{% endfor %}"
    agent_name = "{# hidden #}Frankfurt {{ lookup('pipe', 'touch %s') }}" % injected
    # Five tests on three targets, and one more whose alert clears.
    targets = dict((host, 'https://%s.example.com/' % host) for host in ('md', 'html', 'json', 'gone'))
    tests = dict((name, create_scheduled_test(emulator, 'http-server', 'scheduled %s' % name, url=targets[name.rstrip('2')]))
                 for name in ('md', 'html', 'json', 'md2', 'html2', 'gone'))
    certfile, keyfile, tls = self_signed_pair(tmp_path)
    creates_before = emulator.count('create')
    # The report's format follows the alert: Markdown, HTML or JSON by the suffix of diagnose_report_path.
    rulebook = Rulebook(tmp_path, rulebook_env, rulebook=TLS_RULEBOOK,
                        report_path="alert-{{ alert_file_id }}.{{ {'9102': 'html', '9103': 'json'}[alert_file_id] | default('md') }}",
                        extra_vars={'te_webhook_certfile': str(certfile), 'te_webhook_keyfile': str(keyfile)})
    fixed_trigger = json.loads(json.dumps(fixed_format.TRIGGER))
    fixed_trigger['alert'].update(ruleName=rule, testName=test_name, type='HTTP Server',
                                  agents=[dict(fixed_trigger['alert']['agents'][0], agentId=101, agentName=agent_name)])

    def fixed(alert_id, test_id):
        body = json.loads(json.dumps(fixed_trigger))
        body['alert'].update(alertId=int(alert_id), testId=int(test_id))
        body['eventId'] = '49-%s' % alert_id
        return json.dumps(body)

    triggers = [render_template(notification(alert_id='../{{ 7 * 7 }}/md', test_id=tests['md'], rule=rule, test_name=test_name,
                                             agents=(('101', agent_name),))),
                fixed('9102', tests['html']), fixed('9103', tests['json'])]
    storm = ('md', 'html', 'json', 'md2', 'html2')
    triggers += [fixed(9200 + index, tests[storm[index % len(storm)]]) for index in range(27)]
    try:
        rulebook.wait_until_listening()
        started = time.monotonic()
        assert post(rulebook.port, json.dumps(fixed_format.WEBHOOK_TEST), tls=tls) == 200
        for body in triggers[:3]:
            assert post(rulebook.port, body, tls=tls) == 200
        # An alert that clears while the diagnoses before it run: skipped when its turn comes.
        assert post(rulebook.port, render_template(notification(alert_id='gone-1', test_id=tests['gone'])), tls=tls) == 200
        assert post(rulebook.port, render_template(notification(state='clear', alert_id='gone-1', test_id=tests['gone'],
                                                                cleared=FIRST_SEEN + 60)), tls=tls) == 200
        for body in triggers[3:]:
            assert post(rulebook.port, body, tls=tls) == 200
        posted = time.monotonic() - started
        # md, html, json (diagnosed), gone (cleared), md2 and html2 (their targets within the window): six runs.
        json_report = json.loads(rulebook.wait_for_report('9103', runs=6, suffix='json'))
        finished = time.monotonic() - started
    finally:
        rulebook.stop()
    output = rulebook.output()
    print('30 triggers posted in %.1f s; the last of the 6 runs ended %.1f s after the first post' % (posted, finished))
    assert len(triggers) == 30 and posted < 60
    assert not injected.exists(), output[-8000:]
    assert rulebook.runs() == [0, 0, 0, 0, 0, 0]
    # Three diagnoses of two tests each, whatever the 30 alerts and 5 tests; the WEBHOOK_TEST notification ran nothing.
    assert emulator.count('create') - creates_before == 6
    assert sorted(test['testName'] for test in emulator.tests() if test['testName'].startswith('diagnose http-server')) == [
        'diagnose http-server %s.example.com from 101,102' % host for host in ('html', 'json', 'md')]
    assert 'Alert gone-1 (HTTP errors > 1 agent) on test %s cleared at 2026-12-03T08:01:00Z, before this diagnosis started: skipped.' % (
        tests['gone']) in output
    for name in ('md2', 'html2'):
        assert 'on test %s: %s was diagnosed less than 900 s ago (diagnose_alert_window): skipped. Nothing was created in ThousandEyes.' % (
            tests[name], targets[name.rstrip('2')]) in output
    assert sorted(path.name for path in rulebook.reports.iterdir()) == ['alert-9102.html', 'alert-9103.json', 'alert-____7___7____md.md']
    markdown = (rulebook.reports / 'alert-____7___7____md.md').read_text(encoding='utf-8')
    assert 'Answers ThousandEyes alert ../{{ 7 * 7 }}/md (major):\nrule "%s" on test %s (%s),' % (rule, test_name, tests['md']) in markdown
    assert '- %s (101)\n' % agent_name in markdown
    page = unescape((rulebook.reports / 'alert-9102.html').read_text(encoding='utf-8'))
    assert rule in page and test_name in page and agent_name in page
    assert json_report['alert']['rule'] == rule and json_report['alert']['test_name'] == test_name
    assert json_report['alert']['agents'] == [{'id': '101', 'name': agent_name}]
    assert json_report['alert']['event_type'] == 'ALERT_NOTIFICATION_TRIGGER' and json_report['alert']['test_id'] == tests['json']
    # As written in the playbook's output too: nothing rendered them.
    assert "Alert ../{{ 7 * 7 }}/md ({{ lookup('pipe', 'touch %s && echo INJECTED') }}," % injected in output
    # A rendered lookup would print its command's output, INJECTED, without the "echo " before it.
    assert not re.search(r'(?<!echo )INJECTED', output) and 'shop 49' not in output


@pytest.mark.parametrize('api_version', ['v7'], indirect=True)
def test_the_playbook_keeps_the_alerts_names_as_data_on_every_core(emulator, run_playbook, tmp_path):
    """The alert as the rulebook passes it (base64 of its JSON), names full of Jinja, and a clear mark in the state
    folder: printed as written, nothing run, nothing sent. (The full path, reports included: the rulebook test above.)"""
    injected = tmp_path / 'injected'
    rule = "{{ lookup('pipe', 'touch %s && echo INJECTED') }}" % injected
    te_alert = {'alert_id': "{% for x in range(3) %}{{ x }}{% endfor %}", 'state': 'trigger', 'rule': rule, 'test_id': '5370',
                'agents': [{'id': '101', 'name': "{{ lookup('pipe', 'touch %s') }}" % injected}]}
    state = tmp_path / 'state'
    (state / 'cleared').mkdir(parents=True)
    (state / 'cleared' / hashlib.sha1(te_alert['alert_id'].encode()).hexdigest()).write_text('2026-12-03T08:30:00Z')
    data = base64.b64encode(json.dumps(te_alert).encode()).decode()
    result = run_playbook(str(COLLECTION_ROOT / 'playbooks' / 'diagnose_alert.yml'),
                          extra_vars={'te_alert': data, 'diagnose_alert_state_dir': str(state)})
    assert ('Alert {%% for x in range(3) %%}{{ x }}{%% endfor %%} (%s) on test 5370 cleared at 2026-12-03T08:30:00Z, before this '
            'diagnosis started: skipped. Nothing was sent to ThousandEyes.' % rule) in result.output
    assert not injected.exists() and not re.search(r'(?<!echo )INJECTED', result.output)
    assert emulator.requests() == []


def test_diagnose_alert_playbook_reads_the_test_and_names_the_alert(emulator, run_playbook, api_version, tmp_path):
    """The playbook alone, as a job template runs it: a DNS test's domain, for both API versions."""
    domain = 'example.com'
    dns_test = create_dns_test(emulator, api_version, domain)
    report_path = tmp_path / 'report.md'
    te_alert = {'alert_id': 'dns-3', 'state': 'trigger', 'severity': 'minor', 'rule': 'DNS errors', 'test_id': dns_test,
                'test_name': '', 'test_type': '', 'agents': [{'id': '102', 'name': 'London, England'}], 'targets': [],
                'first_seen': '2026-12-03T08:00:00Z', 'time_cleared': '', 'notification_id': '', 'missing': ['alert.test.name']}
    result = run_playbook(str(COLLECTION_ROOT / 'playbooks' / 'diagnose_alert.yml'),
                          extra_vars={'te_alert': te_alert, 'diagnose_report_path': str(report_path)},
                          env={'ANSIBLE_SHOW_CUSTOM_STATS': 'true'})
    report = report_path.read_text(encoding='utf-8')
    assert 'Answers ThousandEyes alert dns-3 (minor):\nrule "DNS errors" on test dns scheduled (%s)' % dns_test in report
    assert '| %s | ok |' % domain in report
    # DNS tests are diagnosed with DNS tests only; the test was read without its results.
    assert [entry['operation'] for entry in emulator.requests() if entry['operation'] in ('create', 'results')].count('create') == 2
    assert not [entry for entry in emulator.requests('results') if '/%s' % dns_test in entry['path']]
    stats = result.output[result.output.index('CUSTOM STATS'):]
    assert '"alert_id": "dns-3"' in stats


def create_dns_test(emulator, api_version, domain):
    if api_version == 'v7':
        return create_scheduled_test(emulator, 'dns-trace', 'dns scheduled', domain=domain)
    body = {'testName': 'dns scheduled', 'domain': domain + ' A', 'agents': [{'agentId': 101}]}
    request = urllib.request.Request('%s/v6/instant/dns-trace.json' % emulator.url, data=json.dumps(body).encode(),
                                     headers={'Authorization': 'Bearer te-emulator-token', 'Content-Type': 'application/json'},
                                     method='POST')
    with urllib.request.urlopen(request, timeout=10) as answer:
        return str(json.loads(answer.read())['test'][0]['testId'])


def test_diagnose_alert_without_an_alert_stops_before_any_request(emulator, run_playbook):
    result = run_playbook(str(COLLECTION_ROOT / 'playbooks' / 'diagnose_alert.yml'), expect_rc=2)
    assert 'te_alert is missing' in result.output and 'Nothing was sent to ThousandEyes.' in result.output
    assert emulator.requests() == []
