# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API v7 Endpoint Agent calls: endpoint agents, endpoint instant tests (agent-to-server, http-server), their reruns
and results (network with the machine's network profile, path-vis, http-server).

Shapes follow the Endpoint Agents, Endpoint Instant Scheduled Tests and Endpoint Test Results OpenAPI 7.0.100 (SDK
packages ``thousandeyes-sdk-endpoint-*`` 6.0.0). Endpoint test IDs are numbers as strings, endpoint agent IDs UUIDs.

Configuration (``POST /_emulator/config``):

- ``endpoint_scenarios`` maps an endpoint agent ID or name to a scenario of ``ENDPOINT_SCENARIOS`` (or a list of
  them): ``weak-wifi`` (RSSI -82 dBm, SNR 9 dB, 60 ms more latency, more jitter, 8 % loss), ``slow-vpn`` (the VPN adds
  350 ms), ``lossy-gateway`` (the home gateway, hop 1, loses 15 % of the packets: one path trace of three stops
  there), ``lossy-isp`` (the home network is fine, the ISP's edge beyond the gateway loses 12 %: one path trace of
  three stops there), ``busy-cpu`` (CPU at 97 %). Path-vis hops carry no loss (EndpointPathVisHop): loss shows as
  traces that stop short, each round's detail holding ``PATH_TRACES`` iterations (one ``pathId`` each).
- ``endpoint_tests_listed`` (default true): whether ``GET /endpoint/tests/scheduled-tests`` lists the endpoint
  instant tests (UNCONFIRMED on the live API); false answers the list without them.
"""

import hashlib

from .common import BadRequest, Response, iso, problem
from .endpoint_agents import ENDPOINT_AGENTS, ENDPOINT_AGENTS_BY_ID, ENDPOINT_TAGS
from .store import now

TYPES = ("agent-to-server", "http-server")
SELECTOR_TYPES = ("all-agents", "specific-agents", "agent-labels", "agent-tags")
IP_VERSIONS = ("V4_ONLY", "V6_ONLY", "V6_PREFER", "OS_DEFAULT")
PROTOCOLS = ("icmp", "icmp-with-tcp-connect", "tcp", "prefer-tcp", "ast-autodetect", "autodetect")
COMMON_KEYS = ("testName", "agentSelectorType", "agents", "endpointAgentLabels", "tagIds", "maxMachines", "ipVersion")
TYPE_KEYS = {
    "agent-to-server": ("server", "serverName", "port"),
    "http-server": ("url", "authType", "hasPathTraceInSession", "httpTimeLimit", "protocol", "username", "sslVersionId",
                    "tcpProbeMode", "verifyCertificate", "hasPing", "hasTraceroute", "networkMeasurements",
                    "targetResponseTime", "password"),
}
INT_KEYS = ("maxMachines", "port", "httpTimeLimit", "targetResponseTime")
BOOL_KEYS = ("hasPathTraceInSession", "verifyCertificate", "hasPing", "hasTraceroute", "networkMeasurements")
ENUMS = {"agentSelectorType": SELECTOR_TYPES, "ipVersion": IP_VERSIONS, "protocol": PROTOCOLS,
         "authType": ("none", "basic", "ntlm"), "tcpProbeMode": ("auto", "sack", "syn"),
         "sslVersionId": ("0", "3", "4", "5", "6")}
# Echoed back by the answer, when the request sent them (password is write-only).
ANSWER_KEYS = ("port", "protocol", "ipVersion", "networkMeasurements", "authType", "httpTimeLimit", "username",
               "sslVersionId", "verifyCertificate", "hasPathTraceInSession")
GATEWAY = "192.168.1.1"
ISP_EDGE = "198.18.0.1"
# Path trace iterations per round in the path-vis detail; in a lossy scenario the last one stops short.
PATH_TRACES = 3


def _invalid(ctx, field, message):
    return problem(ctx, 400, message, [{"code": "INVALID_VALUE", "field": field, "message": message}])


def _parse(ctx, ttype, body):
    """(definition, None) or (None, a 400 answer)."""
    if not isinstance(body, dict):
        return None, _invalid(ctx, "", "The request body must be a JSON object")
    for key in body:
        if key not in COMMON_KEYS + TYPE_KEYS[ttype]:
            return None, _invalid(ctx, key, "Unknown field %s" % key)
    required = ("testName", "server") if ttype == "agent-to-server" else ("testName", "url")
    for key in required:
        if not isinstance(body.get(key), str) or not body[key].strip():
            return None, _invalid(ctx, key, "%s is required" % key)
    for key, allowed in ENUMS.items():
        if key in body and body[key] not in allowed:
            return None, _invalid(ctx, key, "%s must be one of %s" % (key, ", ".join(allowed)))
    for key in INT_KEYS:
        if key in body and (isinstance(body[key], bool) or not isinstance(body[key], int) or body[key] < 1):
            return None, _invalid(ctx, key, "%s must be a positive integer" % key)
    for key in BOOL_KEYS:
        if key in body and not isinstance(body[key], bool):
            return None, _invalid(ctx, key, "%s must be true or false" % key)
    selector = body.get("agentSelectorType", "all-agents")
    agents = body.get("agents") or []
    tags = body.get("tagIds") or []
    if not isinstance(agents, list) or not all(isinstance(a, str) for a in agents):
        return None, _invalid(ctx, "agents", "agents must be a list of endpoint agent IDs")
    if selector == "specific-agents":
        if not agents:
            return None, _invalid(ctx, "agents", "agents is required with agentSelectorType specific-agents")
        unknown = [a for a in agents if a not in ENDPOINT_AGENTS_BY_ID]
        if unknown:
            return None, _invalid(ctx, "agents", "Unknown endpoint agent %s" % unknown[0])
        chosen = list(dict.fromkeys(agents))
    elif selector == "agent-tags":
        known = set(ENDPOINT_TAGS.values())
        if not tags or not isinstance(tags, list) or any(t not in known for t in tags):
            return None, _invalid(ctx, "tagIds", "tagIds must name known endpoint agent tags")
        chosen = [a["id"] for a in ENDPOINT_AGENTS if any(ENDPOINT_TAGS[t] in tags for t in a["tags"])]
    elif selector == "agent-labels":
        chosen = []
    else:
        chosen = [a["id"] for a in ENDPOINT_AGENTS]
    chosen = chosen[:body.get("maxMachines", 25)]
    if ttype == "http-server" and body.get("authType") in ("basic", "ntlm") and not body.get("username"):
        return None, _invalid(ctx, "username", "username is required with authType %s" % body["authType"])
    return {"type": ttype, "testName": body["testName"], "selector": selector, "agents": chosen, "tagIds": list(tags),
            "maxMachines": body.get("maxMachines", 25), "body": body}, None


def _target(test):
    body = test["body"]
    return body.get("url") or body.get("server")


def _server(test):
    target = _target(test)
    if "://" in target:
        target = target.split("://", 1)[1]
    return target.split("/", 1)[0].split(":", 1)[0]


def test_shape(ctx, test):
    body = test["body"]
    selector = {"agentSelectorType": test["selector"], "maxMachines": test["maxMachines"]}
    if test["selector"] == "specific-agents":
        selector["agents"] = list(body.get("agents") or [])
    elif test["selector"] == "agent-tags":
        selector["tagIds"] = list(test["tagIds"])
    row = {"aid": str(test["aid"]), "testId": str(test["testId"]), "testName": test["testName"], "type": test["type"],
           "createdDate": iso(test["created"]), "isEnabled": True, "isSavedEvent": False,
           "agentSelectorConfig": selector, "server": _server(test)}
    if test["type"] == "http-server":
        row["url"] = body["url"]
    for key in ANSWER_KEYS:
        if key in body:
            row[key] = body[key]
    layers = ["network", "path-vis"] + (["http-server"] if test["type"] == "http-server" else [])
    base = "/v7/endpoint/test-results/scheduled-tests/%d/" % test["testId"]
    row["_links"] = {"self": {"href": ctx.url("/v7/endpoint/tests/scheduled-tests/%s/%d" % (test["type"], test["testId"]))},
                     "testResults": [{"href": ctx.url(base + layer + ("/filter" if layer == "network" else ""))}
                                     for layer in layers]}
    return row


# -- state ---------------------------------------------------------------------------------------------------
def _tests(state):
    return state.endpoint_tests


def _start_run(state, test):
    when = now()
    round_id = int(when)
    if test["runs"]:
        round_id = max(round_id, test["runs"][-1]["roundId"] + 1)
    reporting = [a for a in test["agents"] if ENDPOINT_AGENTS_BY_ID[a]["online"]]
    test["runs"].append({"roundId": round_id, "visibleAt": when + state.config["result_delay"], "agents": reporting})


def _find(ctx, test_id):
    test = _tests(ctx.state).get(int(test_id))
    if test is None or test["aid"] != ctx.aid:
        return None
    return test


def scenarios_for(state, agent):
    """The endpoint scenarios configured for this agent (by ID or name), in order."""
    config = state.config.get("endpoint_scenarios") or {}
    found = config.get(agent["id"], config.get(agent["name"], []))
    return [found] if isinstance(found, str) else list(found)


# -- rows -------------------------------------------------------------------------------------------------------
def _spread(seed, low, high):
    digest = hashlib.sha256(seed.encode()).digest()
    return low + (high - low) * digest[0] / 255.0


def _machine(state, agent, round_id):
    """The fields every endpoint result row carries about the machine: network profile, VPN, system metrics."""
    chosen = scenarios_for(state, agent)
    seed = "%s/%d" % (agent["id"], round_id)
    profile = {"ipAddress": "192.168.1.%d" % (20 + ENDPOINT_AGENTS.index(agent)), "subnetMask": "255.255.255.0",
               "publicIpAddress": agent["publicIP"], "localPrefix": "192.168.1.0/24", "gateway": GATEWAY,
               "dnsServers": [GATEWAY], "hardwareType": agent["interface"],
               "interfaceName": "en0" if agent["interface"] == "wireless" else "eth0"}
    if agent["interface"] == "wireless":
        weak = "weak-wifi" in chosen
        rssi = -82 if weak else -52 - int(_spread(seed, 0, 6))
        noise = -91
        profile["wirelessProfile"] = {"ssid": "home-%s" % agent["name"].split("-")[0], "bssid": "aa:bb:cc:00:11:%02x"
                                      % ENDPOINT_AGENTS.index(agent), "channel": 6 if weak else 44,
                                      "phyMode": "802.11n" if weak else "802.11ax", "rssi": rssi, "noise": noise,
                                      "snr": rssi - noise, "quality": 20 if weak else 85, "txRate": 26 if weak else 573,
                                      "vendor": "Example Wireless"}
    cpu = 0.97 if "busy-cpu" in chosen else round(_spread(seed + "cpu", 0.08, 0.25), 2)
    row = {"networkProfile": profile,
           "systemMetrics": {"cpuUtilization": {"min": round(cpu * 0.8, 2), "max": min(1.0, round(cpu * 1.02, 2)),
                                                "mean": cpu, "median": cpu, "stdDev": 0.03, "count": 12},
                             "physicalMemoryUsedBytes": {"min": 6.1e9, "max": 6.4e9, "mean": 6.2e9, "median": 6.2e9,
                                                         "stdDev": 8.0e7, "count": 12},
                             "physicalMemoryTotalBytes": 17179869184},
           "userProfile": {"userName": agent["user"].split("@")[0], "userPrincipalName": agent["user"]},
           "platform": agent["platform"]}
    if agent["vpn"] or "slow-vpn" in chosen:
        row["vpnProfile"] = {"vpnClientAddresses": ["10.255.0.%d" % (10 + ENDPOINT_AGENTS.index(agent))],
                             "vpnClientNetworkRange": ["10.255.0.0/16"], "vpnGatewayAddress": "203.0.113.200",
                             "vpnType": agent["vpn"] or "cisco-anyconnect"}
    return row


def _network_values(state, agent, round_id):
    chosen = scenarios_for(state, agent)
    seed = "%s/%d" % (agent["id"], round_id)
    latency = round(_spread(seed + "lat", 18, 30), 1)
    jitter = round(_spread(seed + "jit", 0.5, 2.5), 1)
    loss = 0.0
    if "weak-wifi" in chosen:
        latency, jitter, loss = latency + 60, jitter + 25, loss + 8.0
    if "slow-vpn" in chosen:
        latency += 350
    if "lossy-gateway" in chosen:
        loss += 15.0
    if "lossy-isp" in chosen:
        loss += 12.0
    return {"loss": loss, "avgLatency": round(latency, 1), "minLatency": round(latency * 0.8, 1),
            "maxLatency": round(latency * 1.6 + jitter, 1), "jitter": round(jitter, 1)}


def _hops(state, agent, test, round_id):
    chosen = scenarios_for(state, agent)
    values = _network_values(state, agent, round_id)
    hops = [{"hop": 1, "ipAddress": GATEWAY, "prefix": "192.168.1.0/24", "rdns": "home-gateway.lan", "network": "",
             "responseTime": 30 if "lossy-gateway" in chosen else 2 + (35 if "weak-wifi" in chosen else 0),
             "location": agent["location"]}]
    if "slow-vpn" in chosen or agent["vpn"]:
        hops.append({"hop": 2, "ipAddress": "203.0.113.200", "prefix": "203.0.113.0/24", "rdns": "vpn.example.com",
                     "network": "Example Corp (AS 64510)", "responseTime": int(values["avgLatency"] * 0.8),
                     "location": "Paris, France"})
    hops.append({"hop": len(hops) + 1, "ipAddress": ISP_EDGE, "prefix": "198.18.0.0/24", "rdns": "edge.isp.example.net",
                 "network": "Example ISP (AS 64501)", "responseTime": int(values["avgLatency"] * 0.9), "location": ""})
    hops.append({"hop": len(hops) + 1, "ipAddress": _server_ip(test), "prefix": _server_ip(test).rsplit(".", 1)[0] + ".0/24",
                 "rdns": _server(test), "network": "Example Hosting (AS 64502)", "responseTime": int(values["avgLatency"]),
                 "location": ""})
    return hops


def _path_traces(state, agent, test, round_id):
    """The round's path trace iterations: the first arrives; in a lossy scenario the last stops where the loss starts
    (after the gateway, after the ISP's edge, or, on weak Wi-Fi, before any hop answers: hops without an address are
    the ones that did not reply)."""
    chosen = scenarios_for(state, agent)
    hops = _hops(state, agent, test, round_id)
    stop_after = None
    if "lossy-gateway" in chosen:
        stop_after = GATEWAY
    elif "lossy-isp" in chosen:
        stop_after = ISP_EDGE
    elif "weak-wifi" in chosen:
        stop_after = ""
    traces = []
    for index in range(PATH_TRACES):
        trace = [dict(hop) for hop in hops]
        if stop_after is not None and index == PATH_TRACES - 1:
            answered = [hop for hop in trace if hop["ipAddress"] == stop_after]
            last = answered[0]["hop"] if answered else 0
            trace = trace[:last] + [{"hop": last + 1}, {"hop": last + 2}]
        traces.append({"pathId": "%s-%d-%d" % (agent["id"][:8], round_id, index), "protocol": "tcp", "hops": trace})
    return traces


def _server_ip(test):
    digest = hashlib.sha256(_server(test).encode()).digest()
    return "198.18.%d.%d" % (digest[0], 1 + digest[1] % 250)


def _visible_rows(ctx, test, wanted_agents=None):
    current = now()
    rows = []
    for run in test["runs"]:
        if run["visibleAt"] > current:
            continue
        for agent_id in run["agents"]:
            if wanted_agents and agent_id not in wanted_agents:
                continue
            agent = ENDPOINT_AGENTS_BY_ID[agent_id]
            row = {"aid": str(test["aid"]), "testId": str(test["testId"]), "agentId": agent_id, "roundId": run["roundId"],
                   "serverIp": _server_ip(test)}
            row.update(_machine(ctx.state, agent, run["roundId"]))
            rows.append((agent, run, row))
    return rows


def _results_answer(ctx, test, results, with_total=True):
    body = {"results": results, "test": test_shape(ctx, test)}
    if with_total:
        body["totalHits"] = len(results)
    runs = test["runs"]
    body["startDate"] = iso(runs[0]["roundId"])
    body["endDate"] = iso(max(now(), runs[-1]["roundId"]))
    return body


# -- handlers -----------------------------------------------------------------------------------------------------
def list_agents(ctx):
    name, computer = ctx.q("agentName"), ctx.q("computerName")
    rows = []
    for agent in ENDPOINT_AGENTS:
        if name and name != agent["name"] or computer and computer != agent["computerName"]:
            continue
        seen = now() - 40 if agent["online"] else now() - 2 * 86400
        row = {"id": agent["id"], "aid": str(ctx.aid), "name": agent["name"], "computerName": agent["computerName"],
               "osVersion": agent["osVersion"], "platform": agent["platform"], "status": "enabled", "deleted": False,
               "version": "1.210.0", "lastSeen": iso(seen), "createdAt": iso(ctx.state.started - 90 * 86400),
               "publicIP": agent["publicIP"], "agentType": "standard", "licenseType": "advantage",
               "location": {"locationName": agent["location"], "latitude": agent["latitude"],
                            "longitude": agent["longitude"]},
               "vpnProfiles": ([{"interfaceName": "utun4", "vpnType": agent["vpn"], "vpnGatewayAddress": "203.0.113.200",
                                 "vpnClientAddresses": ["10.255.0.%d" % (10 + ENDPOINT_AGENTS.index(agent))],
                                 "vpnClientNetworkRange": ["10.255.0.0/16"]}] if agent["vpn"] else []),
               "_links": {"self": {"href": ctx.url("/v7/endpoint/agents/%s" % agent["id"])}}}
        rows.append(row)
    return Response(200, {"totalAgents": len(rows), "agents": rows, "_links": {"self": {"href": ctx.self_url()}}})


def list_tests(ctx):
    """``GET /endpoint/tests/scheduled-tests``: whether instant tests appear here is UNCONFIRMED
    (``endpoint_tests_listed``)."""
    listed = ctx.state.config.get("endpoint_tests_listed", True)
    tests = [test_shape(ctx, t) for t in (_tests(ctx.state)[i] for i in sorted(_tests(ctx.state))) if listed and t["aid"] == ctx.aid]
    return Response(200, {"tests": tests, "_links": {"self": {"href": ctx.self_url()}}})


def create(ctx, ttype):
    if ttype not in TYPES:
        return problem(ctx, 404, "Unknown endpoint instant test type: %s" % ttype)
    definition, rejected = _parse(ctx, ttype, ctx.json_body())
    if rejected is not None:
        return rejected
    state = ctx.state
    with state.lock:
        tests = _tests(state)
        if state.config["unique_test_names"] and any(t["aid"] == ctx.aid and t["testName"] == definition["testName"]
                                                     for t in tests.values()):
            return _invalid(ctx, "testName", "Test name must be unique")
        test_id = state.next_test_id
        state.next_test_id += 1
        definition.update(testId=test_id, aid=ctx.aid, created=now(), runs=[])
        tests[test_id] = definition
        _start_run(state, definition)
    body = test_shape(ctx, definition)
    return Response(201, body, "application/hal+json", {"Location": body["_links"]["self"]["href"]})


def rerun(ctx, test_id):
    test = _find(ctx, test_id)
    if test is None:
        return problem(ctx, 404, "Test not found")
    with ctx.state.lock:
        _start_run(ctx.state, test)
    return Response(200, {"message": "Successfully reran the test %s" % test["testId"]})


def _search_agents(ctx):
    body = ctx.json_body() if ctx.body else None
    if body is None:
        return None
    if not isinstance(body, dict) or set(body) - {"searchSort", "thresholdFilter", "searchFilters"}:
        raise BadRequest("The filter must be an object with searchFilters, searchSort or thresholdFilter")
    agents = (body.get("searchFilters") or {}).get("agentId")
    if agents is not None and (not isinstance(agents, list) or not all(isinstance(a, str) for a in agents)):
        raise BadRequest("searchFilters.agentId must be a list of endpoint agent IDs")
    return set(agents) if agents else None


def network_results(ctx, test_id):
    test = _find(ctx, test_id)
    if test is None:
        return problem(ctx, 404, "Test not found")
    results = []
    for agent, run, row in _visible_rows(ctx, test, _search_agents(ctx)):
        row.update(_network_values(ctx.state, agent, run["roundId"]))
        row.update(errorDetails="", isIcmpBlocked=False)
        results.append(row)
    body = _results_answer(ctx, test, results)
    body["_links"] = {}
    return Response(200, body)


def path_vis(ctx, test_id):
    test = _find(ctx, test_id)
    if test is None:
        return problem(ctx, 404, "Test not found")
    results = []
    for agent, run, row in _visible_rows(ctx, test):
        hops = _hops(ctx.state, agent, test, run["roundId"])
        row.update(server=_server(test), sourceIp=row["networkProfile"]["ipAddress"], sourcePrefix="192.168.1.0/24",
                   location=agent["location"],
                   pathTraces=[{"ipAddress": _server_ip(test), "numberOfHops": len(hops), "protocol": "tcp",
                                "pathId": "%s-%d-0" % (agent["id"][:8], run["roundId"]),
                                "responseTime": hops[-1]["responseTime"]}])
        results.append(row)
    body = _results_answer(ctx, test, results, with_total=False)
    body["_links"] = {"self": {"href": ctx.self_url()}}
    return Response(200, body)


def path_vis_detail(ctx, test_id, agent_id, round_id):
    test = _find(ctx, test_id)
    if test is None:
        return problem(ctx, 404, "Test not found")
    for agent, run, row in _visible_rows(ctx, test, {agent_id}):
        if run["roundId"] != int(round_id):
            continue
        row.update(server=_server(test), sourceIp=row["networkProfile"]["ipAddress"], sourcePrefix="192.168.1.0/24",
                   pathTraces=_path_traces(ctx.state, agent, test, run["roundId"]))
        return Response(200, {"results": [row], "test": test_shape(ctx, test), "_links": {"self": {"href": ctx.self_url()}}})
    return problem(ctx, 404, "No path trace for agent %s in round %s" % (agent_id, round_id))


def http_results(ctx, test_id):
    test = _find(ctx, test_id)
    if test is None:
        return problem(ctx, 404, "Test not found")
    if test["type"] != "http-server":
        # the operation declares no 400: a test of another type has no such resource
        return problem(ctx, 404, "Test %s (%s) has no http-server results" % (test_id, test["type"]))
    results = []
    for agent, run, row in _visible_rows(ctx, test):
        latency = _network_values(ctx.state, agent, run["roundId"])["avgLatency"]
        rtt = int(latency)
        connect, ssl, wait = rtt, 2 * rtt, 40 + rtt
        total = 8 + connect + ssl + wait + 5
        row.update(responseCode=200, errorType="none", errorDetails="", dnsTime=8, connectTime=connect, sslTime=ssl,
                   waitTime=wait, receiveTime=5, responseTime=total - 5, totalTime=total, redirectTime=0,
                   numRedirects=0, wireSize=9000, throughput=int(9000 * 1000 / max(total, 1)))
        results.append(row)
    body = _results_answer(ctx, test, results)
    body["_links"] = {"self": {"href": ctx.self_url()}}
    return Response(200, body)


ROUTES = [
    ("GET", r"endpoint/agents", "endpoint_agents", list_agents),
    ("GET", r"endpoint/tests/scheduled-tests", "endpoint_list", list_tests),
    ("POST", r"endpoint/tests/scheduled-tests/(?P<ttype>[^/]+)/instant", "endpoint_create", create),
    ("POST", r"endpoint/tests/scheduled-tests/(?P<test_id>\d+)/run", "endpoint_rerun", rerun),
    ("POST", r"endpoint/test-results/scheduled-tests/(?P<test_id>\d+)/network/filter", "endpoint_results",
     network_results),
    ("GET", r"endpoint/test-results/scheduled-tests/(?P<test_id>\d+)/path-vis", "endpoint_results", path_vis),
    ("GET", r"endpoint/test-results/scheduled-tests/(?P<test_id>\d+)/path-vis/agent/(?P<agent_id>[0-9a-f-]+)"
     r"/round/(?P<round_id>\d+)", "endpoint_results", path_vis_detail),
    ("GET", r"endpoint/test-results/scheduled-tests/(?P<test_id>\d+)/http-server", "endpoint_results", http_results),
]
