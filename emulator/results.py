# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deterministic result rows per layer, and the selection of rows for a time range.

Rows come out in a neutral shape (v6 field names plus ``agentId``/``roundId``/``startTime``/``endTime``);
the v6 and v7 modules add their own common fields. Every value is derived from
(testId, agentId, roundId, layer) through a seeded ``random.Random``, so a row reads the same on every call.
"""

import hashlib
import ipaddress
import random
from urllib.parse import urlsplit

from . import scenarios as faults
from .fields import CODECS, DSCP_NAMES, target_agent_ip, target_string
from .store import AGENTS_BY_ID

# v6 data path -> layer (v7 name); v6 body group and key per layer.
V6_PATHS = {
    "net/metrics": "network", "net/path-vis": "path-vis", "web/http-server": "http-server",
    "web/page-load": "page-load", "web/web-transactions": "web-transactions", "web/ftp-server": "ftp-server",
    "dns/trace": "dns-trace", "dns/server": "dns-server", "dns/dnssec": "dnssec",
    "voice/sip-server": "sip-server", "voice/rtp-stream": "rtp-server",
}
LAYER_TO_V6_PATH = {v: k for k, v in V6_PATHS.items()}
V6_KEYS = {
    "network": ("net", "metrics"), "path-vis": ("net", "pathVis"), "http-server": ("web", "httpServer"),
    "page-load": ("web", "pageLoad"), "web-transactions": ("web", "webTransaction"),
    "ftp-server": ("web", "ftpServer"), "dns-trace": ("dns", "trace"), "dns-server": ("dns", "server"),
    "dnssec": ("dns", "dnssec"), "sip-server": ("voice", "sipMetrics"), "rtp-server": ("voice", "metrics"),
}
V7_LAYERS = ("network", "path-vis", "http-server", "page-load", "web-transactions", "api", "ftp-server",
             "dns-trace", "dns-server", "dnssec", "sip-server", "rtp-server")


def _digest(*parts):
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()


def host_ip(host):
    """A stable public-looking address for a target name (the benchmark range 198.18.0.0/15)."""
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        digest = _digest("ip", host.lower())
        return "198.%d.%d.%d" % (18 + digest[0] % 2, digest[1], digest[2] % 254 + 1)


def _host_port(test):
    """(host, port or None, display server) of the test's target as the network layer shows it."""
    fields, ttype = test["fields"], test["type"]
    if ttype == "agent-to-server":
        host, port = fields["server"], fields.get("port")
    elif ttype in ("agent-to-agent", "voice"):
        host = target_agent_ip(fields["targetAgentId"])
        port = fields.get("port", 49152) if ttype == "agent-to-agent" else 49152
        if fields.get("protocol") == "icmp":
            port = None
    elif "url" in fields:
        parts = urlsplit(fields["url"])
        host = parts.hostname or ""
        default = {"https": 443, "ftp": 21}.get(parts.scheme.lower(), 80)
        port = parts.port or default
    elif ttype == "dns-server":
        host, port = fields["dnsServers"][0]["serverName"], 53
    elif ttype == "sip-server":
        creds = fields["targetSipCredentials"]
        host, port = creds["sipRegistrar"], creds["port"]
    else:
        host, port = fields.get("domain", "").split(" ")[0], 53
    if fields.get("protocol") == "icmp":
        port = None
    return host, port, ("%s:%d" % (host, port) if port else host)


def profile_for(test, profiles):
    """Merged overrides of every target_profiles key found in the test's target."""
    target = target_string(test)
    merged = {}
    for key, values in profiles.items():
        if key and key in target:
            merged.update(values)
    return merged


def _latency(test, agent_id, rng):
    base = 10 + _digest("lat", agent_id, target_string(test))[0] % 80
    avg = round(base + rng.uniform(0, 20), 1)
    return avg, round(max(avg - rng.uniform(0.5, 6), 1.0), 1), round(avg + rng.uniform(1, 15), 1)


