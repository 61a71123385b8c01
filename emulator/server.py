# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP layer: routing to v6/v7, format negotiation, auth, aid, rate limits, faults, the request
log and the control API under /_emulator/."""

import base64
import binascii
import copy
import json
import re
import socket
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from . import __version__, v6, v7
from .common import BadRequest, Context, Response, error, problem, reason
from .store import BASIC_TOKEN, BASIC_USER, BEARER_TOKEN, DEFAULT_AID, ConfigError, now
from .xml import to_xml

CONTROL_PREFIX = "/_emulator"
MAINTENANCE_TEXT = "The ThousandEyes API is in maintenance mode. Please try again later."
HTML_PAGE = ("<!DOCTYPE html>\n<html><head><title>%(status)d %(reason)s</title></head>"
             "<body><center><h1>%(status)d %(reason)s</h1></center><hr><center>nginx</center></body></html>\n")
HEADER_NAMES = {"org": "X-Organization-Rate-Limit", "instant": "X-Instant-Test-Rate-Limit"}
# Calls on the instant-test budget: POST /v6/instant/* and POST /v7/tests/*/instant|run (version prefix removed).
INSTANT_PATHS = {"v6": re.compile(r"instant(/.*)?"), "v7": re.compile(r"tests/[^/]+/(instant|run)")}
NEVER = re.compile(r"(?!)")
# Fault actions that answer instead of the API (unless the rule says "process": true first).
REPLACING = ("status", "maintenance", "html", "xml")


class EmulatorServer(ThreadingHTTPServer):
    """A threading HTTP server bound to loopback that carries the shared State."""

    daemon_threads = True
    # parallel clients (the tests fire several creates at once) must not wait on a full accept queue
    request_queue_size = 128

    def __init__(self, address, state, verbose=False):
        super().__init__(address, Handler)
        self.state = state
        self.verbose = verbose
        host, port = self.server_address[:2]
        self.base_url = "http://%s:%d" % (host, port)


def _flat_query(query):
    return {k: (v[0] if len(v) == 1 else list(v)) for k, v in query.items()}


def _json_or_none(body):
    if not body:
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None


def _content_type(headers):
    for name, value in headers:
        if name == "Content-Type":
            return value
    return None


def _logged_response(response):
    """A log entry's answer as the control API shows it: a JSON body parsed, any other body left out."""
    if response is None:
        return None
    ctype = (response["contentType"] or "").split(";")[0].strip()
    body = _json_or_none(response["body"]) if ctype == "application/json" or ctype.endswith("+json") else None
    return {"status": response["status"], "contentType": response["contentType"], "body": body}


def _match(routes, method, path):
    """(route, groups, method_mismatch)."""
    mismatch = False
    for route in routes:
        found = route[1].fullmatch(path)
        if found:
            if route[0] == method:
                return route, {k: v for k, v in found.groupdict().items() if v is not None}, False
            mismatch = True
    return None, {}, mismatch


