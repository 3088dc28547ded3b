using System.Buffers.Binary;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// The address an ICMP error leaves from, chosen as a router's source selection would (RFC 4443
/// §2.2, RFC 6724): the engine's address on the link the offending packet came in on; else its
/// address on the port the route back to the packet's sender leaves through; else any address
/// of the engine's; and for IPv6, with no address of the family anywhere (a lab whose devices
/// have IPv4 gateways only, two engines looping IPv6 between them), the ingress port's
/// link-local address, fe80::/64 with the EUI-64 of its MAC, which every IPv6 interface has.
/// The sender then still learns where its packet ended; an IPv4 error with no IPv4 address to
/// send it from is not sent (counted, as every drop is).
/// </summary>
internal static class IcmpSource
{
    private const int Ipv4SourceOffset = Ipv4Packet.Field.Source;
    private const int Ipv6SourceOffset = 8;

    public static uint Ipv4(Port ingress, RouteSnapshot routes, ReadOnlySpan<byte> offending)
    {
        if (ingress.Ipv4Address != 0) return ingress.Ipv4Address;
        var back = routes.Ipv4.Lookup(BinaryPrimitives.ReadUInt32BigEndian(offending[Ipv4SourceOffset..]));
        if (back >= 0 && routes.HopOf(back, 0) is { Forwards: true } hop && routes.Ports[hop.Port].Ipv4Address is not 0 and var address) return address;
        return routes.AnyIpv4Address;
    }

    public static UInt128 Ipv6(Port ingress, RouteSnapshot routes, ReadOnlySpan<byte> offending)
    {
        if (ingress.Ipv6Address != UInt128.Zero) return ingress.Ipv6Address;
        var back = routes.Ipv6.Lookup(BinaryPrimitives.ReadUInt128BigEndian(offending[Ipv6SourceOffset..]));
        if (back >= 0 && routes.HopOf(back, 0) is { Forwards: true } hop && routes.Ports[hop.Port].Ipv6Address is var address && address != UInt128.Zero) return address;
        return routes.AnyIpv6Address != UInt128.Zero ? routes.AnyIpv6Address : ingress.LinkLocalIpv6;
    }
}
