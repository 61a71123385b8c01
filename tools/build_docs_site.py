"""Build the collection's HTML docs site with antsibull-docs and Sphinx; fail on any warning.

Steps, all offline, in DEST (emptied first):

1. Copy tools/docs-site/ (conf.py, antsibull-docs.cfg, the site's index.rst), the layout that
   ``antsibull-docs sphinx-init --use-current`` makes.
2. ``antsibull-docs collection --use-current`` writes the RST of the modules, filter plugins and
   role of the collection that ANSIBLE_COLLECTIONS_PATH holds, with the extra docs of
   docs/docsite/extra-docs.yml.
3. Each guide docs/docsite/rst/<name>_guide.rst is a summary for builds that only know RST (Galaxy,
   other docs sites). Here it is replaced by the full guide docs/<name>.md, which Sphinx reads with
   MyST; the RST label stays, as a MyST target, and links between the guides follow the renaming.
4. ``sphinx-build -W --keep-going`` writes DEST/build/html.

Usage: python tools/build_docs_site.py COLLECTION_ROOT DEST
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import yaml

COLLECTION = 'netdiag.thousandeyes'
SITE_CONFIG = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'docs-site')
GUIDE_SUFFIX = '_guide'
# A label line at the top of an extra doc: ".. _ansible_collections.ns.name.docsite.x:".
RST_LABEL = re.compile(r'^\.\. _([^:]+):\s*$', re.MULTILINE)


def run(command: list[str], cwd: str) -> None:
    """Run a build step; stop with its output when it fails or prints a warning."""
    print('+ ' + ' '.join(command), flush=True)
    result = subprocess.run(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            check=False)
    print(result.stdout, end='')
    warnings = [line for line in result.stdout.splitlines() if re.search(r'\bWARNING\b|\bERROR\b', line)]
    if result.returncode != 0 or warnings:
        sys.exit('docs-site: %s exited %d with %d warning(s) or error(s); fix them, the site must build clean'
                 % (command[0], result.returncode, len(warnings)))


def guides(collection_root: str) -> dict[str, str]:
    """Map each guide docname of extra-docs.yml (<name>_guide) to its Markdown source docs/<name>.md."""
    with open(os.path.join(collection_root, 'docs', 'docsite', 'extra-docs.yml'), encoding='utf-8') as handle:
        extra_docs = yaml.safe_load(handle)
    found = {}
    for section in extra_docs.get('sections', []):
        for docname in section.get('toctree', []):
            name = docname.removesuffix(GUIDE_SUFFIX)
            markdown = os.path.join(collection_root, 'docs', name + '.md')
            if docname.endswith(GUIDE_SUFFIX) and os.path.exists(markdown):
                found[docname] = markdown
    return found


def replace_guides(collection_root: str, docsite_dir: str) -> None:
    """Replace each generated guide summary by its full Markdown guide, keeping the summary's label."""
    renamed = {os.path.basename(markdown): docname + '.md' for docname, markdown in guides(collection_root).items()}
    # ](awx.md) and ](awx.md#anchor) point at the renamed file.
    link = re.compile(r'\]\((%s)(#[^)]*)?\)' % '|'.join(re.escape(name) for name in renamed))
    for docname, markdown in guides(collection_root).items():
        summary = os.path.join(docsite_dir, docname + '.rst')
        with open(summary, encoding='utf-8') as handle:
            labels = RST_LABEL.findall(handle.read())
        with open(markdown, encoding='utf-8') as handle:
            text = link.sub(lambda match: '](%s%s)' % (renamed[match.group(1)], match.group(2) or ''), handle.read())
        os.remove(summary)
        with open(os.path.join(docsite_dir, docname + '.md'), 'w', encoding='utf-8') as handle:
            handle.write(''.join('(%s)=\n' % label for label in labels) + text)
        print('docs-site: %s.rst replaced by %s' % (docname, os.path.relpath(markdown, collection_root)))


def main() -> None:
    """Build the site into DEST/build/html."""
    collection_root, dest = (os.path.abspath(path) for path in sys.argv[1:3])
    shutil.rmtree(dest, ignore_errors=True)
    rst = os.path.join(dest, 'rst')
    os.makedirs(rst)
    os.chmod(rst, 0o755)  # antsibull-docs refuses a destination that others may write to
    for name in ('conf.py', 'antsibull-docs.cfg'):
        shutil.copy(os.path.join(SITE_CONFIG, name), dest)
    shutil.copy(os.path.join(SITE_CONFIG, 'index.rst'), rst)
    run(['antsibull-docs', '--config-file', 'antsibull-docs.cfg', 'collection', '--use-current',
         '--dest-dir', 'rst', COLLECTION], cwd=dest)
    namespace, name = COLLECTION.split('.')
    replace_guides(collection_root, os.path.join(rst, 'collections', namespace, name, 'docsite'))
    run(['sphinx-build', '-M', 'html', 'rst', 'build', '-c', '.', '-W', '--keep-going'], cwd=dest)
    print('docs-site: %s' % os.path.join(dest, 'build', 'html', 'index.html'))


if __name__ == '__main__':
    main()
