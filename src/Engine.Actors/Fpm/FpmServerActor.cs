using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using Engine.Actors.Peers;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;
using Engine.Native.Namespaces;
using Engine.Native.Reactor;
using Engine.Native.Sockets;

namespace Engine.Actors.Fpm;

/// <summary>
/// The FPM server: takes zebra's connection (one at a time; a new one replaces the old), decodes
/// its stream into zebra's FIB (<see cref="FpmRouteTable"/>) and tells the route book what changed,
/// one batch per chunk received. It keeps no copy of what it told the book (the book holds the
/// installed routes; the server only the inactive ones, with why), and resolves each distinct set
/// of route attributes once per batch, not once per route. Runs on the default dispatcher; the sockets are watched by the
/// reactor (<see cref="Acceptor"/>, <see cref="FpmConnection"/>), which hands it the bytes.
/// <list type="bullet">
/// <item>A stream that breaks its framing is counted and logged (at a rate limit) and its
/// connection closed; the routes received before stay, and zebra reconnects within 3 s.</item>
/// <item>zebra resends its whole table on every connection and never says when it is done: a
/// connection begins a resync, which ends, sweeping what was not resent, once the stream has been
/// quiet for <see cref="DefaultQuietPeriod"/>.</item>
/// <item>When the connection ends, zebra's routes stay for the lab's grace; then, unless a new
/// connection came, they are withdrawn.</item>
/// </list>
/// </summary>
public sealed class FpmServerActor : UntypedActor, IWithTimers
{
    /// <summary>
    /// zebra sends its table at once on connecting, frame after frame (a million routes in
    /// seconds), and after that only changes: two seconds without a byte means the resync is over.
    /// A resync slower than that is swept early, and what it had not resent yet comes back as it arrives.
    /// </summary>
    public static readonly TimeSpan DefaultQuietPeriod = TimeSpan.FromSeconds(2);

    private readonly FpmSpec _spec;
    private readonly string? _namespace;
    private readonly Reactor _reactor;
    private readonly IActorRef _routeBook;
    private readonly FpmRouteResolver _resolver;
    private readonly FpmServerCounters _counters;
    private readonly TimeSpan _quietPeriod;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly AttemptLog _attempts = new();
    private readonly FpmRouteTable _table = new();
    private readonly List<FpmUpdate> _updates = [];
    // Why each of zebra's routes that resolve nowhere is inactive, for `engine routes`.
    private readonly Dictionary<IpPrefix, string> _inactive = [];
    private Acceptor? _acceptor;
    private FpmConnection? _connection;
    private FpmStreamDecoder? _decoder;
    private int _connections;

    public FpmServerActor(FpmSpec spec, string? space, Reactor reactor, IActorRef routeBook, FpmRouteResolver resolver,
        FpmServerCounters counters, TimeSpan quietPeriod)
    {
        _spec = spec;
        _namespace = space;
        _reactor = reactor;
        _routeBook = routeBook;
        _resolver = resolver;
        _counters = counters;
        _quietPeriod = quietPeriod;
    }

