using Akka.Actor;
using Akka.Event;
using Engine.Actors.Devices;
using Engine.Actors.Peers;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Reactor;
using Engine.Native.Sockets;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch's channel to one controller: it dials (non-blocking, on the reactor), speaks
/// through an <see cref="OpenFlowSession"/>, sends ECHO_REQUEST when the controller has been
/// quiet for an echo interval and closes after <see cref="OpenFlowSpec.DeadAfterIntervals"/> of
/// them, and redials with jittered exponential backoff whenever the connection ends. Runs on
/// the reactor dispatcher, so the connection's readiness calls and this actor share one thread.
/// A channel of a connection the controller made (<see cref="OpenFlowListener"/>) does not dial:
/// it speaks on that connection and stops when it ends. Over TLS (<c>ssl:</c>, <c>pssl:</c>), an
/// <see cref="OpenFlowTlsPump"/> does the handshake and the crypto on threads of its own and hands
/// back a socket that carries the plain OpenFlow, spoken as over TCP; a handshake that fails is
/// counted, logged (rate-limited) and redialled with the same backoff.
/// </summary>
public sealed class OpenFlowChannel : UntypedActor, IWithTimers
{
    private static readonly TimeSpan ReconnectMin = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ReconnectMax = TimeSpan.FromSeconds(8);

    private readonly OpenFlowEndpoint _controller;
    private readonly OpenFlowTlsCredentials? _tls;
    private string _name;
    private readonly OpenFlowSpec _spec;
    private readonly OpenFlowSwitchInfo _info;
    private readonly OpenFlowFlowTable _table;
    private readonly IOpenFlowDatapath? _datapath;
    private readonly Reactor _reactor;
    private readonly OpenFlowCounters _counters;
    private readonly Backoff _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private AttemptLogger _attempts;
    private Dialer? _dialer;
    private OpenFlowConnection? _connection;
    private OpenFlowSession? _session;
    private NativeSocket? _accepted;
    private OpenFlowTlsPump? _pump;

