# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration harness: the bundled emulator on a free loopback port, and real ansible-playbook runs against it.

Every playbook test runs once per API version (the ``api_version`` fixture); the playbooks themselves do not
know the version: the environment (TE_API_VERSION) chooses it, as it would for a user.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

COLLECTION_ROOT = Path(__file__).resolve().parents[2]
PLAYBOOKS = Path(__file__).resolve().parent / 'playbooks'
sys.path.insert(0, str(COLLECTION_ROOT))
# The synced tree lies under .../collections/ansible_collections/netdiag/thousandeyes: its modules import as
# ansible_collections.netdiag.thousandeyes.* for the in-process runs (module_runner.py).
sys.path.insert(1, str(COLLECTION_ROOT.parents[2]))

from emulator import control  # noqa: E402  pylint: disable=wrong-import-position
# After every test that used the emulator: its v7 requests and answers against the vendor's schema.
from tests.schema import plugin as schema_plugin  # noqa: E402  pylint: disable=wrong-import-position
from tests.schema.plugin import pytest_runtest_call  # noqa: E402,F401  pylint: disable=wrong-import-position,unused-import
from tests.integration import module_runner  # noqa: E402  pylint: disable=wrong-import-position


def pytest_configure(config):
    schema_plugin.pytest_configure(config)
    # Tests whose timing a busy CPU can upset (timeouts of a few seconds, rate-limit windows, eight playbooks racing)
    # carry this marker: `make integration` runs them in a second pass on their own, after the rest ran on two workers
    # (pytest -n 2; each worker starts its own emulator).
    config.addinivalue_line('markers', 'serial: timing-sensitive; run apart from other tests, not under xdist')
    # Tests whose outcome cannot change with the ansible-core release carry this marker: nothing of the core under test
    # runs in them (file checks, the SDK against the emulator, ...), or what differs from a test that runs on every core
    # is plain Python of the providers (the v7 answer shapes). With NETDIAG_CORE_DEPENDENT_ONLY=1 (what `make integration`
    # sets for every CORE but the lowest, 2.19) they are deselected, and so is the v6 half of the api_version tests
    # (v6/v7 differences live in the providers, which do not depend on the core). See TESTING.md, "What the second
    # ansible-core runs".
    config.addinivalue_line('markers', 'core_independent: cannot depend on the ansible-core release; runs on the lowest only')


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """With -n (xdist's --dist load): the tests of one class go to one worker, so that a class-scoped fixture (the shared
    playbook runs of shared_run.py) runs once; every other test is spread on its own, as --dist load does.

    xdist's own --dist loadgroup would do it with a mark, but it marks the group in a node ID attribute that pytest 9
    no longer reads, so it groups nothing.
    """
    if config.getvalue('dist') != 'load':
        return None
    from xdist.scheduler import LoadScopeScheduling  # pylint: disable=import-outside-toplevel

    class ClassScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            parts = nodeid.split('::')
            return '::'.join(parts[:2]) if len(parts) > 2 else nodeid

    return ClassScheduling(config, log)


def core_dependent_only():
    return os.environ.get('NETDIAG_CORE_DEPENDENT_ONLY', '') not in ('', '0')


def pytest_collection_modifyitems(config, items):
    if not core_dependent_only():
        return
    kept, dropped = [], []
    for item in items:
        callspec = getattr(item, 'callspec', None)
        v6 = callspec is not None and callspec.params.get('api_version') == 'v6'
        # The serial tests time our own transport policies (timeouts, rate-limit windows, the create race): plain Python
        # of module_utils that no ansible-core release changes, while the first pass runs every module through the core.
        if v6 or item.get_closest_marker('core_independent') or item.get_closest_marker('serial'):
            dropped.append(item)
        else:
            kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture(scope='session')
def emulator_server():
    emulator = control.start()
    yield emulator
    emulator.stop()


@pytest.fixture
def emulator(emulator_server):
    """The emulator, reset to its defaults with a short result delay."""
    emulator_server.reset(result_delay=1.0)
    return emulator_server


@pytest.fixture(params=['v6', 'v7'])
def api_version(request):
    return request.param


class PlaybookResult:
    def __init__(self, completed):
        self.rc = completed.returncode
        self.stdout = completed.stdout
        self.stderr = completed.stderr
        self.output = completed.stdout + completed.stderr


def playbook_environment(emulator, api_version):
    """The environment a user would set: the TE_* variables, pointing at the emulator."""
    env = dict(os.environ)
    for key in [key for key in env if key.startswith('TE_')]:
        del env[key]
    env.update(
        TE_API_URL=emulator.url,
        TE_TOKEN=control.TOKEN,
        TE_API_VERSION=api_version,
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_FORCE_COLOR='0',
        ANSIBLE_LOCALHOST_WARNING='false',
        ANSIBLE_INVENTORY_UNPARSED_WARNING='false',
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        ANSIBLE_RETRY_FILES_ENABLED='false',
        ANSIBLE_HOST_KEY_CHECKING='false',
    )
    return env


def run_playbook_file(emulator, api_version, base_env, name, extra_vars=None, args=(), env=None, expect_rc=0):
    """Run a playbook of tests/integration/playbooks (or a path) against the emulator; fails the test when its exit code
    is not the expected one. The function behind the run_playbook fixture, for fixtures of a wider scope."""
    variables = {'emulator_url': emulator.url, 'api_version': api_version}
    variables.update(extra_vars or {})
    command = [shutil.which('ansible-playbook') or os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'),
               str(PLAYBOOKS / name), '-e', json.dumps(variables), *args]
    run_env = dict(base_env)
    run_env.update(env or {})
    completed = subprocess.run(command, env=run_env, capture_output=True, text=True, timeout=900, check=False)
    result = PlaybookResult(completed)
    if expect_rc is not None and result.rc != expect_rc:
        pytest.fail('%s exited %s (expected %s)\n--- stdout\n%s\n--- stderr\n%s'
                    % (name, result.rc, expect_rc, result.stdout[-20000:], result.stderr[-5000:]))
    return result


@pytest.fixture
def playbook_env(emulator, api_version):
    """The environment a user would set: the TE_* variables, pointing at the emulator."""
    return playbook_environment(emulator, api_version)


@pytest.fixture
def run_playbook(emulator, api_version, playbook_env):
    """Run a playbook of tests/integration/playbooks; fails the test when its exit code is not the expected one."""

    def run(name, extra_vars=None, args=(), env=None, expect_rc=0):
        return run_playbook_file(emulator, api_version, playbook_env, name, extra_vars=extra_vars, args=args, env=env,
                                 expect_rc=expect_rc)

    return run


@pytest.fixture
def module_environment(emulator, api_version):
    """The TE_* variables a user would set for a module run against the emulator."""
    return {'TE_API_URL': emulator.url, 'TE_TOKEN': control.TOKEN, 'TE_API_VERSION': api_version}


@pytest.fixture
def run_module(module_environment):
    """Run one of the collection's modules in this process (module_runner.py) and return the dict a task registers.

    ``env`` adds or, with a value of None, removes TE_* variables; ``check_mode`` and ``diff`` are --check and --diff.
    """

    def run(name, args=None, env=None, check_mode=False, diff=False):
        environment = dict(module_environment)
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        return module_runner.run_module(name, args or {}, environment, check_mode=check_mode, diff=diff)

    return run
