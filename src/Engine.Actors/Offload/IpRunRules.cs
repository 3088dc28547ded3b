using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Offload;

/// <summary>
/// The IP half of the merge rules, the same for TCP and UDP: reading the IP header of a
/// would-be run member, same addresses, and what must match (or run on) in the IP headers of
/// packets that are to become one super-frame.
/// </summary>
internal static class IpRunRules
{
    public const ushort DontFragmentFlag = 0x4000;
    public const ushort MoreFragmentsFlag = 0x2000;
    private const int AddressBytesV4 = 2 * Ipv4Packet.Field.AddressLength;
    private const int AddressBytesV6 = 2 * Ipv6Packet.Field.AddressLength;

    /// <summary>
    /// Reads an IPv4 or IPv6 header carrying <paramref name="protocol"/>. False for anything
    /// else; <paramref name="hidesFlow"/> when the packet's flow cannot be told (a later IPv4
    /// fragment, IPv6 extension headers), so no open run may continue past it.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, IpProtocol protocol, out bool isIpv6, out int transportOffset, out int length, out bool hidesFlow)
    {
        hidesFlow = false;
        isIpv6 = false;
        transportOffset = 0;
        if (Ipv4Packet.TryGetTotalLength(packet, out length))
        {
            if (packet[Ipv4Packet.Field.Protocol] != (byte)protocol)
                return false;
            transportOffset = (packet[Ipv4Packet.Field.VersionAndHeaderLength] & 0x0F) * 4;
            if ((BinaryPrimitives.ReadUInt16BigEndian(packet[Ipv4Packet.Field.FlagsAndFragmentOffset..]) & Ipv4Packet.FragmentOffsetMask) != 0)
            {
                hidesFlow = true;
                return false;
            }
            return true;
        }
        if (!Ipv6Packet.TryGetTotalLength(packet, out length))
            return false;
        byte next = packet[Ipv6Packet.Field.NextHeader];
        if (next != (byte)protocol)
        {
            hidesFlow = next is (byte)IpProtocol.HopByHop or (byte)IpProtocol.Ipv6Route or (byte)IpProtocol.Ipv6Fragment or (byte)IpProtocol.Ipv6Options;
            return false;
        }
        isIpv6 = true;
        transportOffset = Ipv6Packet.Field.HeaderLength;
        return true;
    }

    /// <summary>
    /// Same flow: the same IP version, addresses and ports (the first four bytes of a TCP or UDP
    /// header), each packet read from its transport offset.
    /// </summary>
    public static bool SameFlow(ReadOnlySpan<byte> packet, bool isIpv6, int transportOffset, ReadOnlySpan<byte> other, bool otherIsIpv6, int otherTransportOffset) =>
        isIpv6 == otherIsIpv6
        && SameAddresses(packet, other, isIpv6)
        && packet.Slice(transportOffset, 4).SequenceEqual(other.Slice(otherTransportOffset, 4));

    /// <summary>Same source and destination addresses (the IP version is known to match).</summary>
    private static bool SameAddresses(ReadOnlySpan<byte> packet, ReadOnlySpan<byte> other, bool isIpv6) => isIpv6
        ? packet.Slice(Ipv6Packet.Field.Source, AddressBytesV6).SequenceEqual(other.Slice(Ipv6Packet.Field.Source, AddressBytesV6))
        : packet.Slice(Ipv4Packet.Field.Source, AddressBytesV4).SequenceEqual(other.Slice(Ipv4Packet.Field.Source, AddressBytesV4));

    /// <summary>An IPv4 header without options that is not the first of several fragments.</summary>
    public static IpRunRefusal Eligibility(ReadOnlySpan<byte> packet, int transportOffset)
    {
        if (transportOffset != Ipv4Packet.Field.MinHeaderLength)
            return IpRunRefusal.IpOptions;
        if ((BinaryPrimitives.ReadUInt16BigEndian(packet[Ipv4Packet.Field.FlagsAndFragmentOffset..]) & MoreFragmentsFlag) != 0)
            return IpRunRefusal.Fragment;
        return IpRunRefusal.None;
    }

    /// <summary>Whether <paramref name="next"/>'s IP header may follow the <paramref name="count"/> packets behind <paramref name="head"/>.</summary>
    public static IpRunRefusal Admits(ReadOnlySpan<byte> head, int count, ReadOnlySpan<byte> next, bool isIpv6) =>
        isIpv6 ? AdmitsIpv6(head, next) : AdmitsIpv4(head, count, next);

    private static IpRunRefusal AdmitsIpv4(ReadOnlySpan<byte> head, int count, ReadOnlySpan<byte> next)
    {
        if (head[Ipv4Packet.Field.DifferentiatedServices] != next[Ipv4Packet.Field.DifferentiatedServices])
            return IpRunRefusal.TypeOfService;
        if (head[Ipv4Packet.Field.Ttl] != next[Ipv4Packet.Field.Ttl])
            return IpRunRefusal.TtlOrHopLimit;
        ushort headFlags = BinaryPrimitives.ReadUInt16BigEndian(head[Ipv4Packet.Field.FlagsAndFragmentOffset..]);
        ushort nextFlags = BinaryPrimitives.ReadUInt16BigEndian(next[Ipv4Packet.Field.FlagsAndFragmentOffset..]);
        if ((headFlags & DontFragmentFlag) != (nextFlags & DontFragmentFlag))
            return IpRunRefusal.DontFragment;
        // Without DF the IDs must run on, as segmentation will renumber them from the head's;
        // with DF the ID carries nothing (RFC 6864) and the kernel's GRO ignores it too.
        ushort headId = BinaryPrimitives.ReadUInt16BigEndian(head[Ipv4Packet.Field.Identification..]);
        ushort nextId = BinaryPrimitives.ReadUInt16BigEndian(next[Ipv4Packet.Field.Identification..]);
        if ((headFlags & DontFragmentFlag) == 0 && nextId != (ushort)(headId + count))
            return IpRunRefusal.Identification;
        return IpRunRefusal.None;
    }

    private static IpRunRefusal AdmitsIpv6(ReadOnlySpan<byte> head, ReadOnlySpan<byte> next)
    {
        uint headWord = BinaryPrimitives.ReadUInt32BigEndian(head);
        uint nextWord = BinaryPrimitives.ReadUInt32BigEndian(next);
        if ((headWord ^ nextWord) >> 20 != 0)
            return IpRunRefusal.TypeOfService;
        if (headWord != nextWord)
            return IpRunRefusal.FlowLabel;
        if (head[Ipv6Packet.Field.HopLimit] != next[Ipv6Packet.Field.HopLimit])
            return IpRunRefusal.TtlOrHopLimit;
        return IpRunRefusal.None;
    }
}

/// <summary>Why IP headers keep two packets apart; each protocol's refusal has the same names.</summary>
internal enum IpRunRefusal : byte
{
    None,
    IpOptions,
    Fragment,
    TypeOfService,
    FlowLabel,
    TtlOrHopLimit,
    DontFragment,
    Identification,
}
