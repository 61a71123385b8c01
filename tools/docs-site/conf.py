# Sphinx configuration of the docs site (`make docs-site`), started from what
# `antsibull-docs sphinx-init --use-current` 2.28 writes. Changed: the project's names, MyST for the
# Markdown guides of docs/, and no intersphinx, because the build runs offline and the inventories
# are downloaded from the web.
"""Sphinx configuration for the netdiag.thousandeyes docs site."""

from __future__ import annotations

import re

from docutils import nodes

project = 'netdiag.thousandeyes'
copyright = 'netdiag.thousandeyes contributors'  # pylint: disable=redefined-builtin

title = 'netdiag.thousandeyes documentation'
html_short_title = 'netdiag.thousandeyes'

extensions = ['sphinx_antsibull_ext', 'myst_parser']
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
# Links such as awx.md#the-report in the guides need anchors for their headings.
myst_heading_anchors = 3

pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_show_sphinx = False
display_version = False
html_use_smartypants = True
html_use_modindex = False
html_use_index = False
html_copy_source = False

default_role = 'any'
# Every reference must resolve: with -W a broken one fails the build.
nitpicky = True

# antsibull-docs links to pages of the Ansible documentation (ansible.builtin plugins, the common
# return values, the configuration settings) by label, which intersphinx would resolve with an
# inventory downloaded at build time. Offline, those labels become links to the published pages;
# any other unresolved reference still fails the build.
ANSIBLE_DOCS = 'https://docs.ansible.com/projects/ansible/latest/'
ANSIBLE_DOCS_PAGES = {
    'common_return_values': 'reference_appendices/common_return_values.html',
    'ansible_configuration_settings': 'reference_appendices/config.html',
}
BUILTIN_PLUGIN_LABEL = re.compile(r'^ansible_collections\.ansible\.builtin\.(\w+)$')


def ansible_docs_url(label: str) -> str | None:
    """Return the published page of an Ansible documentation label, or None for any other label."""
    if label in ANSIBLE_DOCS_PAGES:
        return ANSIBLE_DOCS + ANSIBLE_DOCS_PAGES[label]
    builtin = BUILTIN_PLUGIN_LABEL.match(label)
    if builtin:
        return ANSIBLE_DOCS + 'collections/ansible/builtin/%s.html' % builtin.group(1)
    return None


def link_to_ansible_docs(_app, _env, node, contnode):
    """Resolve a :ref: to an Ansible documentation label into an external link (Sphinx's missing-reference)."""
    if node.get('refdomain') != 'std' or node.get('reftype') != 'ref':
        return None
    url = ansible_docs_url(node.get('reftarget', ''))
    if url is None:
        return None
    reference = nodes.reference('', '', internal=False, refuri=url)
    reference += contnode
    return reference


def setup(app):
    """Register the offline resolver of Ansible documentation labels."""
    app.connect('missing-reference', link_to_ansible_docs)
