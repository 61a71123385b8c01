# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Typed errors of the ThousandEyes client.

Private to this collection: may change at any time. Modules never catch these one by one;
``_module.run_module`` turns every one of them into a single ``fail_json``.
"""

from __future__ import annotations


class ThousandEyesError(Exception):
    """Base error. ``msg`` is what the user reads; ``details`` become extra keys of the failed result."""

    def __init__(self, msg, **details):
        super().__init__(msg)
        self.msg = msg
        self.details = dict((key, value) for key, value in details.items() if value is not None)

    def fail_kwargs(self):
        """Keyword arguments for ``AnsibleModule.fail_json``."""
        result = dict(self.details)
        result['msg'] = self.msg
        return result


class OptionError(ThousandEyesError):
    """The task's options cannot work. Raised before any write request is sent."""


class AgentsCannotReportError(ThousandEyesError):
    """A wait was asked for, but every agent of the test is offline or disabled: no result can ever arrive."""


class TransportError(ThousandEyesError):
    """No HTTP answer came back: DNS, refused connection, TLS failure, timeout, dropped connection.

    ``may_have_reached`` is True when the request may have been processed by the server although no answer
    arrived (a timeout or a dropped connection after the request was sent). Writes in that state must be
    reconciled by reading, never by sending them again. ``retryable`` is False where sending the same read again
    cannot help (a certificate that fails verification).
    """

    def __init__(self, msg, may_have_reached=False, retryable=True, **details):
        super().__init__(msg, **details)
        self.may_have_reached = may_have_reached
        self.retryable = retryable


class ApiError(ThousandEyesError):
    """The API answered with an error status."""

    def __init__(self, msg, status=None, method=None, url=None, api_message=None, body=None):
        super().__init__(msg, status=status, method=method, url=url, api_message=api_message, body=body)
        self.status = status
        self.method = method
        self.url = url
        self.api_message = api_message
        self.body = body


class AuthenticationError(ApiError):
    """401: the credentials were refused. Never retried: repeated 401s lock accounts and block the source address."""


class PermissionDeniedError(ApiError):
    """403: the user lacks a permission or is not assigned to the account group."""


class NotFoundError(ApiError):
    """404: the path or the object does not exist."""


class ServerError(ApiError):
    """5xx, maintenance mode included."""


class InvalidResponseError(ApiError):
    """The answer was not the JSON that was asked for (XML, an HTML error page, plain text)."""


class RateLimitError(ApiError):
    """A rate-limit budget stayed exhausted for longer than the task may wait."""

    def __init__(self, msg, budget=None, **kwargs):
        super().__init__(msg, **kwargs)
        self.budget = budget
        self.details['rate_limit_budget'] = budget
