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


def traces(stop_after=None, first_hops=('192.168.1.1',)):
    """Three normalised path traces from the machine to 198.18.9.9 through its first hops, an ISP edge and the server;
    the last one stops after ``stop_after`` when given."""
    from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.paths import normalise_traces
    addresses = list(first_hops) + ['198.18.0.1', '198.18.9.9']
    names = dict((ip, name) for ip, name in (('198.18.0.1', 'Example ISP (AS 64501)'), ('198.18.9.9', 'Example Hosting (AS 64502)')))
    hops = [{'hop': number, 'ipAddress': ip, 'network': names.get(ip, ''), 'rdns': 'edge.isp.example.net' if ip == '198.18.0.1' else None,
             'responseTime': 2 * number} for number, ip in enumerate(addresses, start=1)]
    raw = [{'pathId': str(index), 'hops': hops} for index in range(3)]
    if stop_after is not None:
        last = addresses.index(stop_after) + 1
        raw[2] = {'pathId': '2', 'hops': hops[:last] + [{'hop': last + 1}]}
    return {'agent_id': 'a1', 'gateway': '192.168.1.1', 'traces': normalise_traces(raw, '198.18.9.9')}


def shop(result):
    targets = [target()]
    apply_endpoint(targets, {'https://shop.example.com/': result}, LIMITS)
    return targets[0]


def test_the_gateway_that_loses_packets_is_named_from_the_path_trace():
    lossy = dict(HEALTHY, loss=15.0)
    assert own_network(lossy, LIMITS, traces('192.168.1.1')) == ['the gateway 192.168.1.1 loses packets: loss 15% > 5% (1 of 3 path traces stops there)']
    found = shop({'summary': [lossy], 'path_traces': [traces('192.168.1.1')]})
    assert found['location'] == 'agents' and found['endpoint']['agents'][0]['fault'] == {'ip': '192.168.1.1', 'hop': 1, 'where': 'gateway'}
    assert found['evidence'] == ['alice-laptop (endpoint a1): the gateway 192.168.1.1 loses packets: loss 15% > 5% (1 of 3 path traces stops there)']
    assert len(found['endpoint']['agents'][0]['path']) == 3


def test_loss_inside_a_longer_home_network_is_still_its_own():
    path = traces('10.0.0.1', first_hops=('192.168.1.1', '10.0.0.1'))
    assert own_network(dict(HEALTHY, loss=15.0), LIMITS, path) == [
        "packets lost inside the machine's own network, at hop 2, 10.0.0.1: loss 15% > 5% (1 of 3 path traces stops there)"]


def test_loss_beyond_the_machine_s_own_network_is_the_path():
    lossy = dict(HEALTHY, loss=12.0)
    assert own_network(lossy, LIMITS, traces('198.18.0.1')) == []
    found = shop({'summary': [lossy], 'path_traces': [traces('198.18.0.1')]})
    assert found['verdict'] == 'degraded' and found['location'] == 'path'
    assert found['endpoint']['agents'][0]['fault'] == {'ip': '198.18.0.1', 'hop': 2, 'where': 'beyond'}
    assert found['evidence'] == [
        'alice-laptop (endpoint a1): loss 12% > 5% starts beyond its own network, at hop 2, 198.18.0.1 (edge.isp.example.net, '
        'Example ISP (AS 64501)) (1 of 3 path traces stops there; the hops before it pass the packets): not its own network but the path; '
        'the Cloud Agents do not see it, so it lies on the part of the path that only this machine crosses']
    seen_by_cloud = [target('degraded', 'target')]
    apply_endpoint(seen_by_cloud, {'https://shop.example.com/': {'summary': [lossy], 'path_traces': [traces('198.18.0.1')]}}, LIMITS)
    assert seen_by_cloud[0]['location'] == 'target' and seen_by_cloud[0]['evidence'][0].endswith('the Cloud Agents see a breach too')


