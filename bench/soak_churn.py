#!/usr/bin/env python3
"""Peers that come and go, for bench/soak.sh: until SECONDS pass, connect to a length16 peer
and to an engine-framing controller peer, send each a few frames, and hang up; again and again.

  soak_churn.py SECONDS LENGTH16_PORT CONTROLLER_PORT SOURCE DESTINATION

Prints one line at the end: how many sessions each kind completed and how many failed.
"""
import os
import socket
import struct
import sys
import time


def udp_packet(src, dst, payload):
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    total = 20 + 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total, 0, 0, 64, 17, 0, s, d)
    words = struct.unpack("!10H", ip)
    checksum = sum(words)
    while checksum >> 16:
        checksum = (checksum & 0xFFFF) + (checksum >> 16)
    ip = ip[:10] + struct.pack("!H", 0xFFFF - checksum) + ip[12:]
    return ip + struct.pack("!HHHH", 4000, 9, 8 + len(payload), 0) + payload


def message(kind, body, port=0):
    return struct.pack("!BBHI", kind, 0, port, len(body)) + body


def length16_session(port, packet):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        for _ in range(5):
            s.sendall(struct.pack("!H", len(packet)) + packet)


def controller_session(port, packet):
    with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
        s.sendall(message(1, bytes([1, 0]) + os.urandom(16) + b"churn"))
        kind = s.recv(8)[:1]
        if kind != b"\x01":
            raise OSError("no HELLO from the engine")
        for _ in range(5):
            s.sendall(message(4, packet, port=0xFFFF))
        s.sendall(message(6, b"bye"))


def main():
    seconds, l16, ctl = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    packet = udp_packet(sys.argv[4], sys.argv[5], b"churn" * 10)
    done = {"length16": 0, "controller": 0}
    failed = {"length16": 0, "controller": 0}
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for name, session, port in (("length16", length16_session, l16), ("controller", controller_session, ctl)):
            try:
                session(port, packet)
                done[name] += 1
            except OSError:
                failed[name] += 1
        time.sleep(0.1)
    print("sessions: length16 %d (%d failed), controller %d (%d failed)"
          % (done["length16"], failed["length16"], done["controller"], failed["controller"]), flush=True)


if __name__ == "__main__":
    main()
