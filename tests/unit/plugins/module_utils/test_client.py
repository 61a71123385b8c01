# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client's policies (status, rate limit, retry, pagination, aid), over real HTTP against the emulator."""

from __future__ import annotations

import time

import pytest

from ansible_collections.netdiag.thousandeyes.emulator import control
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._client import RetryPolicy, ThousandEyesClient
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._connection import ConnectionSettings
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import (
    AuthenticationError,
    InvalidResponseError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
)


@pytest.fixture
def emulator():
    # One emulator per test: ansible-test runs each test in a forked process, where a wider scope would never be torn down.
    server = control.start('--result-delay', '0.2')
    yield server
    server.stop()


def make_client(emulator, **options):
    settings = dict(api_url=emulator.url, api_version='v6', token=control.TOKEN, timeout=5, rate_limit_max_wait=30)
    settings.update(options)
    return ThousandEyesClient(ConnectionSettings(**settings), retry_policy=RetryPolicy(backoff=0.05))


def create(client, name, agent_id=101):
    path = client.api.create_path('agent-to-server')
    fields = {'testName': name, 'server': 'example.com', 'agents': [{'agentId': str(agent_id)}]}
    return client.post(path, body=client.api.test_body('agent-to-server', fields), instant=True)


@pytest.mark.parametrize('version', ['v6', 'v7'])
def test_instant_budget_429_waits_for_reset_and_succeeds(emulator, version):
    emulator.configure(rate_limits={'instant': {'limit': 1, 'window': 2}})
    client = make_client(emulator, api_version=version)
    create(client, 'first')
    create(client, 'second')
    statuses = [entry['status'] for entry in emulator.requests('create')]
    # Either the client paced itself from the Remaining header, or it got one 429 and waited: never a failure.
    assert statuses[-1] == 201
    assert statuses.count(201) == 2
    assert client.rate_limits.waited > 0


def test_org_budget_429_waits_for_reset_and_succeeds(emulator):
    emulator.configure(rate_limits={'org': {'limit': 2, 'window': 2}})
    client = make_client(emulator)
    for dummy in range(3):
        client.get('agents')
    assert [entry['status'] for entry in emulator.requests('list_agents')].count(200) == 3
    assert client.rate_limits.waited > 0


@pytest.mark.parametrize('budget,label', [('instant', 'instant-test'), ('org', 'organization')])
def test_429_beyond_the_bound_names_the_budget(emulator, budget, label):
    emulator.configure(rate_limits={budget: {'limit': 1, 'window': 60}})
    client = make_client(emulator, rate_limit_max_wait=1)
    create(client, 'first')
    with pytest.raises(RateLimitError) as raised:
        create(client, 'second')
    assert raised.value.budget == budget
    assert label in raised.value.msg
    assert 'rate_limit_max_wait' in raised.value.msg
    # Nothing was created by the refused call.
    assert [entry['status'] for entry in emulator.requests('create')].count(201) == 1


def test_401_is_sent_once(emulator):
    client = make_client(emulator, token='not-the-token')
    with pytest.raises(AuthenticationError) as raised:
        client.get('agents')
    assert 'TE_TOKEN' in raised.value.msg
    assert len(emulator.requests()) == 1


def test_post_is_not_retried_after_500(emulator):
    emulator.fault(method='POST', path='/instant/', action='status', status=500, times=1)
    client = make_client(emulator)
    with pytest.raises(ServerError) as raised:
        create(client, 'once')
    assert raised.value.status == 500
    assert len(emulator.requests('create')) == 1


def test_get_is_retried_after_503(emulator):
    emulator.fault(method='GET', path='/agents', action='maintenance', times=1)
    client = make_client(emulator)
    assert client.api.unwrap_agents(client.get('agents'))
    assert [entry['status'] for entry in emulator.requests('list_agents')] == [503, 200]


def test_get_gives_up_after_the_retry_budget(emulator):
    emulator.fault(method='GET', path='/agents', action='maintenance', times=10)
    client = make_client(emulator)
    with pytest.raises(ServerError) as raised:
        client.get('agents')
    assert 'maintenance' in raised.value.msg
    assert len(emulator.requests('list_agents')) == RetryPolicy().attempts


def test_dropped_create_is_reported_as_possibly_processed(emulator):
    emulator.fault(method='POST', path='/instant/', action='drop', times=1)
    client = make_client(emulator)
    with pytest.raises(TransportError) as raised:
        create(client, 'dropped')
    assert raised.value.may_have_reached
    assert len(emulator.requests('create')) == 1


@pytest.mark.parametrize('version', ['v6', 'v7'])
def test_pagination_is_followed(emulator, version):
    client = make_client(emulator, api_version=version)
    test = client.api.unwrap_test(create(client, 'paged').data)
    emulator.configure(page_size=1)
    time.sleep(1.1)  # round IDs are epoch seconds: the rerun's round must not be ahead of the clock
    client.post(client.api.rerun_path(client.api.test_id(test)), instant=True)
    rows = []
    time.sleep(0.5)  # both rounds' rows are visible after the 0.2 s result delay
    for body in client.get_pages(client.api.results_path(client.api.test_id(test), 'network'), {'window': '1h'}):
        rows.extend(client.api.unwrap_results(body, 'network'))
    assert len(rows) == 2  # one agent, two rounds, one row per page
    assert len(emulator.requests('results')) >= 2


@pytest.mark.parametrize('version', ['v6', 'v7'])
def test_aid_is_sent_on_every_request(emulator, version):
    client = make_client(emulator, api_version=version, account_group_id='5678')
    test = client.api.unwrap_test(create(client, 'in-lab').data)
    client.post(client.api.rerun_path(client.api.test_id(test)), instant=True)
    client.get('agents')
    list(client.get_pages(client.api.results_path(client.api.test_id(test), 'network')))
    entries = emulator.requests()
    assert len(entries) == 4
    assert all(str(entry['aid']) == '5678' for entry in entries)


def test_unassigned_account_group_names_it(emulator):
    client = make_client(emulator, account_group_id='9999')
    with pytest.raises(PermissionDeniedError) as raised:
        client.get('agents')
    assert '9999' in raised.value.msg


def test_xml_answer_is_reported_clearly(emulator):
    emulator.fault(method='GET', path='/agents', action='xml', times=1)
    client = make_client(emulator)
    with pytest.raises(InvalidResponseError) as raised:
        client.get('agents')
    assert 'XML' in raised.value.msg
    assert '/v6/agents.json' in raised.value.msg


def test_html_answer_is_reported_clearly(emulator):
    emulator.fault(method='GET', path='/agents', action='html', status=200, times=1)
    client = make_client(emulator)
    with pytest.raises(InvalidResponseError) as raised:
        client.get('agents')
    assert 'HTML' in raised.value.msg
    assert 'api_url' in raised.value.msg


def test_unreachable_api_url_names_it():
    settings = ConnectionSettings(api_url='http://127.0.0.1:9', api_version='v6', token='x', timeout=2)
    client = ThousandEyesClient(settings, retry_policy=RetryPolicy(attempts=1))
    with pytest.raises(TransportError) as raised:
        client.get('agents')
    assert 'http://127.0.0.1:9/v6/agents.json' in raised.value.msg
    assert 'api_url' in raised.value.msg
    assert not raised.value.may_have_reached
