using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// The IP length of a packet that was cut from or joined into another: IPv6's payload length,
/// or IPv4's total length and, with it, the header checksum.
/// </summary>
internal static class IpLength
{
    /// <param name="packet">The packet, from its IP header.</param>
    /// <param name="length">Its whole length, headers included.</param>
    /// <param name="ipHeaderLength">The IP header's length (for IPv4, whose checksum covers it).</param>
    public static void Write(Span<byte> packet, int length, bool isIpv6, int ipHeaderLength)
    {
        if (isIpv6)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet[Ipv6Packet.Field.PayloadLength..], (ushort)(length - Ipv6Packet.Field.HeaderLength));
            return;
        }
        BinaryPrimitives.WriteUInt16BigEndian(packet[Ipv4Packet.Field.TotalLength..], (ushort)length);
        Ipv4Packet.WriteHeaderChecksum(packet[..ipHeaderLength]);
    }
}
