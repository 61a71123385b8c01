"""Run galaxy-importer on a built collection tarball; fail on any error or warning.

galaxy-importer is what Galaxy runs on every upload. It exits 0 when it only warns (an ansible-lint
finding, a missing changelog...), and Galaxy shows those warnings to users, so here any line it
logs at WARNING or ERROR level fails the run. It runs in a temporary folder (it writes
importer_result.json to the current folder) with tools/galaxy-importer.cfg, and with the venv
that runs this script first in PATH, so that its ansible-lint and ansible-doc are the pinned ones.

Usage: .venv-importer/bin/python tools/run_galaxy_importer.py TARBALL
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'galaxy-importer.cfg')
# galaxy-importer's log format: "LEVEL: message" for every level but INFO.
FAILING_PREFIXES = ('WARNING:', 'ERROR:', 'CRITICAL:')


def main() -> int:
    """Run the importer, echo its log, and return 1 when it failed or logged a warning or an error."""
    tarball = os.path.abspath(sys.argv[1])
    env = dict(os.environ, GALAXY_IMPORTER_CONFIG=CONFIG, ANSIBLE_NOCOLOR='1')
    env['PATH'] = os.path.dirname(sys.executable) + os.pathsep + env.get('PATH', '')
    with tempfile.TemporaryDirectory(prefix='galaxy-importer-') as workdir:
        env['GALAXY_IMPORTER_TMP_ROOT_DIR'] = workdir
        env['GALAXY_IMPORTER_ANSIBLE_LOCAL_TMP'] = os.path.join(workdir, 'ansible-tmp')
        result = subprocess.run([sys.executable, '-m', 'galaxy_importer.main', tarball], cwd=workdir, env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    print(result.stdout, end='')
    problems = [line for line in result.stdout.splitlines() if line.startswith(FAILING_PREFIXES)]
    if result.returncode != 0 or problems:
        print('galaxy-importer: %d warning(s) or error(s), exit code %d: Galaxy would show or refuse these'
              % (len(problems), result.returncode), file=sys.stderr)
        return 1
    print('galaxy-importer: %s imports with no warning' % os.path.basename(tarball))
    return 0


if __name__ == '__main__':
    sys.exit(main())
