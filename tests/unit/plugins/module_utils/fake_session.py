# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A stand-in for the ``requests`` session: answers in order, records every call. No server, no socket."""

from __future__ import annotations

import json

from requests.structures import CaseInsensitiveDict

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._connection import ConnectionSettings
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._transport import RetryPolicy, ThousandEyesClient

from .fake_clock import FakeClock

BASE = 'https://api.example.test'


class Answer:
    """One HTTP answer as ``requests`` gives it: status, headers, content."""

    def __init__(self, status=200, body=None, headers=None, text=None, content_type='application/json'):
        self.status_code = status
        self.headers = CaseInsensitiveDict(headers or {})
        if text is None:
            text = '' if body is None else json.dumps(body)
        if text:
            self.headers.setdefault('Content-Type', content_type)
        self.text = text
        self.content = text.encode()


class FakeSession:
    """Serves ``answers`` in order; each call is kept as ``(method, url, params, body)``."""

    def __init__(self, answers):
        self.answers = list(answers)
        self.calls = []
        self.headers = {}
        self.verify = True
        self.auth = None

    def request(self, method, url, params=None, json=None, timeout=None, headers=None):  # pylint: disable=redefined-outer-name
        self.calls.append((method, url, dict(params or {}), json))
        if not self.answers:
            raise AssertionError('unexpected request %s %s %s' % (method, url, params))
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def close(self):
        pass

    def requests(self):
        """``(method, url)`` of each call, in order."""
        return [(method, url) for method, url, dummy, dummy in self.calls]


def make_client(answers, clock=None, **options):
    """A real ThousandEyesClient on a FakeSession: every policy of the transport runs, nothing leaves the process."""
    settings = dict(api_url=BASE, api_version='v7', token='secret-token', timeout=5, rate_limit_max_wait=30)
    settings.update(options)
    clock = clock or FakeClock(1795687200.0)
    session = FakeSession(answers)
    client = ThousandEyesClient(ConnectionSettings(**settings), session=session, clock=clock.time, sleep=clock.sleep,
                                retry_policy=RetryPolicy(sleep=clock.sleep))
    return client, session, clock
