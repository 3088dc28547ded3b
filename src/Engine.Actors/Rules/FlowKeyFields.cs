using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Rules;

/// <summary>
/// Reads the fields an OpenFlow table matches beyond <see cref="FlowKeyReader"/>'s: Ethernet
/// addresses, the outer VLAN tag, DSCP, L4 ports or ICMP type and code, ARP's opcode and
/// addresses. Only a table with rules on them pays for reading them (<see cref="RuleTable.UsesOpenFlowFields"/>).
/// </summary>
public static class FlowKeyFields
{
    private const int VlanTagLength = 4;
    private const ushort VlanPresent = 0x1000;
    private const int ArpLength = 28;

    public static FlowKey Read(ReadOnlySpan<byte> frame, bool ethernet, int inPort)
    {
        var key = FlowKeyReader.Read(frame, ethernet, inPort);
        if (!ethernet) return WithTransport(key, frame);
        if (frame.Length < EthernetFrame.HeaderLength) return key;
        key = key with
        {
            EthDestination = Mac(frame),
            EthSource = Mac(frame[6..]),
        };
        var offset = EthernetFrame.Field.EtherType;
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        if (type is EtherType.Vlan or EtherType.ServiceVlan && frame.Length >= offset + 2 + VlanTagLength)
            key = key with { VlanTci = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(frame[(offset + 2)..]) & 0xefff | VlanPresent) };
        for (var tags = 0; tags < 2 && type is EtherType.Vlan or EtherType.ServiceVlan && frame.Length >= offset + 2 + VlanTagLength; tags++)
        {
            offset += VlanTagLength;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        }
        var payload = frame[(offset + 2)..];
        if (type == EtherType.Arp)
            return payload.Length < ArpLength ? key : key with
            {
                IpProtocol = payload[7],
                Source = BinaryPrimitives.ReadUInt32BigEndian(payload[14..]),
                Destination = BinaryPrimitives.ReadUInt32BigEndian(payload[24..]),
            };
        return type is EtherType.Ipv4 or EtherType.Ipv6 ? WithTransport(key, payload) : key;
    }

    private static ulong Mac(ReadOnlySpan<byte> bytes) => (ulong)BinaryPrimitives.ReadUInt16BigEndian(bytes) << 32 | BinaryPrimitives.ReadUInt32BigEndian(bytes[2..]);

    /// <summary>DSCP and the L4 fields of the IP packet <paramref name="packet"/>, whose protocol <paramref name="key"/> holds already.</summary>
    private static FlowKey WithTransport(FlowKey key, ReadOnlySpan<byte> packet)
    {
        int transport;
        if (key.EtherType == EtherType.Ipv4 && packet.Length >= Ipv4Packet.Field.MinHeaderLength)
        {
            key = key with { Dscp = (byte)(packet[1] >> 2) };
            // A later fragment carries no L4 header.
            if ((BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1fff) != 0) return key;
            transport = (packet[0] & 0x0f) * 4;
        }
        else if (key.EtherType == EtherType.Ipv6 && packet.Length >= Ipv6Packet.Field.HeaderLength)
        {
            key = key with { Dscp = (byte)((packet[0] & 0x0f) << 2 | packet[1] >> 6) };
            transport = TransportOffset(packet);
        }
        else return key;
        if (transport < 0 || packet.Length < transport + 4) return key;
        var l4 = packet[transport..];
        return (IpProtocol)key.IpProtocol switch
        {
            IpProtocol.Tcp or IpProtocol.Udp => key with { L4Source = BinaryPrimitives.ReadUInt16BigEndian(l4), L4Destination = BinaryPrimitives.ReadUInt16BigEndian(l4[2..]) },
            IpProtocol.Icmp or IpProtocol.Icmpv6 => key with { L4Source = l4[0], L4Destination = l4[1] },
            _ => key,
        };
    }

    /// <summary>Where the transport header starts behind IPv6's extension headers, as FlowKeyReader walks them; -1 when cut short.</summary>
    private static int TransportOffset(ReadOnlySpan<byte> packet)
    {
        var next = packet[Ipv6Packet.Field.NextHeader];
        var offset = Ipv6Packet.Field.HeaderLength;
        for (var i = 0; i < 4 && (IpProtocol)next is IpProtocol.HopByHop or IpProtocol.Ipv6Route or IpProtocol.Ipv6Options; i++)
        {
            if (packet.Length < offset + 8) return -1;
            next = packet[offset];
            offset += (packet[offset + 1] + 1) * 8;
        }
        return offset;
    }
}
