"""Run ``antsibull-docs lint-collection-docs`` with the given arguments; run it again when only its temporary path failed.

antsibull-docs copies the collection into a fresh ``antsibull-docs-XXXXXXXX`` temporary folder and renders every
plugin's RST from there. When the folder's random name ends in ``_`` (one run in 37: Python's temporary names use
a-z, 0-9 and ``_``), docutils reads ``antsibull-docs-XXXXXXX_`` in the rendered path as a hyperlink reference, and
every plugin fails with ``Unknown target name: "antsibull-docs-..."`` although nothing in the docs is wrong. Such a
run, and only such a run, is repeated, at most MAX_RUNS times in all; any other finding fails at once.

Usage: python tools/lint_collection_docs.py [antsibull-docs lint-collection-docs arguments]
"""

from __future__ import annotations

import re
import subprocess
import sys

MAX_RUNS = 3
# A finding line of the linter: "path:line:column: message".
FINDING = re.compile(r'^\S+:\d+:\d+: ')
TEMPORARY_PATH_FINDING = re.compile(r'^\S+:\d+:\d+: \(ERROR/3\) Unknown target name: "antsibull-docs-[a-z0-9_]+"\.$')


def only_the_temporary_path_failed(output: str) -> bool:
    findings = [line for line in output.splitlines() if FINDING.match(line)]
    return bool(findings) and all(TEMPORARY_PATH_FINDING.match(line) for line in findings)


def main() -> int:
    command = ['antsibull-docs', 'lint-collection-docs'] + sys.argv[1:]
    for attempt in range(1, MAX_RUNS + 1):
        done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
        sys.stdout.write(done.stdout)
        if done.returncode == 0 or not only_the_temporary_path_failed(done.stdout) or attempt == MAX_RUNS:
            return done.returncode
        print('lint_collection_docs: every finding above names antsibull-docs\' own temporary folder, whose random name '
              'ended in "_"; running the linter again (%d of %d).' % (attempt + 1, MAX_RUNS))
    return 1


if __name__ == '__main__':
    sys.exit(main())
