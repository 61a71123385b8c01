# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API v6 routes and shapes: 0/1 booleans, integer ids, ``YYYY-MM-DD HH:MM:SS`` dates, JSON or XML."""

import re

from . import results
from .common import (BadRequest, Response, create_test, int_param, multi_values, page_size,
                     parse_v6_time, parse_window, v6_date, v6_error, v6_param_date)
from .fields import ENUMS, V6_TYPES, layers_for, parse_definition, render_fields
from .store import ACCOUNT_GROUPS, AGENTS, AGENTS_BY_ID, CREATED_BY, ORGANIZATION, now

AGENT_TYPES = {"cloud": "Cloud", "enterprise": "Enterprise", "enterprise-cluster": "Enterprise Cluster"}
AGENT_TYPE_FILTER = {"CLOUD": "cloud", "ENTERPRISE": "enterprise", "ENTERPRISE_CLUSTER": "enterprise-cluster"}
# Types the v6 tests resources know (list by type); instant tests exist only for V6_TYPES.
LISTABLE_TYPES = V6_TYPES + ("bgp", "transactions", "dnsp-domain", "dnsp-server", "api")


def _not_found():
    return v6_error(404, "Test not found")


# -- shapes -----------------------------------------------------------------------------------------
def agent_row(state, agent, detailed=True):
    """A v6 agent; Cloud rows only carry the fields the API shows for Cloud agents."""
    row = {"agentId": agent["agentId"], "agentName": agent["agentName"], "agentType": AGENT_TYPES[agent["agentType"]],
           "countryId": agent["countryId"], "location": agent["location"], "ipAddresses": list(agent["ipAddresses"])}
    if agent["agentType"] == "cloud":
        if detailed:
            row["groups"] = []
        return row
    row.update(publicIpAddresses=list(agent["publicIpAddresses"]), prefix=agent["prefix"], network=agent["network"])
    if not detailed:
        return row
    online = state.agent_online(agent["agentId"])
    row.update(groups=[], hostname=agent["hostname"], enabled=1, agentState="Online" if online else "Offline",
               lastSeen=_last_seen(state, agent["agentId"], online), utilization=agent["utilization"] if online else 0,
               ipv6Policy=ENUMS["ipv6Policy"][agent["ipv6Policy"]], keepBrowserCache=int(agent["keepBrowserCache"]),
               errorDetails=[], createdDate=agent["createdDate"])
    if agent.get("targetForTests"):
        row["targetForTests"] = agent["targetForTests"]
    if "clusterMembers" in agent:
        row["clusterMembers"] = [dict(m, agentState="Online" if online else "Offline",
                                      lastSeen=_last_seen(state, agent["agentId"], online))
                                 for m in agent["clusterMembers"]]
    return row


def _last_seen(state, agent_id, online):
    if online:
        return v6_date(now() - 5 - agent_id % 20)
    return v6_date(state.started - 2 * 86400)


def api_links(ctx, test):
    links = [{"rel": "self", "href": ctx.url("/v6/tests/%d" % test["testId"])}]
    for layer in layers_for(test):
        # The documented web-transactions sample leaves its own data link out; so do we.
        if layer == "web-transactions" or layer not in results.LAYER_TO_V6_PATH:
            continue
        links.append({"rel": "data", "href": ctx.url("/v6/%s/%d" % (results.LAYER_TO_V6_PATH[layer], test["testId"]))})
    return links


def _base(ctx, test):
    return {"testId": test["testId"], "testName": test["testName"], "type": test["type"], "enabled": 1, "interval": 0,
            "savedEvent": 0, "liveShare": 0, "alertsEnabled": 0, "createdBy": CREATED_BY,
            "createdDate": v6_date(test["created"]), "description": test["description"],
            "apiLinks": api_links(ctx, test)}


def test_summary(ctx, test):
    row = _base(ctx, test)
    fields = render_fields(test, "v6")
    for key in ("server", "url", "domain", "targetAgentId"):
        if key in fields:
            row[key] = fields[key]
    return row


def test_full(ctx, test):
    row = _base(ctx, test)
    # extras never override what the emulator sets
    for key, value in dict(test["extras"], **render_fields(test, "v6")).items():
        row.setdefault(key, value)
    agents = []
    for item in test["agents"]:
        agent = agent_row(ctx.state, AGENTS_BY_ID[item["agentId"]], detailed=False)
        if item["sourceIpAddress"]:
            agent["sourceIpAddress"] = item["sourceIpAddress"]
        agents.append(agent)
    row["agents"] = agents
    return row


# -- handlers -------------------------------------------------------------------------------------
def get_status(_ctx):
    return Response(200, {"timestamp": int(now() * 1000)})


def list_agents(ctx):
    wanted = set()
    for value in multi_values(ctx, "agentTypes"):
        if value.upper() not in AGENT_TYPE_FILTER:
            raise BadRequest("agentTypes must be CLOUD, ENTERPRISE or ENTERPRISE_CLUSTER")
        wanted.add(AGENT_TYPE_FILTER[value.upper()])
    rows = [agent_row(ctx.state, a) for a in AGENTS if not wanted or a["agentType"] in wanted]
    return Response(200, {"agents": rows})