def _network(test, agent, rng, profile, host):
    avg, low, high = _latency(test, agent["agentId"], rng)
    loss = 0.0 if rng.random() < 0.7 else round(rng.uniform(0, 1), 1)
    row = {"server": host[2], "serverIp": host_ip(host[0]), "loss": loss, "avgLatency": avg, "minLatency": low,
           "maxLatency": high, "jitter": round(rng.uniform(0.1, 5), 2), "errorDetails": ""}
    if "avgLatency" in profile:
        avg = float(profile["avgLatency"])
        row.update(avgLatency=avg, minLatency=round(avg * 0.9, 1), maxLatency=round(avg * 1.2, 1))
    if test["type"] == "agent-to-agent":
        row["direction"] = test["fields"].get("direction", "to-target")
    return row


def _path_vis(test, agent, rng, _profile, host):
    traces = test["fields"].get("numPathTraces", 3)
    source = agent["ipAddresses"][0]
    endpoints = []
    for index in range(traces):
        endpoints.append({"pathId": "%d-%d" % (agent["agentId"], index + 1), "ipAddress": host_ip(host[0]),
                          "numberOfHops": rng.randint(6, 16), "responseTime": rng.randint(8, 110)})
    return {"server": host[2], "serverIp": host_ip(host[0]), "sourceIp": source,
            "sourcePrefix": source.rsplit(".", 1)[0] + ".0/24", "endpoints": endpoints}


def _http(test, _agent, rng, profile, host):
    secure = test["fields"].get("url", "").lower().startswith("https")
    dns, conn = rng.randint(2, 30), rng.randint(5, 60)
    ssl = rng.randint(10, 80) if secure else 0
    wait, receive = rng.randint(20, 200), rng.randint(1, 40)
    response = dns + conn + ssl + wait
    size = rng.randint(8000, 60000)
    row = {"serverIp": host_ip(host[0]), "responseCode": 200, "numRedirects": 0, "redirectTime": 0,
           "dnsTime": dns, "sslTime": ssl, "connectTime": conn, "waitTime": wait, "receiveTime": receive,
           "wireSize": size, "responseTime": response, "throughput": int(size * 1000 / max(receive, 1)),
           "totalTime": response + receive, "errorType": "None", "errorDetails": ""}
    if secure:
        row.update(sslCipher="TLS_AES_128_GCM_SHA256", sslVersion="TLSv1.3")
    if "responseTime" in profile:
        row["totalTime"] = int(profile["responseTime"]) + receive
    return row


def _page_load(_test, _agent, rng, profile, _host):
    response = rng.randint(60, 400)
    dom = response + rng.randint(200, 900)
    row = {"responseTime": response, "totalSize": rng.randint(300000, 2500000), "numObjects": rng.randint(20, 90),
           "numErrors": 0, "domLoadTime": dom, "pageLoadTime": dom + rng.randint(100, 1500)}
    if "errorType" in profile:
        row.update(errorType=profile["errorType"], errorDetails=profile.get("errorDetails", ""), numErrors=1)
    return row


def _web_transactions(_test, _agent, rng, profile, _host):
    row = {"componentErrors": 0, "transactionTime": rng.randint(1500, 9000)}
    if "errorType" in profile:
        row.update(errorType=profile["errorType"], errorDetails=profile.get("errorDetails", ""), componentErrors=1)
    return row


def _api(_test, _agent, rng, profile, _host):
    row = {"apiTransactionTime": rng.randint(100, 1500), "completion": 100.0, "errorType": "None", "errorDetails": ""}
    if profile.get("errorType", "None") != "None":
        row["completion"] = 0.0
    return row


def _ftp(_test, _agent, rng, _profile, host):
    dns, conn, nego, wait = rng.randint(2, 30), rng.randint(5, 60), rng.randint(20, 120), rng.randint(10, 90)
    transfer, size = rng.randint(50, 900), rng.randint(20000, 900000)
    response = dns + conn + nego + wait
    return {"serverIp": host_ip(host[0]), "responseCode": 226, "dnsTime": dns, "connectTime": conn,
            "negotiationTime": nego, "waitTime": wait, "responseTime": response, "transferTime": transfer,
            "wireSize": size, "totalTime": response + transfer, "throughput": int(size * 1000 / transfer),
            "errorType": "None", "errorDetails": ""}


