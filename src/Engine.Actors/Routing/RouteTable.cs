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
    /// <summary>The paths of a route with several (ECMP), which then stand for <see cref="Via"/>; null for one path.</summary>
    public EcmpGroup? Group { get; init; }

    /// <summary>A route to a port, its destinations on that link, with a backup port or -1.</summary>
    public TableRoute(IpPrefix Prefix, int Via, int Backup = -1)
        : this(Prefix, new NextHop(Via), Backup >= 0 ? new NextHop(Backup) : null)
    {
    }

    /// <summary>The next hop while the ports in <paramref name="downPorts"/> are down.</summary>
    public NextHop Resolve(IReadOnlySet<int> downPorts) => Backup is { } backup && downPorts.Contains(Via.Port) ? backup : Via;
}