def get_agent(ctx, agent_id):
    agent = AGENTS_BY_ID.get(int(agent_id))
    if agent is None:
        return v6_error(404, "Agent not found")
    row = agent_row(ctx.state, agent)
    row["accountGroups"] = [{"aid": g["aid"], "accountGroupName": g["accountGroupName"]} for g in ACCOUNT_GROUPS]
    row["tests"] = [test_summary(ctx, t) for t in ctx.state.tests_in(ctx.aid)
                    if agent["agentId"] in [a["agentId"] for a in t["agents"]]]
    row["notificationRules"] = []
    return Response(200, {"agents": [row]})


def account_groups(ctx):
    groups = [{"aid": g["aid"], "accountGroupName": g["accountGroupName"], "organizationName": ORGANIZATION,
               "current": int(g["aid"] == ctx.aid), "default": int(g["aid"] == 1234)} for g in ACCOUNT_GROUPS]
    return Response(200, {"accountGroups": groups})


def _listed(ctx):
    return ctx.state.tests_in(ctx.aid) if ctx.state.config["instant_tests_listed"] else []


def list_tests(ctx):
    return Response(200, {"test": [test_summary(ctx, t) for t in _listed(ctx)]})


def list_tests_by_type(ctx, ttype):
    if ttype not in LISTABLE_TYPES:
        return v6_error(404, "Unknown test type: %s" % ttype)
    return Response(200, {"test": [test_summary(ctx, t) for t in _listed(ctx) if t["type"] == ttype]})


def get_test(ctx, test_id):
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None:
        return _not_found()
    return Response(200, {"test": [test_full(ctx, test)]})


def delete_test(ctx, ttype, test_id):
    if ttype not in LISTABLE_TYPES:
        return v6_error(404, "Unknown test type: %s" % ttype)
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None:
        return _not_found()
    if test["type"] != ttype:
        return v6_error(400, "Test %s is a %s test, not %s" % (test_id, test["type"], ttype))
    if test["instant"] and not ctx.state.config["instant_tests_deletable"]:
        return v6_error(400, "Instant tests cannot be deleted")
    ctx.state.delete_test(test["testId"])
    return Response(204)


def create(ctx, ttype):
    if ttype not in V6_TYPES:
        return v6_error(404, "Unknown instant test type: %s" % ttype)

    def rejected(errors):
        return v6_error(400, "; ".join(e["message"] for e in errors))

    test = create_test(ctx, ttype, lambda body: parse_definition("v6", ttype, body), rejected)
    if isinstance(test, Response):
        return test
    return Response(201, {"test": [test_full(ctx, test)]})


def rerun(ctx, test_id):
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None:
        return _not_found()
    ctx.state.start_run(test)
    return Response(200)


def _range(ctx):
    """(start, end, ranged) from window or from/to; (None, None, False) for the latest round."""
    window, start, end = ctx.q("window"), ctx.q("from"), ctx.q("to")
    if window is not None and (start is not None or end is not None):
        raise BadRequest("window cannot be combined with from/to")
    if end is not None and start is None:
        raise BadRequest("to requires from")
    when = int(now())
    if window is not None:
        return when - parse_window(window), when, True
    if start is not None:
        return parse_v6_time(start, "from"), parse_v6_time(end, "to") if end else when, True
    return None, None, False


def _direction(ctx, test, layer):
    value = ctx.q("direction")
    if value is None or test["type"] != "agent-to-agent":
        return None
    canon = {v: k for k, v in ENUMS["direction"].items()}.get(value.upper())
    if canon is None:
        raise BadRequest("direction must be TO_TARGET, FROM_TARGET or BIDIRECTIONAL")
    if layer == "path-vis" and canon == "bidirectional":
        raise BadRequest("direction BIDIRECTIONAL is not valid for path visualization")
    configured = test["fields"].get("direction", "to-target")
    if configured != "bidirectional" and canon != configured:
        raise BadRequest("direction %s does not match the test's direction %s" % (value, ENUMS["direction"][configured]))
    return canon


def _row(ctx, test, layer, row, direction):
    agent = AGENTS_BY_ID[row["agentId"]]
    out = dict(row, agentName=agent["agentName"], countryId=agent["countryId"], date=v6_date(row["roundId"]),
               permalink=ctx.url("/app/tests/%d" % test["testId"], {"roundId": row["roundId"], "agentId": agent["agentId"]}))
    if "direction" in out:
        out["direction"] = ENUMS["direction"][direction or out["direction"]]
    if ctx.q("headers") == "1" and layer == "http-server":
        out["requestHeaders"] = "GET / HTTP/1.1\r\nHost: %s\r\nUser-Agent: ThousandEyes Emulator\r\n" % out["serverIp"]
        out["responseHeaders"] = "HTTP/1.1 %s\r\nContent-Type: text/html\r\n" % out["responseCode"]
    if ctx.q("certificates") == "1" and "sslCipher" in out:
        out["sslCerts"] = [{"daysUntilExpiry": 60, "fetchDateInValidCertDateRange": 1, "issuerName": "Emulator CA",
                            "notValidAfter": v6_date(row["roundId"] + 60 * 86400),
                            "notValidBefore": v6_date(row["roundId"] - 30 * 86400), "subjectAltNames": [],
                            "subjectName": out["serverIp"]}]
    return out


