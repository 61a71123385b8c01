# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the one place that judges (symptoms.py): its typed symptoms, and that the verdicts, the locator and
the renderers take their judgement from it."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose import symptoms
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.endpoint import apply_endpoint
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.errors import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.locate import locate
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import matrix
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.table import table_rows
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import endpoint_limits, thresholds_of
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


def test_the_machine_s_own_columns_are_judged_against_the_endpoint_limits():
    machine = dict(row('network', agent_id='a1', loss=0.0, latency=380.0), wifi_rssi=-82, wifi_snr=9, vpn_type='cisco-anyconnect', cpu=0.97)
    found = symptoms.machine_symptoms(machine, LIMITS)
    assert [(entry.kind, entry.value, entry.limit, entry.agent) for entry in found] == [
        ('wifi-rssi', -82, -70.0, 'a1'), ('wifi-snr', 9, 20.0, 'a1'), ('vpn-latency', 380.0, 300.0, 'a1'), ('cpu', 0.97, 0.9, 'a1')]
    assert [entry.text for entry in found] == ['RSSI -82 dBm < -70 dBm', 'SNR 9 dB < 20 dB', 'latency 380 ms > 300 ms', 'CPU at 97% (> 90%)']
    healthy = dict(row('network', loss=0.0, latency=40.0), wifi_rssi=-55, wifi_snr=36, vpn_type='cisco-anyconnect', cpu=0.2)
    assert symptoms.machine_symptoms(healthy, LIMITS) == []
    assert [entry.kind for entry in symptoms.machine_symptoms(healthy, dict(LIMITS, min_wifi_rssi=-50))] == ['wifi-rssi']
    with pytest.raises(DiagnoseInputError, match='min_wifi_snr'):
        endpoint_limits({'min_wifi_snr': 90})


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


def test_the_endpoint_part_takes_its_judgement_from_the_one_module(monkeypatch):
    """A healthy endpoint row judged a breach, and its machine weak, by symptoms.py alone: the endpoint verdict follows."""
    healthy = dict(row('network', agent_id='a1', agent_name='alice-laptop', loss=0.0, latency=40.0), wifi_rssi=-55, wifi_snr=36, cpu=0.2,
                   gateway='192.168.1.1')
    target = dict(target='https://shop.example.com/', verdict='ok', location='none', evidence=[], reasons=[])
    apply_endpoint([target], {target['target']: dict(summary=[healthy])}, LIMITS)
    assert target['verdict'] == 'ok' and target['evidence'] == []

    def judged(entry, limits):
        return [symptoms.Symptom('loss', 'network', 'a1', 1.0, 0.5, 'degraded', 'loss 1% > 0.5%', 'network', 'loss')]

    def machine(entry, limits):
        return [symptoms.Symptom('wifi-snr', 'network', 'a1', 36, 40, 'degraded', 'SNR 36 dB < 40 dB', 'machine', 'wifi')]
    monkeypatch.setattr(symptoms, 'row_symptoms', judged)
    monkeypatch.setattr(symptoms, 'machine_symptoms', machine)
    target = dict(target='https://shop.example.com/', verdict='ok', location='none', evidence=[], reasons=[])
    apply_endpoint([target], {target['target']: dict(summary=[healthy])}, LIMITS)
    assert target['verdict'] == 'degraded' and target['location'] == 'agents'
    assert target['reasons'] == ['alice-laptop (endpoint a1), endpoint test, network: loss 1% > 0.5%']
    assert target['evidence'] == ['alice-laptop (endpoint a1): weak Wi-Fi: SNR 36 dB < 40 dB']
