"""An os-ken app of the project's own for bench/openflow.sh: it fills the engine's table with
COUNT exact-match flows and no table-miss flow, so a frame no flow matches is dropped, never
sent to the controller.

Run as: /usr/bin/python3 -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port PORT osken_flows.py
with OSKEN_FLOWS=COUNT,PORT_A,ADDR_A,PORT_B,ADDR_B in its environment.

On each connection it deletes every flow and installs, all at one priority, each matching
in_port, eth_type and both IPv4 addresses exactly (no masks):
- ADDR_A -> ADDR_B in on PORT_A: output PORT_B, and the reverse: the two flows the measured
  traffic (iperf3 TCP and UDP, ping) uses;
- COUNT - 2 more from addresses in 10.255.0.0/16, which no host uses, to ADDR_B: output PORT_B.
The actions are a single output, as a flow the engine's router carries on its fast path.
After a barrier it asks for the aggregate stats and prints "flows N" (the switch's count),
flushed, so the bench can wait for it.
"""
import ipaddress
import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.ofproto import ofproto_v1_3

PRIORITY = 100
UNUSED = ipaddress.ip_network('10.255.0.0/16')


def say(*words):
    print(*words, flush=True)


class Flows(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        count, port_a, addr_a, port_b, addr_b = os.environ['OSKEN_FLOWS'].split(',')
        self.count = int(count)
        self.a = (int(port_a), addr_a)
        self.b = (int(port_b), addr_b)

    def flow(self, dp, in_port, src, dst, out_port):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        match = parser.OFPMatch(in_port=in_port, eth_type=0x800, ipv4_src=src, ipv4_dst=dst)
        actions = [parser.OFPActionOutput(out_port)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=PRIORITY, match=match,
                                      instructions=[parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]))

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        dp.send_msg(parser.OFPFlowMod(datapath=dp, command=ofp.OFPFC_DELETE, table_id=ofp.OFPTT_ALL, out_port=ofp.OFPP_ANY,
                                      out_group=ofp.OFPG_ANY, match=parser.OFPMatch()))
        (port_a, addr_a), (port_b, addr_b) = self.a, self.b
        self.flow(dp, port_a, addr_a, addr_b, port_b)
        self.flow(dp, port_b, addr_b, addr_a, port_a)
        hosts = UNUSED.hosts()
        for _ in range(self.count - 2):
            self.flow(dp, port_a, str(next(hosts)), addr_b, port_b)
        dp.send_msg(parser.OFPBarrierRequest(dp))

    @set_ev_cls(ofp_event.EventOFPBarrierReply, MAIN_DISPATCHER)
    def barrier(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        dp.send_msg(parser.OFPAggregateStatsRequest(dp, 0, ofp.OFPTT_ALL, ofp.OFPP_ANY, ofp.OFPG_ANY, 0, 0, parser.OFPMatch()))

    @set_ev_cls(ofp_event.EventOFPAggregateStatsReply, MAIN_DISPATCHER)
    def aggregate(self, ev):
        say('flows %d' % ev.msg.body.flow_count)
