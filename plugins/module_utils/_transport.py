# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The transport: the one HTTP client of the collection.

Private to this collection: may change at any time. It owns the three policies that every request obeys,
each written once:

* the status policy (``raise_for_status``): which answer becomes which typed error;
* the rate-limit policy (``RateLimitPolicy``): both budgets read from the headers, a 429 waits for the
  matching Reset within a bounded total wait;
* the retry policy (``RetryPolicy``): reads are retried with backoff on 5xx and lost connections; writes
  never are, except after a 429, because the API has no idempotency key and a retried create can make a
  second test.
"""

from __future__ import annotations

import json
import random
import re
import time
import traceback
from typing import Optional
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

from ansible.module_utils.ansible_release import __version__ as ANSIBLE_CORE_VERSION

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._agents import AgentDirectory
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api import provider_for
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import (
    ApiError,
    AuthenticationError,
    InvalidResponseError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    TransportError,
)

try:
    import requests
    from requests import exceptions as requests_exceptions
    from urllib3.exceptions import NewConnectionError
except ImportError:
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    REQUESTS_IMPORT_ERROR = None

COLLECTION_VERSION = '1.0.0'
USER_AGENT = 'netdiag.thousandeyes/%s (Ansible collection; ansible-core %s)' % (COLLECTION_VERSION, ANSIBLE_CORE_VERSION)
MAX_PAGES = 500


class Response:
    """What the client returns: status, headers and the decoded JSON body (None when empty)."""

    def __init__(self, status, headers, data, url):
        self.status = status
        self.headers = headers
        self.data = data
        self.url = url


# Status policy ---------------------------------------------------------------------------------------

def _text_snippet(text, limit=300):
    text = re.sub(r'\s+', ' ', re.sub(r'<[^>]+>', ' ', text or '')).strip()
    return text if len(text) <= limit else text[:limit] + '...'


def api_message(data, text=''):
    """The human part of an error body, whatever shape the API used (v6, v7 problem+json, OAuth, legacy)."""
    if isinstance(data, dict):
        parts = []
        if data.get('errorMessage'):
            parts.append(str(data['errorMessage']))
        if data.get('error_description') or data.get('error'):
            parts.append(str(data.get('error_description') or data.get('error')))
        if data.get('title') or data.get('detail'):
            parts.append(': '.join(str(data[key]) for key in ('title', 'detail') if data.get(key)))
        for error in data.get('errors') or []:
            if isinstance(error, dict):
                field = error.get('field')
                message = error.get('message') or error.get('code') or ''
                parts.append('%s: %s' % (field, message) if field else str(message))
            else:
                parts.append(str(error))
        if parts:
            return '; '.join(parts)
    return _text_snippet(text)


def raise_for_status(response, data, method, url, account_group_id=None):
    """Turn an error answer into the matching typed error; return quietly on success."""
    status = response.status_code
    if status < 400:
        return
    message = api_message(data, response.text).rstrip('. ')
    kwargs = dict(status=status, method=method, url=url, api_message=message or None)
    where = '%s %s (HTTP %s)' % (method, url, status)
    if status == 401:
        raise AuthenticationError(
            'ThousandEyes refused the credentials for %s: %s. Check token (TE_TOKEN), or email and auth_token '
            '(TE_EMAIL, TE_AUTH_TOKEN). The request was sent once and not retried: repeated 401s lock the account '
            'and get the source address blocked.' % (where, message or 'Unauthorized'), **kwargs)
    if status == 403:
        group = (' and must be assigned to account group %s (account_group_id / TE_AID)' % account_group_id
                 if account_group_id else '')
        raise PermissionDeniedError(
            'ThousandEyes denied %s: %s. The user needs the API Access and View tests permissions (a Regular user or '
            'Account Admin role for instant tests)%s.' % (where, message or 'Forbidden', group), **kwargs)
    if status == 404:
        raise NotFoundError('ThousandEyes found nothing at %s: %s.' % (where, message or 'Not Found'), **kwargs)
    if status == 429:
        raise RateLimitError('ThousandEyes rate limit hit for %s: %s.' % (where, message or 'Too Many Requests'), **kwargs)
    if status >= 500:
        if status == 503 and data is None:
            raise ServerError('ThousandEyes is unavailable for %s: %s. The API answers like this in maintenance mode; try again '
                              'later.' % (where, message or 'Service Unavailable'), **kwargs)
        raise ServerError('ThousandEyes failed on %s: %s.' % (where, message or 'server error'), **kwargs)
    raise ApiError('ThousandEyes rejected %s: %s.' % (where, message or 'Bad Request'), **kwargs)


def decode_body(response, method, url):
    """The JSON body, None for an empty one; InvalidResponseError for XML, HTML or text on a success."""
    if not response.content:
        return None
    content_type = response.headers.get('Content-Type', '')
    try:
        return json.loads(response.content)
    except ValueError:
        if response.status_code >= 400:
            return None  # the status policy reports it, with the text
        kind = 'XML' if 'xml' in content_type or response.text.lstrip().startswith('<?xml') else (
            'an HTML page' if 'html' in content_type or '<html' in response.text[:200].lower() else 'text')
        raise InvalidResponseError(
            'Expected JSON from %s %s but got %s (Content-Type %s, HTTP %s): %s. Check that api_url points at the '
            'ThousandEyes API and that no proxy rewrites the answer.'
            % (method, url, kind, content_type or 'missing', response.status_code, _text_snippet(response.text, 200)),
            status=response.status_code, method=method, url=url)


# Rate-limit policy -----------------------------------------------------------------------------------

class Budget:
    """One rate-limit budget as its last headers described it."""

    LABELS = {'org': 'organization', 'instant': 'instant-test'}
    HEADERS = {'org': 'X-Organization-Rate-Limit', 'instant': 'X-Instant-Test-Rate-Limit'}

    def __init__(self, name):
        self.name = name
        self.limit = None
        self.remaining = None
        self.reset = None

    def observe(self, headers):
        prefix = self.HEADERS[self.name]
        values = {}
        for part in ('Limit', 'Remaining', 'Reset'):
            raw = headers.get('%s-%s' % (prefix, part))
            try:
                values[part] = int(float(raw)) if raw is not None else None
            except ValueError:
                values[part] = None
        if values['Remaining'] is not None:
            self.limit, self.remaining, self.reset = values['Limit'], values['Remaining'], values['Reset']
            return True
        return False


class WaitLog:
    """The seconds a task spent waiting, per reason, and the rate-limit waits long enough to warn about.

    Every module returns ``as_dict()`` as ``waited`` and warns with ``notices`` (``_module.run_module``).
    """

    REASONS = ('organization_rate_limit', 'instant_test_rate_limit', 'results', 'retries')
    BUDGET_REASONS = {'org': 'organization_rate_limit', 'instant': 'instant_test_rate_limit'}
    NOTICE_AFTER = 5.0  # a rate-limit wait longer than this is said in a warning

    def __init__(self):
        self.seconds = dict.fromkeys(self.REASONS, 0.0)
        self.notices = []

    def add(self, reason, seconds):
        self.seconds[reason] += max(seconds, 0.0)

    def rate_limit(self, budget, seconds, method, url):
        self.add(self.BUDGET_REASONS[budget.name], seconds)
        if seconds > self.NOTICE_AFTER:
            limit = ' (%s requests per window)' % budget.limit if budget.limit else ''
            reset = (', which reset at %s UTC' % time.strftime('%H:%M:%S', time.gmtime(budget.reset))) if budget.reset else ''
            self.notices.append('Waited %.0f s for the ThousandEyes %s rate-limit budget%s%s, before %s %s. Other jobs of the '
                                'account spend the same budget; see waited in the result.'
                                % (seconds, Budget.LABELS[budget.name], limit, reset, method, url))

    def as_dict(self):
        return dict((reason, round(seconds, 1)) for reason, seconds in self.seconds.items())


class RateLimitPolicy:
    """Both budgets; waits for the matching Reset on a 429, never longer than ``max_wait`` in total per task."""

    MARGIN = 0.25       # the Reset header has one-second resolution
    FALLBACK_WAIT = 5.0  # a 429 without any Reset or Retry-After header: wait a little, bounded by max_wait

    def __init__(self, max_wait, clock=time.time, sleep=time.sleep, log=None):
        self.max_wait = max_wait
        self.clock = clock
        self.sleep = sleep
        self.log = log if log is not None else WaitLog()
        self.waited = 0.0
        self.budgets = {'org': Budget('org'), 'instant': Budget('instant')}

    def observe(self, headers):
        for budget in self.budgets.values():
            budget.observe(headers)

    def _exhausted(self, instant, headers):
        """Which budget a 429 is about: the one whose Remaining is 0, preferring the request's own."""
        order = ('instant', 'org') if instant else ('org',)
        for name in order:
            budget = self.budgets[name]
            if budget.remaining == 0:
                return budget
        return self.budgets['instant' if instant else 'org']

    def _delay(self, budget, headers):
        retry_after = headers.get('Retry-After')
        if retry_after:
            try:
                return max(float(retry_after), 0.0) + self.MARGIN
            except ValueError:
                try:
                    return max(parsedate_to_datetime(retry_after).timestamp() - self.clock(), 0.0) + self.MARGIN
                except (TypeError, ValueError):
                    pass
        if budget.reset:
            return max(budget.reset - self.clock(), 0.0) + self.MARGIN
        return self.FALLBACK_WAIT

    def wait_for(self, delay, budget, method, url):
        """Sleep ``delay`` seconds, or raise RateLimitError when that passes the task's bound."""
        if self.waited + delay > self.max_wait:
            limit = ' of %s requests per window' % budget.limit if budget.limit else ''
            resets = (' It resets at %s UTC.' % time.strftime('%H:%M:%S', time.gmtime(budget.reset))) if budget.reset else ''
            raise RateLimitError(
                'The ThousandEyes %s rate-limit budget%s is exhausted (%s %s): waiting %.0f more seconds would pass '
                'rate_limit_max_wait (%s seconds, %.0f already waited).%s Run fewer instant tests at once, or raise '
                'rate_limit_max_wait (TE_RATE_LIMIT_MAX_WAIT).'
                % (Budget.LABELS[budget.name], limit, method, url, delay, self.max_wait, self.waited, resets),
                budget=budget.name, status=429, method=method, url=url)
        self.sleep(delay)
        self.waited += delay
        self.log.rate_limit(budget, delay, method, url)

    def reserve(self, requests: int, method: str, url: str, time_left: Optional[float] = None) -> bool:
        """Make room in the organization budget for ``requests`` reads before spending them (polling uses this).

        Waits for the Reset when fewer are left, counted against ``max_wait`` like every rate-limit wait. With
        ``time_left`` (a later poll, which may be skipped) it returns False instead of waiting past that time or
        past ``max_wait``; without it (a reading that must happen) a wait past ``max_wait`` raises RateLimitError.
        """
        budget = self.budgets['org']
        if budget.remaining is None or budget.remaining >= requests or not budget.reset:
            return True
        delay = budget.reset - self.clock() + self.MARGIN
        if delay <= 0:
            return True
        if time_left is not None and (delay > time_left or self.waited + delay > self.max_wait):
            return False
        self.wait_for(delay, budget, method, url)
        return True

    def before_request(self, instant, method, url):
        """Wait out a budget already known to be empty instead of spending a request on a 429."""
        names = ('org', 'instant') if instant else ('org',)
        for name in names:
            budget = self.budgets[name]
            now = self.clock()
            if budget.remaining == 0 and budget.reset and budget.reset > now:
                self.wait_for(budget.reset - now + self.MARGIN, budget, method, url)
                budget.remaining = None

    def after_429(self, instant, headers, method, url, consecutive=1):
        budget = self._exhausted(instant, headers)
        # A Reset already in the past would make us spin: back off more on each 429 in a row.
        delay = max(self._delay(budget, headers), min(0.5 * 2 ** (consecutive - 1), 30.0))
        self.wait_for(delay, budget, method, url)
        budget.remaining = None


