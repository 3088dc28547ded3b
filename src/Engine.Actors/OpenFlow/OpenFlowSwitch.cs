using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Rules;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Engine.Native.Reactor;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The lab as an OpenFlow switch: its ports (the devices and peers, numbered from their engine
/// places, <see cref="OpenFlowPortSet"/>; a reload changes them, <see cref="OpenFlowPortsChanged"/>), its flow table, and one
/// <see cref="OpenFlowChannel"/> per controller. It follows the peers' links for PORT_STATUS,
/// expires flows (only while the table holds some) for FLOW_REMOVED, and sends what PACKET_OUT
/// asks out of the lab's ports (<see cref="OpenFlowPacketOut"/>). Whenever the flows change, or
/// in standalone mode whether a controller is connected, it compiles the table into the router's
/// rules (<see cref="OpenFlowRuleCompiler"/>); the frames of flows the fast path cannot carry
/// come to this actor, as to a port of the lab, and their actions run here.
/// </summary>
public sealed class OpenFlowSwitch : UntypedActor, IWithTimers
{
    private static readonly TimeSpan ExpiryInterval = TimeSpan.FromSeconds(1);

    private readonly OpenFlowSpec _spec;
    private readonly Reactor _reactor;
    private readonly OpenFlowSwitchInfo _info;
    private readonly OpenFlowFlowTable _table = new();
    private readonly OpenFlowCounters _counters;
    private readonly OpenFlowPacketOut _packetOut;
    private readonly OpenFlowPipeline _pipeline;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _channels = [];
    private readonly IReadOnlyList<Rule> _labRules;
    private readonly int _slowPath;
    private readonly IActorRef _router;
    private readonly PortCounters _slowPathCounters;
    private OpenFlowFlow[] _compiled = [];
    private FlowChangeSignal _changes = null!;
    private readonly CompilePacing _pacing = new();
    private int _connected;

    /// <param name="ports">The lab's ports by engine place, all but the switch's own.</param>
    /// <param name="openFlowPlaces">The places of the ports the switch numbers (the devices and peers): OpenFlow port n is place n - 1.</param>
    /// <param name="labRules">The lab file's rules, which stay in front of the flows.</param>
    /// <param name="slowPath">The engine index of this switch's own port, where the router sends the frames of flows it cannot carry itself, and its counters.</param>
    public OpenFlowSwitch(OpenFlowSpec spec, IReadOnlyList<Port> ports, IReadOnlyList<int> openFlowPlaces, IReadOnlyList<Rule> labRules,
        (int Index, PortCounters Counters) slowPath, IActorRef router, FrameBatchPool pool, Reactor reactor, OpenFlowCounters counters)
    {
        _spec = spec;
        _labRules = labRules;
        (_slowPath, _slowPathCounters) = slowPath;
        _router = router;
        _reactor = reactor;
        _counters = counters;
        _info = new OpenFlowSwitchInfo(spec.DatapathId, OpenFlowPortChanges.Numbered(spec.DatapathId, ports, openFlowPlaces).All);
        _packetOut = new OpenFlowPacketOut(ports, router, pool, packetIn => { foreach (var channel in _channels) channel.Tell(packetIn); }, _slowPathCounters);
        _pipeline = new OpenFlowPipeline(_packetOut, _info);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(OpenFlowSpec spec, IReadOnlyList<Port> ports, IReadOnlyList<int> openFlowPlaces, IReadOnlyList<Rule> labRules,
        (int Index, PortCounters Counters) slowPath, IActorRef router, FrameBatchPool pool, Reactor reactor, OpenFlowCounters counters) =>
        Akka.Actor.Props.Create(() => new OpenFlowSwitch(spec, ports, openFlowPlaces, labRules, slowPath, router, pool, reactor, counters));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PortLinkChanged));
        _changes = new FlowChangeSignal(Self);
        var datapath = new Datapath(Self, _changes);
        // Read again from the files engine check read: a lab whose files went wrong since fails here.
        var tls = _spec.Tls is { } files ? OpenFlowTlsCredentials.Load(files) : null;
        for (var i = 0; i < _spec.Controllers.Length; i++)
            _channels.Add(Context.ActorOf(
                OpenFlowChannel.Props(_spec.Controllers[i], tls, _spec, _info, _table, datapath, _reactor, _counters).OnDataplane(), "channel-" + i));
        if (_spec.Listen is not null)
            Context.ActorOf(OpenFlowListener.Props(_spec, tls, _info, _table, datapath, _reactor, _counters).OnDataplane(), "listener");
        Compile();
    }

    /// <summary>secure: the table decides from the start; standalone: while a controller is connected.</summary>
    private bool InCharge => _spec.FailMode == OpenFlowFailMode.Secure || _connected > 0;

    private void Compile()
    {
        RuleTable? rules;
        lock (_table)
        {
            _compiled = [.. _table.Flows];
            rules = OpenFlowRuleCompiler.Compile(_labRules, _compiled, _packetOut.Ports, _info.PortSet, _slowPath, InCharge);
            _packetOut.Groups = _table.Groups.Groups.ToDictionary(group => group.Id);
        }
        _pipeline.Load(_compiled, _slowPath);
        _router.Tell(new RulesChanged(rules));
    }

    /// <summary>Takes the news of changed flows and compiles them, paced (<see cref="CompilePacing"/>).</summary>
    private void CompileFlowChanges()
    {
        _changes.Take();
        var start = Stopwatch.GetTimestamp();
        Compile();
        _pacing.Compiled(start, Stopwatch.GetTimestamp());
    }

    /// <summary>Frames of flows whose actions run here (<see cref="OpenFlowPipeline"/>): each tagged with its ingress port and noted with its flow's rule id.</summary>
    private void SlowPath(FrameBatch batch)
    {
        try
        {
            long bytes = 0;
            for (var i = 0; i < batch.Count; i++) bytes += batch.Frame(i).Length;
            _slowPathCounters.AddTx(batch.Count, bytes);
            var ports = _packetOut.Ports;
            for (var i = 0; i < batch.Count; i++)
                if (_pipeline.Takes(batch.Tag(i)))
                    _pipeline.Run(batch.Note(i), batch.Tag(i), AsEthernet(batch.Frame(i), ports[batch.Tag(i)]));
        }
        finally
        {
            batch.Release();
        }
    }

    /// <summary>A tun's IP packet gets an Ethernet header of zero addresses: OpenFlow's frames are Ethernet.</summary>
    private static byte[] AsEthernet(ReadOnlySpan<byte> frame, Port ingress)
    {
        if (ingress.IsEthernet || ingress.IsPeer) return frame.ToArray();
        var type = frame.IsEmpty || frame[0] >> 4 != 6 ? EtherType.Ipv4 : EtherType.Ipv6;
        return [.. new byte[12], (byte)(type >> 8), (byte)type, .. frame];
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PortLinkChanged changed when _info.Port(OpenFlowPortSet.NumberOf(changed.Port)) is { } port && port.LinkUp != changed.Up:
                port.LinkUp = changed.Up;
                foreach (var channel in _channels) channel.Tell(new PortStatusChanged(port));
                break;
            case PortLinkChanged:
                break;
            case FlowsChanged:
                if (!Timers.IsTimerActive("expire")) Timers.StartPeriodicTimer("expire", ExpireFlows.Instance, ExpiryInterval);
                if (_pacing.Wait(Stopwatch.GetTimestamp()) is var wait && wait > TimeSpan.Zero) Timers.StartSingleTimer("compile", CompileChanges.Instance, wait);
                else CompileFlowChanges();
                break;
            case CompileChanges:
                CompileFlowChanges();
                break;
            case ChannelConnected:
                _connected++;
                if (_spec.FailMode == OpenFlowFailMode.Standalone && _connected == 1) Compile();
                break;
            case ChannelDisconnected:
                _connected--;
                if (_spec.FailMode == OpenFlowFailMode.Standalone && _connected == 0) Compile();
                break;
            case FrameBatch batch:
                SlowPath(batch);
                break;
            case ChannelStarted started:
                _channels.Add(started.Channel);
                Context.Watch(started.Channel);
                break;
            case Terminated terminated:
                _channels.Remove(terminated.ActorRef);
                break;
            case ExpireFlows:
                Expire();
                break;
            case OpenFlowPortsChanged changed:
                PortsChanged(changed);
                break;
            case PacketOutRequest request:
                _packetOut.Send(request, _info);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// A reload's ports: the new set goes in whole, the flows are compiled again (a flow whose
    /// port is gone matches nothing there, and an output to it sends nothing, counted on the
    /// frame's ingress), and every controller hears of each port added, removed or recreated.
    /// </summary>
    private void PortsChanged(OpenFlowPortsChanged changed)
    {
        var (next, news) = OpenFlowPortChanges.Between(_info.PortSet, _spec.DatapathId, changed.Ports, changed.OpenFlowPlaces);
        _packetOut.Ports = changed.Ports;
        _info.Replace(next);
        Compile();
        foreach (var status in news)
        {
            _log.Info("openflow: port {Number} {Name} {Reason}", status.Port.Number, status.Port.Name, status.Reason);
            foreach (var channel in _channels) channel.Tell(status);
        }
    }

    private void Expire()
    {
        var now = Environment.TickCount64;
        var expired = new List<(OpenFlowFlow, byte)>();
        bool empty;
        lock (_table)
        {
            _table.Expire(now, expired);
            empty = _table.Flows.Count == 0;
        }
        if (expired.Count > 0)
        {
            Compile();
            _log.Debug("openflow: {Count} flows expired", expired.Count);
            foreach (var channel in _channels) channel.Tell(new FlowsExpired(expired, now));
        }
        if (empty) Timers.Cancel("expire");
    }

    /// <summary>What a channel hands the switch, from the reactor thread: copies, told to the switch's actor.</summary>
    private sealed class Datapath(IActorRef owner, FlowChangeSignal changes) : IOpenFlowDatapath
    {
        public void PacketOut(uint inPort, ReadOnlySpan<byte> actions, ReadOnlySpan<byte> data) =>
            owner.Tell(new PacketOutRequest(inPort, actions.ToArray(), data.ToArray()));

        public void FlowsChanged() => changes.Raise();
    }

    private sealed class ExpireFlows
    {
        public static readonly ExpireFlows Instance = new();
    }

    private sealed class CompileChanges
    {
        public static readonly CompileChanges Instance = new();
    }
}

internal sealed class FlowsChanged
{
    public static readonly FlowsChanged Instance = new();
}

/// <summary>A channel reached its controller (standalone mode hands the lab to the flow table while one is).</summary>
internal sealed class ChannelConnected
{
    public static readonly ChannelConnected Instance = new();
}

internal sealed class ChannelDisconnected
{
    public static readonly ChannelDisconnected Instance = new();
}

/// <summary>The lab's ports after a reload, by engine place, and the places of those the switch numbers (devices and peers).</summary>
public sealed record OpenFlowPortsChanged(IReadOnlyList<Port> Ports, IReadOnlyList<int> OpenFlowPlaces);

/// <summary>A PACKET_OUT, checked by the session: the frame and the actions to apply to it.</summary>
public sealed record PacketOutRequest(uint InPort, byte[] Actions, byte[] Data);
