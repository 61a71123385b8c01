"""Check what the built collection tarball ships: nothing of the development tree, the licence text, one version.

``make install-check`` runs it on the tarball that ``make build`` made. It fails when the tarball
holds a path that ``galaxy.yml``'s ``build_ignore`` is meant to keep out (the benchmarks, the
pipeline files), lacks ``COPYING``, or states a version other than the one in ``galaxy.yml``.

Usage: python tools/check_tarball.py TARBALL GALAXY_YML
"""

from __future__ import annotations

import json
import sys
import tarfile

import yaml

# Top-level paths that belong to development only; each must be in galaxy.yml's build_ignore.
FORBIDDEN_TOP_LEVEL = ('bench', 'tools', '.ci', 'Makefile', 'requirements-dev.txt', 'tests/output')
REQUIRED_FILES = ('COPYING', 'README.md', 'MANIFEST.json', 'FILES.json')


def problems(tarball: str, galaxy_yml: str) -> list[str]:
    """Return what is wrong with the tarball, one sentence each; empty when it is fine."""
    with open(galaxy_yml, encoding='utf-8') as handle:
        version = str(yaml.safe_load(handle)['version'])
    with tarfile.open(tarball) as archive:
        names = [name.removeprefix('./') for name in archive.getnames()]
        manifest = json.load(archive.extractfile('MANIFEST.json'))  # type: ignore[arg-type]
    found = []
    for forbidden in FORBIDDEN_TOP_LEVEL:
        shipped = [name for name in names if name == forbidden or name.startswith(forbidden + '/')]
        if shipped:
            found.append('%s ships %s (%d files): add it to build_ignore in galaxy.yml'
                         % (tarball, forbidden, len(shipped)))
    for required in REQUIRED_FILES:
        if required not in names:
            found.append('%s lacks %s' % (tarball, required))
    shipped_version = manifest['collection_info']['version']
    if shipped_version != version:
        found.append('%s is version %s, galaxy.yml says %s' % (tarball, shipped_version, version))
    return found


def main() -> int:
    """Print each problem and return 1 if there is any."""
    tarball, galaxy_yml = sys.argv[1:3]
    found = problems(tarball, galaxy_yml)
    for problem in found:
        print('check_tarball: ' + problem, file=sys.stderr)
    if not found:
        print('check_tarball: %s ships no development files, has COPYING and the version of galaxy.yml' % tarball)
    return 1 if found else 0


if __name__ == '__main__':
    sys.exit(main())
