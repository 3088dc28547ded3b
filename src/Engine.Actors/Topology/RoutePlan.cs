using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// The routes a lab's engine installs: a connected route for each subnet of each routed device
/// (neither wired nor switched) and each switch's gateway subnet, through that port, then the
/// static routes. A static route of a connected prefix takes the connected route's place; a
/// prefix two ports are connected to goes through the first (devices in file order, then
/// switches). A next-hop address is on the port of the longest connected subnet holding it; one
/// that no connected subnet holds, or that is the engine's own address there, leaves its route
/// inactive. Used by <c>engine check</c>'s plan and by the lab that installs the table.
/// </summary>
public static class RoutePlan
{
    public static IReadOnlyList<PlannedRoute> Build(LabTopology lab)
    {
        var connected = ConnectedSubnets.Of(lab);
        var written = lab.Routes.ToDictionary(r => r.Prefix);
        var plan = new List<PlannedRoute>();
        // Connected routes first, a static route of a connected prefix in its place, then the other static routes.
        foreach (var route in connected.All)
            plan.Add(written.Remove(route.Subnet, out var over)
                ? Static(over, connected)
                : new PlannedRoute(route.Subnet, RouteOrigin.Connected, new RouteHop(route.Port), null, null));
        foreach (var route in lab.Routes)
            if (written.ContainsKey(route.Prefix))
                plan.Add(Static(route, connected));
        return plan;
    }

    private static PlannedRoute Static(RouteSpec route, ConnectedSubnets connected)
    {
        if (!route.Paths.IsEmpty)
            return Ecmp(route, connected);
        var via = Resolve(route.Via, route.NextHop, connected, out var inactive);
        RouteHop? backup = null;
        if (route.Backup is { } backupText && (backup = Resolve(backupText, route.BackupNextHop, connected, out var backupInactive)) is null && via is not null)
            inactive = backupInactive;
        RouteHop? replaces = connected.All.FirstOrDefault(c => c.Subnet.Equals(route.Prefix)) is { } same ? new RouteHop(same.Port) : null;
        return new PlannedRoute(route.Prefix, RouteOrigin.Static, via, backup, inactive, route, replaces);
    }

    /// <summary>A route over several next hops: those that resolve carry it (ECMP when two or more do); none, and it is inactive.</summary>
    private static PlannedRoute Ecmp(RouteSpec route, ConnectedSubnets connected)
    {
        var paths = new List<RouteHop>();
        string? inactive = null;
        foreach (var address in route.Paths)
        {
            if (connected.Resolve(address, out var why) is { } hop) paths.Add(hop);
            else inactive ??= why;
        }
        RouteHop? replaces = connected.All.FirstOrDefault(c => c.Subnet.Equals(route.Prefix)) is { } same ? new RouteHop(same.Port) : null;
        return new PlannedRoute(route.Prefix, RouteOrigin.Static, paths.Count > 0 ? paths[0] : null, null, paths.Count > 0 && inactive is null ? null : inactive, route, replaces)
        {
            Paths = paths,
        };
    }

    /// <summary>The port a via or backup leads to: the one it names, or the one whose connected subnet holds its next hop.</summary>
    private static RouteHop? Resolve(string text, IPAddress? nextHop, ConnectedSubnets connected, out string? inactive)
    {
        inactive = null;
        return nextHop is null ? new RouteHop(text) : connected.Resolve(nextHop, out inactive);
    }
}
