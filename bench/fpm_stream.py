#!/usr/bin/env python3
"""fpm_stream.py: a full-table FPM stream as FRR's dplane_fpm_nl writes it, and its replay.

  fpm_stream.py write FILE --v4 N --v6 N --hops K --gateway4 A --gateway6 A --sentinel4 P --sentinel6 P [--seed S]
      Writes N IPv4 and N IPv6 RTM_NEWROUTE frames (one route a frame, table 254, protocol 186
      as bgpd's, metric 20) to FILE, then the two sentinel routes last. Prefix lengths follow
      the shape of today's global tables (IPv4: two thirds /24, most of the rest /19-/23; IPv6:
      about half /48, a third /32-/44); networks are random public space, never 10/8, fc00::/7
      or the sentinels. Next hops are K addresses counted up from --gateway4/--gateway6, one per
      route (RTA_GATEWAY + RTA_OIF), and 1 route in 20 has 2-4 of them (RTA_MULTIPATH).
  fpm_stream.py replay FILE HOST PORT [--namespace NS]
      Connects to the FPM server as zebra would and sends FILE as fast as the socket takes it;
      prints "sent BYTES bytes FRAMES frames in SECONDS s". Keeps the connection open until
      stdin closes (zebra keeps it open: a close starts the server's grace period).

Written for the engine's bench (bench/fpm.sh); the wire format is docs/fpm.md's.
"""
import argparse, ipaddress, os, random, socket, struct, sys, time

RTM_NEWROUTE = 24
NLM_F_REQUEST, NLM_F_REPLACE, NLM_F_CREATE = 0x1, 0x100, 0x400
RTA_DST, RTA_OIF, RTA_GATEWAY, RTA_PRIORITY, RTA_MULTIPATH = 1, 4, 5, 6, 9
NLA_F_NESTED = 0x8000
RT_TABLE_MAIN, RTPROT_BGP, RTN_UNICAST = 254, 186, 1
OIF = 3

V4_LENGTHS = [(24, 645), (23, 100), (22, 100), (21, 45), (20, 40), (19, 25), (18, 14), (17, 8), (16, 13), (15, 3), (14, 3), (13, 2), (12, 2)]
V6_LENGTHS = [(48, 480), (44, 60), (40, 50), (36, 30), (32, 150), (29, 40), (46, 30), (47, 20), (56, 40), (64, 40), (28, 20), (33, 20), (34, 20)]


def attr(kind, data):
    length = 4 + len(data)
    return struct.pack("<HH", length, kind) + data + b"\0" * (-length % 4)


def route_message(network, length, family, paths):
    """One RTM_NEWROUTE: rtmsg, RTA_DST, RTA_PRIORITY, then RTA_GATEWAY+RTA_OIF or RTA_MULTIPATH."""
    size = 4 if family == socket.AF_INET else 16
    body = struct.pack("<BBBBBBBBI", family, length, 0, 0, RT_TABLE_MAIN, RTPROT_BGP, 0, RTN_UNICAST, 0)
    body += attr(RTA_DST, network.to_bytes(size, "big")) + attr(RTA_PRIORITY, struct.pack("<I", 20))
    if len(paths) == 1:
        body += attr(RTA_GATEWAY, paths[0]) + attr(RTA_OIF, struct.pack("<I", OIF))
    else:
        nested = b""
        for gateway in paths:
            gw = attr(RTA_GATEWAY, gateway)
            nested += struct.pack("<HBBI", 8 + len(gw), 0, 0, OIF) + gw
        body += attr(RTA_MULTIPATH | NLA_F_NESTED, nested)
    flags = NLM_F_REQUEST | NLM_F_CREATE | (NLM_F_REPLACE if family == socket.AF_INET else 0)
    message = struct.pack("<IHHII", 16 + len(body), RTM_NEWROUTE, flags, 0, 0) + body
    return struct.pack(">BBH", 1, 1, 4 + len(message)) + message


