# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report page: values from the API stay text, the fault hop is marked where it is, healthy targets fold."""

from __future__ import annotations

import re

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import _short, diagnose_report_html
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import report as make_report

RDNS = '<script>alert(1)</script>.example.net'
ERROR = 'SERVFAIL <img src=x onerror=alert(2)>'


def hop(number, ip, rtt, rdns=None, network=None):
    return dict(hop=number, ip=ip, prefix=None, rdns=rdns, network=network, location=None, mpls=None, response_time=rtt)


def trace(reached, hops):
    return dict(path_id='1', destination='198.18.1.1', reached=reached, hops=hops)


def row(agent_id, name, **values):
    values.update(layer='network', agent_id=agent_id, agent_name=name)
    return values


def report():
    lossy = [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.66', 30.0, RDNS, 'Evil <b>Net</b> (AS 64666)')]
    reached = lossy + [hop(3, '198.18.1.1', 35.0)]
    healthy_test = dict(type='agent-to-server', name='diagnose agent-to-server ok.example.com from 101', test_id='1', outcome='created',
                        rerun=False, started_at='2026-12-01T10:00:00Z', summary=[row('101', 'Frankfurt', loss=0, latency=20)], missing=[])
    faulty_test = dict(healthy_test, name='diagnose <i>agent-to-server</i> bad.example.com', test_id='2',
                       summary=[row('101', 'Frankfurt', loss=34, latency=90)])
    return dict(
        generated_at='2026-12-01T10:00:09Z', verdict='degraded', counts=dict(ok=1, degraded=1, failed=0),
        thresholds=dict(max_loss=5.0, max_latency=300.0, max_response_time=3000.0, expected_status=200),
        agents=[dict(id='101', name='Frankfurt')], tests_run=2, instant_calls=2,
        targets=[
            dict(target='ok.example.com', verdict='ok', location='none', evidence=[], reasons=[], test_ids=['1'], links=[],
                 next_step='x', tests=[healthy_test], paths=[], fault_hops=[]),
            dict(target='bad.example.com', verdict='degraded', location='path', evidence=['loss starts at hop 2, ' + RDNS],
                 reasons=['network: ' + ERROR], test_ids=['2'], links=[dict(url='javascript:alert(3)', layer='network')],
                 next_step='Raise it', tests=[faulty_test],
                 paths=[dict(test_id='2', agent_id='101', agent_name='Frankfurt', traces=[trace(False, lossy), trace(True, reached)])],
                 fault_hops=[dict(cause='path', ip='198.51.100.66', hop=2, agents=['101'], text='loss starts')]),
        ])


def test_values_from_the_api_are_text_never_markup():
    page = diagnose_report_html(report())
    assert '<script' not in page and '<img' not in page and '<b>' not in page and '<i>' not in page
    assert html_escaped(RDNS) in page and html_escaped(ERROR) in page
    assert 'javascript:' not in page  # a link that is not http(s) is left out
    assert "default-src 'none'" in page


def html_escaped(text):
    return text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;').replace('"', '&quot;').replace("'", '&#x27;')


def test_the_fault_hop_is_marked_on_the_faulty_target_only_and_healthy_targets_fold():
    page = diagnose_report_html(report())
    healthy, faulty = re.split(r'<details class="target" id="target-1"', page)
    assert 'fault-hop' not in healthy and 'fault starts here' not in healthy
    assert re.search(r'<details class="target" id="target-0" data-verdict="ok" data-location="none">', healthy)
    assert faulty.count('class="fault-hop"') == 2  # one per trace that crosses the hop
    assert 'data-location="path" open>' in faulty
    assert 'trace stops' in faulty and 'class="stopped"' in faulty
    assert '<tr class="fault">' in faulty  # the hop table marks it too
    assert 'class="bad num">34%' in faulty  # loss over the threshold is coloured


def test_anything_but_a_report_is_refused():
    with pytest.raises(DiagnoseInputError, match='diagnose_report_html expects'):
        diagnose_report_html(['not', 'a', 'report'])


def test_the_alert_is_named_as_text():
    alert = dict(alert_id='a1', severity='major', rule="<b>{{ lookup('pipe', 'id') }}</b>", test_name='shop {% raw %}', test_id='5',
                 first_seen='2026-12-01T09:58:00Z', agents=[dict(id='101', name='Frankfurt <script>')])
    page = diagnose_report_html(dict(report(), alert=alert))
    assert ('Answers ThousandEyes alert a1 (major): rule &quot;&lt;b&gt;{{ lookup(&#x27;pipe&#x27;, &#x27;id&#x27;) }}&lt;/b&gt;&quot; '
            'on test shop {% raw %} (5), first seen 2026-12-01T09:58:00Z.') in page
    assert '<li>Frankfurt &lt;script&gt; (101)</li>' in page
    assert 'Answers ThousandEyes alert' not in diagnose_report_html(dict(report(), alert=None))


def test_one_trace_stops_short_and_two_stop_short():
    def page(stopped):
        traces = [dict(path_id=str(n), destination='198.18.7.10', reached=n >= stopped,
                       hops=[dict(hop=1, ip='100.64.0.1', prefix=None, rdns=None, network=None, location=None, mpls=None, response_time=2.0)])
                  for n in range(3)]
        target = dict(target='https://a.example/', verdict='degraded', location='path', evidence=[], reasons=[], tests=[],
                      paths=[dict(test_id='1', agent_id='101', agent_name='Frankfurt, Germany', traces=traces)], fault_hops=[])
        return diagnose_report_html(make_report([target], thresholds_of(None), [], None))
    assert '3 traces, 1 stops short' in page(1)
    assert '3 traces, 2 stop short' in page(2)


def test_a_label_cuts_the_network_name_never_its_as_number():
    label = _short('Hurricane Electric (AS 6939)', 20)
    assert label.endswith('\u2026 (AS 6939)') and label.startswith('Hurricane') and len(label) <= 20
    assert _short('Lumen (AS 3356)', 20) == 'Lumen (AS 3356)'
    assert _short('ae-1.some-long-router-name.example.net', 12) == 'ae-1.some-l\u2026'
