# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the endpoint part of the verdict: the machine's own network explains a breach only it sees."""

from __future__ import annotations

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.endpoint import apply_endpoint, own_network
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.reasons import reason_lines
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of

LIMITS = thresholds_of({})
HEALTHY = {'layer': 'network', 'agent_id': 'a1', 'agent_name': 'alice-laptop', 'loss': 0.0, 'latency': 25.0, 'wifi_ssid': 'home',
           'wifi_rssi': -55, 'wifi_snr': 36, 'gateway': '192.168.1.1', 'vpn_type': None, 'vpn_gateway': None, 'cpu': 0.2,
           'interface': 'wireless'}


def target(verdict='ok', location='none'):
    return {'target': 'https://shop.example.com/', 'verdict': verdict, 'location': location, 'evidence': [], 'reasons': []}


def test_weak_wifi_names_both_values_and_limits():
    causes = own_network(dict(HEALTHY, wifi_rssi=-82, wifi_snr=9, loss=8.0), LIMITS)
    assert causes == ['weak Wi-Fi (home): RSSI -82 dBm < -70 dBm, SNR 9 dB < 20 dB']


def test_vpn_gateway_and_cpu():
    assert own_network(dict(HEALTHY, vpn_type='cisco-anyconnect', vpn_gateway='203.0.113.200', latency=380.0), LIMITS) == [
        'the VPN (cisco-anyconnect via 203.0.113.200) carries the traffic: latency 380 ms > 300 ms']
    assert own_network(dict(HEALTHY, loss=15.0), LIMITS) == ['packets lost from the machine on, behind its gateway 192.168.1.1: loss 15% > 5%']
    assert own_network(dict(HEALTHY, cpu=0.97), LIMITS) == ["the machine's CPU at 97% (> 90%)"]
    assert own_network(HEALTHY, LIMITS) == []


def test_a_breach_only_the_endpoint_sees_is_placed_at_agents():
    targets = [target()]
    apply_endpoint(targets, {'https://shop.example.com/': {'test_id': '1', 'summary': [dict(HEALTHY, loss=15.0)]}}, LIMITS)
    assert targets[0]['verdict'] == 'degraded' and targets[0]['location'] == 'agents'
    assert targets[0]['reasons'] == ['alice-laptop (endpoint a1), endpoint test, network: loss 15% > 5%']


def test_a_breach_the_cloud_agents_see_keeps_its_place():
    targets = [target('degraded', 'path')]
    apply_endpoint(targets, {'https://shop.example.com/': {'summary': [dict(HEALTHY, loss=15.0)]}}, LIMITS)
    assert targets[0]['location'] == 'path' and len(targets[0]['evidence']) == 1


def test_an_unexplained_endpoint_breach_is_degraded_but_not_placed():
    targets = [target()]
    apply_endpoint(targets, {'https://shop.example.com/': {'summary': [dict(HEALTHY, latency=400.0)]}}, LIMITS)
    assert targets[0]['verdict'] == 'degraded' and targets[0]['location'] == 'none'
    assert 'nothing in its own network explains it' in targets[0]['evidence'][0]


def test_a_healthy_endpoint_changes_nothing_but_adds_its_view():
    targets = [target()]
    apply_endpoint(targets, {'https://shop.example.com/': {'summary': [HEALTHY]}}, LIMITS)
    assert targets[0]['verdict'] == 'ok' and targets[0]['evidence'] == []
    assert targets[0]['endpoint']['agents'][0]['line'] == 'Wi-Fi home RSSI -55 dBm SNR 36 dB; no VPN; gateway 192.168.1.1'
    apply_endpoint(targets, None, LIMITS)
    assert targets[0]['verdict'] == 'ok'


def test_an_endpoint_breach_reads_the_measurement_first_in_the_renderers():
    targets = [dict(target(), reason_groups=[], tests=[])]
    apply_endpoint(targets, {'https://shop.example.com/': {'test_id': '1', 'summary': [dict(HEALTHY, loss=15.0)]}}, LIMITS)
    assert reason_lines(targets[0]) == ['endpoint test, network: loss 15% > 5%: alice-laptop (endpoint a1)']