def networks(rng, count, bits, table, allowed, avoid):
    ranges = [(int(n.network_address), int(n.broadcast_address)) for n in avoid]
    lengths = [length for length, weight in table for _ in range(weight)]
    seen = set()
    while len(seen) < count:
        length = rng.choice(lengths)
        size = 1 << (bits - length)
        address = allowed() & ~(size - 1)
        last = address + size - 1
        if (address, length) in seen or any(address <= high and last >= low for low, high in ranges):
            continue
        seen.add((address, length))
        yield address, length


def write(args):
    rng = random.Random(args.seed)
    g4 = int(ipaddress.IPv4Address(args.gateway4))
    g6 = int(ipaddress.IPv6Address(args.gateway6))
    hops4 = [(g4 + i).to_bytes(4, "big") for i in range(args.hops)]
    hops6 = [(g6 + i).to_bytes(16, "big") for i in range(args.hops)]
    sentinel4 = ipaddress.ip_network(args.sentinel4)
    sentinel6 = ipaddress.ip_network(args.sentinel6)
    avoid4 = [ipaddress.ip_network(n) for n in ("10.0.0.0/8", "0.0.0.0/8", "127.0.0.0/8")] + [sentinel4]
    avoid6 = [ipaddress.ip_network("fc00::/7"), sentinel6]

    def paths(rng, hops):
        if rng.randrange(20) == 0:
            return rng.sample(hops, rng.randint(2, min(4, len(hops))))
        return [rng.choice(hops)]

    frames = 0
    with open(args.file, "wb") as out:
        # Public unicast space: 1.0.0.0-223.255.255.255 and 2000::/3.
        for address, length in networks(rng, args.v4, 32, V4_LENGTHS, lambda: rng.randrange(0x01000000, 0xE0000000), avoid4):
            out.write(route_message(address, length, socket.AF_INET, paths(rng, hops4)))
            frames += 1
            if frames % 200_000 == 0:
                print(f"written {frames} routes", file=sys.stderr)
        for address, length in networks(rng, args.v6, 128, V6_LENGTHS, lambda: (0x2 << 125) | rng.getrandbits(125), avoid6):
            out.write(route_message(address, length, socket.AF_INET6, paths(rng, hops6)))
            frames += 1
            if frames % 200_000 == 0:
                print(f"written {frames} routes", file=sys.stderr)
        out.write(route_message(int(sentinel4.network_address), sentinel4.prefixlen, socket.AF_INET, [hops4[0]]))
        out.write(route_message(int(sentinel6.network_address), sentinel6.prefixlen, socket.AF_INET6, [hops6[0]]))
    print(f"wrote {frames + 2} routes to {args.file} ({os.path.getsize(args.file)} bytes)", file=sys.stderr)


def replay(args):
    data = open(args.file, "rb").read()
    sock = socket.create_connection((args.host, args.port))
    start = time.monotonic()
    view = memoryview(data)
    for offset in range(0, len(data), 1 << 20):
        sock.sendall(view[offset:offset + (1 << 20)])
    elapsed = time.monotonic() - start
    frames = 0
    offset = 0
    while offset < len(data):
        offset += struct.unpack_from(">H", data, offset + 2)[0]
        frames += 1
    print(f"sent {len(data)} bytes {frames} frames in {elapsed:.3f} s", flush=True)
    sys.stdin.read()
    sock.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    w = sub.add_parser("write")
    w.add_argument("file")
    w.add_argument("--v4", type=int, default=1_000_000)
    w.add_argument("--v6", type=int, default=200_000)
    w.add_argument("--hops", type=int, default=16)
    w.add_argument("--gateway4", required=True)
    w.add_argument("--gateway6", required=True)
    w.add_argument("--sentinel4", default="203.0.113.0/24")
    w.add_argument("--sentinel6", default="2001:db8:ffff::/48")
    w.add_argument("--seed", type=int, default=20261207)
    r = sub.add_parser("replay")
    r.add_argument("file")
    r.add_argument("host")
    r.add_argument("port", type=int)
    args = parser.parse_args()
    write(args) if args.command == "write" else replay(args)


if __name__ == "__main__":
    main()
