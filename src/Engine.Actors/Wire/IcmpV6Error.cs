using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// Builds ICMPv6 error messages in place, in the buffer that holds the offending packet, so
/// a router answers without allocating or copying into a second buffer.
/// </summary>
public static class IcmpV6Error
{
    /// <summary>Type, code, checksum and the 4-byte rest-of-header.</summary>
    public const int IcmpHeaderLength = 8;

    /// <summary>
    /// Upper bound on the whole error packet: RFC 4443 §2.4(c) quotes as much of the
    /// original as fits without exceeding the minimum IPv6 MTU.
    /// </summary>
    public const int MaxMessageLength = 1280;

    private const int HeadersLength = Ipv6Packet.Field.HeaderLength + IcmpHeaderLength;

    private const byte HopLimit = 64;

    // ICMPv6 types below 128 are errors (RFC 4443 §2.1).
    private const byte FirstInformationalType = 128;

    // Fragment header: offset in the top 13 bits of bytes 2-3 (RFC 8200 §4.5).
    private const ushort FragmentOffsetMask = 0xFFF8;

    // Bounds the extension-header walk in MayAnswer against crafted chains.
    private const int MaxExtensionHeaders = 8;

    /// <summary>
    /// Whether RFC 4443 §2.4(e) allows an error of <paramref name="kind"/> about
    /// <paramref name="originalPacket"/>: not for malformed packets, ICMPv6 errors (found by
    /// walking hop-by-hop, routing, fragment and destination-options headers), sources that
    /// are not a single node (unspecified, loopback, multicast), and not to a multicast
    /// destination unless it is Packet Too Big.
    /// </summary>
    public static bool MayAnswer(ReadOnlySpan<byte> originalPacket, IcmpV6ErrorKind kind)
    {
        if (!Ipv6Packet.TryGetTotalLength(originalPacket, out int totalLength))
            return false;
        ReadOnlySpan<byte> packet = originalPacket[..totalLength];

        UInt128 source = BinaryPrimitives.ReadUInt128BigEndian(packet[Ipv6Packet.Field.Source..]);
        if (source == UInt128.Zero || source == UInt128.One || IsMulticast(packet[Ipv6Packet.Field.Source]))
            return false;
        if (IsMulticast(packet[Ipv6Packet.Field.Destination]) && kind != IcmpV6ErrorKind.PacketTooBig)
            return false;

        return !MightBeIcmpError(packet);
    }

    /// <summary>
    /// <see cref="MayAnswer(ReadOnlySpan{byte}, IcmpV6ErrorKind)"/> for any error kind other
    /// than Packet Too Big, i.e. never about a packet sent to a multicast address.
    /// </summary>
    public static bool MayAnswer(ReadOnlySpan<byte> originalPacket) =>
        MayAnswer(originalPacket, IcmpV6ErrorKind.TimeExceeded);

