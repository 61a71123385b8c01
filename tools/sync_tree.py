"""Mirror the files git knows about into the tree that ansible-test needs.

ansible-test only works when the collection root's path ends in
``ansible_collections/<namespace>/<name>``; a clone usually does not, so ``make collection`` keeps a
copy in such a path. The copy holds exactly what ``git ls-files -co --exclude-standard`` lists
(tracked files plus untracked files that are not ignored), which is also what ansible-test would
see in the repository. Files that are no longer listed are deleted from the copy, except
``tests/output`` (ansible-test's results of the last run, useful to read afterwards).

Usage: python tools/sync_tree.py SOURCE_REPO DESTINATION
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys

# Paths inside the copy that the tools create and that may stay between runs.
KEEP = ('tests/output',)


def git_files(repo: str) -> set[str]:
    """Return the repository-relative paths that git knows and that exist in the work tree."""
    output = subprocess.run(
        ['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
        cwd=repo, check=True, stdout=subprocess.PIPE,
    ).stdout.decode('utf-8')
    names = {name for name in output.split('\0') if name}
    # A tracked file deleted from the work tree is still listed with --cached.
    return {name for name in names if os.path.lexists(os.path.join(repo, name))}


def same_file(src: str, dst: str) -> bool:
    """Cheap check that dst is an up-to-date copy of src (same kind, size, mtime and mode)."""
    try:
        s, d = os.lstat(src), os.lstat(dst)
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(s.st_mode) or stat.S_ISLNK(d.st_mode):
        return stat.S_ISLNK(s.st_mode) and stat.S_ISLNK(d.st_mode) and os.readlink(src) == os.readlink(dst)
    return (s.st_size, s.st_mtime_ns, stat.S_IMODE(s.st_mode)) == (d.st_size, d.st_mtime_ns, stat.S_IMODE(d.st_mode))


def copy(src: str, dst: str) -> None:
    """Copy one file or symlink, replacing whatever is at dst."""
    if os.path.isdir(dst) and not os.path.islink(dst):
        shutil.rmtree(dst)
    elif os.path.lexists(dst):
        os.unlink(dst)
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if os.path.islink(src):
        os.symlink(os.readlink(src), dst)
    else:
        shutil.copy2(src, dst)


def kept(rel: str) -> bool:
    """Whether a path inside the copy is one of the tool outputs that stay."""
    return any(rel == keep or rel.startswith(keep + '/') for keep in KEEP)


def prune(dest: str, wanted: set[str]) -> int:
    """Delete files and directories in dest that are not wanted; return how many files went."""
    wanted_dirs = {os.path.dirname(name) for name in wanted}
    for name in list(wanted_dirs):
        while name:
            name = os.path.dirname(name)
            wanted_dirs.add(name)
    removed = 0
    for root, dirs, files in os.walk(dest, topdown=True):
        rel_root = os.path.relpath(root, dest)
        rel_root = '' if rel_root == '.' else rel_root
        for name in list(dirs):
            rel = os.path.join(rel_root, name)
            path = os.path.join(root, name)
            if kept(rel):
                dirs.remove(name)
            elif os.path.islink(path):
                files.append(name)
                dirs.remove(name)
            elif rel not in wanted_dirs:
                removed += sum(len(names) for _root, _dirs, names in os.walk(path))
                shutil.rmtree(path)
                dirs.remove(name)
        for name in files:
            rel = os.path.join(rel_root, name)
            if rel not in wanted and not kept(rel):
                os.unlink(os.path.join(root, name))
                removed += 1
    return removed


def main() -> None:
    """Synchronise SOURCE_REPO into DESTINATION."""
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    repo, dest = (os.path.abspath(arg) for arg in sys.argv[1:])
    if os.path.realpath(dest).startswith(os.path.realpath(repo) + os.sep):
        sys.exit('sync_tree: the destination must be outside the repository: %s' % dest)

    wanted = git_files(repo)
    os.makedirs(dest, exist_ok=True)
    removed = prune(dest, wanted)
    copied = 0
    for name in sorted(wanted):
        src, dst = os.path.join(repo, name), os.path.join(dest, name)
        if os.path.isdir(src) and not os.path.islink(src):
            continue  # a nested git repository or submodule; ansible-test would not see it either
        if not same_file(src, dst):
            copy(src, dst)
            copied += 1
    print('collection tree %s: %d files, %d copied, %d removed' % (dest, len(wanted), copied, removed))


if __name__ == '__main__':
    main()
