# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The policies on their own, with a fake clock: exact waits, bounds and the connection options' validation."""

from __future__ import annotations

import pytest

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import RateLimitPolicy, RetryPolicy, WaitLog, api_message
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._connection import ConnectionSettings
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError, RateLimitError


class FakeClock:
    def __init__(self, now=1000.0):
        self.now = now
        self.sleeps = []

    def time(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def headers(prefix, limit, remaining, reset):
    return {'%s-Limit' % prefix: str(limit), '%s-Remaining' % prefix: str(remaining), '%s-Reset' % prefix: str(reset)}


def test_429_waits_until_the_matching_reset():
    clock = FakeClock()
    policy = RateLimitPolicy(max_wait=60, clock=clock.time, sleep=clock.sleep)
    answer = headers('X-Organization-Rate-Limit', 240, 100, 1030)
    answer.update(headers('X-Instant-Test-Rate-Limit', 24, 0, 1012))
    policy.observe(answer)
    policy.after_429(True, answer, 'POST', 'u')
    assert clock.sleeps == [pytest.approx(12 + RateLimitPolicy.MARGIN)]


def test_org_budget_is_the_one_for_reads():
    clock = FakeClock()
    policy = RateLimitPolicy(max_wait=60, clock=clock.time, sleep=clock.sleep)
    answer = headers('X-Organization-Rate-Limit', 240, 0, 1020)
    policy.observe(answer)
    policy.after_429(False, answer, 'GET', 'u')
    assert clock.sleeps == [pytest.approx(20 + RateLimitPolicy.MARGIN)]


def test_retry_after_wins_when_sent():
    clock = FakeClock()
    policy = RateLimitPolicy(max_wait=60, clock=clock.time, sleep=clock.sleep)
    answer = headers('X-Organization-Rate-Limit', 240, 0, 1050)
    answer['Retry-After'] = '3'
    policy.observe(answer)
    policy.after_429(False, answer, 'GET', 'u')
    assert clock.sleeps == [pytest.approx(3 + RateLimitPolicy.MARGIN)]


def test_stale_reset_backs_off_instead_of_spinning():
    clock = FakeClock()
    policy = RateLimitPolicy(max_wait=60, clock=clock.time, sleep=clock.sleep)
    answer = headers('X-Organization-Rate-Limit', 240, 0, 900)
    for attempt in range(1, 5):
        policy.observe(answer)
        policy.after_429(False, answer, 'GET', 'u', consecutive=attempt)
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]


def test_the_total_wait_is_bounded_and_the_budget_named():
    clock = FakeClock()
    policy = RateLimitPolicy(max_wait=10, clock=clock.time, sleep=clock.sleep)
    answer = headers('X-Instant-Test-Rate-Limit', 24, 0, 1030)
    policy.observe(answer)
    with pytest.raises(RateLimitError) as raised:
        policy.after_429(True, answer, 'POST', 'https://api/v6/instant/http-server.json')
    assert raised.value.budget == 'instant'
    assert 'instant-test' in raised.value.msg and '24 requests' in raised.value.msg
    assert clock.sleeps == []


def test_a_known_empty_budget_is_waited_out_before_sending():
    clock = FakeClock()
    policy = RateLimitPolicy(max_wait=60, clock=clock.time, sleep=clock.sleep)
    policy.observe(headers('X-Organization-Rate-Limit', 240, 0, 1005))
    policy.before_request(False, 'GET', 'u')
    assert clock.sleeps == [pytest.approx(5 + RateLimitPolicy.MARGIN)]
    policy.before_request(False, 'GET', 'u')
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize('method,retried', [('GET', True), ('POST', False), ('DELETE', False)])
def test_only_reads_are_retried(method, retried):
    policy = RetryPolicy(attempts=4)
    assert policy.should_retry(method, 1, status=503) is retried
    assert policy.should_retry(method, 1, error=Exception()) is retried
    assert policy.should_retry(method, 4, status=503) is False
    assert policy.should_retry(method, 1, status=400) is False


def test_backoff_grows_and_is_capped():
    clock = FakeClock()
    policy = RetryPolicy(backoff=1.0, max_backoff=4.0, sleep=clock.sleep)
    for attempt in range(1, 6):
        policy.pause(attempt)
    for delay, base in zip(clock.sleeps, [1, 2, 4, 4, 4]):
        assert base <= delay <= base * 1.25  # at most 25 % jitter
    assert policy.log is None  # without a client's WaitLog the pauses are not recorded


def test_retry_pauses_are_recorded():
    clock = FakeClock()
    log = WaitLog()
    RetryPolicy(backoff=1.0, sleep=clock.sleep, log=log).pause(1)
    assert 1.0 <= log.as_dict()['retries'] <= 1.3


@pytest.mark.parametrize('body,text,expected', [
    ({'errorMessage': 'Test name must be unique'}, '', 'Test name must be unique'),
    ({'type': 'about:blank', 'title': 'Bad Request', 'detail': 'Validation failed',
      'errors': [{'field': 'server', 'message': 'must not be empty'}]}, '', 'Bad Request: Validation failed; server: must not be empty'),
    ({'error': 'invalid_token', 'error_description': 'Invalid access token'}, '', 'Invalid access token'),
    (None, '<html><body><h1>502 Bad Gateway</h1></body></html>', '502 Bad Gateway'),
])
def test_api_messages_of_every_shape(body, text, expected):
    assert api_message(body, text) == expected


def params(**overrides):
    base = dict(api_url='https://api.thousandeyes.com', api_version='v6', token=None, email=None, auth_token=None,
                account_group_id=None, validate_certs=True, timeout=30, rate_limit_max_wait=180)
    base.update(overrides)
    return base


@pytest.mark.parametrize('overrides,fragment', [
    ({}, 'TE_TOKEN'),
    ({'token': 't', 'email': 'a@b.c', 'auth_token': 'x'}, 'exactly one way'),
    ({'email': 'a@b.c'}, 'auth_token (TE_AUTH_TOKEN) is missing'),
    ({'email': 'a@b.c', 'auth_token': 'x', 'api_version': 'v7'}, 'API v7 accepts only bearer tokens'),
    ({'token': 't', 'api_url': 'api.thousandeyes.com'}, 'api_url must start with https://'),
    ({'token': 't', 'api_url': 'https://api.thousandeyes.com/v7'}, 'ends in /v7 but api_version is v6'),
    ({'token': 't', 'timeout': 0}, 'timeout'),
    ({'token': 't', 'rate_limit_max_wait': -1}, 'rate_limit_max_wait'),
    ({'token': 't', 'api_version': 'v8'}, "api_version must be one of v6, v7, got 'v8'; set api_version, or the TE_API_VERSION"),
])
def test_connection_options_fail_with_the_option_to_change(overrides, fragment):
    with pytest.raises(OptionError) as raised:
        ConnectionSettings.from_params(params(**overrides))
    assert fragment in raised.value.msg


def test_version_suffix_matching_the_version_is_accepted():
    settings = ConnectionSettings.from_params(params(token='t', api_url='https://api.thousandeyes.com/v6/'))
    assert settings.api_url == 'https://api.thousandeyes.com'
