using System.Buffers.Binary;

namespace Engine.Actors.Wire;

/// <summary>
/// The receive checks RFC 4861 §7.1 makes common to solicitations and advertisements, and
/// the option walk. Each view adds the checks of its own type.
/// </summary>
internal static class NeighborDiscoveryValidation
{
    /// <summary>
    /// Checks that <paramref name="packet"/> carries a well-formed neighbour discovery message
    /// of <paramref name="type"/> directly after the fixed header (extension headers are not
    /// followed: neighbour discovery does not use them), with hop limit 255, code 0, at least
    /// 24 bytes, a valid checksum, a unicast target and options that each have a nonzero
    /// length and fit in the message. The first option of <paramref name="linkLayerOption"/>
    /// type gives <paramref name="linkLayerAddress"/>; it must be exactly one 8-byte unit
    /// long, Ethernet's size. Other options are skipped, as §7.1 asks.
    /// </summary>
    public static bool TryValidate(
        Ipv6Packet packet, byte type, byte linkLayerOption,
        out Span<byte> message, out MacAddress? linkLayerAddress)
    {
        message = default;
        linkLayerAddress = null;
        if (packet.NextHeader != IpProtocol.Icmpv6 || packet.HopLimit != NeighborDiscovery.HopLimit)
            return false;

        Span<byte> icmp = packet.Payload;
        if (icmp.Length < NeighborDiscovery.MinMessageLength
            || icmp[NeighborDiscovery.Field.Type] != type
            || icmp[NeighborDiscovery.Field.Code] != 0)
            return false;
        if (NeighborDiscovery.IsMulticast(BinaryPrimitives.ReadUInt128BigEndian(icmp[NeighborDiscovery.Field.Target..])))
            return false;
        if (!TryFindLinkLayerAddress(icmp[NeighborDiscovery.Field.Options..], linkLayerOption, out linkLayerAddress))
            return false;

        uint pseudoHeader = InternetChecksum.PseudoHeaderV6(packet.Source, packet.Destination, (uint)icmp.Length, (byte)IpProtocol.Icmpv6);
        if (!InternetChecksum.IsValid(icmp, pseudoHeader))
            return false;

        message = icmp;
        return true;
    }

    private static bool TryFindLinkLayerAddress(ReadOnlySpan<byte> options, byte wanted, out MacAddress? address)
    {
        address = null;
        while (options.Length > 0)
        {
            if (options.Length < 2)
                return false;
            int length = options[1] * NeighborDiscovery.OptionUnit;
            if (length == 0 || length > options.Length)
                return false;
            if (options[0] == wanted)
            {
                if (length != NeighborDiscovery.LinkLayerOptionLength)
                    return false;
                // Like Linux, the first of duplicated link-layer options wins.
                address ??= MacAddress.FromSpan(options[2..]);
            }
            options = options[length..];
        }
        return true;
    }
}