    /// <summary>
    /// Turns the IPv6 packet in <c>buffer[..originalLength]</c> into an ICMPv6 error about it,
    /// in place: as much of the original as fits in <see cref="MaxMessageLength"/> bytes
    /// moves forward, a new IPv6 header (hop limit 64, from <paramref name="sourceAddress"/>
    /// to the original source) and the ICMPv6 header with its pseudo-header checksum are
    /// written in front of it. <paramref name="mtu"/> is used only for
    /// <see cref="IcmpV6ErrorKind.PacketTooBig"/>. <paramref name="sourceAddress"/> is the
    /// big-endian number of the address (2001:db8::1 is 0x20010DB8_00000000_00000000_00000001).
    /// Returns the length of the new packet, or 0 (buffer untouched) when the original is not
    /// a well-formed IPv6 packet or the buffer cannot hold its fixed header after the new headers.
    /// Call <see cref="MayAnswer(ReadOnlySpan{byte}, IcmpV6ErrorKind)"/> first.
    /// </summary>
    public static int Write(Span<byte> buffer, int originalLength, IcmpV6ErrorKind kind, uint mtu, UInt128 sourceAddress)
    {
        (byte type, byte code) = TypeAndCode(kind);
        if ((uint)originalLength > (uint)buffer.Length)
            return 0;
        if (!Ipv6Packet.TryGetTotalLength(buffer[..originalLength], out int totalLength))
            return 0;

        int quoteLength = Math.Min(totalLength, Math.Min(buffer.Length, MaxMessageLength) - HeadersLength);
        if (quoteLength < Ipv6Packet.Field.HeaderLength)
            return 0;

        UInt128 destination = BinaryPrimitives.ReadUInt128BigEndian(buffer[Ipv6Packet.Field.Source..]);

        // Span.CopyTo is memmove: the overlapping forward move is safe.
        buffer[..quoteLength].CopyTo(buffer[HeadersLength..]);
        int length = HeadersLength + quoteLength;
        int icmpLength = length - Ipv6Packet.Field.HeaderLength;

        Span<byte> ip = buffer[..Ipv6Packet.Field.HeaderLength];
        BinaryPrimitives.WriteUInt32BigEndian(ip, 6u << 28);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv6Packet.Field.PayloadLength..], (ushort)icmpLength);
        ip[Ipv6Packet.Field.NextHeader] = (byte)IpProtocol.Icmpv6;
        ip[Ipv6Packet.Field.HopLimit] = HopLimit;
        BinaryPrimitives.WriteUInt128BigEndian(ip[Ipv6Packet.Field.Source..], sourceAddress);
        BinaryPrimitives.WriteUInt128BigEndian(ip[Ipv6Packet.Field.Destination..], destination);

        Span<byte> icmp = buffer.Slice(Ipv6Packet.Field.HeaderLength, icmpLength);
        icmp[0] = type;
        icmp[1] = code;
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(icmp[4..], kind == IcmpV6ErrorKind.PacketTooBig ? mtu : 0);

        uint pseudoHeader = InternetChecksum.PseudoHeaderV6(
            ip.Slice(Ipv6Packet.Field.Source, Ipv6Packet.Field.AddressLength),
            ip.Slice(Ipv6Packet.Field.Destination, Ipv6Packet.Field.AddressLength),
            (uint)icmpLength,
            (byte)IpProtocol.Icmpv6);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Finish(InternetChecksum.Sum(icmp, pseudoHeader)));
        return length;
    }

    private static (byte Type, byte Code) TypeAndCode(IcmpV6ErrorKind kind) => kind switch
    {
        IcmpV6ErrorKind.TimeExceeded => (3, 0),
        IcmpV6ErrorKind.NoRoute => (1, 0),
        IcmpV6ErrorKind.AddressUnreachable => (1, 3),
        IcmpV6ErrorKind.PacketTooBig => (2, 0),
        IcmpV6ErrorKind.AdministrativelyProhibited => (1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown ICMPv6 error kind."),
    };

    private static bool IsMulticast(byte firstOctet) => firstOctet == 0xFF;

    /// <summary>
    /// Follows the extension-header chain to the upper-layer header. A chain that is cut
    /// short counts as an error message (no answer); a non-first fragment hides its upper
    /// layer and counts as not one.
    /// </summary>
    private static bool MightBeIcmpError(ReadOnlySpan<byte> packet)
    {
        byte next = packet[Ipv6Packet.Field.NextHeader];
        int offset = Ipv6Packet.Field.HeaderLength;
        for (int i = 0; i <= MaxExtensionHeaders; i++)
        {
            switch ((IpProtocol)next)
            {
                case IpProtocol.Icmpv6:
                    return offset >= packet.Length || packet[offset] < FirstInformationalType;
                case IpProtocol.HopByHop or IpProtocol.Ipv6Route or IpProtocol.Ipv6Options:
                    if (offset + 2 > packet.Length)
                        return true;
                    next = packet[offset];
                    offset += (packet[offset + 1] + 1) * 8;
                    break;
                case IpProtocol.Ipv6Fragment:
                    if (offset + 8 > packet.Length)
                        return true;
                    if ((BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]) & FragmentOffsetMask) != 0)
                        return false;
                    next = packet[offset];
                    offset += 8;
                    break;
                default:
                    return false;
            }
        }
        return true;
    }
}
