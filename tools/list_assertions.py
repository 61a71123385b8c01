# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""List every test's assertions by test name, and check that none of a baseline's disappeared unexplained.

An assertion is an ``assert`` statement, a call of a helper whose name starts with ``assert`` or ends in ``_naming``
(``assert_clear_failure(...)``, ``failed_naming(...)``), or a ``pytest.raises``/``pytest.fail`` inside a test
function (a ``test_*`` function or method, with the helpers it defines inside it). Its text is the source as
``ast.unparse`` prints it, so formatting does not count. The test playbooks' ``assert`` tasks count too: each
condition of their ``that``, listed under ``playbook.yml::task name``.

    python tools/list_assertions.py --write tests/assertion-baseline.json    # the listing, before a move
    python tools/list_assertions.py --check tests/assertion-baseline.json    # after it: what moved, what is missing

``--check`` passes when every assertion of the baseline is still in the suite, under its test's name or elsewhere
(it then says where), or when TESTING.md's section "Where the moved assertions went" has a line naming the
baseline test (``file.py::test_name``) and saying where its assertions went. It prints the counts per file.
"""

from __future__ import annotations

import argparse
import ast
import collections
import json
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
TEST_FOLDERS = ('tests/unit', 'tests/integration')
PLAYBOOK_FOLDER = 'tests/integration/playbooks'
EXPLANATIONS_HEADING = '## Where the moved assertions went'


def _is_assertion_call(node):
    if not isinstance(node, ast.Call):
        return False
    function = node.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, 'id', '')
    if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name) and function.value.id == 'pytest':
        return name in ('raises', 'fail', 'warns')
    return name.startswith('assert') or name.endswith('_naming')


def _assertions(function):
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Assert):
            found.append('assert ' + ast.unparse(node.test))
        elif _is_assertion_call(node):
            found.append(ast.unparse(node))
    return found


def _tests(tree, prefix=''):
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name.startswith('Test'):
            yield from _tests(node, prefix + node.name + '::')
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith('test_'):
            yield prefix + node.name, _assertions(node)


def _playbook_asserts(tasks, prefix):
    for task in tasks or []:
        if not isinstance(task, dict):
            continue
        for key in ('block', 'rescue', 'always', 'tasks'):
            yield from _playbook_asserts(task.get(key), prefix)
        for key in ('ansible.builtin.assert', 'assert'):
            if isinstance(task.get(key), dict):
                that = task[key].get('that')
                that = [that] if isinstance(that, str) else list(that or [])
                yield '%s::%s' % (prefix, task.get('name', '(unnamed)')), [' '.join(str(item).split()) for item in that]


def listing(root=ROOT):
    """{'tests/x/test_y.py::Class::test_z': [assertion text, ...]} for every test of the suite."""
    found = {}
    for folder in TEST_FOLDERS:
        for path in sorted((root / folder).rglob('test_*.py')):
            tree = ast.parse(path.read_text(encoding='utf-8'), filename=str(path))
            relative = path.relative_to(root).as_posix()
            for name, assertions in _tests(tree):
                found['%s::%s' % (relative, name)] = assertions
    for path in sorted((root / PLAYBOOK_FOLDER).rglob('*.yml')):
        relative = path.relative_to(root).as_posix()
        for play in yaml.safe_load(path.read_text(encoding='utf-8')) or []:
            tasks = play.get('tasks', []) if isinstance(play, dict) and 'hosts' in play else [play]
            for test_id, assertions in _playbook_asserts(tasks, relative):
                found.setdefault(test_id, []).extend(assertions)
    return found


def _explained(root):
    """The lines of TESTING.md's section on moved assertions."""
    text = (root / 'TESTING.md').read_text(encoding='utf-8')
    if EXPLANATIONS_HEADING not in text:
        return []
    section = text.split(EXPLANATIONS_HEADING, 1)[1].split('\n## ', 1)[0]
    return [line for line in section.splitlines() if line.strip()]


def _short_name(test_id):
    return test_id.rsplit('::', 1)[-1]


def check(baseline, current, explanations):
    """(report lines, number of assertions missing without a line in TESTING.md)."""
    where = collections.defaultdict(set)
    by_name = collections.defaultdict(collections.Counter)
    for test_id, assertions in current.items():
        for text in assertions:
            where[text].add(test_id)
            by_name[_short_name(test_id)][text] += 1
    lines, unexplained = [], 0
    per_file = collections.defaultdict(lambda: [0, 0, 0, 0])
    for test_id, assertions in sorted(baseline.items()):
        file_name = test_id.split('::', 1)[0]
        counts = per_file[file_name]
        missing = []
        for text in assertions:
            if by_name[_short_name(test_id)][text]:
                counts[0] += 1
            elif where.get(text):
                counts[1] += 1
                lines.append('moved    %s: %s -> %s' % (test_id, text[:100], ', '.join(sorted(where[text]))))
            else:
                missing.append(text)
        if missing:
            reason = [line for line in explanations if test_id in line]
            if reason:
                counts[2] += len(missing)
                lines.extend('gone     %s: %s (TESTING.md: %s)' % (test_id, text[:100], reason[0].strip()[:160])
                             for text in missing)
            else:
                counts[3] += len(missing)
                unexplained += len(missing)
                lines.extend('MISSING  %s: %s' % (test_id, text) for text in missing)
    lines.append('')
    lines.append('%-64s %6s %6s %9s %8s' % ('baseline file', 'kept', 'moved', 'explained', 'missing'))
    for file_name, (kept, moved, explained, missing) in sorted(per_file.items()):
        lines.append('%-64s %6d %6d %9d %8d' % (file_name, kept, moved, explained, missing))
    total_now = sum(len(assertions) for assertions in current.values())
    total_before = sum(len(assertions) for assertions in baseline.values())
    lines.append('assertions: %d in the baseline (%d tests), %d now (%d tests)'
                 % (total_before, len(baseline), total_now, len(current)))
    return lines, unexplained


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n', 1)[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument('--write', metavar='FILE', help='write the listing to FILE (JSON)')
    action.add_argument('--check', metavar='FILE', help='compare the suite with the listing in FILE')
    parser.add_argument('--root', default=str(ROOT), help='the collection checkout (default: this one)')
    parser.add_argument('--quiet', action='store_true', help='print only the table and what is missing')
    args = parser.parse_args(argv)
    root = Path(args.root)
    current = listing(root)
    if args.write:
        Path(args.write).write_text(json.dumps(current, indent=1, sort_keys=True) + '\n', encoding='utf-8')
        print('%d tests, %d assertions written to %s' % (len(current), sum(map(len, current.values())), args.write))
        return 0
    baseline = json.loads(Path(args.check).read_text(encoding='utf-8'))
    lines, unexplained = check(baseline, current, _explained(root))
    for line in lines:
        if not args.quiet or not line.startswith(('moved', 'gone')):
            print(line)
    if unexplained:
        print('%d assertions of the baseline are gone without a line in TESTING.md ("%s") naming their test'
              % (unexplained, EXPLANATIONS_HEADING.lstrip('# ')), file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
