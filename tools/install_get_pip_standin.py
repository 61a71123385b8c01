"""Put tools/get_pip_standin.py where ansible-test looks for its cached pip bootstrap script.

ansible-test (sanity --local, --venv) bootstraps pip in each virtual environment it creates with
``~/.ansible/test/cache/get_pip_<pip version with _>.py`` and downloads that file from
ci-files.testing.ansible.com when it is missing. That host is often unreachable where a package
index is, so the stand-in (which uses ensurepip and the package index) is copied there instead.
An existing file, genuine or stand-in, is left alone.

The pip version is read from the installed ansible-test, so that an ansible-core update that
changes the pinned pip needs no change here.
"""

from __future__ import annotations

import os
import shutil
import sys
import types

FALLBACK_PIP_VERSION = '24.2'  # what ansible-core 2.19 pins


def pip_version() -> str:
    """Return the pip version that the installed ansible-test bootstraps in its environments."""
    try:
        from ansible_test._internal.python_requirements import get_venv_packages
    except ImportError as ex:
        print('install_get_pip_standin: cannot read the pip version from ansible-test (%s); using %s'
              % (ex, FALLBACK_PIP_VERSION), file=sys.stderr)
        return FALLBACK_PIP_VERSION
    python = types.SimpleNamespace(version='%d.%d' % sys.version_info[:2])
    return get_venv_packages(python)['pip']


def main() -> None:
    """Copy the stand-in into ansible-test's cache unless a bootstrap script is there already."""
    version = pip_version()
    target = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % version.replace('.', '_'))
    if os.path.exists(target):
        return
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'get_pip_standin.py')
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # Written aside and renamed: `make test` runs the sanity of two cores side by side, and one must never read the
    # other's half-written copy.
    partial = '%s.%d.partial' % (target, os.getpid())
    shutil.copyfile(source, partial)
    os.replace(partial, target)
    print('installed the pip %s bootstrap stand-in for ansible-test: %s' % (version, target))


if __name__ == '__main__':
    main()
