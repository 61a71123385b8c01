# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The reasons as every renderer words them: the measurement first, then the agents (one function, ``reasons.py``)."""

from __future__ import annotations

import re

from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.reasons import reason_lines
from ansible_collections.netdiag.thousandeyes.plugins.plugin_utils._diagnose.report_html import diagnose_report_html
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

AGENTS = ('Frankfurt, Germany', 'London, England', 'Frankfurt, Germany (Azure)')
TARGET = 'api.example.com'


def three_agents(losses):
    """A report of one agent-to-server test from three agents, with these losses (%) by agent ID."""
    plan = plan_for([TARGET], agents=AGENTS, tests=['agent-to-server'])
    names = dict((agent['id'], agent['name']) for agent in plan['agents'])
    summary = [row('network', agent_id=agent_id, agent_name=names[agent_id], loss=loss, latency=20.0) for agent_id, loss in losses.items()]
    return diagnose_verdicts(plan, *registered(plan, {name_of(plan, 'agent-to-server', TARGET): {'summary': summary}}))


def test_every_agent_is_counted_some_are_named_one_is_named():
    every = three_agents({'101': 20.0, '102': 20.0, '108': 20.0})['targets'][0]
    assert reason_lines(every) == ['agent-to-server test, network: loss 20% > 5%: 3 of 3 agents']
    some = three_agents({'101': 20.0, '102': 20.0, '108': 0.0})['targets'][0]
    assert reason_lines(some) == ['agent-to-server test, network: loss 20% > 5%: 2 of 3 agents: Frankfurt, Germany (101); London, England (102)']
    one = three_agents({'101': 0.0, '102': 20.0, '108': 0.0})['targets'][0]
    assert reason_lines(one) == ['agent-to-server test, network: loss 20% > 5%: London, England (102)']
    # The JSON keeps its reasons as they were (the agents first) for the tools that read them.
    assert some['reasons'] == ['Frankfurt, Germany (101); London, England (102), agent-to-server test, network: loss 20% > 5%']


def test_a_report_without_reason_groups_shows_its_reasons_as_they_are():
    assert reason_lines(dict(target='a', reasons=['agent-to-server test: no results'])) == ['agent-to-server test: no results']
    assert reason_lines(dict(target='a', reasons=[], reason_groups=[])) == []


def test_every_renderer_words_the_reasons_alike():
    report = three_agents({'101': 20.0, '102': 20.0, '108': 0.0})
    line = 'agent-to-server test, network: loss 20% > 5%: 2 of 3 agents: Frankfurt, Germany (101); London, England (102)'
    assert '  - %s' % line in diagnose_table(report)
    assert '| %s |' % line in diagnose_report_markdown(report)
    page = diagnose_report_html(report)
    assert '<li>%s</li>' % line.replace('>', '&gt;') in page
    # No renderer names the agents first any more.
    agents_first = 'Frankfurt, Germany (101); London, England (102), agent-to-server'
    assert not any(agents_first in text for text in (page, diagnose_report_markdown(report), '\n'.join(diagnose_table(report))))


def test_the_noc_report_counts_its_eight_agents_everywhere():
    noc = noc_report()
    lossy = noc['targets'][1]
    assert reason_lines(lossy)[0] == 'agent-to-server test, network: loss 20% > 5%: 8 of 8 agents'
    markdown = diagnose_report_markdown(noc)
    assert '8 of 8 agents' in markdown and not re.search(r'\(30\d\); [^|]*\(30\d\), agent-to-server test', markdown)
    assert '  - agent-to-server test, network: loss 20% > 5%: 8 of 8 agents' in diagnose_table(noc)
