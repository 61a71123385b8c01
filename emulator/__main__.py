# Copyright: (c) 2026, netdiag.thousandeyes contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Command line: ``python -m emulator [--host 127.0.0.1] [--port 0] [--port-file PATH]
[--result-delay SECONDS] [--config JSON-or-@file] [--verbose]``.

Prints one line once listening, ``ThousandEyes emulator listening on http://127.0.0.1:PORT``, and
serves until SIGTERM or SIGINT (then exits 0).
"""

import argparse
import ipaddress
import json
import os
import signal
import socket
import sys
import threading

from .server import EmulatorServer
from .store import ConfigError, State


def _loopback(host):
    """Only loopback addresses: the emulator has fixed, public credentials."""
    try:
        address = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError) as exc:
        raise argparse.ArgumentTypeError("cannot resolve host %r" % host) from exc
    if not address.is_loopback:
        raise argparse.ArgumentTypeError("the emulator binds loopback addresses only, not %s" % host)
    return str(address)


def _config(value):
    try:
        if value.startswith("@"):
            with open(value[1:], encoding="utf-8") as handle:
                value = handle.read()
        data = json.loads(value)
    except (OSError, ValueError) as exc:
        raise argparse.ArgumentTypeError("--config must be JSON or @file holding JSON: %s" % exc) from exc
    if not isinstance(data, dict):
        raise argparse.ArgumentTypeError("--config must be a JSON object")
    return data


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m emulator", description="ThousandEyes API emulator (v6 and v7).")
    parser.add_argument("--host", type=_loopback, default="127.0.0.1", help="loopback address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="TCP port; 0 picks a free one (default 0)")
    parser.add_argument("--port-file", help="write the port number to this file once listening")
    parser.add_argument("--result-delay", type=float, help="seconds before a run's results appear (default 3.0)")
    parser.add_argument("--config", type=_config, default={}, help="configuration as JSON, or @file holding JSON")
    parser.add_argument("--verbose", action="store_true", help="write an access log to stderr")
    return parser.parse_args(argv)


def _write_port_file(path, port):
    # write then rename, so a reader never sees a half-written file
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv=None):
    args = parse_args(argv)
    config = dict(args.config)
    if args.result_delay is not None:
        config["result_delay"] = args.result_delay
    try:
        state = State(config)
    except ConfigError as exc:
        print("emulator: invalid configuration: %s" % exc, file=sys.stderr)
        return 2
    try:
        server = EmulatorServer((args.host, args.port), state, verbose=args.verbose)
    except OSError as exc:
        print("emulator: cannot listen on %s:%d: %s" % (args.host, args.port, exc), file=sys.stderr)
        return 1

    stop = threading.Event()

    def _on_signal(_signum, _frame):
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    worker = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    worker.start()
    port = server.server_address[1]
    if args.port_file:
        _write_port_file(args.port_file, port)
    print("ThousandEyes emulator listening on %s" % server.base_url, flush=True)
    while not stop.wait(0.5):
        pass
    server.shutdown()
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