# Retry policy ----------------------------------------------------------------------------------------

class RetryPolicy:
    """Reads are retried on 5xx and on lost connections, with exponential backoff; writes never are.

    A failure that another attempt cannot change (a certificate that fails verification) is not retried.
    """

    RETRY_STATUSES = (500, 502, 503, 504)

    def __init__(self, attempts=4, backoff=1.0, max_backoff=8.0, sleep=time.sleep, log=None):
        self.attempts = attempts
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.sleep = sleep
        self.log = log  # the client's WaitLog: the pauses count as waited for retries

    @staticmethod
    def retries_method(method):
        return method in ('GET', 'HEAD')

    def should_retry(self, method, attempt, status=None, error=None):
        if not self.retries_method(method) or attempt >= self.attempts:
            return False
        if error is not None:
            return getattr(error, 'retryable', True)
        return status in self.RETRY_STATUSES

    def pause(self, attempt):
        delay = min(self.backoff * (2 ** (attempt - 1)), self.max_backoff)
        delay *= 1 + random.random() * 0.25  # jitter keeps parallel jobs from retrying in step
        self.sleep(delay)
        if self.log is not None:
            self.log.add('retries', delay)


# The client ------------------------------------------------------------------------------------------

class ThousandEyesClient:
    """One ``requests`` session per module run; every request goes through ``request``."""

    def __init__(self, settings, session=None, clock=time.time, sleep=time.sleep, retry_policy=None):
        self.settings = settings
        self.api = provider_for(settings.api_version, settings.api_url, self)
        self.session = session or requests.Session()
        self.session.verify = settings.validate_certs
        self.session.headers.update({'User-Agent': USER_AGENT})
        self.session.headers.update(self.api.headers)
        if settings.token:
            self.session.headers['Authorization'] = 'Bearer %s' % settings.token
        else:
            self.session.auth = (settings.email, settings.auth_token)
        # Every wait of the task, by reason: returned as waited.
        self.waits = WaitLog()
        self.rate_limits = RateLimitPolicy(settings.rate_limit_max_wait, clock=clock, sleep=sleep, log=self.waits)
        self.retry = retry_policy or RetryPolicy(sleep=sleep)
        self.retry.log = self.waits
        self.request_count = 0
        # The task's agents, listed once at most whatever reads them (names, target agents, states while waiting).
        self.agents = AgentDirectory(self)

    def close(self):
        self.session.close()

    # Public verbs ---------------------------------------------------------------------------------
    def get(self, path, params=None):
        return self.request('GET', path, params=params).data

    def get_pages(self, path, params=None):
        """Yield every page of a listing, following the version's next link."""
        url, page_params = path, params
        for dummy in range(MAX_PAGES):
            body = self.request('GET', url, params=page_params).data
            yield body
            url = self.api.next_page(body)
            if not url:
                return
            page_params = None  # the next link carries the query
        raise ServerError('ThousandEyes kept sending next pages for %s after %s pages; stopped.' % (path, MAX_PAGES))

    def post(self, path, body=None, params=None, instant=False):
        return self.request('POST', path, params=params, body=body, instant=instant)

    def send(self, method, path, params=None):
        return self.request(method, path, params=params)

    # The one request path -------------------------------------------------------------------------
    def request(self, method, path, params=None, body=None, instant=False):
        url = self.api.url(path)
        params = dict(params or {})
        if self.settings.account_group_id and 'aid' not in parse_qs(urlsplit(url).query):
            params['aid'] = self.settings.account_group_id
        shown_url = url.split('?')[0]
        attempt = 0
        throttled = 0
        while True:
            attempt += 1
            self.rate_limits.before_request(instant, method, shown_url)
            try:
                response = self._send(method, url, params, body)
            except TransportError as error:
                if self.retry.should_retry(method, attempt, error=error):
                    self.retry.pause(attempt)
                    continue
                _note_attempts(error, attempt)
                raise
            self.rate_limits.observe(response.headers)
            if response.status_code == 429:
                # Not processed by the server, so even a create may be sent again.
                throttled += 1
                self.rate_limits.after_429(instant, response.headers, method, shown_url, throttled)
                attempt -= 1
                continue
            throttled = 0
            if self.retry.should_retry(method, attempt, status=response.status_code):
                self.retry.pause(attempt)
                continue
            data = decode_body(response, method, shown_url)
            try:
                raise_for_status(response, data, method, shown_url, self.settings.account_group_id)
            except ServerError as error:
                _note_attempts(error, attempt)
                raise
            except NotFoundError as error:
                if urlsplit(self.settings.api_url).path.strip('/'):
                    # Every path of the API sits right under the host: a path in api_url makes every request miss.
                    error.msg += (' api_url (TE_API_URL) %s has a path; check api_url: it is the base URL of the API without '
                                  'a path or version, for example https://api.thousandeyes.com.' % self.settings.api_url)
                raise
            return Response(response.status_code, response.headers, data, shown_url)

    def _send(self, method, url, params, body):
        self.request_count += 1
        kwargs = dict(params=params or None, timeout=self.settings.timeout)
        if body is not None:
            kwargs['json'] = body
        elif method == 'POST':
            kwargs['headers'] = {'Content-Type': 'application/json'}
        shown_url = url.split('?')[0]
        try:
            return self.session.request(method, url, **kwargs)
        except requests_exceptions.SSLError as exc:
            raise TransportError(
                'TLS verification failed for %s: %s. Check that api_url (TE_API_URL) is right and its certificate is trusted '
                '(REQUESTS_CA_BUNDLE); validate_certs=false (TE_VALIDATE_CERTS) skips the check, for test instances only.'
                % (shown_url, _reason(exc)), url=shown_url, retryable=False)
        except requests_exceptions.ConnectTimeout as exc:
            raise TransportError('Could not connect to %s within %s seconds: %s. Check api_url (TE_API_URL), DNS, proxies '
                                 '(HTTPS_PROXY, NO_PROXY) and firewalls.' % (shown_url, self.settings.timeout, _reason(exc)),
                                 url=shown_url)
        except requests_exceptions.ReadTimeout:
            raise TransportError('No answer from %s %s within %s seconds (the timeout option). The request may have been '
                                 'processed.' % (method, shown_url, self.settings.timeout), may_have_reached=True, url=shown_url)
        except requests_exceptions.ConnectionError as exc:
            reason = exc.args[0] if exc.args else None
            refused = isinstance(getattr(reason, 'reason', reason), NewConnectionError)
            if refused:
                raise TransportError('Cannot reach ThousandEyes at %s: %s. Check api_url (TE_API_URL), DNS, proxies '
                                     '(HTTPS_PROXY, NO_PROXY) and firewalls.' % (shown_url, _reason(exc)), url=shown_url)
            raise TransportError('The connection to %s was lost before an answer to %s came back: %s. The request may have '
                                 'been processed.' % (shown_url, method, _reason(exc)), may_have_reached=True, url=shown_url)
        except requests_exceptions.RequestException as exc:
            raise TransportError('Request %s %s failed: %s.' % (method, shown_url, _reason(exc)),
                                 may_have_reached=method != 'GET', url=shown_url)


def _note_attempts(error, attempts):
    """Say in the error's message how often a retried read was sent before the client gave up."""
    if attempts > 1:
        error.msg += ' Tried %d times, with growing pauses between the attempts.' % attempts
        error.args = (error.msg,)


def _reason(exc):
    """The innermost readable reason of a requests exception."""
    reason = exc
    for dummy in range(5):
        inner = getattr(reason, 'reason', None) or (reason.args[0] if getattr(reason, 'args', None) else None)
        if inner is None or isinstance(inner, str) or inner is reason:
            break
        reason = inner
    text = str(reason)
    # urllib3 wraps the useful part as "<object at 0x...>: Failed to establish ..."
    return re.sub(r'<[^>]+ at 0x[0-9a-f]+>: ', '', text)
