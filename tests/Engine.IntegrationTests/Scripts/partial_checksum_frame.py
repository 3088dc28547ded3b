#!/usr/bin/env python3
"""Sends one UDP packet whose checksum is left to the receiver (virtio NEEDS_CSUM), followed by
trailing bytes past its IP length: what a lab host or a peer engine may hand the engine.

  partial_checksum_frame.py packet DEVICE SRC DST      AF_PACKET (SOCK_RAW, PACKET_VNET_HDR) on DEVICE
  partial_checksum_frame.py peer HOST:PORT SRC DST     a peer engine's DATA with the offload header

SRC and DST are IPv4 or IPv6 addresses; the datagram goes to DST port 9999 and carries b"partial".
"""
import os
import socket
import struct
import sys

SOL_PACKET, PACKET_VNET_HDR = 263, 15
PAYLOAD = b"partial"
TRAILING = bytes(range(100))


def fold(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def udp_packet(src, dst):
    """The IP packet, its UDP checksum field holding the pseudo-header sum (CHECKSUM_PARTIAL)."""
    v6 = ":" in src
    family = socket.AF_INET6 if v6 else socket.AF_INET
    s, d = socket.inet_pton(family, src), socket.inet_pton(family, dst)
    udp_length = 8 + len(PAYLOAD)
    if v6:
        pseudo = fold(s + d + struct.pack("!IxxxB", udp_length, 17))
        ip = struct.pack("!IHBB16s16s", 6 << 28, udp_length, 17, 64, s, d)
    else:
        pseudo = fold(s + d + struct.pack("!xBH", 17, udp_length))
        ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_length, 1, 0, 64, 17, 0, s, d)
        ip = ip[:10] + struct.pack("!H", 0xFFFF - fold(ip)) + ip[12:]
    udp = struct.pack("!HHHH", 5555, 9999, udp_length, pseudo) + PAYLOAD
    return len(ip), ip + udp


def virtio_header(checksum_start):
    # flags NEEDS_CSUM, gso NONE, hdr_len 0, gso_size 0, csum_start, csum_offset 6 (UDP's checksum)
    return struct.pack("<BBHHHH", 1, 0, 0, 0, checksum_start, 6)


def send_on_device(device, src, dst):
    start, packet = udp_packet(src, dst)
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    s.setsockopt(SOL_PACKET, PACKET_VNET_HDR, 1)
    s.sendto(virtio_header(start) + packet + TRAILING, (device, 0x86DD if ":" in src else 0x0800))


def message(kind, body, flags=0, port=0):
    return struct.pack("!BBHI", kind, flags, port, len(body)) + body


def receive_message(s):
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = s.recv(n - len(data))
            if not chunk:
                raise SystemExit("the engine closed the link")
            data += chunk
        return data
    kind, _, _, length = struct.unpack("!BBHI", exactly(8))
    return kind, exactly(length)


def send_from_peer(endpoint, src, dst):
    host, port = endpoint.rsplit(":", 1)
    s = socket.create_connection((host, int(port)), timeout=10)
    # HELLO v1, flags: "I take DATA with an offload header", a fresh nonce, a name.
    s.sendall(message(1, bytes([1, 0x02]) + os.urandom(16) + b"fuzzer"))
    kind, _ = receive_message(s)
    if kind != 1:
        raise SystemExit("expected HELLO, got type %d" % kind)
    start, packet = udp_packet(src, dst)
    s.sendall(message(4, virtio_header(start) + packet + TRAILING, flags=0x01, port=0xFFFF))
    s.sendall(message(6, b"done"))
    s.close()


if __name__ == "__main__":
    mode, where, source, destination = sys.argv[1:5]
    (send_on_device if mode == "packet" else send_from_peer)(where, source, destination)
