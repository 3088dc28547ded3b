using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// The neighbour a routed frame goes to on an Ethernet egress: its route's next-hop address, or
/// its own destination when the route has none. Worked out with the lookup and kept for the
/// frame's way out, where it is framed, held for ARP/ND, cut into segments or fragmented.
/// </summary>
internal sealed partial class Forwarder
{
    // Set per frame (zero first, in RouteOne), read by Deliver and Fragment.
    private UInt128 _nextHop;

    /// <summary>
    /// The neighbour on <paramref name="ingress"/> that an answer to <paramref name="packet"/>'s
    /// sender goes to: the next hop of the route back when that route leaves through the
    /// ingress (the sender is behind a router there), else zero, the sender itself.
    /// </summary>
    private static UInt128 NextHopBack(ReadOnlySpan<byte> packet, Port ingress, RouteSnapshot routes, bool towardsDestination = false)
    {
        if (!ingress.IsEthernet) return UInt128.Zero;
        int hop;
        if (packet[0] >> 4 == 4)
        {
            var field = towardsDestination ? Ipv4Packet.Field.Destination : Ipv4Packet.Field.Source;
            hop = routes.Ipv4.Lookup(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(packet[field..]));
        }
        else
        {
            var field = towardsDestination ? Ipv6Packet.Field.Destination : Ipv6Packet.Field.Source;
            hop = routes.Ipv6.Lookup(System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(packet[field..]));
        }
        return hop >= 0 && routes.NextHops[hop].Forwards && routes.NextHops[hop].Port == ingress.Index ? routes.NextHops[hop].Address : UInt128.Zero;
    }
}
