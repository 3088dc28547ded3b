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
/// its stream and hands each chunk's updates to zebra's FIB (<see cref="FpmFibFeed"/>), which tells
/// the route book what changed. Runs on the default dispatcher; the sockets are watched by the
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
    private readonly AttemptLogger _attempts;
    private readonly FpmFibFeed _feed;
    private readonly List<FpmUpdate> _updates = [];
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
        _feed = new FpmFibFeed(routeBook, resolver, counters, LogInactive);
        _attempts = new AttemptLogger(_log, "fpm: {Count} more connection events within {Seconds} s, not logged one by one");
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
            case FpmBytes bytes:
                // From a connection already replaced or closed, the bytes are dropped.
                if (bytes.Connection == _connection?.Id) OnBytes(bytes.Bytes);
                bytes.Return();
                break;
            case FpmConnectionClosed closed when closed.Connection == _connection?.Id:
                LogAttempt(warning: true, "fpm: connection {Connection} closed: {Reason}; zebra's {Routes} routes stay for {Grace}",
                    closed.Connection, closed.Reason, _feed.MainRouteCount, DurationText.Format(_spec.Grace));
                Disconnected();
                break;
            case FpmConnectionClosed:
                break;
            case FpmLabReloaded reloaded:
                _resolver.Reload(reloaded.Connected, reloaded.Ports);
                break;
            case GetInactiveFpmRoutes:
                Sender.Tell(new InactiveFpmRoutes([.. _feed.Inactive]));
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
            default:
                if (!_attempts.Handle(message)) Unhandled(message);
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
            LogAttempt(warning: false, "fpm: zebra connected from {Remote}; {Routes} routes from before are kept until its resync ends", accepted.Remote, _feed.MainRouteCount);
        var connection = _connection = new FpmConnection(_reactor, accepted.Socket, Self, ++_connections);
        _decoder = new FpmStreamDecoder();
        _counters.Connected(_decoder.Counters);
        _resolver.ForgetLinkNames();
        _reactor.Post(connection.Start);
        Timers.Cancel("grace");
        _feed.BeginResync();
        Timers.StartSingleTimer("quiet", ResyncQuiet.Instance, _quietPeriod);
    }

    private void OnBytes(ReadOnlySpan<byte> bytes)
    {
        var connection = _connection!;
        _reactor.Post(connection.Acknowledge);
        _updates.Clear();
        var intact = _decoder!.Feed(bytes, _updates);
        _feed.Take(_updates);
        if (_feed.IsResyncing) Timers.StartSingleTimer("quiet", ResyncQuiet.Instance, _quietPeriod);
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

    private void EndResync()
    {
        var swept = _feed.EndResync();
        _log.Info("fpm: resync done: {Routes} routes, {Swept} not resent withdrawn, {Inactive} inactive", _feed.RouteCount, swept.RoutesSwept, _counters.Inactive);
    }

    private void Withdraw()
    {
        if (_connection is not null) return;
        _counters.Expired();
        _log.Warning("fpm: zebra did not come back within {Grace}: withdrawing its {Routes} routes", DurationText.Format(_spec.Grace), _feed.MainRouteCount);
        _feed.WithdrawAll();
    }

    private void LogInactive(IpPrefix prefix, string reason) =>
        LogAttempt(warning: true, "fpm: route {Prefix} is inactive: {Reason}", prefix, reason);

    private void LogAttempt(bool warning, string template, params object[] args) => _attempts.Write(Timers, warning, template, args);

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

}
