using System.Runtime.CompilerServices;
using Akka.Actor;
using Engine.Actors.Router;
using Engine.Actors.Routing;

namespace Engine.Actors.Fpm;

/// <summary>
/// zebra's FIB (<see cref="FpmRouteTable"/>) and what the route book is told of it: each batch of
/// updates applied, then the routes it may have changed resolved and sent as one batch. It keeps
/// no copy of what it told the book (the book holds the installed routes; the feed only the
/// inactive ones, with why), and resolves each distinct set of route attributes once per batch,
/// not once per route. Owned by the FPM server's actor, which calls it from its own thread.
/// </summary>
/// <param name="inactive">Told of each route that resolves nowhere, with why, as it is found so.</param>
internal sealed class FpmFibFeed(IActorRef routeBook, FpmRouteResolver resolver, FpmServerCounters counters, Action<IpPrefix, string> inactive)
{
    private readonly FpmRouteTable _table = new();
    // Why each of zebra's routes that resolve nowhere is inactive, for `engine routes`.
    private readonly Dictionary<IpPrefix, string> _inactive = [];

    /// <summary>zebra's routes, in every table.</summary>
    public int RouteCount => _table.RouteCount;

    /// <summary>zebra's routes in the main table, the ones the book may be told of.</summary>
    public int MainRouteCount => _table.MainRouteCount;

    public bool IsResyncing => _table.IsResyncing;

    /// <summary>The routes that resolve nowhere, with why.</summary>
    public IEnumerable<InactiveFpmRoute> Inactive => _inactive.Select(i => new InactiveFpmRoute(i.Key, i.Value));

    /// <summary>A connection began: what it does not send again before <see cref="EndResync"/> is swept then.</summary>
    public void BeginResync() => _table.BeginResync();

    /// <summary>Applies a batch of zebra's updates and tells the book what they changed.</summary>
    public void Take(List<FpmUpdate> updates)
    {
        var deleted = new List<FpmRouteKey>();
        Publish(Apply(updates, deleted), deleted);
    }

    /// <summary>Sweeps what the resync did not send again, and tells the book; returns what it swept.</summary>
    public FpmResyncResult EndResync()
    {
        var sweptRoutes = new List<FpmRouteKey>();
        var swept = _table.EndResync(sweptRoutes);
        if (swept.NextHopsSwept > 0) Publish(touched: null, sweptRoutes);
        else if (swept.RoutesSwept > 0) Publish([.. sweptRoutes.Where(k => k.Table == FpmRouteKey.MainTable).Select(k => k.Prefix)]);
        return swept;
    }

    /// <summary>zebra is gone for good: every route and next hop of it leaves the table and the book.</summary>
    public void WithdrawAll()
    {
        foreach (var route in _table.Routes.ToList())
            _table.Apply(new FpmRouteDelete(route.Key));
        foreach (var nextHop in _table.NextHops.ToList())
            _table.Apply(new FpmNextHopDelete(nextHop.Id));
        _inactive.Clear();
        counters.Installed = counters.Inactive = 0;
        routeBook.Tell(new ChangeRoutes(RouteSource.Fpm, []) { ClearFirst = true });
    }

    /// <summary>
    /// Applies the updates; returns the prefixes whose route may have changed, or null when every
    /// route may have (a next-hop object changed). The routes deleted go to <paramref name="deleted"/>
    /// as well: with next-hop groups, zebra deletes a group in the same write as its last route.
    /// </summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private HashSet<IpPrefix>? Apply(List<FpmUpdate> updates, List<FpmRouteKey> deleted)
    {
        HashSet<IpPrefix>? touched = [];
        foreach (var update in updates)
        {
            if (!_table.Apply(update)) continue;
            switch (update)
            {
                case FpmRouteAdd add when add.Route.Key.Table == FpmRouteKey.MainTable:
                    touched?.Add(add.Route.Key.Prefix);
                    break;
                case FpmRouteDelete delete when delete.Key.Table == FpmRouteKey.MainTable:
                    touched?.Add(delete.Key.Prefix);
                    deleted.Add(delete.Key);
                    break;
                case FpmNextHopAdd or FpmNextHopDelete:
                    touched = null;
                    break;
            }
        }
        return touched;
    }

    /// <summary>
    /// Tells the route book how the routes of <paramref name="touched"/> (all of zebra's main-table
    /// routes and <paramref name="gone"/> when null) stand now; the book ignores what it already holds.
    /// </summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Publish(HashSet<IpPrefix>? touched, IReadOnlyCollection<FpmRouteKey>? gone = null)
    {
        IEnumerable<IpPrefix> prefixes = touched ?? AllPrefixes(gone);
        var changes = new List<BatchedRouteChange>(touched?.Count ?? _table.MainRouteCount);
        var values = new List<TableRoute>();
        // A full table is a million routes over a few dozen attribute sets: each is resolved once,
        // and the book is sent each route it leads to once, with the prefixes that take it.
        var resolved = new Dictionary<FpmRouteAttributes, (int Value, string? Inactive)>(ReferenceEqualityComparer.Instance);
        foreach (var prefix in prefixes)
        {
            // An inactive route was never installed, so staying inactive is no news to the book.
            var wasInactive = _inactive.Remove(prefix);
            var value = -1;
            if (_table.AttributesOf(new FpmRouteKey(FpmRouteKey.MainTable, prefix)) is { } attributes)
            {
                if (!resolved.TryGetValue(attributes, out var outcome))
                    resolved.Add(attributes, outcome = Resolve(prefix, attributes, values));
                value = outcome.Value;
                if (outcome.Inactive is { } why)
                {
                    _inactive[prefix] = why;
                    inactive(prefix, why);
                }
            }
            if (value >= 0 || !wasInactive) changes.Add(new BatchedRouteChange(prefix, value));
        }
        counters.Inactive = _inactive.Count;
        counters.Installed = _table.MainRouteCount - _inactive.Count;
        if (changes.Count > 0) routeBook.Tell(new ChangeRouteBatch(RouteSource.Fpm, values, changes));
    }

    /// <summary>Resolves a route of <paramref name="attributes"/>: its index in <paramref name="values"/>, or -1 and why it is inactive.</summary>
    private (int Value, string? Inactive) Resolve(IpPrefix prefix, FpmRouteAttributes attributes, List<TableRoute> values)
    {
        var key = new FpmRouteKey(FpmRouteKey.MainTable, prefix);
        if (resolver.Resolve(_table.Resolve(key, attributes), out var why) is not { } route)
            return (-1, why ?? "no path resolves");
        values.Add(route);
        return (values.Count - 1, null);
    }

    private IEnumerable<IpPrefix> AllPrefixes(IReadOnlyCollection<FpmRouteKey>? gone)
    {
        foreach (var prefix in _table.MainPrefixes)
            yield return prefix;
        // A route deleted and added again is among the table's own already.
        foreach (var key in gone ?? [])
            if (key.Table == FpmRouteKey.MainTable && _table.AttributesOf(key) is null) yield return key.Prefix;
    }
}
