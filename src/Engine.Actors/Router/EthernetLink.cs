using System.Diagnostics;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Neighbors;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// The router's side of Ethernet (tap) links, where it is the hosts' gateway: on the way in it
/// answers ARP and neighbour solicitations for its own addresses, learns the hosts' MAC
/// addresses, and strips the Ethernet header so the IP packet can be routed; on the way out it
/// puts the next hop's MAC in front of the packet, or, while that is unknown, asks for it (at
/// most once a second per address) and leaves the packet to wait (<see cref="PendingResolution"/>).
/// Owned by one router: not thread-safe.
/// </summary>
internal sealed class EthernetLink
{
    private NeighborTable?[] _neighbors = new NeighborTable?[8];

    public enum Verdict
    {
        /// <summary>The frame is now the IP packet it carried: route it.</summary>
        Route,
        /// <summary>The frame was rewritten into an answer: send it back out of the ingress as it is.</summary>
        Answer,
        /// <summary>Taken in (a neighbour announced itself); nothing to send.</summary>
        Consumed,
        /// <summary>Dropped; the reason is set.</summary>
        Drop,
    }

    /// <summary>Handles a frame that came in on Ethernet port <paramref name="port"/>.</summary>
    public Verdict Ingress(FrameBatch batch, int index, Port port, out DropReason reason)
    {
        reason = default;
        var offset = batch.Offset(index);
        if (!EthernetFrame.TryParse(batch.Frame(index), out var ethernet))
            return Drop(DropReason.Malformed, out reason);
        var destination = ethernet.DestinationAddress;
        if (destination != port.Mac && !destination.IsMulticast)
            return Drop(DropReason.NotRoutable, out reason);

        var now = Stopwatch.GetTimestamp();
        var neighbors = NeighborsOf(port);
        var source = ethernet.SourceAddress;
        switch (ethernet.EtherType)
        {
            case EtherType.Arp:
                return Arp(batch, index, ethernet, port, neighbors, now, out reason);
            case EtherType.Ipv4:
                if (!Ipv4Packet.TryParse(ethernet.Payload, out var ipv4)) return Drop(DropReason.Malformed, out reason);
                neighbors.Learn(ipv4.SourceAddress, source, now);
                break;
            case EtherType.Ipv6:
                if (!Ipv6Packet.TryParse(ethernet.Payload, out var ipv6)) return Drop(DropReason.Malformed, out reason);
                if (ipv6.NextHeader == IpProtocol.Icmpv6 && ipv6.Payload.Length > 0 &&
                    ipv6.Payload[0] is NeighborDiscovery.TypeNeighborSolicitation or NeighborDiscovery.TypeNeighborAdvertisement)
                    return NeighborDiscoveryMessage(batch, index, ethernet, ipv6, port, neighbors, now, out reason);
                neighbors.Learn(ipv6.SourceAddress, source, now);
                break;
            default:
                return Drop(DropReason.Unsupported, out reason);
        }

        batch.Reframe(index, offset + EthernetFrame.HeaderLength, batch.Frame(index).Length - EthernetFrame.HeaderLength);
        return Verdict.Route;
    }

    /// <summary>
    /// Puts the Ethernet header for the next hop in front of IP packet <paramref name="index"/>
    /// going out of <paramref name="port"/>: <paramref name="nextHop"/>, or the packet's
    /// destination when that is zero. False when the next hop is not known yet: the caller holds
    /// the packet until the answer comes (<see cref="PendingResolution"/>), and a solicitation
    /// has been queued if due.
    /// </summary>
    public bool Egress(FrameBatch batch, int index, Port port, UInt128 nextHop, EgressBatches outputs)
    {
        if (!TryResolve(port, batch.Frame(index), nextHop, outputs, out var mac, out var etherType)) return false;
        Frame(batch, index, port, mac, etherType);
        return true;
    }

    /// <summary>
    /// The MAC of the next hop of IP packet <paramref name="packet"/> leaving Ethernet port
    /// <paramref name="port"/>: the neighbour <paramref name="nextHop"/> a route names, or, when
    /// it is zero, the destination itself (on the link). When it is unknown, queues an ARP
    /// request or neighbour solicitation if one is due and returns false.
    /// </summary>
    public bool TryResolve(Port port, ReadOnlySpan<byte> packet, UInt128 nextHop, EgressBatches outputs, out MacAddress mac, out ushort etherType)
    {
        if (TryLookup(port, packet, nextHop, out mac, out etherType)) return true;
        var neighbors = NeighborsOf(port);
        var now = Stopwatch.GetTimestamp();
        if (etherType == EtherType.Ipv4)
        {
            var neighbor = NeighborV4(packet, nextHop);
            if (port.Ipv4Address != 0 && neighbors.ShouldSolicit(neighbor, now) && outputs.For(port) is { } solicit)
                solicit.CommitRead(ArpPacket.WriteRequest(solicit.NextReadSpace, port.Mac, port.Ipv4Address, neighbor));
        }
        else
        {
            var neighbor = NeighborV6(packet, nextHop);
            if (port.Ipv6Address != UInt128.Zero && neighbors.ShouldSolicit(neighbor, now) && outputs.For(port) is { } solicit)
                solicit.CommitRead(NeighborDiscovery.WriteSolicitation(solicit.NextReadSpace, port.Mac, port.Ipv6Address, neighbor));
        }
        return false;
    }

