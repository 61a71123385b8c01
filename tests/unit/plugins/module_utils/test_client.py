# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The transport's policies (status, rate limit, retry, pagination, aid) on a fake session: ordered calls, no server."""

from __future__ import annotations

import pytest
from requests import exceptions as requests_exceptions
from urllib3.exceptions import NewConnectionError

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import (
    AuthenticationError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
)
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import RetryPolicy

from .fake_session import BASE, Answer, make_client

CREATE_BODY = {'testName': 'first', 'server': 'example.com', 'agents': [{'agentId': '101'}]}
CREATED = {'testId': '1', 'testName': 'first', 'type': 'agent-to-server'}


def budget_headers(name, remaining, reset, limit=10):
    prefix = {'org': 'X-Organization-Rate-Limit', 'instant': 'X-Instant-Test-Rate-Limit'}[name]
    return {prefix + '-Limit': str(limit), prefix + '-Remaining': str(remaining), prefix + '-Reset': str(int(reset))}


def test_instant_429_waits_for_its_reset_then_sends_the_create_again():
    client, session, clock = make_client([])
    session.answers = [Answer(429, {'message': 'Too many'}, budget_headers('instant', 0, clock.now + 2)), Answer(201, CREATED)]
    response = client.post('tests/agent-to-server/instant', body=CREATE_BODY, instant=True)
    assert response.status == 201
    # A 429 was not processed, so the create may go again: twice the same POST, with the wait for the Reset between.
    assert session.requests() == [('POST', BASE + '/v7/tests/agent-to-server/instant')] * 2
    assert clock.sleeps == [2.25] and client.rate_limits.waited == 2.25


def test_a_known_empty_budget_is_waited_out_before_the_request():
    client, session, clock = make_client([])
    session.answers = [Answer(200, {'agents': []}, budget_headers('org', 0, clock.now + 3)), Answer(200, {'agents': []})]
    client.get('agents')
    client.get('agents')
    assert len(session.calls) == 2 and clock.sleeps == [3.25]


@pytest.mark.parametrize('budget,label', [('instant', 'instant-test'), ('org', 'organization')])
def test_429_beyond_the_bound_names_the_budget(budget, label):
    client, session, clock = make_client([], rate_limit_max_wait=1)
    session.answers = [Answer(429, {'message': 'slow down'}, budget_headers(budget, 0, clock.now + 60))]
    with pytest.raises(RateLimitError) as raised:
        client.post('tests/agent-to-server/instant', body=CREATE_BODY, instant=budget == 'instant')
    assert raised.value.budget == budget
    assert label in raised.value.msg and 'rate_limit_max_wait' in raised.value.msg
    assert len(session.calls) == 1 and clock.sleeps == []


def test_401_is_sent_once():
    client, session, dummy = make_client([Answer(401, {'error': 'invalid_token'})])
    with pytest.raises(AuthenticationError) as raised:
        client.get('agents')
    assert 'TE_TOKEN' in raised.value.msg
    assert len(session.calls) == 1


def test_post_is_never_retried_after_500():
    client, session, dummy = make_client([Answer(500, {'message': 'boom'})])
    with pytest.raises(ServerError) as raised:
        client.post('tests/agent-to-server/instant', body=CREATE_BODY, instant=True)
    assert raised.value.status == 500
    assert len(session.calls) == 1


def test_get_is_retried_after_503():
    client, session, clock = make_client([Answer(503, text=''), Answer(200, {'agents': [{'agentId': '101'}]})])
    assert client.get('agents') == {'agents': [{'agentId': '101'}]}
    assert session.requests() == [('GET', BASE + '/v7/agents')] * 2
    assert len(clock.sleeps) == 1


def test_get_gives_up_after_the_retry_budget():
    attempts = RetryPolicy().attempts
    client, session, dummy = make_client([Answer(503, text='')] * attempts)
    with pytest.raises(ServerError) as raised:
        client.get('agents')
    assert 'maintenance' in raised.value.msg
    assert len(session.calls) == attempts


