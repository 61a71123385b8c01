# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault scenarios: where a target's trouble is, as row values and path traces. Pure functions, standard library only.

Every value comes from (scenarios, target, agent, round, layer) alone, so a scenario reads the same on every call.
Nothing here imports the rest of the emulator: the server feeds in the generated row and the agent record.

Configuration
-------------
The key ``scenarios`` of ``POST /_emulator/config`` maps a substring of the test's target (its server, URL or
domain, as for ``target_profiles``) to one scenario or a list of them, applied in order::

    {"scenarios": {
        "api.example.com": {"fault": "hop", "hop": 7, "ip": "4.68.72.1", "rdns": "ae-1.lumen.example.net",
                            "network": "Lumen (AS 3356)", "loss": 12.0, "latency": 150, "agents": "all"},
        "shop.example.com": {"fault": "server", "status": 503, "wait_time": 2400},
        "www.example.org": {"fault": "dns", "error": "SERVFAIL", "resolution_time": 1800, "agents": [101, 102]},
        "intranet.example.com": {"fault": "agents", "agents": [105], "hop": 2, "loss": 20.0, "latency": 250}
    }}

A string names a scenario of ``PRESETS`` (``{"evil.example.com": "markup"}``: a path fault at a hop whose rdns and network name hold
HTML; ``"markup-dns"``: a DNS error detail that holds HTML; for reports that must show them as text).

``null`` for a key removes that target's scenarios (the config endpoint is an RFC 7386 merge patch).

Faults and their keys (``agents`` is ``"all"``, the default, or a list of agent IDs; only those agents see it):

- ``hop``: a lossy or slow hop in transit. ``hop`` (hop number where it starts, default 6), ``ip`` (default
  4.68.72.1), ``rdns`` (default ae-1.lumen.example.net), ``network`` (default ``Lumen (AS 3356)``), ``loss`` (%)
  and ``latency`` (ms added from that hop on); at least one of the two. The named hop takes that place in the
  traces of the agents it affects (clamped to before the destination). With ``loss`` 100 the hop is a blackhole:
  nothing gets through, so http-server and page-load rows get no answer (no status, a connect error) as for a
  server that is down.
- ``hop`` also takes ``ecmp``: more addresses of the same hop (load-balanced links); the traces of the agents it
  affects show the hop's addresses in turn (``ip`` first), so each agent's traces may stop at different ones.
