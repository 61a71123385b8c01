# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the one place that judges (symptoms.py): its typed symptoms, and that the verdicts, the locator and
the renderers take their judgement from it."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose import symptoms
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.locate import locate
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import matrix
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.table import table_rows
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import check_row, report

from .diagnose_data import row

LIMITS = thresholds_of(None)


def kinds(entry, limits=None):
    return [(symptom.kind, symptom.value, symptom.limit, symptom.verdict) for symptom in symptoms.row_symptoms(entry, limits or LIMITS)]


def test_a_healthy_row_has_no_symptom():
    assert symptoms.row_symptoms(row('network', loss=0.0, latency=40.0), LIMITS) == []
    assert symptoms.row_symptoms(row('http-server', response_code=200, response_time=180.0), LIMITS) == []


def test_each_symptom_has_its_kind_layer_agent_value_and_limit():
    found = symptoms.row_symptoms(row('network', agent_id='102', loss=20.0, latency=450.0), LIMITS)
    assert [(entry.kind, entry.layer, entry.agent, entry.value, entry.limit, entry.verdict) for entry in found] == [
        ('loss', 'network', '102', 20.0, 5.0, 'degraded'), ('latency', 'network', '102', 450.0, 300.0, 'degraded')]
    assert [entry.text for entry in found] == ['loss 20% > 5%', 'latency 450 ms > 300 ms']
    assert [(entry.cause, entry.detail) for entry in found] == [('network', 'loss'), ('network', 'latency')]


def test_failures_come_first_and_say_why():
    assert kinds(row('network', loss=100.0)) == [('unreachable', 100.0, 5.0, 'failed')]
    assert kinds(row('http-server', response_code=503, ok=False)) == [('status', 503, 200, 'failed')]
    assert kinds(row('http-server', response_code=302), thresholds_of({'expected_status': 0})) == []
    assert kinds(row('dns-trace', dns_ok=False)) == [('dns-failure', None, None, 'failed')]


@pytest.mark.parametrize('entry, cause, detail', [
    (row('http-server', response_code=0, error='DNS resolution failed: SERVFAIL', ok=False), 'dns', 'error:SERVFAIL'),
    (row('http-server', response_code=0, error='Connection timed out', ok=False), 'network', 'error:Connection timed out'),
    (row('network', loss=100.0, error='DNS resolution failed: NXDOMAIN'), 'dns', 'error:NXDOMAIN'),
    (row('http-server', response_code=200, response_time=4000.0, wait_time=3800.0), 'server', 'ttfb'),
    (row('http-server', response_code=200, response_time=4000.0, wait_time=100.0, connect_time=3000.0), 'network', 'connect'),
])
def test_what_the_locator_places(entry, cause, detail):
    assert symptoms.located(entry, LIMITS)[0] == (cause, detail)


def test_slow_dns_counts_only_with_a_limit():
    slow = row('dns-trace', dns_ok=True, response_time=900.0)
    assert symptoms.row_symptoms(slow, LIMITS) == []
    assert kinds(slow, thresholds_of({'max_dns_time': 500})) == [('dns-time', 900.0, 500.0, 'degraded')]


def test_the_renderers_flags_are_the_symptoms():
    flags = symptoms.metric_flags([row('network', loss=20.0, latency=40.0), row('http-server', response_code=503, response_time=100.0)],
                                  LIMITS)
    assert flags == {'loss': True, 'latency': False, 'http': True, 'response': False}


def test_verdicts_locator_and_renderers_take_their_judgement_from_the_one_module(monkeypatch):
    """A healthy row judged a breach by symptoms.py alone: the verdict, the location and the page all follow."""
    healthy = [row('network', agent_id='101', loss=0.0, latency=40.0), row('network', agent_id='102', agent_name='London, England',
                                                                           loss=0.0, latency=40.0)]
    assert check_row(healthy[0], LIMITS) == [] and locate(healthy)['location'] == 'none'

    def judged(entry, limits):
        if entry.get('layer') == 'network' and entry.get('agent_id') == '101':
            return [symptoms.Symptom('latency', 'network', '101', 40.0, 30.0, 'degraded', 'latency 40 ms > 30 ms', 'network', 'latency')]
        return []
    monkeypatch.setattr(symptoms, 'row_symptoms', judged)

    assert check_row(healthy[0], LIMITS) == [('degraded', 'Frankfurt, Germany (101), network: latency 40 ms > 30 ms')]
    where = locate(healthy)
    assert where['location'] != 'none' and where['breaching'] == ['101']
    test = dict(type='agent-to-server', summary=healthy, missing=[], verdict='degraded')
    entry = dict(target='db.example.com', verdict='degraded', location=where['location'], tests=[test])
    page_rows = table_rows(report([entry], LIMITS, [], None))
    assert page_rows[0]['breaching'] == {'loss': False, 'latency': True}
    assert page_rows[0]['status'] == 'degraded' and page_rows[1]['status'] == 'ok'
    assert '<td class="bad num">40 ms</td>' in matrix(page_rows)
