using System.Diagnostics;
using System.Net;
using Akka.Actor;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Control;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Devices;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// Owns one socket peer: its listener or its dialling, and the one live link. Frames the router
/// sends go out over the link while it is up and are dropped and counted (port-down) while it
/// is not; the router is told when the link comes and goes, so routes with a backup can switch.
/// A client redials with jittered exponential backoff; a server takes the newest allowed
/// connection (a peer that restarted replaces its dead one), but with the engine framing only
/// once the newcomer has completed its handshake, so a stranger cannot cut off a working link
/// by connecting. Runs on the reactor dispatcher:
/// its links and the reactor's readiness calls share the one thread.
/// </summary>
public sealed partial class PeerActor : UntypedActor, IWithTimers
{
    private readonly PeerSpec _spec;
    private readonly PeerLinkContext _context;
    private readonly Backoff _backoff;
    private readonly AllowList _allow;
    private readonly LinkStateAnnouncer _linkState;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private PeerLink? _link;
    private PeerLink? _candidate; // a newer connection still in its handshake
    private Acceptor? _acceptor;
    private Dialer? _dialer;
    private readonly AttemptLog _attempts = new();

    public PeerActor(PeerSpec spec, int port, PortCounters counters, PeerEnvironment environment, Backoff backoff)
    {
        _spec = spec;
        _backoff = backoff;
        _allow = new AllowList(spec.Allow);
        _context = new PeerLinkContext(environment.Reactor, environment.Pool, environment.Router, Self, port, counters,
            spec, environment.NodeName, environment.PortNames, spec.Mtu ?? environment.DefaultMtu,
            SendBudget.Bytes(spec, environment.Pool, environment.PeerCount), new FrameFaults(_log, "peer " + spec.Name))
        {
            EthernetPorts = environment.EthernetPorts ?? new HashSet<int>(),
        };
        _linkState = new LinkStateAnnouncer(_context, environment.RouteBook, Context.System.EventStream);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(PeerSpec spec, int port, PortCounters counters, PeerEnvironment environment)
    {
        var backoff = new Backoff(spec.ReconnectMin, spec.ReconnectMax);
        return Akka.Actor.Props.Create(() => new PeerActor(spec, port, counters, environment, backoff));
    }

    protected override void PreStart()
    {
        if (_spec.Transport == PeerTransport.Udp) OpenDatagramLink();
        else if (_spec.IsClient) Dial();
        else Listen();
        Context.Parent.Tell(new PeerStarted(_spec.Name, _context.Port));
    }

    protected override void PostStop()
    {
        _link?.Dispose();
        _candidate?.Dispose();
        _dialer?.Dispose();
        _opening?.Abandon();
        _acceptor?.Dispose();
        _link = null;
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FrameBatch batch:
                Send(batch);
                break;
            case Tick when _link is null && _candidate is null:
                Timers.Cancel("tick"); // a listener waiting for a connection has nothing to keep alive
                break;
            case Tick:
                _link?.Tick();
                _candidate?.Tick();
                break;
            case CheckStall:
                OnCheckStall();
                break;
            case Dialed dialed:
                _dialer = null;
                StartLink(new StreamLink(dialed.Socket, _context, _spec.Connect!.ToString()!));
                break;
            case DialFailed failed:
                _dialer = null;
                ScheduleRedial(failed.Reason);
                break;
            case Redial when _spec.Transport == PeerTransport.Udp:
                Reopen();
                break;
            case Redial:
                Dial();
                break;
            case HandoffDone done when ReferenceEquals(done.Handoff, _opening):
                OnSocketOpened(done);
                break;
            case Accepted accepted:
                OnAccepted(accepted);
                break;
            case AcceptPaused paused:
                _log.Warning("peer {Peer}: cannot take a connection on {Endpoint} ({Reason}); trying again in {Ms} ms",
                    _spec.Name, _spec.Listen, paused.Reason, (int)AcceptRetry.TotalMilliseconds);
                Timers.StartSingleTimer("accept", ResumeAccepting.Instance, AcceptRetry);
                break;
            case ResumeAccepting:
                _acceptor?.Resume();
                break;
            case ConnectionRefused refused:
                _context.Counters.AddDrop(DropReason.Unauthenticated);
                LogAttempt(warning: true, "peer {Peer}: refused a connection from {Remote}: {Reason}", refused.Remote, refused.Reason);
                break;
            case LinkUp up when up.Link == _candidate:
                Promote(_candidate);
                break;
            case LinkDown down when down.Link == _candidate:
                _candidate = null;
                LogAttempt(warning: false, "peer {Peer}: new connection from {Remote} closed before it came up: {Reason}", down.Link.Remote, down.Reason);
                break;
            case LinkUp up when up.Link == _link:
                _backoff.Reset();
                LogAttempt(warning: false, "peer {Peer} up: {Remote} ({Framing}{Batching})", up.Remote, PeerNames.Of(_spec.Framing),
                    up.Link.Batching);
                _linkState.Up(up.Link);
                Context.System.EventStream.Publish(new PeerLinkUp(_spec.Name));
                break;
            case LinkDown down when down.Link == _link:
                OnLinkDown(down);
                break;
            case LinkNotice notice:
                _log.Info("peer {Peer}: {What}", _spec.Name, notice.What);
                break;
            case LinkRefused refused:
                LogAttempt(warning: true, "peer {Peer}: refused {Remote}: {Reason}", refused.Link.Remote, refused.Reason);
                break;
            case LinkMoved moved when moved.Link == _link:
                _log.Info("peer {Peer}: remote {From} -> {To} ({Why})", _spec.Name, moved.From, moved.To, moved.Why);
                break;
            case DatagramRefused refused:
                // The link admitted the line against the attempt log already.
                _log.Warning("peer {Peer}: refused a datagram from {Source}: {Reason}", _spec.Name, refused.Source, refused.Reason);
                break;
            case AttemptsHeld:
                Timers.StartSingleTimer(LogHeldAttempts.Instance, LogHeldAttempts.Instance, AttemptLog.Window);
                break;
            case LogHeldAttempts:
                _log.Warning("peer {Peer}: {Count} more attempts to connect within {Seconds} s, not logged one by one",
                    _spec.Name, _attempts.TakeHeld(), AttemptLog.Window.TotalSeconds);
                break;
            case GetPortState:
                Sender.Tell(State());
                break;
            case LinkUp or LinkDown or LinkMoved:
                break; // from a link already replaced
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// Logs a line about one attempt to reach this peer (refused, replacing the link, coming up
    /// or going down), unless too many came within the window (<see cref="AttemptLog"/>): whoever
    /// connects in a loop gets a few lines a second. The template's first hole is the peer's name.
    /// </summary>
    private void LogAttempt(bool warning, string template, params object[] args)
    {
        if (_attempts.Admit(Environment.TickCount64, out var firstHeld))
        {
            object[] withPeer = [_spec.Name, .. args];
            if (warning) _log.Warning(template, withPeer);
            else _log.Info(template, withPeer);
        }
        else if (firstHeld)
            Self.Tell(AttemptsHeld.Instance);
    }

    private void Send(FrameBatch batch)
    {
        if (_link is { IsUp: true } link)
        {
            link.Send(batch);
            return;
        }
        _context.Counters.AddDrop(DropReason.PortDown, batch.Count);
        batch.Release();
    }

    private void StartLink(PeerLink link)
    {
        _link = link;
        link.Start();
        StartTicks();
        StartStallChecks();
    }

    /// <summary>
    /// Keepalives and the dead-peer check, while there is a link. The ticks fall on multiples of
    /// their period on the machine's monotonic clock, so every peer of one keepalive, in this
    /// engine and in the others on the machine, ticks in the same wake-up.
    /// </summary>
    private void StartTicks()
    {
        if (_spec.Framing != Topology.PeerFraming.Engine || Timers.IsTimerActive("tick")) return;
        var period = TimeSpan.FromTicks(_spec.Keepalive.Ticks / 2);
        Timers.StartPeriodicTimer("tick", Tick.Instance, UntilGrid(period), period);
    }

    /// <summary>The time to the next multiple of <paramref name="period"/> on CLOCK_MONOTONIC, which every process shares.</summary>
    private static TimeSpan UntilGrid(TimeSpan period) => TimeSpan.FromTicks(period.Ticks - Stopwatch.GetElapsedTime(0).Ticks % period.Ticks);

    private void OnLinkDown(LinkDown down)
    {
        var wasUp = _linkState.Down();
        if (down.Link.IsClosed) _link = null;
        if (wasUp) LogAttempt(warning: true, "peer {Peer} down: {Remote}: {Reason}", down.Link.Remote, down.Reason);
        else LogAttempt(warning: false, "peer {Peer}: link to {Remote} closed before it came up: {Reason}", down.Link.Remote, down.Reason);
        // A UDP link closes only when its socket failed: a new socket takes over, listening or not.
        if (_link is null && (_spec.IsClient || _spec.Transport == PeerTransport.Udp)) ScheduleRedial(down.Reason, announce: false);
    }

    private void Dial() => OpenSocket(_spec.Connect!, PeerSockets.Describe(_spec, _spec.Connect!, "to"));

    /// <summary>Starts connecting <paramref name="socket"/>, opened for dialling; the dialler waits on the reactor for the rest.</summary>
    private void Connect(NativeSocket socket)
    {
        var endpoint = _spec.Connect!;
        try
        {
            PeerSockets.Tune(_spec, socket);
            if (socket.Connect(endpoint)) Self.Tell(new Dialed(socket));
            else _dialer = new Dialer(_context.Reactor, socket, Self);
        }
        catch (NativeException e)
        {
            socket.Dispose();
            ScheduleRedial(e.Message);
        }
    }

    /// <param name="announce">Log the first failure of a run; false when the link's going down was logged already.</param>
    private void ScheduleRedial(string reason, bool announce = true)
    {
        var delay = _backoff.NextDelay();
        // The first failure is news; the rest of a run of them is the same news.
        if (announce && _backoff.Failures <= 1) _log.Warning("peer {Peer}: cannot {What} {Endpoint}: {Reason}; retrying with backoff up to {MaxMs} ms",
            _spec.Name, _spec.Transport == PeerTransport.Udp ? "open a socket for" : "reach", (object?)_spec.Connect ?? _spec.Listen, reason,
            (int)_spec.ReconnectMax.TotalMilliseconds);
        else _log.Debug("peer {Peer}: redial in {DelayMs} ms ({Reason})", _spec.Name, (int)delay.TotalMilliseconds, reason);
        Timers.StartSingleTimer("redial", Redial.Instance, delay);
    }

    private void Reopen() => OpenSocket(PeerSockets.DatagramLocal(_spec), PeerSockets.DescribeDatagram(_spec));

    /// <summary>Opens the UDP socket at start, where failing is fatal.</summary>
    private void OpenDatagramLink() => StartDatagramLink(PeerSockets.Open(_spec, PeerSockets.DatagramLocal(_spec), PeerSockets.DescribeDatagram(_spec)));

    private void StartDatagramLink(NativeSocket socket)
    {
        PeerSockets.SetUpDatagram(_spec, socket);
        _log.Info("peer {Peer}: udp {Local}{Remote} ({Framing})", _spec.Name, _spec.Listen?.ToString() ?? "(any port)",
            _spec.Connect is null ? ", waiting for the peer" : " <-> " + _spec.Connect, PeerNames.Of(_spec.Framing));
        StartLink(new DatagramLink(socket, _context, connected: _spec.Connect is not null, _allow, _attempts));
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class Redial
    {
        public static readonly Redial Instance = new();
    }

    private sealed class LogHeldAttempts
    {
        public static readonly LogHeldAttempts Instance = new();
    }
}

/// <summary>A peer's socket is open: listening, bound (UDP) or dialling. The lab is up once every device and peer is.</summary>
public sealed record PeerStarted(string Name, int Port);

/// <summary>What every peer actor shares: the reactor, the buffer pool, the router, and the ports it announces.</summary>
/// <param name="DefaultMtu">The MTU of a peer whose spec names none.</param>
/// <param name="PeerCount">How many peers share the pool's part for send queues (<see cref="SendBudget"/>).</param>
/// <param name="EthernetPorts">The ports whose frames carry an Ethernet header, announced as such to a controller; none when null.</param>
public sealed record PeerEnvironment(Engine.Native.Reactor.Reactor Reactor, FrameBatchPool Pool, IActorRef Router, string NodeName,
    IReadOnlyList<string> PortNames, int DefaultMtu, int PeerCount = 1, IReadOnlySet<int>? EthernetPorts = null)
{
    /// <summary>Told when the link goes up or down, to take routes to their backups and back (<see cref="Router.RouteBookActor"/>).</summary>
    public IActorRef? RouteBook { get; init; }
}
