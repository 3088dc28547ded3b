#!/usr/bin/env python3
"""A host on a trunk port that needs no 802.1Q support in its kernel: on DEVICE it answers ARP
requests and ICMP echo requests for each VID=ADDRESS given, in frames tagged with that VLAN.

  vlan_trunk_host.py DEVICE MAC VID=ADDRESS [VID=ADDRESS ...]

The kernel may take a received frame's tag off into the packet's metadata (PACKET_AUXDATA) or
leave it in the frame; either way it is read. Answers go out with the tag in the frame.
Prints "ready" once it listens, then one line per answer.
"""
import socket
import struct
import sys

SOL_PACKET, PACKET_AUXDATA, TP_STATUS_VLAN_VALID = 263, 8, 0x10
ETH_P_ALL, PACKET_OUTGOING = 3, 4


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def tagged(dst, src, vid, ethertype, payload):
    return dst + src + struct.pack("!HH", 0x8100, vid) + ethertype + payload


def vlan_of(data, ancillary):
    """The frame's VLAN id and its frame without the tag; None when it carries none."""
    for level, kind, cdata in ancillary:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(cdata) >= 20:
            status, _, _, _, _, tci = struct.unpack_from("IIIHHH", cdata)
            if status & TP_STATUS_VLAN_VALID:
                return tci & 0xFFF, data
    if len(data) >= 18 and data[12:14] == b"\x81\x00":
        return struct.unpack("!H", data[14:16])[0] & 0xFFF, data[:12] + data[16:]
    return None, data


def answer(frame, mac, ip, vid):
    dst, src, ethertype = frame[0:6], frame[6:12], frame[12:14]
    if ethertype == b"\x08\x06" and len(frame) >= 42:
        arp = frame[14:42]
        if struct.unpack("!H", arp[6:8])[0] == 1 and arp[24:28] == ip:
            reply = arp[0:6] + struct.pack("!H", 2) + mac + ip + arp[8:14] + arp[14:18]
            return tagged(src, mac, vid, ethertype, reply), "arp"
    if ethertype == b"\x08\x00" and len(frame) >= 34 and dst == mac:
        packet = frame[14:]
        length = (packet[0] & 0x0F) * 4
        total = struct.unpack("!H", packet[2:4])[0]
        if packet[9] == 1 and packet[16:20] == ip and packet[length] == 8:
            icmp = bytearray(packet[length:total])
            icmp[0], icmp[2:4] = 0, b"\0\0"
            icmp[2:4] = struct.pack("!H", checksum(bytes(icmp)))
            header = bytearray(packet[:length])
            header[8], header[10:12] = 64, b"\0\0"
            header[12:16], header[16:20] = packet[16:20], packet[12:16]
            header[10:12] = struct.pack("!H", checksum(bytes(header)))
            return tagged(src, mac, vid, ethertype, bytes(header) + bytes(icmp)), "echo"
    return None, None


def main():
    device, mac = sys.argv[1], bytes.fromhex(sys.argv[2].replace(":", ""))
    mine = {int(vid): socket.inet_aton(address) for vid, address in (arg.split("=") for arg in sys.argv[3:])}
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    sock.bind((device, 0))
    sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    print("ready", flush=True)
    while True:
        data, ancillary, _, address = sock.recvmsg(65536, socket.CMSG_SPACE(32))
        if address[2] == PACKET_OUTGOING:
            continue
        vid, frame = vlan_of(data, ancillary)
        if vid not in mine:
            continue
        reply, what = answer(frame, mac, mine[vid], vid)
        if reply is not None:
            sock.send(reply)
            print(f"{what} vlan {vid}", flush=True)


if __name__ == "__main__":
    main()
