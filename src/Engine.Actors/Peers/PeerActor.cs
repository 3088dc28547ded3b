using System.Net;
using System.Runtime.ExceptionServices;
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
/// by connecting (<see cref="PeerLinkSlot"/>). A peer with a <c>namespace</c> opens its sockets on
/// a thread that enters the namespace, and the actor, like every port, waits for nothing meanwhile
/// (<see cref="Handoff{T}"/>); connecting and binding, which do not block, happen here. Runs on
/// the reactor dispatcher: its links and the reactor's readiness calls share the one thread.
/// </summary>
public sealed class PeerActor : UntypedActor, IWithTimers
{
    /// <summary>How long a listener that could not take a connection waits before it tries again.</summary>
    private static readonly TimeSpan AcceptRetry = TimeSpan.FromMilliseconds(500);

    private readonly PeerSpec _spec;
    private readonly PeerLinkContext _context;
    private readonly Backoff _backoff;
    private readonly AllowList _allow;
    private readonly LinkStateAnnouncer _linkState;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PeerLinkSlot _links = new();
    private readonly PeerLinkTimers _linkTimers;
    private readonly AttemptLogger _attempts;
    private Acceptor? _acceptor;
    private Dialer? _dialer;
    private Handoff<NativeSocket>? _opening;

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
        _linkTimers = new PeerLinkTimers(spec);
        _attempts = new AttemptLogger(_log, "peer {Peer}: {Count} more attempts to connect within {Seconds} s, not logged one by one", spec.Name);
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
        _links.Dispose();
        _dialer?.Dispose();
        _opening?.Abandon();
        _acceptor?.Dispose();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FrameBatch batch:
                Send(batch);
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
            case LinkUp up when up.Link == _links.Candidate:
                Promote(up.Link);
                break;
            case LinkDown down when down.Link == _links.Candidate:
                _links.ForgetCandidate();
                LogAttempt(warning: false, "peer {Peer}: new connection from {Remote} closed before it came up: {Reason}", down.Link.Remote, down.Reason);
                break;
            case LinkUp up when up.Link == _links.Live:
                _backoff.Reset();
                LogAttempt(warning: false, "peer {Peer} up: {Remote} ({Framing}{Batching})", up.Remote, PeerNames.Of(_spec.Framing),
                    up.Link.Batching);
                _linkState.Up(up.Link);
                Context.System.EventStream.Publish(new PeerLinkUp(_spec.Name));
                break;
            case LinkDown down when down.Link == _links.Live:
                OnLinkDown(down);
                break;
            case LinkNotice notice:
                _log.Info("peer {Peer}: {What}", _spec.Name, notice.What);
                break;
            case LinkRefused refused:
                LogAttempt(warning: true, "peer {Peer}: refused {Remote}: {Reason}", refused.Link.Remote, refused.Reason);
                break;
            case LinkMoved moved when moved.Link == _links.Live:
                _log.Info("peer {Peer}: remote {From} -> {To} ({Why})", _spec.Name, moved.From, moved.To, moved.Why);
                break;
            case DatagramRefused refused:
                // The link admitted the line against the attempt log already.
                _log.Warning("peer {Peer}: refused a datagram from {Source}: {Reason}", _spec.Name, refused.Source, refused.Reason);
                break;
            case AttemptsHeld:
                _attempts.CountLater(Timers);
                break;
            case GetPortState:
                Sender.Tell(State());
                break;
            case LinkUp or LinkDown or LinkMoved:
                break; // from a link already replaced
            default:
                if (!PeerLinkTimers.Handle(message, Timers, _links) && !_attempts.Handle(message)) Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// Logs a line about one attempt to reach this peer (refused, replacing the link, coming up
    /// or going down), unless too many came within the window: whoever connects in a loop gets a
    /// few lines a second. The template's first hole is the peer's name.
    /// </summary>
    private void LogAttempt(bool warning, string template, params object[] args) => _attempts.Write(Timers, warning, template, args);

    private void Send(FrameBatch batch)
    {
        if (_links.TrySend(batch)) return;
        _context.Counters.AddDrop(DropReason.PortDown, batch.Count);
        batch.Release();
    }

