# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests of the endpoint results wait: it follows the collection's one polling policy (``_results/wait.poll``),
the intervals, the deadline and the organization budget reserved before each poll, as the Cloud Agent wait does.

No network: a fake client answers the endpoint result calls and a fake clock stands in for time.
"""

from __future__ import annotations

from types import SimpleNamespace

from ansible_collections.netdiag.thousandeyes.plugins.module_utils import _endpoint
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api import ApiV7
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import RateLimitPolicy, WaitLog

from .fake_clock import FakeClock

BASE = 'https://api.example.test'
START = 1796661600
ALICE = {'id': 'a-1', 'name': 'alice-laptop', 'state': 'online'}
BOB = {'id': 'b-2', 'name': 'bob-laptop', 'state': 'online'}
TEST = {'testId': '100001', 'type': 'agent-to-server', 'server': 'shop.example.com'}


class FakeClient:
    """What the endpoint wait uses of ThousandEyesClient: api (over this fake transport), rate_limits and waits.
    Each agent's row of the round ``START`` appears at its time in ``ready_at``."""

    def __init__(self, ready_at, clock, on_answer=None):
        self.api = ApiV7(BASE, self)
        self.clock = clock
        self.ready_at = ready_at
        self.on_answer = on_answer
        self.posts = []
        self.waits = WaitLog()
        self.rate_limits = RateLimitPolicy(120, clock=clock.time, sleep=clock.sleep, log=self.waits)

    def post(self, path, body=None, instant=False):
        self.posts.append(path)
        rows = [{'agentId': agent, 'roundId': START, 'loss': 0.0, 'avgLatency': 20.0}
                for agent, when in sorted(self.ready_at.items()) if self.clock.now >= when]
        if self.on_answer:
            self.on_answer(self)
        return SimpleNamespace(data={'results': rows})


def test_the_endpoint_wait_polls_with_growing_intervals_up_to_the_deadline():
    clock = FakeClock(START)
    client = FakeClient({'a-1': START}, clock)
    outcome = _endpoint.read_results(client, TEST, [ALICE, BOB], START, clock.now + 40, sleep=clock.sleep, clock=clock.monotonic)
    assert clock.sleeps == [2.0, 3.0, 4.5, 6.75, 10.0, 10.0, 3.75]
    assert len(client.posts) == 8 and client.waits.as_dict()['results'] == 40.0
    assert outcome['complete'] is False
    assert outcome['missing'] == [{'agent_id': 'b-2', 'agent_name': 'bob-laptop', 'reason': 'no result before wait_timeout'}]


def test_the_endpoint_wait_ends_when_every_agent_reported():
    clock = FakeClock(START)
    client = FakeClient({'a-1': START + 1, 'b-2': START + 4}, clock)
    outcome = _endpoint.read_results(client, TEST, [ALICE, BOB], START, clock.now + 300, sleep=clock.sleep, clock=clock.monotonic)
    assert clock.sleeps == [2.0, 3.0] and len(client.posts) == 3
    assert outcome['complete'] is True and [row['agent_name'] for row in outcome['summary']] == ['alice-laptop', 'bob-laptop']


def test_without_wait_one_reading():
    clock = FakeClock(START)
    client = FakeClient({}, clock)
    outcome = _endpoint.read_results(client, TEST, [ALICE], START, clock.now + 300, wait=False, sleep=clock.sleep, clock=clock.monotonic)
    assert clock.sleeps == [] and len(client.posts) == 1
    assert outcome['missing'] == [{'agent_id': 'a-1', 'agent_name': 'alice-laptop', 'reason': 'no results'}]


def test_a_poll_is_skipped_rather_than_waiting_for_the_budget_past_the_deadline():
    clock = FakeClock(START)

    def spent_until_30_s_later(client):
        budget = client.rate_limits.budgets['org']
        budget.limit, budget.remaining, budget.reset = 240, 0, int(client.clock.now) + 30

    client = FakeClient({}, clock, on_answer=spent_until_30_s_later)
    outcome = _endpoint.read_results(client, TEST, [ALICE], START, clock.now + 10, sleep=clock.sleep, clock=clock.monotonic)
    # t+2: the budget is spent until t+30, after the deadline: no second poll, no wait for the reset.
    assert clock.sleeps == [2.0] and len(client.posts) == 1
    assert client.rate_limits.waited == 0 and outcome['complete'] is False