    /// <summary>The next hop's MAC if it is known (<paramref name="nextHop"/>, or the destination when zero); asks nobody.</summary>
    public bool TryLookup(Port port, ReadOnlySpan<byte> packet, UInt128 nextHop, out MacAddress mac, out ushort etherType)
    {
        var neighbors = NeighborsOf(port);
        var now = Stopwatch.GetTimestamp();
        if (packet[0] >> 4 == 4)
        {
            etherType = EtherType.Ipv4;
            return neighbors.TryGet(NeighborV4(packet, nextHop), now, out mac);
        }
        etherType = EtherType.Ipv6;
        return neighbors.TryGet(NeighborV6(packet, nextHop), now, out mac);
    }

    private static uint NeighborV4(ReadOnlySpan<byte> packet, UInt128 nextHop) =>
        nextHop != UInt128.Zero ? (uint)nextHop : System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet[Ipv4Packet.Field.Destination..]);

    private static UInt128 NeighborV6(ReadOnlySpan<byte> packet, UInt128 nextHop) =>
        nextHop != UInt128.Zero ? nextHop : System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(packet[Ipv6Packet.Field.Destination..]);

    /// <summary>Puts the Ethernet header in front of IP packet <paramref name="index"/>.</summary>
    public static void Frame(FrameBatch batch, int index, Port port, MacAddress mac, ushort etherType)
    {
        var length = batch.Frame(index).Length;
        batch.Reframe(index, batch.Offset(index) - EthernetFrame.HeaderLength, length + EthernetFrame.HeaderLength);
        EthernetFrame.WriteHeader(batch.Frame(index), mac, port.Mac, etherType);
    }

    private static Verdict Arp(FrameBatch batch, int index, EthernetFrame ethernet, Port port, NeighborTable neighbors, long now, out DropReason reason)
    {
        reason = default;
        if (!ArpPacket.TryParse(ethernet.Payload, out var arp)) return Drop(DropReason.Malformed, out reason);
        var senderMac = arp.SenderMac;
        var senderIp = arp.SenderIp;
        neighbors.Learn(senderIp, senderMac, now);
        if (arp.Operation != ArpOperation.Request || port.Ipv4Address == 0 || arp.TargetIp != port.Ipv4Address)
            return Verdict.Consumed;

        var offset = batch.Offset(index);
        var length = ArpPacket.WriteReply(batch.Buffer(index).AsSpan(offset), port.Mac, port.Ipv4Address, senderMac, senderIp);
        batch.Rewrite(index, offset, length);
        return Verdict.Answer;
    }

    private static Verdict NeighborDiscoveryMessage(
        FrameBatch batch, int index, EthernetFrame ethernet, Ipv6Packet ipv6, Port port, NeighborTable neighbors, long now, out DropReason reason)
    {
        reason = default;
        var source = ipv6.SourceAddress;
        if (NeighborAdvertisement.TryParse(ipv6, out var advertisement))
        {
            if (advertisement.TargetLinkLayerAddress is { } advertised) neighbors.Learn(advertisement.Target, advertised, now);
            return Verdict.Consumed;
        }
        if (!NeighborSolicitation.TryParse(ipv6, out var solicitation)) return Drop(DropReason.Malformed, out reason);

        var requester = solicitation.SourceLinkLayerAddress ?? ethernet.SourceAddress;
        if (!solicitation.IsDuplicateAddressDetection) neighbors.Learn(source, requester, now);
        if (port.Ipv6Address == UInt128.Zero || solicitation.Target != port.Ipv6Address) return Verdict.Consumed;

        // RFC 4861 §7.2.4: answer a DAD probe (from ::) to all-nodes, anything else to the asker.
        var dad = solicitation.IsDuplicateAddressDetection;
        var toIp = dad ? AllNodes : source;
        var toMac = dad ? MacAddress.ForIpv6Multicast(AllNodes) : requester;
        var offset = batch.Offset(index);
        var length = NeighborDiscovery.WriteAdvertisement(batch.Buffer(index).AsSpan(offset), port.Mac, port.Ipv6Address,
            toMac, toIp, port.Ipv6Address, solicited: !dad, router: true);
        batch.Rewrite(index, offset, length);
        return Verdict.Answer;
    }

    private static readonly UInt128 AllNodes = new(0xFF02_0000_0000_0000, 1);

    private NeighborTable NeighborsOf(Port port)
    {
        if (port.Index >= _neighbors.Length) Array.Resize(ref _neighbors, Math.Max(port.Index + 1, _neighbors.Length * 2));
        return _neighbors[port.Index] ??= new NeighborTable();
    }

    private static Verdict Drop(DropReason why, out DropReason reason)
    {
        reason = why;
        return Verdict.Drop;
    }
}