    private void StartLink(PeerLink link)
    {
        _links.Start(link);
        _linkTimers.Start(Timers);
    }

    private void OnLinkDown(LinkDown down)
    {
        var wasUp = _linkState.Down();
        _links.LiveDown(down.Link);
        if (wasUp) LogAttempt(warning: true, "peer {Peer} down: {Remote}: {Reason}", down.Link.Remote, down.Reason);
        else LogAttempt(warning: false, "peer {Peer}: link to {Remote} closed before it came up: {Reason}", down.Link.Remote, down.Reason);
        // A UDP link closes only when its socket failed: a new socket takes over, listening or not.
        if (_links.Live is null && (_spec.IsClient || _spec.Transport == PeerTransport.Udp)) ScheduleRedial(down.Reason, announce: false);
    }

    /// <summary>Binds the listener; a port that is taken is a lab that cannot run, so this throws.</summary>
    private void Listen()
    {
        var endpoint = _spec.Listen!;
        var socket = PeerSockets.Open(_spec, endpoint, PeerSockets.Describe(_spec, endpoint, "listening on"));
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog: 16);
            _acceptor = new Acceptor(_context.Reactor, socket, Self, _allow);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _log.Info("peer {Peer}: listening on {Endpoint} ({Transport}, {Framing})", _spec.Name, endpoint,
            PeerNames.Of(_spec.Transport), PeerNames.Of(_spec.Framing));
    }

    private void OnAccepted(Accepted accepted)
    {
        PeerSockets.Tune(_spec, accepted.Socket);
        var link = new StreamLink(accepted.Socket, _context, accepted.Remote);
        if (_links.IsUp && _spec.Framing == PeerFraming.Engine)
        {
            // The working link stays until the newcomer proves itself.
            _links.StartCandidate(link);
            return;
        }
        if (_links.CloseLive() is { } old)
        {
            LogAttempt(warning: false, "peer {Peer}: new connection from {Remote} replaces the one from {Old}", accepted.Remote, old.Remote);
            _linkState.Down();
        }
        StartLink(link);
    }

    /// <summary>The newer connection completed its handshake: it takes over from the old one.</summary>
    private void Promote(PeerLink candidate)
    {
        LogAttempt(warning: false, "peer {Peer}: {Remote} replaces {Old}", candidate.Remote, _links.Live?.Remote ?? "nothing");
        _links.Promote();
        _backoff.Reset();
        _linkState.Up(candidate);
    }

    private void Dial() => OpenSocket(_spec.Connect!, PeerSockets.Describe(_spec, _spec.Connect!, "to"));

    private void OpenSocket(EndPoint endpoint, string description) =>
        _opening = Handoff<NativeSocket>.Start(PeerSockets.OpenAsync(_spec, endpoint, description), Self, socket => socket.Dispose());

    private void OnSocketOpened(HandoffDone done)
    {
        var socket = _opening!.Take();
        _opening = null;
        if (done.Failure is not null)
        {
            if (done.Failure is not NativeException) ExceptionDispatchInfo.Throw(done.Failure);
            ScheduleRedial(done.Failure.Message);
        }
        else if (_spec.Transport != PeerTransport.Udp) Connect(socket!);
        else
        {
            try
            {
                StartDatagramLink(socket!);
            }
            catch (NativeException e)
            {
                ScheduleRedial(e.Message);
            }
        }
    }

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
        StartLink(new DatagramLink(socket, _context, connected: _spec.Connect is not null, _allow, _attempts.Attempts));
    }

    private PortState State()
    {
        if (_links.State() is { } linked) return linked;
        if (_dialer is not null || _opening is not null) return new PortState("connecting", _spec.Connect?.ToString());
        if (_acceptor is not null) return new PortState("listening");
        return new PortState("down", _spec.Connect?.ToString());
    }

    private sealed class ResumeAccepting
    {
        public static readonly ResumeAccepting Instance = new();
    }

    private sealed class Redial
    {
        public static readonly Redial Instance = new();
    }
}
