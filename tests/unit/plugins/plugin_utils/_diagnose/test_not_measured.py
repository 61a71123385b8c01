# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A value that is no measurement (the latency of a network that lost every packet, the response time of a request
whose name did not resolve): null in the report's JSON, ``–`` in every renderer, never "0 ms" or "0%"."""

from __future__ import annotations

import json
import re

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose import symptoms
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.reasons import reason_lines
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.renderers import diagnose_report_json
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_markdown import diagnose_report_markdown
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.table import diagnose_table
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import diagnose_verdicts
from ansible_collections.netdiag.thousandeyes.tests.unit.plugins.plugin_utils._diagnose.diagnose_data import (
    name_of,
    plan_for,
    registered,
    row,
)
from ansible_collections.netdiag.thousandeyes.tests.unit.plugins.plugin_utils._diagnose.report_page_data import noc_report

TARGET = 'https://gone.example.com/'
DNS_ERROR = 'DNS resolution failed: NXDOMAIN'


def test_which_values_are_no_measurement():
    assert symptoms.unmeasured(row('network', loss=100.0, latency=0.0, jitter=0.0)) == ('latency', 'latency_min', 'latency_max', 'jitter')
    assert symptoms.unmeasured(row('network', loss=100.0, latency=0.0, error=DNS_ERROR))[0] == 'loss'
    assert symptoms.unmeasured(row('network', loss=20.0, latency=380.0)) == ()
    assert 'response_time' in symptoms.unmeasured(row('http-server', response_code=0, response_time=0.0, error=DNS_ERROR))
    assert 'response_time' in symptoms.unmeasured(row('http-server', response_code=None, response_time=12.0, error='Connection timed out'))
    assert symptoms.unmeasured(row('http-server', response_code=503, response_time=40.0, error='HTTP/1.1 503')) == ()
    assert 'response_time' in symptoms.unmeasured(row('page-load', response_time=900.0, error=DNS_ERROR))
    assert symptoms.unmeasured(row('page-load', response_time=900.0, error='HTTP/1.1 503')) == ()
    # The same keys for the row as the report keeps it.
    cleared = symptoms.without_unmeasured(row('http-server', response_code=0, response_time=0.0, total_time=0.0, error=DNS_ERROR))
    assert (cleared['response_time'], cleared['total_time'], cleared['response_code']) == (None, None, None)
    assert symptoms.unmeasured(cleared) == symptoms.unmeasured(row('http-server', response_code=0, response_time=0.0, error=DNS_ERROR))


def unresolved_report():
    """One target whose name does not resolve, from one agent: the API's rows carry 0 for what was not measured."""
    plan = plan_for([TARGET], tests=['http-server'])
    rows = [row('network', loss=100.0, latency=0.0, latency_min=0.0, latency_max=0.0, jitter=0.0, error=DNS_ERROR, ok=False),
            row('http-server', response_code=0, response_time=0.0, total_time=0.0, error=DNS_ERROR, ok=False)]
    return diagnose_verdicts(plan, *registered(plan, {name_of(plan, 'http-server', TARGET): {'summary': rows}}))


def test_the_json_has_null_for_a_value_that_is_no_measurement():
    report = unresolved_report()
    network, http = json.loads(diagnose_report_json(report))['targets'][0]['tests'][0]['summary']
    assert (network['latency'], network['latency_min'], network['latency_max'], network['jitter'], network['loss']) == (None,) * 5
    # No response: no status either (the API's 0), and the error that says why stays.
    assert (http['response_time'], http['total_time'], http['response_code'], http['error']) == (None, None, None, DNS_ERROR)
    # The verdict is judged as before.
    assert report['targets'][0]['verdict'] == 'failed' and report['targets'][0]['location'] == 'dns'


def test_no_renderer_shows_zero_for_a_value_that_is_no_measurement():
    report = unresolved_report()
    table = diagnose_table(report)
    line = [line for line in table if line.startswith(TARGET)][0]
    assert ' ms' not in line and '0%' not in line and line.count('\u2013') == 5  # loss, latency, jitter, HTTP status, response time
    assert table[0].index('LATENCY') == line.index('\u2013', table[0].index('LATENCY'))
    markdown = diagnose_report_markdown(report)
    assert not re.search(r'\b0 ms', markdown) and '| 0% |' not in markdown
    assert '| \u2013 | \u2013 | \u2013 | \u2013 | \u2013 |' in markdown
    assert not any(re.search(r'\b0 ms|\b0%', line) for line in reason_lines(report['targets'][0]))


def test_the_noc_page_data_has_no_zero_ms_in_the_table_and_markdown():
    noc = noc_report()
    unresolved = noc['targets'][3]
    assert unresolved['location'] == 'dns'
    rows = [line for line in diagnose_table(noc) if line.startswith(unresolved['target'] + ' ')]
    assert len(rows) == 16 and not any(re.search(r'\b0 ms', line) for line in rows)
    assert sum(line.count('\u2013') for line in rows) == 32  # latency and jitter of 8 network rows, status and time of 8 HTTP rows
    assert all(row['latency'] is None for test in unresolved['tests'] for row in test['summary'] if row['layer'] == 'network')
