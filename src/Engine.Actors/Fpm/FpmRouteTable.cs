using System.Diagnostics.CodeAnalysis;
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
    private readonly Dictionary<FpmRouteKey, Announced<FpmRouteAttributes>> _routes = [];
    private readonly InternPool<FpmRouteAttributes> _attributes = new();
    private readonly Dictionary<uint, Announced<FpmNextHopObject>> _nextHops = [];
    private int _generation;
    private bool _resyncing;

    public int RouteCount => _routes.Count;

    /// <summary>Routes in RT_TABLE_MAIN, the only table the engine installs from.</summary>
    public int MainRouteCount { get; private set; }
    public int NextHopCount => _nextHops.Count;

    /// <summary>Whether a resync has begun and not yet ended.</summary>
    public bool IsResyncing => _resyncing;

    /// <summary>The routes as announced (a next-hop id not yet replaced by its paths).</summary>
    public IEnumerable<FpmRoute> Routes => _routes.Select(r => r.Value.Value.For(r.Key));

    /// <summary>The keys of the routes held, without making a route of each.</summary>
    public IEnumerable<FpmRouteKey> Keys => _routes.Keys;

    /// <summary>Distinct attributes the routes share (for sizing and tests).</summary>
    internal int DistinctAttributes => _attributes.Count;

    public IEnumerable<FpmNextHopObject> NextHops => _nextHops.Values.Select(n => n.Value);

    /// <summary>Every route with its paths resolved.</summary>
    public IEnumerable<FpmFibEntry> Fib => _routes.Select(r => FpmNextHopResolver.Resolve(r.Key, r.Value.Value, FindNextHop));

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
        var found = _routes.TryGetValue(key, out var announced);
        route = found ? announced.Value.For(key) : null;
        return found;
    }

    /// <summary>The shared attributes of the route under <paramref name="key"/>, or null.</summary>
    public FpmRouteAttributes? AttributesOf(FpmRouteKey key) => _routes.TryGetValue(key, out var announced) ? announced.Value : null;

    /// <summary>The route under <paramref name="key"/> with its paths resolved, or null.</summary>
    public FpmFibEntry? Lookup(FpmRouteKey key) =>
        _routes.TryGetValue(key, out var announced) ? Resolve(key, announced.Value) : null;

    /// <summary>What a route of <paramref name="attributes"/> under <paramref name="key"/> forwards to, with its next-hop object resolved.</summary>
    public FpmFibEntry Resolve(FpmRouteKey key, FpmRouteAttributes attributes) => FpmNextHopResolver.Resolve(key, attributes, FindNextHop);

    /// <summary>Marks every route and next-hop object; what is announced before <see cref="EndResync"/> is kept.</summary>
    public void BeginResync()
    {
        _generation++;
        _resyncing = true;
    }

    /// <summary>Removes what was not announced since <see cref="BeginResync"/>; does nothing outside a resync.</summary>
    /// <param name="sweptRoutes">Where the keys of the routes swept go, if anywhere.</param>
    public FpmResyncResult EndResync(ICollection<FpmRouteKey>? sweptRoutes = null)
    {
        if (!_resyncing)
            return default;
        _resyncing = false;
        var routes = Sweep(_routes, (key, attributes) =>
        {
            Forget(key, attributes);
            sweptRoutes?.Add(key);
        });
        return new FpmResyncResult(routes, Sweep(_nextHops, release: null));
    }

    private bool AnnounceRoute(FpmRoute route)
    {
        var attributes = FpmRouteAttributes.Of(route);
        ref var held = ref CollectionsMarshal.GetValueRefOrAddDefault(_routes, route.Key, out var existed);
        if (existed && held.Value.Equals(attributes))
        {
            held = held with { Generation = _generation };
            return false;
        }
        if (existed) _attributes.Release(held.Value);
        else if (route.Key.Table == FpmRouteKey.MainTable) MainRouteCount++;
        held = new Announced<FpmRouteAttributes>(_attributes.Acquire(attributes), _generation);
        return true;
    }

    private bool RemoveRoute(FpmRouteKey key)
    {
        if (!_routes.Remove(key, out var old)) return false;
        Forget(key, old.Value);
        return true;
    }

    private void Forget(FpmRouteKey key, FpmRouteAttributes attributes)
    {
        _attributes.Release(attributes);
        if (key.Table == FpmRouteKey.MainTable) MainRouteCount--;
    }

    private FpmNextHopObject? FindNextHop(uint id) => _nextHops.TryGetValue(id, out var announced) ? announced.Value : null;

    private bool Announce<TKey, TValue>(Dictionary<TKey, Announced<TValue>> entries, TKey key, TValue value)
        where TKey : notnull
        where TValue : class, IEquatable<TValue>
    {
        var changed = !entries.TryGetValue(key, out var old) || !old.Value.Equals(value);
        entries[key] = new Announced<TValue>(value, _generation);
        return changed;
    }

    private int Sweep<TKey, TValue>(Dictionary<TKey, Announced<TValue>> entries, Action<TKey, TValue>? release) where TKey : notnull
    {
        var swept = 0;
        foreach (var (key, entry) in entries)
        {
            if (entry.Generation != _generation && entries.Remove(key))
            {
                release?.Invoke(key, entry.Value);
                swept++;
            }
        }
        return swept;
    }

    /// <summary>An entry and the resync generation in which zebra last announced it.</summary>
    private readonly record struct Announced<T>(T Value, int Generation);
}
