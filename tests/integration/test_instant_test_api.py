# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The api instant-test type: end to end on v7 in one playbook run, refused on v6 before any request."""

from __future__ import annotations

import re

from tests.schema import oracle

# The api create, the api definition and the api results.
API_PATH = re.compile(r'^/v7/(tests/api/(instant|\d+)|test-results/\d+/api)$')
SECRETS = ('step-secret-value', 'token-secret-value', 'header-secret-value')


def test_api_type(emulator, run_playbook, api_version):
    emulator.configure(scenarios={'broken.example.com': {'fault': 'assertion', 'step': 2, 'completion': 50}})
    result = run_playbook('instant_test_api.yml', args=['-v'])
    for secret in SECRETS:
        assert secret not in result.output
    if api_version == 'v6':
        # The task failed before any request: no write, and no read either.
        assert emulator.requests() == []
        return
    assert emulator.count('create') == 2
    assert emulator.writes() == [entry for entry in emulator.requests() if entry.get('operation') == 'create']
    creates = emulator.requests('create')
    assert [entry['path'].split('?')[0] for entry in creates] == ['/v7/tests/api/instant'] * 2
    # The credentials went to the API, in its spelling; its answers never carry them.
    steps = creates[0]['body']['requests']
    assert (steps[0]['password'], steps[1]['bearerToken']) == ('step-secret-value', 'token-secret-value')
    answers = [test for test in emulator.tests() if test.get('testName') == 'api-health']
    assert answers and not any(secret in str(answers) for secret in SECRETS[:2])
    # The vendor's schema knows the api create, definition and results, and this run's ones match it (the schema
    # plugin checks every request after the test too; this says that the api ones were among them).
    api_entries = [entry for entry in emulator.requests() if API_PATH.match(entry['path'].split('?')[0])]
    assert {oracle.find_operations(entry['method'], entry['path'].split('?')[0])[0].name for entry in api_entries} == {
        'create_api_instant_test', 'get_api_test', 'get_test_api_results'}
    assert oracle.check_log(api_entries) == []
