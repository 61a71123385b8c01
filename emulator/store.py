# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Emulator state: seeded agents and account groups, configuration, tests and their runs,
rate-limit budgets, 401 counters, fault rules and the request log.

Everything mutable lives in one ``State`` object guarded by one re-entrant lock; the HTTP layer
holds that lock while it processes a request (never while it sleeps or writes to the socket).
"""

import copy
import math
import re
import threading
import time

# Fault scenarios: validated here, applied to rows and path traces in results.py.
from . import scenarios
from .endpoint_agents import ENDPOINT_AGENTS, ENDPOINT_SCENARIOS

BEARER_TOKEN = "te-emulator-token"
BASIC_USER = "demo@example.com"
BASIC_TOKEN = "te-emulator-auth-token"
CREATED_BY = "Demo User (demo@example.com)"
ORGANIZATION = "Netdiag Demo"

DEFAULT_AID = 1234
ACCOUNT_GROUPS = (
    {"aid": 1234, "accountGroupName": "Operations"},
    {"aid": 5678, "accountGroupName": "Lab"},
)

FIRST_TEST_ID = 100001
FIRST_DNS_SERVER_ID = 5001

# Seeded agents. Cloud rows carry only the fields the API shows for Cloud agents.
_ENTERPRISE_DEFAULTS = {
    "enabled": True,
    "utilization": 10,
    "ipv6Policy": "force-ipv4",
    "keepBrowserCache": False,
    "errorDetails": [],
    "createdDate": "2023-01-16 09:00:00",
}


def _cloud(agent_id, name, country, location, ip):
    return {"agentId": agent_id, "agentName": name, "agentType": "cloud", "countryId": country,
            "location": location, "ipAddresses": [ip], "groups": []}


def _enterprise(agent_id, name, country, location, ips, public_ip, **extra):
    row = {"agentId": agent_id, "agentName": name, "agentType": "enterprise", "countryId": country,
           "location": location, "ipAddresses": list(ips), "groups": [], "publicIpAddresses": [public_ip],
           "prefix": public_ip.rsplit(".", 1)[0] + ".0/24", "network": "Example Networks (AS 64500)",
           "hostname": name + ".example.net"}
    row.update(copy.deepcopy(_ENTERPRISE_DEFAULTS))
    row.update(extra)
    return row


def _member(member_id, name, ip, public_ip, utilization):
    return {"memberId": member_id, "name": name, "ipAddresses": [ip], "publicIpAddresses": [public_ip],
            "prefix": public_ip.rsplit(".", 1)[0] + ".0/24", "network": "Example Networks (AS 64500)",
            "utilization": utilization}


AGENTS = (
    _cloud(101, "Frankfurt, Germany", "DE", "Frankfurt Area, Germany", "104.28.10.11"),
    _cloud(102, "London, England", "GB", "London Area, UK", "104.28.20.12"),
    _cloud(103, "New York, NY", "US", "New York Area", "104.28.30.13"),
    _cloud(104, "Singapore", "SG", "Singapore", "104.28.40.14"),
    _cloud(105, "Tokyo, Japan", "JP", "Tokyo Area, Japan", "104.28.50.15"),
    _cloud(106, "Sydney, Australia", "AU", "Sydney Area", "104.28.60.16"),
    _cloud(107, "Sao Paulo, Brazil", "BR", "Sao Paulo Area", "104.28.70.17"),
    _cloud(108, "Frankfurt, Germany (Azure)", "DE", "Frankfurt Area, Germany", "104.28.80.18"),
    _enterprise(201, "branch-fra-ea", "DE", "Frankfurt Branch", ["10.10.0.5", "10.10.1.5"], "198.51.100.21", utilization=12),
    _enterprise(202, "branch-ams-ea", "NL", "Amsterdam Branch", ["10.20.0.5"], "198.51.100.32", seededOffline=True),
    _enterprise(203, "dc-east-cluster", "US", "Ashburn DC", ["10.30.0.5"], "203.0.113.45", agentType="enterprise-cluster",
                utilization=21, clusterMembers=[_member(2031, "dc-east-node-1", "10.30.0.5", "203.0.113.45", 23),
                                                _member(2032, "dc-east-node-2", "10.30.0.6", "203.0.113.46", 19)]),
    _enterprise(204, "lab-agent", "US", "Lab rack 1", ["10.40.0.4"], "192.0.2.44", utilization=5),
    _enterprise(205, "lab-agent", "US", "Lab rack 2", ["10.40.0.5"], "192.0.2.45", utilization=7),
    _enterprise(206, "sip-target-ea", "DE", "Frankfurt DC", ["10.10.9.9"], "198.51.100.99", utilization=3,
                targetForTests="10.10.9.9"),
)
AGENTS_BY_ID = {a["agentId"]: a for a in AGENTS}

DEFAULT_CONFIG = {
    "result_delay": 3.0,
    "page_size": 100,
    "rate_limits": {"org": {"limit": 240, "window": 60}, "instant": {"limit": 24, "window": 60}},
    "instant_tests_listed": True,
    "instant_tests_deletable": True,
    "unique_test_names": True,
    "instant_counts_against_org": True,
    "send_retry_after": False,
    "offline_agents": [],
    "local_problems": {},
    "target_profiles": {},
    "scenarios": {},
    "auth_failure_block": 120,
    "v7_sip_answer": "flat",
    "v7_instant_interval": 0,
    "endpoint_scenarios": {},
    "endpoint_tests_listed": True,
}
SIP_ANSWER_SHAPES = ("flat", "nested")
# The schema's TestInterval values (seconds).
TEST_INTERVALS = (60, 120, 300, 600, 900, 1800, 3600)

_BOOL_KEYS = ("instant_tests_listed", "endpoint_tests_listed", "instant_tests_deletable", "unique_test_names",
              "instant_counts_against_org", "send_retry_after")

# The request log keeps the newest entries only, so long benchmark runs stay bounded.
LOG_LIMIT = 50000
# ... and only the newest of them keep the body of their answer, so that the log's memory stays small.
ANSWER_BODY_LIMIT = 5000
FAULT_ACTIONS = ("status", "maintenance", "html", "xml", "slow", "drop", "drop_before", "rate_limit")
AUTH_BLOCK_PERIOD = 3600


class ConfigError(ValueError):
    """A configuration patch or fault rule that cannot be applied."""


def now():
    return time.time()


def merge_patch(target, patch):
    """RFC 7386 JSON merge patch: objects merge recursively, null removes a key."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def _number(value, key, minimum, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < minimum:
        raise ConfigError("%s must be a number >= %s" % (key, minimum))
    if integer and int(value) != value:
        raise ConfigError("%s must be an integer" % key)
    return int(value) if integer else float(value)


