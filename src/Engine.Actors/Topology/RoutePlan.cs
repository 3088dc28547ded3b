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
        if (route.Paths is { } paths)
            return Multipath(route, paths, connected);
        var via = Resolve(route.Via, route.NextHop, connected, out var inactive);
        RouteHop? backup = null;
        if (route.Backup is { } backupText && (backup = Resolve(backupText, route.BackupNextHop, connected, out var backupInactive)) is null && via is not null)
            inactive = backupInactive;
        return new PlannedRoute(route.Prefix, RouteOrigin.Static, via, backup, inactive, route, Replaces(route, connected));
    }

    /// <summary>The connected route a static route of the same prefix takes the place of, if any.</summary>
    private static RouteHop? Replaces(RouteSpec route, ConnectedSubnets connected) =>
        connected.All.FirstOrDefault(c => c.Subnet.Equals(route.Prefix)) is { } same ? new RouteHop(same.Port) : null;

    /// <summary>A multipath route over the paths that resolve; a path that resolves nowhere is left out, and said.</summary>
    private static PlannedRoute Multipath(RouteSpec route, IReadOnlyList<RouteTarget> paths, ConnectedSubnets connected)
    {
        var hops = new List<RouteHop>(paths.Count);
        var leftOut = new List<string>();
        foreach (var path in paths)
        {
            if (Resolve(path.Text, path.Address, connected, out var inactive) is { } hop)
                hops.Add(hop);
            else
                leftOut.Add(inactive!);
        }
        return new PlannedRoute(route.Prefix, RouteOrigin.Static, hops.Count > 0 ? hops[0] : null, null,
            leftOut.Count > 0 ? string.Join("; ", leftOut) : null, route, Replaces(route, connected)) { Paths = hops };
    }

    /// <summary>The port a via or backup leads to: the one it names, or the one whose connected subnet holds its next hop.</summary>
    private static RouteHop? Resolve(string text, IPAddress? nextHop, ConnectedSubnets connected, out string? inactive)
    {
        inactive = null;
        return nextHop is null ? new RouteHop(text) : connected.Resolve(nextHop, out inactive);
    }
}