def data(ctx, data_path, test_id, server_id=None):
    layer = results.V6_PATHS[data_path]
    group, key = results.V6_KEYS[layer]
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None:
        return _not_found()
    if layer not in layers_for(test):
        return v6_error(400, "Test %s (%s) has no %s data" % (test_id, test["type"], data_path))
    start, end, ranged = _range(ctx)
    direction = _direction(ctx, test, layer)
    offset, last_round = int_param(ctx, "offset"), int_param(ctx, "lastRoundId")
    rows, (start, end) = results.select_rows(test, layer, start, end, ctx.state.config["target_profiles"], now(),
                                             ctx.state.config["scenarios"])
    if server_id is not None:
        rows = [r for r in rows if r["serverId"] == int(server_id)]
    if offset is None:
        # lastRoundId alone (a client following the docs): the rows after that round
        offset = sum(1 for r in rows if r["roundId"] <= last_round) if last_round is not None else 0
    size = page_size(ctx)
    chunk, nxt = results.page(rows, offset, size)
    pages = {"current": offset // size + 1}
    if nxt is not None:
        params = {k: v for k, v in ctx.query.items() if k not in ("window", "from", "to", "lastRoundId", "offset")}
        params = dict({"lastRoundId": chunk[-1]["roundId"], "offset": nxt}, **params)
        params.update({"from": v6_param_date(start), "to": v6_param_date(end)})
        pages["next"] = ctx.url(ctx.raw_path, params)
    body = {group: {"test": test_summary(ctx, test), key: [_row(ctx, test, layer, r, direction) for r in chunk]},
            "pages": pages}
    if ranged:
        body["from"], body["to"] = v6_date(start), v6_date(end)
    return Response(200, body)


def path_vis_detail(ctx, test_id, agent_id, round_id):
    """net/path-vis/{testId}/{agentId}/{roundId}: the hops of each path trace (``routes``)."""
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None:
        return _not_found()
    if "path-vis" not in layers_for(test):
        return v6_error(400, "Test %s (%s) has no net/path-vis data" % (test_id, test["type"]))
    direction = _direction(ctx, test, "path-vis")
    run = results.visible_run(test, int(round_id), now())
    detail = (results.path_detail(test, run, int(agent_id), ctx.state.config["target_profiles"],
                                  ctx.state.config["scenarios"]) if run else None)
    if detail is None:
        return v6_error(404, "No path trace for agent %s in round %s" % (agent_id, round_id))
    detail["routes"] = detail.pop("pathTraces")
    row = _row(ctx, test, "path-vis", detail, direction)
    return Response(200, {"net": {"test": test_summary(ctx, test), "pathVis": [row]}})


DATA_PATHS = "|".join(re.escape(p) for p in results.V6_PATHS if p != "dns/server")
ROUTES = [
    ("GET", r"status", "status", get_status),
    ("GET", r"agents", "list_agents", list_agents),
    ("GET", r"agents/(?P<agent_id>\d+)", "list_agents", get_agent),
    ("GET", r"account-groups", "account_groups", account_groups),
    ("GET", r"tests", "list_tests", list_tests),
    ("GET", r"tests/(?P<test_id>\d+)", "get_test", get_test),
    ("GET", r"tests/(?P<ttype>[a-z-]+)", "list_tests", list_tests_by_type),
    ("POST", r"tests/(?P<ttype>[a-z0-9-]+)/(?P<test_id>\d+)/delete", "delete", delete_test),
    ("POST", r"instant/(?P<test_id>\d+)/rerun", "rerun", rerun),
    ("POST", r"instant/(?P<ttype>[^/]+)", "create", create),
    ("GET", r"net/path-vis/(?P<test_id>\d+)/(?P<agent_id>\d+)/(?P<round_id>\d+)", "results", path_vis_detail),
    ("GET", r"(?P<data_path>dns/server)/(?P<test_id>\d+)(?:/(?P<server_id>\d+))?", "results", data),
    ("GET", r"(?P<data_path>%s)/(?P<test_id>\d+)" % DATA_PATHS, "results", data),
]
ROUTES = [(m, re.compile(p), op, fn) for m, p, op, fn in ROUTES]


def strip_suffix(path):
    """(path without a .json/.xml suffix, the suffix's format or None)."""
    match = re.fullmatch(r"(.*)\.(json|xml)", path)
    if match:
        return match.group(1), match.group(2)
    return path, None


def negotiate(ctx, suffix):
    """Format choice, first match wins: path suffix > Accept > format= > XML."""
    if suffix:
        return suffix
    for part in (ctx.headers.get("Accept") or "").split(","):
        media = part.split(";")[0].strip().lower()
        if media == "application/json":
            return "json"
        if media in ("text/xml", "application/xml"):
            return "xml"
    if ctx.q("format") in ("json", "xml"):
        return ctx.q("format")
    return "xml"
