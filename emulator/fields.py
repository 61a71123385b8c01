# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-definition fields per type: validation of create bodies (v6 and v7) and per-version shapes.

A stored test keeps its fields in one neutral form: enums as the v7 lower-case kebab spelling,
booleans as bools, numeric codes as ints. ``render_fields`` turns them into the v6 (0/1, upper-case
enums, integer ids) or the v7 (booleans, kebab enums, string ids) shape.
"""

import re
from collections import namedtuple

from .store import AGENTS_BY_ID

V6_TYPES = ("agent-to-server", "agent-to-agent", "http-server", "page-load", "web-transactions", "ftp-server",
            "dns-trace", "dns-server", "dns-dnssec", "sip-server", "voice")
V7_TYPES = {"agent-to-server": "agent-to-server", "agent-to-agent": "agent-to-agent", "http-server": "http-server",
            "page-load": "page-load", "web-transactions": "web-transactions", "api": "api",
            "ftp-server": "ftp-server", "dns-trace": "dns-trace", "dns-server": "dns-server",
            "dnssec": "dns-dnssec", "sip-server": "sip-server", "voice": "voice"}
INTERNAL_TO_V7 = {v: k for k, v in V7_TYPES.items()}

# canonical (v7) value -> v6 spelling
ENUMS = {
    "protocol": {"tcp": "TCP", "icmp": "ICMP", "udp": "UDP", "tls": "TLS"},
    "probeMode": {"auto": "AUTO", "sack": "SACK", "syn": "SYN"},
    "pathTraceMode": {"classic": "classic", "in-session": "inSession"},
    "direction": {"to-target": "TO_TARGET", "from-target": "FROM_TARGET", "bidirectional": "BIDIRECTIONAL"},
    "dnsTransportProtocol": {"udp": "UDP", "tcp": "TCP"},
    "authType": {"none": "NONE", "basic": "BASIC", "ntlm": "NTLM", "kerberos": "KERBEROS", "oauth": "OAUTH"},
    "requestType": {"download": "Download", "upload": "Upload", "list": "List"},
    "ipv6Policy": {"force-ipv4": "FORCE_IPV4", "prefer-ipv6": "PREFER_IPV6", "force-ipv6": "FORCE_IPV6",
                   "use-agent-policy": "USE_AGENT_POLICY"},
    "dnsQueryClass": {"in": "IN", "ch": "CH"},
    # v7 only
    "requestMethod": {"get": "get", "post": "post"},
    "chromiumTrack": {"stable": "stable", "latest": "latest"},
    "pageLoadingStrategy": {"normal": "normal", "eager": "eager", "none": "none"},
}
DSCP_IDS = (0, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30, 32, 34, 36, 38, 40, 44, 46, 48, 56)
DSCP_NAMES = {0: "Best Effort", 8: "CS1", 10: "AF11", 12: "AF12", 14: "AF13", 16: "CS2", 18: "AF21", 20: "AF22",
              22: "AF23", 24: "CS3", 26: "AF31", 28: "AF32", 30: "AF33", 32: "CS4", 34: "AF41", 36: "AF42",
              38: "AF43", 40: "CS5", 44: "VOICE-ADMIT", 46: "EF", 48: "CS6", 56: "CS7"}
CODECS = {0: ("G.711 @ 64 Kbps", 4.42), 1: ("G.722.1 @ 24 Kbps", 4.2), 2: ("G.722.1 @ 32 Kbps", 4.3),
          3: ("G.726 @ 32 Kbps", 4.05), 4: ("G.723.1 @ 6.4 Kbps", 3.9), 5: ("G.729a @ 8 Kbps", 4.06),
          6: ("RTAudio @ 45 Kbps", 4.4), 7: ("RTAudio @ 27.8 Kbps", 4.1), 8: ("SILK @ 36 Kbps", 4.4),
          9: ("G.722 @ 64 Kbps", 4.5)}
SSL_VERSIONS = {0: "Auto", 3: "SSLv3", 4: "TLSv1.0", 5: "TLSv1.1", 6: "TLSv1.2", 7: "TLSv1.3"}
DNS_RR_TYPES = ("A", "ANY", "NS", "CNAME", "MX", "SOA", "AAAA", "PTR", "TXT", "NULL", "DS", "RRSIG", "DNSKEY", "NSEC")

# Accepted by the instant API but ignored (reference section 5.3), plus fields only the server sets.
IGNORED = frozenset(("interval", "subinterval", "alertsEnabled", "alertRules", "bgpMeasurements", "bgpMonitors",
                     "usePublicBgp", "testId", "type", "createdBy", "createdDate", "modifiedBy", "modifiedDate",
                     "apiLinks", "_links", "liveShare", "savedEvent", "enabled", "sslVersion", "codec", "dscp"))
# v7: write-only, "not returned for Instant Tests".
V7_WRITE_ONLY = frozenset(("labels", "tags", "sharedWithAccounts"))

Spec = namedtuple("Spec", "kind arg default")
PerVersion = namedtuple("PerVersion", "v6 v7")
NO_DEFAULT = PerVersion(None, None)


def _bool(default=None):
    return Spec("bool", None, default)


def _int(lo, hi, default=None):
    return Spec("int", (lo, hi), default)


def _enum(name, allowed=None, default=None):
    """allowed: canonical values, or PerVersion(v6 set, v7 set); None = all values of the enum."""
    return Spec("enum", (name, allowed), default)


def _code(v6_allowed, v7_allowed, default=None):
    """An integer code: int in v6, string in v7."""
    return Spec("code", PerVersion(tuple(v6_allowed), tuple(v7_allowed)), default)


def _str(default=None):
    return Spec("str", None, default)


SECRET = Spec("secret", None, None)
LIST = Spec("list", None, None)
DICT = Spec("dict", None, None)

TCP_ICMP = ("tcp", "icmp")
NET = {
    "protocol": _enum("protocol", TCP_ICMP, "tcp"),
    "probeMode": _enum("probeMode", None, "auto"),
    "pathTraceMode": _enum("pathTraceMode", None, "classic"),
    "numPathTraces": _int(1, 10, 3),
    "networkMeasurements": _bool(True),
    "mtuMeasurements": _bool(False),
    "bandwidthMeasurements": _bool(False),
}
WEB = dict(NET, **{
    "authType": _enum("authType", PerVersion(("none", "basic", "ntlm", "kerberos"),
                                             ("none", "basic", "ntlm", "kerberos", "oauth")), "none"),
    "username": _str(), "password": SECRET, "useNtlm": _bool(False),
    "contentRegex": _str(""), "customHeaders": DICT, "desiredStatusCode": _str(),
    "followRedirects": _bool(True), "httpVersion": _int(1, 2, 2), "httpTargetTime": _int(100, 5000, 1000),
    "httpTimeLimit": _int(5, 60, 5), "sslVersionId": _code((0, 3, 4, 5, 6), (0, 3, 4, 5, 6, 7), 0),
    "userAgent": _str(), "verifyCertificate": _bool(PerVersion(True, False)),
    "ipv6Policy": _enum("ipv6Policy", None, "use-agent-policy"),
})
TYPE_FIELDS = {
    "agent-to-server": dict(NET, **{
        "protocol": _enum("protocol", PerVersion(TCP_ICMP, ("tcp", "icmp", "udp")), "tcp"),
        "mtuMeasurements": _bool(PerVersion(True, False)),
        "networkMeasurements": _bool(PerVersion(True, False)),
        "pingPayloadSize": Spec("int", PerVersion((-1, 1400), (0, 1400)), PerVersion(-1, None)),
        "continuousMode": _bool(), "fixedPacketRate": _int(0, 100), "randomizedStartTime": _bool(),
        "dscpId": _code(DSCP_IDS, DSCP_IDS), "ipv6Policy": _enum("ipv6Policy"),
    }),
    "agent-to-agent": {
        "direction": _enum("direction", None, "to-target"),
        "protocol": _enum("protocol", ("tcp", "udp"), "tcp"),
        "port": _int(1, 65535, 49153),
        "dscpId": _code(DSCP_IDS, DSCP_IDS, 0),
        "mss": _int(20, 1400),
        "numPathTraces": _int(1, 10, 3),
        "pathTraceMode": _enum("pathTraceMode", None, "classic"),
        "throughputMeasurements": _bool(False),
        "throughputDuration": _int(5000, 30000, 10000),
        "throughputRate": _int(8, 1000),
    },
    "http-server": dict(WEB, **{
        "clientCertificate": _str(), "headers": LIST, "downloadLimit": _int(0, 2 ** 31 - 1),
        "dnsOverride": _str(), "postBody": _str(),
    }),
    "page-load": dict(WEB, **{
        "includeHeaders": _bool(True), "pageLoadTargetTime": _int(1, 60, 6), "pageLoadTimeLimit": _int(5, 60, 10),
    }),
    "web-transactions": dict(WEB, **{
        "transactionScript": _str(), "credentials": LIST, "includeHeaders": _bool(True),
        "targetTime": _int(1, 60, 15), "timeLimit": _int(5, 180, 30),
    }),
    "api": {
        "requests": LIST, "timeLimit": _int(5, 180, 30), "targetTime": _int(1, 180),
        "networkMeasurements": _bool(False), "mtuMeasurements": _bool(False),
        "numPathTraces": _int(1, 10, 3), "pathTraceMode": _enum("pathTraceMode", None, "classic"),
        "probeMode": _enum("probeMode", None, "auto"), "protocol": _enum("protocol", TCP_ICMP, "tcp"),
        "ipv6Policy": _enum("ipv6Policy"), "followRedirects": _bool(True),
        "sslVersionId": _code((0, 3, 4, 5, 6), (0, 3, 4, 5, 6, 7), 0), "verifyCertificate": _bool(False),
    },
    "ftp-server": dict(NET, **{
        "requestType": _enum("requestType"), "username": _str(), "password": SECRET,
        "downloadLimit": _int(0, 2 ** 31 - 1), "ftpTargetTime": _int(1000, 6000), "ftpTimeLimit": _int(10, 60, 10),
        "useActiveFtp": _bool(False), "useExplicitFtps": _bool(False),
    }),
    "dns-trace": {
        "dnsTransportProtocol": _enum("dnsTransportProtocol", None, "udp"),
        "dnsQueryClass": _enum("dnsQueryClass", None, "in"),
    },
    "dns-server": dict(NET, **{
        "numPathTraces": _int(1, 10, 1),
        "dnsTransportProtocol": _enum("dnsTransportProtocol", None, "udp"),
        "dnsQueryClass": _enum("dnsQueryClass", None, "in"),
        "recursiveQueries": _bool(True), "ipv6Policy": _enum("ipv6Policy"),
    }),
    "dns-dnssec": {},
    "sip-server": {
        "optionsRegex": _str(), "registerEnabled": _bool(False), "sipTargetTime": _int(100, 5000, 1000),
        "sipTimeLimit": _int(5, 10, 5), "networkMeasurements": _bool(True), "mtuMeasurements": _bool(False),
        "bandwidthMeasurements": _bool(False), "numPathTraces": _int(1, 10, 3),
        "pathTraceMode": _enum("pathTraceMode", None, "classic"), "probeMode": _enum("probeMode", None, "auto"),
    },
    "voice": {
        "codecId": _code(range(0, 9), range(0, 10), 0), "dscpId": _code(DSCP_IDS, DSCP_IDS, 46),
        "duration": _int(5, 30, 5), "jitterBuffer": _int(0, 150, 40), "numPathTraces": _int(1, 10, 3),
        "networkMeasurements": _bool(True), "pathTraceMode": _enum("pathTraceMode", None, "classic"),
    },
}
# v7: the request schema per type (the request models of the vendor's SDK 6.0.0). Fields the v7 schema does not have for a
# type are not taken (dropped like any unknown v7 field) and not answered ...
V7_ABSENT = {
    "page-load": ("ipv6Policy",), "web-transactions": ("ipv6Policy",),
    "api": ("ipv6Policy", "verifyCertificate"),
    "sip-server": ("bandwidthMeasurements",),
    "voice": ("networkMeasurements", "pathTraceMode"),
}
# ... and these are v7's own or replace the shared spec (ranges and enums of the v7 models).
_ANY_PROTOCOL = _enum("protocol", PerVersion(TCP_ICMP, ("tcp", "icmp", "udp")), "tcp")
_V7_NET = {"protocol": _ANY_PROTOCOL, "randomizedStartTime": _bool(), "fixedPacketRate": _int(0, 100)}
_V7_WEB = dict(_V7_NET, **{
    "distributedTracing": _bool(), "oAuth": DICT, "allowUnsafeLegacyRenegotiation": _bool(),
    "overrideAgentProxy": _bool(), "overrideProxyId": _str(), "collectProxyNetworkData": _bool(),
    "vaultCredentials": LIST,
})
_V7_BROWSER = dict(_V7_WEB, **{
    "clientCertificate": _str(), "downloadLimit": _int(0, 2 ** 31 - 1), "dnsOverride": _str(),
    "emulatedDeviceId": _str(), "blockDomains": _str(), "disableScreenshot": _bool(), "allowMicAndCamera": _bool(),
    "allowGeolocation": _bool(), "browserLanguage": _str(), "chromeOptions": _str(), "chromePolicies": _str(),
    "chromiumTrack": _enum("chromiumTrack"), "pageLoadingStrategy": _enum("pageLoadingStrategy"),
    "identifyAgentTrafficWithUserAgent": _bool(),
})
V7_FIELDS = {
    "agent-to-server": {},
    "agent-to-agent": {"randomizedStartTime": _bool(), "fixedPacketRate": _int(0, 100)},
    "http-server": dict(_V7_WEB, includeHeaders=_bool(True), requestMethod=_enum("requestMethod")),
    "page-load": _V7_BROWSER,
    "web-transactions": dict(_V7_BROWSER, flagCollectConsoleLogs=_bool(), targetTime=_int(1, 180, 10)),
    "api": {"protocol": _ANY_PROTOCOL, "targetTime": _int(0, 60), "networkMeasurements": _bool(True),
            "clientCertificate": _str(), "clientCertDomainsAllowList": _str(), "collectProxyNetworkData": _bool(),
            "distributedTracing": _bool(), "overrideAgentProxy": _bool(), "overrideProxyId": _str(),
            "predefinedVariables": LIST, "randomizedStartTime": _bool(), "credentials": LIST, "vaultCredentials": LIST},
    "ftp-server": dict(_V7_NET, ipv6Policy=_enum("ipv6Policy")),
    "dns-trace": {"randomizedStartTime": _bool()},
    "dns-server": _V7_NET,
    "dns-dnssec": {"dnsQueryClass": _enum("dnsQueryClass"), "randomizedStartTime": _bool()},
    "sip-server": {"randomizedStartTime": _bool(), "fixedPacketRate": _int(0, 100), "ipv6Policy": _enum("ipv6Policy")},
    "voice": {"port": _int(1024, 65535), "randomizedStartTime": _bool()},
}


def specs_for(ttype, version):
    """The typed fields of a test type in one API version."""
    specs = TYPE_FIELDS[ttype]
    if version == "v6":
        return specs
    out = {key: spec for key, spec in specs.items() if key not in V7_ABSENT.get(ttype, ())}
    out.update(V7_FIELDS[ttype])
    return out


# Fields with their own parsing (required targets and nested objects).
SPECIAL = {
    "agent-to-server": ("server", "port"),
    "agent-to-agent": ("targetAgentId",),
    "http-server": ("url",), "page-load": ("url",), "web-transactions": ("url",), "api": ("url",),
    "ftp-server": ("url",),
    "dns-trace": ("domain",), "dns-server": ("domain", "dnsServers"), "dns-dnssec": ("domain",),
    "sip-server": ("targetSipCredentials", "sipRegistrar", "port", "protocol", "authUser", "password", "user",
                   "sipProxy"),
    "voice": ("targetAgentId",),
}
SIP_KEYS = ("sipRegistrar", "port", "protocol", "authUser", "password", "user", "sipProxy")

# Result layers per type (v7 names), primary first. Network layers only with networkMeasurements,
# except for the pure network types.
PRIMARY_LAYER = {"http-server": "http-server", "page-load": "page-load", "web-transactions": "web-transactions",
                 "api": "api", "ftp-server": "ftp-server", "dns-trace": "dns-trace", "dns-server": "dns-server",
                 "dns-dnssec": "dnssec", "sip-server": "sip-server", "voice": "rtp-server"}
NET_LAYERS = ("network", "path-vis")


class Invalid:
    """Collects validation errors as (code, field, message)."""

    def __init__(self):
        self.items = []

    def add(self, code, field, message):
        self.items.append({"code": code, "field": field, "message": message})

    def __bool__(self):
        return bool(self.items)


def layers_for(test):
    ttype = test["type"]
    if ttype in ("agent-to-server", "agent-to-agent"):
        return list(NET_LAYERS)
    layers = [PRIMARY_LAYER[ttype]] if ttype in PRIMARY_LAYER else []
    # v7 voice tests have no networkMeasurements switch: they always measure the network
    if test["fields"].get("networkMeasurements", ttype == "voice"):
        layers.extend(NET_LAYERS)
    return layers


def _default(spec, version):
    value = spec.default
    if isinstance(value, PerVersion):
        value = value.v6 if version == "v6" else value.v7
    return value


def _to_int(value, version):
    """ints; v6 also takes digit strings (its clients often send them)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if version == "v6" and isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    return None


