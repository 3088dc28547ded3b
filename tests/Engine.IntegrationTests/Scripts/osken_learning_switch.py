"""An os-ken app of the project's own: an OpenFlow 1.3 L2 learning switch (OpenFlowOskenTests).

Run as: /usr/bin/python3 -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port PORT osken_learning_switch.py

It installs the table-miss flow to the controller, learns where each source lives from
PACKET_IN, installs a flow per learned destination (idle timeout 2 s, FLOW_REMOVED asked),
floods what it has not learned, and every second asks for port stats. It prints one line per
event, flushed, for the test to read: "packet-in", "flow-add", "flow-removed", "port-stats",
"port-status".
"""
from os_ken.base import app_manager
from os_ken.controller import ofp_event
from os_ken.controller.handler import CONFIG_DISPATCHER, MAIN_DISPATCHER, set_ev_cls
from os_ken.lib import hub
from os_ken.lib.packet import ethernet, packet
from os_ken.ofproto import ofproto_v1_3

IDLE_TIMEOUT = 2


def say(*words):
    print(*words, flush=True)


class LearningSwitch(app_manager.OSKenApp):
    OFP_VERSIONS = [ofproto_v1_3.OFP_VERSION]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.mac_to_port = {}
        self.datapaths = {}
        hub.spawn(self._poll_stats)

    @set_ev_cls(ofp_event.EventOFPSwitchFeatures, CONFIG_DISPATCHER)
    def features(self, ev):
        dp = ev.msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        self.datapaths[dp.id] = dp
        miss = [parser.OFPActionOutput(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)]
        dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=0, match=parser.OFPMatch(),
                                      instructions=[parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, miss)]))
        say('switch %016x up' % dp.id)

    @set_ev_cls(ofp_event.EventOFPPacketIn, MAIN_DISPATCHER)
    def packet_in(self, ev):
        msg = ev.msg
        dp = msg.datapath
        ofp, parser = dp.ofproto, dp.ofproto_parser
        in_port = msg.match['in_port']
        eth = packet.Packet(msg.data).get_protocols(ethernet.ethernet)[0]
        say('packet-in port %d reason %d %s -> %s' % (in_port, msg.reason, eth.src, eth.dst))
        table = self.mac_to_port.setdefault(dp.id, {})
        table[eth.src] = in_port
        out_port = table.get(eth.dst, ofp.OFPP_FLOOD)
        actions = [parser.OFPActionOutput(out_port)]
        if out_port != ofp.OFPP_FLOOD:
            match = parser.OFPMatch(in_port=in_port, eth_dst=eth.dst, eth_src=eth.src)
            dp.send_msg(parser.OFPFlowMod(datapath=dp, priority=1, match=match, idle_timeout=IDLE_TIMEOUT,
                                          flags=ofp.OFPFF_SEND_FLOW_REM,
                                          instructions=[parser.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, actions)]))
            say('flow-add port %d %s -> port %d' % (in_port, eth.dst, out_port))
        dp.send_msg(parser.OFPPacketOut(datapath=dp, buffer_id=ofp.OFP_NO_BUFFER, in_port=in_port, actions=actions, data=msg.data))

    @set_ev_cls(ofp_event.EventOFPFlowRemoved, MAIN_DISPATCHER)
    def flow_removed(self, ev):
        msg = ev.msg
        say('flow-removed reason %d packets %d match %s' % (msg.reason, msg.packet_count, dict(msg.match.items())))

    @set_ev_cls(ofp_event.EventOFPPortStatus, MAIN_DISPATCHER)
    def port_status(self, ev):
        say('port-status reason %d port %d state %d' % (ev.msg.reason, ev.msg.desc.port_no, ev.msg.desc.state))

    @set_ev_cls(ofp_event.EventOFPPortStatsReply, MAIN_DISPATCHER)
    def port_stats(self, ev):
        for stat in sorted(ev.msg.body, key=lambda s: s.port_no):
            say('port-stats port %d rx %d tx %d' % (stat.port_no, stat.rx_packets, stat.tx_packets))

    def _poll_stats(self):
        while True:
            for dp in list(self.datapaths.values()):
                dp.send_msg(dp.ofproto_parser.OFPPortStatsRequest(dp, 0, dp.ofproto.OFPP_ANY))
            hub.sleep(1)
