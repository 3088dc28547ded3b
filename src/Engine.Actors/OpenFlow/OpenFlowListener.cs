using Akka.Actor;
using Akka.Event;
using Engine.Actors.Dataplane;
using Engine.Actors.Peers;
using Engine.Actors.Topology;
using Engine.Native.Reactor;
using Engine.Native.Sockets;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch's passive side (<c>listen = "ptcp:PORT[:IP]"</c> or <c>"pssl:PORT[:IP]"</c>, as Open
/// vSwitch's <c>set-controller ptcp:</c>): it takes each controller's connection and gives it an
/// <see cref="OpenFlowChannel"/> of its own (which, for pssl:, does the TLS handshake as the server), which the switch then tells what it tells every
/// channel, until the connection ends. Runs on the reactor dispatcher, as the channels do.
/// </summary>
public sealed class OpenFlowListener : UntypedActor, IWithTimers
{
    private static readonly TimeSpan AcceptRetry = TimeSpan.FromMilliseconds(500);

    private readonly OpenFlowSpec _spec;
    private readonly OpenFlowTlsCredentials? _tls;
    private readonly OpenFlowSwitchInfo _info;
    private readonly OpenFlowFlowTable _table;
    private readonly IOpenFlowDatapath _datapath;
    private readonly Reactor _reactor;
    private readonly OpenFlowCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Acceptor? _acceptor;
    private int _accepted;

    public OpenFlowListener(OpenFlowSpec spec, OpenFlowTlsCredentials? tls, OpenFlowSwitchInfo info, OpenFlowFlowTable table, IOpenFlowDatapath datapath,
        Reactor reactor, OpenFlowCounters counters)
    {
        _spec = spec;
        _tls = tls;
        _info = info;
        _table = table;
        _datapath = datapath;
        _reactor = reactor;
        _counters = counters;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(OpenFlowSpec spec, OpenFlowTlsCredentials? tls, OpenFlowSwitchInfo info, OpenFlowFlowTable table, IOpenFlowDatapath datapath,
        Reactor reactor, OpenFlowCounters counters) =>
        Akka.Actor.Props.Create(() => new OpenFlowListener(spec, tls, info, table, datapath, reactor, counters));

    /// <summary>Binds the listener; a port that is taken is a lab that cannot run, so this throws, as a peer's listener does.</summary>
    protected override void PreStart()
    {
        var endpoint = _spec.Listen!.Address;
        var socket = NativeSocket.Open(endpoint, stream: true, "openflow listening on " + endpoint);
        try
        {
            socket.Bind(endpoint);
            socket.Listen(backlog: 16);
            _acceptor = new Acceptor(_reactor, socket, Self, new AllowList([]));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        _log.Info("openflow: listening for controllers on {Listen}", _spec.Listen.DescribeListen());
    }

    protected override void PostStop() => _acceptor?.Dispose();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Accepted accepted:
                accepted.Socket.SetNoDelay();
                var channel = Context.ActorOf(
                    OpenFlowChannel.PropsAccepted(accepted.Socket, accepted.Remote, _tls, _spec, _info, _table, _datapath, _reactor, _counters).OnDataplane(),
                    "accepted-" + _accepted++);
                Context.Parent.Tell(new ChannelStarted(channel));
                break;
            case AcceptPaused paused:
                _log.Warning("openflow: cannot take a controller's connection now: {Reason}; trying again in {Delay} ms", paused.Reason, AcceptRetry.TotalMilliseconds);
                Timers.StartSingleTimer("resume", ResumeAccepting.Instance, AcceptRetry);
                break;
            case ResumeAccepting:
                _acceptor?.Resume();
                break;
            // An accepted channel's connection coming and going counts as any channel's does.
            case ChannelConnected or ChannelDisconnected:
                Context.Parent.Forward(message);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private sealed class ResumeAccepting
    {
        public static readonly ResumeAccepting Instance = new();
    }
}

/// <summary>A channel the listener started for a controller's connection: the switch tells it what it tells its own until it stops.</summary>
internal sealed record ChannelStarted(IActorRef Channel);
