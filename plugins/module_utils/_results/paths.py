# -*- coding: utf-8 -*-
# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Path traces of a path-vis detail in one shape, whichever API version sent them.

Private to this collection: may change at any time. v6 calls the list ``routes``, v7 ``pathTraces``; the hop objects
share their field names. The providers in ``_api/`` pick the list out of their envelope and hand it here.

A trace is ``{'path_id', 'destination', 'reached': bool, 'hops': [hop, ...]}``; a hop is ``{'hop': int, 'ip',
'prefix', 'rdns', 'network', 'location', 'mpls', 'response_time': float|None}``, ``ip`` None for a ``*`` reply.
"""

from __future__ import annotations

import ipaddress
from typing import Any, Dict, List, Optional

from ansible_collections.netdiag.thousandeyes.plugins.module_utils._rules import parse_number


def _text(value: Any) -> Optional[str]:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def normalise_hops(hops: Any) -> List[Dict[str, Any]]:
    """The API's hop objects in the one hop shape; a missing hop number is the hop's position."""
    normalised = []
    entries = [raw for raw in hops if isinstance(raw, dict)] if isinstance(hops, list) else []
    for position, raw in enumerate(entries, start=1):
        number = parse_number(raw.get('hop'), int)
        normalised.append(dict(hop=number if number is not None else position, ip=_text(raw.get('ipAddress')),
                               prefix=_text(raw.get('prefix')), rdns=_text(raw.get('rdns')), network=_text(raw.get('network')),
                               location=_text(raw.get('location')), mpls=_text(raw.get('mpls')),
                               response_time=parse_number(raw.get('responseTime'))))
    return normalised


def in_prefix(address: Any, prefix: Any) -> bool:
    """Whether the address lies in the prefix (``198.18.7.0/24``); False for anything that is not an address or a prefix."""
    try:
        return ipaddress.ip_address(str(address)) in ipaddress.ip_network(str(prefix), strict=False)
    except ValueError:
        return False


def arrives(hops: List[Dict[str, Any]], destination: Optional[str]) -> bool:
    """Whether a trace arrives: its last answering hop is the destination, or in the destination's prefix (a destination
    that drops the probes addressed to it leaves the trace at its site's edge, which is not a stop)."""
    answered = [hop for hop in hops if hop.get('ip')]
    if not answered or destination is None:
        return False
    last = answered[-1]
    return last['ip'] == destination or (bool(last.get('prefix')) and in_prefix(destination, last['prefix']))


def normalise_traces(paths: Any, destination: Any) -> List[Dict[str, Any]]:
    """One detail row's trace list (v6 ``routes`` or v7 ``pathTraces``) and its ``serverIp``, normalised."""
    destination = _text(destination)
    traces = []
    for path in paths if isinstance(paths, list) else []:
        if not isinstance(path, dict):
            continue
        hops = normalise_hops(path.get('hops'))
        traces.append(dict(path_id=_text(path.get('pathId')), destination=destination, reached=arrives(hops, destination), hops=hops))
    return traces
