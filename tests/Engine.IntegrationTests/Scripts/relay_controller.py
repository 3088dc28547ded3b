#!/usr/bin/env python3
"""A test controller joining two engines through itself, as the engine's first user joined a
routing daemon to an SDN controller: every frame engine A punts (a rule sends it) is injected
out of engine B's port --b-port, exactly as it came, and the reverse. It prints "up a" and
"up b" as each link comes up, "refused ..." for any frame an engine would not take, and a
count of relayed frames once a second.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "tools"))
from engine_link import GOODBYE, INJECT, PORT, PUNT, REFUSED, Link, LinkError  # noqa: E402


def connect(address, deadline):
    host, _, port = address.rpartition(":")
    while True:
        try:
            return socket.create_connection((host, int(port)), timeout=1)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--a", required=True, metavar="HOST:PORT")
    parser.add_argument("--b", required=True, metavar="HOST:PORT")
    parser.add_argument("--a-port", required=True, help="engine A's port for what B punts")
    parser.add_argument("--b-port", required=True, help="engine B's port for what A punts")
    parser.add_argument("--key")
    args = parser.parse_args()

    deadline = time.monotonic() + 20
    sides = {}
    for side, address, out in (("a", args.a, args.b_port), ("b", args.b, args.a_port)):
        sock = connect(address, deadline)
        sock.settimeout(None)
        sides[side] = {"sock": sock, "link": Link(sock, "relay", args.key, 1.0, 5.0), "ports": {}}
    other = {"a": "b", "b": "a"}
    out_port = {"a": args.b_port, "b": args.a_port}  # what side X punts leaves through this port of the other side
    relayed = {"a": 0, "b": 0}
    last_report = time.monotonic()
    while True:
        ready = select.select([s["sock"] for s in sides.values()], [], [], 0.1)[0]
        for side, state in sides.items():
            if state["sock"] not in ready:
                continue
            for message in state["link"].receive():
                kind, port, body = state["link"].handle(*message) or (None, None, None)
                if kind == "up":
                    print(f"up {side}", flush=True)
                elif kind == PORT:
                    state["ports"][body.decode()] = port
                elif kind == GOODBYE:
                    print(f"goodbye from {side}: {body.decode(errors='replace')}", flush=True)
                    return 3
                elif kind == REFUSED:
                    print(f"refused by {side} on port {port}: {body.decode(errors='replace')}", flush=True)
                elif kind == PUNT:
                    far = sides[other[side]]
                    target = far["ports"].get(out_port[side])
                    if far["link"].up and target is not None:
                        far["link"].send(INJECT, body[2:], target)
                        relayed[side] += 1
        for state in sides.values():
            state["link"].tick()
        if time.monotonic() - last_report >= 1:
            last_report = time.monotonic()
            print(f"relayed a->b {relayed['a']} b->a {relayed['b']}", flush=True)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (LinkError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
