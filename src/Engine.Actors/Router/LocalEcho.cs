using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// Turns an ICMP echo request to one of the engine's addresses into the reply, in place: the
/// type changes (checksum updated incrementally), source and destination swap, and the TTL or
/// hop limit starts afresh. The packet keeps its length. The caller has already trimmed the
/// frame to the packet's own length.
/// </summary>
internal static class LocalEcho
{
    private const byte Ipv4Request = 8, Ipv4Reply = 0;
    private const byte Ipv6Request = 128, Ipv6Reply = 129;
    private const byte HopLimit = 64;

    public static bool TryReplyIpv4(Span<byte> frame)
    {
        if (!Ipv4Packet.TryParse(frame, out var packet)) return false;
        if (packet.Protocol != IpProtocol.Icmp || packet.MoreFragments || packet.FragmentOffset != 0) return false;
        if (!TryTurnAround(packet.Payload, Ipv4Request, Ipv4Reply)) return false;

        var header = packet.Header;
        SwapAddresses(header, Ipv4Packet.Field.Source, Ipv4Packet.Field.Destination, Ipv4Packet.Field.AddressLength);
        header[Ipv4Packet.Field.Ttl] = HopLimit;
        packet.FillHeaderChecksum();
        return true;
    }

    public static bool TryReplyIpv6(Span<byte> frame)
    {
        if (!Ipv6Packet.TryParse(frame, out var packet)) return false;
        if (packet.NextHeader != IpProtocol.Icmpv6) return false;
        if (!TryTurnAround(packet.Payload, Ipv6Request, Ipv6Reply)) return false;

        // Swapping source and destination leaves the pseudo-header sum, and so the checksum, as it was.
        var header = packet.Header;
        SwapAddresses(header, Ipv6Packet.Field.Source, Ipv6Packet.Field.Destination, Ipv6Packet.Field.AddressLength);
        header[Ipv6Packet.Field.HopLimit] = HopLimit;
        return true;
    }

    private static bool TryTurnAround(Span<byte> icmp, byte request, byte reply)
    {
        if (icmp.Length < 8 || icmp[0] != request || icmp[1] != 0) return false;
        icmp[0] = reply;
        var checksum = BinaryPrimitives.ReadUInt16BigEndian(icmp[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Update(checksum, (ushort)(request << 8), (ushort)(reply << 8)));
        return true;
    }

    private static void SwapAddresses(Span<byte> header, int source, int destination, int length)
    {
        for (var i = 0; i < length; i++)
            (header[source + i], header[destination + i]) = (header[destination + i], header[source + i]);
    }
}
