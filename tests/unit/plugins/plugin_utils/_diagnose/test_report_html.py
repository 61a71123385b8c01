# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTML report page: values from the API stay text, the fault hop is marked where it is, healthy targets fold."""

from __future__ import annotations

import re

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import DiagnoseInputError
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import _short, _short_middle, diagnose_report_html, matrix
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_markdown import diagnose_report_markdown
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.thresholds import thresholds_of
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import report as make_report
from ansible_collections.netdiag.thousandeyes.tests.unit.plugins.plugin_utils._diagnose.report_page_data import noc_report

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


# The page for a NOC: 20 targets by 8 agents ------------------------------------------------------------------------

def section(page, index):
    """The HTML of one target's section."""
    return page.split('<details class="target" id="target-%d"' % index, 1)[1].split('<details class="target" id=', 1)[0]


def one_path(agent_id, name, hops, reached=True, test_id='2'):
    return dict(test_id=test_id, agent_id=agent_id, agent_name=name, traces=[trace(reached, hops)])


def target_with(paths, fault_hops, **values):
    target = dict(target='bad.example.com', verdict='degraded', location='path', evidence=[], reasons=[], test_ids=['2'], links=[],
                  next_step='x', tests=[], paths=paths, fault_hops=fault_hops)
    target.update(values)
    return target


def page_of(*targets):
    return diagnose_report_html(make_report(list(targets), thresholds_of(None), [], None))


def test_agents_that_saw_the_same_fault_on_the_same_path_share_one_drawing():
    noc = noc_report()
    page = diagnose_report_html(noc)
    lossy = [index for index, target in enumerate(noc['targets']) if target['paths']]
    assert len(lossy) == 5 and all(len(noc['targets'][index]['paths']) == 8 for index in lossy)
    assert page.count('<svg') == 5  # one drawing per target, not eight
    first = section(page, lossy[0])
    assert first.count('<svg') == 1 and 'and 7 more agents: same path, same hop' in first
    assert 'Same path, same hop: Frankfurt, Germany (Azure) (302); London, England (303)' in first
    assert 'data-agents="301 302 303 304 305 306 307 308"' in first
    # Each agent has its own LAN and one trace in three takes an ECMP sibling after the fault: still one drawing, and
    # the hop table has every agent's own first hops.
    assert all('<td>10.%d.1.1</td>' % agent in first for agent in range(8)) and 'all 8: 3/3' in first
    assert 'Each agent&#x27;s own LAN: 16 addresses at hops 1-2' in first
    # The size at 20 targets by 8 agents: 900,568 bytes before drawings were shared (40 drawings), 217,395 with a matrix
    # row per agent and test, now about 192,000.
    assert len(page.encode()) < 250000