class Handler(BaseHTTPRequestHandler):
    """One connection; requests are handled one after another (HTTP/1.1 keep-alive)."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY the body waits for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    server_version = "ThousandEyes-Emulator/" + __version__
    sys_version = ""

    def version_string(self):
        return self.server_version

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self):
        self._handle()

    def do_POST(self):
        self._handle()

    def do_PUT(self):
        self._handle()

    def do_PATCH(self):
        self._handle()

    def do_DELETE(self):
        self._handle()

    # -- plumbing ------------------------------------------------------------------------------------
    def _read_body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        return self.rfile.read(length) if length > 0 else b""

    def _write(self, status, headers, data):
        self.send_response(status, reason(status))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if data:
            self.wfile.write(data)
        self.wfile.flush()

    def _drop(self):
        """Close the connection without a response."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _send_json(self, status, obj):
        data = json.dumps(obj, indent=1).encode("utf-8")
        self._write(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data))),
                             ("Cache-Control", "no-store")], data)

    def _handle(self):
        parts = urlsplit(self.path)
        query = parse_qs(parts.query, keep_blank_values=True)
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self._send_json(400, {"error": "unreadable request body"})
            self.close_connection = True
            return
        if parts.path == CONTROL_PREFIX or parts.path.startswith(CONTROL_PREFIX + "/"):
            self._control(parts.path[len(CONTROL_PREFIX):].strip("/"), body)
        else:
            self._api(parts.path, query, body)

    # -- the API ---------------------------------------------------------------------------------------
    def _api(self, path, query, body):
        state = self.server.state
        ctx = Context(state, self.command, path, query, self.headers, body, self.server.base_url, self.client_address[0])
        routes = self._resolve(ctx)
        ctx.auth = self._auth_scheme()
        entry = state.log_request({
            "time": now(), "method": self.command, "path": path, "query": _flat_query(query), "version": ctx.version,
            "operation": ctx.operation, "status": None, "auth": ctx.auth, "aid": ctx.q("aid"),
            "body": _json_or_none(body), "fault": None, "response": None})
        fault = state.take_fault(self.command, path)
        action = fault["action"] if fault else None
        with state.lock:
            entry["fault"] = action
        if action == "drop_before":
            self._drop()
            return
        with state.lock:
            if action == "rate_limit":
                resp = self._too_many(ctx, fault["budget"], exhausted=True)
            elif action in REPLACING and not fault["process"]:
                resp = self._fault_response(ctx, fault, None)
            else:
                resp = self._process(ctx, routes)
                if action in REPLACING:
                    resp = self._fault_response(ctx, fault, resp)
            status, headers, data = self._serialize(ctx, resp)
            if action != "drop":
                entry["status"] = status
                # the serialized bytes, parsed only when the log is read: logging stays cheap
                entry["response"] = {"status": status, "contentType": _content_type(headers), "body": data}
        if action == "slow":
            time.sleep(fault["delay"])
        if action == "drop":
            self._drop()
            return
        self._write(status, headers, data)

    def _resolve(self, ctx):
        """Set version, routing path, format and operation on ctx; return the version's routes."""
        path = ctx.raw_path
        if path == "/v6" or path.startswith("/v6/"):
            ctx.version = "v6"
            stripped, suffix = v6.strip_suffix(path[len("/v6/"):].strip("/"))
            ctx.path = stripped
            ctx.fmt = v6.negotiate(ctx, suffix)
            routes = v6.ROUTES
        elif path == "/v7" or path.startswith("/v7/"):
            ctx.version = "v7"
            ctx.path = path[len("/v7/"):].strip("/")
            routes = v7.ROUTES
        else:
            return []
        route = _match(routes, ctx.method, ctx.path)[0]
        ctx.operation = route[2] if route else "other"
        return routes

    def _auth_scheme(self):
        scheme = (self.headers.get("Authorization") or "").strip().split(" ")[0].lower()
        return scheme if scheme in ("bearer", "basic") else None

    def _authorized(self, ctx):
        header = (self.headers.get("Authorization") or "").strip()
        credential = header.partition(" ")[2]
        credential = credential.strip()
        if ctx.auth == "bearer":
            return credential == BEARER_TOKEN
        if ctx.auth == "basic" and ctx.version == "v6":
            try:
                user, sep, token = base64.b64decode(credential, validate=True).decode("utf-8").partition(":")
            except (binascii.Error, UnicodeDecodeError):
                return False
            return bool(sep) and user == BASIC_USER and token == BASIC_TOKEN
        return False

    def _rate_headers(self, ctx, names, exhausted=None):
        headers = {}
        for name in names:
            limit, remaining, reset = ctx.state.budget_headers(name)
            if name == exhausted:
                remaining = 0
            prefix = HEADER_NAMES[name]
            headers.update({prefix + "-Limit": str(limit), prefix + "-Remaining": str(remaining),
                            prefix + "-Reset": str(reset)})
        return headers

    def _budgets(self, ctx):
        names = ["org"]
        if ctx.method == "POST" and INSTANT_PATHS.get(ctx.version, NEVER).fullmatch(ctx.path):
            names.append("instant")
        return names

    def _too_many(self, ctx, budget, exhausted=False):
        if ctx.version == "v7":
            what = "the organization" if budget == "org" else "instant tests"
            resp = problem(ctx, 429, "Exhausted rate limit for %s" % what)
        else:
            resp = Response(429, {"errorMessage": "Rate limit exceeded"})
        names = self._budgets(ctx)
        if budget not in names:
            names.append(budget)
        resp.headers.update(self._rate_headers(ctx, names, budget if exhausted else None))
        if ctx.state.config["send_retry_after"]:
            reset = ctx.state.budget_headers(budget)[2]
            resp.headers["Retry-After"] = str(max(reset - int(now()), 1))
        return resp

    def _unauthorized(self, ctx):
        if ctx.version == "v7":
            return Response(401, {"error": "invalid_token", "error_description": "Invalid access token"},
                            "application/json", {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        return Response(401, {"errorMessage": "Unauthorized"})

    def _process(self, ctx, routes):
        state = ctx.state
        if ctx.version is None:
            return Response(404, {"errorMessage": "Not found"}, "application/json")
        blocked = state.blocked_for(ctx.client)
        if blocked:
            resp = error(ctx, 429, "Too many unauthorized requests from this address; try again later")
            resp.headers.update(self._rate_headers(ctx, ["org"]))
            if state.config["send_retry_after"]:
                resp.headers["Retry-After"] = str(int(blocked) + 1)
            return resp
        if not self._authorized(ctx):
            state.note_auth_failure(ctx.client)
            resp = self._unauthorized(ctx)
            resp.headers.update(self._rate_headers(ctx, ["org"]))
            return resp
        names = self._budgets(ctx)
        spend = list(names)
        if "instant" in names and not state.config["instant_counts_against_org"]:
            spend.remove("org")
        exhausted = state.try_spend(spend)
        if exhausted:
            return self._too_many(ctx, exhausted, exhausted=True)
        headers = self._rate_headers(ctx, names)
        resp = self._route(ctx, routes)
        resp.headers.update(headers)
        return resp

    def _route(self, ctx, routes):
        aid = ctx.q("aid")
        if aid is not None:
            # ASCII digits only: str.isdigit() takes "¹", which int() refuses.
            if not (re.fullmatch(r"[0-9]+", aid) and ctx.state.aid_known(int(aid))):
                return error(ctx, 403, "User is not assigned to account group %s" % aid)
            ctx.aid = int(aid)
        else:
            ctx.aid = DEFAULT_AID
        if ctx.version == "v7" and ctx.raw_path.rstrip("/").endswith((".json", ".xml")):
            return problem(ctx, 404, "No resource at %s" % ctx.raw_path)
        route, groups, mismatch = _match(routes, ctx.method, ctx.path)
        if route is None:
            if mismatch:
                return error(ctx, 405, "Method %s is not allowed on %s" % (ctx.method, ctx.raw_path))
            return error(ctx, 404, "No resource at %s" % ctx.raw_path)
        try:
            return route[3](ctx, **groups)
        except BadRequest as exc:
            return error(ctx, exc.status, exc.message, exc.errors)
        except Exception:  # pylint: disable=broad-except
            traceback.print_exc(file=sys.stderr)
            return error(ctx, 500, "Internal emulator error")

    def _fault_response(self, ctx, fault, processed):
        status = fault["status"]
        action = fault["action"]
        if action == "maintenance":
            return Response(503, MAINTENANCE_TEXT.encode("utf-8"), "text/plain; charset=utf-8")
        if action == "html":
            page = HTML_PAGE % {"status": status, "reason": reason(status)}
            return Response(status, page.encode("utf-8"), "text/html; charset=utf-8")
        if action == "xml":
            body = processed.body if processed is not None and isinstance(processed.body, (dict, list)) else \
                {"message": "XML answer injected by the emulator"}
            resp = Response(200, to_xml(body), "text/xml")
        else:
            resp = error(ctx, status, "%d %s" % (status, reason(status)))
        if processed is not None:
            resp.headers.update(processed.headers)
            resp.headers.pop("Location", None)
        else:
            resp.headers.update(self._rate_headers(ctx, self._budgets(ctx)))
        return resp

    def _serialize(self, ctx, resp):
        data, ctype = resp.body, resp.content_type
        if data is None:
            data = b""
        elif not isinstance(data, bytes):
            if ctx.version == "v6" and ctx.fmt == "xml" and ctype is None:
                data, ctype = to_xml(data), "text/xml"
            else:
                if ctx.version == "v7" and ctype is None and resp.status < 300:
                    ctype = "application/hal+json"
                data = json.dumps(data, sort_keys=ctx.version == "v6").encode("utf-8")
                ctype = ctype or "application/json"
        headers = []
        if data:
            headers.append(("Content-Type", ctype))
        if resp.status != 204:
            headers.append(("Content-Length", str(len(data))))
        headers.append(("Cache-Control", "no-store"))
        headers.extend(resp.headers.items())
        return resp.status, headers, data

    # -- control API -------------------------------------------------------------------------------------
    def _control(self, name, body):
        state = self.server.state
        method = self.command
        handlers = {
            ("health", "GET"): lambda: {"ok": True},
            ("reset", "POST"): lambda: state.reset() or {"ok": True},
            ("config", "GET"): lambda: copy.deepcopy(state.config),
            ("config", "POST"): lambda: state.patch_config(self._control_json(body)),
            ("faults", "GET"): lambda: {"faults": copy.deepcopy(state.faults)},
            ("faults", "POST"): lambda: {"faults": state.add_faults(self._control_json(body).get("faults"))},
            ("faults", "DELETE"): lambda: state.clear_faults() or {"faults": []},
            ("requests", "GET"): lambda: {"requests": self._log_copy()},
            ("requests", "DELETE"): lambda: state.clear_log() or {"requests": []},
            ("tests", "GET"): lambda: {"tests": state.tests_view()},
        }
        handler = handlers.get((name, method))
        if handler is None:
            known = any(key[0] == name for key in handlers)
            self._send_json(405 if known else 404, {"error": "%s %s/%s is not a control endpoint"
                                                    % (method, CONTROL_PREFIX, name)})
            return
        try:
            result = handler()
        except ConfigError as exc:
            self._send_json(400, {"error": str(exc)})
            return
        self._send_json(200, result)

    @staticmethod
    def _control_json(body):
        try:
            data = json.loads(body.decode("utf-8")) if body else {}
        except (UnicodeDecodeError, ValueError) as exc:
            raise ConfigError("the body must be JSON: %s" % exc) from exc
        if not isinstance(data, dict):
            raise ConfigError("the body must be a JSON object")
        return data

    def _log_copy(self):
        with self.server.state.lock:
            entries = [dict(entry) for entry in self.server.state.log]
        for entry in entries:
            entry["query"] = copy.deepcopy(entry["query"])
            entry["body"] = copy.deepcopy(entry["body"])
            entry["response"] = _logged_response(entry.get("response"))
        return entries
