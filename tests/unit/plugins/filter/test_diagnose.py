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
    assert set(FILTERS) == {'diagnose_input_errors', 'diagnose_plan', 'diagnose_runs', 'diagnose_waits', 'diagnose_path_details',
                            'diagnose_verdicts', 'diagnose_table', 'diagnose_reasons', 'diagnose_report_html', 'diagnose_report_file'}


def test_the_report_file_takes_its_format_from_the_suffix():
    report = FILTERS['diagnose_verdicts']({'summary': [], 'test': {'testName': 't', 'type': 'http-server', 'url': 'https://a.example/'}, 'test_id': '1'})
    assert FILTERS['diagnose_report_file'](report, 'out/REPORT.JSON').startswith('{\n  "agents": []')
    assert FILTERS['diagnose_report_file'](report, 'report.md').startswith('# ThousandEyes diagnosis: DEGRADED')
    assert FILTERS['diagnose_report_file'](report, 'report.html').startswith('<!DOCTYPE html>')
    with pytest.raises(AnsibleFilterError, match=r"^diagnose_report_file: the suffix of the report path picks the format: \.md, \.html, \.json; got 'r\.txt'"):
        FILTERS['diagnose_report_file'](report, 'r.txt')


def test_the_reasons_filter_words_a_target_measurement_first():
    result = {'summary': [{'layer': 'network', 'agent_id': '101', 'agent_name': 'Frankfurt, Germany', 'loss': 25.0, 'latency': 20.0, 'ok': True}],
              'test': {'testName': 't', 'type': 'agent-to-server', 'server': 'a.example'}, 'test_id': '1'}
    target = FILTERS['diagnose_verdicts'](result)['targets'][0]
    assert FILTERS['diagnose_reasons'](target) == ['agent-to-server test, network: loss 25% > 5%: Frankfurt, Germany (101)']
    with pytest.raises(AnsibleFilterError, match='^diagnose_reasons expects one target of the diagnose_report'):
        FILTERS['diagnose_reasons']([])


def test_input_errors_become_filter_errors_with_the_message():
    with pytest.raises(AnsibleFilterError, match='^diagnose_table expects the diagnose_report'):
        FILTERS['diagnose_table']([])
    with pytest.raises(AnsibleFilterError, match='expects the plan'):
        FILTERS['diagnose_verdicts']({'something': 'else'})


def test_plan_errors_are_returned_not_raised():
    assert FILTERS['diagnose_plan']('shop example com', agents=['x'])['errors'] == [
        "diagnose_targets: 'shop example com' has spaces: a URL or host name has none. Give one target per list item (or per line)."]
