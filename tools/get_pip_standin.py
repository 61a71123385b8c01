"""Offline stand-in for the get-pip.py bootstrap script that ansible-test downloads.

``ansible-test sanity --local`` creates one virtual environment per sanity test with
``--without-pip`` and then bootstraps pip by running
``https://ci-files.testing.ansible.com/ansible-test/get-pip-<version>.py``. It only downloads that
script when ``~/.ansible/test/cache/get_pip_<version with _>.py`` is missing, so ``make sanity``
copies this file there first. Machines that can reach a package index but not that host can then
run sanity.

ansible-test runs the script through runpy as ``__main__`` with ``sys.argv`` set, for example::

    get_pip_24_2.py --disable-pip-version-check pip==24.2 --no-setuptools --no-wheel

What this does, with the Python that runs it (the fresh virtual environment):

1. ``python -m ensurepip`` installs the pip wheel bundled with the standard library (no network).
   ensurepip runs its pip with ``PIP_CONFIG_FILE`` pointing at the null device; running it as a
   separate process keeps that setting out of step 2.
2. ``python -m pip install --upgrade <arguments>`` installs what ansible-test asked for (the pinned
   pip) from the machine's normal pip configuration (index, mirrors, certificates). ansible-test
   removes ``PIP_*`` variables from the environment, so that configuration comes from pip's
   configuration files.
3. ``--no-setuptools`` / ``--no-wheel`` are get-pip options, not pip options: they are taken out of
   the arguments, and setuptools (which ensurepip installs on Python < 3.12) is removed again when
   it was not there before and ``--no-setuptools`` was given.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

GET_PIP_ONLY_OPTIONS = ('--no-setuptools', '--no-wheel')


def run(*args: str) -> None:
    """Run this Python with the given arguments; exit with its status if it fails."""
    command = [sys.executable, *args]
    result = subprocess.run(command, check=False)

    if result.returncode != 0:
        sys.stderr.write('get-pip stand-in: command failed (%d): %s\n' % (result.returncode, ' '.join(command)))
        sys.exit(result.returncode)


def main() -> None:
    """Bootstrap pip with ensurepip, then install the requested packages with it."""
    args = sys.argv[1:]
    no_setuptools = '--no-setuptools' in args
    pip_args = [arg for arg in args if arg not in GET_PIP_ONLY_OPTIONS]
    had_setuptools = importlib.util.find_spec('setuptools') is not None

    # ensurepip copies PIP_CONFIG_FILE=os.devnull into its own process only; ours stays untouched.
    env_before = os.environ.get('PIP_CONFIG_FILE')
    run('-m', 'ensurepip', '--upgrade', '--default-pip')
    assert os.environ.get('PIP_CONFIG_FILE') == env_before

    if pip_args:
        run('-m', 'pip', 'install', '--upgrade', *pip_args)

    if no_setuptools and not had_setuptools:
        run('-m', 'pip', 'uninstall', '--yes', '--disable-pip-version-check', 'setuptools')


if __name__ == '__main__':
    main()
