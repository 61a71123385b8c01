# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Time in result reading: ISO 8601 and epoch options, the start of a run, the time range of a query.

Private to this collection: may change at any time.
"""

from __future__ import annotations

import math
import re
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._errors import OptionError

WINDOW_PATTERN = re.compile(r'^[0-9]+[smhdw]?$')


def iso_utc(epoch):
    """``YYYY-MM-DDTHH:MM:SSZ`` for epoch seconds."""
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime(int(epoch)))


def _header(headers, name):
    if not headers:
        return None
    value = headers.get(name)
    if value is None and isinstance(headers, dict):
        for key, candidate in headers.items():
            if key.lower() == name.lower():
                return candidate
    return value


def started_at_from(local_before, headers):
    """Epoch seconds to use as ``since`` for a run asked for at local time ``local_before``.

    ``local_before`` is ``time.time()`` taken just before the POST. A round's ID is the server's clock at the
    start of the round, so a local clock that runs ahead would make ``since`` newer than the run itself: when
    the answer's Date header is more than one second earlier than ``local_before``, the Date minus one second
    is used instead.
    """
    started = int(math.floor(local_before))
    date = _header(headers, 'Date')
    if date:
        try:
            server = parsedate_to_datetime(date).timestamp()
        except (TypeError, ValueError, IndexError):
            server = None
        if server is not None and server < local_before - 1:
            started = int(math.floor(server)) - 1
    return started


def parse_time(value, option):
    """Epoch seconds (int) from ISO 8601 (``2026-11-26T10:00:00Z``) or epoch seconds (number or digit string).

    A time without a zone is taken as UTC. None stays None. Anything else raises OptionError naming ``option``.
    """
    if value is None or value == '':
        return None
    if isinstance(value, bool):
        raise OptionError('%s must be an ISO 8601 UTC time such as 2026-11-26T10:00:00Z or epoch seconds, got %r.' % (option, value))
    if isinstance(value, (int, float)):
        return int(math.floor(value))
    if isinstance(value, datetime):  # an unquoted YAML timestamp
        return int(math.floor((value if value.tzinfo else value.replace(tzinfo=timezone.utc)).timestamp()))
    text = str(value).strip()
    if re.match(r'^[0-9]+(\.[0-9]*)?$', text):
        return int(math.floor(float(text)))
    parsed = parse_iso(text)
    if parsed is None:
        raise OptionError('%s must be an ISO 8601 UTC time such as 2026-11-26T10:00:00Z or epoch seconds, got %r.' % (option, value))
    return int(math.floor(parsed.timestamp()))


def parse_iso(text):
    """An aware datetime from ISO 8601 (``Z``, an offset, or none for UTC; a space for ``T``), None when unreadable."""
    candidate = text.strip().replace(' ', 'T', 1)
    if candidate.endswith(('Z', 'z')):
        candidate = candidate[:-1] + '+00:00'
    try:
        parsed = datetime.fromisoformat(candidate)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def parse_window(value, option='window'):
    """The API's window string (``600``, ``10m``, ``1h``) from a number of seconds or such a string."""
    if value is None or value == '':
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return str(value)
    text = str(value).strip()
    if isinstance(value, bool) or not WINDOW_PATTERN.match(text) or int(re.sub('[smhdw]$', '', text)) == 0:
        raise OptionError('%s must be a positive number of seconds or a number followed by s, m, h, d or w (for example 10m or 1h), '
                          'got %r.' % (option, value))
    return text


def range_params(api, since=None, window=None, from_time=None, to_time=None):
    """The query parameters of the time range in ``api``'s spelling; ``since`` asks for a range that starts with it."""
    if window is not None and (from_time is not None or to_time is not None):
        raise OptionError('A time range is either a window or a start with an optional end, not both.')
    if to_time is not None and from_time is None:
        raise OptionError('An end of the time range needs a start.')
    if window is not None:
        return {'window': parse_window(window)}
    return api.range_params(from_time if from_time is not None else since, to_time)
