#!/usr/bin/env python3
"""Sends one Ethernet broadcast out of DEVICE and counts the copies of it that come back in.

  broadcast_echoes.py DEVICE SECONDS

The frame carries the local experimental EtherType 0x88b5 and a random nonce, so only copies of
this one frame are counted (the host's own traffic, and frames it sends, are not). Prints one
JSON line: {"copies": N, "seconds": T, "per_second": [n0, n1, ...]}, T measured from just
before the send to the end of the count, and per_second[i] the copies in second i.
"""
import json
import os
import socket
import sys
import time

ETHERTYPE = 0x88B5
PACKET_OUTGOING = 4


def main():
    device, seconds = sys.argv[1], float(sys.argv[2])
    nonce = os.urandom(16)
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETHERTYPE))
    sock.bind((device, 0))
    source = sock.getsockname()[4]
    frame = b"\xff" * 6 + source + ETHERTYPE.to_bytes(2, "big") + nonce
    frame += bytes(60 - len(frame))  # the shortest Ethernet frame, without its FCS
    per_second = [0] * (int(seconds) + 1)
    start = time.monotonic()
    sock.send(frame)
    end = start + seconds
    while (now := time.monotonic()) < end:
        sock.settimeout(end - now)
        try:
            data, address = sock.recvfrom(2048)
        except socket.timeout:
            break
        if address[2] != PACKET_OUTGOING and data[14:30] == nonce:
            per_second[int(time.monotonic() - start)] += 1
    elapsed = time.monotonic() - start
    print(json.dumps({"copies": sum(per_second), "seconds": elapsed, "per_second": per_second}))


if __name__ == "__main__":
    main()
