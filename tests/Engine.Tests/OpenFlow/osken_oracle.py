#!/usr/bin/python3
"""os-ken as the OpenFlow 1.3 oracle of the engine's codec tests (OfpOskenTests).

  osken_oracle.py build NAME...   prints each named message, as os-ken builds it, in hex, one a line
  osken_oracle.py parse           reads hex messages from stdin, one a line, and prints each as
                                  os-ken parses it: its class name and its JSON, one a line
"""
import json
import sys

from os_ken.ofproto import ofproto_parser, ofproto_protocol
from os_ken.ofproto import ofproto_v1_3 as ofp
from os_ken.ofproto import ofproto_v1_3_parser as p

dp = ofproto_protocol.ProtocolDesc(version=ofp.OFP_VERSION)


def output(port, max_len=0xffff):
    return [p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionOutput(port, max_len)])]


def messages():
    tcp_match = p.OFPMatch(in_port=1, eth_type=0x800, ipv4_dst=('10.0.0.0', '255.255.255.0'), ip_proto=6, tcp_dst=80)
    mac_match = p.OFPMatch(in_port=2, eth_dst='02:00:00:00:00:0a')
    return {
        'hello': lambda: p.OFPHello(dp),
        'echo_request': lambda: p.OFPEchoRequest(dp, data=b'ping'),
        'features_request': lambda: p.OFPFeaturesRequest(dp),
        'get_config_request': lambda: p.OFPGetConfigRequest(dp),
        'set_config': lambda: p.OFPSetConfig(dp, ofp.OFPC_FRAG_NORMAL, 256),
        'barrier_request': lambda: p.OFPBarrierRequest(dp),
        'role_request_master': lambda: p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, 9),
        'desc_request': lambda: p.OFPDescStatsRequest(dp, 0),
        'port_desc_request': lambda: p.OFPPortDescStatsRequest(dp, 0),
        'table_request': lambda: p.OFPTableStatsRequest(dp, 0),
        'port_stats_request': lambda: p.OFPPortStatsRequest(dp, 0, ofp.OFPP_ANY),
        'port_stats_request_2': lambda: p.OFPPortStatsRequest(dp, 0, 2),
        'flow_request': lambda: p.OFPFlowStatsRequest(dp, 0, ofp.OFPTT_ALL, ofp.OFPP_ANY, ofp.OFPG_ANY, 0, 0, p.OFPMatch()),
        'aggregate_request': lambda: p.OFPAggregateStatsRequest(dp, 0, ofp.OFPTT_ALL, ofp.OFPP_ANY, ofp.OFPG_ANY, 0, 0, p.OFPMatch()),
        'group_desc_request': lambda: p.OFPGroupDescStatsRequest(dp, 0),
        'flow_add_tcp': lambda: p.OFPFlowMod(dp, cookie=5, command=ofp.OFPFC_ADD, priority=100, match=tcp_match,
                                             instructions=output(2), idle_timeout=10, flags=ofp.OFPFF_SEND_FLOW_REM),
        'flow_add_mac': lambda: p.OFPFlowMod(dp, cookie=6, command=ofp.OFPFC_ADD, priority=1, match=mac_match,
                                             instructions=output(1), hard_timeout=30),
        'flow_add_miss': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, priority=0, match=p.OFPMatch(),
                                              instructions=output(ofp.OFPP_CONTROLLER, ofp.OFPCML_NO_BUFFER)),
        'flow_add_overlap': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, priority=0, match=p.OFPMatch(in_port=2),
                                                 instructions=output(1), flags=ofp.OFPFF_CHECK_OVERLAP),
        'flow_delete_all': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_DELETE, table_id=ofp.OFPTT_ALL, out_port=ofp.OFPP_ANY,
                                                out_group=ofp.OFPG_ANY, match=p.OFPMatch()),
        'flow_delete_strict_tcp': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_DELETE_STRICT, priority=100, out_port=ofp.OFPP_ANY,
                                                       out_group=ofp.OFPG_ANY, match=tcp_match),
        'flow_add_goto': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(), instructions=[p.OFPInstructionGotoTable(1)]),
        'flow_add_group': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(),
                                               instructions=[p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionGroup(1)])]),
        'flow_add_bad_port': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(), instructions=output(99)),
        'flow_add_no_prereq': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(tcp_dst=80), instructions=output(1)),
        'group_mod': lambda: p.OFPGroupMod(dp, ofp.OFPGC_ADD, ofp.OFPGT_ALL, 1, []),
        'packet_out': lambda: p.OFPPacketOut(dp, ofp.OFP_NO_BUFFER, ofp.OFPP_CONTROLLER, [p.OFPActionOutput(1)], b'\xff' * 6 + b'\x02' * 6 + b'\x08\x06' + b'\x00' * 28),
    }


def build(names):
    table = messages()
    for name in names:
        msg = table[name]()
        msg.xid = 0x1000 + list(table).index(name)
        msg.serialize()
        print(bytes(msg.buf).hex())


def parse():
    for line in sys.stdin:
        data = bytes.fromhex(line.strip())
        version, msg_type, msg_len, xid = ofproto_parser.header(data)
        msg = ofproto_parser.msg(dp, version, msg_type, msg_len, xid, data)
        print(type(msg).__name__, json.dumps(msg.to_jsondict()[type(msg).__name__], default=str))


if __name__ == '__main__':
    if sys.argv[1] == 'build':
        build(sys.argv[2:])
    else:
        parse()