def test_an_agent_on_another_path_keeps_its_own_drawing():
    shared = [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.66', 30.0)]
    fault = [dict(cause='path', ip='198.51.100.66', hop=2, agents=['101', '102', '103'], text='loss starts', primary=True)]
    # Paris reaches the hop through another network first: another path.
    page = page_of(target_with([one_path('101', 'Frankfurt', shared), one_path('102', 'London', shared),
                                one_path('103', 'Paris', [hop(1, '10.9.0.1', 2.0), hop(2, '203.0.113.9', 9.0, None, 'Other Transit (AS 64999)'),
                                                          hop(3, '198.51.100.66', 31.0)])], fault))
    assert page.count('<svg') == 2
    assert 'and 1 more agent: same path, same hop' in page and 'Same path, same hop: London (102)' in page
    assert 'data-agents="103"' in page


def test_own_private_first_hops_and_ecmp_siblings_after_the_fault_make_no_other_path():
    transit, site = 'Hurricane Electric LLC (AS 6939)', 'Example Hosting GmbH (AS 64500)'

    def path(agent_id, name, lan, before, after):
        """Two traces: the agent's LAN, a transit hop (``before``), the fault hop, then the site's edge (``after``)."""
        traces = [trace(True, [hop(number + 1, ip, 1.0 + number) for number, ip in enumerate(lan)]
                        + [hop(len(lan) + 1, ip_before, 9.0, None, transit), hop(len(lan) + 2, '198.51.100.66', 380.0, 'ae-1.transit.example.net', transit),
                           hop(len(lan) + 3, ip_after, 390.0, None, site)])
                  for ip_before, ip_after in zip(before, after)]
        return dict(test_id='2', agent_id=agent_id, agent_name=name, traces=traces)

    fault = [dict(cause='path', ip='198.51.100.66', hop=3, agents=['101', '102', '103'], text='latency jumps', primary=True)]
    page = page_of(target_with([
        path('101', 'Frankfurt', ['10.0.0.1'], ['198.51.100.1', '198.51.100.2'], ['203.0.113.10', '203.0.113.11']),
        # Another LAN and another ECMP sibling after the fault: the same path for the reader.
        path('102', 'London', ['192.168.1.254'], ['198.51.100.1', '198.51.100.1'], ['203.0.113.12', '203.0.113.12']),
        # The same fault hop, reached through another network first: another path.
        dict(path('103', 'Paris', ['10.9.0.1'], ['192.0.2.1', '192.0.2.1'], ['203.0.113.10', '203.0.113.10']),
             traces=[trace(True, [hop(1, '10.9.0.1', 1.0), hop(2, '192.0.2.1', 5.0, None, 'Other Transit (AS 64999)'),
                                  hop(3, '198.51.100.66', 380.0, None, transit)])])], fault))
    assert page.count('<svg') == 2
    assert 'data-agents="101 102"' in page and 'data-agents="103"' in page
    shared = page.split('data-agents="101 102"', 1)[1].split('data-agents="103"', 1)[0]
    assert 'Frankfurt (101), test (test 2): 4 traces, 0 stop short; and 1 more agent: same path, same hop' in shared
    assert 'Same path, same hop: London (102). Drawn: the traces of Frankfurt (101); the hop table counts the replies of all 2 agents.' in shared
    # The drawing says that it stands for another agent; each trace of the first agent crosses the marked hop.
    assert 'and 1 more agent' in svg_texts(shared) and shared.count('class="fault-hop"') == 2
    # The hop table keeps each agent's numbers: every address of both agents, with the replies of each; the agents' own
    # LANs in a folded table of their own before the path's, with the same columns.
    lan, table = re.findall(r'<table class="hops".*?</table>', shared)
    assert "<details class=\"lan\"><summary>Each agent&#x27;s own LAN: 2 addresses at hop 1</summary>" in shared
    assert '<td>10.0.0.1</td><td></td><td></td><td>2/4</td>' in lan and '<td>101 2/2</td>' in lan
    assert '<td>192.168.1.254</td><td></td><td></td><td>2/4</td>' in lan and '<td>102 2/2</td>' in lan
    assert '10.0.0.1' not in table and lan.split('</colgroup>')[0] == table.split('</colgroup>')[0]
    assert re.search(r'<td>198\.51\.100\.1</td>.*?<td>3/4</td>(<td class="num">[^<]*</td>){4}<td>101 1/2; 102 2/2</td>', table)
    assert re.search(r'<tr class="fault">.*?<td>198\.51\.100\.66</td>.*?<td>4/4</td>(<td class="num">[^<]*</td>){4}<td>all 2: 2/2</td>', table)
    assert '<td>203.0.113.12</td><td></td><td>%s</td><td>2/4</td>' % site in table


def test_a_longer_lan_makes_no_other_path():
    fault = [dict(cause='path', ip='198.51.100.66', hop=2, agents=['101', '102'], text='loss starts', primary=True)]
    page = page_of(target_with([one_path('101', 'Frankfurt', [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.66', 30.0)]),
                                one_path('102', 'London', [hop(1, '192.168.1.1', 1.0), hop(2, '172.16.0.1', 2.0), hop(3, '10.4.3.1', 3.0),
                                                           hop(4, '198.51.100.66', 31.0)])], fault))
    assert page.count('<svg') == 1 and 'data-agents="101 102"' in page
    # Without a marked hop, paths are the same only with the same addresses.
    assert page_of(target_with([one_path('101', 'Frankfurt', [hop(1, '10.0.0.1', 2.0)]),
                                one_path('102', 'London', [hop(1, '10.0.0.2', 2.0)])], [])).count('<svg') == 2


def test_a_long_path_scrolls_sideways_at_its_natural_size():
    hops = [hop(number, '198.51.100.%d' % number, float(number)) for number in range(1, 13)]
    page = page_of(target_with([one_path('101', 'Frankfurt', hops)], []))
    svg = re.search(r'<div class="scroll"><svg class="path"[^>]* width="(\d+)" height="(\d+)" viewBox="0 0 (\d+) (\d+)"', page)
    assert svg and svg.group(1) == svg.group(3) and svg.group(2) == svg.group(4) and int(svg.group(1)) >= 14 * 150
    assert '.scroll{overflow-x:auto' in page
    assert re.search(r'svg\.path\{[^}]*max-width:none', page) and not re.search(r'svg\.path\{[^}]*max-width:100%', page)


def svg_texts(page):
    """Every line of text of the drawings, unescaped."""
    return [html_unescaped(text) for svg in re.findall(r'<svg.*?</svg>', page, re.S)
            for text in re.findall(r'<(?:text|tspan)[^>]*>([^<]*)<', svg)]


def html_unescaped(text):
    return text.replace('&lt;', '<').replace('&gt;', '>').replace('&quot;', '"').replace('&#x27;', "'").replace('&amp;', '&')


def test_ipv6_hop_labels_are_shortened_so_they_fit_under_their_hop():
    address = '2001:db8:1:9:5efe:3f:1001:a'
    hops = [hop(1, '2001:db8:ffff:1:0:0:0:1', 1.0), hop(2, address, 2.0, 'ae-9.r09.fra-core-01.transit.example.net', 'Hurricane Electric LLC (AS 6939)')]
    page = page_of(target_with([one_path('101', 'Frankfurt', hops)], []))
    texts = svg_texts(page)
    assert '2  2001:db8:\u2026:a' in texts
    assert all(len(text) <= 22 for text in texts), [text for text in texts if len(text) > 22]
    assert '<title>%s ae-9.r09.fra-core-01.transit.example.net Hurricane Electric LLC (AS 6939)</title>' % address in page
    assert '<td>%s</td>' % address in page  # the hop table keeps the full address


def test_agents_of_one_city_stay_distinguishable():
    assert _short_middle('Frankfurt, Germany (Azure)') != _short_middle('Frankfurt, Germany')
    assert _short_middle('Frankfurt, Germany (Azure)').endswith('(Azure)') and len(_short_middle('Frankfurt, Germany (Azure)')) <= 22
    hops = [hop(1, '10.0.0.1', 2.0)]
    page = page_of(target_with([one_path('301', 'Frankfurt, Germany', hops), one_path('302', 'Frankfurt, Germany (Azure)', [hop(1, '10.0.0.2', 2.0)])], []))
    texts = svg_texts(page)
    assert 'Frankfurt, Germany' in texts and _short_middle('Frankfurt, Germany (Azure)') in texts


def test_reasons_read_the_measurement_first_then_the_agents():
    page = diagnose_report_html(noc_report())
    assert '<li>agent-to-server test, network: loss 20% &gt; 5%: 8 of 8 agents</li>' in page
    assert '<td>agent-to-server test, network: loss 20% &gt; 5%: 8 of 8 agents</td>' in page  # the summary line too
    assert '<li>Frankfurt, Germany (301); Frankfurt' not in page
    some = dict(verdict='degraded', where='agent-to-server test, network', text='loss 20% > 5%', agents=['Frankfurt (101)', 'London (102)'])
    rows = [row(agent, name, loss=20.0 if agent != '103' else 0.0, latency=30.0) for agent, name in (('101', 'Frankfurt'), ('102', 'London'), ('103', 'Paris'))]
    test = dict(type='agent-to-server', name='t', test_id='2', outcome='created', rerun=False, started_at=None, summary=rows, missing=[])
    page = page_of(target_with([], [], tests=[test], reason_groups=[some]))
    assert '<li>agent-to-server test, network: loss 20% &gt; 5%: 2 of 3 agents: Frankfurt (101); London (102)</li>' in page


def test_a_row_without_a_measurement_shows_none_not_a_green_zero():
    page = diagnose_report_html(noc_report())
    dns_failed = section(page, 3)
    assert 'location="dns"' in dns_failed
    assert 'class="good num">0 ms' not in dns_failed and '0 ms' not in dns_failed
    # Latency, HTTP status and response time of 8 agents: the status of a request without a response is none too.
    assert dns_failed.count('<td class="none num" title="not measured">\u2013</td>') == 24
    assert 'class="good num">120 ms' in section(page, 0)  # a measured time is still coloured


def test_the_hop_tables_of_all_agents_line_up():
    page = page_of(target_with([one_path('101', 'Frankfurt', [hop(1, '10.0.0.1', 2.0)]),
                                one_path('102', 'London', [hop(1, '2001:db8:ffff:1:0:0:0:1', 1.0, 'a-very-long-router-name.example.net')])], []))
    tables = re.findall(r'<table class="hops"[^>]*><colgroup>.*?</colgroup>', page)
    assert len(tables) == 2 and tables[0] == tables[1] and 'style="width:' in tables[0]
    assert 'table.hops{table-layout:fixed}' in page


def test_a_fault_at_the_end_of_the_path_is_marked_on_every_affected_agents_drawing():
    # A CDN: each agent reaches its own edge; the finding copied the first agent's edge address.
    fault = [dict(cause='target', ip='198.18.1.1', hop=3, agents=['101', '102'], text='HTTP 503 at the edge', primary=True)]
    page = page_of(target_with([one_path('101', 'Frankfurt', [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.1', 9.0), hop(3, '198.18.1.1', 10.0)]),
                                one_path('102', 'Tokyo', [hop(1, '10.0.0.1', 2.0), hop(2, '203.0.113.1', 9.0), hop(3, '203.0.113.80', 10.0)]),
                                one_path('103', 'Paris', [hop(1, '10.0.0.1', 2.0), hop(2, '192.0.2.1', 9.0), hop(3, '192.0.2.80', 10.0)])],
                               fault, location='target'))
    assert 'data-ip="198.18.1.1"' in page and 'data-ip="203.0.113.80"' in page
    assert 'data-ip="192.0.2.80"' not in page  # an agent that does not see it
    assert page.count('class="fault-hop"') == 2


def test_the_hop_table_counts_replies_per_address():
    traces = [trace(True, [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.1', 9.0), hop(3, '198.18.1.1', 12.0)]),
              trace(True, [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.1', 11.0), hop(3, '198.18.1.1', 12.0)]),
              trace(True, [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.2', 30.0), hop(3, '198.18.1.1', 12.0)]),
              trace(False, [hop(1, '10.0.0.1', 2.0), hop(2, None, None)])]
    page = page_of(target_with([dict(test_id='2', agent_id='101', agent_name='Frankfurt', traces=traces)], []))
    table = re.search(r'<table class="hops".*?</table>', page).group(0)
    assert '<tr><td>2</td><td>198.51.100.1</td><td></td><td></td><td>2/4</td><td class="num">11</td><td class="num">9</td>' in table
    assert '<tr><td></td><td>198.51.100.2</td><td></td><td></td><td>1/4</td><td class="num">30</td>' in table
    assert '<tr><td></td><td>*</td><td></td><td></td><td>0/4</td>' in table
    assert '<td>1</td><td>10.0.0.1</td><td></td><td></td><td>4/4</td>' in table


def test_a_secondary_finding_is_never_marked_as_where_the_fault_starts():
    hops = [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.66', 30.0), hop(3, '198.51.100.77', 40.0)]
    faults = [dict(cause='path', ip='198.51.100.66', hop=2, agents=['101'], text='loss starts', primary=True),
              dict(cause='path', ip='198.51.100.77', hop=3, agents=['101'], text='also slow here', primary=False)]
    page = page_of(target_with([one_path('101', 'Frankfurt', hops)], faults))
    assert 'data-ip="198.51.100.66"' in page and 'data-ip="198.51.100.77"' not in page
    assert page.count('fault starts here') == 2  # the drawing and the hop table, at the primary hop only
    # The locator says which findings place the fault; the report carries it.
    noc = noc_report()
    assert [fault['primary'] for target in noc['targets'] for fault in target['fault_hops']] == [True] * 5


def test_the_page_and_the_markdown_report_name_the_alert_alike():
    alert = dict(alert_id='a1', severity='major', rule='Loss > 5%', test_name='shop', test_id='5', first_seen='2026-12-01T09:58:00Z',
                 agents=[dict(id='101', name='Frankfurt')])
    page = diagnose_report_html(dict(report(), alert=alert))
    markdown = diagnose_report_markdown(dict(report(), alert=alert))
    sentence = 'Answers ThousandEyes alert a1 (major): rule "Loss > 5%" on test shop (5), first seen 2026-12-01T09:58:00Z.'
    assert sentence in ' '.join(markdown.split('\n')) and html_escaped(sentence).replace('&#x27;', "'") in page
    assert '- Frankfurt (101)' in markdown and '<li>Frankfurt (101)</li>' in page


def test_the_matrix_has_a_row_per_agent_with_the_test_types_side_by_side():
    page = diagnose_report_html(noc_report())
    table = re.search(r'<table class="matrix">.*?</table>', section(page, 1)).group(0)
    assert table.count('<tr>') == 2 + 8  # two heading rows, then 8 agents for 2 tests: not 16 rows
    assert ('<th colspan="3" class="test">agent-to-server</th><th colspan="3" class="test">http-server</th></tr>'
            '<tr><th>Loss</th><th>Latency</th><th>Status</th><th>HTTP</th><th>Response</th><th>Status</th></tr>') in table
    frankfurt = re.search(r'<tr><td>Frankfurt, Germany \(301\)</td>.*?</tr>', table).group(0)
    assert frankfurt.count('<td') == 7 and 'class="bad num">20%' in frankfurt and 'class="good num">200' in frankfurt
    # An agent without a row for a test has empty cells there.
    rows = [dict(agent='Frankfurt (101)', test='agent-to-server', loss='0%', latency='30 ms', http='', response='', dns='', status='ok',
                 breaching=dict(loss=False, latency=False)),
            dict(agent='London (102)', test='http-server', loss='', latency='', http='200', response='90 ms', dns='', status='ok',
                 breaching=dict(http=False, response=False))]
    assert '<tr><td>London (102)</td><td></td><td></td><td></td><td class="good num">200</td>' in matrix(rows)


def test_the_matrix_colours_by_the_judgement_never_by_the_value():
    # The renderer compares no value with a threshold: the flags of the table rows (symptoms.metric_flags) decide.
    rows = [dict(agent='Frankfurt (101)', test='agent-to-server', loss='1%', latency='900 ms', http='', response='', dns='', status='degraded',
                 breaching=dict(loss=True, latency=False))]
    table = matrix(rows)
    assert 'class="bad num">1%' in table and 'class="good num">900 ms' in table
    assert '<td><span class="verdict v-degraded">degraded</span></td>' in table


def test_the_page_opens_on_what_is_wrong():
    page = diagnose_report_html(noc_report())
    targets = re.findall(r'<details class="target" id="target-(\d+)" data-verdict="(\w+)" data-location="(\w+)"( open)?>', page)
    assert len(targets) == 20
    # Healthy targets are one summary line; the others open with their verdict and place, the next step first.
    assert all((verdict == 'ok') == (opened == '') for index, verdict, location, opened in targets)
    for index, verdict, location, opened in targets:
        text = section(page, int(index))
        summary = text.split('</summary>', 1)[0]
        assert 'v-%s">%s</span>' % (verdict, verdict) in summary and 'location: %s' % location in summary
        if verdict != 'ok':
            assert text.index('<h3>Next step</h3>') < text.index('<h3>Reasons</h3>') < text.index('<h3>Agents by test</h3>')
    # The tests and links of a target are folded.
    assert page.count('<details class="tests"><summary>Tests and links: 2 tests</summary><h3>Tests</h3>') == 20


def test_a_drawing_that_does_not_place_the_fault_is_folded():
    fault = [dict(cause='path', ip='198.51.100.66', hop=2, agents=['101'], text='loss starts', primary=True)]
    placed = [one_path('101', 'Frankfurt', [hop(1, '10.0.0.1', 2.0), hop(2, '198.51.100.66', 30.0)], reached=False),
              one_path('102', 'London', [hop(1, '10.0.0.2', 2.0), hop(2, '203.0.113.9', 9.0)], reached=False)]
    page = page_of(target_with(placed, fault))
    drawings = re.findall(r'<details class="path" data-agent="(\d+)" data-agents="[\d ]+"( open)?>', page)
    assert drawings == [('101', ' open'), ('102', '')]  # London's stops short too, but the fault is placed on Frankfurt's
    # Where no drawing places the fault, those that stop short open.
    page = page_of(target_with(placed + [one_path('103', 'Paris', [hop(1, '10.0.0.3', 2.0), hop(2, '192.0.2.1', 9.0)])], []))
    drawings = re.findall(r'<details class="path" data-agent="(\d+)" data-agents="[\d ]+"( open)?>', page)
    assert drawings == [('101', ' open'), ('102', ' open'), ('103', '')]