def coerce(spec, value, version, field, errors):
    """Validate one value against its spec; return the neutral value (or None after recording an error)."""
    kind = spec.kind
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if version == "v6" and _to_int(value, version) in (0, 1):
            return bool(_to_int(value, version))
        errors.add("INVALID_VALUE", field, "%s must be %s" % (field, "0 or 1" if version == "v6" else "a boolean"))
    elif kind == "int":
        lo, hi = spec.arg if not isinstance(spec.arg, PerVersion) else (spec.arg.v6 if version == "v6" else spec.arg.v7)
        number = _to_int(value, version)
        if number is None:
            errors.add("INVALID_VALUE", field, "%s must be an integer" % field)
        elif not lo <= number <= hi:
            errors.add("OUT_OF_RANGE", field, "%s must be between %d and %d" % (field, lo, hi))
        else:
            return number
    elif kind == "enum":
        return _coerce_enum(spec, value, version, field, errors)
    elif kind == "code":
        allowed = spec.arg.v6 if version == "v6" else spec.arg.v7
        number = _to_int(value, "v6") if version == "v6" else None
        if version == "v7" and isinstance(value, str) and re.fullmatch(r"[0-9]+", value):
            number = int(value)
        if number is None or number not in allowed:
            shown = ", ".join(str(a) if version == "v6" else '"%s"' % a for a in allowed)
            errors.add("INVALID_VALUE", field, "%s must be one of %s" % (field, shown))
        else:
            return number
    elif kind in ("str", "secret"):
        if isinstance(value, str):
            return value
        errors.add("INVALID_VALUE", field, "%s must be a string" % field)
    elif kind == "list":
        if isinstance(value, list):
            return value
        errors.add("INVALID_VALUE", field, "%s must be a list" % field)
    elif kind == "dict":
        if isinstance(value, dict):
            return value
        errors.add("INVALID_VALUE", field, "%s must be an object" % field)
    return None


