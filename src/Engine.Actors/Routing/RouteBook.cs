using Engine.Actors.Rules;

namespace Engine.Actors.Routing;

/// <summary>
/// Every source's routes (<see cref="RouteSource"/>: the lab's connected and static routes, runtime
/// routes, FPM) and the peer links that are down, from which it builds the snapshot the router
/// forwards under. For a prefix that several sources hold, the lowest distance wins; a route with
/// a backup takes it while its port's link is down, and a multipath route leaves out its paths
/// over down links while another is up. Building costs the size of the table, so the
/// owner batches changes (<see cref="RouteBookActor"/>) rather than building per change.
/// </summary>
public sealed class RouteBook
{
    private static readonly int SourceCount = Enum.GetValues<RouteSource>().Length;

    private IReadOnlyList<Port> _ports;
    private RuleTable? _rules;
    private readonly Dictionary<IpPrefix, TableRoute>[] _sources;
    private readonly HashSet<int> _downPorts = [];

    /// <summary>A book of the lab's routes; peer ports start down until their link reports up.</summary>
    public RouteBook(RouteTable lab)
    {
        _ports = lab.Ports;
        _rules = lab.Rules;
        _sources = new Dictionary<IpPrefix, TableRoute>[SourceCount];
        for (var i = 0; i < SourceCount; i++)
            _sources[i] = [];
        foreach (var route in lab.Routes)
            _sources[(int)route.Source][route.Prefix] = route;
        foreach (var port in _ports)
            if (port.IsPeer) _downPorts.Add(port.Index);
    }

    public int Count(RouteSource source) => _sources[(int)source].Count;

    /// <summary>
    /// Takes a reloaded lab's table: its ports (a removed port's place kept by a retired port),
    /// its rules, and its connected and static routes in place of the old ones. Runtime and FPM
    /// routes stay, except those through a retired port. A peer port that is new (or new again,
    /// recreated) starts down, as at start; an unchanged one keeps its link's state.
    /// </summary>
    public void ReplaceLab(RouteTable lab)
    {
        var before = _ports;
        _ports = lab.Ports;
        _rules = lab.Rules;
        _sources[(int)RouteSource.Connected].Clear();
        _sources[(int)RouteSource.Static].Clear();
        foreach (var route in lab.Routes)
            _sources[(int)route.Source][route.Prefix] = route;
        var retired = _ports.Where(p => p.IsRetired).Select(p => p.Index).ToHashSet();
        foreach (var routes in _sources)
            foreach (var (prefix, route) in routes.Where(r => Leads(r.Value, retired)).ToList())
                routes.Remove(prefix);
        foreach (var port in _ports)
        {
            if (port.IsRetired || !port.IsPeer) _downPorts.Remove(port.Index);
            else if (port.Index >= before.Count || !ReferenceEquals(before[port.Index], port)) _downPorts.Add(port.Index);
        }
    }

    private static bool Leads(TableRoute route, HashSet<int> ports) =>
        ports.Count > 0 && (ports.Contains(route.Via.Port) || route.Backup is { } backup && ports.Contains(backup.Port)
            || (route.Paths?.Any(p => ports.Contains(p.Hop.Port)) ?? false));

    /// <summary>Whether <paramref name="source"/> holds a route to <paramref name="prefix"/>.</summary>
    public bool Has(RouteSource source, IpPrefix prefix) => _sources[(int)source].ContainsKey(prefix);

    /// <summary>Adds or replaces <paramref name="source"/>'s route to <paramref name="route"/>'s prefix; false when it changed nothing.</summary>
    public bool Set(RouteSource source, TableRoute route)
    {
        route = route with { Source = source };
        var routes = _sources[(int)source];
        if (routes.TryGetValue(route.Prefix, out var old) && old == route) return false;
        routes[route.Prefix] = route;
        return true;
    }

    /// <summary>Withdraws <paramref name="source"/>'s route to <paramref name="prefix"/>; false when it had none.</summary>
    public bool Remove(RouteSource source, IpPrefix prefix) => _sources[(int)source].Remove(prefix);

    /// <summary>Withdraws every route of <paramref name="source"/>; false when it had none.</summary>
    public bool Clear(RouteSource source)
    {
        var routes = _sources[(int)source];
        if (routes.Count == 0) return false;
        routes.Clear();
        return true;
    }

    /// <summary>Records a peer link going up or down; true when a route's choice of next hop depends on it.</summary>
    public bool SetLink(int port, bool up)
    {
        if (!(up ? _downPorts.Remove(port) : _downPorts.Add(port))) return false;
        foreach (var routes in _sources)
            foreach (var route in routes.Values)
                if ((route.Backup is not null && route.Via.Port == port) || (route.Paths?.Any(p => p.Hop.Port == port) ?? false)) return true;
        return false;
    }

    /// <summary>The route that wins for <paramref name="prefix"/>, if any source holds one.</summary>
    public TableRoute? Winner(IpPrefix prefix)
    {
        foreach (var routes in _sources)
            if (routes.TryGetValue(prefix, out var route)) return route;
        return null;
    }

    /// <summary>The peer ports whose link is down.</summary>
    public IReadOnlySet<int> DownPorts => _downPorts;

    /// <summary>Every source's routes, nearest source first, each with whether it is the one installed for its prefix.</summary>
    public IEnumerable<(TableRoute Route, bool Installed)> All()
    {
        for (var source = 0; source < _sources.Length; source++)
            foreach (var route in _sources[source].Values)
                yield return (route, Winner(route.Prefix)?.Source == route.Source);
    }

    /// <summary>The snapshot of the winning routes, with backups where their primary's link is down.</summary>
    public RouteSnapshot Build() => RouteSnapshot.Of(_ports, Winners(), _rules);

    private IEnumerable<SnapshotRoute> Winners()
    {
        // Sources in order of distance: a prefix taken by a nearer one is skipped. Only the
        // sources before the last that holds routes need remembering, and they are the small ones.
        var last = Array.FindLastIndex(_sources, routes => routes.Count > 0);
        var taken = new HashSet<IpPrefix>();
        for (var source = 0; source <= last; source++)
        {
            foreach (var (prefix, route) in _sources[source])
            {
                if (source < last ? !taken.Add(prefix) : taken.Contains(prefix)) continue;
                yield return route.Resolve(_downPorts);
            }
        }
    }
}
