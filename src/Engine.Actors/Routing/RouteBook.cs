using System.Runtime.CompilerServices;
using Engine.Actors.Router;
using Engine.Actors.Rules;

namespace Engine.Actors.Routing;

/// <summary>
/// Every source's routes (<see cref="RouteSource"/>: the lab's connected and static routes, runtime
/// routes, FPM) and the peer links that are down, from which it builds the snapshot the router
/// forwards under. For a prefix that several sources hold, the lowest distance wins; a route with
/// a backup takes it while its port's link is down, and a multipath route leaves out its paths
/// over down links while another is up. A snapshot is edited from the last one with the prefixes
/// changed since (<see cref="SnapshotEditor"/>), and built whole only when link state, the lab or
/// a whole source changed; the owner still batches changes (<see cref="RouteBookActor"/>) so that a
/// burst makes a few snapshots, not one per change.
/// Each prefix holds a reference to a route value shared by every prefix with the same one
/// (<see cref="SharedRoute"/>): a full table's million routes lead to a few dozen values.
/// </summary>
public sealed class RouteBook
{
    private static readonly int SourceCount = Enum.GetValues<RouteSource>().Length;

    // Past this many changed prefixes between snapshots, a whole build is cheaper than keeping them.
    private const int MaxChanged = 1 << 21;

    // A table that has more than doubled since its last whole build (by more than this) is built whole
    // again: while a table is being loaded, each publish's edit would copy most of its nodes, and
    // building at each doubling costs at most twice the last build in all.
    private const int GrowthBeforeWholeBuild = 4096;
    private long _routesAtBuild;

    private IReadOnlyList<Port> _ports;
    private RuleTable? _rules;
    private readonly PrefixMap<SharedRoute>[] _sources;
    private readonly InternPool<SharedRoute> _values = new();
    private readonly HashSet<int> _downPorts = [];
    // Next hops keep their numbers from one snapshot to the next, so multipath groups carry over.
    private NextHopIndex _hopNumbers;
    // The last snapshot, to edit with the prefixes changed since (each with whether it had a route
    // then); null, or _rebuild, when the next must be built whole.
    private SnapshotEditor? _editor;
    private bool _rebuild;
    private readonly ChangedPrefixes _changed = new();

    /// <summary>A book of the lab's routes; peer ports start down until their link reports up.</summary>
    public RouteBook(RouteTable lab)
    {
        _ports = lab.Ports;
        _rules = lab.Rules;
        _hopNumbers = new NextHopIndex(_ports.Count);
        _sources = new PrefixMap<SharedRoute>[SourceCount];
        for (var i = 0; i < SourceCount; i++)
            _sources[i] = new PrefixMap<SharedRoute>();
        foreach (var route in lab.Routes)
            Set(route.Source, route);
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
        Clear(RouteSource.Connected);
        Clear(RouteSource.Static);
        foreach (var route in lab.Routes)
            Set(route.Source, route);
        var retired = _ports.Where(p => p.IsRetired).Select(p => p.Index).ToHashSet();
        foreach (var source in Enum.GetValues<RouteSource>())
            foreach (var (prefix, _) in _sources[(int)source].Entries.Where(r => Leads(r.Value.Route, retired)).ToList())
                Remove(source, prefix);
        foreach (var port in _ports)
        {
            if (port.IsRetired || !port.IsPeer) _downPorts.Remove(port.Index);
            else if (port.Index >= before.Count || !ReferenceEquals(before[port.Index], port)) _downPorts.Add(port.Index);
        }
        // Next-hop numbers are per port: a lab with other ports numbers them afresh.
        _hopNumbers = new NextHopIndex(_ports.Count);
        _editor = null;
    }

    private static bool Leads(TableRoute route, HashSet<int> ports) =>
        ports.Count > 0 && (ports.Contains(route.Via.Port) || route.Backup is { } backup && ports.Contains(backup.Port)
            || (route.Paths?.Any(p => ports.Contains(p.Hop.Port)) ?? false));

    /// <summary>Whether <paramref name="source"/> holds a route to <paramref name="prefix"/>.</summary>
    public bool Has(RouteSource source, IpPrefix prefix) => _sources[(int)source].ContainsKey(prefix);

    /// <summary>Adds or replaces <paramref name="source"/>'s route to <paramref name="route"/>'s prefix; false when it changed nothing.</summary>
    public bool Set(RouteSource source, TableRoute route)
    {
        return Set(source, route.Prefix, new SharedRoute(route with { Source = source }));
    }

    /// <summary>Applies an FPM batch: each of its few values is shared once, then set for its many prefixes.</summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Apply(ChangeRouteBatch batch)
    {
        var values = new SharedRoute[batch.Values.Count];
        for (var i = 0; i < values.Length; i++)
            values[i] = _values.Acquire(new SharedRoute(batch.Values[i] with { Source = batch.Source }));
        var changed = false;
        foreach (var (prefix, value) in batch.Changes)
            changed |= value < 0 ? Remove(batch.Source, prefix) : Set(batch.Source, prefix, values[value]);
        foreach (var value in values)
            _values.Release(value);
        return changed;
    }

    private bool Set(RouteSource source, IpPrefix prefix, SharedRoute route)
    {
        var value = _values.Acquire(route);
        var existed = _sources[(int)source].Set(prefix, value, out var held);
        if (existed)
        {
            _values.Release(held!);
            if (ReferenceEquals(held, value)) return false;
        }
        // The other sources are as they were, which is all Changing asks of them.
        Changing(prefix, source, existed);
        return true;
    }

