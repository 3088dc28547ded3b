#!/usr/bin/env python3
"""A minimal SDN-controller-style peer for Engine's link protocol (framing = engine).

It speaks the protocol of docs/protocol.md over TCP or a Unix stream socket: it sends HELLO,
answers the engine's HELLO (and AUTH when --key is given), names the ports from PORT messages,
prints one line per DATA frame, and can inject UDP packets out of a chosen port.

Exit status: 0 --count frames received; 1 link error or handshake refused;
2 --timeout reached; 3 the peer said GOODBYE.
"""
import argparse
import hashlib
import hmac
import ipaddress
import os
import select
import socket
import stat
import struct
import sys
import time

HELLO, AUTH, KEEPALIVE, DATA, PORT, GOODBYE = 1, 2, 3, 4, 5, 6
VERSION, MAX_BODY, NO_PORT = 1, 65600, 0xFFFF
INJECT_SOURCE_PORT = 40000


class LinkError(Exception):
    """The link cannot go on: a protocol violation or a closed socket."""


class Refused(LinkError):
    """This side refused the peer and told it so with GOODBYE."""


# ---- the protocol: framing, handshake, keepalive -------------------------------------------

class Link:
    def __init__(self, sock, name, key, keepalive, dead_peer):
        self.sock, self.name, self.key = sock, name.encode(), key and key.encode()
        self.keepalive, self.dead_peer = keepalive, dead_peer
        self.nonce, self.peer_nonce, self.peer_name = os.urandom(16), None, None
        self.authenticated = key is None  # a side with a key needs the peer's AUTH first
        self.inbox, self.last_sent, self.last_received = b"", 0.0, time.monotonic()
        self.send(HELLO, bytes([VERSION, 1 if key else 0]) + self.nonce + self.name)

    @property
    def up(self):
        return self.peer_name is not None and self.authenticated

    def send(self, kind, body=b"", port=0):
        self.sock.sendall(struct.pack("!BBHI", kind, 0, port, len(body)) + body)
        self.last_sent = time.monotonic()

    def proof(self, verifier_nonce, prover_nonce, prover_name):
        text = b"engine-auth-v1" + verifier_nonce + prover_nonce + prover_name
        return hmac.new(self.key, text, hashlib.sha256).digest()

    def goodbye(self, reason):
        try:
            self.send(GOODBYE, reason.encode())
        except OSError:
            pass  # the peer may already be gone; we are leaving either way

    def refuse(self, reason):
        self.goodbye(reason)
        raise Refused(reason)

    def tick(self):
        now = time.monotonic()
        if now - self.last_received > self.dead_peer:
            raise LinkError(f"nothing received for {self.dead_peer:g} s")
        if now - self.last_sent >= self.keepalive:
            self.send(KEEPALIVE)

    def receive(self):
        """Reads once from the socket; returns the complete messages as (kind, flags, port, body)."""
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise LinkError("short read: closed inside a message" if self.inbox else "connection closed by peer")
        self.inbox += chunk
        self.last_received = time.monotonic()
        messages = []
        while len(self.inbox) >= 8:
            kind, flags, port, length = struct.unpack_from("!BBHI", self.inbox)
            if length > MAX_BODY:
                raise LinkError(f"body length {length} exceeds {MAX_BODY}")
            if len(self.inbox) < 8 + length:
                break
            messages.append((kind, flags, port, self.inbox[8:8 + length]))
            self.inbox = self.inbox[8 + length:]
        return messages

    def handle(self, kind, flags, port, body):
        """Runs the handshake; returns the messages the application sees as (kind, port, body)."""
        was_up = self.up
        if kind == HELLO and self.peer_name is None:
            if body and body[0] != VERSION:  # checked first: another version may lay HELLO out differently
                self.refuse(f"unsupported protocol version {body[0]}")
            if not 19 <= len(body) <= 82:
                raise LinkError(f"malformed HELLO ({len(body)} B body)")
            if body[1] & 1 and self.key is None:
                self.refuse("authentication required")
            if body[18:] == self.name:
                self.refuse("same name")
            self.peer_nonce, self.peer_name = body[2:18], body[18:]
            if self.key:
                self.send(AUTH, self.proof(self.peer_nonce, self.nonce, self.name))
        elif kind == AUTH and not self.authenticated:
            if self.peer_name is None or not hmac.compare_digest(body, self.proof(self.nonce, self.peer_nonce, self.peer_name)):
                self.refuse("authentication failed")
            self.authenticated = True
        elif kind == DATA and not self.up:
            raise LinkError("DATA before the handshake completed")
        elif kind in (DATA, PORT, GOODBYE):
            return (kind, port, body)
        return ("up", None, self.peer_name) if self.up and not was_up else None


