#!/usr/bin/python3
"""os-ken as the OpenFlow 1.3 oracle of the engine's codec tests (OfpOskenTests).

  osken_oracle.py build NAME...   prints each named message (or frame, from os-ken's packet library), as os-ken
                                  builds it, in hex, one a line
  osken_oracle.py parse           reads hex messages from stdin, one a line, and prints each as
                                  os-ken parses it: its class name and its JSON, one a line
"""
import json
import sys

from os_ken.lib.packet import ethernet, ipv4, ipv6, tcp, udp, vlan
from os_ken.lib.packet import packet as pk
from os_ken.ofproto import ofproto_parser, ofproto_protocol
from os_ken.ofproto import ofproto_v1_3 as ofp
from os_ken.ofproto import ofproto_v1_3_parser as p

dp = ofproto_protocol.ProtocolDesc(version=ofp.OFP_VERSION)


def output(port, max_len=0xffff):
    return [p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionOutput(port, max_len)])]


def frame(*protocols):
    pkt = pk.Packet()
    for protocol in protocols:
        pkt.add_protocol(protocol)
    pkt.add_protocol(b'payload of the frame')
    pkt.serialize()
    return bytes(pkt.data)


def eth(ethertype, dst='02:00:00:00:00:01', src='02:00:00:00:00:02'):
    return ethernet.ethernet(dst=dst, src=src, ethertype=ethertype)


def frames():
    # Each frame and what the matching actions below make of it, every checksum computed by os-ken.
    return {
        'udp4': lambda: frame(eth(0x800), ipv4.ipv4(ttl=64, proto=17, src='10.0.0.1', dst='10.0.1.1'), udp.udp(1000, 53)),
        'udp4_rewritten': lambda: frame(eth(0x800), ipv4.ipv4(ttl=63, proto=17, src='192.0.2.7', dst='198.51.100.9'), udp.udp(2000, 5353)),
        'tcp6': lambda: frame(eth(0x86dd), ipv6.ipv6(hop_limit=64, nxt=6, src='2001:db8::1', dst='2001:db8:1::1'),
                              tcp.tcp(1111, 22, seq=7, bits=tcp.TCP_SYN, window_size=1000)),
        'tcp6_rewritten': lambda: frame(eth(0x86dd), ipv6.ipv6(hop_limit=63, nxt=6, src='2001:db8::7', dst='2001:db8:1::9'),
                                        tcp.tcp(4444, 8080, seq=7, bits=tcp.TCP_SYN, window_size=1000)),
        'tcp4': lambda: frame(eth(0x8100), vlan.vlan(pcp=3, vid=10, ethertype=0x800), ipv4.ipv4(ttl=9, proto=6, src='10.0.0.1', dst='10.0.1.1'),
                              tcp.tcp(1111, 80, seq=7, bits=tcp.TCP_ACK, window_size=1000)),
        'tcp4_rewritten': lambda: frame(eth(0x8100, dst='02:00:00:00:00:aa', src='02:00:00:00:00:bb'), vlan.vlan(pcp=3, vid=20, ethertype=0x800),
                                        ipv4.ipv4(ttl=9, proto=6, src='10.0.0.1', dst='10.0.2.2'), tcp.tcp(1111, 8080, seq=7, bits=tcp.TCP_ACK, window_size=1000)),
        'udp4_tagged': lambda: frame(eth(0x8100), vlan.vlan(pcp=0, vid=30, ethertype=0x800),
                                     ipv4.ipv4(ttl=64, proto=17, src='10.0.0.1', dst='10.0.1.1'), udp.udp(1000, 53)),
        'udp4_ttl1': lambda: frame(eth(0x800), ipv4.ipv4(ttl=1, proto=17, src='10.0.0.1', dst='10.0.1.1'), udp.udp(1000, 53)),
    }


