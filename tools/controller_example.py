#!/usr/bin/env python3
"""A minimal SDN-controller-style peer for Engine's link protocol (framing = engine).

It speaks the protocol of docs/protocol.md (engine_link.py, beside it) over TCP or a Unix
stream socket: it sends HELLO, answers the engine's HELLO (and AUTH when --key is given), names
the ports from PORT messages, prints one line per DATA or PUNT frame and per REFUSED, and can
send frames out of any port: a UDP packet it builds, any frame given in hex, or every packet of
a pcap file.

Exit status: 0 --count frames received; 1 link error or handshake refused;
2 --timeout reached; 3 the peer said GOODBYE.
"""
import argparse
import ipaddress
import os
import select
import socket
import stat
import struct
import sys
import time

from engine_link import DATA, GOODBYE, INJECT, NO_PORT, PORT, PORT_ETHERNET, PUNT, REFUSED, Link, LinkError, Refused

INJECT_SOURCE_PORT = 40000
ETHERTYPES = {0x0800: "IPv4", 0x0806: "ARP", 0x86DD: "IPv6", 0x88CC: "LLDP", 0x8809: "LACP", 0x8100: "802.1Q"}


def describe_frame(frame, ethernet):
    """One-line summary of a frame: an IP packet, or an Ethernet frame and what it carries."""
    if not ethernet:
        return describe(frame)
    if len(frame) < 14:
        return f"short Ethernet frame {len(frame)} B"
    destination, source = frame[0:6].hex(":"), frame[6:12].hex(":")
    (kind,) = struct.unpack_from("!H", frame, 12)
    if kind in (0x0800, 0x86DD):
        return f"Ethernet {source} -> {destination} {describe(frame[14:])}"
    if kind <= 1500:
        llc = " IS-IS" if frame[14:16] == b"\xfe\xfe" else ""
        return f"Ethernet {source} -> {destination} LLC{llc} {len(frame)} B"
    return f"Ethernet {source} -> {destination} {ETHERTYPES.get(kind, f'type {kind:#06x}')} {len(frame)} B"


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
    """PORT:udp:SRC:DST:DPORT:TEXT, PORT:hex:HEX or PORT:pcap:FILE -> (port, message type, [frames]).

    PORT is a number or a port's name (resolved from the engine's PORT messages). A UDP packet
    goes as DATA, sent out of the port as an IP packet; hex and pcap frames go as INJECT,
    exactly as given: an IP packet for a tun, a whole Ethernet frame for a tap.
    """
    port, _, rest = text.partition(":")
    kind, _, value = rest.partition(":")
    port = int(port) if port.isdigit() else port
    if port == "" or (isinstance(port, int) and port > 0xFFFF):
        raise argparse.ArgumentTypeError(f"not a port number or name: {text!r}")
    if kind == "udp":
        return port, DATA, [udp_injection(text, value)]
    if kind == "hex":
        try:
            frame = bytes.fromhex(value.replace(":", "").replace(" ", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"not hexadecimal: {value!r}")
        if not 1 <= len(frame) <= 65535:
            raise argparse.ArgumentTypeError("a frame is 1 to 65535 bytes")
        return port, INJECT, [frame]
    if kind == "pcap":
        try:
            return port, INJECT, read_pcap(value)
        except (OSError, ValueError) as error:
            raise argparse.ArgumentTypeError(f"{value}: {error}")
    raise argparse.ArgumentTypeError(f"not PORT:udp:SRC:DST:DPORT:TEXT, PORT:hex:HEX or PORT:pcap:FILE: {text!r}")


def udp_injection(text, value):
    try:
        source, destination, destination_port, payload = value.split(":", 3)
        destination_port = int(destination_port)
        if not 1 <= destination_port <= 0xFFFF:
            raise ValueError
        packet = udp_packet(ipaddress.IPv4Address(source), ipaddress.IPv4Address(destination),
                            destination_port, payload.encode())
    except ValueError:
        raise argparse.ArgumentTypeError(f"not PORT:udp:SRC:DST:DPORT:TEXT with IPv4 addresses: {text!r}")
    if len(packet) > 65535:
        raise argparse.ArgumentTypeError("TEXT too long for one IPv4 packet")
    return packet


def read_pcap(path):
    """The packets of a classic pcap file (tcpdump -w), as captured: Ethernet frames or raw IP packets."""
    with open(path, "rb") as file:
        data = file.read()
    if len(data) < 24:
        raise ValueError("too short for a pcap header")
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        order = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        order = ">"
    elif magic == b"\x0a\x0d\x0d\x0a":
        raise ValueError("pcapng is not read here; write classic pcap (tcpdump -w, or editcap -F pcap)")
    else:
        raise ValueError("not a pcap file")
    (link_type,) = struct.unpack_from(order + "I", data, 20)
    if link_type not in (1, 101, 228, 229):
        raise ValueError(f"link type {link_type}: only Ethernet (1) and raw IP (101, 228, 229) captures")
    frames, at = [], 24
    while at + 16 <= len(data):
        _, _, captured, original = struct.unpack_from(order + "IIII", data, at)
        at += 16
        if captured != original:
            raise ValueError(f"packet at byte {at - 16} was cut to {captured} of {original} bytes (capture with -s 0)")
        frames.append(data[at:at + captured])
        at += captured
    if not frames:
        raise ValueError("no packets")
    return frames


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
    parser.add_argument("--count", type=int, metavar="N", help="exit 0 after N DATA or PUNT frames")
    parser.add_argument("--timeout", type=float, metavar="SECONDS", help="exit 2 after SECONDS without reaching --count")
    parser.add_argument("--inject", type=injection, action="append", default=[],
                        metavar="PORT:udp:SRC:DST:DPORT:TEXT|PORT:hex:HEX|PORT:pcap:FILE",
                        help="once up, send out of PORT (a number or a name): an IPv4 UDP packet with TEXT as payload; "
                             "or a frame in hex, or every packet of a pcap file, exactly as given (repeatable)")
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
        ports, ethernet, frames, up_at, pending = {}, set(), 0, None, list(args.inject)
        while True:
            now = time.monotonic()
            if now >= deadline:
                link.goodbye("timeout")
                print(f"timeout: {frames} frames in {args.timeout:g} s", file=sys.stderr)
                return 2
            if select.select([sock], [], [], min(0.1, deadline - now))[0]:
                for message in link.receive():
                    kind, port, body = link.handle(*message) or (None, None, None)
                    name = ports.get(port, "none" if port == NO_PORT else "?")
                    if kind == "up":
                        up_at = time.monotonic()
                        print(f"up: peer {body.decode(errors='replace')}", flush=True)
                    elif kind == PORT:
                        ports[port] = body.decode(errors="replace")
                        if message[1] & PORT_ETHERNET:
                            ethernet.add(port)
                        print(f"port {port} = {ports[port]}{' (Ethernet)' if port in ethernet else ''}", flush=True)
                    elif kind == GOODBYE:
                        print(f"goodbye: {body.decode(errors='replace')}", flush=True)
                        return 3
                    elif kind == REFUSED:
                        print(f"refused on port {port} ({name}): {body.decode(errors='replace')}", flush=True)
                    elif kind in (DATA, PUNT) and (message[1] != 0 or len(body) < (3 if kind == PUNT else 1)):
                        print(f"dropped: message {kind} with flags {message[1]:#04x} and {len(body)} B on port {port}", file=sys.stderr)
                    elif kind in (DATA, PUNT):
                        if kind == PUNT:
                            (rule,), body = struct.unpack_from("!H", body), body[2:]
                            print(f"punt port {port} ({name}) rule {rule}: {describe_frame(body, port in ethernet)}", flush=True)
                        else:
                            print(f"frame port {port} ({name}): {describe(body)}", flush=True)
                        frames += 1
                        if args.count is not None and frames >= args.count:
                            link.goodbye("done")
                            return 0
            link.tick()
            if pending and up_at is not None and time.monotonic() >= up_at + 0.3:
                for port, kind, batch in pending:  # 0.3 s after up: the engine's PORT messages are in
                    number = port if isinstance(port, int) else next((n for n, p in ports.items() if p == port), None)
                    if number is None:
                        print(f"no port named {port!r}; the engine has {', '.join(ports.values()) or 'none'}", file=sys.stderr)
                        return 1
                    for frame in batch:
                        link.send(kind, frame, number)
                        what = describe(frame) if kind == DATA else describe_frame(frame, number in ethernet)
                        print(f"injected {what} on port {number}", flush=True)
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
