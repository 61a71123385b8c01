# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The modules against both readings of what the v7 schema leaves open (the emulator's switches).

SIP answers flat (both answer schemas, the default) or nested under targetSipCredentials (the request schema),
and instant tests read back without ``interval`` (the default) or with one. Every type is created and then run
again unchanged (instant_test_types.py, run in-process: module_runner.py) under each reading. The default
readings (flat SIP, no interval) are the emulator's defaults, so test_instant_test.py's test_every_type[v7] is their
run; this file runs the other two.

What differs from that run is only how the emulator's answers read, which plugins/module_utils/_api/v7.py handles
(plain Python): on a second ansible-core these runs would repeat what test_every_type[v7] shows there.
"""

from __future__ import annotations

import pytest

from tests.integration.instant_test_types import TYPES

# The readings that are not the emulator's defaults ('flat' SIP answers, v7_instant_interval 0).
SHAPES = {
    'sip-nested': {'v7_sip_answer': 'nested'},
    'with-interval': {'v7_instant_interval': 60},
}


@pytest.mark.core_independent
@pytest.mark.parametrize('api_version', ['v7'])
@pytest.mark.parametrize('shape', sorted(SHAPES))
# the nested SIP reading is outside the answer schema by construction; everything else is still checked
@pytest.mark.schema_expected("declares no field 'targetSipCredentials'", 'port: required by SipServer')
def test_every_type_twice_under_each_reading(emulator, run_module, shape):
    emulator.configure(**SHAPES[shape])

    def task(options):
        return run_module('instant_test', dict(options, name='types-%s' % options['type'], agents=[101]))

    # Each type has exactly its result layers as data links.
    for options, layers in TYPES:
        result = task(options)
        assert result['failed'] is False, result
        expected_links = ['%s/v7/test-results/%s/%s' % (emulator.url.rstrip('/'), result['test_id'], layer) for layer in layers]
        assert result['changed'] is True
        assert result['outcome'] == 'created'
        assert len(result['data_links']) == len(layers)
        assert [link for link in expected_links if link not in result['data_links']] == [], (options['type'], result['data_links'])

    # The same tasks again: nothing changed the second time, and every type was created once.
    repeated = [task(options) for options, _layers in TYPES]
    assert [result for result in repeated if result['failed'] or result['changed']] == []
    assert list(dict.fromkeys(result['outcome'] for result in repeated)) == ['unchanged']
    assert len(emulator.writes()) == len(TYPES)
    assert emulator.count('create') == 11
    assert emulator.count('delete') == 0
