using System.Buffers.Binary;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// The hash that keeps a flow on one path of a multipath route: addresses, protocol and, for TCP,
/// UDP and SCTP, the ports (the 5-tuple). A fragment hashes without ports (the 3-tuple), so every
/// fragment of a datagram takes the same path, though only the first holds the ports. The seed is drawn once per
/// process, so a chain of engines does not send every flow down the same side at each hop.
/// </summary>
internal static class EcmpFlowHash
{
    private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;

    public static uint Of(in Ipv4Packet packet)
    {
        var addresses = ((ulong)packet.SourceAddress << 32) | packet.DestinationAddress;
        var isFragment = packet.MoreFragments || packet.FragmentOffset != 0;
        var ports = isFragment ? 0u : Ports(packet.Protocol, packet.Payload);
        return Finish(Step(Step(Seed, addresses), ((ulong)(byte)packet.Protocol << 32) | ports));
    }

    public static uint Of(in Ipv6Packet packet)
    {
        var source = packet.SourceAddress;
        var destination = packet.DestinationAddress;
        // Only a transport header right after the fixed header is read; behind extension headers
        // (a fragment header among them) the flow is its addresses and first next header.
        var ports = Ports(packet.NextHeader, packet.Payload);
        var hash = Step(Step(Seed, (ulong)(source >> 64)), (ulong)source);
        hash = Step(Step(hash, (ulong)(destination >> 64)), (ulong)destination);
        return Finish(Step(hash, ((ulong)(byte)packet.NextHeader << 32) | ports));
    }

    private static uint Ports(IpProtocol protocol, ReadOnlySpan<byte> transport) =>
        protocol is IpProtocol.Tcp or IpProtocol.Udp or Sctp && transport.Length >= 4
            ? BinaryPrimitives.ReadUInt32BigEndian(transport)
            : 0;

    private const IpProtocol Sctp = (IpProtocol)132;

    private static ulong Step(ulong hash, ulong value) => (hash ^ value) * 0x9E3779B97F4A7C15UL;

    private static uint Finish(ulong hash)
    {
        hash ^= hash >> 32;
        hash *= 0xD6E8FEB86659FD93UL;
        return (uint)(hash >> 32);
    }
}