    public OpenFlowChannel(OpenFlowEndpoint controller, OpenFlowTlsCredentials? tls, OpenFlowSpec spec, OpenFlowSwitchInfo info, OpenFlowFlowTable table,
        IOpenFlowDatapath? datapath, Reactor reactor, OpenFlowCounters counters, Backoff backoff)
    {
        _controller = controller;
        _tls = controller.Tls ? tls : null;
        _name = controller.Describe();
        _spec = spec;
        _info = info;
        _table = table;
        _datapath = datapath;
        _reactor = reactor;
        _counters = counters;
        _backoff = backoff;
        _attempts = AttemptLoggerFor(_name);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="tls">The switch's credentials, for a controller over TLS; null when the lab has none.</param>
    public static Props Props(OpenFlowEndpoint controller, OpenFlowTlsCredentials? tls, OpenFlowSpec spec, OpenFlowSwitchInfo info, OpenFlowFlowTable table,
        IOpenFlowDatapath? datapath, Reactor reactor, OpenFlowCounters counters)
    {
        var backoff = new Backoff(ReconnectMin, ReconnectMax);
        return Akka.Actor.Props.Create(() => new OpenFlowChannel(controller, tls, spec, info, table, datapath, reactor, counters, backoff));
    }

    /// <summary>A channel on a connection a controller made to the engine's listener.</summary>
    public static Props PropsAccepted(NativeSocket socket, string remote, OpenFlowTlsCredentials? tls, OpenFlowSpec spec, OpenFlowSwitchInfo info,
        OpenFlowFlowTable table, IOpenFlowDatapath? datapath, Reactor reactor, OpenFlowCounters counters) =>
        Akka.Actor.Props.Create(() => new OpenFlowChannel(socket, remote, tls, spec, info, table, datapath, reactor, counters));

    public OpenFlowChannel(NativeSocket socket, string remote, OpenFlowTlsCredentials? tls, OpenFlowSpec spec, OpenFlowSwitchInfo info,
        OpenFlowFlowTable table, IOpenFlowDatapath? datapath, Reactor reactor, OpenFlowCounters counters)
        : this(spec.Listen!, tls, spec, info, table, datapath, reactor, counters, new Backoff(ReconnectMin, ReconnectMax))
    {
        _accepted = socket;
        _name = (_controller.Tls ? "pssl:" : "ptcp:") + remote;
        _attempts = AttemptLoggerFor(_name);
    }

    private AttemptLogger AttemptLoggerFor(string name) =>
        new(_log, "openflow {Controller}: {Count} more connections ended within {Seconds} s, not logged one by one", name);

    protected override void PreStart()
    {
        if (_accepted is { } socket) Reached(socket);
        else Dial();
    }

    protected override void PostStop()
    {
        _dialer?.Dispose();
        _connection?.Dispose();
        _pump?.Dispose();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Dialed dialed:
                _dialer = null;
                Reached(dialed.Socket);
                break;
            case TlsEstablished established when established.Pump == _pump:
                _log.Debug("openflow {Controller}: tls {Protocol} with {Peer}", _name, established.Protocol, established.PeerSubject);
                Connected(established.Socket);
                break;
            case TlsEstablished stale:
                stale.Socket.Dispose();
                break;
            case TlsHandshakeFailed failed when failed.Pump == _pump:
                HandshakeFailed(failed.Reason);
                break;
            case DialFailed failed:
                _dialer = null;
                ScheduleRedial(failed.Reason);
                break;
            case Redial:
                Dial();
                break;
            case ChannelClosed closed when closed.Connection == _connection:
                Disconnected(closed.Reason);
                break;
            case EchoTick:
                Echo();
                break;
            case PortStatusChanged changed when _connection is { IsClosed: false }:
                _session!.SendPortStatus(changed.Port, changed.Reason);
                _connection.Flush();
                break;
            case FlowsExpired expired when _connection is { IsClosed: false }:
                foreach (var (flow, reason) in expired.Flows) _session!.SendFlowRemoved(flow, reason, expired.NowTicks);
                _connection.Flush();
                break;
            case PacketInRequest packetIn when _connection is { IsClosed: false }:
                _connection.SendPacketIn(packetIn);
                break;
            case ChannelClosed or PortStatusChanged or FlowsExpired or PacketInRequest or TlsHandshakeFailed:
                break; // for a connection already gone
            default:
                if (!_attempts.Handle(message)) Unhandled(message);
                break;
        }
    }

    private void Dial()
    {
        NativeSocket? socket = null;
        try
        {
            socket = NativeSocket.Open(_controller.Address, stream: true, "openflow controller " + _name);
            socket.SetNoDelay();
            if (socket.Connect(_controller.Address)) Self.Tell(new Dialed(socket));
            else _dialer = new Dialer(_reactor, socket, Self);
        }
        catch (NativeException e)
        {
            socket?.Dispose();
            ScheduleRedial(e.Message);
        }
    }

    /// <summary>The controller is reached: over TCP the channel speaks at once, over TLS once the pump's handshake is done.</summary>
    private void Reached(NativeSocket socket)
    {
        if (_tls is null) Connected(socket);
        else _pump = OpenFlowTlsPump.Start(socket, _tls, server: _accepted is not null, Self, _name);
    }

    private void HandshakeFailed(string reason)
    {
        _pump!.Dispose();
        _pump = null;
        _counters.AddTlsHandshakeFailed();
        LogAttempt(warning: true, "openflow {Controller}: tls handshake failed ({Failures} so far): {Reason}", _counters.TlsHandshakesFailed, reason);
        if (_accepted is not null) Context.Stop(Self);
        else ScheduleRedial(reason, announce: false);
    }

