using System.Buffers.Binary;
using Engine.Actors.Buffers;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>Turns an ICMP echo request to one of the engine's addresses into the reply, in place.</summary>
internal static class Ipv4Local
{
    private const byte EchoRequest = 8, EchoReply = 0;

    public static bool TryEchoReply(FrameBatch batch, int index)
    {
        if (!Ipv4Packet.TryParse(batch.Frame(index), out var packet)) return false;
        if (packet.Protocol != IpProtocol.Icmp || packet.MoreFragments || packet.FragmentOffset != 0) return false;
        var icmp = packet.Payload[..(packet.TotalLength - packet.HeaderLength)];
        if (icmp.Length < 8 || icmp[0] != EchoRequest || icmp[1] != 0) return false;

        icmp[0] = EchoReply;
        var checksum = BinaryPrimitives.ReadUInt16BigEndian(icmp[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Update(checksum, EchoRequest << 8, EchoReply << 8));

        var header = packet.Header;
        Span<byte> source = stackalloc byte[4];
        header.Slice(Ipv4Packet.Field.Source, 4).CopyTo(source);
        header.Slice(Ipv4Packet.Field.Destination, 4).CopyTo(header[Ipv4Packet.Field.Source..]);
        source.CopyTo(header[Ipv4Packet.Field.Destination..]);
        header[Ipv4Packet.Field.Ttl] = 64;
        packet.FillHeaderChecksum();
        batch.Reframe(index, batch.Offset(index), packet.TotalLength);
        return true;
    }
}

internal static class Ipv6Local
{
    private const byte EchoRequest = 128, EchoReply = 129;

    public static bool TryEchoReply(FrameBatch batch, int index)
    {
        if (!Ipv6Packet.TryParse(batch.Frame(index), out var packet)) return false;
        if (packet.NextHeader != IpProtocol.Icmpv6) return false;
        var icmp = packet.Payload;
        if (icmp.Length < 8 || icmp[0] != EchoRequest || icmp[1] != 0) return false;

        icmp[0] = EchoReply;
        var checksum = BinaryPrimitives.ReadUInt16BigEndian(icmp[2..]);
        BinaryPrimitives.WriteUInt16BigEndian(icmp[2..], InternetChecksum.Update(checksum, EchoRequest << 8, EchoReply << 8));

        // Swapping source and destination leaves the pseudo-header sum, and so the checksum, as it was.
        var header = packet.Header;
        Span<byte> source = stackalloc byte[16];
        header.Slice(Ipv6Packet.Field.Source, 16).CopyTo(source);
        header.Slice(Ipv6Packet.Field.Destination, 16).CopyTo(header[Ipv6Packet.Field.Source..]);
        source.CopyTo(header[Ipv6Packet.Field.Destination..]);
        header[Ipv6Packet.Field.HopLimit] = 64;
        return true;
    }
}