# ---- the application: print what arrives, inject what was asked for ------------------------

def describe(packet):
    """One-line summary of an IP packet: addresses, transport, size."""
    size = f"{len(packet)} B"
    if len(packet) >= 20 and packet[0] >> 4 == 4:
        header_length = (packet[0] & 0x0F) * 4
        not_first_fragment = struct.unpack_from("!H", packet, 6)[0] & 0x1FFF
        l4 = packet[header_length:] if header_length >= 20 and not not_first_fragment else b""
        source, destination = ipaddress.IPv4Address(packet[12:16]), ipaddress.IPv4Address(packet[16:20])
        return f"IPv4 {source} -> {destination} {transport(packet[9], l4, icmp=1)} {size}"
    if len(packet) >= 40 and packet[0] >> 4 == 6:
        source, destination = ipaddress.IPv6Address(packet[8:24]), ipaddress.IPv6Address(packet[24:40])
        return f"IPv6 {source} -> {destination} {transport(packet[6], packet[40:], icmp=58)} {size}"
    return f"not an IP packet {size}"


def transport(protocol, l4, icmp):
    if protocol == icmp and len(l4) >= 8:
        family, echo = ("ICMP", {8: "echo-request", 0: "echo-reply"}) if icmp == 1 else \
                       ("ICMPv6", {128: "echo-request", 129: "echo-reply"})
        if l4[0] in echo:
            ident, sequence = struct.unpack_from("!HH", l4, 4)
            return f"{family} {echo[l4[0]]} id={ident} seq={sequence}"
        return f"{family} type={l4[0]} code={l4[1]}"
    if protocol == 17 and len(l4) >= 8:
        return "UDP {} -> {}".format(*struct.unpack_from("!HH", l4))
    if protocol == 6 and len(l4) >= 14:
        names = ("FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR")
        flags = ",".join(name for bit, name in enumerate(names) if l4[13] >> bit & 1)
        return "TCP {} -> {} [{}]".format(*struct.unpack_from("!HH", l4), flags)
    return f"protocol {protocol}"


def checksum(data):
    data += b"\0" * (len(data) % 2)
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def udp_packet(source, destination, destination_port, payload):
    length = 8 + len(payload)
    pseudo_header = source.packed + destination.packed + struct.pack("!BBH", 0, 17, length)
    udp = struct.pack("!HHHH", INJECT_SOURCE_PORT, destination_port, length, 0) + payload
    udp = udp[:6] + struct.pack("!H", checksum(pseudo_header + udp) or 0xFFFF) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, int.from_bytes(os.urandom(2), "big"), 0,
                     64, 17, 0, source.packed, destination.packed)
    return ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:] + udp


def injection(text):
    """PORT:udp:SRC:DST:DPORT:TEXT -> (port, packet); TEXT may contain ':'."""
    try:
        port, kind, source, destination, destination_port, payload = text.split(":", 5)
        port, destination_port = int(port), int(destination_port)
        if kind != "udp" or not 0 <= port <= 0xFFFF or not 1 <= destination_port <= 0xFFFF:
            raise ValueError
        packet = udp_packet(ipaddress.IPv4Address(source), ipaddress.IPv4Address(destination),
                            destination_port, payload.encode())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not PORT:udp:SRC:DST:DPORT:TEXT with IPv4 addresses: {text!r}")
    if len(packet) > 65535:
        raise argparse.ArgumentTypeError("TEXT too long for one IPv4 packet")
    return port, packet


def endpoint(text):
    if text.startswith("unix:"):
        path = text[5:]
        return socket.AF_UNIX, "\0" + path[1:] if path.startswith("@") else path  # @name: abstract namespace
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"not HOST:PORT or unix:PATH: {text!r}")
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return family, (host, int(port))


