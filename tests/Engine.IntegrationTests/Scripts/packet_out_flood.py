"""A controller that floods the engine with PACKET_OUTs (OpenFlowFloodTests).

It listens on 127.0.0.1:PORT, takes the engine's connection, installs a priority-0 flow to
NORMAL (the lab forwards on its own), prints "normal installed", waits --delay seconds, sends
--count PACKET_OUTs of one broadcast frame out of port --out as fast as the socket takes them,
then a BARRIER_REQUEST, and prints "barrier after N" when the reply comes: every PACKET_OUT
before it was taken. It then stays connected --linger seconds.
"""
import argparse
import os
import socket
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from openflow_probe import Conn, dp, handshake, listen, ofp, p, say  # noqa: E402


def main():
    args = argparse.ArgumentParser()
    args.add_argument('--port', type=int, required=True)
    args.add_argument('--count', type=int, default=20000)
    args.add_argument('--out', type=int, default=2)
    args.add_argument('--delay', type=float, default=1.0)
    args.add_argument('--linger', type=float, default=3.0)
    opts = args.parse_args()

    conn = Conn(listen(opts.port).accept()[0])
    handshake(conn)
    normal = [p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionOutput(ofp.OFPP_NORMAL)])]
    conn.send(p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, priority=0, match=p.OFPMatch(), instructions=normal))
    say('normal installed')
    time.sleep(opts.delay)

    frame = b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x99' + b'\x88\xb5' + b'flood' * 9
    out = p.OFPPacketOut(dp, ofp.OFP_NO_BUFFER, ofp.OFPP_CONTROLLER, [p.OFPActionOutput(opts.out)], frame)
    out.xid = 7
    out.serialize()
    blob = bytes(out.buf) * 1000
    for _ in range(opts.count // 1000):
        conn.sock.settimeout(30)
        conn.sock.sendall(blob)
    conn.send(p.OFPBarrierRequest(dp))
    conn.expect(p.OFPBarrierReply, timeout=30)
    say('barrier after %d' % (opts.count // 1000 * 1000))
    deadline = time.monotonic() + opts.linger
    while time.monotonic() < deadline:
        try:
            msg = conn.recv(max(0.05, deadline - time.monotonic()))
        except socket.timeout:
            break
        if msg is None:
            break
        if isinstance(msg, p.OFPEchoRequest):
            conn.send(p.OFPEchoReply(dp, data=msg.data))
    say('done')


if __name__ == '__main__':
    main()