def test_lost_answer_to_a_create_may_have_reached_the_server():
    client, session, dummy = make_client([requests_exceptions.ConnectionError('Connection reset by peer')])
    with pytest.raises(TransportError) as raised:
        client.post('tests/agent-to-server/instant', body=CREATE_BODY, instant=True)
    assert raised.value.may_have_reached
    assert len(session.calls) == 1


def test_unreachable_api_url_names_it_and_reached_nothing():
    refused = requests_exceptions.ConnectionError(NewConnectionError(None, 'Connection refused'))
    client, session, dummy = make_client([refused], api_version='v6')
    client.retry = RetryPolicy(attempts=1)
    with pytest.raises(TransportError) as raised:
        client.get('agents')
    assert BASE + '/v6/agents.json' in raised.value.msg and 'api_url' in raised.value.msg
    assert not raised.value.may_have_reached
    assert len(session.calls) == 1


@pytest.mark.parametrize('version', ['v6', 'v7'])
def test_pages_are_followed(version):
    if version == 'v6':
        first = {'test': [{'testId': 1}], 'pages': {'current': 1, 'next': BASE + '/v6/tests?page=2'}}
        second = {'test': [{'testId': 2}], 'pages': {'current': 2}}
        urls = [BASE + '/v6/tests.json', BASE + '/v6/tests.json?page=2']
    else:
        first = {'tests': [{'testId': '1'}], '_links': {'next': {'href': BASE + '/v7/tests?cursor=abc'}}}
        second = {'tests': [{'testId': '2'}], '_links': {}}
        urls = [BASE + '/v7/tests', BASE + '/v7/tests?cursor=abc']
    client, session, dummy = make_client([Answer(200, first), Answer(200, second)], api_version=version)
    assert [str(test['testId']) for test in client.api.list_tests()] == ['1', '2']
    assert [url for dummy, url in session.requests()] == urls


@pytest.mark.parametrize('version', ['v6', 'v7'])
def test_aid_is_sent_on_every_request(version):
    client, session, dummy = make_client([Answer(200, {'agents': []}), Answer(201, CREATED), Answer(200, text='')],
                                         api_version=version, account_group_id='5678')
    client.get('agents')
    client.post('instant/agent-to-server', body=CREATE_BODY, instant=True)
    client.post('tests/1/run', instant=True)
    assert [params for dummy, dummy, params, dummy in session.calls] == [{'aid': '5678'}] * 3


def test_unassigned_account_group_names_it():
    client, dummy, dummy = make_client([Answer(403, {'title': 'Forbidden'})], account_group_id='9999')
    with pytest.raises(PermissionDeniedError) as raised:
        client.get('agents')
    assert '9999' in raised.value.msg


def test_xml_answer_is_reported_clearly():
    client, dummy, dummy = make_client([Answer(200, text='<?xml version="1.0"?><agents/>', content_type='application/xml')],
                                       api_version='v6')
    with pytest.raises(InvalidResponseError) as raised:
        client.get('agents')
    assert 'XML' in raised.value.msg and '/v6/agents.json' in raised.value.msg


def test_html_answer_is_reported_clearly():
    client, dummy, dummy = make_client([Answer(200, text='<html><body>Sign in</body></html>', content_type='text/html')])
    with pytest.raises(InvalidResponseError) as raised:
        client.get('agents')
    assert 'HTML' in raised.value.msg and 'api_url' in raised.value.msg


def test_bearer_token_and_accept_header_are_set_once_per_session():
    client, session, dummy = make_client([])
    assert session.headers['Authorization'] == 'Bearer secret-token'
    assert session.headers['Accept'] == client.api.headers['Accept']


def test_a_404_under_an_api_url_with_a_path_says_to_check_api_url():
    client, dummy, dummy = make_client([Answer(404, text='Not Found', content_type='text/plain')], api_url=BASE + '/api')
    with pytest.raises(NotFoundError) as raised:
        client.get('agents')
    assert 'check api_url' in raised.value.msg and 'TE_API_URL' in raised.value.msg
    # The control: without a path in api_url, a 404 is only a 404.
    client, dummy, dummy = make_client([Answer(404, {'title': 'Not Found'})])
    with pytest.raises(NotFoundError) as raised:
        client.get('tests/http-server/77')
    assert 'api_url' not in raised.value.msg
