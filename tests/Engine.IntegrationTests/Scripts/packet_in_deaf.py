"""A controller that stops reading its PACKET_INs for a while (OpenFlowPacketInBudgetTests).

It listens on 127.0.0.1:PORT, takes the engine's connection, installs a flow that sends UDP to
the CONTROLLER (whole frames) and a priority-0 flow to NORMAL (the lab forwards the rest on its
own), and prints "flows installed". It then reads nothing for --deaf seconds, sending a
BARRIER_REQUEST every half second (the engine hears from it and queues the replies). After that
it reads everything, counts the PACKET_INs and BARRIER_REPLYs, sends an ECHO_REQUEST and prints
"echo answered after N packet-ins, M barriers" when the reply comes.
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
    args.add_argument('--deaf', type=float, default=5.0)
    opts = args.parse_args()

    conn = Conn(listen(opts.port).accept()[0])
    handshake(conn)
    to_controller = [p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)])]
    normal = [p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionOutput(ofp.OFPP_NORMAL)])]
    conn.send(p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, priority=10, match=p.OFPMatch(eth_type=0x0800, ip_proto=17), instructions=to_controller))
    conn.send(p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, priority=0, match=p.OFPMatch(), instructions=normal))
    conn.send(p.OFPBarrierRequest(dp))
    conn.expect(p.OFPBarrierReply)
    say('flows installed')

    barriers_sent = 0
    deadline = time.monotonic() + opts.deaf
    while time.monotonic() < deadline:
        time.sleep(0.5)
        conn.send(p.OFPBarrierRequest(dp))
        barriers_sent += 1
    say('reading again')

    packet_ins = barriers = 0
    while True:
        try:
            msg = conn.recv(1.0)
        except socket.timeout:
            break
        if msg is None:
            raise SystemExit('engine closed the connection')
        if isinstance(msg, p.OFPPacketIn):
            packet_ins += 1
        elif isinstance(msg, p.OFPBarrierReply):
            barriers += 1
        elif isinstance(msg, p.OFPEchoRequest):
            conn.send(p.OFPEchoReply(dp, data=msg.data))
    echo = p.OFPEchoRequest(dp, data=b'still here')
    conn.send(echo)
    while True:
        msg = conn.recv(5.0)
        if msg is None:
            raise SystemExit('engine closed the connection')
        if isinstance(msg, p.OFPEchoReply) and msg.data == b'still here':
            break
        if isinstance(msg, p.OFPPacketIn):
            packet_ins += 1
    say('echo answered after %d packet-ins, %d of %d barriers' % (packet_ins, barriers, barriers_sent))


if __name__ == '__main__':
    main()
