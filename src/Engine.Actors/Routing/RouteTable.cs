using Engine.Actors.Rules;

namespace Engine.Actors.Routing;

/// <summary>
/// The configured routes over a set of ports, before link state is applied: each route has a
/// next hop (a port, and a neighbour's address on it when the route names one) and may have a backup. <see cref="Resolve"/> turns it into the snapshot the forwarder
/// uses, taking the backup wherever the primary port's link is down. A route without a backup
/// keeps pointing at its down port, whose actor drops and counts what it gets.
/// </summary>
public sealed class RouteTable(IReadOnlyList<Port> ports, IReadOnlyList<TableRoute> routes, RuleTable? rules = null)
{
    public IReadOnlyList<Port> Ports { get; } = ports;
    public IReadOnlyList<TableRoute> Routes { get; } = routes;

    /// <summary>The rule table every snapshot carries, whatever the links' state.</summary>
    public RuleTable? Rules { get; } = rules;

    /// <summary>True when some route would change if <paramref name="port"/> went up or down.</summary>
    public bool DependsOn(int port)
    {
        foreach (var route in Routes)
        {
            if (route.Backup is not null && route.Via.Port == port)
                return true;
            if (route.Paths is { } paths && paths.Any(p => p.Hop.Port == port))
                return true;
        }
        return false;
    }

    public RouteSnapshot Resolve(IReadOnlySet<int> downPorts) => RouteSnapshot.Of(Ports, Routes.Select(r => r.Resolve(downPorts)), Rules);
}

/// <summary>
/// A route of <see cref="RouteTable"/>: prefix, next hop, and the next hop while the first's port is
/// down, if any; or, for a multipath route, its <see cref="Paths"/> (<see cref="Via"/> is then the
/// first's), of which those whose port is down are left out while another is up.
/// </summary>
public readonly record struct TableRoute(IpPrefix Prefix, NextHop Via, NextHop? Backup = null)
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
