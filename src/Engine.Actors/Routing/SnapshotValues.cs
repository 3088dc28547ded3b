namespace Engine.Actors.Routing;

/// <summary>
/// The values a snapshot's LPM tables hold, being numbered: each distinct next hop once, and each
/// distinct multipath set once as a group after them. A group's value is known only once every next
/// hop is, so <see cref="ValueOf"/> gives groups a provisional negative value that
/// <see cref="Final"/> turns into the real one.
/// </summary>
internal sealed class SnapshotValues(int portCount)
{
    private readonly NextHopIndex _hops = new(portCount);
    private readonly Dictionary<PathSet, int> _groups = [];
    private readonly List<EcmpGroup> _groupList = [];
    private NextHop[]? _nextHops;

    /// <summary>The table value of <paramref name="route"/>: a next hop's index, or a provisional group value (negative).</summary>
    public int ValueOf(SnapshotRoute route)
    {
        if (route.Paths is not { Count: > 1 } paths || PathSet.Of(route.Prefix, paths, _hops) is not { } set)
            return _hops.IndexOf(route.Prefix, route.Paths is [var only] ? only.Hop : route.Hop);
        if (!_groups.TryGetValue(set, out var group))
        {
            _groups.Add(set, group = _groupList.Count);
            _groupList.Add(new EcmpGroup(set.Members));
        }
        return ~group;
    }

    /// <summary>Every next hop numbered so far; the numbering ends here.</summary>
    public NextHop[] NextHops => _nextHops ??= _hops.ToArray();

    public EcmpGroup[] Groups => [.. _groupList];

    /// <summary>The value a table holds for what <see cref="ValueOf"/> gave.</summary>
    public int Final(int value) => value >= 0 ? value : NextHops.Length + ~value;
}