    /// <param name="space">The namespace the socket opens in; null for the engine's own.</param>
    public static Props Props(FpmSpec spec, string? space, Reactor reactor, IActorRef routeBook, FpmRouteResolver resolver,
        FpmServerCounters counters, TimeSpan? quietPeriod = null) =>
        Akka.Actor.Props.Create(() => new FpmServerActor(spec, space, reactor, routeBook, resolver, counters, quietPeriod ?? DefaultQuietPeriod));

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Binds the listener; a port that is taken is a lab that cannot run, so this throws.</summary>
    protected override void PreStart()
    {
        var description = $"fpm listening on {_spec.Listen}";
        NativeSocket Open() => NativeSocket.Open(_spec.Listen, stream: true, description);
        var socket = _namespace is null ? Open() : NetworkNamespace.RunInside(_namespace, Open);
        try
        {
            socket.Bind(_spec.Listen);
            socket.Listen(backlog: 4);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var self = Self;
        var allow = new AllowList(_spec.Allow);
        // The reactor's registrations are made on its own thread.
        _reactor.Post(() => self.Tell(new Listening(new Acceptor(_reactor, socket, self, allow))));
        _log.Info("fpm: listening on {Endpoint} in {Namespace}", _spec.Listen, _namespace ?? "the engine's namespace");
    }

    protected override void PostStop()
    {
        var acceptor = _acceptor;
        var connection = _connection;
        _reactor.Post(() =>
        {
            connection?.Close("the engine stops", tellOwner: false);
            acceptor?.Dispose();
        });
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Listening listening:
                _acceptor = listening.Acceptor;
                break;
            case Accepted accepted:
                OnAccepted(accepted);
                break;
            case FpmBytes bytes when bytes.Connection == _connection?.Id:
                OnBytes(bytes.Bytes);
                break;
            case FpmBytes:
                break; // from a connection already replaced or closed
            case FpmConnectionClosed closed when closed.Connection == _connection?.Id:
                LogAttempt(warning: true, "fpm: connection {Connection} closed: {Reason}; zebra's {Routes} routes stay for {Grace}",
                    closed.Connection, closed.Reason, _table.MainRouteCount, DurationText.Format(_spec.Grace));
                Disconnected();
                break;
            case FpmConnectionClosed:
                break;
            case FpmLabReloaded reloaded:
                _resolver.Reload(reloaded.Connected, reloaded.Ports);
                break;
            case GetInactiveFpmRoutes:
                Sender.Tell(new InactiveFpmRoutes([.. _inactive.Select(i => new InactiveFpmRoute(i.Key, i.Value))]));
                break;
            case ResyncQuiet:
                EndResync();
                break;
            case GraceOver:
                Withdraw();
                break;
            case ConnectionRefused refused:
                _counters.RefusedSource();
                LogAttempt(warning: true, "fpm: refused a connection from {Remote}: {Reason}", refused.Remote, refused.Reason);
                break;
            case AcceptPaused paused:
                _log.Warning("fpm: cannot take a connection ({Reason}); trying again in 500 ms", paused.Reason);
                Timers.StartSingleTimer("accept", ResumeAccepting.Instance, TimeSpan.FromMilliseconds(500));
                break;
            case ResumeAccepting:
                if (_acceptor is { } acceptor) _reactor.Post(acceptor.Resume);
                break;
            case AttemptsHeld:
                Timers.StartSingleTimer(LogHeldAttempts.Instance, LogHeldAttempts.Instance, AttemptLog.Window);
                break;
            case LogHeldAttempts:
                _log.Warning("fpm: {Count} more connection events within {Seconds} s, not logged one by one", _attempts.TakeHeld(), AttemptLog.Window.TotalSeconds);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void OnAccepted(Accepted accepted)
    {
        if (_connection is { } old)
        {
            LogAttempt(warning: false, "fpm: a new connection from {Remote} replaces connection {Old}", accepted.Remote, old.Id);
            _reactor.Post(() => old.Close("replaced by a newer connection", tellOwner: false));
        }
        else
            LogAttempt(warning: false, "fpm: zebra connected from {Remote}; {Routes} routes from before are kept until its resync ends", accepted.Remote, _table.MainRouteCount);
        var connection = _connection = new FpmConnection(_reactor, accepted.Socket, Self, ++_connections);
        _decoder = new FpmStreamDecoder();
        _counters.Connected(_decoder.Counters);
        _resolver.ForgetLinkNames();
        _reactor.Post(connection.Start);
        Timers.Cancel("grace");
        _table.BeginResync();
        Timers.StartSingleTimer("quiet", ResyncQuiet.Instance, _quietPeriod);
    }

    private void OnBytes(byte[] bytes)
    {
        var connection = _connection!;
        _reactor.Post(connection.Acknowledge);
        _updates.Clear();
        var intact = _decoder!.Feed(bytes, _updates);
        Publish(Apply(_updates));
        if (_table.IsResyncing) Timers.StartSingleTimer("quiet", ResyncQuiet.Instance, _quietPeriod);
        if (intact) return;

        var reason = _decoder.CloseReason!.Value;
        _counters.ClosedFor(reason);
        LogAttempt(warning: true, "fpm: connection {Connection} broke its framing ({Reason}): closing it; the routes received so far stay",
            connection.Id, reason);
        _reactor.Post(() => connection.Close(reason.ToString(), tellOwner: false));
        Disconnected();
    }

    /// <summary>The connection is gone: a resync it had not finished stays open for the next one, and the grace starts.</summary>
    private void Disconnected()
    {
        _connection = null;
        _decoder = null;
        _counters.Retire();
        Timers.Cancel("quiet");
        Timers.StartSingleTimer("grace", GraceOver.Instance, _spec.Grace);
    }

    /// <summary>Applies the updates; returns the prefixes whose route may have changed, or null when every route may have (a next-hop object changed).</summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private HashSet<IpPrefix>? Apply(List<FpmUpdate> updates)
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
                    break;
                case FpmNextHopAdd or FpmNextHopDelete:
                    touched = null;
                    break;
            }
        }
        return touched;
    }

    private void EndResync()
    {
        var sweptRoutes = new List<FpmRouteKey>();
        var swept = _table.EndResync(sweptRoutes);
        _log.Info("fpm: resync done: {Routes} routes, {Swept} not resent withdrawn, {Inactive} inactive", _table.RouteCount, swept.RoutesSwept, _counters.Inactive);
        if (swept.NextHopsSwept > 0) Publish(touched: null, sweptRoutes);
        else if (swept.RoutesSwept > 0) Publish([.. sweptRoutes.Where(k => k.Table == FpmRouteKey.MainTable).Select(k => k.Prefix)]);
    }

    private void Withdraw()
    {
        if (_connection is not null) return;
        _counters.Expired();
        _log.Warning("fpm: zebra did not come back within {Grace}: withdrawing its {Routes} routes", DurationText.Format(_spec.Grace), _table.MainRouteCount);
        foreach (var route in _table.Routes.ToList())
            _table.Apply(new FpmRouteDelete(route.Key));
        foreach (var nextHop in _table.NextHops.ToList())
            _table.Apply(new FpmNextHopDelete(nextHop.Id));
        _inactive.Clear();
        _counters.Installed = _counters.Inactive = 0;
        _routeBook.Tell(new ChangeRoutes(RouteSource.Fpm, []) { ClearFirst = true });
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
                if (outcome.Inactive is { } inactive)
                {
                    _inactive[prefix] = inactive;
                    LogInactive(prefix, inactive);
                }
            }
            if (value >= 0 || !wasInactive) changes.Add(new BatchedRouteChange(prefix, value));
        }
        _counters.Inactive = _inactive.Count;
        _counters.Installed = _table.MainRouteCount - _inactive.Count;
        if (changes.Count > 0) _routeBook.Tell(new ChangeRouteBatch(RouteSource.Fpm, values, changes));
    }

    /// <summary>Resolves a route of <paramref name="attributes"/>: its index in <paramref name="values"/>, or -1 and why it is inactive.</summary>
    private (int Value, string? Inactive) Resolve(IpPrefix prefix, FpmRouteAttributes attributes, List<TableRoute> values)
    {
        var key = new FpmRouteKey(FpmRouteKey.MainTable, prefix);
        if (_resolver.Resolve(_table.Resolve(key, attributes), out var inactive) is not { } route)
            return (-1, inactive ?? "no path resolves");
        values.Add(route);
        return (values.Count - 1, null);
    }

    private IEnumerable<IpPrefix> AllPrefixes(IReadOnlyCollection<FpmRouteKey>? gone)
    {
        foreach (var prefix in _table.MainPrefixes)
            yield return prefix;
        foreach (var key in gone ?? [])
            if (key.Table == FpmRouteKey.MainTable) yield return key.Prefix;
    }

    private void LogInactive(IpPrefix prefix, string? reason) =>
        LogAttempt(warning: true, "fpm: route {Prefix} is inactive: {Reason}", prefix, reason ?? "no path resolves");

    private void LogAttempt(bool warning, string template, params object[] args)
    {
        if (_attempts.Admit(Environment.TickCount64, out var firstHeld))
        {
            if (warning) _log.Warning(template, args);
            else _log.Info(template, args);
        }
        else if (firstHeld)
            Self.Tell(AttemptsHeld.Instance);
    }

    private sealed record Listening(Acceptor Acceptor);

    private sealed class ResyncQuiet
    {
        public static readonly ResyncQuiet Instance = new();
    }

    private sealed class GraceOver
    {
        public static readonly GraceOver Instance = new();
    }

    private sealed class ResumeAccepting
    {
        public static readonly ResumeAccepting Instance = new();
    }

    private sealed class AttemptsHeld
    {
        public static readonly AttemptsHeld Instance = new();
    }

    private sealed class LogHeldAttempts
    {
        public static readonly LogHeldAttempts Instance = new();
    }
}
