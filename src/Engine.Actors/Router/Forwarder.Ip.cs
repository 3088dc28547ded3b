using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// The IP stage of a routed frame: the packet's checks (lengths, IPv4 header checksum, trailing
/// bytes cut), what a router does not forward (multicast, broadcast, link-local), echo requests
/// to the engine's own addresses, the longest-prefix match to a next hop, TTL or hop limit, the
/// egress MTU (fragmenting IPv4 without DF, or answering too big), and the ICMP errors back to
/// the sender.
/// </summary>
internal sealed partial class Forwarder
{
    private Outcome RouteIpv4(FrameBatch batch, int index, Port? ingress, RouteSnapshot routes)
    {
        if (!Ipv4Packet.TryParse(batch.Frame(index), out var packet) || !packet.VerifyHeaderChecksum())
            return Outcome.Drop(DropReason.Malformed);
        // Trailing bytes past the total length (Ethernet padding, say) are not part of the packet.
        if (!batch.TryTrim(index, packet.TotalLength)) return Outcome.Drop(DropReason.Malformed);

        var destination = packet.DestinationAddress;
        if (IsNotRoutableIpv4(destination) || IsNotRoutableIpv4(packet.SourceAddress))
            return Outcome.Drop(DropReason.NotRoutable);
        if (routes.IsLocal(destination))
            return EchoReply(batch, index, LocalEcho.TryReplyIpv4(batch.Frame(index)), ingress, routes);

        var hop = routes.Ipv4.Lookup(destination);
        if (hop < 0)
            return AnswerIpv4(batch, index, ingress, routes, IcmpV4ErrorKind.NetUnreachable, 0, DropReason.NoRoute);
        ref readonly var nextHop = ref routes.HopOf(hop, routes.IsMultipath(hop) ? EcmpFlowHash.Of(packet) : 0);
        // As the kernel does, a route that refuses is obeyed before the TTL is looked at.
        if (!nextHop.Forwards) return Refuse(nextHop.Kind, batch, index, ingress, routes, ipv6: false);
        if (packet.Ttl <= 1)
            return AnswerIpv4(batch, index, ingress, routes, IcmpV4ErrorKind.TimeExceeded, 0, DropReason.TtlExpired);

        var egress = routes.Ports[nextHop.Port];
        _nextHop = nextHop.Address;
        ref var offload = ref batch.Offload(index);
        if (offload.IsGso)
        {
            // A super-frame leaves as segments of headers + gso_size: that is what must fit.
            if (offload.HeadersLength + offload.GsoSize > egress.Mtu)
            {
                if (packet.DontFragment || egress.Mtu <= offload.HeadersLength)
                    return AnswerIpv4(batch, index, ingress, routes, IcmpV4ErrorKind.FragmentationNeeded, (ushort)egress.Mtu, DropReason.TooBig);
                // TCP is a byte stream and may be cut finer; each UDP segment is a datagram of
                // its own, which keeps its size and is fragmented (every loss counted there).
                if (offload.GsoType == VirtioGsoType.UdpL4)
                {
                    packet.DecrementTtl();
                    Split(batch, index, offload, egress, ingress, _fragmenting);
                    return Outcome.Handled;
                }
                offload = offload with { GsoSize = egress.Mtu - offload.HeadersLength };
            }
        }
        else if (packet.TotalLength > egress.Mtu)
        {
            if (packet.DontFragment)
                return AnswerIpv4(batch, index, ingress, routes, IcmpV4ErrorKind.FragmentationNeeded, (ushort)egress.Mtu, DropReason.TooBig);
            // Fragments copy the payload: a checksum left to the kernel must be filled first.
            if (offload.NeedsChecksum && !SuperFrameSplitter.Complete(batch, index))
                return Outcome.Drop(DropReason.Malformed);
            packet.DecrementTtl();
            Fragment(batch, index, egress, ingress);
            return Outcome.Handled;
        }

        packet.DecrementTtl();
        return Outcome.To(egress);
    }