def test_without_a_hop_where_the_loss_starts_the_old_words_stay():
    # Weak Wi-Fi: no hop answers on the traces that stop; the Wi-Fi explains the loss.
    weak = dict(HEALTHY, loss=8.0, wifi_rssi=-82, wifi_snr=9)
    path = traces()
    path['traces'][2] = dict(path['traces'][2], reached=False, hops=[dict(path['traces'][2]['hops'][0], ip=None)])
    assert own_network(weak, LIMITS, path) == ['weak Wi-Fi (home): RSSI -82 dBm < -70 dBm, SNR 9 dB < 20 dB']
    # No path traces at all: the loss behind the gateway, as before.
    assert shop({'summary': [dict(HEALTHY, loss=15.0)]})['evidence'] == [
        'alice-laptop (endpoint a1): packets lost from the machine on, behind its gateway 192.168.1.1: loss 15% > 5%']


def test_the_machine_values_carry_their_limits_and_the_judge_s_flags():
    machine = shop({'summary': [dict(HEALTHY, wifi_rssi=-82, cpu=0.95, vpn_type='ipsec', vpn_gateway='203.0.113.200')]})['endpoint']['agents'][0]['machine']
    assert machine['rssi'] == -82 and machine['rssi_limit'] == -70.0 and machine['rssi_low'] is True and machine['snr_low'] is False
    assert machine['cpu_busy'] is True and machine['cpu_limit'] == 0.9 and machine['vpn_type'] == 'ipsec' and machine['gateway'] == '192.168.1.1'


def test_the_next_step_follows_the_place_and_keeps_the_rerun_command():
    rerun = '. Rerun these tests: ansible-playbook playbooks/diagnose.yml -e x'
    at_home, beyond = dict(target(), next_step='Nothing to do' + rerun), dict(target(), next_step='Nothing to do' + rerun)
    apply_endpoint([at_home], {'https://shop.example.com/': {'summary': [dict(HEALTHY, cpu=0.97, latency=400.0)]}}, LIMITS)
    assert at_home['location'] == 'agents' and at_home['next_step'].startswith('Check the own network of the endpoint machines')
    apply_endpoint([beyond], {'https://shop.example.com/': {'summary': [dict(HEALTHY, loss=12.0)], 'path_traces': [traces('198.18.0.1')]}}, LIMITS)
    assert beyond['location'] == 'path' and beyond['next_step'] == "Raise the hop named in the evidence with the endpoint machine's internet provider" + rerun


def vpn_traces(vpn_ms, server_ms):
    """Three path traces through the home gateway (2 ms), the VPN's gateway and on to the server."""
    from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.paths import normalise_traces
    hops = [{'hop': 1, 'ipAddress': '192.168.1.1', 'responseTime': 2}, {'hop': 2, 'ipAddress': '203.0.113.200', 'responseTime': vpn_ms},
            {'hop': 3, 'ipAddress': '198.18.9.9', 'responseTime': server_ms}]
    return {'agent_id': 'a1', 'traces': normalise_traces([{'pathId': str(index), 'hops': hops} for index in range(3)], '198.18.9.9')}


VPN = dict(HEALTHY, vpn_type='cisco-anyconnect', vpn_gateway='203.0.113.200', latency=380.0)


def test_the_vpn_is_named_with_what_its_path_traces_show_it_adds():
    assert own_network(VPN, LIMITS, vpn_traces(300, 372)) == [
        'the VPN (cisco-anyconnect via 203.0.113.200, which adds 298 ms at its gateway (hop 2)) carries the traffic: latency 380 ms > 300 ms']
    found = shop({'summary': [VPN], 'path_traces': [vpn_traces(300, 372)]})
    assert found['location'] == 'agents'
    assert found['endpoint']['agents'][0]['machine']['vpn_added'] == 298
    line = found['endpoint']['agents'][0]['line']
    assert line.endswith('VPN cisco-anyconnect via 203.0.113.200, which adds 298 ms at its gateway (hop 2); gateway 192.168.1.1')


def test_a_vpn_that_adds_little_is_not_blamed_for_the_latency():
    # The VPN adds 18 ms of 380: the latency comes from further on, not from the machine's own network.
    assert own_network(VPN, LIMITS, vpn_traces(20, 372)) == []
    found = shop({'summary': [VPN], 'path_traces': [vpn_traces(20, 372)]})
    assert found['verdict'] == 'degraded' and found['location'] == 'none'
    assert 'nothing in its own network explains it' in found['evidence'][0] and 'which adds 18 ms at its gateway' in found['evidence'][0]
    assert found['endpoint']['agents'][0]['machine']['vpn_slow'] is False
