# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The API providers, one per version, chosen in one place.

Private to this collection: may change at any time.
"""

from __future__ import annotations

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.base import ThousandEyesApi
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.v6 import ApiV6
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._api.v7 import ApiV7

PROVIDERS = {'v6': ApiV6, 'v7': ApiV7}
API_VERSIONS = tuple(PROVIDERS)


def provider_for(api_version: str, api_url: str, transport=None) -> ThousandEyesApi:
    """The provider of ``api_version`` (one of API_VERSIONS) for ``api_url``, sending through ``transport``."""
    return PROVIDERS[api_version](api_url, transport)
