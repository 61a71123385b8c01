# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""API v7 routes and shapes: JSON only, string ids, booleans, lower-case kebab enums, HAL links,
problem+json errors, cursor pagination."""

import base64
import binascii
import json
import re

from . import endpoint, results
from .common import (BadRequest, Response, create_test, iso, lower_state, multi_values, page_size, parse_iso,
                     parse_window, problem)
from .fields import INTERNAL_TO_V7, V7_TYPES, layers_for, parse_definition, render_fields
from .store import ACCOUNT_GROUPS, AGENTS, AGENTS_BY_ID, CREATED_BY, ORGANIZATION, now

AGENT_TYPES = ("cloud", "enterprise", "enterprise-cluster")
LISTABLE_TYPES = tuple(V7_TYPES) + ("bgp",)
# `expand` values per operation (the schema's enums). Nothing is expanded unless asked.
INSTANT_EXPAND = ("agent", "label", "tag", "shared-with-account")
TEST_EXPAND = ("agent", "alert-rule", "monitor", "label", "tag", "shared-with-account")
AGENT_LIST_EXPAND = ("cluster-member", "test", "test-ids")
AGENT_DETAIL_EXPAND = ("cluster-member", "test", "test-ids", "notification-rule")
# SIP fields that the request nests under targetSipCredentials and both answer schemas have at the top level.
SIP_ANSWER_KEYS = ("sipRegistrar", "port", "protocol", "authUser", "user")


def _not_found(ctx, what="Test"):
    return problem(ctx, 404, "%s not found" % what)


def expanded(ctx, allowed):
    """The `expand` values of the request; 400 for one the operation does not know."""
    values = multi_values(ctx, "expand")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise BadRequest("expand must be one of %s" % ", ".join(allowed),
                         [{"code": "INVALID_VALUE", "field": "expand", "message": "unknown value %s" % unknown[0]}])
    return set(values)


# -- shapes -----------------------------------------------------------------------------------------
def agent_row(state, agent, detailed=True, members=False):
    row = {"agentId": str(agent["agentId"]), "agentName": agent["agentName"], "agentType": agent["agentType"],
           "countryId": agent["countryId"], "location": agent["location"], "ipAddresses": list(agent["ipAddresses"])}
    if agent["agentType"] == "cloud":
        return row
    row.update(publicIpAddresses=list(agent["publicIpAddresses"]), prefix=agent["prefix"], network=agent["network"])
    if not detailed:
        return row
    online = state.agent_online(agent["agentId"])
    seen = iso(now() - 5 - agent["agentId"] % 20) if online else iso(state.started - 2 * 86400)
    row.update(hostname=agent["hostname"], enabled=True, agentState=lower_state(online), lastSeen=seen,
               utilization=agent["utilization"] if online else 0, ipv6Policy=agent["ipv6Policy"],
               keepBrowserCache=agent["keepBrowserCache"], errorDetails=[], labels=[],
               createdDate=agent["createdDate"].replace(" ", "T") + "Z")
    if agent.get("targetForTests"):
        row["targetForTests"] = agent["targetForTests"]
    if members and "clusterMembers" in agent:
        row["clusterMembers"] = [dict(m, memberId=str(m["memberId"]), agentState=lower_state(online), lastSeen=seen)
                                 for m in agent["clusterMembers"]]
    return row


def _v7_type(test):
    return INTERNAL_TO_V7[test["type"]]


def test_links(ctx, test):
    return {"self": {"href": ctx.url("/v7/tests/%s/%d" % (_v7_type(test), test["testId"]))},
            "testResults": [{"href": ctx.url("/v7/test-results/%d/%s" % (test["testId"], layer))}
                            for layer in layers_for(test)]}


def _base(test):
    return {"testId": str(test["testId"]), "testName": test["testName"], "type": _v7_type(test),
            "createdBy": CREATED_BY, "createdDate": iso(test["created"]), "liveShare": False, "savedEvent": False,
            "description": test["description"]}


def test_summary(ctx, test):
    row = _base(test)
    fields = render_fields(test, "v7")
    for key in ("server", "url", "domain", "targetAgentId"):
        if key in fields:
            row[key] = fields[key]
    row["_links"] = test_links(ctx, test)
    return row


def _answer_fields(ctx, test):
    fields = render_fields(test, "v7")
    creds = fields.get("targetSipCredentials")
    if creds is not None and ctx.state.config["v7_sip_answer"] == "flat":
        del fields["targetSipCredentials"]
        fields.update((k, creds[k]) for k in SIP_ANSWER_KEYS if k in creds)
    return fields


def test_full(ctx, test, with_agents, interval=False):
    """A test as the create (``interval=False``) or the tests endpoints answer it."""
    row = _base(test)
    # extras never override what the emulator sets
    for key, value in dict(test["extras"], **_answer_fields(ctx, test)).items():
        row.setdefault(key, value)
    if interval and ctx.state.config["v7_instant_interval"]:
        row["interval"] = ctx.state.config["v7_instant_interval"]
    if with_agents:
        agents = []
        for item in test["agents"]:
            agent = agent_row(ctx.state, AGENTS_BY_ID[item["agentId"]], detailed=False)
            if item["sourceIpAddress"]:
                agent["sourceIpAddress"] = item["sourceIpAddress"]
            agents.append(agent)
        row["agents"] = agents
    row["_links"] = test_links(ctx, test)
    return row


def _self_links(ctx):
    return {"self": {"href": ctx.self_url()}}


# -- handlers -------------------------------------------------------------------------------------
def list_agents(ctx):
    wanted = set(multi_values(ctx, "agentTypes"))
    if wanted - set(AGENT_TYPES):
        raise BadRequest("agentTypes must be cloud, enterprise or enterprise-cluster",
                         [{"code": "INVALID_VALUE", "field": "agentTypes", "message": "unknown agent type"}])
    members = "cluster-member" in expanded(ctx, AGENT_LIST_EXPAND)
    rows = [agent_row(ctx.state, a, members=members) for a in AGENTS if not wanted or a["agentType"] in wanted]
    for row in rows:
        row.pop("labels", None)  # the list's agent schema has no labels; the detail has
    return Response(200, {"agents": rows, "_links": _self_links(ctx)})


def local_problems(ctx):
    """Cloud Agents with an active local problem (agents OpenAPI ``LocalProblemAgentResults``): the ``local_problems``
    of the configuration, each active since that many seconds. FedRAMP and Enterprise agents are never listed."""
    current = now()
    problems = []
    for agent_id, seconds in sorted(ctx.state.config["local_problems"].items(), key=lambda item: int(item[0])):
        agent = AGENTS_BY_ID[int(agent_id)]
        problems.append({"agent": {"agentId": str(agent["agentId"]), "agentName": agent["agentName"], "countryId": agent["countryId"],
                                   "location": agent["location"]},
                         "startDate": iso(current - seconds), "endDate": None, "duration": int(seconds), "active": True})
    return Response(200, {"localProblems": problems, "_links": _self_links(ctx)})


def get_agent(ctx, agent_id):
    members = "cluster-member" in expanded(ctx, AGENT_DETAIL_EXPAND)
    agent = AGENTS_BY_ID.get(int(agent_id))
    if agent is None:
        return _not_found(ctx, "Agent")
    row = agent_row(ctx.state, agent, members=members)
    row["_links"] = _self_links(ctx)
    return Response(200, row)


def account_groups(ctx):
    groups = [{"aid": str(g["aid"]), "accountGroupName": g["accountGroupName"], "organizationName": ORGANIZATION,
               "isCurrentAccountGroup": g["aid"] == ctx.aid, "isDefaultAccountGroup": g["aid"] == 1234}
              for g in ACCOUNT_GROUPS]
    return Response(200, {"accountGroups": groups, "_links": _self_links(ctx)})


def _listed(ctx):
    return ctx.state.tests_in(ctx.aid) if ctx.state.config["instant_tests_listed"] else []


def list_tests(ctx):
    return Response(200, {"tests": [test_summary(ctx, t) for t in _listed(ctx)], "_links": _self_links(ctx)})


def list_tests_by_type(ctx, ttype):
    if ttype not in LISTABLE_TYPES:
        return problem(ctx, 404, "Unknown test type: %s" % ttype)
    # the typed list holds the unexpanded test objects (every field but agents)
    tests = [test_full(ctx, t, False, interval=True) for t in _listed(ctx) if INTERNAL_TO_V7[t["type"]] == ttype]
    return Response(200, {"tests": tests, "_links": _self_links(ctx)})


def _typed_test(ctx, ttype, test_id):
    if ttype not in LISTABLE_TYPES:
        return problem(ctx, 404, "Unknown test type: %s" % ttype)
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None or _v7_type(test) != ttype:
        return _not_found(ctx)
    return test


def get_test(ctx, ttype, test_id):
    with_agents = "agent" in expanded(ctx, TEST_EXPAND)
    test = _typed_test(ctx, ttype, test_id)
    if isinstance(test, Response):
        return test
    return Response(200, test_full(ctx, test, with_agents, interval=True))


def delete_test(ctx, ttype, test_id):
    test = _typed_test(ctx, ttype, test_id)
    if isinstance(test, Response):
        return test
    if test["instant"] and not ctx.state.config["instant_tests_deletable"]:
        return problem(ctx, 400, "Instant tests cannot be deleted")
    ctx.state.delete_test(test["testId"])
    return Response(204)


def create(ctx, ttype):
    if ttype not in V7_TYPES:
        return problem(ctx, 404, "Unknown instant test type: %s" % ttype)
    internal = V7_TYPES[ttype]
    with_agents = "agent" in expanded(ctx, INSTANT_EXPAND)

    def rejected(errors):
        detail = errors[0]["message"] if len(errors) == 1 else "Validation failed: %d errors" % len(errors)
        return problem(ctx, 400, detail, errors)

    test = create_test(ctx, internal, lambda body: parse_definition("v7", internal, body), rejected)
    if isinstance(test, Response):
        return test
    body = test_full(ctx, test, with_agents)
    return Response(201, body, "application/hal+json", {"Location": body["_links"]["self"]["href"]})


def rerun(ctx, test_id):
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None:
        return _not_found(ctx)
    ctx.state.start_run(test)
    return Response(200)


def _encode_cursor(offset, start, end):
    raw = json.dumps({"o": offset, "s": start, "e": end}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
        return int(data["o"]), int(data["s"]), int(data["e"])
    except (binascii.Error, ValueError, KeyError, TypeError) as exc:
        raise BadRequest("Invalid cursor") from exc


def _range(ctx):
    window, start, end = ctx.q("window"), ctx.q("startDate"), ctx.q("endDate")
    if window is not None and (start is not None or end is not None):
        raise BadRequest("window cannot be combined with startDate/endDate")
    if end is not None and start is None:
        raise BadRequest("endDate requires startDate")
    when = int(now())
    if window is not None:
        return when - parse_window(window), when
    if start is not None:
        return parse_iso(start, "startDate"), parse_iso(end, "endDate") if end else when
    return None, None


# Neutral row fields that the v7 row schema of a layer does not define.
V7_ROW_ABSENT = {"sip-server": ("authUser",), "dns-server": ("queries",)}


def _row(ctx, test, layer, row, direction):
    agent = AGENTS_BY_ID[row["agentId"]]
    out = {"agent": {"agentId": str(agent["agentId"]), "agentName": agent["agentName"],
                     "countryId": agent["countryId"], "location": agent["location"]},
           "date": iso(row["roundId"]), "roundId": row["roundId"], "startTime": row["startTime"],
           "endTime": row["endTime"]}
    absent = ("agentId", "roundId", "startTime", "endTime") + V7_ROW_ABSENT.get(layer, ())
    fields = {k: v for k, v in row.items() if k not in absent}
    if layer == "network":
        fields["healthScore"] = round(max(0.0, 1.0 - fields["loss"] / 50 - fields["avgLatency"] / 2000), 2)
        if "direction" in fields and direction:
            fields["direction"] = direction
    elif layer == "path-vis":
        fields["pathTraces"] = fields.pop("endpoints")
    elif layer == "dnssec":
        fields = {"isValid": bool(fields["valid"]), "errorDetails": fields["errorDetails"]}
    elif layer == "dns-server":
        fields["serverId"] = str(fields["serverId"])
    elif layer == "rtp-server":
        # the v7 schema: dscp a string, latency and pdv whole milliseconds
        fields.update(dscp=str(fields["dscp"]), latency=int(round(fields["latency"])), pdv=int(round(fields["pdv"])))
    elif layer in ("sip-server", "api"):
        fields["errorType"] = str(fields["errorType"]).lower()
    out.update(fields)
    out["_links"] = {"appLink": {"href": ctx.url("/app/tests/%d" % test["testId"],
                                                 {"roundId": row["roundId"], "agentId": agent["agentId"]})}}
    return out


def test_results(ctx, test_id, layer):
    if layer not in results.V7_LAYERS:
        return problem(ctx, 404, "Unknown test results layer: %s" % layer)
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None:
        return _not_found(ctx)
    if layer not in layers_for(test):
        return problem(ctx, 400, "Test %s (%s) has no %s results" % (test_id, _v7_type(test), layer))
    direction = ctx.q("direction")
    if direction is not None and direction not in ("to-target", "from-target", "bidirectional"):
        raise BadRequest("direction must be to-target, from-target or bidirectional")
    cursor = ctx.q("cursor")
    if cursor:
        offset, start, end = _decode_cursor(cursor)
    else:
        offset = 0
        start, end = _range(ctx)
    rows, (start, end) = results.select_rows(test, layer, start, end, ctx.state.config["target_profiles"], now(),
                                             ctx.state.config["scenarios"])
    chunk, nxt = results.page(rows, offset, page_size(ctx))
    links = _self_links(ctx)
    if nxt is not None:
        params = {k: v for k, v in ctx.query.items() if k not in ("window", "startDate", "endDate", "cursor")}
        params["cursor"] = _encode_cursor(nxt, start, end)
        links["next"] = {"href": ctx.url(ctx.raw_path, params)}
    body = {"test": test_summary(ctx, test), "results": [_row(ctx, test, layer, r, direction) for r in chunk],
            "startDate": iso(start) if start is not None else None,
            "endDate": iso(end) if end is not None else None, "_links": links}
    return Response(200, body)


def path_vis_detail(ctx, test_id, agent_id, round_id):
    test = ctx.state.find_test(ctx.aid, int(test_id))
    if test is None:
        return _not_found(ctx)
    if "path-vis" not in layers_for(test):
        return problem(ctx, 400, "Test %s (%s) has no path-vis results" % (test_id, _v7_type(test)))
    direction = ctx.q("direction")
    if direction is not None and direction not in ("to-target", "from-target"):
        raise BadRequest("direction must be to-target or from-target")
    run = results.visible_run(test, int(round_id), now())
    detail = (results.path_detail(test, run, int(agent_id), ctx.state.config["target_profiles"],
                                  ctx.state.config["scenarios"]) if run else None)
    if detail is None:
        return problem(ctx, 404, "No path trace for agent %s in round %s" % (agent_id, round_id))
    row = _row(ctx, test, "path-vis-detail", detail, direction)
    return Response(200, {"test": test_summary(ctx, test), "results": [row], "_links": _self_links(ctx)})


ROUTES = [
    ("GET", r"agents", "list_agents", list_agents),
    ("GET", r"agents/local-problems", "local_problems", local_problems),
    ("GET", r"agents/(?P<agent_id>\d+)", "list_agents", get_agent),
    ("GET", r"account-groups", "account_groups", account_groups),
    ("GET", r"tests", "list_tests", list_tests),
    ("GET", r"tests/(?P<ttype>[a-z-]+)", "list_tests", list_tests_by_type),
    ("GET", r"tests/(?P<ttype>[a-z-]+)/(?P<test_id>\d+)", "get_test", get_test),
    ("DELETE", r"tests/(?P<ttype>[a-z-]+)/(?P<test_id>\d+)", "delete", delete_test),
    ("POST", r"tests/(?P<ttype>[^/]+)/instant", "create", create),
    ("POST", r"tests/(?P<test_id>\d+)/run", "rerun", rerun),
    ("GET", r"test-results/(?P<test_id>\d+)/(?P<layer>[a-z-]+)", "results", test_results),
    ("GET", r"test-results/(?P<test_id>\d+)/path-vis/agent/(?P<agent_id>\d+)/round/(?P<round_id>\d+)", "results",
     path_vis_detail),
]
ROUTES = [(m, re.compile(p), op, fn) for m, p, op, fn in ROUTES + endpoint.ROUTES]
