# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Small rules that the modules and the diagnose role share, each written once.

Private to this collection: may change at any time. The ``host`` / ``host:port`` pattern, the host name rules,
closest-name matching,
the number parser of result fields, the ``ok`` judgement of a response code, and the URL and DNS type sets.
"""

from __future__ import annotations

import difflib
import ipaddress
import re
from typing import List, Optional, Tuple

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError
from ansible_collections.netdiag.thousandeyes.plugins.module_utils._model import DNS_TYPES, URL_TYPES  # noqa: F401 pylint: disable=unused-import

# ``[v6::addr]:port`` or ``host:port``; a bare IPv6 address matches neither.
BRACKETED_HOST_PORT = re.compile(r'^\[(?P<host>[^\]]+)\](?::(?P<port>[^:]*))?$')
HOST_PORT = re.compile(r'^(?P<host>[^:]+)(?::(?P<port>[^:]*))?$')


def ascii_digits(text: str) -> bool:
    """Whether ``text`` is a non-empty run of 0-9: str.isdigit() also takes digits such as "³" that int() refuses."""
    return text.isascii() and text.isdigit()


def split_host_port(value: str, option: str) -> Tuple[str, Optional[int]]:
    """``host`` or ``host:port`` (``[v6::addr]:port`` too) -> (host, port or None); OptionError naming ``option``."""
    value = value.strip()
    match = BRACKETED_HOST_PORT.match(value) or HOST_PORT.match(value)
    if not match:
        return value, None  # a bare IPv6 address
    port = match.group('port')
    if port is None:
        return match.group('host'), None
    if not ascii_digits(port):
        raise OptionError('%s: the port in %r must be a number from 1 to 65535.' % (option, value))
    return match.group('host'), int(port)


# One label of a host name in ASCII: letters, digits, hyphens and underscores (service names), no hyphen at either end.
HOST_LABEL = re.compile(r'^[A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?$')
MAX_LABEL_LENGTH = 63
MAX_HOST_LENGTH = 253


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def ascii_host(host: str, option: str) -> str:
    """A host name or IP address as the API takes it: international labels as punycode (IDNA), e.g. ``xn--bcher-kva``.

    OptionError naming ``option`` for spaces, empty labels, labels over 63 characters or other characters than
    letters, digits, hyphens and underscores. Shared by the modules and the diagnose role.
    """
    text = host.strip()
    if is_ip_address(text):
        return text
    if not text:
        raise OptionError('%s: the host name is empty.' % option)
    if re.search(r'\s', text):
        raise OptionError('%s: %r has spaces, which no host name has; give one host (for example www.example.com).' % (option, host))
    labels = text[:-1].split('.') if text.endswith('.') else text.split('.')
    ascii_labels = []
    for label in labels:
        if not label:
            raise OptionError('%s: %r has an empty label (two dots in a row, or a dot at the start).' % (option, host))
        if label.isascii():
            ascii_label = label
        else:
            try:
                ascii_label = label.encode('idna').decode('ascii')
            except UnicodeError:
                raise OptionError('%s: %r is not a valid international host name label in %r.' % (option, label, host)) from None
        if len(ascii_label) > MAX_LABEL_LENGTH:
            raise OptionError('%s: the label %r of %r has %d characters; a host name label has at most %d.'
                              % (option, label, host, len(ascii_label), MAX_LABEL_LENGTH))
        if not HOST_LABEL.match(ascii_label):
            raise OptionError('%s: %r is not a valid host name: the label %r may hold only letters, digits, hyphens and underscores, '
                              'and no hyphen at either end.' % (option, host, label))
        ascii_labels.append(ascii_label)
    name = '.'.join(ascii_labels)
    if len(name) > MAX_HOST_LENGTH:
        raise OptionError('%s: %r has %d characters; a host name has at most %d.' % (option, host, len(name), MAX_HOST_LENGTH))
    return name


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
