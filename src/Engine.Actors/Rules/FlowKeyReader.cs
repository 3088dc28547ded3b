using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Rules;

/// <summary>
/// Reads a frame's <see cref="FlowKey"/>: behind the Ethernet header and up to two VLAN tags on a
/// link that carries Ethernet, from the first byte on one that carries IP. A frame too short for a
/// header it announces keeps what could be read and zeros for the rest: rules can still match
/// it by port or EtherType, and the stage that forwards it counts it malformed.
/// </summary>
public static class FlowKeyReader
{
    private const int VlanTagLength = 4;
    private const int MaxExtensionHeaders = 4;

    public static FlowKey Read(ReadOnlySpan<byte> frame, bool ethernet, int inPort)
    {
        if (!ethernet) return ReadIp(frame, inPort);
        if (frame.Length < EthernetFrame.HeaderLength) return new FlowKey(inPort, 0, 0, 0, 0, 0);
        var offset = EthernetFrame.Field.EtherType;
        var type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        for (var tags = 0; tags < 2 && type is EtherType.Vlan or EtherType.ServiceVlan && frame.Length >= offset + 2 + VlanTagLength; tags++)
        {
            offset += VlanTagLength;
            type = BinaryPrimitives.ReadUInt16BigEndian(frame[offset..]);
        }
        if (type < 0x0600) return new FlowKey(inPort, FlowKey.Llc, 0, 0, 0, 0);
        var payload = frame[(offset + 2)..];
        return type switch
        {
            EtherType.Ipv4 => ReadIpv4(payload, inPort),
            EtherType.Ipv6 => ReadIpv6(payload, inPort),
            _ => new FlowKey(inPort, type, 0, 0, 0, 0),
        };
    }

    private static FlowKey ReadIp(ReadOnlySpan<byte> packet, int inPort) => (packet.IsEmpty ? 0 : packet[0] >> 4) switch
    {
        4 => ReadIpv4(packet, inPort),
        6 => ReadIpv6(packet, inPort),
        _ => new FlowKey(inPort, 0, 0, 0, 0, 0),
    };

    private static FlowKey ReadIpv4(ReadOnlySpan<byte> packet, int inPort)
    {
        if (packet.Length < Ipv4Packet.Field.MinHeaderLength) return new FlowKey(inPort, EtherType.Ipv4, 0, 0, 0, 0);
        return new FlowKey(inPort, EtherType.Ipv4,
            packet[Ipv4Packet.Field.Protocol],
            packet[Ipv4Packet.Field.Ttl],
            BinaryPrimitives.ReadUInt32BigEndian(packet[Ipv4Packet.Field.Source..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[Ipv4Packet.Field.Destination..]));
    }

    private static FlowKey ReadIpv6(ReadOnlySpan<byte> packet, int inPort)
    {
        if (packet.Length < Ipv6Packet.Field.HeaderLength) return new FlowKey(inPort, EtherType.Ipv6, 0, 0, 0, 0);
        return new FlowKey(inPort, EtherType.Ipv6,
            TransportProtocol(packet),
            packet[Ipv6Packet.Field.HopLimit],
            BinaryPrimitives.ReadUInt128BigEndian(packet[Ipv6Packet.Field.Source..]),
            BinaryPrimitives.ReadUInt128BigEndian(packet[Ipv6Packet.Field.Destination..]));
    }

    /// <summary>
    /// The Next Header behind hop-by-hop, routing and destination options headers (an MLD report
    /// comes behind hop-by-hop): what the packet carries, as IPv4's Protocol says it.
    /// </summary>
    private static byte TransportProtocol(ReadOnlySpan<byte> packet)
    {
        var next = packet[Ipv6Packet.Field.NextHeader];
        var offset = Ipv6Packet.Field.HeaderLength;
        for (var i = 0; i < MaxExtensionHeaders && (IpProtocol)next is IpProtocol.HopByHop or IpProtocol.Ipv6Route or IpProtocol.Ipv6Options; i++)
        {
            if (packet.Length < offset + 8) return next;
            var following = packet[offset];
            offset += (packet[offset + 1] + 1) * 8;
            next = following;
        }
        return next;
    }
}