def open_link(args, deadline):
    """Connects (retrying every 0.2 s while nobody listens) or accepts one connection; None at the deadline."""
    family, address = args.connect or args.listen
    if args.connect:
        while True:
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.connect(address)
                return sock
            except (ConnectionRefusedError, FileNotFoundError):
                sock.close()
                if time.monotonic() + 0.2 >= deadline:
                    return None
                time.sleep(0.2)
    listener = socket.socket(family, socket.SOCK_STREAM)
    unix_file = family == socket.AF_UNIX and not address.startswith("\0")
    if unix_file:
        if os.path.exists(address) and stat.S_ISSOCK(os.stat(address).st_mode):
            os.unlink(address)  # a stale socket file from an earlier run
    else:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(address)
    listener.listen(1)
    try:
        if not select.select([listener], [], [], max(0.0, deadline - time.monotonic()))[0]:
            return None
        return listener.accept()[0]
    finally:
        listener.close()
        if unix_file:
            os.unlink(address)


def parse_arguments():
    parser = argparse.ArgumentParser(description="Example controller for Engine's link protocol (docs/protocol.md).")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--connect", type=endpoint, metavar="HOST:PORT|unix:PATH", help="connect to a listening engine")
    where.add_argument("--listen", type=endpoint, metavar="HOST:PORT|unix:PATH", help="accept one connection from an engine")
    parser.add_argument("--name", default="ctl", help="this side's name in HELLO, 1..64 bytes (default ctl)")
    parser.add_argument("--key", help="pre-shared key: require and send AUTH")
    parser.add_argument("--count", type=int, metavar="N", help="exit 0 after N DATA frames")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="exit 2 after SECONDS without reaching --count")
    parser.add_argument("--inject", type=injection, action="append", default=[], metavar="PORT:udp:SRC:DST:DPORT:TEXT",
                        help="once up, send an IPv4 UDP packet with TEXT as payload out of port PORT (repeatable)")
    parser.add_argument("--keepalive", type=float, default=1.0, metavar="SECONDS", help="send KEEPALIVE after this much silence (default 1)")
    parser.add_argument("--dead-peer", type=float, default=5.0, metavar="SECONDS", help="give up after this much silence from the peer (default 5)")
    args = parser.parse_args()
    if not 1 <= len(args.name.encode()) <= 64:
        parser.error("--name must be 1..64 bytes of UTF-8")
    if args.count is not None and args.count < 1:
        parser.error("--count must be at least 1")
    if args.key == "":
        parser.error("--key must not be empty")
    return args


def run(args):
    deadline = time.monotonic() + args.timeout if args.timeout else float("inf")
    sock = open_link(args, deadline)
    if sock is None:
        print("timeout: no connection", file=sys.stderr)
        return 2
    with sock:
        link = Link(sock, args.name, args.key, args.keepalive, args.dead_peer)
        ports, frames, up_at, pending = {}, 0, None, list(args.inject)
        while True:
            now = time.monotonic()
            if now >= deadline:
                link.goodbye("timeout")
                print(f"timeout: {frames} frames in {args.timeout:g} s", file=sys.stderr)
                return 2
            if select.select([sock], [], [], min(0.1, deadline - now))[0]:
                for message in link.receive():
                    kind, port, body = link.handle(*message) or (None, None, None)
                    if kind == "up":
                        up_at = time.monotonic()
                        print(f"up: peer {body.decode(errors='replace')}", flush=True)
                    elif kind == PORT:
                        ports[port] = body.decode(errors="replace")
                        print(f"port {port} = {ports[port]}", flush=True)
                    elif kind == GOODBYE:
                        print(f"goodbye: {body.decode(errors='replace')}", flush=True)
                        return 3
                    elif kind == DATA and (message[1] != 0 or not 1 <= len(body) <= 65535):
                        print(f"dropped: DATA with flags {message[1]:#04x} and {len(body)} B on port {port}", file=sys.stderr)
                    elif kind == DATA:
                        name = ports.get(port, "none" if port == NO_PORT else "?")
                        print(f"frame port {port} ({name}): {describe(body)}", flush=True)
                        frames += 1
                        if args.count is not None and frames >= args.count:
                            link.goodbye("done")
                            return 0
            link.tick()
            if pending and up_at is not None and time.monotonic() >= up_at + 0.3:
                for port, packet in pending:  # 0.3 s after up: the engine's PORT messages are in
                    link.send(DATA, packet, port)
                    print(f"injected {describe(packet)} on port {port}", flush=True)
                pending = []


def main():
    args = parse_arguments()
    try:
        return run(args)
    except Refused as refusal:
        print(f"refused: {refusal}", file=sys.stderr)
    except (LinkError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
