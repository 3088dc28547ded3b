using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Engine.Actors.Routing;

namespace Engine.Actors.Fpm;

/// <summary>
/// zebra's FIB as its FPM stream describes it: routes keyed by table and prefix, and next-hop
/// objects keyed by id, each update applied in order. A new route under a key replaces the old one
/// (with or without NLM_F_REPLACE). zebra resends its whole table on every new connection and never
/// says when it is done, nor deletes what went away while it was disconnected, so a resync marks
/// everything (<see cref="BeginResync"/>), each route or object announced again is unmarked, and
/// <see cref="EndResync"/> sweeps what is still marked. A route is held as its key and a reference to
/// attributes it shares with every route that says the same (<see cref="FpmRouteAttributes"/>), not
/// as an object of its own: a full table is a million routes over a few dozen next-hop sets.
/// </summary>
public sealed class FpmRouteTable
{
    // RT_TABLE_MAIN, a full table's million routes, keyed compactly; any other table zebra sends keyed whole.
    private readonly PrefixMap<Announcement> _main = new();
    private readonly Dictionary<FpmRouteKey, Announcement> _otherTables = [];
    // This generation's announcement of each distinct attributes: a route holds one reference, not a reference and a generation.
    private readonly Dictionary<FpmRouteAttributes, Announcement> _announcements = new(ReferenceEqualityComparer.Instance);
    private readonly InternPool<FpmRouteAttributes> _attributes = new();
    private readonly Dictionary<uint, Announced<FpmNextHopObject>> _nextHops = [];
    private int _generation;
    private bool _resyncing;

    public int RouteCount => _main.Count + _otherTables.Count;

    /// <summary>Routes in RT_TABLE_MAIN, the only table the engine installs from.</summary>
    public int MainRouteCount => _main.Count;
    public int NextHopCount => _nextHops.Count;

    /// <summary>Whether a resync has begun and not yet ended.</summary>
    public bool IsResyncing => _resyncing;

    /// <summary>The routes as announced (a next-hop id not yet replaced by its paths).</summary>
    public IEnumerable<FpmRoute> Routes => Entries.Select(r => r.Attributes.For(r.Key));

    /// <summary>The keys of the routes held, without making a route of each.</summary>
    public IEnumerable<FpmRouteKey> Keys => _main.Prefixes.Select(p => new FpmRouteKey(FpmRouteKey.MainTable, p)).Concat(_otherTables.Keys);

    /// <summary>The prefixes of the routes in RT_TABLE_MAIN.</summary>
    public IEnumerable<IpPrefix> MainPrefixes => _main.Prefixes;

    /// <summary>Distinct attributes the routes share (for sizing and tests).</summary>
    internal int DistinctAttributes => _attributes.Count;

    /// <summary>Announcements held for this generation (for tests: no more than the distinct attributes).</summary>
    internal int Announcements => _announcements.Count;

    public IEnumerable<FpmNextHopObject> NextHops => _nextHops.Values.Select(n => n.Value);

    /// <summary>Every route with its paths resolved.</summary>
    public IEnumerable<FpmFibEntry> Fib => Entries.Select(r => FpmNextHopResolver.Resolve(r.Key, r.Attributes, FindNextHop));

    private IEnumerable<(FpmRouteKey Key, FpmRouteAttributes Attributes)> Entries =>
        _main.Entries.Select(r => (new FpmRouteKey(FpmRouteKey.MainTable, r.Prefix), r.Value.Value))
            .Concat(_otherTables.Select(r => (r.Key, r.Value.Value)));

    /// <summary>
    /// Applies one update. False when it changed nothing: a delete of a route or object the table
    /// does not hold, or an add equal to what it holds (which still counts as announced in a resync).
    /// </summary>
    public bool Apply(FpmUpdate update)
    {
        switch (update)
        {
            case FpmRouteAdd add:
                return AnnounceRoute(add.Route);
            case FpmRouteDelete delete:
                return RemoveRoute(delete.Key);
            case FpmNextHopAdd add:
                return Announce(_nextHops, add.NextHop.Id, add.NextHop);
            case FpmNextHopDelete delete:
                return _nextHops.Remove(delete.Id);
            default:
                throw new ArgumentException($"unknown FPM update {update.GetType().Name}", nameof(update));
        }
    }

    public void Apply(IEnumerable<FpmUpdate> updates)
    {
        foreach (var update in updates)
            Apply(update);
    }

    public bool TryGetRoute(FpmRouteKey key, [MaybeNullWhen(false)] out FpmRoute route)
    {
        route = TryGet(key, out var announced) ? announced.Value.For(key) : null;
        return route is not null;
    }

