# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bodies of ThousandEyes' fixed-format webhook integration (no template), for the event filter's tests.

TRIGGER is the sample trigger body of the vendor's webhook page, as it is quoted in the collection's API notes (the
fixed-format webhook integration); CLEAR is the same alert cleared as that page describes it (dateEnd on the alert and on
each agent, active 0). WEBHOOK_TEST (the integration's Test link) and the agent notifications (agentAlert instead of
alert) are built from the same page's description of those events: their values are made up.
"""

from __future__ import annotations

import copy

TRIGGER = {
    'eventType': 'ALERT_NOTIFICATION_TRIGGER',
    'eventId': '49-35541',
    'alert': {
        'ruleId': 173, 'alertId': 35541, 'testId': 5370, 'testName': 'http://www.example.com',
        'ruleExpression': 'Page Load is incomplete', 'dateStart': '2014-08-24 01:01:47', 'violationCount': 2,
        'ruleName': 'Default Page Load Alert Rule',
        'agents': [{'dateStart': '2014-08-24 01:01:47', 'active': 1, 'metricsAtStart': 'Page load: Incomplete',
                    'metricsAtEnd': 'Page Load: Incomplete', 'agentId': 108, 'agentName': 'Boston, MA',
                    'locationName': 'Boston, MA', 'permalink': 'https://app.thousandeyes.com/alerts/list?__a=11&alertId=35541'}],
        'type': 'Page Load',
        'permalink': 'https://app.thousandeyes.com/alerts/list?__a=11&alertId=35541',
        'apiLinks': [{'rel': 'related', 'href': 'http://api.thousandeyes.com/tests/5370'},
                     {'rel': 'data', 'href': 'http://api.thousandeyes.com/web/page-load/5370'}],
    },
}

CLEAR = copy.deepcopy(TRIGGER)
CLEAR['eventType'] = 'ALERT_NOTIFICATION_CLEAR'
CLEAR['eventId'] = '49-35541-clear'
CLEAR['alert']['dateEnd'] = '2014-08-24 01:09:47'
for _agent in CLEAR['alert']['agents']:
    _agent.update(dateEnd='2014-08-24 01:09:47', active=0)

WEBHOOK_TEST = {'eventType': 'WEBHOOK_TEST', 'eventId': 'test-1'}

AGENT_TRIGGER = {
    'eventType': 'AGENT_ALERT_NOTIFICATION_TRIGGER',
    'eventId': '51-9001',
    'agentAlert': {'agentId': 2001, 'agentName': 'branch-ams-ea', 'hostname': 'ea-ams-01', 'ipAddress': '192.0.2.10',
                   'ruleName': 'Agent clock offset', 'active': 1, 'dateStart': 1796284800},
}

AGENT_CLEAR = copy.deepcopy(AGENT_TRIGGER)
AGENT_CLEAR['eventType'] = 'AGENT_ALERT_NOTIFICATION_CLEAR'
AGENT_CLEAR['agentAlert'].update(active=0, dateEnd=1796285400)
