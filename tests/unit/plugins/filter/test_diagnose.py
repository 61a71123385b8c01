# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The diagnose filters as Ansible sees them: the names registered, and input errors as filter errors.

The rules themselves are tested in tests/unit/plugins/plugin_utils/_diagnose/.
"""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.netdiag.thousandeyes.plugins.filter.diagnose import FilterModule

FILTERS = FilterModule().filters()


def test_filters_are_registered():
    assert set(FILTERS) == {'diagnose_plan', 'diagnose_runs', 'diagnose_waits', 'diagnose_path_details', 'diagnose_verdicts',
                            'diagnose_table', 'diagnose_report_html'}


def test_input_errors_become_filter_errors_with_the_message():
    with pytest.raises(AnsibleFilterError, match='^diagnose_table expects the diagnose_report'):
        FILTERS['diagnose_table']([])
    with pytest.raises(AnsibleFilterError, match='expects the plan'):
        FILTERS['diagnose_verdicts']({'something': 'else'})


def test_plan_errors_are_returned_not_raised():
    assert FILTERS['diagnose_plan']('shop example com', agents=['x'])['errors'] == [
        "diagnose_targets: 'shop example com' has spaces: a URL or host name has none. Give one target per list item (or per line)."]