- ``server``: a failing server. ``status`` (HTTP status of http-server rows), ``wait_time`` (ms of wait time,
  TTFB), ``loss`` (% at the destination: the destination stops answering some traces), ``down`` (true: the server
  takes no connection: network rows 100 % loss, http-server rows no status and a connect error, page-load rows the
  same error, and every trace stops at the site's edge router), ``silent`` (true: the destination drops the probes
  addressed to it, as firewalls and ICMP rate limits do, while the service answers: every trace ends with a ``*``
  reply after the site's edge, the rows are unaffected); at least one. ``edge`` (an address) puts the site's edge
  router there, in that address's own prefix, instead of in the destination's /24 (hosting networks often route a
  site through a router of their own range): same hop, same rdns and network name; with ``down`` every trace stops there.
- ``dns``: failing DNS. ``error`` (the resolver's answer, e.g. ``SERVFAIL``; resolution fails everywhere: DNS
  layers, http-server and page-load errors, network rows unreachable with no path) and ``resolution_time`` (ms
  of slow resolution); at least one.
- ``router``: a router that answers the probes addressed to it late or not at all while it forwards traffic in
  time (routers rate-limit and deprioritise those replies): the hops after it and the rows are unaffected.
  ``hop`` (default 3), ``reply_delay`` (ms added to that hop's own response time) or ``silent`` (true: the hop is a
  ``*`` reply, no address and no time); ``ip``, ``rdns``, ``network`` replace the hop only when given.
- ``agents``: a problem inside some agents' own network only. ``agents`` (a list, required), ``hop`` (default 1, the
  agent's own gateway), ``loss``, ``latency`` as for ``hop``; ``ip``, ``rdns``, ``network`` replace the hop only when
  given; without ``network`` the hop is in the agent's own network (that of its first hops) wherever it is.
- ``lan``: some agents sit behind a private LAN. ``agents`` (default all), ``hops`` (default 3): the first ``hops``
  hops of their paths are private addresses (10.x.y.1) with no name and no network, as a LAN's routers answer.
  Applied before the other faults of the target, so a fault in the LAN names its hop (``agents`` with ``hop`` and
  ``ip``).
- ``cdn``: the target is served by a CDN or anycast: each agent reaches its own edge, so the destination address
  (``serverIp`` of every row) and the site's edge router differ per agent (the same for the agents of one country).
- ``assertion``: an API test (v7 ``api``) whose assertion fails. ``step`` (the step whose assertion fails, default
  1), ``message`` (what failed, default ``status-code is 200``), ``completion`` (% of the steps completed, default
  0). The ``api`` rows get that completion, ``errorType`` ``Assertion`` and the message in ``errorDetails``.

Loss ``L`` % in a path makes ``ceil(L / 100 * traces)`` of the agent's traces (at least one) stop at the faulty
hop; the network rows get ``L`` as their loss and the latency added to avgLatency, minLatency and maxLatency.

Functions
---------
``validate(value)``: the normalised scenarios (defaults filled), or ScenarioError with a message to act on.
``for_target(scenarios, target)``: the scenarios that apply to a target string.
``row_overrides(scenarios, target, agent, round_id, layer, row)``: the fields to update in a generated row.
``path_detail(scenarios, target, agent, round_id, destination, traces=3)``: the traces of a path-vis detail,
``[{"pathId", "hops": [{"hop", "ipAddress", "prefix", "rdns", "network", "responseTime", "location"}]}]``, to
serve as v6 ``routes`` or v7 ``pathTraces``. ``endpoints(traces, destination)`` summarises them for the
path-vis layer rows. ``base_path(...)`` is the healthy path.

The healthy path has 8 to 12 hops: hops 1 and 2 are the agent's region (shared by the agents of one country),
hops 3 onwards belong to the agent's own transit, and the last two hops, the destination's edge router and the
destination, are the same for every agent. A path "shares no hop with the others after hop 2" when agents of one
region diverge after their region's hops.
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from http import HTTPStatus
from typing import Any

FAULTS = ("hop", "server", "dns", "agents", "router", "assertion", "lan", "cdn")
KEYS = {
    "hop": ("fault", "agents", "hop", "ip", "rdns", "network", "loss", "latency", "ecmp"),
    "server": ("fault", "agents", "status", "wait_time", "loss", "down", "silent", "edge"),
    "dns": ("fault", "agents", "error", "resolution_time"),
    "agents": ("fault", "agents", "hop", "ip", "rdns", "network", "loss", "latency"),
    "router": ("fault", "agents", "hop", "ip", "rdns", "network", "reply_delay", "silent"),
    "assertion": ("fault", "agents", "step", "message", "completion"),
    "lan": ("fault", "agents", "hops"),
    "cdn": ("fault", "agents"),
}
LAN_DEFAULT_HOPS = 3
HOP_DEFAULTS = {"hop": 6, "ip": "4.68.72.1", "rdns": "ae-1.lumen.example.net", "network": "Lumen (AS 3356)"}
NEAR_DEFAULT_HOP = 1
ROUTER_DEFAULT_HOP = 3
MIN_HOPS, MAX_HOPS = 8, 12
REGION_HOPS = 2
TRACES = 3

# Region codes for the reverse DNS names of the region hops.
CITY_CODES = {"DE": "fra", "GB": "lon", "US": "nyc", "SG": "sin", "JP": "tyo", "AU": "syd", "BR": "gru", "NL": "ams"}
CARRIERS = ("Telia Carrier (AS 1299)", "NTT America (AS 2914)", "Cogent (AS 174)", "GTT (AS 3257)", "Zayo (AS 6461)",
            "Tata Communications (AS 6453)", "Hurricane Electric (AS 6939)", "Orange (AS 5511)")
TARGET_NETWORK = "Example Hosting (AS 64510)"


# Named scenarios: a string in place of a scenario names one of these lists. Values from the API that hold markup,
# for reports that must show them as text: ``markup``, every agent loses packets at a transit hop whose rdns and
# network name are HTML (a path fault); ``markup-dns``, the resolver answers with an error detail that is HTML.
PRESETS: dict[str, list[dict[str, Any]]] = {
    "markup": [
        {"fault": "hop", "hop": 5, "ip": "198.51.100.66", "rdns": '<script>alert("rdns")</script>.example.net',
         "network": '<img src=x onerror=alert("network")> (AS 64666)', "loss": 34.0},
    ],
    "markup-dns": [
        {"fault": "dns", "error": 'SERVFAIL <img src=x onerror=alert("error")><script>alert("dns")</script>'},
    ],
}


class ScenarioError(ValueError):
    """A scenario configuration that cannot be applied; the message says what to change."""


# Validation ------------------------------------------------------------------------------------------

def _number(where: str, key: str, value: Any, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < low or (high is not None and value > high):
        bound = "from %s to %s" % (low, high) if high is not None else ">= %s" % low
        raise ScenarioError("%s: %s must be a number %s, got %r" % (where, key, bound, value))
    return float(value)


def _integer(where: str, key: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ScenarioError("%s: %s must be an integer from %d to %d, got %r" % (where, key, low, high, value))
    return value


def _text(where: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ScenarioError("%s: %s must be a non-empty string, got %r" % (where, key, value))
    return value.strip()


def _agents(where: str, value: Any, required: bool) -> Any:
    if value == "all" and not required:
        return "all"
    if isinstance(value, list) and value:
        agents = []
        for item in value:
            digits = isinstance(item, str) and item.strip().isascii() and item.strip().isdigit()
            if isinstance(item, bool) or not (isinstance(item, int) or digits):
                raise ScenarioError("%s: agents must list agent IDs (numbers), got %r" % (where, item))
            agents.append(int(item))
        return sorted(set(agents))
    wanted = "a non-empty list of agent IDs" if required else '"all" or a non-empty list of agent IDs'
    raise ScenarioError("%s: agents must be %s, got %r" % (where, wanted, value))


def _one(where: str, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ScenarioError("%s: a scenario must be an object with a fault, got %r" % (where, raw))
    fault = raw.get("fault")
    if fault not in FAULTS:
        raise ScenarioError("%s: fault must be one of %s, got %r" % (where, ", ".join(FAULTS), fault))
    unknown = sorted(set(raw) - set(KEYS[fault]))
    if unknown:
        raise ScenarioError("%s: unknown key%s %s for fault %r; its keys are %s" % (
            where, "s" if len(unknown) > 1 else "", ", ".join(unknown), fault, ", ".join(KEYS[fault])))
    scenario: dict[str, Any] = {"fault": fault, "agents": _agents(where, raw.get("agents", "all"), fault == "agents")}
    if fault == "router":
        return _router(where, raw, scenario)
    if fault == "lan":
        scenario["hops"] = _integer(where, "hops", raw.get("hops", LAN_DEFAULT_HOPS), 1, MAX_HOPS - 2)
        return scenario
    if fault == "cdn":
        return scenario
    if fault in ("hop", "agents"):
        defaults = HOP_DEFAULTS if fault == "hop" else {"hop": NEAR_DEFAULT_HOP}
        scenario["hop"] = _integer(where, "hop", raw.get("hop", defaults["hop"]), 1, MAX_HOPS - 1)
        for key in ("ip", "rdns", "network"):
            value = raw.get(key, defaults.get(key))
            scenario[key] = None if value is None else _text(where, key, value)
        if scenario["ip"] is not None:
            try:
                ipaddress.ip_address(scenario["ip"])
            except ValueError:
                raise ScenarioError("%s: ip must be an IP address, got %r" % (where, scenario["ip"])) from None
        scenario["loss"] = _number(where, "loss", raw.get("loss", 0), 0, 100)
        scenario["latency"] = _number(where, "latency", raw.get("latency", 0), 0)
        if fault == "hop" and "ecmp" in raw:
            scenario["ecmp"] = _addresses(where, raw["ecmp"])
        if not scenario["loss"] and not scenario["latency"]:
            raise ScenarioError("%s: a %s fault needs loss or latency above 0" % (where, fault))
    elif fault == "assertion":
        scenario.update(_assertion(where, raw))
    elif fault == "server":
        scenario["status"] = None if raw.get("status") is None else _integer(where, "status", raw["status"], 100, 599)
        scenario["wait_time"] = None if raw.get("wait_time") is None else _number(where, "wait_time", raw["wait_time"], 0)
        scenario["loss"] = _number(where, "loss", raw.get("loss", 0), 0, 100)
        for key in ("down", "silent"):
            scenario[key] = raw.get(key, False)
            if not isinstance(scenario[key], bool):
                raise ScenarioError("%s: %s must be true or false, got %r" % (where, key, scenario[key]))
        scenario["edge"] = None if raw.get("edge") is None else _text(where, "edge", raw["edge"])
        if scenario["edge"] is not None:
            try:
                ipaddress.ip_address(scenario["edge"])
            except ValueError:
                raise ScenarioError("%s: edge must be an IP address, got %r" % (where, scenario["edge"])) from None
        if scenario["status"] is None and scenario["wait_time"] is None and not scenario["loss"] and not scenario["down"] \
                and not scenario["silent"]:
            raise ScenarioError("%s: a server fault needs status, wait_time or loss (or down, or silent)" % where)
    else:
        scenario["error"] = None if raw.get("error") is None else _text(where, "error", raw["error"])
        scenario["resolution_time"] = (None if raw.get("resolution_time") is None
                                       else _number(where, "resolution_time", raw["resolution_time"], 0))
        if scenario["error"] is None and scenario["resolution_time"] is None:
            raise ScenarioError("%s: a dns fault needs error or resolution_time" % where)
    return scenario


def _addresses(where: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise ScenarioError("%s: ecmp must be a list of IP addresses, got %r" % (where, value))
    for item in value:
        try:
            ipaddress.ip_address(item)
        except (TypeError, ValueError):
            raise ScenarioError("%s: ecmp must be a list of IP addresses, got %r" % (where, item)) from None
    return [str(item) for item in value]


def _router(where: str, raw: dict[str, Any], scenario: dict[str, Any]) -> dict[str, Any]:
    """A router that answers the probes addressed to it late or not at all, while it forwards traffic in time."""
    scenario["hop"] = _integer(where, "hop", raw.get("hop", ROUTER_DEFAULT_HOP), 1, MAX_HOPS - 1)
    for key in ("ip", "rdns", "network"):
        scenario[key] = None if raw.get(key) is None else _text(where, key, raw[key])
    if scenario["ip"] is not None:
        try:
            ipaddress.ip_address(scenario["ip"])
        except ValueError:
            raise ScenarioError("%s: ip must be an IP address, got %r" % (where, scenario["ip"])) from None
    scenario["reply_delay"] = _number(where, "reply_delay", raw.get("reply_delay", 0), 0)
    silent = raw.get("silent", False)
    if not isinstance(silent, bool):
        raise ScenarioError("%s: silent must be true or false, got %r" % (where, silent))
    scenario["silent"] = silent
    if not scenario["reply_delay"] and not silent:
        raise ScenarioError("%s: a router fault needs reply_delay above 0 or silent: true" % where)
    return scenario


def _assertion(where: str, raw: dict[str, Any]) -> dict[str, Any]:
    return {"step": _integer(where, "step", raw.get("step", 1), 1, 100),
            "message": _text(where, "message", raw.get("message", "status-code is 200")),
            "completion": _number(where, "completion", raw.get("completion", 0), 0, 99.9)}


def validate(value: Any) -> dict[str, list[dict[str, Any]]]:
    """The scenarios with defaults filled in, each target's as a list; ScenarioError when something is wrong."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ScenarioError("scenarios must map a target substring to a scenario or a list of scenarios")
    normalised = {}
    for target, entries in value.items():
        if not isinstance(target, str) or not target.strip():
            raise ScenarioError("scenarios: every key must be a non-empty substring of a target")
        if isinstance(entries, str):
            if entries not in PRESETS:
                raise ScenarioError("scenarios[%r]: a scenario must be an object with a fault, or the name of a named scenario (%s), got %r"
                                    % (target, ", ".join(PRESETS), entries))
            entries = PRESETS[entries]
        items = entries if isinstance(entries, list) else [entries]
        if not items:
            raise ScenarioError("scenarios[%r]: give a scenario, a list of them, or null to remove the target" % target)
        normalised[target] = [_one("scenarios[%r]%s" % (target, "[%d]" % index if isinstance(entries, list) else ""), item)
                              for index, item in enumerate(items)]
    return normalised


def for_target(scenarios: dict[str, list[dict[str, Any]]], target: str) -> list[dict[str, Any]]:
    """The normalised scenarios whose key is part of the target, in key order then list order."""
    return [scenario for key, entries in (scenarios or {}).items() if key and key in (target or "") for scenario in entries]


def _affects(scenario: dict[str, Any], agent_id: Any) -> bool:
    return scenario["agents"] == "all" or int(agent_id) in scenario["agents"]


def _applying(scenarios: dict[str, list[dict[str, Any]]], target: str, agent_id: Any) -> list[dict[str, Any]]:
    return [scenario for scenario in for_target(scenarios, target) if _affects(scenario, agent_id)]


# Paths -----------------------------------------------------------------------------------------------

def _digest(*parts: Any) -> bytes:
    return hashlib.sha256(":".join(str(part) for part in parts).encode()).digest()


def _address(*parts: Any) -> str:
    """A stable address in 100.64.0.0/10 (shared address space: no real network's) for the parts."""
    digest = _digest("ip", *parts)
    return "100.%d.%d.%d" % (64 + digest[0] % 64, digest[1], digest[2] % 254 + 1)


def _prefix(ip: str) -> str:
    try:
        return str(ipaddress.ip_network(ip + ("/24" if ":" not in ip else "/64"), strict=False))
    except ValueError:
        return ""


def _edge(destination: str) -> str:
    """The destination's edge router: the first address of the destination's /24 (or the last when it is the first)."""
    try:
        address = ipaddress.ip_address(destination)
    except ValueError:  # a name: the emulator always passes an address, but stay total
        return _address("edge", destination)
    network = ipaddress.ip_network("%s/%d" % (destination, 24 if address.version == 4 else 64), strict=False)
    edge = network.network_address + 1
    return str(edge if edge != address else network.network_address + 2)


def _hop(number: int, ip: str, rtt: float, rdns: str | None, network: str | None, location: str | None) -> dict[str, Any]:
    hop: dict[str, Any] = {"hop": number, "ipAddress": ip, "prefix": _prefix(ip), "responseTime": int(round(rtt))}
    for key, value in (("rdns", rdns), ("network", network), ("location", location)):
        if value:
            hop[key] = value
    return hop


def path_length(target: str, agent: dict[str, Any]) -> int:
    """8 to 12 hops, the same for the agents of one country towards one target."""
    return MIN_HOPS + _digest("length", agent.get("countryId"), target)[0] % (MAX_HOPS - MIN_HOPS + 1)


def base_path(target: str, agent: dict[str, Any], destination: str, round_id: int = 0, trace: int = 0) -> list[dict[str, Any]]:
    """The healthy path from the agent to the destination (see the module docstring for its parts).

    ``agent`` needs ``agentId`` and ``countryId`` (``location`` is shown on the region hops when present).
    Round and trace change the round-trip times by a millisecond or two, never the addresses.
    """
    country = str(agent.get("countryId") or "XX")
    agent_id = agent["agentId"]
    city = CITY_CODES.get(country, country.lower())
    length = path_length(target, agent)
    carrier = CARRIERS[_digest("carrier", agent_id)[0] % len(CARRIERS)]
    carrier_name = carrier.split(" (")[0].lower().replace(" ", "")
    hops, rtt = [], 0.0
    for number in range(1, length + 1):
        step = _digest("rtt", agent_id, target, number)[0] % 9 + 1  # 1-9 ms per hop
        noise = _digest("noise", agent_id, target, round_id, trace, number)[0] % 3 * 0.5
        rtt += step
        if number <= REGION_HOPS:
            hop = _hop(number, _address("region", country, number), rtt + noise,
                       "%s%d.%s.cloud.example.net" % ("gw" if number == 1 else "core", number, city),
                       "Cloud Agents %s (AS 64496)" % country, agent.get("location"))
        elif number < length - 1:
            hop = _hop(number, _address("transit", agent_id, target, number), rtt + noise,
                       "et-%d.%s.%s.example.net" % (number, city, carrier_name), carrier, None)
        elif number == length - 1:
            hop = _hop(number, _edge(destination), rtt + noise, "edge1.%s" % _host(target), TARGET_NETWORK, None)
        else:
            hop = _hop(number, destination, rtt + noise, _host(target), TARGET_NETWORK, None)
        hops.append(hop)
    return hops


def _host(target: str) -> str:
    """The host of a URL, ``host:port`` or domain (``name TYPE``); an IPv6 address without its brackets."""
    text = (target or "").split("://", 1)[-1].split(" ", 1)[0].split("/", 1)[0]
    if text.startswith("["):
        return text[1:].split("]", 1)[0] or "target.example"
    if text.count(":") > 1:
        return text  # a bare IPv6 address
    return text.split(":", 1)[0] or "target.example"


def _stopped_traces(loss: float, traces: int) -> int:
    if loss <= 0:
        return 0
    return min(traces, max(1, math.ceil(loss / 100.0 * traces)))


def _fault_at(hops: list[dict[str, Any]], scenario: dict[str, Any], trace: int, traces: int, turn: int = 0) -> list[dict[str, Any]]:
    """A hop or agents fault applied to one trace: the named hop in place, latency from it on, a stop after it.

    With ``ecmp`` addresses the hop shows them in turn: trace ``trace`` of the agent whose turn is ``turn``."""
    at = min(scenario["hop"], len(hops) - 1)  # the destination stays the destination
    addresses = [scenario["ip"]] + list(scenario.get("ecmp") or []) if scenario.get("ip") else []
    changed = []
    for hop in hops:
        hop = dict(hop)
        if hop["hop"] == at and addresses:
            address = addresses[(trace + turn) % len(addresses)]
            hop.update(ipAddress=address, prefix=_prefix(address))
            for key in ("rdns", "network"):
                if scenario.get(key):
                    hop[key] = scenario[key]
                else:
                    hop.pop(key, None)
            hop.pop("location", None)
        if hop["hop"] == at and scenario["fault"] == "agents" and not scenario.get("network") and hops[0].get("network"):
            hop["network"] = hops[0]["network"]  # a problem inside the agents' own network: their first hops' AS
        if hop["hop"] >= at and "responseTime" in hop:  # a silent router's * reply has no time
            hop["responseTime"] = int(round(hop["responseTime"] + scenario["latency"]))
        changed.append(hop)
    if trace < _stopped_traces(scenario["loss"], traces):
        changed = [hop for hop in changed if hop["hop"] <= at]
    return changed


def _slow_router(hops: list[dict[str, Any]], scenario: dict[str, Any]) -> list[dict[str, Any]]:
    """A router fault applied to one trace: the hop's own answer comes late or not at all; the hops after it and
    the destination keep their times (the router forwards in time, it only deprioritises the probes addressed to it)."""
    at = min(scenario["hop"], len(hops) - 1)  # the destination stays the destination
    if not any(hop["hop"] == at for hop in hops):
        return hops  # the trace stopped before the router
    changed = []
    for hop in hops:
        hop = dict(hop)
        if hop["hop"] == at:
            if scenario["silent"]:
                hop = {"hop": at}  # a * reply: no address, no time
            else:
                if scenario.get("ip"):
                    hop.update(ipAddress=scenario["ip"], prefix=_prefix(scenario["ip"]))
                    hop.pop("location", None)
                for key in ("rdns", "network"):
                    if scenario.get(key):
                        hop[key] = scenario[key]
                hop["responseTime"] = int(round(hop["responseTime"] + scenario["reply_delay"]))
        changed.append(hop)
    return changed


def _lan(hops: list[dict[str, Any]], scenario: dict[str, Any], agent_id: Any) -> list[dict[str, Any]]:
    """The first hops of a trace as a private LAN's: 10.x.y.1 addresses, no name, no network, no location."""
    changed = []
    for hop in hops:
        if hop["hop"] <= min(scenario["hops"], len(hops) - 2):
            address = "10.%d.%d.1" % (int(agent_id) % 256, hop["hop"])
            hop = {"hop": hop["hop"], "ipAddress": address, "prefix": _prefix(address), "responseTime": hop["responseTime"]}
        changed.append(hop)
    return changed


def _server_path(hops: list[dict[str, Any]], scenario: dict[str, Any], destination: str, trace: int, traces: int) -> list[dict[str, Any]]:
    """A server fault applied to one trace: the site's edge router moved to ``edge``; the destination gone from a trace
    that stops at the edge (down, or one of the traces that loss stops), a * reply when it drops probes (silent)."""
    if scenario.get("edge"):
        edge = _edge(destination)
        hops = [dict(hop, ipAddress=scenario["edge"], prefix=_prefix(scenario["edge"])) if hop.get("ipAddress") == edge else hop
                for hop in hops]
    if scenario["down"] or trace < _stopped_traces(scenario["loss"], traces):
        return [hop for hop in hops if hop.get("ipAddress") != destination]
    if scenario["silent"]:
        return [hop if hop.get("ipAddress") != destination else {"hop": hop["hop"]} for hop in hops]
    return hops


def destination_of(scenarios: dict[str, list[dict[str, Any]]], target: str, agent: dict[str, Any], destination: str) -> str:
    """The address that answers the agent: its own edge of a CDN or anycast target (a ``cdn`` fault), else ``destination``."""
    if not any(scenario["fault"] == "cdn" for scenario in _applying(scenarios, target, agent["agentId"])):
        return destination
    digest = _digest("cdn", _host(target), agent.get("countryId"))
    return "198.%d.%d.%d" % (18 + digest[0] % 2, digest[1], digest[2] % 200 + 20)


def path_detail(scenarios: dict[str, list[dict[str, Any]]], target: str, agent: dict[str, Any], round_id: int, destination: str,
                traces: int = TRACES) -> list[dict[str, Any]]:
    """The agent's path traces in this round: the base path with the target's scenarios applied.

    Each trace is ``{"pathId": "<agentId>-<roundId>-<n>", "hops": [...]}``; a trace that stops short of the
    destination has no hops after the one where it stops. A DNS error leaves no traces (nothing to trace to).
    ``destination`` is the row's ``serverIp`` (already the agent's own edge for a ``cdn`` target).
    """
    applying = _applying(scenarios, target, agent["agentId"])
    if any(scenario["fault"] == "dns" and scenario["error"] for scenario in applying):
        return []
    # A LAN is where the path starts: the other faults apply to the path it begins.
    applying = [scenario for scenario in applying if scenario["fault"] == "lan"] + [
        scenario for scenario in applying if scenario["fault"] != "lan"]
    result = []
    for trace in range(traces):
        hops = base_path(target, agent, destination, round_id, trace)
        for scenario in applying:
            if scenario["fault"] in ("hop", "agents"):
                hops = _fault_at(hops, scenario, trace, traces, int(agent["agentId"]))
            elif scenario["fault"] == "lan":
                hops = _lan(hops, scenario, agent["agentId"])
            elif scenario["fault"] == "router":
                hops = _slow_router(hops, scenario)
            elif scenario["fault"] == "server":
                hops = _server_path(hops, scenario, destination, trace, traces)
        result.append({"pathId": "%s-%s-%d" % (agent["agentId"], round_id, trace + 1), "hops": hops})
    return result


def endpoints(traces: list[dict[str, Any]], destination: str) -> list[dict[str, Any]]:
    """The path-vis layer's summary of the traces: ``pathId``, ``ipAddress``, ``numberOfHops``, ``responseTime``."""
    summary = []
    for trace in traces:
        hops = trace["hops"]
        summary.append({"pathId": trace["pathId"], "ipAddress": destination, "numberOfHops": len(hops),
                        "responseTime": hops[-1].get("responseTime", 0) if hops else 0})
    return summary


# Rows ------------------------------------------------------------------------------------------------

def _http_times(row: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Response and total time recomputed from the phases (the emulator's rule: TTFB is DNS + connect + TLS + wait)."""
    merged = dict(row, **update)
    response = sum(int(round(merged.get(key) or 0)) for key in ("dnsTime", "connectTime", "sslTime", "waitTime"))
    update.update(responseTime=response, totalTime=response + int(round(merged.get("receiveTime") or 0)))
    return update


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _hop_row(layer: str, row: dict[str, Any], scenario: dict[str, Any], update: dict[str, Any]) -> None:
    latency, loss = scenario["latency"], scenario["loss"]
    current = dict(row, **update)
    if loss >= 100:
        _no_connection(layer, row, update)  # a blackhole: nothing gets through, as when the server is down
        return
    if layer == "network":
        if loss:
            update["loss"] = max(float(current.get("loss") or 0), loss)
        if latency:
            for key in ("avgLatency", "minLatency", "maxLatency"):
                if current.get(key) is not None:
                    update[key] = round(float(current[key]) + latency, 1)
    elif layer == "http-server" and latency:
        update["connectTime"] = int(round((current.get("connectTime") or 0) + latency))
        if current.get("sslTime"):
            update["sslTime"] = int(round(current["sslTime"] + latency))
        update["waitTime"] = int(round((current.get("waitTime") or 0) + latency))
        _http_times(row, update)
    elif layer == "page-load" and latency:
        for key in ("responseTime", "domLoadTime", "pageLoadTime"):
            if current.get(key) is not None:
                update[key] = int(round(current[key] + 3 * latency))


CONNECT_ERROR = "Connection timed out after 10000 ms"


def _no_connection(layer: str, row: dict[str, Any], update: dict[str, Any]) -> None:
    """No connection to the server (it is down, or a blackhole on the way drops everything): nothing answers on the
    network, no HTTP answer comes back."""
    current = dict(row, **update)
    if layer == "network":
        update.update(loss=100.0, avgLatency=0.0, minLatency=0.0, maxLatency=0.0, jitter=0.0)
    elif layer == "http-server":
        update.update(responseCode=0, errorType="Connect", errorDetails=CONNECT_ERROR, connectTime=0, sslTime=0, waitTime=0,
                      receiveTime=0, wireSize=0, throughput=0)
        _http_times(row, update)
    elif layer == "page-load":
        update.update(errorType="Connect", errorDetails=CONNECT_ERROR, numErrors=max(int(current.get("numErrors") or 0), 1))


def _server_row(layer: str, row: dict[str, Any], scenario: dict[str, Any], update: dict[str, Any]) -> None:
    current = dict(row, **update)
    if scenario["down"]:
        _no_connection(layer, row, update)
        return
    if layer == "network" and scenario["loss"]:
        update["loss"] = max(float(current.get("loss") or 0), scenario["loss"])
    elif layer == "http-server":
        if scenario["status"] is not None:
            update["responseCode"] = scenario["status"]
            if scenario["status"] >= 400:
                update.update(errorType="HTTP", errorDetails="HTTP/1.1 %d %s" % (scenario["status"], _reason(scenario["status"])))
        if scenario["wait_time"] is not None:
            update["waitTime"] = int(round(scenario["wait_time"]))
            _http_times(row, update)
    elif layer == "page-load":
        if scenario["status"] is not None and scenario["status"] >= 400:
            update.update(errorType="HTTP", errorDetails="HTTP/1.1 %d %s" % (scenario["status"], _reason(scenario["status"])),
                          numErrors=max(int(current.get("numErrors") or 0), 1))
        if scenario["wait_time"] is not None:
            for key in ("responseTime", "domLoadTime", "pageLoadTime"):
                if current.get(key) is not None:
                    update[key] = int(round(current[key] + scenario["wait_time"]))


def _dns_row(layer: str, row: dict[str, Any], scenario: dict[str, Any], update: dict[str, Any]) -> None:
    error, slow = scenario["error"], scenario["resolution_time"]
    current = dict(row, **update)
    message = "DNS resolution failed: %s" % error if error else None
    if layer == "dns-trace":
        if slow is not None:
            update["finalQueryTime"] = int(round(slow))
        if error:
            update.update(errorDetails=error, failedQueries=current.get("queries") or 1, mappings="")
    elif layer == "dns-server":
        if slow is not None:
            update["resolutionTime"] = int(round(slow))
        if error:
            update.update(errorDetails=error, mappings="")
    elif layer == "dnssec" and error:
        update.update(valid=0, errorDetails=error)
    elif layer == "http-server":
        if slow is not None:
            update["dnsTime"] = int(round(slow))
        if error:
            update.update(responseCode=0, errorType="DNS", errorDetails=message, connectTime=0, sslTime=0, waitTime=0,
                          receiveTime=0, wireSize=0, throughput=0)
        _http_times(row, update)
    elif layer == "page-load" and error:
        update.update(errorType="DNS", errorDetails=message, numErrors=max(int(current.get("numErrors") or 0), 1))
    elif layer == "network" and error:
        update.update(loss=100.0, avgLatency=0.0, minLatency=0.0, maxLatency=0.0, jitter=0.0, errorDetails=message)


def _assertion_row(layer: str, scenario: dict[str, Any], update: dict[str, Any]) -> None:
    if layer == "api":
        update.update(completion=float(scenario["completion"]), errorType="Assertion",
                      errorDetails="Assertion failed in step %d: %s" % (scenario["step"], scenario["message"]))


def row_overrides(scenarios: dict[str, list[dict[str, Any]]], target: str, agent: dict[str, Any], round_id: int, layer: str,
                  row: dict[str, Any]) -> dict[str, Any]:
    """The fields to update in one generated row (API field names, as the emulator's neutral rows have them).

    ``row`` is the row as generated without scenarios: derived values (response time from its phases, loss and
    latency on top of the base) are computed from it. For ``path-vis`` rows the ``endpoints`` come from
    ``path_detail`` with the row's ``serverIp``, with or without scenarios, so that summary and detail agree.
    Other layers that no scenario describes (ftp, sip, rtp, web-transactions) get no overrides; api rows only from
    an assertion fault.
    """
    update: dict[str, Any] = {}
    if row.get("serverIp"):
        edge = destination_of(scenarios, target, agent, row["serverIp"])
        if edge != row["serverIp"]:
            update["serverIp"] = edge
    if layer == "path-vis":
        # Always, so that the layer's summary matches the detail the emulator serves, healthy or not.
        destination = update.get("serverIp") or row.get("serverIp") or "198.18.0.1"
        update["endpoints"] = endpoints(path_detail(scenarios, target, agent, round_id, destination,
                                                    len(row.get("endpoints") or []) or TRACES), destination)
        return update
    applying = _applying(scenarios, target, agent["agentId"])
    for scenario in applying:
        if scenario["fault"] in ("lan", "cdn"):
            continue  # where the path starts and which edge answers change no measurement
        if scenario["fault"] in ("hop", "agents"):
            _hop_row(layer, row, scenario, update)
        elif scenario["fault"] == "server":
            _server_row(layer, row, scenario, update)
        elif scenario["fault"] == "router":
            continue  # the router forwards in time: the measurements through it are not affected
        elif scenario["fault"] == "assertion":
            _assertion_row(layer, scenario, update)
        else:
            _dns_row(layer, row, scenario, update)
    return update
