# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The wait documentation that instant_test and instant_test_rerun share."""

from __future__ import annotations

import yaml

from ansible_collections.netdiag.thousandeyes.plugins.doc_fragments.wait import ModuleDocFragment


def test_wait_names_instant_test_once_where_it_points_at_its_run_option():
    # O(<module>#module:<option>) renders as "<option> (of module <module>)", which after M(<module>) repeats the
    # module's name; the fragment is shared by two modules, so it names the option in plain text.
    text = ' '.join(yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']['wait']['description'])
    assert '#module:' not in text
    assert 'M(netdiag.thousandeyes.instant_test) whose C(run) option is V(on_create)' in text
