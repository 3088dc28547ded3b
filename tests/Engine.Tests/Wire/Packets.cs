using System.Net;
using PacketDotNet;
using PacketDotNet.Utils;

namespace Engine.Tests.Wire;

/// <summary>Real packets built with PacketDotNet, as independent input for the wire views.</summary>
internal static class Packets
{
    public static byte[] Ipv4Udp(string source, string destination, int payloadLength, byte ttl = 64, ushort id = 0x1234, bool dontFragment = false, ushort sourcePort = 40000)
    {
        var udp = new UdpPacket(sourcePort, 53) { PayloadData = Pattern(payloadLength) };
        var ip = new IPv4Packet(IPAddress.Parse(source), IPAddress.Parse(destination))
        {
            PayloadPacket = udp,
            TimeToLive = ttl,
            Id = id,
            FragmentFlags = (byte)(dontFragment ? 0b010 : 0),
        };
        udp.UpdateUdpChecksum();
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        return ip.Bytes;
    }

    public static byte[] Ipv4Icmp(string source, string destination, IcmpV4TypeCode typeCode, int dataLength = 32)
    {
        var bytes = new byte[8 + dataLength];
        Pattern(dataLength).CopyTo(bytes, 8);
        var icmp = new IcmpV4Packet(new ByteArraySegment(bytes))
        {
            TypeCode = typeCode,
            Id = 7,
            Sequence = 1,
        };
        icmp.UpdateIcmpChecksum();
        var ip = new IPv4Packet(IPAddress.Parse(source), IPAddress.Parse(destination))
        {
            PayloadPacket = icmp,
            TimeToLive = 64,
            Protocol = ProtocolType.Icmp,
        };
        ip.UpdateCalculatedValues();
        ip.UpdateIPChecksum();
        return ip.Bytes;
    }

    public static byte[] Ipv6Udp(string source, string destination, int payloadLength, byte hopLimit = 64, ushort sourcePort = 40000)
    {
        var udp = new UdpPacket(sourcePort, 53) { PayloadData = Pattern(payloadLength) };
        var ip = new IPv6Packet(IPAddress.Parse(source), IPAddress.Parse(destination))
        {
            PayloadPacket = udp,
            HopLimit = hopLimit,
        };
        ip.UpdateCalculatedValues();
        udp.UpdateUdpChecksum();
        return ip.Bytes;
    }

    public static byte[] Ipv6Icmp(string source, string destination, IcmpV6Type type, int bodyLength = 32)
    {
        var bytes = new byte[4 + bodyLength];
        Pattern(bodyLength).CopyTo(bytes, 4);
        var icmp = new IcmpV6Packet(new ByteArraySegment(bytes)) { Type = type, Code = 0 };
        var ip = new IPv6Packet(IPAddress.Parse(source), IPAddress.Parse(destination))
        {
            PayloadPacket = icmp,
            HopLimit = 64,
            NextHeader = ProtocolType.IcmpV6,
        };
        ip.UpdateCalculatedValues();
        // PacketDotNet 1.4.8 gets the ICMPv6 checksum of a freshly assembled packet wrong;
        // on a packet parsed from a byte array of exactly its size it is right.
        var parsed = new IPv6Packet(new ByteArraySegment(ip.Bytes));
        ((IcmpV6Packet)parsed.PayloadPacket).UpdateIcmpChecksum();
        return parsed.Bytes;
    }

    /// <summary>A copy of <paramref name="packet"/> at the start of a larger, junk-filled buffer.</summary>
    public static byte[] InBuffer(byte[] packet, int capacity)
    {
        var buffer = new byte[capacity];
        Array.Fill(buffer, (byte)0xA5);
        packet.CopyTo(buffer, 0);
        return buffer;
    }

    public static uint V4(string address) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(IPAddress.Parse(address).GetAddressBytes());

    public static UInt128 V6(string address) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(IPAddress.Parse(address).GetAddressBytes());

    /// <summary>Non-repeating-looking payload bytes so misplaced copies show up.</summary>
    public static byte[] Pattern(int length)
    {
        var bytes = new byte[length];
        for (int i = 0; i < length; i++)
            bytes[i] = (byte)(i * 7 + 3);
        return bytes;
    }
}
