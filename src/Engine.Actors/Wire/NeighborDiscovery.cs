using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// IPv6 neighbour discovery (RFC 4861) on Ethernet: the layout shared by Neighbor
/// Solicitation and Advertisement, the solicited-node address, and builders that write a
/// whole Ethernet + IPv6 + ICMPv6 frame in place. Addresses are big-endian numbers:
/// 2001:db8::1 is 0x20010DB8_00000000_00000000_00000001.
/// </summary>
public static class NeighborDiscovery
{
    /// <summary>Byte offsets in the ICMPv6 message of a solicitation or advertisement.</summary>
    public static class Field
    {
        public const int Type = 0;
        public const int Code = 1;
        public const int Checksum = 2;

        /// <summary>R, S and O flags in an advertisement; reserved (zero) in a solicitation.</summary>
        public const int Flags = 4;
        public const int Target = 8;
        public const int Options = Target + Ipv6Packet.Field.AddressLength;
    }

    public const byte TypeNeighborSolicitation = 135;
    public const byte TypeNeighborAdvertisement = 136;

    /// <summary>Sent and required on receipt (RFC 4861 §7.1): proof the message never crossed a router.</summary>
    public const byte HopLimit = 255;

    /// <summary>Type, code, checksum, flags or reserved, target: the message without options.</summary>
    public const int MinMessageLength = Field.Options;

    public const byte OptionSourceLinkLayerAddress = 1;
    public const byte OptionTargetLinkLayerAddress = 2;

    /// <summary>Options count their length in units of 8 bytes.</summary>
    public const int OptionUnit = 8;

    /// <summary>Type, length and a 6-byte Ethernet address (RFC 2464 §6): exactly one unit.</summary>
    public const int LinkLayerOptionLength = OptionUnit;

    /// <summary>Length of either frame the builders write with a link-layer address option.</summary>
    public const int FrameLength =
        EthernetFrame.HeaderLength + Ipv6Packet.Field.HeaderLength + MinMessageLength + LinkLayerOptionLength;

    internal const byte RouterFlag = 0x80;
    internal const byte SolicitedFlag = 0x40;
    internal const byte OverrideFlag = 0x20;

    // RFC 4291 §2.7.1: ff02::1:ff00:0/104 followed by the low 24 bits of the address.
    private static readonly UInt128 SolicitedNodePrefix = new(0xFF02_0000_0000_0000, 0x0000_0001_FF00_0000);
    private static readonly UInt128 SolicitedNodeSuffixMask = 0x00FF_FFFF;

    private const int IcmpStart = EthernetFrame.HeaderLength + Ipv6Packet.Field.HeaderLength;

    /// <summary>The solicited-node multicast group of <paramref name="address"/>: ff02::1:ffXX:XXXX.</summary>
    public static UInt128 SolicitedNodeAddress(UInt128 address) =>
        SolicitedNodePrefix | (address & SolicitedNodeSuffixMask);

    public static bool IsSolicitedNodeAddress(UInt128 address) =>
        (address & ~SolicitedNodeSuffixMask) == SolicitedNodePrefix;

    /// <summary>
    /// Writes a multicast Neighbor Solicitation for <paramref name="target"/> into
    /// <paramref name="frame"/>: from <paramref name="ourIp"/> to the target's solicited-node
    /// group, Ethernet destination 33:33:ff:XX:XX:XX, with a source link-layer address option
    /// carrying <paramref name="ourMac"/>. With an unspecified <paramref name="ourIp"/> (::,
    /// duplicate address detection) the option is left out, as RFC 4861 §4.3 requires, and
    /// the frame is 8 bytes shorter. Returns the frame length, or 0 (nothing written) when the
    /// buffer is shorter than <see cref="FrameLength"/>.
    /// </summary>
    public static int WriteSolicitation(Span<byte> frame, MacAddress ourMac, UInt128 ourIp, UInt128 target)
    {
        if (frame.Length < FrameLength)
            return 0;
        UInt128 group = SolicitedNodeAddress(target);
        int optionsLength = ourIp == UInt128.Zero ? 0 : LinkLayerOptionLength;
        Span<byte> message = WriteHeaders(frame, MacAddress.ForIpv6Multicast(group), ourMac, ourIp, group, optionsLength);

        message[Field.Type] = TypeNeighborSolicitation;
        BinaryPrimitives.WriteUInt32BigEndian(message[Field.Flags..], 0);
        BinaryPrimitives.WriteUInt128BigEndian(message[Field.Target..], target);
        if (optionsLength != 0)
            WriteLinkLayerOption(message[Field.Options..], OptionSourceLinkLayerAddress, ourMac);
        FillChecksum(frame, message);
        return IcmpStart + message.Length;
    }

