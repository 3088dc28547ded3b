using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// TCP and UDP checksums over an IP packet whose transport header starts right after the IP
/// header: the pseudo-header sum from the packet's own addresses, then the segment.
/// </summary>
internal static class TransportChecksum
{
    /// <summary>The running sum of the pseudo-header of <paramref name="packet"/> (IPv4 or IPv6).</summary>
    public static uint PseudoHeader(ReadOnlySpan<byte> packet, IpProtocol protocol, int transportLength)
    {
        if (packet[0] >> 4 == 6)
        {
            return InternetChecksum.PseudoHeaderV6(
                packet.Slice(Ipv6Packet.Field.Source, Ipv6Packet.Field.AddressLength),
                packet.Slice(Ipv6Packet.Field.Destination, Ipv6Packet.Field.AddressLength),
                (uint)transportLength,
                (byte)protocol);
        }
        return InternetChecksum.PseudoHeaderV4(
            packet.Slice(Ipv4Packet.Field.Source, Ipv4Packet.Field.AddressLength),
            packet.Slice(Ipv4Packet.Field.Destination, Ipv4Packet.Field.AddressLength),
            (byte)protocol,
            (ushort)transportLength);
    }

    /// <summary>
    /// Computes and stores the full checksum of the TCP/UDP segment at
    /// <paramref name="transportOffset"/>..end of <paramref name="packet"/>.
    /// </summary>
    public static void Fill(Span<byte> packet, int transportOffset, IpProtocol protocol)
    {
        Span<byte> transport = packet[transportOffset..];
        Span<byte> field = transport.Slice(FieldOffset(protocol), 2);
        field.Clear();
        uint sum = InternetChecksum.Sum(transport, PseudoHeader(packet, protocol, transport.Length));
        BinaryPrimitives.WriteUInt16BigEndian(field, NonZero(InternetChecksum.Finish(sum)));
    }

    /// <summary>True when the stored TCP/UDP checksum of the segment at <paramref name="transportOffset"/> is right.</summary>
    public static bool IsValid(ReadOnlySpan<byte> packet, int transportOffset, IpProtocol protocol)
    {
        ReadOnlySpan<byte> transport = packet[transportOffset..];
        return InternetChecksum.IsValid(transport, PseudoHeader(packet, protocol, transport.Length));
    }

    /// <summary>
    /// Stores the pseudo-header sum, uncomplemented, as a NEEDS_CSUM (CHECKSUM_PARTIAL) packet
    /// carries it: whoever completes it adds the sum from the transport header to the end.
    /// </summary>
    public static void FillPartial(Span<byte> packet, int transportOffset, IpProtocol protocol)
    {
        uint sum = PseudoHeader(packet, protocol, packet.Length - transportOffset);
        BinaryPrimitives.WriteUInt16BigEndian(packet[(transportOffset + FieldOffset(protocol))..], (ushort)sum);
    }

    public static int FieldOffset(IpProtocol protocol) =>
        protocol == IpProtocol.Tcp ? TcpSegment.Field.Checksum : UdpDatagram.Field.Checksum;

    /// <summary>
    /// A computed 0 is sent as 0xFFFF, as the kernel does: the same value in one's complement,
    /// and the only correct one for UDP, where 0 means "no checksum" (and is illegal over IPv6).
    /// </summary>
    public static ushort NonZero(ushort checksum) => checksum == 0 ? (ushort)0xFFFF : checksum;
}
