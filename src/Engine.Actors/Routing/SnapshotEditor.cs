using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Actors.Rules;

namespace Engine.Actors.Routing;

/// <summary>
/// The route book's last snapshot, and what it takes to make the next one from the prefixes
/// changed since rather than from the whole table: the numbering of its values (each shared
/// route's table value, kept while the next hops stay as numbered) and editors of its IPv4 table
/// (<see cref="Ipv4PrefixTableEditor"/>), whose next table shares every node the changes did not
/// touch, and of its IPv6 table (<see cref="Ipv6PrefixTableEditor"/>), whose next table sweeps
/// again only the /20 blocks the changes lie in. Forwarding keeps swapping whole immutable
/// snapshots; a publish after a batch costs the batch.
/// </summary>
/// <remarks>
/// Values stay as numbered: a new next hop or group only adds one (groups' values start at a fixed
/// <see cref="RouteSnapshot.FirstGroupValue"/>). The book builds anew when link state or the lab
/// changed, and when values no longer used (routes gone, groups no prefix leads to) have piled up
/// (<see cref="IsStale"/>), not merely because there are more of them.
/// </remarks>
internal sealed class SnapshotEditor
{
    private readonly IReadOnlyList<Port> _ports;
    private readonly RuleTable? _rules;
    private readonly IReadOnlySet<int> _downPorts;
    private readonly SnapshotValues _values;
    private readonly Dictionary<SharedRoute, int> _numbered = new(ReferenceEqualityComparer.Instance);
    private readonly Func<IpPrefix, SharedRoute?> _winner;
    private int _numberedAtBuild;
    private int _groupsAtBuild;
    private readonly int _hopsAtBuild;
    private readonly Ipv4PrefixTableEditor _ipv4;
    private readonly Ipv6PrefixTableEditor _ipv6;
    private int _ipv4Count;

    /// <summary>Builds the snapshot of <paramref name="winners"/> whole.</summary>
    /// <param name="winner">The winning route of a prefix as the book holds it now, if any.</param>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SnapshotEditor(IReadOnlyList<Port> ports, RuleTable? rules, IReadOnlySet<int> downPorts, SnapshotValues values,
        IEnumerable<(IpPrefix Prefix, SharedRoute Route)> winners, Func<IpPrefix, SharedRoute?> winner)
    {
        _ports = ports;
        _rules = rules;
        _downPorts = downPorts;
        _values = values;
        _winner = winner;

        var ipv4 = new List<(IpPrefix Prefix, int Value)>();
        var ipv6 = new List<(IpPrefix Prefix, int Value)>();
        foreach (var (prefix, route) in winners)
        {
            // Each shared value is resolved and numbered once, however many prefixes lead to it.
            ref var value = ref CollectionsMarshal.GetValueRefOrAddDefault(_numbered, route, out var numbered);
            if (!numbered) value = values.ValueOf(route.For(prefix).Resolve(downPorts));
            (prefix.IsIPv6 ? ipv6 : ipv4).Add((prefix, value));
        }
        RouteSnapshot.Finish(ipv4, values);
        RouteSnapshot.Finish(ipv6, values);
        foreach (var route in _numbered.Keys.ToArray())
        {
            ref var value = ref CollectionsMarshal.GetValueRefOrNullRef(_numbered, route);
            value = values.Final(value);
        }
        _ipv4Count = ipv4.Count;
        (_numberedAtBuild, _groupsAtBuild, _hopsAtBuild) = (_numbered.Count, values.GroupCount, values.HopCount);
        Snapshot = new RouteSnapshot(ports, rules, values.NextHops, values.Groups,
            Ipv4PrefixTableBuilder.BuildUnique(ipv4), Ipv6PrefixTable.Build(ipv6));
        _ipv4 = new Ipv4PrefixTableEditor(Snapshot.Ipv4, Ipv4ValueOf);
        _ipv6 = new Ipv6PrefixTableEditor(Snapshot.Ipv6, ipv6);
    }

    /// <summary>The last snapshot built or edited.</summary>
    public RouteSnapshot Snapshot { get; private set; }

    /// <summary>
    /// Whether values no prefix uses any more (routes gone, groups no route leads to) have piled up,
    /// so it is time for a whole build. The values are counted again only once they have doubled
    /// since the last count: a table being loaded brings values no snapshot has had, and those are
    /// edited in, not a reason to build a million routes again at every doubling.
    /// </summary>
    /// <param name="inUse">Whether a route value is still one some prefix holds.</param>
    public bool IsStale(Func<SharedRoute, bool> inUse)
    {
        if (HopsPiledUp) return true;
        if (_numbered.Count <= 2 * _numberedAtBuild + 64 && _values.GroupCount <= 2 * _groupsAtBuild + 64) return false;

        var numbered = _numbered.Count;
        foreach (var route in _numbered.Keys)
            if (!inUse(route)) _numbered.Remove(route);
        var groupsInUse = new HashSet<int>();
        foreach (var value in _numbered.Values)
            if (value >= RouteSnapshot.FirstGroupValue) groupsInUse.Add(value);
        if (numbered > 2 * _numbered.Count + 64 || _values.GroupCount > 2 * groupsInUse.Count + 64) return true;
        (_numberedAtBuild, _groupsAtBuild) = (_numbered.Count, _values.GroupCount);
        return false;
    }

    /// <summary>Whether the next hops numbered have grown past those of the last whole build (routes moved to other neighbours), so that the next should number them afresh.</summary>
    public bool HopsPiledUp => _values.HopCount > 2 * _hopsAtBuild + 16;

    /// <summary>The groups by their sets, for the next whole build to take over.</summary>
    public Dictionary<PathSet, EcmpGroup> GroupsBySet() => _values.GroupsBySet();

    /// <summary>
    /// Makes the next <see cref="Snapshot"/> from the prefixes changed since the last one, each with
    /// whether it had a route in it.
    /// </summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Edit(ChangedPrefixes changed)
    {
        // Every changed prefix's value first, so that an edit finds the value of any shorter prefix it uncovers.
        foreach (var prefix in changed.Prefixes)
            if (_winner(prefix) is { } route) ValueOf(prefix, route);

        foreach (var (prefix, hadRoute) in changed.Entries)
        {
            var route = _winner(prefix);
            if (prefix.IsIPv6)
            {
                if (route is not null) _ipv6.Set(prefix, _numbered[route]);
                else if (hadRoute) _ipv6.Remove(prefix);
                continue;
            }
            _ipv4Count += (route is null ? 0 : 1) - (hadRoute ? 1 : 0);
            if (route is not null) _ipv4.Set(prefix.Ipv4Network, prefix.Length, _numbered[route]);
            else if (hadRoute) _ipv4.Remove(prefix.Ipv4Network, prefix.Length);
        }

        var last = Snapshot;
        var groups = _values.GroupCount == last.Groups.Length ? last.Groups : _values.Groups;
        Snapshot = new RouteSnapshot(_ports, _rules, _values.NextHops, groups, _ipv4.Publish(_ipv4Count), _ipv6.Publish());
    }

    /// <summary>The table value of a prefix's route, numbered now if it is new.</summary>
    private void ValueOf(IpPrefix prefix, SharedRoute route)
    {
        if (!_numbered.ContainsKey(route))
            _numbered.Add(route, _values.Final(_values.ValueOf(route.For(prefix).Resolve(_downPorts))));
    }

    private int Ipv4ValueOf(uint network, int length) =>
        _winner(IpPrefix.Ipv4(network, length)) is { } route ? _numbered[route] : Ipv4PrefixTable.NoMatch;
}
