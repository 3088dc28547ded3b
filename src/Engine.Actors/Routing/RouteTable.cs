using Engine.Actors.Rules;

namespace Engine.Actors.Routing;

/// <summary>
/// The lab's routes over its ports, before link state is applied: each route has a next hop (a
/// port, and a neighbour's address on it when the route names one) and may have a backup, taken
/// while the primary port's link is down. The route book (<see cref="RouteBook"/>) starts from it.
/// </summary>
public sealed class RouteTable(IReadOnlyList<Port> ports, IReadOnlyList<TableRoute> routes, RuleTable? rules = null)
{
    public IReadOnlyList<Port> Ports { get; } = ports;
    public IReadOnlyList<TableRoute> Routes { get; } = routes;

    /// <summary>The rule table every snapshot carries, whatever the links' state.</summary>
    public RuleTable? Rules { get; } = rules;
}

/// <summary>
/// A route of <see cref="RouteTable"/>: prefix, next hop, and the next hop while the first's port
/// is down, if any; <see cref="Source"/> says where it came from.
/// </summary>
public readonly record struct TableRoute(IpPrefix Prefix, NextHop Via, NextHop? Backup = null, RouteSource Source = RouteSource.Static)
{
    /// <summary>The paths of a multipath route; null for a route of one next hop.</summary>
    public IReadOnlyList<EcmpPath>? Paths { get; init; }

    public static TableRoute Multipath(IpPrefix prefix, IReadOnlyList<EcmpPath> paths) =>
        paths.Count == 0 ? throw new ArgumentException($"route {prefix} has no paths", nameof(paths)) : new(prefix, paths[0].Hop) { Paths = paths };

    /// <summary>The route as a snapshot takes it while <paramref name="downPorts"/> are down.</summary>
    public SnapshotRoute Resolve(IReadOnlySet<int> downPorts)
    {
        if (Paths is { } paths)
        {
            var up = downPorts.Count == 0 ? paths : paths.Where(p => !downPorts.Contains(p.Hop.Port)).ToArray();
            return SnapshotRoute.Multipath(Prefix, up.Count > 0 ? up : paths);
        }
        return new SnapshotRoute(Prefix, Backup is { } backup && downPorts.Contains(Via.Port) ? backup : Via);
    }

    /// <summary>A route to a port, its destinations on that link, with a backup port or -1.</summary>
    public TableRoute(IpPrefix Prefix, int Via, int Backup = -1)
        : this(Prefix, new NextHop(Via), Backup >= 0 ? new NextHop(Backup) : null)
    {
    }
}
