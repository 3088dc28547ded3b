"""An os-ken app of the project's own that routes IPv4 between a tun port and a tap port
(OpenFlowRoutingTests), as a router would, through the engine's flow table.

Run as: /usr/bin/python3 -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port PORT osken_router.py
with OSKEN_ROUTER=TUN_PORT,TUN_PREFIX,TUN_GATEWAY,TAP_PORT,TAP_PREFIX,TAP_GATEWAY in its environment.

On each connection it deletes every flow (a controller's resync: the switch may hold flows of
an earlier run), asks for PACKET_INs of reason INVALID_TTL (SET_ASYNC) and installs:
- the table-miss flow to the controller;
- a route to the tun's prefix: dec_nw_ttl, output to the tun port (a tun takes the IP packet);
- per tap host, once its address is resolved (ARP): dec_nw_ttl, eth_src the gateway's MAC,
  eth_dst the host's, output to the tap port.
It answers ARP for the tap gateway, asks ARP for a tap host it has no MAC for, and answers a
packet whose TTL would run out (INVALID_TTL) with ICMP time exceeded from the gateway of the
port it came in on, so traceroute shows the hop. One line per event, flushed: "flows cleared",
"switch ... up", "route-add", "arp-reply", "arp-learned", "ttl-exceeded".
"""
import ipaddress
import os

from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib.packet import arp, ethernet, icmp, ipv4, packet
from os_ken.ofproto import ofproto_v1_3

GATEWAY_MAC = '02:00:00:00:fe:01'


def say(*words):
    print(*words, flush=True)


class Router(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        tun_port, tun_prefix, tun_gateway, tap_port, tap_prefix, tap_gateway = os.environ['OSKEN_ROUTER'].split(',')
        self.tun = (int(tun_port), ipaddress.ip_network(tun_prefix), tun_gateway)
        self.tap = (int(tap_port), ipaddress.ip_network(tap_prefix), tap_gateway)
        self.macs = {}

    def flow(self, dp, priority, match, actions):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=priority, match=match,
                                      instructions=[parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]))

    def send(self, dp, port, pkt):
        ofp, parser = dp.ofproto, dp.ofproto_parser
        pkt.serialize()
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=ofp.OFP_NO_BUFFER, in_port=ofp.OFPP_CONTROLLER,
                                        actions=[parser.OFPActionOutput(port)], data=pkt.data))

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        dp.send_msg(parser.OFPFlowMod(datapath=dp, command=ofp.OFPFC_DELETE, table_id=ofp.OFPTT_ALL, out_port=ofp.OFPP_ANY,
                                      out_group=ofp.OFPG_ANY, match=parser.OFPMatch()))
        self.macs = {}
        say('flows cleared')
        reasons = 1 << ofp.OFPR_NO_MATCH | 1 << ofp.OFPR_ACTION | 1 << ofp.OFPR_INVALID_TTL
        dp.send_msg(parser.OFPSetAsync(dp, [reasons, 0], [0b111, 0b111], [0b1111, 0]))
        self.flow(dp, 0, parser.OFPMatch(), [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)])
        port, prefix, _ = self.tun
        self.flow(dp, 10, parser.OFPMatch(eth_type=0x800, ipv4_dst=(str(prefix.network_address), str(prefix.netmask))),
                  [parser.OFPActionDecNwTtl(), parser.OFPActionOutput(port)])
        say('route-add %s port %d' % (prefix, port))
        say('switch %016x up' % dp.id)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp = dp.ofproto
        in_port = msg.match['in_port']
        pkt = packet.Packet(msg.data)
        if msg.reason == ofp.OFPR_INVALID_TTL:
            self.ttl_exceeded(dp, in_port, pkt, msg.data)
        elif pkt.get_protocol(arp.arp):
            self.arp(dp, in_port, pkt.get_protocol(arp.arp))
        elif pkt.get_protocol(ipv4.ipv4):
            self.resolve(dp, pkt.get_protocol(ipv4.ipv4).dst)

    def ttl_exceeded(self, dp, in_port, pkt, data):
        ip = pkt.get_protocol(ipv4.ipv4)
        port, _, gateway = self.tun if in_port == self.tun[0] else self.tap
        eth = pkt.get_protocol(ethernet.ethernet)
        quoted = data[14:14 + ip.header_length * 4 + 8]
        reply = packet.Packet()
        reply.add_protocol(ethernet.ethernet(dst=eth.src, src=GATEWAY_MAC, ethertype=0x800))
        reply.add_protocol(ipv4.ipv4(src=gateway, dst=ip.src, proto=1, ttl=64))
        reply.add_protocol(icmp.icmp(type_=icmp.ICMP_TIME_EXCEEDED, code=0, data=icmp.TimeExceeded(data=quoted)))
        self.send(dp, port, reply)
        say('ttl-exceeded %s from %s' % (ip.src, gateway))

    def arp(self, dp, in_port, request):
        port, _, gateway = self.tap
        if in_port != port:
            return
        if request.src_ip not in self.macs:
            self.learn(dp, request.src_ip, request.src_mac)
        if request.opcode == arp.ARP_REQUEST and request.dst_ip == gateway:
            reply = packet.Packet()
            reply.add_protocol(ethernet.ethernet(dst=request.src_mac, src=GATEWAY_MAC, ethertype=0x806))
            reply.add_protocol(arp.arp(opcode=arp.ARP_REPLY, src_mac=GATEWAY_MAC, src_ip=gateway, dst_mac=request.src_mac, dst_ip=request.src_ip))
            self.send(dp, port, reply)
            say('arp-reply %s' % gateway)

    def learn(self, dp, address, mac):
        parser = dp.ofproto_parser
        self.macs[address] = mac
        self.flow(dp, 20, parser.OFPMatch(eth_type=0x800, ipv4_dst=address),
                  [parser.OFPActionDecNwTtl(), parser.OFPActionSetField(eth_src=GATEWAY_MAC), parser.OFPActionSetField(eth_dst=mac),
                   parser.OFPActionOutput(self.tap[0])])
        say('arp-learned %s %s' % (address, mac))

    def resolve(self, dp, address):
        port, prefix, gateway = self.tap
        if ipaddress.ip_address(address) not in prefix or address in self.macs:
            return
        request = packet.Packet()
        request.add_protocol(ethernet.ethernet(dst='ff:ff:ff:ff:ff:ff', src=GATEWAY_MAC, ethertype=0x806))
        request.add_protocol(arp.arp(opcode=arp.ARP_REQUEST, src_mac=GATEWAY_MAC, src_ip=gateway, dst_mac='00:00:00:00:00:00', dst_ip=address))
        self.send(dp, port, request)
