#!/usr/bin/python3
"""A minimal OpenFlow 1.3 controller that probes the engine's channel (OpenFlowChannelTests).

It listens on 127.0.0.1:PORT and takes the engine's connection, then:
  1. HELLO both ways, FEATURES_REQUEST, PORT_DESC: prints the switch and its ports;
  2. a message of unknown type: prints the ERROR it gets, then an ECHO to show the channel is up;
  3. a FLOW_MOD with a goto_table back to its own table: prints the ERROR;
  4. (--flows-after S) after S seconds, or (--flows-when FILE) once FILE exists, FLOW stats:
     prints each flow (another controller's too);
  5. (--lie) a header whose length is 4: prints that the engine closed, then waits for it to
     dial again and does HELLO on the new connection.
Every message from the engine is parsed with os-ken's OpenFlow 1.3 parser.
"""
import argparse
import os
import socket
import struct
import sys
import time

from os_ken.ofproto import ofproto_parser, ofproto_protocol
from os_ken.ofproto import ofproto_v1_3 as ofp
from os_ken.ofproto import ofproto_v1_3_parser as p

dp = ofproto_protocol.ProtocolDesc(version=ofp.OFP_VERSION)


def say(*words):
    print(*words, flush=True)


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b''
        self.xid = 100

    def send(self, msg):
        self.xid += 1
        msg.xid = self.xid
        msg.serialize()
        self.sock.sendall(bytes(msg.buf))
        return self.xid

    def recv(self, timeout=5.0):
        """The next message from the engine, parsed; None when it closed."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.buf) >= 8:
                length = struct.unpack('!H', self.buf[2:4])[0]
                if len(self.buf) >= length:
                    data, self.buf = self.buf[:length], self.buf[length:]
                    version, msg_type, msg_len, xid = ofproto_parser.header(data)
                    return ofproto_parser.msg(dp, version, msg_type, msg_len, xid, data)
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            chunk = self.sock.recv(65536)
            if not chunk:
                return None
            self.buf += chunk

    def expect(self, cls, timeout=5.0):
        """Skips what the engine sends unasked (ECHO_REQUEST is answered) until a message of class cls."""
        while True:
            msg = self.recv(timeout)
            if msg is None:
                raise SystemExit('engine closed the connection while waiting for ' + cls.__name__)
            if isinstance(msg, p.OFPEchoRequest):
                self.send(p.OFPEchoReply(dp, data=msg.data))
                continue
            if isinstance(msg, cls):
                return msg
            say('unasked', type(msg).__name__)


def listen(port, backlog=1):
    """A listener on 127.0.0.1:port for the engine to dial; prints "listening" once it is."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(('127.0.0.1', port))
    listener.listen(backlog)
    say('listening')
    listener.settimeout(20)
    return listener


def handshake(conn):
    conn.expect(p.OFPHello)
    conn.send(p.OFPHello(dp))
    conn.send(p.OFPFeaturesRequest(dp))
    features = conn.expect(p.OFPSwitchFeatures)
    say('features datapath %016x tables %d' % (features.datapath_id, features.n_tables))


def wait_for_flows(opts):
    if opts.flows_after is not None:
        time.sleep(opts.flows_after)
        return
    deadline = time.monotonic() + 60
    while not os.path.exists(opts.flows_when):
        if time.monotonic() > deadline:
            sys.exit('%s never appeared' % opts.flows_when)
        time.sleep(0.05)


def main():
    args = argparse.ArgumentParser()
    args.add_argument('--port', type=int, required=True)
    args.add_argument('--flows-after', type=float)
    args.add_argument('--flows-when', help='a file whose creation asks for the flows (the test knows when its traffic is done)')
    args.add_argument('--lie', action='store_true')
    opts = args.parse_args()

    listener = listen(opts.port, backlog=4)
    conn = Conn(listener.accept()[0])
    handshake(conn)

    conn.send(p.OFPPortDescStatsRequest(dp, 0))
    for port in conn.expect(p.OFPPortDescStatsReply).body:
        say('port %d %s state %d' % (port.port_no, port.name.decode(), port.state))

    conn.sock.sendall(struct.pack('!BBHI', 4, 200, 8, 4242))
    error = conn.expect(p.OFPErrorMsg)
    say('unknown type -> error type %d code %d xid %d' % (error.type, error.code, error.xid))
    conn.send(p.OFPEchoRequest(dp, data=b'still-up'))
    say('echo', conn.expect(p.OFPEchoReply).data.decode())

    conn.send(p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(), instructions=[p.OFPInstructionGotoTable(0)]))
    error = conn.expect(p.OFPErrorMsg)
    say('goto_table -> error type %d code %d' % (error.type, error.code))

    if opts.flows_after is not None or opts.flows_when is not None:
        wait_for_flows(opts)
        conn.send(p.OFPFlowStatsRequest(dp, 0, ofp.OFPTT_ALL, ofp.OFPP_ANY, ofp.OFPG_ANY, 0, 0, p.OFPMatch()))
        for flow in conn.expect(p.OFPFlowStatsReply).body:
            say('flow priority %d packets %d match %s instructions %s' % (flow.priority, flow.packet_count, flow.match, flow.instructions))
        say('flows done')

    if opts.lie:
        conn.sock.sendall(struct.pack('!BBHI', 4, 2, 4, 4243))
        while conn.recv(5) is not None:
            pass
        say('engine closed after the lying length')
        conn = Conn(listener.accept()[0])
        handshake(conn)
        say('reconnected')
    say('done')


if __name__ == '__main__':
    main()
