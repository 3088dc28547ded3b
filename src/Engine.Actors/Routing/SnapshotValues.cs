namespace Engine.Actors.Routing;

/// <summary>
/// The values a snapshot's LPM tables hold, being numbered: each distinct next hop once, and each
/// distinct multipath set once as a group, from <see cref="RouteSnapshot.FirstGroupValue"/> on.
/// <see cref="ValueOf"/> gives groups a provisional negative value that <see cref="Final"/> turns
/// into the real one. The route book numbers next hops the same way in
/// every snapshot it builds (<see cref="NextHopIndex"/> kept across builds), so a multipath set
/// keeps its index set and its <see cref="EcmpGroup"/> can be taken over from the last snapshot
/// instead of drawn again: with 64 next hops, a full table has tens of thousands of distinct sets.
/// </summary>
internal sealed class SnapshotValues
{
    private readonly NextHopIndex _hops;
    private readonly Dictionary<PathSet, EcmpGroup>? _previousGroups;
    private readonly Dictionary<PathSet, int> _groups = [];
    private readonly List<EcmpGroup> _groupList = [];
    private readonly HashSet<int> _used = [];
    private NextHop[]? _nextHops;

    public SnapshotValues(int portCount) => _hops = new NextHopIndex(portCount);

    /// <summary>Number of next hops numbered so far.</summary>
    public int HopCount => _hops.Count;

    /// <summary>Number of groups numbered so far.</summary>
    public int GroupCount => _groupList.Count;

    /// <param name="hops">The numbering of the book's earlier snapshots, which this one continues.</param>
    /// <param name="previousGroups">The groups of the last snapshot numbered by <paramref name="hops"/>.</param>
    public SnapshotValues(NextHopIndex hops, Dictionary<PathSet, EcmpGroup> previousGroups)
    {
        _hops = hops;
        _previousGroups = previousGroups;
    }

    /// <summary>This snapshot's groups by their sets, for the next snapshot to take over.</summary>
    public Dictionary<PathSet, EcmpGroup> GroupsBySet() => _groups.ToDictionary(g => g.Key, g => _groupList[g.Value]);

    /// <summary>The table value of <paramref name="route"/>: a next hop's index, or a provisional group value (negative).</summary>
    public int ValueOf(SnapshotRoute route)
    {
        if (route.Paths is not { Count: > 1 } paths || PathSet.Of(route.Prefix, paths, _hops) is not { } set)
        {
            var hop = _hops.IndexOf(route.Prefix, route.Paths is [var only] ? only.Hop : route.Hop);
            _used.Add(hop);
            return hop;
        }
        foreach (var (index, _) in set.Members)
            _used.Add(index);
        if (!_groups.TryGetValue(set, out var group))
        {
            _groups.Add(set, group = _groupList.Count);
            _groupList.Add(_previousGroups?.GetValueOrDefault(set) ?? new EcmpGroup(set.Members));
        }
        return ~group;
    }

    /// <summary>
    /// Whether the numbering kept across builds holds many more next hops than this snapshot's routes
    /// lead to (routes moved to other neighbours): then the next build should number afresh.
    /// </summary>
    public bool MostlyStale => NextHops.Length > 2 * _used.Count + 16;

    /// <summary>Every next hop numbered so far (the same array while none is added).</summary>
    public NextHop[] NextHops => _nextHops is { } taken && taken.Length == _hops.Count ? taken : _nextHops = _hops.ToArray();

    public EcmpGroup[] Groups => [.. _groupList];

    /// <summary>The value a table holds for what <see cref="ValueOf"/> gave.</summary>
    public int Final(int value) => value >= 0 ? value : RouteSnapshot.FirstGroupValue + ~value;
}
