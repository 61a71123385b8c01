# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The endpoint agents in the reports: the HTML page draws each machine's own path (the hop where its loss starts
marked) and its Wi-Fi/VPN line; the Markdown report and the text table carry the line too. Names from outside are text."""

from __future__ import annotations

import html
import re

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._results.paths import normalise_traces
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.endpoint import apply_endpoint
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import diagnose_report_html, endpoint_machine_line, endpoint_section
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_markdown import diagnose_report_markdown
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.table import diagnose_table
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import report as make_report

LIMITS = thresholds_of(None)
SSID = '<script>alert("ssid")</script>'
NAME = 'bob <b>laptop</b>'
TARGET = 'https://shop.example.com/'


def machine_row(agent_id, name, **values):
    row = dict(layer='network', agent_id=agent_id, agent_name=name, loss=0.0, latency=25.0, interface='wireless', wifi_ssid='home',
               wifi_rssi=-55, wifi_snr=36, gateway='192.168.1.1', vpn_type=None, vpn_gateway=None, cpu=0.2)
    row.update(values)
    return row


def path(agent_id, stop_after=None):
    addresses = ['192.168.1.1', '198.18.0.1', '198.18.9.9']
    hops = [{'hop': number, 'ipAddress': ip, 'rdns': 'edge.isp.example.net' if ip == '198.18.0.1' else None, 'responseTime': 3 * number}
            for number, ip in enumerate(addresses, start=1)]
    raw = [{'pathId': str(index), 'hops': hops} for index in range(3)]
    if stop_after:
        last = addresses.index(stop_after) + 1
        raw[2] = {'pathId': '2', 'hops': hops[:last] + [{'hop': last + 1}]}
    return {'agent_id': agent_id, 'gateway': '192.168.1.1', 'traces': normalise_traces(raw, '198.18.9.9')}


def endpoint_report(stop_after='192.168.1.1', **values):
    target = dict(target=TARGET, verdict='ok', location='none', evidence=[], reasons=[], tests=[], paths=[], fault_hops=[])
    rows = [machine_row('b1', NAME, loss=15.0, wifi_ssid=SSID, **values),
            machine_row('c1', 'carol-desktop', interface='ethernet', wifi_ssid=None, wifi_rssi=None, wifi_snr=None)]
    apply_endpoint([target], {TARGET: {'test_id': '7', 'summary': rows, 'path_traces': [path('b1', stop_after), path('c1')]}}, LIMITS)
    return make_report([target], LIMITS, [], '2026-12-07T10:00:00Z')


def test_the_page_draws_the_machine_s_path_with_the_gateway_marked():
    page = diagnose_report_html(endpoint_report())
    assert '<h3>Endpoint agents</h3>' in page
    section = page[page.index('<h3>Endpoint agents</h3>'):]
    drawings = re.findall(r'<details class="path endpoint" data-agent="(\w+)"( open)?>', section)
    assert drawings == [('b1', ' open'), ('c1', '')]
    bob = section[:section.index('data-agent="c1"')]
    # The gateway is marked on each of the three traces that cross it (the Cloud Agents' drawing does the same).
    assert bob.count('<svg class="path"') == 1 and bob.count('class="fault-hop"') == 3
    assert 'data-ip="192.168.1.1"' in bob and 'loss starts at the gateway' in bob and '3 path traces, 1 stops short' in bob
    assert bob.count('trace stops') == 1 and '<table class="hops"' in bob
    carol = section[section.index('data-agent="c1"'):]
    assert 'class="fault-hop"' not in carol and 'trace stops' not in carol and 'wired; no VPN; gateway 192.168.1.1' in carol


def test_the_wifi_vpn_line_marks_what_the_judge_found():
    page = diagnose_report_html(endpoint_report(wifi_rssi=-82, wifi_snr=30, vpn_type='ipsec', vpn_gateway='203.0.113.200', cpu=0.95))
    line = re.search(r'<p class="endpoint-line">(.*?)</p>', page).group(1)
    assert '<span class="fault-label">RSSI -82 dBm &lt; -70 dBm</span>' in line and 'SNR 30 dB (limit 20 dB)' in line
    assert 'fault-label">SNR' not in line and 'VPN ipsec via 203.0.113.200' in line and 'gateway 192.168.1.1' in line
    assert '<span class="fault-label">CPU 95% &gt; 90%</span>' in line


def test_names_from_outside_are_text_in_the_page():
    page = diagnose_report_html(endpoint_report())
    assert '<script>alert' not in page and '<b>laptop' not in page
    assert html.escape(SSID, quote=True) in page and html.escape(NAME, quote=True) in page
    assert endpoint_section(dict(target=TARGET)) == ''


def test_markdown_and_text_carry_the_line():
    report = endpoint_report(stop_after='198.18.0.1')
    assert report['targets'][0]['location'] == 'path'
    markdown = diagnose_report_markdown(report)
    assert '## Endpoint agents' in markdown
    assert ('- %s (endpoint b1): Wi-Fi %s: RSSI -55 dBm (limit -70 dBm), SNR 36 dB (limit 20 dB); no VPN; gateway 192.168.1.1; CPU 20%% (limit 90%%); '
            'loss starts at hop 2, 198.18.0.1 (beyond)' % (NAME, SSID)) in markdown
    text = diagnose_table(report)
    assert '  endpoint carol-desktop (endpoint c1): wired; no VPN; gateway 192.168.1.1; CPU 20% (limit 90%)' in text
    assert '## Endpoint agents' not in diagnose_report_markdown(make_report([dict(target=TARGET, verdict='ok', location='none')], LIMITS, [], None))


def test_the_line_says_what_the_vpn_adds_when_its_traces_measured_it():
    machine = dict(interface='ethernet', vpn_type='ipsec', vpn_gateway='203.0.113.200', vpn_added=298.0, vpn_slow=True, gateway='192.168.1.1')
    assert '<span class="fault-label">VPN ipsec via 203.0.113.200 (adds 298 ms)</span>' in endpoint_machine_line(machine)
    assert 'adds' not in endpoint_machine_line(dict(machine, vpn_added=None, vpn_slow=False))
