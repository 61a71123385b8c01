# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options of every module. The argument spec is plugins/module_utils/_connection.py.
    DOCUMENTATION = r'''
options:
  api_url:
    description:
      - Base URL of the ThousandEyes API, without the version.
      - Point it at the emulator that ships with the collection to try modules without an account.
      - If not set, the value of the E(TE_API_URL) environment variable is used.
    type: str
    default: https://api.thousandeyes.com
  api_version:
    description:
      - The API version to speak, V(v7) or V(v6). The same task options work with both; the modules translate them.
      - V(v7) accepts only bearer tokens (O(token)).
      - If not set, the value of the E(TE_API_VERSION) environment variable is used. Another value fails before any
        request, naming both.
    type: str
    default: v7
  token:
    description:
      - OAuth bearer token of a ThousandEyes user (Account Settings > Users and Roles > User API Tokens).
      - Give either O(token), or O(email) with O(auth_token); not both.
      - If not set, the value of the E(TE_TOKEN) environment variable is used.
    type: str
  email:
    description:
      - E-mail of the user, for HTTP Basic authentication with O(auth_token). API v6 only.
      - If not set, the value of the E(TE_EMAIL) environment variable is used.
    type: str
  auth_token:
    description:
      - Basic authentication API token of the user given by O(email) (not the login password). API v6 only.
      - If not set, the value of the E(TE_AUTH_TOKEN) environment variable is used.
    type: str
  account_group_id:
    description:
      - ID of the account group to work in, sent as C(aid) on every request, result polling included.
      - Without it the user's default account group is used.
      - If not set, the value of the E(TE_AID) environment variable is used.
    type: str
    aliases: [aid]
  validate_certs:
    description:
      - Whether to verify the TLS certificate of O(api_url). Turn off only for test instances.
      - If not set, the value of the E(TE_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  timeout:
    description:
      - Seconds to wait for the answer to each HTTP request.
      - If not set, the value of the E(TE_TIMEOUT) environment variable is used.
    type: int
    default: 30
  rate_limit_max_wait:
    description:
      - The longest total time, in seconds, that one task waits for exhausted rate-limit budgets to reset.
      - On HTTP 429 the module waits until the C(X-Organization-Rate-Limit-Reset) or
        C(X-Instant-Test-Rate-Limit-Reset) time and tries again; past this bound it fails and names the budget.
      - V(0) fails on the first 429.
      - If not set, the value of the E(TE_RATE_LIMIT_MAX_WAIT) environment variable is used.
    type: int
    default: 180
requirements:
  - requests >= 2.28
notes:
  - Proxies come from the usual E(HTTPS_PROXY) and E(NO_PROXY) environment variables.
  - Reads are retried with backoff on server errors and lost connections. Writes are never retried, except after
    HTTP 429, because the API has no idempotency key. HTTP 401 is never retried, because repeated 401s lock the account.
'''