    private Outcome RouteIpv6(FrameBatch batch, int index, Port? ingress, RouteSnapshot routes)
    {
        if (!Ipv6Packet.TryParse(batch.Frame(index), out var packet))
            return Outcome.Drop(DropReason.Malformed);
        // Trailing bytes past the payload length are not part of the packet.
        if (!batch.TryTrim(index, packet.TotalLength)) return Outcome.Drop(DropReason.Malformed);

        var destination = packet.DestinationAddress;
        if (IsNotRoutableIpv6(destination) || IsLinkLocalIpv6(packet.SourceAddress))
            return Outcome.Drop(DropReason.NotRoutable);
        if (routes.IsLocal(destination))
            return EchoReply(batch, index, LocalEcho.TryReplyIpv6(batch.Frame(index)), ingress, routes);

        var hop = routes.Ipv6.Lookup(destination);
        if (hop < 0)
            return AnswerIpv6(batch, index, ingress, routes, IcmpV6ErrorKind.NoRoute, 0, DropReason.NoRoute);
        ref readonly var nextHop = ref routes.HopOf(hop, routes.IsMultipath(hop) ? EcmpFlowHash.Of(packet) : 0);
        if (!nextHop.Forwards) return Refuse(nextHop.Kind, batch, index, ingress, routes, ipv6: true);
        if (packet.HopLimit <= 1)
            return AnswerIpv6(batch, index, ingress, routes, IcmpV6ErrorKind.TimeExceeded, 0, DropReason.TtlExpired);

        var egress = routes.Ports[nextHop.Port];
        _nextHop = nextHop.Address;
        var offload = batch.Offload(index);
        var size = offload.IsGso ? offload.HeadersLength + offload.GsoSize : packet.TotalLength;
        if (size > egress.Mtu)
            return AnswerIpv6(batch, index, ingress, routes, IcmpV6ErrorKind.PacketTooBig, (uint)egress.Mtu, DropReason.TooBig);

        packet.DecrementHopLimit();
        return Outcome.To(egress);
    }

    /// <summary>What a route that refuses does: unreachable and prohibit answer the sender (rate-limited), a blackhole drops in silence.</summary>
    private Outcome Refuse(NextHopKind kind, FrameBatch batch, int index, Port? ingress, RouteSnapshot routes, bool ipv6) => kind switch
    {
        NextHopKind.Unreachable => ipv6
            ? AnswerIpv6(batch, index, ingress, routes, IcmpV6ErrorKind.NoRoute, 0, DropReason.NoRoute)
            : AnswerIpv4(batch, index, ingress, routes, IcmpV4ErrorKind.NetUnreachable, 0, DropReason.NoRoute),
        NextHopKind.Prohibit => ipv6
            ? AnswerIpv6(batch, index, ingress, routes, IcmpV6ErrorKind.AdministrativelyProhibited, 0, DropReason.Prohibited)
            : AnswerIpv4(batch, index, ingress, routes, IcmpV4ErrorKind.AdministrativelyProhibited, 0, DropReason.Prohibited),
        _ => Outcome.Drop(DropReason.Blackhole),
    };

    /// <summary>Drops the packet for <paramref name="reason"/> and, where allowed, turns it into an ICMP error back to its sender.</summary>
    private Outcome AnswerIpv4(FrameBatch batch, int index, Port? ingress, RouteSnapshot routes, IcmpV4ErrorKind kind, ushort mtu, DropReason reason)
    {
        if (ingress is null) return Outcome.Drop(reason);
        ingress.Counters.AddDrop(reason);
        _nextHop = NextHopBack(batch.Frame(index), ingress, routes);
        return _icmp.TryAnswerIpv4(batch, index, ingress, routes, kind, mtu) ? Outcome.To(ingress) : Outcome.Handled;
    }

    private Outcome AnswerIpv6(FrameBatch batch, int index, Port? ingress, RouteSnapshot routes, IcmpV6ErrorKind kind, uint mtu, DropReason reason)
    {
        if (ingress is null) return Outcome.Drop(reason);
        ingress.Counters.AddDrop(reason);
        _nextHop = NextHopBack(batch.Frame(index), ingress, routes);
        return _icmp.TryAnswerIpv6(batch, index, ingress, routes, kind, mtu) ? Outcome.To(ingress) : Outcome.Handled;
    }

    // Addressed to the engine itself: echo requests are answered, anything else is not for a router.
    private Outcome EchoReply(FrameBatch batch, int index, bool rewritten, Port? ingress, RouteSnapshot routes)
    {
        if (!rewritten || ingress is null) return Outcome.Drop(DropReason.NotRoutable);
        // Rewritten in place: the request's source is the reply's destination now.
        _nextHop = NextHopBack(batch.Frame(index), ingress, routes, towardsDestination: true);
        batch.Offload(index) = default;
        _counters.EchoReplied();
        return Outcome.To(ingress);
    }

    // Multicast, limited broadcast, "this network" and link-local stay on their link.
    private static bool IsNotRoutableIpv4(uint address) =>
        address >= 0xE000_0000 || (address >> 24) == 0 || (address >> 16) == 0xA9FE;

    private static bool IsNotRoutableIpv6(UInt128 address) =>
        (address >> 120) == 0xFF || IsLinkLocalIpv6(address) || address == UInt128.Zero;

    private static bool IsLinkLocalIpv6(UInt128 address) => (address >> 118) == (0xFE80 >> 6);

    /// <summary>Where a frame goes: a port, nowhere (with a reason), or already taken care of.</summary>
    private readonly record struct Outcome(Port? Egress, DropReason? Reason)
    {
        public static Outcome Handled => default;
        public static Outcome To(Port port) => new(port, null);
        public static Outcome Drop(DropReason reason) => new(null, reason);
    }
}