    private void Connected(NativeSocket socket)
    {
        _counters.AddConnection();
        _session = new OpenFlowSession(_info, _table, _datapath, _log, _name);
        _connection = new OpenFlowConnection(_reactor, socket, _session, Self, _counters, _spec.PacketInBudgetKib << 10);
        _session.Start();
        _connection.Flush();
        _backoff.Reset();
        Context.Parent.Tell(ChannelConnected.Instance);
        Timers.StartPeriodicTimer("echo", EchoTick.Instance, _spec.EchoInterval);
        LogAttempt(warning: false, "openflow {Controller}: connected, {Ports} ports, datapath {DatapathId}", _info.Ports.Count, _info.DatapathId.ToString("x16"));
    }

    private void Disconnected(string reason)
    {
        Timers.Cancel("echo");
        Context.Parent.Tell(ChannelDisconnected.Instance);
        _connection = null;
        _session = null;
        // Over TLS the connection only saw its end of the pump close; the pump knows why.
        reason = _pump?.EndReason ?? reason;
        _pump?.Dispose();
        _pump = null;
        LogAttempt(warning: true, "openflow {Controller}: connection closed: {Reason}", reason);
        if (_accepted is not null) Context.Stop(Self);
        else ScheduleRedial(reason, announce: false);
    }

    /// <summary>An ECHO_REQUEST after an interval of silence; a controller silent for the dead timeout is given up on.</summary>
    private void Echo()
    {
        if (_connection is not { IsClosed: false } connection) return;
        if (connection.TakeTurnsCut() is var cut and > 0)
            _log.Warning("openflow {Controller}: a flood of PACKET_OUT: {Turns} turns took {PerTurn} each and left the rest for the next", _name, cut,
                OpenFlowConnection.MaxPacketOutsPerTurn);
        if (connection.TakePacketInsDropped() is var dropped and > 0)
            _log.Warning("openflow {Controller}: the controller reads slowly: {Dropped} PACKET_INs dropped with {Budget} bytes unsent ({Total} so far)", _name,
                dropped, connection.PacketInBudget, _counters.PacketInsDropped);
        var quiet = TimeSpan.FromMilliseconds(Environment.TickCount64 - connection.LastHeardTicks);
        if (quiet >= _spec.DeadControllerTimeout)
        {
            connection.Dispose();
            Disconnected($"no word from the controller for {quiet.TotalSeconds:0.#} s");
            return;
        }
        if (quiet < _spec.EchoInterval) return;
        _session!.SendEchoRequest();
        connection.Flush();
    }

    private void ScheduleRedial(string reason, bool announce = true)
    {
        var delay = _backoff.NextDelay();
        if (announce && _backoff.Failures <= 1)
            _log.Warning("openflow {Controller}: cannot connect: {Reason}; retrying with backoff up to {MaxMs} ms", _name, reason, (int)ReconnectMax.TotalMilliseconds);
        else _log.Debug("openflow {Controller}: redial in {DelayMs} ms ({Reason})", _name, (int)delay.TotalMilliseconds, reason);
        Timers.StartSingleTimer("redial", Redial.Instance, delay);
    }

    /// <summary>A line about one connection coming or going, at most a few a second (<see cref="AttemptLog"/>). The template's first hole is the controller.</summary>
    private void LogAttempt(bool warning, string template, params object[] args) => _attempts.Write(Timers, warning, template, args);

    private sealed class EchoTick
    {
        public static readonly EchoTick Instance = new();
    }

    private sealed class Redial
    {
        public static readonly Redial Instance = new();
    }
}

/// <summary>A port's link went up or down (MODIFY), or a reload added, removed or recreated it: the channels send PORT_STATUS.</summary>
public sealed record PortStatusChanged(OpenFlowPort Port, OfpPortReason Reason = OfpPortReason.Modify);

/// <summary>Flows whose timeouts passed, each with its OFPRR reason: the channels send FLOW_REMOVED for those that asked.</summary>
public sealed record FlowsExpired(IReadOnlyList<(OpenFlowFlow Flow, byte Reason)> Flows, long NowTicks);
