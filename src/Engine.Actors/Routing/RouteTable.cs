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
            if (route.Backup is not null && route.Via.Port == port)
                return true;
        return false;
    }

    public RouteSnapshot Resolve(IReadOnlySet<int> downPorts) =>
        RouteSnapshot.Of(Ports, Routes.Select(r => (r.Prefix, r.Backup is { } backup && downPorts.Contains(r.Via.Port) ? backup : r.Via)), Rules);
}

/// <summary>A route of <see cref="RouteTable"/>: prefix, next hop, and the next hop while the first's port is down, if any.</summary>
public readonly record struct TableRoute(IpPrefix Prefix, NextHop Via, NextHop? Backup = null)
{
    /// <summary>A route to a port, its destinations on that link, with a backup port or -1.</summary>
    public TableRoute(IpPrefix Prefix, int Via, int Backup = -1)
        : this(Prefix, new NextHop(Via), Backup >= 0 ? new NextHop(Backup) : null)
    {
    }
}
