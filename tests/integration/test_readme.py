# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every command block and every play of README.md, run as a user runs them from a clone.

The by-hand blocks run inside ``make shell`` (as the README says), with TE_API_URL and TE_TOKEN pointing at the
emulator in place of a real account. ``make demo`` runs for real; ``make test`` only as a dry run, since it is
what runs this test. The emulator block's fixed port is swapped for a free one, so that the test cannot clash
with anything else listening on the machine.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import COLLECTION_ROOT, control

README = COLLECTION_ROOT / 'README.md'
BLOCK = re.compile(r'^```(?P<lang>[a-z]*)\n(?P<body>.*?)^```$', re.M | re.S)
# The make targets the README tells users to run, and how this test runs each.
MAKE_TARGETS = {'demo': 'run', 'test': 'dry-run', 'shell': 'every other block runs in it'}


def blocks(lang):
    return [match.group('body') for match in BLOCK.finditer(README.read_text()) if match.group('lang') == lang]


def make_blocks():
    return [body for body in blocks('bash') if all(line.startswith('make ') for line in body.strip().splitlines())]


def shell_blocks():
    return [body for body in blocks('bash') if body not in make_blocks()]


def plays():
    return [body for body in blocks('yaml') if isinstance(yaml.safe_load(body), list) and 'hosts' in yaml.safe_load(body)[0]]


@pytest.fixture(scope='module')
def clone():
    """The clone that `make integration` runs from: its virtualenv's bin is first on PATH (the Makefile puts it there)."""
    first = Path(os.environ.get('PATH', '').split(os.pathsep)[0])
    root = first.parent.parent
    if first.name != 'bin' or not (root / 'Makefile').is_file() or not (root / '.git').exists():
        pytest.fail('run this test through make integration (from a clone), which puts the clone\'s virtualenv first on PATH')
    return root


@pytest.fixture
def user_env(emulator):
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith(('TE_', 'ANSIBLE_', 'MAKE')) and key != 'MFLAGS')
    env.update(TE_API_URL=emulator.url, TE_TOKEN=control.TOKEN, ANSIBLE_NOCOLOR='1', ANSIBLE_LOCALHOST_WARNING='false',
               ANSIBLE_INVENTORY_UNPARSED_WARNING='false')
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def in_make_shell(clone, env, script, timeout=600):
    """Run a script through `make -s shell` in the clone.

    It runs in a process group of its own, which is ended afterwards: an emulator that a failed block started in the
    background, or a script that overran, does not outlive the test.
    """
    process = subprocess.Popen(['make', '-s', 'shell'], cwd=clone, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        output = process.communicate('set -euo pipefail\n' + script, timeout=timeout)[0]
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass  # every process of the group has ended already
        process.wait(timeout=10)
    return process.returncode, output


@pytest.mark.core_independent
def test_the_readme_has_the_blocks_this_test_knows():
    targets = sorted(line.split()[1] for body in make_blocks() for line in body.strip().splitlines())
    assert targets == sorted(MAKE_TARGETS)
    assert len(shell_blocks()) == 2
    assert len(plays()) == 2


def test_make_shell_gives_the_tools_and_the_collection(clone, user_env):
    rc, output = in_make_shell(clone, user_env, 'command -v ansible-playbook\nansible-doc -t filter netdiag.thousandeyes.diagnose_table'
                                                ' | head -n 3\npwd\n')
    assert rc == 0, output
    # The same virtualenv as this run's (CORE picks it: .venv for 2.19, .venv-core-2.21 for 2.21).
    venv_bin = Path(os.environ['PATH'].split(os.pathsep)[0])
    assert venv_bin.parent.parent == clone
    assert str(venv_bin / 'ansible-playbook') in output
    assert 'FILTER netdiag.thousandeyes.diagnose_table' in output and 'One line per target' in output
    assert output.strip().splitlines()[-1] == str(clone)


def test_the_by_hand_blocks_run_as_written(clone, user_env, emulator):
    for body in shell_blocks():
        script = body.replace('8080', str(free_port()))
        rc, output = in_make_shell(clone, user_env, script)
        assert rc == 0, '%s\n--- output\n%s' % (body, output[-8000:])
        assert 'failed=0' in output
    # The real-API block ran the diagnosis and then reran one of its tests by the name the README gives.
    assert emulator.count('rerun') == 1
    assert not (clone / 'emulator.port').exists()


def test_the_plays_run_as_written(clone, user_env, emulator, tmp_path):
    for index, body in enumerate(plays()):
        path = tmp_path / ('readme-play-%d.yml' % index)
        path.write_text(body)
        rc, output = in_make_shell(clone, user_env, 'ansible-playbook %s\n' % path)
        assert rc == 0, '%s\n--- output\n%s' % (body, output[-8000:])
    # The filter example judged the result and showed the table.
    assert 'Frankfurt, Germany (101)' in output and 'Overall: OK' in output


def test_make_demo_shows_a_healthy_and_a_degraded_target(clone, user_env):
    completed = subprocess.run(['make', '-s', 'demo'], cwd=clone, env=user_env, capture_output=True, text=True, timeout=600, check=False)
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-8000:]
    assert 'https://shop.example.com/health: OK' in output
    assert 'api.example.com: DEGRADED' in output
    # The HTML report outlives the demo, in the clone (git-ignored), and the demo says where.
    page = clone / 'demo-report' / 'report.html'
    assert str(page) in output
    markup = page.read_text()
    assert 'ThousandEyes diagnosis' in markup and 'class="fault-hop"' in markup and '4.68.72.1' in markup


@pytest.mark.core_independent
def test_make_test_is_a_target(clone, user_env, tmp_path):
    # A dry run still runs the recipe lines that call $(MAKE), the stage timer among them: its times go to a file of
    # this test's own, not into the stage times that the `make test` running this test prints at its end.
    times = tmp_path / 'stage-times.txt'
    completed = subprocess.run(['make', '-n', 'test', 'STAGE_TIMES=%s' % times], cwd=clone, env=user_env, capture_output=True, text=True,
                               timeout=120, check=False)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert 'ansible-test sanity' in completed.stdout
    assert 'integration 2.21' in times.read_text()
