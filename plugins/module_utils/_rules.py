# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small rules that the modules and the diagnose role share, each written once.

Private to this collection: may change at any time. The ``host`` / ``host:port`` pattern, closest-name matching,
the number parser of result fields, the ``ok`` judgement of a response code, and the URL and DNS type sets.
"""

from __future__ import annotations

import difflib
import re
from typing import List, Optional, Tuple

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import DNS_TYPES, URL_TYPES  # noqa: F401 pylint: disable=unused-import

# ``[v6::addr]:port`` or ``host:port``; a bare IPv6 address matches neither.
BRACKETED_HOST_PORT = re.compile(r'^\[(?P<host>[^\]]+)\](?::(?P<port>[^:]*))?$')
HOST_PORT = re.compile(r'^(?P<host>[^:]+)(?::(?P<port>[^:]*))?$')


def split_host_port(value: str, option: str) -> Tuple[str, Optional[int]]:
    """``host`` or ``host:port`` (``[v6::addr]:port`` too) -> (host, port or None); OptionError naming ``option``."""
    value = value.strip()
    match = BRACKETED_HOST_PORT.match(value) or HOST_PORT.match(value)
    if not match:
        return value, None  # a bare IPv6 address
    port = match.group('port')
    if port is None:
        return match.group('host'), None
    if not port.isdigit():
        raise OptionError('%s: the port in %r must be a number from 1 to 65535.' % (option, value))
    return match.group('host'), int(port)


def closest_names(name: str, names: List[str], limit: int = 5) -> List[str]:
    """Up to ``limit`` of ``names`` closest to ``name``: similar spellings first, then names that contain it."""
    close = difflib.get_close_matches(name, names, n=limit, cutoff=0.4)
    close += [candidate for candidate in names if name.strip().lower() in candidate.lower() and candidate not in close]
    return close[:limit]


def parse_number(value, kind=float):
    """A number of a result field (``kind`` float or int), None for missing, empty, boolean or unreadable values."""
    if value is None or isinstance(value, bool) or value == '':
        return None
    try:
        return kind(value) if kind is float else int(float(value))
    except (TypeError, ValueError):
        return None


def response_code_ok(layer: str, code: Optional[int], test: Optional[dict] = None) -> bool:
    """Whether a response code of ``layer`` (http-server, ftp-server, sip-server) counts as a success."""
    if code is None:
        return False
    if layer == 'http-server':
        desired = str((test or {}).get('desiredStatusCode') or '').strip()
        if desired and desired.lower() != 'default':
            return str(code) == desired
        return 200 <= code < 400
    if layer == 'ftp-server':
        return 100 <= code < 400
    return 200 <= code < 300  # SIP: only a final 2xx answers OPTIONS or REGISTER