    /// <summary>
    /// Writes a Neighbor Advertisement for <paramref name="target"/> into
    /// <paramref name="frame"/>: from <paramref name="ourMac"/> / <paramref name="ourIp"/> to
    /// <paramref name="toMac"/> / <paramref name="toIp"/>, with a target link-layer address
    /// option carrying <paramref name="ourMac"/>. Override is always set: the engine answers
    /// only for addresses it owns (RFC 4861 §7.2.4). Solicited is cleared when
    /// <paramref name="toIp"/> is multicast, whatever <paramref name="solicited"/> says,
    /// since §7.1.2 makes receivers drop such an advertisement. Returns
    /// <see cref="FrameLength"/>, or 0 (nothing written) when the buffer is shorter.
    /// </summary>
    public static int WriteAdvertisement(
        Span<byte> frame, MacAddress ourMac, UInt128 ourIp, MacAddress toMac, UInt128 toIp,
        UInt128 target, bool solicited, bool router)
    {
        if (frame.Length < FrameLength)
            return 0;
        Span<byte> message = WriteHeaders(frame, toMac, ourMac, ourIp, toIp, LinkLayerOptionLength);

        byte flags = OverrideFlag;
        if (router)
            flags |= RouterFlag;
        if (solicited && !IsMulticast(toIp))
            flags |= SolicitedFlag;
        message[Field.Type] = TypeNeighborAdvertisement;
        BinaryPrimitives.WriteUInt32BigEndian(message[Field.Flags..], (uint)flags << 24);
        BinaryPrimitives.WriteUInt128BigEndian(message[Field.Target..], target);
        WriteLinkLayerOption(message[Field.Options..], OptionTargetLinkLayerAddress, ourMac);
        FillChecksum(frame, message);
        return FrameLength;
    }

    internal static bool IsMulticast(UInt128 address) => (byte)(address >> 120) == 0xFF;

    /// <summary>Ethernet and IPv6 headers; returns the ICMPv6 message with type-independent fields set.</summary>
    private static Span<byte> WriteHeaders(
        Span<byte> frame, MacAddress destinationMac, MacAddress sourceMac,
        UInt128 sourceIp, UInt128 destinationIp, int optionsLength)
    {
        int messageLength = MinMessageLength + optionsLength;
        EthernetFrame.WriteHeader(frame, destinationMac, sourceMac, EtherType.Ipv6);

        Span<byte> ip = frame.Slice(EthernetFrame.HeaderLength, Ipv6Packet.Field.HeaderLength);
        BinaryPrimitives.WriteUInt32BigEndian(ip, 6u << 28);
        BinaryPrimitives.WriteUInt16BigEndian(ip[Ipv6Packet.Field.PayloadLength..], (ushort)messageLength);
        ip[Ipv6Packet.Field.NextHeader] = (byte)IpProtocol.Icmpv6;
        ip[Ipv6Packet.Field.HopLimit] = HopLimit;
        BinaryPrimitives.WriteUInt128BigEndian(ip[Ipv6Packet.Field.Source..], sourceIp);
        BinaryPrimitives.WriteUInt128BigEndian(ip[Ipv6Packet.Field.Destination..], destinationIp);

        Span<byte> message = frame.Slice(IcmpStart, messageLength);
        message[Field.Code] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(message[Field.Checksum..], 0);
        return message;
    }

    private static void WriteLinkLayerOption(Span<byte> option, byte type, MacAddress address)
    {
        option[0] = type;
        option[1] = LinkLayerOptionLength / OptionUnit;
        address.WriteTo(option[2..]);
    }

    private static void FillChecksum(Span<byte> frame, Span<byte> message)
    {
        Span<byte> ip = frame.Slice(EthernetFrame.HeaderLength, Ipv6Packet.Field.HeaderLength);
        uint pseudoHeader = InternetChecksum.PseudoHeaderV6(
            ip.Slice(Ipv6Packet.Field.Source, Ipv6Packet.Field.AddressLength),
            ip.Slice(Ipv6Packet.Field.Destination, Ipv6Packet.Field.AddressLength),
            (uint)message.Length,
            (byte)IpProtocol.Icmpv6);
        BinaryPrimitives.WriteUInt16BigEndian(message[Field.Checksum..], InternetChecksum.Finish(InternetChecksum.Sum(message, pseudoHeader)));
    }
}