def check_config(config):
    """Validate a whole configuration and return it normalised; raise ConfigError."""
    unknown = sorted(set(config) - set(DEFAULT_CONFIG))
    if unknown:
        raise ConfigError("unknown configuration keys: %s" % ", ".join(unknown))
    for key in DEFAULT_CONFIG:
        if key not in config:
            raise ConfigError("%s cannot be removed" % key)
    config["result_delay"] = _number(config["result_delay"], "result_delay", 0)
    config["page_size"] = _number(config["page_size"], "page_size", 1, integer=True)
    config["auth_failure_block"] = _number(config["auth_failure_block"], "auth_failure_block", 1, integer=True)
    for key in _BOOL_KEYS:
        if not isinstance(config[key], bool):
            raise ConfigError("%s must be true or false" % key)
    limits = config["rate_limits"]
    if not isinstance(limits, dict) or set(limits) != {"org", "instant"}:
        raise ConfigError("rate_limits must hold exactly 'org' and 'instant'")
    for name, budget in limits.items():
        if not isinstance(budget, dict) or set(budget) != {"limit", "window"}:
            raise ConfigError("rate_limits.%s must hold exactly 'limit' and 'window'" % name)
        budget["limit"] = _number(budget["limit"], "rate_limits.%s.limit" % name, 0, integer=True)
        budget["window"] = _number(budget["window"], "rate_limits.%s.window" % name, 1, integer=True)
    offline = config["offline_agents"]
    if not isinstance(offline, list):
        raise ConfigError("offline_agents must be a list of agent ids")
    try:
        config["offline_agents"] = sorted({int(a) for a in offline})
    except (TypeError, ValueError) as exc:
        raise ConfigError("offline_agents must be a list of agent ids") from exc
    problems = config["local_problems"]
    message = "local_problems must map Cloud Agent IDs to the seconds their local problem has lasted"
    if not isinstance(problems, dict):
        raise ConfigError(message)
    try:
        config["local_problems"] = dict((str(int(agent)), int(seconds)) for agent, seconds in problems.items())
    except (TypeError, ValueError) as exc:
        raise ConfigError(message) from exc
    if any(int(agent) not in AGENTS_BY_ID or AGENTS_BY_ID[int(agent)]["agentType"] != "cloud" or seconds < 0
           for agent, seconds in config["local_problems"].items()):
        raise ConfigError(message + " (known Cloud Agents, seconds >= 0)")
    if config["v7_sip_answer"] not in SIP_ANSWER_SHAPES:
        raise ConfigError("v7_sip_answer must be one of: %s" % ", ".join(SIP_ANSWER_SHAPES))
    interval = config["v7_instant_interval"]
    if isinstance(interval, bool) or interval not in (0,) + TEST_INTERVALS:
        raise ConfigError("v7_instant_interval must be 0 (no interval) or one of: %s"
                          % ", ".join(map(str, TEST_INTERVALS)))
    profiles = config["target_profiles"]
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ConfigError("target_profiles must map a target substring to an object of row values")
    config["endpoint_scenarios"] = _endpoint_scenarios(config["endpoint_scenarios"])
    try:
        config["scenarios"] = scenarios.validate(config["scenarios"])
    except scenarios.ScenarioError as exc:
        raise ConfigError(str(exc)) from None
    return config