    /// <summary>The shared attributes of the route under <paramref name="key"/>, or null.</summary>
    public FpmRouteAttributes? AttributesOf(FpmRouteKey key) => TryGet(key, out var announced) ? announced.Value : null;

    /// <summary>The route under <paramref name="key"/> with its paths resolved, or null.</summary>
    public FpmFibEntry? Lookup(FpmRouteKey key) =>
        TryGet(key, out var announced) ? Resolve(key, announced.Value) : null;

    /// <summary>What a route of <paramref name="attributes"/> under <paramref name="key"/> forwards to, with its next-hop object resolved.</summary>
    public FpmFibEntry Resolve(FpmRouteKey key, FpmRouteAttributes attributes) => FpmNextHopResolver.Resolve(key, attributes, FindNextHop);

    /// <summary>Marks every route and next-hop object; what is announced before <see cref="EndResync"/> is kept.</summary>
    public void BeginResync()
    {
        _generation++;
        _resyncing = true;
        _announcements.Clear();
    }

    /// <summary>Removes what was not announced since <see cref="BeginResync"/>; does nothing outside a resync.</summary>
    /// <param name="sweptRoutes">Where the keys of the routes swept go, if anywhere.</param>
    public FpmResyncResult EndResync(ICollection<FpmRouteKey>? sweptRoutes = null)
    {
        if (!_resyncing)
            return default;
        _resyncing = false;
        var routes = 0;
        foreach (var (prefix, entry) in _main.Entries)
        {
            if (entry.Generation == _generation) continue;
            _main.Remove(prefix, out _);
            Release(entry);
            sweptRoutes?.Add(new FpmRouteKey(FpmRouteKey.MainTable, prefix));
            routes++;
        }
        foreach (var (key, entry) in _otherTables)
        {
            if (entry.Generation == _generation) continue;
            _otherTables.Remove(key);
            Release(entry);
            sweptRoutes?.Add(key);
            routes++;
        }
        return new FpmResyncResult(routes, Sweep(_nextHops));
    }

    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool AnnounceRoute(FpmRoute route)
    {
        var attributes = FpmRouteAttributes.Of(route);
        if (TryGet(route.Key, out var held) && held.Value.Equals(attributes))
        {
            Hold(route.Key, Announce(held.Value));
            return false;
        }
        if (held is not null) Release(held);
        Hold(route.Key, Announce(_attributes.Acquire(attributes)));
        return true;
    }

    private void Hold(FpmRouteKey key, Announcement announcement)
    {
        if (key.Table == FpmRouteKey.MainTable) _main.Set(key.Prefix, announcement, out _);
        else _otherTables[key] = announcement;
    }

    private Announcement Announce(FpmRouteAttributes shared)
    {
        ref var announcement = ref CollectionsMarshal.GetValueRefOrAddDefault(_announcements, shared, out var exists);
        if (!exists) announcement = new Announcement(shared, _generation);
        return announcement!;
    }

    private void Release(Announcement announcement)
    {
        if (_attributes.Release(announcement.Value)) _announcements.Remove(announcement.Value);
    }

    private bool RemoveRoute(FpmRouteKey key)
    {
        var removed = key.Table == FpmRouteKey.MainTable ? _main.Remove(key.Prefix, out var old) : _otherTables.Remove(key, out old);
        if (removed) Release(old!);
        return removed;
    }

    private bool TryGet(FpmRouteKey key, [MaybeNullWhen(false)] out Announcement announced) =>
        key.Table == FpmRouteKey.MainTable ? _main.TryGetValue(key.Prefix, out announced) : _otherTables.TryGetValue(key, out announced);

    private FpmNextHopObject? FindNextHop(uint id) => _nextHops.TryGetValue(id, out var announced) ? announced.Value : null;

    private bool Announce<TKey, TValue>(Dictionary<TKey, Announced<TValue>> entries, TKey key, TValue value)
        where TKey : notnull
        where TValue : class, IEquatable<TValue>
    {
        var changed = !entries.TryGetValue(key, out var old) || !old.Value.Equals(value);
        entries[key] = new Announced<TValue>(value, _generation);
        return changed;
    }

    private int Sweep<TKey, TValue>(Dictionary<TKey, Announced<TValue>> entries) where TKey : notnull
    {
        var swept = 0;
        foreach (var (key, entry) in entries)
        {
            if (entry.Generation != _generation && entries.Remove(key))
                swept++;
        }
        return swept;
    }

    /// <summary>An entry and the resync generation in which zebra last announced it.</summary>
    private readonly record struct Announced<T>(T Value, int Generation);

    /// <summary>Attributes shared by routes zebra announced in the same resync generation.</summary>
    private sealed class Announcement(FpmRouteAttributes value, int generation)
    {
        public FpmRouteAttributes Value { get; } = value;
        public int Generation { get; } = generation;
    }
}
