using System.Buffers.Binary;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>Where a frame that arrived on a routed port with a control-plane mirror goes.</summary>
internal enum ControlPlaneVerdict
{
    /// <summary>On through the router as without a control plane: transit traffic, and the echo requests the engine answers.</summary>
    Router,
    /// <summary>To the port's mirror instead: the router itself is its destination, and a daemon there answers.</summary>
    Mirror,
    /// <summary>A copy to the mirror, and the frame on through the router: ARP and ND, which both the engine and the mirror's kernel answer alike.</summary>
    Both,
}

/// <summary>
/// Tells apart, by reading a frame's headers only, what a routing daemon in the control-plane
/// namespace must see of a routed port's traffic: frames for the engine's own addresses (except
/// the echo requests the engine answers itself), IPv4 and IPv6 link-local multicast
/// (224.0.0.0/24: OSPF, RIP, VRRP; ff02::/16: OSPFv3, RIPng, MLD), unicast to a link-local IPv6
/// address (an OSPFv3 neighbour's exchange; the engine never forwards it), and on an Ethernet
/// port ARP for the port's gateway address and neighbour solicitations and advertisements, which the engine keeps
/// answering too (the mirror has the engine's MAC there, so both answers agree). Traffic to the
/// engine with TTL or hop limit 1 (an eBGP session) is traffic to its own addresses like any.
/// </summary>
internal static class ControlPlaneTraffic
{
    private const byte Ipv4EchoRequest = 8;
    private const byte Ipv6EchoRequest = 128;

    public static ControlPlaneVerdict Classify(Span<byte> frame, Port port, RouteSnapshot routes)
    {
        if (!port.IsEthernet) return ClassifyIp(frame, port, routes);
        if (frame.Length < EthernetFrame.HeaderLength) return ControlPlaneVerdict.Router;
        var payload = frame[EthernetFrame.HeaderLength..];
        return BinaryPrimitives.ReadUInt16BigEndian(frame[EthernetFrame.Field.EtherType..]) switch
        {
            EtherType.Arp => ArpPacket.TryParse(payload, out var arp) && port.Ipv4Address != 0 && arp.TargetIp == port.Ipv4Address
                ? ControlPlaneVerdict.Both
                : ControlPlaneVerdict.Router,
            EtherType.Ipv4 or EtherType.Ipv6 => ClassifyIp(payload, port, routes),
            _ => ControlPlaneVerdict.Router,
        };
    }

    private static ControlPlaneVerdict ClassifyIp(Span<byte> packet, Port port, RouteSnapshot routes) =>
        (packet.Length == 0 ? 0 : packet[0] >> 4) switch
        {
            4 => ClassifyIpv4(packet, routes),
            6 => ClassifyIpv6(packet, port, routes),
            _ => ControlPlaneVerdict.Router,
        };

    private static ControlPlaneVerdict ClassifyIpv4(Span<byte> bytes, RouteSnapshot routes)
    {
        if (!Ipv4Packet.TryParse(bytes, out var packet)) return ControlPlaneVerdict.Router;
        var destination = packet.DestinationAddress;
        if ((destination >> 8) == 0xE0_00_00) return ControlPlaneVerdict.Mirror; // 224.0.0.0/24
        if (!routes.IsLocal(destination)) return ControlPlaneVerdict.Router;
        var isEchoRequest = packet.Protocol == IpProtocol.Icmp && packet.FragmentOffset == 0
            && packet.Payload.Length > 0 && packet.Payload[0] == Ipv4EchoRequest;
        return isEchoRequest ? ControlPlaneVerdict.Router : ControlPlaneVerdict.Mirror;
    }

    private static ControlPlaneVerdict ClassifyIpv6(Span<byte> bytes, Port port, RouteSnapshot routes)
    {
        if (!Ipv6Packet.TryParse(bytes, out var packet)) return ControlPlaneVerdict.Router;
        var icmpType = packet.NextHeader == IpProtocol.Icmpv6 && packet.Payload.Length > 0 ? packet.Payload[0] : (byte)0;
        // Solicitations and advertisements the engine answers and learns from; router solicitations
        // and redirects are the daemon's alone, as their link-local destinations say below.
        if (port.IsEthernet && icmpType is NeighborDiscovery.TypeNeighborSolicitation or NeighborDiscovery.TypeNeighborAdvertisement)
            return ControlPlaneVerdict.Both;
        var destination = packet.DestinationAddress;
        if ((destination >> 112) == 0xFF02 || (destination >> 118) == (0xFE80 >> 6)) return ControlPlaneVerdict.Mirror;
        if (!routes.IsLocal(destination)) return ControlPlaneVerdict.Router;
        return icmpType == Ipv6EchoRequest ? ControlPlaneVerdict.Router : ControlPlaneVerdict.Mirror;
    }
}