def _endpoint_scenarios(value):
    """``endpoint_scenarios``: endpoint agent ID or name -> a scenario name or a list of them."""
    message = ("endpoint_scenarios must map an endpoint agent ID or name to one of %s or a list of them"
               % ", ".join(ENDPOINT_SCENARIOS))
    if not isinstance(value, dict):
        raise ConfigError(message)
    out = {}
    for key, chosen in value.items():
        names = [chosen] if isinstance(chosen, str) else chosen
        if not isinstance(names, list) or not all(n in ENDPOINT_SCENARIOS for n in names):
            raise ConfigError(message)
        if not any(key in (agent["id"], agent["name"]) for agent in ENDPOINT_AGENTS):
            raise ConfigError("endpoint_scenarios: unknown endpoint agent %s" % key)
        out[key] = list(names)
    return out


def check_fault(rule):
    """Validate one fault rule and return it with defaults applied; raise ConfigError."""
    if not isinstance(rule, dict):
        raise ConfigError("each fault must be an object")
    action = rule.get("action")
    if action not in FAULT_ACTIONS:
        raise ConfigError("fault action must be one of: %s" % ", ".join(FAULT_ACTIONS))
    pattern = rule.get("path", "")
    if not isinstance(pattern, str):
        raise ConfigError("fault path must be a regular expression string")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ConfigError("fault path is not a valid regular expression: %s" % exc) from exc
    method = rule.get("method")
    if method is not None and not isinstance(method, str):
        raise ConfigError("fault method must be a string")
    times = rule.get("times", 1)
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise ConfigError("fault times must be an integer >= 1")
    status = rule.get("status", 502 if action == "html" else 500)
    if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599:
        raise ConfigError("fault status must be an HTTP status code")
    delay = rule.get("delay", 1.0)
    if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
        raise ConfigError("fault delay must be a number of seconds >= 0")
    budget = rule.get("budget", "org")
    if budget not in ("org", "instant"):
        raise ConfigError("fault budget must be 'org' or 'instant'")
    process = rule.get("process", False)
    if not isinstance(process, bool):
        raise ConfigError("fault process must be true or false")
    return {"action": action, "method": method.upper() if method else None, "path": pattern, "times": times,
            "status": status, "delay": float(delay), "budget": budget, "process": process}


