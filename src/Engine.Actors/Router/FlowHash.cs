using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// The hash an ECMP route spreads flows by: source, destination and protocol, and the ports for
/// TCP and UDP; a fragment has no ports to read past the first, so every fragment of a datagram
/// hashes the 3-tuple and takes one path. Deterministic in a process, allocation-free.
/// </summary>
internal static class FlowHash
{
    public static uint Ipv4(Ipv4Packet packet)
    {
        var hash = Mix(packet.SourceAddress, packet.DestinationAddress, (uint)packet.Protocol);
        if (packet.MoreFragments || packet.FragmentOffset != 0) return hash;
        return Ports(hash, packet.Protocol, packet.Payload);
    }

    public static uint Ipv6(Ipv6Packet packet)
    {
        var source = packet.Bytes.Slice(Ipv6Packet.Field.Source, 16);
        var destination = packet.Bytes.Slice(Ipv6Packet.Field.Destination, 16);
        var hash = Mix(Fold(source), Fold(destination), (uint)packet.NextHeader);
        // A fragment header (or any other extension) hides the ports: the 3-tuple it is.
        return Ports(hash, packet.NextHeader, packet.Payload);
    }

    private static uint Ports(uint hash, IpProtocol protocol, ReadOnlySpan<byte> transport) =>
        protocol is IpProtocol.Tcp or IpProtocol.Udp && transport.Length >= 4
            ? Mix(hash, BinaryPrimitives.ReadUInt32BigEndian(transport), 0x9E37_79B9)
            : hash;

    private static uint Fold(ReadOnlySpan<byte> address) =>
        BinaryPrimitives.ReadUInt32BigEndian(address) ^ BinaryPrimitives.ReadUInt32BigEndian(address[4..])
        ^ BinaryPrimitives.ReadUInt32BigEndian(address[8..]) * 31 ^ BinaryPrimitives.ReadUInt32BigEndian(address[12..]) * 17;

    /// <summary>Three words into one, murmur3's finaliser for the avalanche.</summary>
    private static uint Mix(uint a, uint b, uint c)
    {
        var h = a * 0xCC9E_2D51 ^ (b * 0x1B87_3593 + 0xE654_6B64) ^ c * 0x85EB_CA6B;
        h ^= h >> 16;
        h *= 0x85EB_CA6B;
        h ^= h >> 13;
        h *= 0xC2B2_AE35;
        return h ^ (h >> 16);
    }
}
