"""Render the documentation of every module and role with ansible-doc; fail if any does not render.

ansible-doc exits 0 with only a warning when it cannot find or load a plugin, so the exit code alone
is not enough: any warning or error, or empty output, counts as a failure.

Run from the collection root with ANSIBLE_COLLECTIONS_PATH pointing at the directory that holds
``ansible_collections/`` (``make lint`` does this).

``--same-as OTHER_ROOT`` also fails when COLLECTION_ROOT does not have the same modules and roles
as OTHER_ROOT (``make install-check`` compares the installed tarball with the source tree).

Usage: python tools/check_docs.py [COLLECTION_ROOT] [--same-as OTHER_ROOT]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import yaml


def collection_name(root: str) -> str:
    """Return namespace.name from galaxy.yml (source tree) or MANIFEST.json (installed collection)."""
    manifest = os.path.join(root, 'MANIFEST.json')
    if os.path.exists(manifest):
        with open(manifest, encoding='utf-8') as handle:
            info = json.load(handle)['collection_info']
    else:
        with open(os.path.join(root, 'galaxy.yml'), encoding='utf-8') as handle:
            info = yaml.safe_load(handle)
    return '%s.%s' % (info['namespace'], info['name'])


def modules(root: str) -> list[str]:
    """Return the module names under plugins/modules."""
    path = os.path.join(root, 'plugins', 'modules')
    if not os.path.isdir(path):
        return []
    return sorted(name[:-3] for name in os.listdir(path) if name.endswith('.py') and not name.startswith('_'))


def roles(root: str) -> list[str]:
    """Return the role names under roles/."""
    path = os.path.join(root, 'roles')
    if not os.path.isdir(path):
        return []
    return sorted(name for name in os.listdir(path) if os.path.isdir(os.path.join(path, name)))


def render(plugin_type: str, fqcn: str) -> str | None:
    """Render one plugin's documentation; return an error text, or None when it rendered cleanly."""
    env = dict(os.environ, ANSIBLE_NOCOLOR='1', ANSIBLE_FORCE_COLOR='0', PAGER='cat')
    result = subprocess.run(['ansible-doc', '-t', plugin_type, fqcn], env=env, check=False,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    problems = [line for line in result.stderr.splitlines() if '[WARNING]' in line or '[ERROR]' in line]
    if result.returncode != 0 or problems or not result.stdout.strip():
        return 'rc=%d\n%s' % (result.returncode, result.stderr.strip() or '(no output)')
    return None


def main() -> None:
    """Render all module and role docs and report the failures."""
    parser = argparse.ArgumentParser(description='Render every module and role with ansible-doc.')
    parser.add_argument('root', nargs='?', default='.')
    parser.add_argument('--same-as', metavar='OTHER_ROOT')
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    prefix = collection_name(root)
    items = [('module', name) for name in modules(root)] + [('role', name) for name in roles(root)]
    failures = 0
    if args.same_as:
        other = os.path.abspath(args.same_as)
        expected = [('module', name) for name in modules(other)] + [('role', name) for name in roles(other)]
        if items != expected:
            failures += 1
            print('check_docs: %s has %s, but %s has %s' % (root, items, other, expected))
    if not items:
        print('check_docs: no modules or roles yet, nothing to render')
    for plugin_type, name in items:
        fqcn = '%s.%s' % (prefix, name)
        error = render(plugin_type, fqcn)
        print('ansible-doc -t %-6s %-45s %s' % (plugin_type, fqcn, 'ok' if error is None else 'FAILED'))
        if error is not None:
            failures += 1
            print('    ' + error.replace('\n', '\n    '))
    if failures:
        sys.exit('check_docs: %d problem(s) in %s' % (failures, root))


if __name__ == '__main__':
    main()
