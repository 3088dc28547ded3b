using System.Diagnostics.CodeAnalysis;

namespace Engine.Actors.Fpm;

/// <summary>
/// zebra's FIB as its FPM stream describes it: routes keyed by table and prefix, and next-hop
/// objects keyed by id, each update applied in order. A new route under a key replaces the old one
/// (with or without NLM_F_REPLACE). zebra resends its whole table on every new connection and never
/// says when it is done, nor deletes what went away while it was disconnected, so a resync marks
/// everything (<see cref="BeginResync"/>), each route or object announced again is unmarked, and
/// <see cref="EndResync"/> sweeps what is still marked.
/// </summary>
public sealed class FpmRouteTable
{
    private readonly Dictionary<FpmRouteKey, Announced<FpmRoute>> _routes = [];
    private readonly Dictionary<uint, Announced<FpmNextHopObject>> _nextHops = [];
    private int _generation;
    private bool _resyncing;

    public int RouteCount => _routes.Count;
    public int NextHopCount => _nextHops.Count;

    /// <summary>Whether a resync has begun and not yet ended.</summary>
    public bool IsResyncing => _resyncing;

    /// <summary>The routes as announced (a next-hop id not yet replaced by its paths).</summary>
    public IEnumerable<FpmRoute> Routes => _routes.Values.Select(r => r.Value);

    public IEnumerable<FpmNextHopObject> NextHops => _nextHops.Values.Select(n => n.Value);

    /// <summary>Every route with its paths resolved.</summary>
    public IEnumerable<FpmFibEntry> Fib => _routes.Values.Select(r => FpmNextHopResolver.Resolve(r.Value, FindNextHop));

    /// <summary>
    /// Applies one update. False when it changed nothing: a delete of a route or object the table
    /// does not hold, or an add equal to what it holds (which still counts as announced in a resync).
    /// </summary>
    public bool Apply(FpmUpdate update)
    {
        switch (update)
        {
            case FpmRouteAdd add:
                return Announce(_routes, add.Route.Key, add.Route);
            case FpmRouteDelete delete:
                return _routes.Remove(delete.Key);
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
        route = announced.Value;
        return found;
    }

    /// <summary>The route under <paramref name="key"/> with its paths resolved, or null.</summary>
    public FpmFibEntry? Lookup(FpmRouteKey key) =>
        _routes.TryGetValue(key, out var announced) ? FpmNextHopResolver.Resolve(announced.Value, FindNextHop) : null;

    /// <summary>Marks every route and next-hop object; what is announced before <see cref="EndResync"/> is kept.</summary>
    public void BeginResync()
    {
        _generation++;
        _resyncing = true;
    }

    /// <summary>Removes what was not announced since <see cref="BeginResync"/>; does nothing outside a resync.</summary>
    public FpmResyncResult EndResync()
    {
        if (!_resyncing)
            return default;
        _resyncing = false;
        return new FpmResyncResult(Sweep(_routes), Sweep(_nextHops));
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
}
