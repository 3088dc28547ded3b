using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// Builds ICMPv4 error messages in place, in the buffer that holds the offending packet, so
/// a router answers without allocating or copying into a second buffer.
/// </summary>
public static class IcmpV4Error
{
    /// <summary>Type, code, checksum and the 4-byte rest-of-header.</summary>
    public const int IcmpHeaderLength = 8;

    /// <summary>
    /// Upper bound on the whole error datagram: RFC 1812 §4.3.2.3 asks for as much of the
    /// original as fits in 576 bytes, as Linux does.
    /// </summary>
    public const int MaxMessageLength = 576;

    private const int HeadersLength = Ipv4Packet.Field.MinHeaderLength + IcmpHeaderLength;

    // RFC 792 minimum quote: the original IP header plus 64 bits of its payload.
    private const int MinPayloadQuote = 8;

    private const byte TimeToLive = 64;

    // RFC 1812 §4.3.2.5: ICMP errors go out with precedence 6 (internetwork control).
    private const byte InternetworkControl = 0xC0;

    private const byte TypeDestinationUnreachable = 3;
    private const byte TypeTimeExceeded = 11;
    private const byte LastKnownType = 18;

    /// <summary>
    /// Whether RFC 1812 §4.3.2.7 allows an ICMP error about <paramref name="originalPacket"/>:
    /// not for malformed packets, non-first fragments, ICMP errors (or ICMP types this code
    /// does not know), sources that are not a single host (0/8, 127/8, multicast, 240/4 and
    /// broadcast) or multicast / limited-broadcast destinations.
    /// </summary>
    public static bool MayAnswer(ReadOnlySpan<byte> originalPacket)
    {
        if (!Ipv4Packet.TryGetTotalLength(originalPacket, out int totalLength))
            return false;
        ReadOnlySpan<byte> packet = originalPacket[..totalLength];

        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(packet[Ipv4Packet.Field.FlagsAndFragmentOffset..]);
        if ((fragment & Ipv4Packet.FragmentOffsetMask) != 0)
            return false;

        byte sourceFirstOctet = packet[Ipv4Packet.Field.Source];
        if (sourceFirstOctet == 0 || sourceFirstOctet == 127 || sourceFirstOctet >= 224)
            return false;
        byte destinationFirstOctet = packet[Ipv4Packet.Field.Destination];
        if (destinationFirstOctet is >= 224 and < 240)
            return false;
        if (BinaryPrimitives.ReadUInt32BigEndian(packet[Ipv4Packet.Field.Destination..]) == 0xFFFF_FFFF)
            return false;

        if (packet[Ipv4Packet.Field.Protocol] != (byte)IpProtocol.Icmp)
            return true;
        int headerLength = (packet[Ipv4Packet.Field.VersionAndHeaderLength] & 0x0F) * 4;
        if (totalLength == headerLength)
            return false;
        return IsInformational(packet[headerLength]);
    }

    /// <summary>
    /// Turns the IPv4 packet in <c>buffer[..originalLength]</c> into an ICMP error about it,
    /// in place: the quoted part of the original (as much as fits in
    /// <see cref="MaxMessageLength"/> bytes) moves forward, a new IPv4 header (TTL 64,
    /// protocol 1, from <paramref name="sourceAddress"/> to the original source, DF clear)
    /// and the ICMP header are written in front of it. <paramref name="nextHopMtu"/> is used
    /// only for <see cref="IcmpV4ErrorKind.FragmentationNeeded"/>. <paramref name="sourceAddress"/>
    /// is a number: 10.0.0.1 is 0x0A000001.
    /// Returns the length of the new datagram, or 0 (buffer untouched) when the original is
    /// not a well-formed IPv4 packet or the buffer cannot hold the RFC 792 minimum quote.
    /// Call <see cref="MayAnswer"/> first; this method does not apply that policy.
    /// </summary>
    public static int Write(Span<byte> buffer, int originalLength, IcmpV4ErrorKind kind, ushort nextHopMtu, uint sourceAddress)
    {
        (byte type, byte code) = TypeAndCode(kind);
        if ((uint)originalLength > (uint)buffer.Length)
            return 0;
        if (!Ipv4Packet.TryGetTotalLength(buffer[..originalLength], out int totalLength))
            return 0;

        int originalHeaderLength = (buffer[Ipv4Packet.Field.VersionAndHeaderLength] & 0x0F) * 4;
        int quoteLength = Math.Min(totalLength, Math.Min(buffer.Length, MaxMessageLength) - HeadersLength);
        if (quoteLength < Math.Min(totalLength, originalHeaderLength + MinPayloadQuote))
            return 0;

        // The original's identification is reused: it varies per packet from that sender,
        // which is what a reassembler needs, and it costs no state here.
        ushort identification = BinaryPrimitives.ReadUInt16BigEndian(buffer[Ipv4Packet.Field.Identification..]);
        uint destination = BinaryPrimitives.ReadUInt32BigEndian(buffer[Ipv4Packet.Field.Source..]);

        // Span.CopyTo is memmove: the overlapping forward move is safe.
        buffer[..quoteLength].CopyTo(buffer[HeadersLength..]);
        int length = HeadersLength + quoteLength;

        Span<byte> ip = buffer[..Ipv4Packet.Field.MinHeaderLength];
        ip[Ipv4Packet.Field.VersionAndHeaderLength] = 0x45;
        ip[Ipv4Packet.Field.DifferentiatedServices] = InternetworkControl;
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Packet.Field.TotalLength..], (ushort)length);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Packet.Field.Identification..], identification);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Packet.Field.FlagsAndFragmentOffset..], 0);
        ip[Ipv4Packet.Field.Ttl] = TimeToLive;
        ip[Ipv4Packet.Field.Protocol] = (byte)IpProtocol.Icmp;
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Packet.Field.Checksum..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(ip[Ipv4Packet.Field.Source..], sourceAddress);
        BinaryPrimitives.WriteUInt32BigEndian(ip[Ipv4Packet.Field.Destination..], destination);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv4Packet.Field.Checksum..], InternetChecksum.Compute(ip));

        Span<byte> icmp = buffer[Ipv4Packet.Field.MinHeaderLength..length];
        icmp[0] = type;
        icmp[1] = code;
        icmp[2..IcmpHeaderLength].Clear();
        if (kind == IcmpV4ErrorKind.FragmentationNeeded)
            BinaryPrimitives.WriteUInt16BigEndian(icmp[6..], nextHopMtu);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Compute(icmp));
        return length;
    }

    private static (byte Type, byte Code) TypeAndCode(IcmpV4ErrorKind kind) => kind switch
    {
        IcmpV4ErrorKind.TimeExceeded => (TypeTimeExceeded, 0),
        IcmpV4ErrorKind.NetUnreachable => (TypeDestinationUnreachable, 0),
        IcmpV4ErrorKind.HostUnreachable => (TypeDestinationUnreachable, 1),
        IcmpV4ErrorKind.FragmentationNeeded => (TypeDestinationUnreachable, 4),
        IcmpV4ErrorKind.AdministrativelyProhibited => (TypeDestinationUnreachable, 13),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown ICMPv4 error kind."),
    };

    // Like Linux (icmp_send), a type above the last one it knows is treated as an error.
    private static bool IsInformational(byte type) =>
        type <= LastKnownType && type is not (3 or 4 or 5 or 11 or 12);
}
