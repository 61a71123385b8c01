# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A NOC-sized diagnosis for the HTML page: 20 targets by 8 agents, judged by ``diagnose_verdicts``.

Every agent crosses the same 12-hop path to a target (as the emulator draws it): the agent's own LAN (its own private
addresses), a transit network, the site; one trace in three takes an ECMP sibling at hops 10 and 11. Every fourth
target loses 20 % from a transit hop on for all agents (the role reads their path details), every fourth answers 503,
one name does not resolve, the rest is healthy; the odd targets are reached over IPv6.
"""

from __future__ import annotations

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.plan import diagnose_plan, diagnose_runs
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.verdicts import diagnose_verdicts

CITIES = ('Frankfurt, Germany', 'Frankfurt, Germany (Azure)', 'London, England', 'Paris, France', 'Tokyo, Japan',
          'Singapore', 'New York, NY', 'Sao Paulo, Brazil')
DIRECTORY = [dict(id=str(301 + index), name=name, type='cloud', state='online', location=name, addresses=[]) for index, name in enumerate(CITIES)]
TARGETS = ['https://shop-%02d.example.com/health' % number for number in range(20)]
LIMITS = dict(max_loss=5.0, max_latency=300.0, max_response_time=3000.0)


def _address(target, hop, ipv6):
    if ipv6:
        return '2001:db8:%x:%x:5efe:%x:%x:%x' % (target, hop, hop * 7, target + 4096, hop + 1)
    return '198.51.%d.%d' % (target, hop + 1)


def _hops(target, ipv6, lossy, agent=0, sibling=False):
    hops = []
    for number in range(1, 13):
        if number <= 2:
            ip, rdns, network = '10.%d.%d.1' % (agent, number), None, None
        elif number < 12:
            ip = _address(target, number + (100 if sibling and number >= 10 else 0), ipv6)
            rdns = 'ae-%d.r%02d.fra-core-%02d.transit.example.net' % (number, number, target)
            network = 'Hurricane Electric LLC (AS 6939)' if number < 8 else 'Example Hosting GmbH (AS 64500)'
        else:
            ip, rdns, network = _address(target, 250, ipv6), 'www.shop-%02d.example.com' % target, 'Example Hosting GmbH (AS 64500)'
        rtt = 2.0 * number + (350.0 if lossy and number >= 6 else 0.0)
        hops.append(dict(hop=number, ip=ip, prefix=None, rdns=rdns, network=network, location=None, mpls=None, response_time=rtt))
    return hops


def _row(layer, agent, **values):
    row = dict.fromkeys(('country', 'date', 'latency_min', 'latency_max', 'jitter', 'response_code', 'response_time', 'total_time',
                         'availability', 'mos', 'dns_ok', 'error', 'hops', 'server', 'loss', 'latency'))
    row.update(layer=layer, agent_id=agent['id'], agent_name=agent['name'], round_id=1795687200, ok=True)
    row.update(values)
    return row


def noc_report():
    """The report of 20 targets by 8 agents (see the module's doc)."""
    plan = diagnose_plan(TARGETS, agents=list(CITIES), directory=DIRECTORY, tests=['agent-to-server', 'http-server'])
    assert plan['errors'] == []
    launched, waited, paths = [], [], []
    position = dict((agent['id'], index) for index, agent in enumerate(DIRECTORY))
    for index, test in enumerate(plan['tests']):
        test_id = str(5000 + index)
        definition = {'testId': test_id, 'testName': test['name'], 'type': test['type']}
        launched.append(dict(item=test, test_id=test_id, outcome='created', changed=True, test=definition, started_at='2026-12-01T10:00:00Z'))
        number = TARGETS.index(test['targets'][0])
        lossy, down, unresolved = number % 4 == 1, number % 4 == 2, number == 3
        summary = []
        for agent in DIRECTORY:
            if test['type'] == 'agent-to-server':
                summary.append(_row('network', agent, loss=20.0 if lossy else (100.0 if unresolved else 0.0),
                                    latency=0.0 if unresolved else (380.0 if lossy else 30.0)))
                if lossy:
                    # The role reads path details where the network breaches: the lossy targets. One trace in three stops short.
                    traces = [dict(path_id=str(path), destination=_address(number, 250, number % 2 == 1), reached=path != 2,
                                   hops=_hops(number, number % 2 == 1, lossy, position[agent['id']], path == 1)[:9 if path == 2 else 12])
                              for path in range(3)]
                    paths.append(dict(test_id=test_id, agent_id=agent['id'], round_id=1795687200, traces=traces))
            else:
                summary.append(_row('http-server', agent, response_code=None if unresolved else (503 if down else 200),
                                    response_time=0.0 if unresolved else 120.0, error='DNS: no such name' if unresolved else None,
                                    ok=not (down or unresolved)))
        waited.append(dict(test=definition, test_id=test_id, summary=summary, missing=[], complete=True))
    runs = diagnose_runs(plan, dict(results=launched), dict(results=[]))
    return diagnose_verdicts(plan, runs, dict(tests=waited, complete=True), LIMITS, '2026-12-01T10:00:09Z', paths=dict(path_details=paths))
