"""A trivial os-ken app of the project's own for the flow-setup rate in bench/openflow.sh: a
two-port switch that installs an exact-match flow for each new flow it is shown.

Run as: /usr/bin/python3 -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port PORT osken_setup.py

On connection it deletes every flow and installs the table-miss flow to the controller. On each
PACKET_IN from port 1 or 2 it sends the frame out of the other port (PACKET_OUT); for an IPv4
frame it first installs a flow matching it exactly (in_port, eth_type, ip_proto, both addresses
and, for UDP and TCP, both ports) with that output, so the flow's next frames stay in the switch.
Prints "switch up" once the table-miss flow is in, flushed.
"""
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import ipv4, packet, tcp, udp
from os_ken.ofproto import ofproto_v1_3


def say(*words):
    print(*words, flush=True)


class Setup(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        dp.send_msg(parser.OFPFlowMod(datapath=dp, command=ofp.OFPFC_DELETE, table_id=ofp.OFPTT_ALL, out_port=ofp.OFPP_ANY,
                                      out_group=ofp.OFPG_ANY, match=parser.OFPMatch()))
        actions = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=0, match=parser.OFPMatch(),
                                      instructions=[parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]))
        say('switch up')

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        if in_port not in (1, 2):
            return
        actions = [parser.OFPActionOutput(3 - in_port)]
        pkt = packet.Packet(msg.data)
        ip = pkt.get_protocol(ipv4.ipv4)
        if ip is not None:
            fields = dict(in_port=in_port, eth_type=0x800, ip_proto=ip.proto, ipv4_src=ip.src, ipv4_dst=ip.dst)
            for proto, kind, prefix in ((udp.udp, 17, 'udp'), (tcp.tcp, 6, 'tcp')):
                segment = pkt.get_protocol(proto)
                if ip.proto == kind and segment is not None:
                    fields[prefix + '_src'] = segment.src_port
                    fields[prefix + '_dst'] = segment.dst_port
            dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=10, match=parser.OFPMatch(**fields),
                                          instructions=[parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]))
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=ofp.OFP_NO_BUFFER, in_port=in_port, actions=actions, data=msg.data))