def actions_out(*actions):
    return p.OFPPacketOut(dp, ofp.OFP_NO_BUFFER, ofp.OFPP_CONTROLLER, list(actions), b'')


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
        'flow_add_group': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(),
                                               instructions=[p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionGroup(1)])]),
        'flow_add_bad_port': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(), instructions=output(99)),
        'flow_add_no_prereq': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(tcp_dst=80), instructions=output(1)),
        'rewrite_udp4': lambda: actions_out(p.OFPActionSetField(ipv4_src='192.0.2.7'), p.OFPActionSetField(ipv4_dst='198.51.100.9'),
                                            p.OFPActionSetField(udp_src=2000), p.OFPActionSetField(udp_dst=5353), p.OFPActionDecNwTtl()),
        'rewrite_tcp6': lambda: actions_out(p.OFPActionDecNwTtl(), p.OFPActionSetField(ipv6_src='2001:db8::7'),
                                            p.OFPActionSetField(ipv6_dst='2001:db8:1::9'), p.OFPActionSetField(tcp_src=4444), p.OFPActionSetField(tcp_dst=8080)),
        'rewrite_tcp4': lambda: actions_out(p.OFPActionSetField(eth_dst='02:00:00:00:00:aa'), p.OFPActionSetField(eth_src='02:00:00:00:00:bb'),
                                            p.OFPActionSetField(vlan_vid=ofp.OFPVID_PRESENT | 20), p.OFPActionSetField(ipv4_dst='10.0.2.2'),
                                            p.OFPActionSetField(tcp_dst=8080)),
        'push_vlan_30': lambda: actions_out(p.OFPActionPushVlan(0x8100), p.OFPActionSetField(vlan_vid=ofp.OFPVID_PRESENT | 30)),
        'pop_vlan': lambda: actions_out(p.OFPActionPopVlan()),
        'dec_ttl': lambda: actions_out(p.OFPActionDecNwTtl(), p.OFPActionOutput(1)),
        # OpenFlow 1.1's and 1.2's OFPC_INVALID_TTL_TO_CONTROLLER, which os-ken's 1.3 module no longer names.
        'set_config_invalid_ttl': lambda: p.OFPSetConfig(dp, 1 << 2, 128),
        'set_async_invalid_ttl': lambda: p.OFPSetAsync(dp, [1 << ofp.OFPR_NO_MATCH | 1 << ofp.OFPR_ACTION | 1 << ofp.OFPR_INVALID_TTL, 0],
                                                       [0b111, 0b111], [0b1111, 0]),
        'get_async_request': lambda: p.OFPGetAsyncRequest(dp),
        'flow_add_set_queue': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(),
                                                   instructions=[p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionSetQueue(1), p.OFPActionOutput(1)])]),
        'flow_add_meter': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(), instructions=[p.OFPInstructionMeter(1), *output(1)]),
        'flow_add_goto_back': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, table_id=2, match=p.OFPMatch(), instructions=[p.OFPInstructionGotoTable(1)]),
        'flow_add_goto_past': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, table_id=0, match=p.OFPMatch(), instructions=[p.OFPInstructionGotoTable(8)]),
        'flow_add_table_8': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, table_id=8, match=p.OFPMatch(), instructions=output(1)),
        'flow_add_set_dscp': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, match=p.OFPMatch(),
                                                 instructions=[p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionSetField(ip_dscp=8)])]),
        'meter_mod': lambda: p.OFPMeterMod(dp, ofp.OFPMC_ADD, ofp.OFPMF_KBPS, 1, [p.OFPMeterBandDrop(1000, 10)]),
        'meter_features_request': lambda: p.OFPMeterFeaturesStatsRequest(dp, 0),
        'group_add_all': lambda: p.OFPGroupMod(dp, ofp.OFPGC_ADD, ofp.OFPGT_ALL, 1,
                                               [p.OFPBucket(actions=[p.OFPActionOutput(2)]), p.OFPBucket(actions=[p.OFPActionOutput(3)])]),
        'group_add_select': lambda: p.OFPGroupMod(dp, ofp.OFPGC_ADD, ofp.OFPGT_SELECT, 2,
                                                  [p.OFPBucket(weight=1, actions=[p.OFPActionOutput(2)]), p.OFPBucket(weight=3, actions=[p.OFPActionOutput(3)])]),
        'group_modify_unknown': lambda: p.OFPGroupMod(dp, ofp.OFPGC_MODIFY, ofp.OFPGT_ALL, 7, [p.OFPBucket(actions=[p.OFPActionOutput(2)])]),
        'group_add_chained': lambda: p.OFPGroupMod(dp, ofp.OFPGC_ADD, ofp.OFPGT_ALL, 3, [p.OFPBucket(actions=[p.OFPActionGroup(1)])]),
        'group_add_bad_type': lambda: p.OFPGroupMod(dp, ofp.OFPGC_ADD, 9, 4, []),
        'group_add_indirect_two': lambda: p.OFPGroupMod(dp, ofp.OFPGC_ADD, ofp.OFPGT_INDIRECT, 5,
                                                        [p.OFPBucket(actions=[p.OFPActionOutput(2)]), p.OFPBucket(actions=[p.OFPActionOutput(3)])]),
        'group_delete_1': lambda: p.OFPGroupMod(dp, ofp.OFPGC_DELETE, ofp.OFPGT_ALL, 1, []),
        'group_stats_request': lambda: p.OFPGroupStatsRequest(dp, 0, ofp.OFPG_ALL),
        'group_features_request': lambda: p.OFPGroupFeaturesStatsRequest(dp, 0),
        'flow_add_to_group_1': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, priority=5, match=p.OFPMatch(in_port=1), flags=ofp.OFPFF_SEND_FLOW_REM,
                                                    instructions=[p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionGroup(1)])]),
        'flow_add_to_group_2': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, priority=5, match=p.OFPMatch(in_port=1),
                                                    instructions=[p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionGroup(2)])]),
        'pipe_t0': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, table_id=0, priority=10, match=p.OFPMatch(in_port=1), instructions=[
            p.OFPInstructionActions(ofp.OFPIT_APPLY_ACTIONS, [p.OFPActionSetField(eth_dst='02:00:00:00:00:aa')]),
            p.OFPInstructionActions(ofp.OFPIT_WRITE_ACTIONS, [p.OFPActionOutput(3)]),
            p.OFPInstructionGotoTable(1)]),
        'pipe_t1': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_ADD, table_id=1, priority=10, match=p.OFPMatch(eth_dst='02:00:00:00:00:aa'), instructions=[
            p.OFPInstructionActions(ofp.OFPIT_CLEAR_ACTIONS, []),
            p.OFPInstructionActions(ofp.OFPIT_WRITE_ACTIONS, [p.OFPActionDecNwTtl(), p.OFPActionOutput(2)])]),
        'pipe_t1_delete': lambda: p.OFPFlowMod(dp, command=ofp.OFPFC_DELETE, table_id=1, out_port=ofp.OFPP_ANY, out_group=ofp.OFPG_ANY, match=p.OFPMatch()),
        'flow_request_table_1': lambda: p.OFPFlowStatsRequest(dp, 0, 1, ofp.OFPP_ANY, ofp.OFPG_ANY, 0, 0, p.OFPMatch()),
        'role_request_master_10': lambda: p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, 10),
        'role_request_master_8': lambda: p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_MASTER, 8),
        'role_request_equal': lambda: p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_EQUAL, 0),
        'role_request_nochange': lambda: p.OFPRoleRequest(dp, ofp.OFPCR_ROLE_NOCHANGE, 0),
        'packet_out': lambda: p.OFPPacketOut(dp, ofp.OFP_NO_BUFFER, ofp.OFPP_CONTROLLER, [p.OFPActionOutput(1)], b'\xff' * 6 + b'\x02' * 6 + b'\x08\x06' + b'\x00' * 28),
    }


def build(names):
    table = messages()
    for name in names:
        if name in frames():
            print(frames()[name]().hex())
            continue
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
