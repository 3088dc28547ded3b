using Akka.Actor;
using Akka.Event;
using Engine.Actors.Metrics;
using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// Owns the routing table's sources (<see cref="RouteBook"/>): the lab's routes, runtime routes,
/// FPM, and the peer links' state that picks backups. It builds each snapshot on its own thread
/// (the default dispatcher, never the reactor) and hands the router whole snapshots
/// (<see cref="RoutesChanged"/>), so forwarding never waits for a table to be built. Changes are
/// coalesced: the first one after a publish starts a wait of <see cref="DefaultPublishDelay"/>, or
/// twice the last build's time when that is longer, and everything that arrives meanwhile goes
/// into the same snapshot. So a burst of a million updates builds the table a handful of times,
/// not a million, and building takes at most a third of the book's time while the burst lasts.
/// Once no change has come for <see cref="DefaultPublishDelay"/> (or half the last build's time,
/// when that is longer), though, the snapshot is built at once: a burst that has ended gains
/// nothing from the wait, and its last snapshot then follows its last change by that quiet time,
/// not by up to twice a full table's build.
/// </summary>
/// <remarks>
/// The lab starts it before the peers, which report their links to it, and installs the lab's
/// table once every port exists (<see cref="InstallRoutes"/>); what arrives before that waits.
/// </remarks>
public sealed class RouteBookActor : UntypedActor, IWithTimers, IWithUnboundedStash
{
    public static readonly TimeSpan DefaultPublishDelay = TimeSpan.FromMilliseconds(25);

    private readonly IActorRef _router;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly TimeSpan _publishDelay;
    private readonly RouteCounts? _counts;
    // The book lives in the Props' state, so a restarted instance goes on from every source's
    // routes and the table a reload installed, not from an empty book or the lab's first table.
    private readonly RouteBookState _state;
    private bool _pending;
    private TimeSpan _lastBuild;
    private readonly MemoryReturn _memoryReturn = new();

    public RouteBookActor(IActorRef router, RouteTable? lab, TimeSpan publishDelay, RouteCounts? counts, RouteBookState state)
    {
        _router = router;
        _publishDelay = publishDelay;
        _counts = counts;
        _state = state;
        if (lab is not null && state.Book is null) Self.Tell(new InstallRoutes(lab));
    }

