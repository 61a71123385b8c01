"""Fail when code states a collection version other than the one in galaxy.yml.

galaxy.yml is the only place the version is written by hand: ansible-galaxy puts it into the
tarball's MANIFEST.json, antsibull-changelog and antsibull-docs read it from there. Two copies
cannot read it at run time and are checked here instead: a module runs from an AnsiballZ
payload that carries no collection metadata (the User-Agent's ``COLLECTION_VERSION``), and the
emulator's ``__version__`` is imported without the collection being installed. The checkout's execution
environment definition names the tarball that ``ansible-galaxy collection build`` writes, whose name carries
the version, and ansible-builder cannot read galaxy.yml.

Usage: python tools/check_version.py [COLLECTION_ROOT]
"""

from __future__ import annotations

import os
import re
import sys

import yaml

# `NAME = '1.2.3'` for the names that hold the collection's version.
VERSION_ASSIGNMENT = re.compile(r'''^\s*(COLLECTION_VERSION|__version__)\s*=\s*['"]([^'"]+)['"]''', re.MULTILINE)
SEARCHED_FOLDERS = ('plugins', 'emulator')
# The tarball names of execution-environment-checkout.yml: netdiag-thousandeyes-1.2.3.tar.gz.
EE_DEFINITION = 'execution-environment-checkout.yml'
TARBALL_NAME = re.compile(r'netdiag-thousandeyes-([0-9][^/\s]*?)\.tar\.gz')


def mismatches(root: str) -> list[str]:
    """Return one sentence per copy of the version that differs from galaxy.yml."""
    with open(os.path.join(root, 'galaxy.yml'), encoding='utf-8') as handle:
        version = str(yaml.safe_load(handle)['version'])
    found = []
    for folder in SEARCHED_FOLDERS:
        for directory, _subdirs, files in os.walk(os.path.join(root, folder)):
            for name in sorted(files):
                if not name.endswith('.py'):
                    continue
                path = os.path.join(directory, name)
                with open(path, encoding='utf-8') as handle:
                    text = handle.read()
                for match in VERSION_ASSIGNMENT.finditer(text):
                    if match.group(2) != version:
                        found.append('%s sets %s = %r, galaxy.yml says %s: change it to %r'
                                     % (os.path.relpath(path, root), match.group(1), match.group(2), version, version))
    definition = os.path.join(root, EE_DEFINITION)
    if os.path.exists(definition):
        with open(definition, encoding='utf-8') as handle:
            named = sorted(set(TARBALL_NAME.findall(handle.read())))
        found.extend('%s names the tarball of version %s, galaxy.yml says %s: change it to netdiag-thousandeyes-%s.tar.gz'
                     % (EE_DEFINITION, other, version, version) for other in named if other != version)
    return found


def main() -> int:
    """Print each mismatch and return 1 if there is any."""
    root = sys.argv[1] if len(sys.argv) > 1 else '.'
    found = mismatches(root)
    for problem in found:
        print('check_version: ' + problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
