"""An os-ken app of the project's own that joins two engines' OSPF through itself (OpenFlowOspfRelayTests).

Run as: /usr/bin/python3 -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port PORT osken_ospf_relay.py

Both engines dial it, as datapaths 1 and 2, each with its FRR host on port 1. It installs on
each a flow sending the host's OSPF (IPv4 and IPv6, IP protocol 89) to the controller, and
sends every such PACKET_IN out of port 1 of the other datapath with PACKET_OUT, unchanged.
Nothing else crosses: with fail-mode secure, every other frame is a table miss. It prints
"up N" as each datapath connects and, each second, the packets relayed each way.
"""
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import hub
from os_ken.ofproto import ofproto_v1_3

HOST_PORT = 1
OSPF = 89


def say(*words):
    print(*words, flush=True)


class OspfRelay(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.datapaths = {}
        self.relayed = {1: 0, 2: 0}
        hub.spawn(self._report)

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        self.datapaths[dp.id] = dp
        to_controller = [parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS,
                                                      [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)])]
        for eth_type in (0x800, 0x86dd):
            match = parser.OFPMatch(in_port=HOST_PORT, eth_type=eth_type, ip_proto=OSPF)
            dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=100, match=match, instructions=to_controller))
        say('up %d' % dp.id)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        other = self.datapaths.get(3 - msg.datapath.id)
        if other is None:
            return
        ofp, parser = other.ofproto, other.ofproto_parser
        other.send_msg(parser.OFPPacketOut(datapath=other, buffer_id=ofp.OFP_NO_BUFFER, in_port=ofp.OFPP_CONTROLLER,
                                           actions=[parser.OFPActionOutput(HOST_PORT)], data=msg.data))
        self.relayed[msg.datapath.id] += 1

    def _report(self):
        while True:
            hub.sleep(1)
            say('relayed 1->2 %d 2->1 %d' % (self.relayed[1], self.relayed[2]))