def _answer(test):
    name = test["fields"]["domain"].split(" ")[0].rstrip(".")
    return "%s (A)" % host_ip(name), name


def _dns_trace(test, _agent, rng, profile, _host):
    mapping, name = _answer(test)
    queries = rng.randint(3, 6)
    row = {"output": ". NS a.root-servers.net.\n%s. NS ns1.%s.\n%s" % (name.split(".")[-1], name, mapping),
           "errorDetails": "", "queries": queries, "failedQueries": 0, "finalServerQueried": "ns1.%s" % name,
           "finalQueryTime": rng.randint(5, 60), "mappings": mapping}
    if "dnsError" in profile:
        row.update(errorDetails=profile["dnsError"], failedQueries=queries, mappings="")
    return row


def _dns_server(test, _agent, rng, profile, _host, server):
    mapping = _answer(test)[0]
    row = {"serverId": server["serverId"], "server": server["serverName"], "resolutionTime": rng.randint(2, 80),
           "errorDetails": "", "queries": 1, "mappings": mapping}
    if "dnsError" in profile:
        row.update(errorDetails=profile["dnsError"], mappings="")
    return row


def _dnssec(_test, _agent, _rng, profile, _host):
    if "dnsError" in profile:
        return {"valid": 0, "errorDetails": profile["dnsError"]}
    return {"valid": 1, "errorDetails": ""}


def _sip(test, _agent, rng, profile, host):
    creds = test["fields"]["targetSipCredentials"]
    dns, conn, options = rng.randint(2, 30), rng.randint(5, 60), rng.randint(20, 150)
    row = {"authUser": creds.get("authUser", ""), "serverIp": host_ip(host[0]), "availability": 100.0,
           "dnsTime": dns, "optionsTime": options, "inviteTime": 0, "numRedirects": 0,
           "optionsRequest": "OPTIONS sip:%s SIP/2.0" % creds["sipRegistrar"], "optionsResponse": "SIP/2.0 200 OK",
           "registerTime": rng.randint(20, 120) if test["fields"].get("registerEnabled") else 0,
           "responseCode": 200, "responseTime": dns + conn + options, "totalTime": dns + conn + options + 5,
           "waitTime": options, "errorType": "None", "problemDetail": ""}
    if creds.get("protocol", "tcp") != "udp":
        row["connectTime"] = conn
    if profile.get("errorType", "None") != "None" or profile.get("responseCode", 200) >= 400:
        row.update(availability=0.0, problemDetail=profile.get("errorDetails", "SIP error"))
    return row


def _rtp(test, _agent, rng, profile, host):
    codec, dscp = test["fields"].get("codecId", 0), test["fields"].get("dscpId", 46)
    name, max_mos = CODECS[codec]
    loss = 0.0 if rng.random() < 0.7 else round(rng.uniform(0, 1), 1)
    row = {"serverIp": host_ip(host[0]), "dscp": dscp, "dscpName": "%s (DSCP %d)" % (DSCP_NAMES[dscp], dscp),
           "mos": round(max_mos - rng.uniform(0.05, 0.3), 2), "codecName": name, "codecMaxMos": max_mos,
           "loss": loss, "discards": 0.0, "latency": round(rng.uniform(10, 120), 1),
           "pdv": round(rng.uniform(0.1, 4), 2), "errorDetail": ""}
    if "avgLatency" in profile:
        row["latency"] = float(profile["avgLatency"])
    if "errorDetails" in profile:
        row["errorDetail"] = profile["errorDetails"]
    if "loss" in profile:
        row["mos"] = round(max(1.0, max_mos - float(profile["loss"]) / 10), 2)
    return row


GENERATORS = {"network": _network, "path-vis": _path_vis, "http-server": _http, "page-load": _page_load,
              "web-transactions": _web_transactions, "api": _api, "ftp-server": _ftp, "dns-trace": _dns_trace,
              "dnssec": _dnssec, "sip-server": _sip, "rtp-server": _rtp}
