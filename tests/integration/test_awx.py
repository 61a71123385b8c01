# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""AWX and execution environments: the credential type, the survey, the ansible-builder definition, and
playbooks/diagnose.yml run through ansible-runner the way AWX runs a job, reading the set_stats artifact
from the runner's job events.

ansible-builder and ansible-runner come from requirements-dev.txt; a missing one is a failure, not a skip.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import ansible_runner
import pytest
import yaml
from jinja2.sandbox import ImmutableSandboxedEnvironment

COLLECTION_ROOT = Path(__file__).resolve().parents[2]
TOKEN = 'te-emulator-token'
AWX = COLLECTION_ROOT / 'awx'
ARGUMENT_SPECS = COLLECTION_ROOT / 'roles' / 'diagnose' / 'meta' / 'argument_specs.yml'
ROLE_DEFAULTS = COLLECTION_ROOT / 'roles' / 'diagnose' / 'defaults' / 'main.yml'
# The role checks diagnose_tests itself (its argument spec has no choices); the plan filter documents the types.
PLAN_FILTER_DOCS = COLLECTION_ROOT / 'plugins' / 'filter' / 'diagnose_plan.yml'
CONNECTION_ENV = {'TE_TOKEN', 'TE_EMAIL', 'TE_AUTH_TOKEN', 'TE_AID', 'TE_API_URL', 'TE_API_VERSION'}
AWX_DOC = COLLECTION_ROOT / 'docs' / 'awx.md'
# The ansible-runner block of docs/awx.md, taken from the doc itself so that the doc and this test cannot drift.
RUNNER_BLOCK = re.compile(r'^## Trying it without AWX\n.*?^```python\n(?P<body>.*?)^```$', re.M | re.S)


def load_yaml(path):
    return yaml.safe_load(path.read_text())


def inject(inputs):
    """The environment AWX injects for a credential with these inputs (awx inject_credential, simplified).

    AWX renders every env injector with a sandboxed Jinja2 environment; inputs left empty are not in the
    namespace (so they are undefined in the templates).
    """
    credential_type = load_yaml(AWX / 'credential_type.yml')
    namespace = dict((key, value) for key, value in inputs.items() if value not in (None, ''))
    sandbox = ImmutableSandboxedEnvironment()
    return dict((name, sandbox.from_string(template).render(**namespace)) for name, template in credential_type['injectors']['env'].items())


def survey_defaults(survey_file='survey_diagnose.json'):
    """The extra vars AWX takes from the survey's defaults (only those that pass the survey's own validation)."""
    survey = json.loads((AWX / survey_file).read_text())
    values = {}
    for question in survey['spec']:
        default = question.get('default')
        if default in (None, ''):
            continue
        if question['type'] == 'multiselect' and not isinstance(default, list):
            continue
        values[question['variable']] = default
    return values


# The credential type and the survey -------------------------------------------------------------------

@pytest.mark.core_independent
def test_credential_type_inputs_and_injectors():
    credential_type = load_yaml(AWX / 'credential_type.yml')
    fields = dict((field['id'], field) for field in credential_type['inputs']['fields'])
    assert set(fields) == {'token', 'email', 'auth_token', 'account_group_id', 'api_url', 'api_version'}
    assert {name for name, field in fields.items() if field.get('secret')} == {'token', 'auth_token'}
    assert fields['api_version']['choices'] == ['v6', 'v7']
    assert all(field['label'] and field.get('type', 'string') == 'string' for field in fields.values())
    assert set(credential_type['injectors']) == {'env'}
    assert set(credential_type['injectors']['env']) == CONNECTION_ENV
    # AWX refuses ANSIBLE_* and a few other names for custom injectors.
    assert not [name for name in credential_type['injectors']['env'] if name.startswith('ANSIBLE_') or name in ('PATH', 'HOME')]


@pytest.mark.core_independent
def test_credential_type_injects_defaults_for_empty_inputs():
    assert inject({'token': 'secret-token'}) == {
        'TE_TOKEN': 'secret-token', 'TE_EMAIL': '', 'TE_AUTH_TOKEN': '', 'TE_AID': '',
        'TE_API_URL': 'https://api.thousandeyes.com', 'TE_API_VERSION': 'v7'}
    assert inject({'email': 'ops@example.com', 'auth_token': 'basic-token', 'account_group_id': '1234', 'api_url': '', 'api_version': 'v6'}) == {
        'TE_TOKEN': '', 'TE_EMAIL': 'ops@example.com', 'TE_AUTH_TOKEN': 'basic-token', 'TE_AID': '1234',
        'TE_API_URL': 'https://api.thousandeyes.com', 'TE_API_VERSION': 'v6'}


