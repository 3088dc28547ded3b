using System.Net;
using System.Text;

namespace Engine.Native.Netlink;

public sealed partial class RtNetlink
{
    /// <summary>
    /// Adds a static route to the main table: <paramref name="destination"/>/<paramref name="prefixLength"/>
    /// (0.0.0.0/0 or ::/0 for a default route) via <paramref name="gateway"/> and/or out of the link
    /// with index <paramref name="outputLinkIndex"/>; at least one of the two is needed. Without a
    /// gateway the route is on-link (scope link). An existing route is a NativeException with EEXIST.
    /// </summary>
    public void AddRoute(IPAddress destination, int prefixLength, IPAddress? gateway = null, int? outputLinkIndex = null)
    {
        var family = ValidateRoute(destination, prefixLength, gateway, outputLinkIndex);
        if (gateway is null && outputLinkIndex is null)
            throw new ArgumentException("a route needs a gateway, an output link, or both", nameof(gateway));
        var scope = gateway is null ? RtMessages.ScopeLink : RtMessages.ScopeUniverse;

        var request = _socket.BeginRequest(RtMessages.NewRoute, NetlinkHeader.Create | NetlinkHeader.Exclusive);
        request.WriteRouteHeader(family, (byte)prefixLength, RtMessages.TableMain,
            RtMessages.ProtocolStatic, scope, RtMessages.TypeUnicast);
        WriteRouteAttributes(ref request, destination, prefixLength, gateway, outputLinkIndex);
        _socket.Execute(ref request, "add route", DescribeRoute(destination, prefixLength, gateway, outputLinkIndex));
    }

    /// <summary>
    /// Deletes the main-table route matching the destination and, when given, the gateway and
    /// output link. No match is a NativeException with ESRCH.
    /// </summary>
    public void DeleteRoute(IPAddress destination, int prefixLength, IPAddress? gateway = null, int? outputLinkIndex = null)
    {
        var family = ValidateRoute(destination, prefixLength, gateway, outputLinkIndex);

        // Scope "nowhere", protocol and type unspecified: match whatever the route was added with.
        var request = _socket.BeginRequest(RtMessages.DelRoute);
        request.WriteRouteHeader(family, (byte)prefixLength, RtMessages.TableMain,
            RtMessages.ProtocolUnspecified, RtMessages.ScopeNowhere, RtMessages.TypeUnspecified);
        WriteRouteAttributes(ref request, destination, prefixLength, gateway, outputLinkIndex);
        _socket.Execute(ref request, "delete route", DescribeRoute(destination, prefixLength, gateway, outputLinkIndex));
    }

    private static byte ValidateRoute(IPAddress destination, int prefixLength, IPAddress? gateway, int? outputLinkIndex)
    {
        var family = AddressFamilies.Validate(destination, prefixLength, nameof(destination));
        if (gateway is not null && AddressFamilies.FamilyOf(gateway, nameof(gateway)) != family)
            throw new ArgumentException($"gateway {gateway} is not in the family of {destination}", nameof(gateway));
        if (outputLinkIndex is <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputLinkIndex), outputLinkIndex, "link indexes start at 1");
        return family;
    }

    private static void WriteRouteAttributes(
        ref NetlinkMessageWriter request, IPAddress destination, int prefixLength, IPAddress? gateway, int? outputLinkIndex)
    {
        request.AddAttribute(RtAttributes.RouteTable, (uint)RtMessages.TableMain);
        // A default route has no destination attribute, as iproute2 sends it.
        if (prefixLength > 0)
            request.AddAttribute(RtAttributes.RouteDestination, destination);
        if (gateway is not null)
            request.AddAttribute(RtAttributes.RouteGateway, gateway);
        if (outputLinkIndex is { } index)
            request.AddAttribute(RtAttributes.RouteOutputLink, (uint)index);
    }

    private static string DescribeRoute(IPAddress destination, int prefixLength, IPAddress? gateway, int? outputLinkIndex)
    {
        var text = new StringBuilder().Append(destination).Append('/').Append(prefixLength);
        if (gateway is not null)
            text.Append(" via ").Append(gateway);
        if (outputLinkIndex is { } index)
            text.Append(" dev #").Append(index);
        return text.ToString();
    }
}