# Profile keys that only apply through the generators' own rules above.
_INDIRECT = ("avgLatency", "dnsError")


def _apply_profile(row, profile):
    """Every other profile key overrides the row field of the same name, where the layer has one."""
    for key, value in profile.items():
        if key in row and key not in _INDIRECT:
            row[key] = value
    return row


def _with_scenarios(test, agent, round_id, layer, row, scenarios):
    """The row with the target's fault scenarios applied (see scenarios.py); path-vis rows always, to match the detail."""
    if not scenarios and layer != "path-vis":
        return row
    row.update(faults.row_overrides(scenarios, target_string(test), agent, round_id, layer, row))
    return row


def rows_for_run(test, run, layer, profiles, scenarios=None):
    """Neutral rows of one run for one layer: one per reporting agent (per agent and server for dns-server)."""
    host = _host_port(test)
    profile = profile_for(test, profiles)
    rows = []
    for agent_id in sorted(run["agents"]):
        agent = AGENTS_BY_ID[agent_id]
        rng = random.Random("%s:%s:%s:%s" % (test["testId"], agent_id, run["roundId"], layer))
        start = run["roundId"] + rng.randint(0, 2)
        common = {"agentId": agent_id, "roundId": run["roundId"], "startTime": start,
                  "endTime": start + rng.randint(1, 5)}
        if layer == "dns-server":
            for server in test["fields"]["dnsServers"]:
                row = _apply_profile(_dns_server(test, agent, rng, profile, host, server), profile)
                rows.append(dict(common, **_with_scenarios(test, agent, run["roundId"], layer, row, scenarios)))
        else:
            row = _apply_profile(GENERATORS[layer](test, agent, rng, profile, host), profile)
            rows.append(dict(common, **_with_scenarios(test, agent, run["roundId"], layer, row, scenarios)))
    return rows


def select_rows(test, layer, start, end, profiles, when, scenarios=None):
    """Rows of visible runs whose roundId lies in [start, end]; with no range, the latest visible round only.

    Returns (rows, (start, end)) where the range is the one actually used (None, None when nothing is visible).
    Rows are ordered by roundId, agentId (and DNS server).
    """
    runs = [r for r in test["runs"] if r["visibleAt"] <= when]
    if start is None:
        # a round in which no agent reported (all offline) has no rows to show
        reported = [r for r in runs if r["agents"]]
        if not reported:
            return [], (None, None)
        start = end = reported[-1]["roundId"]
    rows = []
    for run in runs:
        if start <= run["roundId"] <= end:
            rows.extend(rows_for_run(test, run, layer, profiles, scenarios))
    return rows, (start, end)


def visible_run(test, round_id, when):
    """The run with this roundId once its rows are visible, else None."""
    for run in test["runs"]:
        if run["roundId"] == round_id and run["visibleAt"] <= when:
            return run
    return None


def path_detail(test, run, agent_id, profiles, scenarios=None):
    """The path-vis detail of one agent in one run (None when the agent did not report), neutral shape.

    ``pathTraces`` holds {pathId, hops}; v6 calls the list ``routes``. The traces are the scenarios' paths (healthy
    without a scenario), the same ones the layer's ``endpoints`` summarise.
    """
    summary = [row for row in rows_for_run(test, run, "path-vis", profiles, scenarios) if row["agentId"] == agent_id]
    if not summary:
        return None
    row = dict(summary[0])
    agent = AGENTS_BY_ID[agent_id]
    traces = faults.path_detail(scenarios or {}, target_string(test), agent, run["roundId"], row["serverIp"],
                                len(row.pop("endpoints")) or faults.TRACES)
    row["pathTraces"] = [{"pathId": trace["pathId"], "hops": [dict(hop, mpls="") for hop in trace["hops"]]} for trace in traces]
    return row


def page(rows, offset, size):
    """(rows of this page, offset of the next page or None)."""
    chunk = rows[offset:offset + size]
    nxt = offset + size if offset + size < len(rows) else None
    return chunk, nxt