class Budget:
    """One fixed-window rate-limit budget."""

    def __init__(self):
        self.start = None
        self.used = 0

    def _roll(self, window, when):
        if self.start is not None and when >= self.start + window:
            self.start = None
            self.used = 0

    def snapshot(self, limit, window, when):
        """(limit, remaining, reset) without spending anything."""
        self._roll(window, when)
        start = self.start if self.start is not None else math.floor(when)
        return limit, max(limit - self.used, 0), int(start + window)

    def spend(self, window, when):
        self._roll(window, when)
        if self.start is None:
            self.start = math.floor(when)
        self.used += 1


class State:
    """All mutable emulator state, behind ``self.lock``."""

    def __init__(self, config=None):
        self.lock = threading.RLock()
        self.started = now()
        self.base_config = check_config(merge_patch(DEFAULT_CONFIG, config or {}))
        self.config = {}
        self.tests = {}
        self.endpoint_tests = {}
        self.log = []
        self.faults = []
        self.budgets = {}
        self.auth_failures = {}
        self.next_test_id = FIRST_TEST_ID
        self.next_dns_server_id = FIRST_DNS_SERVER_ID
        self.next_seq = 1
        self.next_fault_id = 1
        self.reset()

    # -- configuration -------------------------------------------------------------------------
    def reset(self):
        with self.lock:
            self.config = copy.deepcopy(self.base_config)
            self.tests = {}
            self.endpoint_tests = {}
            self.log = []
            self.faults = []
            self.budgets = {"org": Budget(), "instant": Budget()}
            self.auth_failures = {}
            self.next_test_id = FIRST_TEST_ID
            self.next_dns_server_id = FIRST_DNS_SERVER_ID
            self.next_seq = 1
            self.next_fault_id = 1

    def patch_config(self, patch):
        if not isinstance(patch, dict):
            raise ConfigError("the configuration patch must be a JSON object")
        with self.lock:
            self.config = check_config(merge_patch(self.config, patch))
            return copy.deepcopy(self.config)

    # -- agents and account groups -------------------------------------------------------------
    def agent_online(self, agent_id):
        agent = AGENTS_BY_ID.get(agent_id)
        if agent is None or agent.get("seededOffline"):
            return False
        return agent_id not in self.config["offline_agents"]

    @staticmethod
    def aid_known(aid):
        return any(g["aid"] == aid for g in ACCOUNT_GROUPS)

    # -- tests and runs -------------------------------------------------------------------------
    def name_taken(self, aid, name):
        return any(t["aid"] == aid and t["testName"] == name for t in self.tests.values())

    def add_test(self, aid, ttype, version, definition):
        """Store a validated definition and start its first run. Returns the test record."""
        with self.lock:
            test_id = self.next_test_id
            self.next_test_id += 1
            fields = definition["fields"]
            if "dnsServers" in fields:
                servers = []
                for name in fields["dnsServers"]:
                    servers.append({"serverId": self.next_dns_server_id, "serverName": name})
                    self.next_dns_server_id += 1
                fields["dnsServers"] = servers
            test = {
                "testId": test_id, "aid": aid, "type": ttype, "createdVia": version, "instant": True,
                "testName": definition["testName"], "description": definition["description"],
                "agents": definition["agents"], "fields": fields, "extras": definition["extras"],
                "created": now(), "runs": [],
            }
            self.tests[test_id] = test
            self.start_run(test)
            return test

    def find_test(self, aid, test_id):
        test = self.tests.get(test_id)
        if test is None or test["aid"] != aid:
            return None
        return test

    def tests_in(self, aid):
        return [self.tests[i] for i in sorted(self.tests) if self.tests[i]["aid"] == aid]

    def delete_test(self, test_id):
        with self.lock:
            self.tests.pop(test_id, None)

    def start_run(self, test):
        """A run: roundId is the current epoch second, strictly after the previous round."""
        with self.lock:
            when = now()
            round_id = int(when)
            if test["runs"]:
                round_id = max(round_id, test["runs"][-1]["roundId"] + 1)
            reporting = [a["agentId"] for a in test["agents"] if self.agent_online(a["agentId"])]
            run = {"roundId": round_id, "time": when, "visibleAt": when + self.config["result_delay"],
                   "agents": reporting}
            test["runs"].append(run)
            return run

    # -- request log --------------------------------------------------------------------------------
    def log_request(self, entry):
        with self.lock:
            entry["seq"] = self.next_seq
            self.next_seq += 1
            self.log.append(entry)
            if len(self.log) > ANSWER_BODY_LIMIT:
                older = self.log[-ANSWER_BODY_LIMIT - 1].get("response")
                if older is not None:
                    older["body"] = None
            if len(self.log) > LOG_LIMIT:
                del self.log[:len(self.log) - LOG_LIMIT]
            return entry

    def clear_log(self):
        with self.lock:
            self.log = []

    # -- faults ------------------------------------------------------------------------------------
    def add_faults(self, rules):
        if not isinstance(rules, list):
            raise ConfigError("'faults' must be a list")
        checked = [check_fault(r) for r in rules]
        with self.lock:
            for rule in checked:
                rule["id"] = self.next_fault_id
                rule["remaining"] = rule["times"]
                self.next_fault_id += 1
                self.faults.append(rule)
            return copy.deepcopy(self.faults)

    def clear_faults(self):
        with self.lock:
            self.faults = []

    def take_fault(self, method, path):
        """The first live rule matching this request, spending one of its uses."""
        with self.lock:
            for rule in self.faults:
                if rule["method"] and rule["method"] != method:
                    continue
                if not re.search(rule["path"], path):
                    continue
                rule["remaining"] -= 1
                if rule["remaining"] <= 0:
                    self.faults.remove(rule)
                return dict(rule)
            return None

    # -- rate limits ----------------------------------------------------------------------------
    def budget_headers(self, name, when=None):
        when = now() if when is None else when
        conf = self.config["rate_limits"][name]
        return self.budgets[name].snapshot(conf["limit"], conf["window"], when)

    def try_spend(self, names, when=None):
        """Spend one request from every named budget, or none of them. Returns the exhausted name or None."""
        when = now() if when is None else when
        with self.lock:
            for name in names:
                remaining = self.budget_headers(name, when)[1]
                if remaining <= 0:
                    return name
            for name in names:
                self.budgets[name].spend(self.config["rate_limits"][name]["window"], when)
            return None

    # -- source-IP block after repeated 401s ---------------------------------------------------------
    def _recent_failures(self, client, when):
        stamps = [t for t in self.auth_failures.get(client, []) if t > when - AUTH_BLOCK_PERIOD]
        self.auth_failures[client] = stamps
        return stamps

    def note_auth_failure(self, client):
        with self.lock:
            when = now()
            self._recent_failures(client, when).append(when)

    def blocked_for(self, client):
        """Seconds until this client is unblocked, or 0 when it is not blocked."""
        with self.lock:
            when = now()
            stamps = self._recent_failures(client, when)
            limit = self.config["auth_failure_block"]
            if len(stamps) < limit:
                return 0
            # Unblocked once enough of the failures have aged out of the hour.
            return max(stamps[len(stamps) - limit] + AUTH_BLOCK_PERIOD - when, 1)

    # -- control-API views ------------------------------------------------------------------------
    def tests_view(self):
        with self.lock:
            out = []
            for test_id in sorted(self.tests):
                test = self.tests[test_id]
                out.append({
                    "testId": test["testId"], "aid": test["aid"], "type": test["type"], "testName": test["testName"],
                    "createdVia": test["createdVia"], "instant": test["instant"],
                    "agents": [a["agentId"] for a in test["agents"]],
                    "roundIds": [r["roundId"] for r in test["runs"]],
                    "runs": copy.deepcopy(test["runs"]),
                })
            return out