    /// <param name="lab">The lab's table, or null to wait for <see cref="InstallRoutes"/>.</param>
    /// <param name="counts">Where the routes per source are kept for metrics after each build, if anywhere.</param>
    public static Props Props(IActorRef router, RouteTable? lab = null, TimeSpan? publishDelay = null, RouteCounts? counts = null)
    {
        var state = new RouteBookState();
        return Akka.Actor.Props.Create(() => new RouteBookActor(router, lab, publishDelay ?? DefaultPublishDelay, counts, state));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public IStash Stash { get; set; } = null!;

    protected override void OnReceive(object message)
    {
        if (_state.Book is null)
        {
            if (message is not InstallRoutes install)
            {
                Stash.Stash();
                return;
            }
            // The lab's table goes to the router at once: nothing forwards before it.
            _state.Book = new RouteBook(install.Table);
            Publish();
            Stash.UnstashAll();
            return;
        }
        switch (message)
        {
            case ChangeRoutes change:
                var changed = change.ClearFirst && _state.Book.Clear(change.Source);
                foreach (var (prefix, route) in change.Changes)
                    changed |= route is { } added ? _state.Book.Set(change.Source, added) : _state.Book.Remove(change.Source, prefix);
                if (changed) PublishSoon();
                break;
            case ChangeRouteBatch batch:
                _memoryReturn.Changed(batch.Changes.Count);
                if (_state.Book.Apply(batch)) PublishSoon();
                break;
            case PortLinkChanged link:
                if (_state.Book.SetLink(link.Port, link.Up)) PublishSoon();
                break;
            case SetRuntimeRoute set:
                var existed = _state.Book.Has(RouteSource.Runtime, set.Prefix);
                if (set.Route is { } runtime ? _state.Book.Set(RouteSource.Runtime, runtime) : _state.Book.Remove(RouteSource.Runtime, set.Prefix)) PublishSoon();
                Sender.Tell(new RuntimeRouteSet(existed, _state.Book.Winner(set.Prefix)?.Source));
                break;
            case ReplaceLabRoutes replace:
                // At once, not coalesced: a reload waits for the router to forward under it.
                _state.Book.ReplaceLab(replace.Table);
                Publish();
                _router.Tell(new RouterSync(replace.ReplyTo, LabRoutesReplaced.Instance));
                break;
            case GetRouteBookView:
                Sender.Tell(new RouteBookView([.. _state.Book.All().Select(r => new BookRoute(r.Route, r.Installed))], new HashSet<int>(_state.Book.DownPorts)));
                break;
            case PublishRoutes:
                Publish();
                if (_memoryReturn.IsDue) Timers.StartSingleTimer("return-memory", ReturnMemory.Instance, MemoryReturn.Settle);
                break;
            case ReturnMemory:
                _memoryReturn.Collect(_log);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void PublishSoon()
    {
        // Quiet for half the last build: a pause of a few milliseconds within a burst (the feed's
        // thread descheduled, a collection) is not its end, and each early publish copies the table's nodes.
        Timers.StartSingleTimer("quiet", PublishRoutes.Instance, _lastBuild / 2 > _publishDelay ? _lastBuild / 2 : _publishDelay);
        if (_pending) return;
        _pending = true;
        // The quiet timer restarts with every change; this one bounds the wait under a steady stream.
        Timers.StartSingleTimer("publish", PublishRoutes.Instance, _lastBuild * 2 > _publishDelay ? _lastBuild * 2 : _publishDelay);
    }

    private void Publish()
    {
        _pending = false;
        Timers.Cancel("quiet");
        Timers.Cancel("publish");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var snapshot = _state.Book!.Build();
        _lastBuild = System.Diagnostics.Stopwatch.GetElapsedTime(started);
        if (_counts is not null)
            foreach (var source in Enum.GetValues<RouteSource>())
                _counts.Set(source, _state.Book.Count(source));
        _router.Tell(new RoutesChanged(snapshot));
    }

    private sealed class PublishRoutes
    {
        public static readonly PublishRoutes Instance = new();
    }

    private sealed class ReturnMemory
    {
        public static readonly ReturnMemory Instance = new();
    }
}

/// <summary>What the route book was given, kept outside the actor (in its Props) so that a restart does not lose it; touched only by the book, on its thread.</summary>
public sealed class RouteBookState
{
    public RouteBook? Book { get; set; }
}

/// <summary>The lab's own routes over its ports, once every port exists; peer ports start down until their link reports up.</summary>
public sealed record InstallRoutes(RouteTable Table);

/// <summary>
/// A reloaded lab's table in place of the lab's own (<see cref="RouteBook.ReplaceLab"/>), published
/// at once; <paramref name="ReplyTo"/> hears <see cref="LabRoutesReplaced"/> once the router forwards under it.
/// </summary>
public sealed record ReplaceLabRoutes(RouteTable Table, IActorRef ReplyTo);

/// <summary>The router forwards under the table <see cref="ReplaceLabRoutes"/> gave.</summary>
public sealed class LabRoutesReplaced
{
    public static readonly LabRoutesReplaced Instance = new();
}

/// <summary>
/// Changes to <paramref name="Source"/>'s routes, applied in order: a route adds or replaces the
/// one to its prefix, a null withdraws it. <see cref="ClearFirst"/> withdraws all of the source's
/// routes before the changes (a resync's or grace's end, say).
/// </summary>
public sealed record ChangeRoutes(RouteSource Source, IReadOnlyList<RouteChange> Changes)
{
    public bool ClearFirst { get; init; }
}

/// <summary>
/// Changes to many of <paramref name="Source"/>'s routes that lead to few distinct routes (an FPM
/// batch), applied in order: each names its prefix and the index of its route in
/// <paramref name="Values"/> (whose prefixes do not matter), or -1 to withdraw it. A million routes
/// are then a million small entries and a few dozen values, not a million full routes in a mailbox.
/// </summary>
public sealed record ChangeRouteBatch(RouteSource Source, IReadOnlyList<TableRoute> Values, IReadOnlyList<BatchedRouteChange> Changes)
{
    /// <summary>The changes one by one, as <see cref="ChangeRoutes"/> has them.</summary>
    public IEnumerable<RouteChange> Expand() =>
        Changes.Select(c => new RouteChange(c.Prefix, c.Value < 0 ? null : Values[c.Value] with { Prefix = c.Prefix }));
}

/// <summary>A prefix of <see cref="ChangeRouteBatch"/> and the index of its route there, or -1 to withdraw it.</summary>
public readonly record struct BatchedRouteChange(IpPrefix Prefix, int Value);

/// <summary>Adds or replaces (a route) or withdraws (null) the runtime route to <paramref name="Prefix"/>; answered with <see cref="RuntimeRouteSet"/>.</summary>
public sealed record SetRuntimeRoute(IpPrefix Prefix, TableRoute? Route);

/// <summary>Whether a runtime route to the prefix existed before, and which source's route is installed for it now.</summary>
public sealed record RuntimeRouteSet(bool Existed, RouteSource? Installed);

/// <summary>One prefix's route from a source, or null to withdraw it.</summary>
public readonly record struct RouteChange(IpPrefix Prefix, TableRoute? Route);