@pytest.mark.core_independent
@pytest.mark.parametrize('survey_file, asked', [
    ('survey_diagnose.json', {'diagnose_targets', 'diagnose_agents'}),
    ('survey_diagnose_endpoint.json', {'diagnose_targets', 'diagnose_agents', 'diagnose_endpoint_agents'}),
])
def test_survey_matches_the_role(survey_file, asked):
    survey = json.loads((AWX / survey_file).read_text())
    options = load_yaml(ARGUMENT_SPECS)['argument_specs']['main']['options']
    defaults = load_yaml(ROLE_DEFAULTS)
    assert survey['name'] and survey['description']
    variables = [question['variable'] for question in survey['spec']]
    assert len(variables) == len(set(variables))
    assert set(variables) <= set(options)
    assert {'diagnose_targets', 'diagnose_agents'} <= set(variables)
    assert asked <= set(variables)
    # Every survey the docs offer is named there with its variables.
    assert survey_file in AWX_DOC.read_text() and all('`%s`' % variable in AWX_DOC.read_text() for variable in variables)
    for question in survey['spec']:
        assert question['type'] in ('text', 'textarea', 'password', 'integer', 'float', 'multiplechoice', 'multiselect')
        option = options[question['variable']]
        if question['type'] == 'multiselect':
            choices = option.get('choices') or load_yaml(PLAN_FILTER_DOCS)['DOCUMENTATION']['options']['tests']['choices']
            assert set(question['choices']) == set(choices)
        if question['type'] == 'multiplechoice' and option['type'] == 'bool':
            assert question['default'] == str(defaults[question['variable']]).lower()
        elif question['variable'] in defaults and question['type'] in ('integer', 'float'):
            assert question['default'] == defaults[question['variable']]
    if survey_file != 'survey_diagnose.json':
        return
    # The defaults the survey describes are the role's: a URL gets no agent-to-server test unless asked for.
    tests = next(question for question in survey['spec'] if question['variable'] == 'diagnose_tests')
    assert 'http-server and dns-trace for a URL (add agent-to-server only' in tests['question_description']
    assert 'agent-to-server and dns-trace for a host' in tests['question_description']


def test_the_job_template_example_names_a_credential_not_its_type():
    credential_type = load_yaml(AWX / 'credential_type.yml')
    docs = AWX_DOC.read_text()
    template = re.search(r'awx\.awx\.job_template:\n(?P<body>(?: {4}.*\n)+)', docs).group('body')
    credentials = yaml.safe_load(template)['credentials']
    assert credentials and credential_type['name'] not in credentials
    assert all('**Resources > Credentials > Add**, a name (here `%s`)' % name in docs for name in credentials)


def test_the_docs_name_the_file_ansible_builder_writes(tmp_path):
    _context, dummy = builder_create(COLLECTION_ROOT / 'execution-environment.yml', tmp_path)
    written = [path.name for path in (tmp_path / 'context').iterdir() if path.name in ('Containerfile', 'Dockerfile')]
    assert len(written) == 1
    assert '`context/%s`' % written[0] in AWX_DOC.read_text().split('### Another base image')[1][:400]


# The execution environment ----------------------------------------------------------------------------

