"""Prints the number of flows in an OpenFlow 1.3 switch that listens on HOST:PORT (an aggregate
stats request over all tables) and when the answer came (ns since the epoch), for bench/openflow.sh. It asks to be a slave first, so the
switch sends it no PACKET_IN while it reads: a reader that got every PACKET_IN of a flood
would share the switch's work with the controller being measured (ovs-ofctl is such a reader).

Usage: of_flow_count.py HOST PORT
"""
import socket
import struct
import sys
import time

OFP_VERSION, HELLO, ROLE_REQUEST, MULTIPART_REQUEST, MULTIPART_REPLY = 4, 0, 24, 18, 19
ROLE_SLAVE, AGGREGATE, ALL_TABLES, ANY = 3, 2, 0xff, 0xffffffff


def message(kind, xid, body=b''):
    return struct.pack('!BBHI', OFP_VERSION, kind, 8 + len(body), xid) + body


def read_message(stream):
    header = stream.read(8)
    if len(header) < 8:
        sys.exit('connection closed')
    _, kind, length, xid = struct.unpack('!BBHI', header)
    return kind, xid, stream.read(length - 8)


with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=10) as connection:
    empty_match = struct.pack('!HH4x', 1, 4)
    aggregate = struct.pack('!HH4xB3xII4xQQ', AGGREGATE, 0, ALL_TABLES, ANY, ANY, 0, 0) + empty_match
    connection.sendall(message(HELLO, 1) + message(ROLE_REQUEST, 2, struct.pack('!I4xQ', ROLE_SLAVE, 0))
                       + message(MULTIPART_REQUEST, 3, aggregate))
    stream = connection.makefile('rb')
    while True:
        kind, xid, body = read_message(stream)
        if kind == MULTIPART_REPLY and xid == 3:
            packets, octets, flows = struct.unpack('!QQI', body[8:28])
            print(flows, time.time_ns())
            break
