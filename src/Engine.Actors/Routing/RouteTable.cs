using Engine.Actors.Rules;

namespace Engine.Actors.Routing;

/// <summary>
/// The configured routes over a set of ports, before link state is applied: each route has a
/// port and may have a backup. <see cref="Resolve"/> turns it into the snapshot the forwarder
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
            if (route.Backup >= 0 && route.Via == port)
                return true;
        return false;
    }

    public RouteSnapshot Resolve(IReadOnlySet<int> downPorts) =>
        new(Ports, Routes.Select(r => (r.Prefix, r.Backup >= 0 && downPorts.Contains(r.Via) ? r.Backup : r.Via)), Rules);
}

/// <summary>A route of <see cref="RouteTable"/>: prefix, port index, backup port index or -1.</summary>
public readonly record struct TableRoute(IpPrefix Prefix, int Via, int Backup = -1);