@pytest.mark.core_independent
def test_execution_environment_context_holds_the_collection(tmp_path):
    context = tmp_path / 'context'
    completed = subprocess.run([sys.executable, '-m', 'ansible_builder', 'create', '-f', str(COLLECTION_ROOT / 'execution-environment.yml'),
                                '-c', str(context), '-v', '3'], cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    requirements = load_yaml(context / '_build' / 'requirements.yml')
    assert 'netdiag.thousandeyes' in [collection['name'] for collection in requirements['collections']]
    containerfile = next(path for path in (context / 'Containerfile', context / 'Dockerfile') if path.exists()).read_text()
    assert 'ansible-galaxy collection install' in containerfile
    assert 'ansible-core>=2.19' in containerfile and 'ansible-runner' in containerfile


def builder_create(definition, workdir):
    """ansible-builder create for a definition file in workdir; returns the context directory and its Containerfile text."""
    context = workdir / 'context'
    completed = subprocess.run([sys.executable, '-m', 'ansible_builder', 'create', '-f', str(definition), '-c', str(context), '-v', '3'],
                               cwd=workdir, capture_output=True, text=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return context, next(path for path in (context / 'Containerfile', context / 'Dockerfile') if path.exists()).read_text()


@pytest.mark.core_independent
def test_a_project_sync_of_this_repository_installs_nothing_from_galaxy():
    # AWX installs what these files list when it syncs a project; the execution environments list their own.
    for path in ('requirements.yml', 'collections/requirements.yml', 'roles/requirements.yml', 'requirements.yaml'):
        assert not (COLLECTION_ROOT / path).exists(), path


def test_the_checkout_definition_names_the_tarball_of_the_galaxy_version():
    # ansible-builder cannot read galaxy.yml: tools/check_version.py (make lint) checks the copy, and so does this.
    version = load_yaml(COLLECTION_ROOT / 'galaxy.yml')['version']
    definition = (COLLECTION_ROOT / 'execution-environment-checkout.yml').read_text()
    assert set(re.findall(r'netdiag-thousandeyes-([0-9][^/\s]*?)\.tar\.gz', definition)) == {version}
    sys.path.insert(0, str(COLLECTION_ROOT / 'tools'))
    try:
        import check_version  # pylint: disable=import-outside-toplevel
    finally:
        sys.path.pop(0)
    assert check_version.mismatches(str(COLLECTION_ROOT)) == []


def test_execution_environment_from_this_checkout(tmp_path):
    version = load_yaml(COLLECTION_ROOT / 'galaxy.yml')['version']
    built = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-galaxy'), 'collection', 'build', '--force',
                            '--output-path', str(tmp_path), str(COLLECTION_ROOT)], capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stdout + built.stderr
    shutil.copy(COLLECTION_ROOT / 'execution-environment-checkout.yml', tmp_path)
    context, containerfile = builder_create(tmp_path / 'execution-environment-checkout.yml', tmp_path)
    tarball = 'netdiag-thousandeyes-%s.tar.gz' % version
    assert (context / '_build' / 'collections' / tarball).is_file()
    requirements = load_yaml(context / '_build' / 'requirements.yml')
    assert requirements['collections'] == [{'name': '/build/collections/' + tarball, 'type': 'file'}]
    assert 'COPY _build /build' in containerfile


@pytest.mark.core_independent
def test_the_documented_build_arguments_are_the_containerfiles(tmp_path):
    # docs/awx.md tells users which build arguments to override for another base image; they must be all of
    # those the generated Containerfile fixes for the base image, with the default row as their defaults.
    _context, containerfile = builder_create(COLLECTION_ROOT / 'execution-environment.yml', tmp_path)
    defaults = dict(re.findall(r'^ARG (EE_BASE_IMAGE|PKGMGR|PYPKG|PYCMD)="([^"]*)"$', containerfile, re.M))
    assert set(defaults) == {'EE_BASE_IMAGE', 'PKGMGR', 'PYPKG', 'PYCMD'}
    docs = (COLLECTION_ROOT / 'docs' / 'awx.md').read_text()
    assert '| Base image | `PKGMGR` | `PYPKG` | `PYCMD` |' in docs
    assert '| `%s` (the default) | `%s` | `%s` | `%s` |' % (defaults['EE_BASE_IMAGE'], defaults['PKGMGR'], defaults['PYPKG'],
                                                            defaults['PYCMD']) in docs
    for image in ('quay.io/ansible/awx-ee', 'ee-minimal-rhel9', 'ee-supported-rhel9'):
        assert image in docs


@pytest.mark.core_independent
def test_collection_declares_its_python_requirements_to_ansible_builder():
    # What ansible-builder's introspection (run inside the image build) finds in the installed collection.
    collections_path = os.environ.get('ANSIBLE_COLLECTIONS_PATH', '').split(os.pathsep)[0]
    assert collections_path, 'ANSIBLE_COLLECTIONS_PATH must point at a tree that holds this collection'
    completed = subprocess.run([sys.executable, '-m', 'ansible_builder', 'introspect', '--sanitize', collections_path],
                               capture_output=True, text=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert 'requests' in completed.stdout and 'netdiag.thousandeyes' in completed.stdout


# A job, the way AWX runs it ----------------------------------------------------------------------------

def run_diagnose_job(tmp_path, credential, extravars):
    """playbooks/diagnose.yml run as AWX runs a job: from a project folder, with the environment that the credential
    injects (plus what the test machine needs) and the survey's answers as extra vars; no TE_* of the test process."""
    private_data_dir = tmp_path / 'job'
    (private_data_dir / 'project' / 'playbooks').mkdir(parents=True)
    shutil.copy(COLLECTION_ROOT / 'playbooks' / 'diagnose.yml', private_data_dir / 'project' / 'playbooks' / 'diagnose.yml')
    envvars = inject(credential)
    envvars.update(ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='false',
                   ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    saved = dict((key, os.environ.pop(key)) for key in list(os.environ) if key.startswith('TE_'))
    try:
        return ansible_runner.run(private_data_dir=str(private_data_dir), playbook='playbooks/diagnose.yml', envvars=envvars,
                                  extravars=extravars, quiet=True, timeout=600)
    finally:
        os.environ.update(saved)


def test_diagnose_job_through_ansible_runner(emulator, api_version, tmp_path):
    emulator.configure(result_delay=2)
    # The survey's defaults, and answers as AWX passes them: text areas are strings.
    extravars = survey_defaults()
    extravars.update(diagnose_targets='https://shop.example.com/health\napi.example.com',
                     diagnose_agents='Frankfurt, Germany\nLondon, England')
    assert extravars['diagnose_fail_on_breach'] == 'false'
    runner = run_diagnose_job(tmp_path, {'token': TOKEN, 'api_url': emulator.url, 'api_version': api_version}, extravars)

    assert (runner.status, runner.rc) == ('successful', 0), runner.stdout.read()
    stats = [event for event in runner.events if event['event'] == 'playbook_on_stats']
    assert len(stats) == 1
    artifact = stats[0]['event_data']['artifact_data']['thousandeyes_diagnose']
    assert artifact['verdict'] == 'ok'
    assert [(target['target'], target['verdict']) for target in artifact['targets']] == [
        ('https://shop.example.com/health', 'ok'), ('api.example.com', 'ok')]
    assert [agent['name'] for agent in artifact['agents']] == ['Frankfurt, Germany', 'London, England']
    # http-server and dns-trace for the URL, agent-to-server and dns-trace for the host
    assert sum(len(target['tests']) for target in artifact['targets']) == 4
    assert [target['location'] for target in artifact['targets']] == ['none', 'none']
    # The token never shows in the job's output or events.
    assert TOKEN not in json.dumps(list(runner.events))
    assert emulator.count('create') == 4


def test_slow_for_one_user_job_through_ansible_runner(emulator, tmp_path):
    # The "slow for one user" template: the survey's answers as AWX passes them (text areas are strings, two computers
    # on two lines), API v7 (the credential's version left empty). Bob's Wi-Fi is weak; the Cloud Agents see nothing.
    emulator.configure(result_delay=0.0, endpoint_scenarios={'bob-laptop': 'weak-wifi'})
    extravars = survey_defaults('survey_diagnose_endpoint.json')
    extravars.update(diagnose_targets='https://crm.example.com/', diagnose_endpoint_agents='BOB-THINKPAD\nalice-laptop')
    assert extravars['diagnose_agents'] == 'Frankfurt, Germany\nLondon, England'
    runner = run_diagnose_job(tmp_path, {'token': TOKEN, 'api_url': emulator.url, 'api_version': ''}, extravars)

    assert (runner.status, runner.rc) == ('successful', 0), runner.stdout.read()
    stats = [event for event in runner.events if event['event'] == 'playbook_on_stats']
    artifact = stats[0]['event_data']['artifact_data']['thousandeyes_diagnose']
    (target,) = artifact['targets']
    assert (target['verdict'], target['location']) == ('degraded', 'agents')
    assert sorted(agent['agent_name'] for agent in target['endpoint']['agents']) == ['alice-laptop', 'bob-laptop']
    assert any('bob-laptop' in line and 'weak Wi-Fi' in line for line in target['evidence'])
    assert not any('alice-laptop' in line for line in target['evidence'])
    assert TOKEN not in json.dumps(list(runner.events))
    # One endpoint test for the one target, run from both computers; the Cloud Agents' tests as usual.
    assert emulator.count('endpoint_create') == 1
    assert all(entry['path'].startswith('/v7/') for entry in emulator.requests())


def test_the_runner_block_of_the_docs_runs_as_written(emulator, tmp_path):
    # The block of docs/awx.md, with the emulator in place of the real API and of the token: nothing else changes.
    emulator.configure(result_delay=1)
    block = RUNNER_BLOCK.search(AWX_DOC.read_text()).group('body')
    assert "'TE_API_VERSION': 'v7'" in block and "'TE_API_URL': 'https://api.thousandeyes.com'" in block
    script = block.replace("'your-token'", repr(TOKEN)).replace("'https://api.thousandeyes.com'", repr(emulator.url))
    # Run from a checkout: the folder holds playbooks/diagnose.yml; the block creates the private data folder itself.
    (tmp_path / 'playbooks').mkdir()
    shutil.copy(COLLECTION_ROOT / 'playbooks' / 'diagnose.yml', tmp_path / 'playbooks' / 'diagnose.yml')
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith('TE_'))
    env.update(ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    completed = subprocess.run([sys.executable, '-c', script], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600,
                               check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert completed.stdout.strip().splitlines()[-1] == 'ok', completed.stdout
    assert (tmp_path / 'job' / 'project' / 'playbooks' / 'diagnose.yml').is_file()
    # Against the emulator in v7: the snippet's own API version, whatever the test run's default.
    assert emulator.count('create') == 2
    assert all(entry['path'].startswith('/v7/') for entry in emulator.requests())
