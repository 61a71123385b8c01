# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pieces shared by the v6 and v7 routes: the request context, responses, error bodies, time helpers."""

import datetime
import json
import re
from http import HTTPStatus
from urllib.parse import urlencode

WINDOW_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


class BadRequest(Exception):
    """A 400 raised from deep inside a handler."""

    def __init__(self, message, errors=None, status=400):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.status = status


class Response:
    """What a handler answers. ``body`` is a JSON-able object, raw bytes, or None for no body."""

    def __init__(self, status, body=None, content_type=None, headers=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = dict(headers or {})


class Context:
    """One API request as the routes see it."""

    def __init__(self, state, method, raw_path, query, headers, body, base, client):
        self.state = state
        self.method = method
        self.raw_path = raw_path
        self.path = raw_path
        self.query = query
        self.headers = headers
        self.body = body
        self.base = base
        self.client = client
        self.version = None
        self.fmt = "json"
        self.aid = None
        self.operation = "other"
        self.auth = None

    def q(self, name):
        values = self.query.get(name)
        return values[0] if values else None

    def media_type(self):
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json_body(self):
        """The body as JSON; BadRequest (415/400) when it is not JSON."""
        media = self.media_type()
        if media != "application/json" and not media.endswith("+json"):
            raise BadRequest("Content-Type must be application/json", status=415)
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except (UnicodeDecodeError, ValueError) as exc:
            raise BadRequest("Malformed JSON in request body: %s" % exc) from exc

    def url(self, path, params=None):
        """An absolute URL on this emulator."""
        if params:
            return "%s%s?%s" % (self.base, path, urlencode(params, doseq=True))
        return self.base + path

    def self_url(self):
        return self.url(self.raw_path, self.query)


def reason(status):
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def v6_error(status, message):
    return Response(status, {"errorMessage": message})


def problem(ctx, status, detail, errors=None, title=None):
    body = {"type": "about:blank", "title": title or reason(status), "status": status, "detail": detail,
            "instance": ctx.raw_path}
    if errors is not None:
        body["errors"] = errors
    return Response(status, body, "application/problem+json")


def error(ctx, status, message, errors=None):
    """The version's error body: v6 {"errorMessage"}, v7 problem+json."""
    if ctx.version == "v7":
        return problem(ctx, status, message, errors)
    return v6_error(status, message)


def v6_date(epoch):
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def v6_param_date(epoch):
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def iso(epoch):
    return datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_window(value):
    match = re.fullmatch(r"(\d+)([smhdw]?)", value or "")
    if not match:
        raise BadRequest("window must be a number with an optional unit s, m, h, d or w")
    return int(match.group(1)) * WINDOW_UNITS[match.group(2)]


def parse_v6_time(value, name):
    for pattern in ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            parsed = datetime.datetime.strptime(value, pattern)
        except ValueError:
            continue
        return int(parsed.replace(tzinfo=datetime.timezone.utc).timestamp())
    raise BadRequest("%s must be YYYY-mm-ddTHH:MM:SS (UTC)" % name)


def parse_iso(value, name):
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise BadRequest("%s must be an ISO-8601 date-time, e.g. 2024-05-01T10:00:00Z" % name) from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return int(parsed.timestamp())


def int_param(ctx, name):
    value = ctx.q(name)
    if value is None:
        return None
    if not re.fullmatch(r"\d+", value):
        raise BadRequest("%s must be a non-negative integer" % name)
    return int(value)


def multi_values(ctx, name):
    """Comma-separated and repeated query values, flattened."""
    out = []
    for value in ctx.query.get(name, []):
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return out


def lower_state(online):
    # v7 spells agent states in lower case like its other enums
    return "online" if online else "offline"


def create_test(ctx, internal_type, parse, rejected):
    """Shared create path: validate, enforce unique names, store and start the first run.

    ``parse`` returns (definition, Invalid); ``rejected(errors)`` builds the 400 answer.
    Returns the stored test or a Response.
    """
    body = ctx.json_body()
    definition, errors = parse(body)
    if errors:
        return rejected(errors.items)
    state = ctx.state
    with state.lock:
        if state.config["unique_test_names"] and state.name_taken(ctx.aid, definition["testName"]):
            return rejected([{"code": "DUPLICATE", "field": "testName", "message": "Test name must be unique"}])
        return state.add_test(ctx.aid, internal_type, ctx.version, definition)


def page_size(ctx):
    return ctx.state.config["page_size"]
