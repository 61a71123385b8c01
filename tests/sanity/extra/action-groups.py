#!/usr/bin/env python
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check that meta/runtime.yml's action group and the modules' documentation agree.

ansible-test does not check this. The group must be sorted and without duplicates, every entry
must be a module in plugins/modules, and a module is in the group exactly when its documentation
declares membership (attributes.action_group.membership). Run from the collection root with the
collection on ANSIBLE_COLLECTIONS_PATH (make sanity does this).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import yaml

COLLECTION = 'netdiag.thousandeyes'
GROUP = 'thousandeyes'


def main():
    """Print one line per problem and exit non-zero when there is any."""
    with open('meta/runtime.yml', encoding='utf-8') as handle:
        runtime = yaml.safe_load(handle) or {}
    group = (runtime.get('action_groups') or {}).get(GROUP) or []
    problems = []

    if group != sorted(set(group)):
        problems.append('meta/runtime.yml: action group %s is not sorted or has duplicates: %s' % (GROUP, group))

    module_dir = os.path.join('plugins', 'modules')
    modules = sorted(
        name[:-3] for name in (os.listdir(module_dir) if os.path.isdir(module_dir) else [])
        if name.endswith('.py') and not name.startswith('_')
    )
    problems.extend(
        'meta/runtime.yml: action group %s lists %s, but plugins/modules/%s.py does not exist' % (GROUP, name, name)
        for name in group if name not in modules
    )

    if modules:
        result = subprocess.run(
            ['ansible-doc', '--json', '-t', 'module'] + ['%s.%s' % (COLLECTION, name) for name in modules],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False,
        )
        docs = json.loads(result.stdout or '{}') if result.returncode == 0 else {}
        for name in modules:
            doc = (docs.get('%s.%s' % (COLLECTION, name)) or {}).get('doc')
            if not doc:
                problems.append('plugins/modules/%s.py: ansible-doc could not load the documentation' % name)
                continue
            membership = ((doc.get('attributes') or {}).get('action_group') or {}).get('membership') or []
            declared = '%s.%s' % (COLLECTION, GROUP) in membership
            if declared != (name in group):
                problems.append(
                    'plugins/modules/%s.py: documentation %s membership of %s.%s, but meta/runtime.yml %s it'
                    % (name, 'declares' if declared else 'does not declare', COLLECTION, GROUP,
                       'does not list' if declared else 'lists')
                )

    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == '__main__':
    main()
