#!/usr/bin/env python3
"""Raw frames in a test host's namespace, for what no ordinary tool sends or shows:

  listen-ethernet IFACE ETHERTYPE  waits for one frame of ETHERTYPE (hex) on IFACE and prints it
  listen-ip PROTOCOL               waits for one IPv4 packet of PROTOCOL to this host and prints it
  send-ethernet IFACE HEX          sends the Ethernet frame HEX out of IFACE

A listener prints "ready" once its socket is open, then "got ..." and exits 0.
"""
import socket
import sys

ETH_P_ALL = 0x0003


def listen_ethernet(interface, ethertype):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((interface, 0))
    print("ready", flush=True)
    while True:
        frame = sock.recv(65535)
        if len(frame) >= 14 and int.from_bytes(frame[12:14], "big") == ethertype:
            print(f"got ethernet {frame[6:12].hex(':')} -> {frame[0:6].hex(':')} type {ethertype:#06x} "
                  f"{len(frame)} B payload {frame[14:].rstrip(bytes(1)).decode(errors='replace')}", flush=True)
            return 0


def listen_ip(protocol):
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, protocol)
    print("ready", flush=True)
    packet, _ = sock.recvfrom(65535)
    header = (packet[0] & 0x0F) * 4
    print(f"got ip proto {packet[9]} {socket.inet_ntoa(packet[12:16])} -> {socket.inet_ntoa(packet[16:20])} "
          f"ttl {packet[8]} payload {packet[header:].decode(errors='replace')}", flush=True)
    return 0


def send_ethernet(interface, text):
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((interface, 0))
    sock.send(bytes.fromhex(text))
    return 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "listen-ethernet":
        sys.exit(listen_ethernet(rest[0], int(rest[1], 16)))
    if command == "listen-ip":
        sys.exit(listen_ip(int(rest[0])))
    if command == "send-ethernet":
        sys.exit(send_ethernet(rest[0], rest[1]))
    sys.exit(f"unknown command {command}")