def _coerce_enum(spec, value, version, field, errors):
    name, allowed = spec.arg
    table = ENUMS[name]
    if isinstance(allowed, PerVersion):
        allowed = allowed.v6 if version == "v6" else allowed.v7
    allowed = tuple(allowed or table)
    if isinstance(value, str):
        if version == "v7" and value in allowed:
            return value
        if version == "v6":
            # v6 spellings, matched without regard to case
            for canon in allowed:
                if table[canon].lower() == value.lower():
                    return canon
    shown = ", ".join(allowed if version == "v7" else (table[a] for a in allowed))
    errors.add("INVALID_VALUE", field, "%s must be one of %s" % (field, shown))
    return None


def _agent_id(value):
    """Agent ids: integers in v6, strings in v7; either spelling is taken in both."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    # ASCII digits only: str.isdigit() takes "³", which int() refuses.
    if isinstance(value, str) and re.fullmatch(r"[0-9]+", value.strip()):
        return int(value)
    return None


def _parse_agents(value, errors):
    if not value:
        errors.add("REQUIRED", "agents", "agents is required and must not be empty")
        return []
    if not isinstance(value, list):
        errors.add("INVALID_VALUE", "agents", "agents must be a list of objects with agentId")
        return []
    agents, seen = [], set()
    for index, item in enumerate(value):
        where = "agents[%d]" % index
        if not isinstance(item, dict) or "agentId" not in item:
            errors.add("REQUIRED", where + ".agentId", "each agent needs an agentId")
            continue
        agent_id = _agent_id(item["agentId"])
        agent = AGENTS_BY_ID.get(agent_id)
        if agent is None:
            errors.add("INVALID_AGENT", where + ".agentId", "Unknown agentId %s" % item["agentId"])
            continue
        if agent_id in seen:
            errors.add("DUPLICATE", where + ".agentId", "agent %s is listed twice" % agent_id)
            continue
        seen.add(agent_id)
        source = item.get("sourceIpAddress")
        if source is not None and source not in agent["ipAddresses"]:
            errors.add("INVALID_VALUE", where + ".sourceIpAddress",
                       "sourceIpAddress %s is not an address of agent %s" % (source, agent_id))
            continue
        agents.append({"agentId": agent_id, "sourceIpAddress": source})
    return agents


def _required_str(body, key, errors, pattern=None, hint=""):
    value = body.get(key)
    if value is None or value == "":
        errors.add("REQUIRED", key, "%s is required" % key)
        return None
    if not isinstance(value, str):
        errors.add("INVALID_VALUE", key, "%s must be a string" % key)
        return None
    if pattern and not re.match(pattern, value, re.IGNORECASE):
        errors.add("INVALID_VALUE", key, "%s must %s" % (key, hint))
        return None
    return value.strip()


def _target_agent(body, sources, errors):
    raw = body.get("targetAgentId")
    if raw is None or raw == "":
        errors.add("REQUIRED", "targetAgentId", "targetAgentId is required")
        return None
    agent_id = _agent_id(raw)
    if agent_id not in AGENTS_BY_ID:
        errors.add("INVALID_AGENT", "targetAgentId", "Unknown targetAgentId %s" % raw)
        return None
    if agent_id in [a["agentId"] for a in sources]:
        errors.add("INVALID_VALUE", "targetAgentId", "the target agent cannot also be a source agent")
        return None
    return agent_id


def _server(body, version, fields, errors):
    """agent-to-server: the API answers with server as host:port for TCP (and UDP), a bare host for ICMP."""
    server = _required_str(body, "server", errors)
    if server is None:
        return
    host, port = server, None
    match = re.fullmatch(r"([^:\s]+):(\d+)", server)
    if match:
        host, port = match.group(1), int(match.group(2))
        if not 1 <= port <= 65535:
            errors.add("OUT_OF_RANGE", "server", "the port in server must be between 1 and 65535")
    given = None
    if "port" in body:
        given = coerce(_int(1, 65535), body["port"], version, "port", errors)
        if given is not None and port is not None and given != port:
            errors.add("INVALID_VALUE", "port", "port %s conflicts with the port in server %s" % (given, server))
    if fields.get("protocol") == "icmp":
        if "port" in body or port is not None:
            errors.add("INVALID_VALUE", "port", "a port cannot be set when protocol is ICMP")
        fields["server"], fields["port"] = host, None
        return
    fields["server"], fields["port"] = host, given or port or 80


def _sip(body, version, fields, errors):
    creds = body.get("targetSipCredentials")
    if creds is not None and not isinstance(creds, dict):
        errors.add("INVALID_VALUE", "targetSipCredentials", "targetSipCredentials must be an object")
        return
    merged = dict(creds or {})
    if version == "v6":
        # v6 also documents these keys at the top level of the test
        for key in SIP_KEYS:
            if key in body and key not in merged:
                merged[key] = body[key]
    elif creds is None:
        errors.add("REQUIRED", "targetSipCredentials", "targetSipCredentials is required")
        return
    out = {}
    registrar = merged.get("sipRegistrar")
    if not registrar or not isinstance(registrar, str):
        errors.add("REQUIRED", "targetSipCredentials.sipRegistrar", "sipRegistrar is required")
    else:
        out["sipRegistrar"] = registrar
    if merged.get("port") is None:
        errors.add("REQUIRED", "targetSipCredentials.port", "port is required")
    else:
        out["port"] = coerce(_int(1024, 65535), merged["port"], version, "targetSipCredentials.port", errors)
    out["protocol"] = "tcp"
    if "protocol" in merged:
        out["protocol"] = coerce(_enum("protocol", ("tcp", "tls", "udp")), merged["protocol"], version,
                                 "targetSipCredentials.protocol", errors)
    for key in ("authUser", "user", "sipProxy", "password"):
        if merged.get(key) is not None:
            out[key] = coerce(SECRET if key == "password" else _str(), merged[key], version,
                              "targetSipCredentials." + key, errors)
    fields["targetSipCredentials"] = out


def _dns_servers(body, version, errors):
    value = body.get("dnsServers")
    if not value or not isinstance(value, list):
        errors.add("REQUIRED", "dnsServers", "dnsServers is required and must be a non-empty list")
        return None
    names = []
    for index, item in enumerate(value):
        name = item if version == "v7" else (item.get("serverName") if isinstance(item, dict) else None)
        if not isinstance(name, str) or not name.strip():
            shape = "a string" if version == "v7" else 'an object {"serverName": "..."}'
            errors.add("INVALID_VALUE", "dnsServers[%d]" % index, "each DNS server must be %s" % shape)
            continue
        names.append(name.strip())
    return names


def _domain(body, errors):
    domain = _required_str(body, "domain", errors)
    if domain is None:
        return None
    parts = domain.split()
    if len(parts) > 2 or (len(parts) == 2 and parts[1].upper() not in DNS_RR_TYPES):
        errors.add("INVALID_VALUE", "domain", "domain must be '<name>' or '<name> <TYPE>' with TYPE one of %s"
                   % ", ".join(DNS_RR_TYPES))
        return None
    return domain


def _special(ttype, body, version, agents, fields, errors):
    if ttype == "agent-to-server":
        _server(body, version, fields, errors)
    elif ttype in ("agent-to-agent", "voice"):
        fields["targetAgentId"] = _target_agent(body, agents, errors)
    elif ttype in ("http-server", "page-load", "web-transactions", "api"):
        fields["url"] = _required_str(body, "url", errors, r"https?://\S+$", "start with http:// or https://")
    elif ttype == "ftp-server":
        fields["url"] = _required_str(body, "url", errors, r"ftp://\S+$", "start with ftp://")
    elif ttype == "sip-server":
        _sip(body, version, fields, errors)
    if ttype.startswith("dns-"):
        fields["domain"] = _domain(body, errors)
    if ttype == "dns-server":
        fields["dnsServers"] = _dns_servers(body, version, errors)


# The api type's steps (ApiRequest of the v7 schema): field -> kind or enum values. Unknown step keys are dropped,
# as unknown fields are everywhere in v7; credentials are taken and never answered.
API_STEP_ENUMS = {
    "method": ("get", "post", "put", "delete", "patch"),
    "authType": ("none", "basic", "bearer-token", "oauth2"),
    "clientAuthentication": ("basic-auth-header", "in-body"),
}
API_STEP_STRINGS = ("name", "url", "body", "username", "password", "bearerToken", "clientId", "clientSecret", "tokenUrl", "scope")
API_STEP_BOOLS = ("verifyCertificate", "collectApiResponse")
API_STEP_SECRETS = ("password", "bearerToken", "clientSecret")
API_ASSERTION_ENUMS = {"name": ("status-code", "response-body"),
                       "operator": ("is", "is-not", "includes", "not-includes", "matches", "not-matches")}
# ApiRequestAssertionOperator: "If name = status-code, accepted values are [is, is-not]. If name = response-body,
# accepted values are [includes, not-includes, matches, not-matches]."
API_ASSERTION_OPERATORS_BY_NAME = {"status-code": ("is", "is-not"), "response-body": ("includes", "not-includes", "matches", "not-matches")}


def _pairs(items, where, keys, errors, enums=None):
    """A list of flat objects of string fields (headers, variables, assertions); unknown keys dropped."""
    if not isinstance(items, list):
        errors.add("INVALID_VALUE", where, "%s must be a list" % where)
        return []
    out = []
    for index, item in enumerate(items):
        here = "%s[%d]" % (where, index)
        if not isinstance(item, dict):
            errors.add("INVALID_VALUE", here, "%s must be an object" % here)
            continue
        entry = {}
        for key in keys:
            value = item.get(key)
            if value is None:
                continue
            if not isinstance(value, str):
                errors.add("INVALID_VALUE", "%s.%s" % (here, key), "%s.%s must be a string" % (here, key))
            elif enums and key in enums and value not in enums[key]:
                errors.add("INVALID_VALUE", "%s.%s" % (here, key), "%s.%s must be one of %s" % (here, key, ", ".join(enums[key])))
            else:
                entry[key] = value
        out.append(entry)
    return out


def _api_step(index, item, errors):
    where = "requests[%d]" % index
    if not isinstance(item, dict) or not item.get("name") or not item.get("url"):
        errors.add("REQUIRED", where, "each request needs a name and a url")
        return item
    step = {}
    for key in API_STEP_STRINGS:
        if item.get(key) is not None:
            if isinstance(item[key], str):
                step[key] = item[key]
            else:
                errors.add("INVALID_VALUE", "%s.%s" % (where, key), "%s.%s must be a string" % (where, key))
    for key, allowed in API_STEP_ENUMS.items():
        if item.get(key) is not None:
            if item[key] in allowed:
                step[key] = item[key]
            else:
                errors.add("INVALID_VALUE", "%s.%s" % (where, key), "%s.%s must be one of %s" % (where, key, ", ".join(allowed)))
    for key in API_STEP_BOOLS:
        if item.get(key) is not None:
            if isinstance(item[key], bool):
                step[key] = item[key]
            else:
                errors.add("INVALID_VALUE", "%s.%s" % (where, key), "%s.%s must be a boolean" % (where, key))
    # ApiRequest.collectApiResponse: "Set to true if API response body should be collected and saved", default true.
    step.setdefault("collectApiResponse", True)
    if item.get("waitTimeMs") is not None:
        if isinstance(item["waitTimeMs"], int) and not isinstance(item["waitTimeMs"], bool) and item["waitTimeMs"] >= 0:
            step["waitTimeMs"] = item["waitTimeMs"]
        else:
            errors.add("INVALID_VALUE", "%s.waitTimeMs" % where, "%s.waitTimeMs must be an integer of 0 or more" % where)
    if item.get("headers") is not None:
        step["headers"] = _pairs(item["headers"], where + ".headers", ("key", "value"), errors)
    if item.get("variables") is not None:
        step["variables"] = _pairs(item["variables"], where + ".variables", ("name", "value"), errors)
    if item.get("assertions") is not None:
        step["assertions"] = _pairs(item["assertions"], where + ".assertions", ("name", "operator", "value"), errors,
                                    API_ASSERTION_ENUMS)
        for number, assertion in enumerate(step["assertions"]):
            fitting = API_ASSERTION_OPERATORS_BY_NAME.get(assertion.get("name"))
            if fitting and assertion.get("operator") is not None and assertion["operator"] not in fitting:
                here = "%s.assertions[%d].operator" % (where, number)
                errors.add("INVALID_VALUE", here, "%s must be one of %s for a %s assertion" % (here, ", ".join(fitting), assertion["name"]))
    return step


def render_api_steps(steps):
    """The steps as answered: without their credentials."""
    return [dict((key, value) for key, value in step.items() if key not in API_STEP_SECRETS) for step in steps or []]


def _cross_checks(ttype, fields, agents, errors):
    if ttype == "web-transactions" and not fields.get("transactionScript"):
        errors.add("REQUIRED", "transactionScript", "transactionScript is required")
    if ttype == "ftp-server":
        for key in ("requestType", "username", "password"):
            if not fields.get(key):
                errors.add("REQUIRED", key, "%s is required" % key)
    if ttype == "api":
        requests = fields.get("requests")
        if not requests:
            errors.add("REQUIRED", "requests", "requests is required and must not be empty")
        else:
            fields["requests"] = [_api_step(index, item, errors) for index, item in enumerate(requests)]
        if fields.get("predefinedVariables") is not None:
            fields["predefinedVariables"] = _pairs(fields["predefinedVariables"], "predefinedVariables", ("name", "value"), errors)
    if ttype == "page-load" and fields.get("pageLoadTimeLimit") is not None and fields.get("httpTimeLimit") is not None:
        if fields["pageLoadTimeLimit"] <= fields["httpTimeLimit"]:
            errors.add("INVALID_VALUE", "pageLoadTimeLimit", "pageLoadTimeLimit must be greater than httpTimeLimit")
    if ttype == "agent-to-agent":
        if fields.get("throughputRate") is not None and fields.get("protocol") != "udp":
            errors.add("INVALID_VALUE", "throughputRate", "throughputRate applies to UDP tests only")
        if fields.get("throughputMeasurements"):
            ends = [a["agentId"] for a in agents] + [fields.get("targetAgentId")]
            if any(AGENTS_BY_ID.get(a, {}).get("agentType") == "cloud" for a in ends):
                errors.add("INVALID_VALUE", "throughputMeasurements",
                           "throughput measurements are not allowed when either end is a Cloud Agent")


def parse_definition(version, ttype, body):
    """Validate a create body. Returns (definition, Invalid)."""
    errors = Invalid()
    if not isinstance(body, dict):
        errors.add("INVALID_VALUE", "", "the request body must be a JSON object")
        return None, errors
    name = body.get("testName")
    if not isinstance(name, str) or not name.strip():
        errors.add("REQUIRED", "testName", "testName is required")
    description = body.get("description", "")
    if not isinstance(description, str):
        errors.add("INVALID_VALUE", "description", "description must be a string")
    agents = _parse_agents(body.get("agents"), errors)
    specs = specs_for(ttype, version)
    special = SPECIAL.get(ttype, ())
    fields, extras = {}, {}
    # protocol first: the server/port rules depend on it
    for key in sorted(body, key=lambda k: k != "protocol"):
        value = body[key]
        if key in ("testName", "description", "agents") or key in IGNORED or key in special:
            continue
        if version == "v7" and key in V7_WRITE_ONLY:
            continue
        if key in specs:
            fields[key] = coerce(specs[key], value, version, key, errors)
        elif version == "v6":
            # v6 echoes unknown fields; v7 ignores what its schema does not define
            extras[key] = value
    for key, spec in specs.items():
        if key not in fields:
            default = _default(spec, version)
            if default is not None:
                fields[key] = default
    _special(ttype, body, version, agents, fields, errors)
    _cross_checks(ttype, fields, agents, errors)
    definition = {"testName": (name or "").strip() if isinstance(name, str) else name,
                  "description": description, "agents": agents, "fields": fields, "extras": extras}
    return definition, errors


def _render_value(spec, value, version):
    if value is None:
        return None
    if spec.kind == "bool":
        return (1 if value else 0) if version == "v6" else bool(value)
    if spec.kind == "enum":
        return ENUMS[spec.arg[0]][value] if version == "v6" else value
    if spec.kind == "code":
        return value if version == "v6" else str(value)
    return value


def target_agent_ip(agent_id):
    agent = AGENTS_BY_ID.get(agent_id)
    if agent is None:
        return ""
    return agent.get("targetForTests") or agent["ipAddresses"][0]


def render_fields(test, version):
    """The type-specific fields of a test in the v6 or v7 shape (passwords never echoed)."""
    ttype, fields = test["type"], test["fields"]
    specs = specs_for(ttype, version)
    out = {}
    for key, spec in specs.items():
        if spec.kind != "secret" and fields.get(key) is not None:
            out[key] = _render_value(spec, fields[key], version)
    if ttype == "agent-to-server":
        out["server"] = "%s:%d" % (fields["server"], fields["port"]) if fields.get("port") else fields["server"]
    if ttype in ("agent-to-agent", "voice"):
        out["targetAgentId"] = fields["targetAgentId"] if version == "v6" else str(fields["targetAgentId"])
    if ttype == "voice":
        if version == "v6":
            out["server"] = "%s:49152" % target_agent_ip(fields["targetAgentId"])
        out["codec"] = CODECS[fields["codecId"]][0]
    if "dscpId" in fields and fields["dscpId"] is not None:
        out["dscp"] = "%s (DSCP %d)" % (DSCP_NAMES[fields["dscpId"]], fields["dscpId"])
    if "sslVersionId" in fields and (version == "v6" or ttype != "api"):
        out["sslVersion"] = SSL_VERSIONS[fields["sslVersionId"]]
    if ttype == "api" and "requests" in out:
        out["requests"] = render_api_steps(out["requests"])
    for key in ("url", "domain"):
        if key in fields:
            out[key] = fields[key]
    if "dnsServers" in fields:
        out["dnsServers"] = [{"serverId": s["serverId"] if version == "v6" else str(s["serverId"]),
                              "serverName": s["serverName"]} for s in fields["dnsServers"]]
    if ttype == "sip-server":
        creds = {k: v for k, v in fields["targetSipCredentials"].items() if k != "password"}
        creds["protocol"] = ENUMS["protocol"][creds["protocol"]] if version == "v6" else creds["protocol"]
        out["targetSipCredentials"] = creds
        if version == "v6":
            out.update(creds)
            out["server"] = "%s:%d" % (creds["sipRegistrar"], creds["port"])
    if version == "v6" and ttype not in ("dns-trace", "dns-dnssec", "api"):
        out["bgpMeasurements"] = 0
    return out


def target_string(test):
    """What target_profiles keys are matched against."""
    fields = test["fields"]
    if test["type"] == "agent-to-server":
        return "%s:%s" % (fields["server"], fields["port"]) if fields.get("port") else fields["server"]
    if "url" in fields:
        return fields["url"]
    if "domain" in fields:
        return fields["domain"]
    if "targetSipCredentials" in fields:
        creds = fields["targetSipCredentials"]
        return "%s:%s" % (creds["sipRegistrar"], creds["port"])
    if "targetAgentId" in fields:
        agent = AGENTS_BY_ID[fields["targetAgentId"]]
        return "%s %s" % (agent["agentName"], target_agent_ip(agent["agentId"]))
    return ""
