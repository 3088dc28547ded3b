using System.Net;
using System.Net.Sockets;
using Akka.Event;
using Engine.Actors.Routing;
using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>The lab's active routes, connected and static (<see cref="RoutePlan"/>), as the router's table holds them.</summary>
internal static class LabRoutes
{
    /// <summary>Each active route with its ports' indices; an inactive one is logged, once, as the lab starts.</summary>
    public static List<TableRoute> Build(LabTopology lab, Func<string, int> portIndex, ILoggingAdapter log)
    {
        var routes = new List<TableRoute>();
        foreach (var route in RoutePlan.Build(lab))
        {
            if (route.Via is not { } via)
            {
                log.Warning("route {Prefix} via {NextHop} is inactive: {Reason}", route.Prefix, route.Written?.Via, route.Inactive);
                continue;
            }
            if (route.Paths is not null && route.Inactive is not null)
                log.Warning("route {Prefix} leaves out a path: {Reason}", route.Prefix, route.Inactive);
            var source = route.Origin == RouteOrigin.Connected ? RouteSource.Connected : RouteSource.Static;
            if (route.Paths is { Count: > 1 } paths)
                routes.Add(TableRoute.Multipath(IpPrefix.From(route.Prefix), [.. paths.Select(p => new EcmpPath(NextHopOf(p, portIndex)))]) with { Source = source });
            else
                routes.Add(new TableRoute(IpPrefix.From(route.Prefix), NextHopOf(via, portIndex), route.Backup is { } backup ? NextHopOf(backup, portIndex) : null, source));
        }
        return routes;
    }

    private static NextHop NextHopOf(RouteHop hop, Func<string, int> portIndex) =>
        new(portIndex(hop.Port), hop.Address is { } address ? AddressValue(address) : UInt128.Zero);

    /// <summary>An address as the router holds it: IPv4 in the low 32 bits, both big-endian numbers.</summary>
    internal static UInt128 AddressValue(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork
        ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())
        : System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(address.GetAddressBytes());
}