    /// <summary>Withdraws <paramref name="source"/>'s route to <paramref name="prefix"/>; false when it had none.</summary>
    public bool Remove(RouteSource source, IpPrefix prefix)
    {
        if (!_sources[(int)source].Remove(prefix, out var old)) return false;
        Changing(prefix, source, held: true);
        _values.Release(old);
        return true;
    }

    /// <summary>Withdraws every route of <paramref name="source"/>; false when it had none.</summary>
    public bool Clear(RouteSource source)
    {
        var routes = _sources[(int)source];
        if (routes.Count == 0) return false;
        foreach (var value in routes.Values)
            _values.Release(value);
        routes.Clear();
        _rebuild = true;
        return true;
    }

    /// <summary>Records a peer link going up or down; true when a route's choice of next hop depends on it.</summary>
    public bool SetLink(int port, bool up)
    {
        if (!(up ? _downPorts.Remove(port) : _downPorts.Add(port))) return false;
        foreach (var value in _values.Values)
            if ((value.Route.Backup is not null && value.Route.Via.Port == port) || (value.Route.Paths?.Any(p => p.Hop.Port == port) ?? false)) return _rebuild = true;
        return false;
    }

    /// <summary>The route that wins for <paramref name="prefix"/>, if any source holds one.</summary>
    public TableRoute? Winner(IpPrefix prefix) => WinningRoute(prefix)?.For(prefix);

    private SharedRoute? WinningRoute(IpPrefix prefix)
    {
        // Most sources are empty or a few routes; a full table is in one. An empty one costs no probe.
        foreach (var routes in _sources)
            if (routes.Count > 0 && routes.TryGetValue(prefix, out var value)) return value;
        return null;
    }

    /// <summary>The peer ports whose link is down.</summary>
    public IReadOnlySet<int> DownPorts => _downPorts;

    /// <summary>Every source's routes, nearest source first, each with whether it is the one installed for its prefix.</summary>
    public IEnumerable<(TableRoute Route, bool Installed)> All()
    {
        for (var source = 0; source < _sources.Length; source++)
            foreach (var (prefix, value) in _sources[source].Entries)
                yield return (value.For(prefix), !HeldNearer(source, prefix));
    }

    private bool HeldNearer(int source, IpPrefix prefix)
    {
        for (var nearer = 0; nearer < source; nearer++)
            if (_sources[nearer].ContainsKey(prefix)) return true;
        return false;
    }

    /// <summary>The snapshot of the winning routes, with backups where their primary's link is down.</summary>
    public RouteSnapshot Build()
    {
        var routes = 0L;
        foreach (var source in _sources)
            routes += source.Count;
        var edit = _editor is not null && !_rebuild && routes <= 2 * _routesAtBuild + GrowthBeforeWholeBuild && !_editor.IsStale(_values.Holds);
        if (edit) _editor!.Edit(_changed);
        _changed.Clear();
        if (edit) return _editor!.Snapshot;

        _rebuild = false;
        _routesAtBuild = routes;
        WholeBuilds++;
        if (_editor is { HopsPiledUp: true })
        {
            _hopNumbers = new NextHopIndex(_ports.Count);
            _editor = null;
        }
        var values = new SnapshotValues(_hopNumbers, _editor?.GroupsBySet() ?? []);
        var editor = new SnapshotEditor(_ports, _rules, _downPorts, values, Winners(), WinningRoute);
        _editor = editor;
        if (values.MostlyStale)
        {
            _hopNumbers = new NextHopIndex(_ports.Count);
            _editor = null;
        }
        return editor.Snapshot;
    }

    /// <summary>Snapshots built whole rather than edited from the last, for tests.</summary>
    internal int WholeBuilds { get; private set; }

    /// <summary>
    /// Notes that <paramref name="prefix"/>'s routes change, for the next snapshot to be edited rather
    /// than built: whether it had a route in the last, if this is its first change since.
    /// </summary>
    /// <param name="held">Whether <paramref name="source"/> held a route to it before this change (the other sources have not changed).</param>
    private void Changing(IpPrefix prefix, RouteSource source, bool held)
    {
        if (_editor is null || _rebuild || _changed.Contains(prefix)) return;
        if (_changed.Count >= MaxChanged)
        {
            _rebuild = true;
            _changed.Clear();
            return;
        }
        _changed.Add(prefix, held || HeldElsewhere(prefix, (int)source));
    }

    private bool HeldElsewhere(IpPrefix prefix, int source)
    {
        for (var other = 0; other < _sources.Length; other++)
            if (other != source && _sources[other].Count > 0 && _sources[other].ContainsKey(prefix)) return true;
        return false;
    }

    private IEnumerable<(IpPrefix Prefix, SharedRoute Route)> Winners()
    {
        // Sources in order of distance: a prefix taken by a nearer one is skipped. Only the
        // sources before the last that holds routes need remembering, and they are the small ones.
        var last = Array.FindLastIndex(_sources, routes => routes.Count > 0);
        var taken = new HashSet<IpPrefix>();
        for (var source = 0; source <= last; source++)
        {
            foreach (var (prefix, value) in _sources[source].Entries)
            {
                if (source < last ? !taken.Add(prefix) : taken.Contains(prefix)) continue;
                yield return (prefix, value);
            }
        }
    }
}
