# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every module: one argument spec, one validation.

Private to this collection: may change at any time. The documentation of these options is the doc
fragment ``netdiag.thousandeyes.connection``; keep both in step (sanity's validate-modules compares them).
"""

from __future__ import annotations

from ansible.module_utils.basic import env_fallback

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api import API_VERSIONS
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError

DEFAULT_API_URL = 'https://api.thousandeyes.com'


def connection_argument_spec():
    """A fresh copy of the connection options' argument spec."""
    return dict(
        api_url=dict(type='str', default=DEFAULT_API_URL, fallback=(env_fallback, ['TE_API_URL'])),
        # No choices here: from_params checks the value so that its message can name TE_API_VERSION too.
        api_version=dict(type='str', default='v7', fallback=(env_fallback, ['TE_API_VERSION'])),
        token=dict(type='str', no_log=True, fallback=(env_fallback, ['TE_TOKEN'])),
        email=dict(type='str', fallback=(env_fallback, ['TE_EMAIL'])),
        auth_token=dict(type='str', no_log=True, fallback=(env_fallback, ['TE_AUTH_TOKEN'])),
        account_group_id=dict(type='str', aliases=['aid'], fallback=(env_fallback, ['TE_AID'])),
        validate_certs=dict(type='bool', default=True, fallback=(env_fallback, ['TE_VALIDATE_CERTS'])),
        timeout=dict(type='int', default=30, fallback=(env_fallback, ['TE_TIMEOUT'])),
        rate_limit_max_wait=dict(type='int', default=180, fallback=(env_fallback, ['TE_RATE_LIMIT_MAX_WAIT'])),
    )


class ConnectionSettings:
    """Validated connection options. ``from_params`` raises OptionError with the option to change."""

    def __init__(self, api_url, api_version, token=None, email=None, auth_token=None, account_group_id=None,
                 validate_certs=True, timeout=30, rate_limit_max_wait=180):
        self.api_url = api_url
        self.api_version = api_version
        self.token = token
        self.email = email
        self.auth_token = auth_token
        self.account_group_id = account_group_id
        self.validate_certs = validate_certs
        self.timeout = timeout
        self.rate_limit_max_wait = rate_limit_max_wait

    @classmethod
    def from_params(cls, params):
        api_version = (params.get('api_version') or 'v7').strip()
        if api_version not in API_VERSIONS:
            raise OptionError('api_version must be one of %s, got %r; set api_version, or the TE_API_VERSION environment variable '
                              'it falls back to, to one of them.' % (', '.join(API_VERSIONS), params.get('api_version')))
        api_url = (params.get('api_url') or DEFAULT_API_URL).strip().rstrip('/')
        if not api_url.startswith(('https://', 'http://')):
            raise OptionError("api_url must start with https:// (or http:// for a local emulator), got %r; set api_url or TE_API_URL "
                              "to the base URL without the version, for example %s." % (api_url, DEFAULT_API_URL))
        for version in ('v6', 'v7'):
            if api_url.endswith('/' + version):
                if version != api_version:
                    raise OptionError('api_url ends in /%s but api_version is %s; give api_url without the version '
                                      '(for example %s) and choose the version with api_version (TE_API_VERSION).'
                                      % (version, api_version, DEFAULT_API_URL))
                api_url = api_url[:-len(version) - 1]

        token = params.get('token') or None
        email = params.get('email') or None
        auth_token = params.get('auth_token') or None
        if token and (email or auth_token):
            raise OptionError('Give exactly one way to authenticate: token (TE_TOKEN), or email with auth_token (TE_EMAIL and '
                              'TE_AUTH_TOKEN); both were set. Remove one of them from the task, module_defaults or environment.')
        if not token and not (email or auth_token):
            raise OptionError('No ThousandEyes credentials: set token or the TE_TOKEN environment variable to an OAuth bearer token '
                              '(Account Settings > Users and Roles > User API Tokens); API v6 also accepts email with auth_token '
                              '(TE_EMAIL and TE_AUTH_TOKEN).')
        if not token and not (email and auth_token):
            missing = 'auth_token (TE_AUTH_TOKEN)' if email else 'email (TE_EMAIL)'
            raise OptionError('Basic authentication needs both email and auth_token; %s is missing. Or use token (TE_TOKEN) instead.'
                              % missing)
        if not token and api_version == 'v7':
            raise OptionError('API v7 accepts only bearer tokens: set token (TE_TOKEN) instead of email and auth_token, '
                              'or set api_version to v6.')

        timeout = params.get('timeout')
        if timeout is None or timeout < 1:
            raise OptionError('timeout must be a whole number of seconds of at least 1, got %r.' % (timeout,))
        max_wait = params.get('rate_limit_max_wait')
        if max_wait is None or max_wait < 0:
            raise OptionError('rate_limit_max_wait must be 0 or more seconds, got %r.' % (max_wait,))
        aid = params.get('account_group_id')
        return cls(api_url=api_url, api_version=api_version, token=token, email=email, auth_token=auth_token,
                   account_group_id=str(aid).strip() if aid not in (None, '') else None,
                   validate_certs=params.get('validate_certs', True), timeout=timeout, rate_limit_max_wait=max_wait)
