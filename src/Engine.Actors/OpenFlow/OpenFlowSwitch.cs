using Akka.Actor;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Dataplane;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;
using Engine.Native.Reactor;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The lab as an OpenFlow switch: its ports (devices, then peers, from 1), its flow table, and one
/// <see cref="OpenFlowChannel"/> per controller. It follows the peers' links for PORT_STATUS,
/// expires flows (only while the table holds some) for FLOW_REMOVED, and sends what PACKET_OUT
/// asks out of the lab's ports (<see cref="OpenFlowPacketOut"/>).
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
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _channels = [];

    public OpenFlowSwitch(OpenFlowSpec spec, IReadOnlyList<Port> ports, IActorRef router, FrameBatchPool pool, Reactor reactor, OpenFlowCounters counters)
    {
        _spec = spec;
        _reactor = reactor;
        _counters = counters;
        _info = new OpenFlowSwitchInfo(spec.DatapathId,
        [
            .. ports.Select(port => new OpenFlowPort((uint)port.Index + 1, port.Name, OpenFlowPort.AddressFor(spec.DatapathId, (uint)port.Index + 1), port.Counters)
            {
                // A peer is down until its link comes up, as the router assumes.
                LinkUp = !port.IsPeer,
            }),
        ]);
        _packetOut = new OpenFlowPacketOut(ports, router, pool, packetIn => { foreach (var channel in _channels) channel.Tell(packetIn); });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(OpenFlowSpec spec, IReadOnlyList<Port> ports, IActorRef router, FrameBatchPool pool, Reactor reactor, OpenFlowCounters counters) =>
        Akka.Actor.Props.Create(() => new OpenFlowSwitch(spec, ports, router, pool, reactor, counters));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(PortLinkChanged));
        var datapath = new Datapath(Self);
        for (var i = 0; i < _spec.Controllers.Length; i++)
            _channels.Add(Context.ActorOf(
                OpenFlowChannel.Props(_spec.Controllers[i], _spec, _info, _table, datapath, _reactor, _counters).OnDataplane(), "channel-" + i));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case PortLinkChanged changed when _info.Port((uint)changed.Port + 1) is { } port && port.LinkUp != changed.Up:
                port.LinkUp = changed.Up;
                foreach (var channel in _channels) channel.Tell(new PortStatusChanged(port));
                break;
            case PortLinkChanged:
                break;
            case FlowsChanged when !Timers.IsTimerActive("expire"):
                Timers.StartPeriodicTimer("expire", ExpireFlows.Instance, ExpiryInterval);
                break;
            case FlowsChanged:
                break;
            case ExpireFlows:
                Expire();
                break;
            case PacketOutRequest request:
                _packetOut.Send(request, _info);
                break;
            default:
                Unhandled(message);
                break;
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
            _log.Debug("openflow: {Count} flows expired", expired.Count);
            foreach (var channel in _channels) channel.Tell(new FlowsExpired(expired, now));
        }
        if (empty) Timers.Cancel("expire");
    }

    /// <summary>What a channel hands the switch, from the reactor thread: copies, told to the switch's actor.</summary>
    private sealed class Datapath(IActorRef owner) : IOpenFlowDatapath
    {
        public void PacketOut(uint inPort, ReadOnlySpan<byte> actions, ReadOnlySpan<byte> data) =>
            owner.Tell(new PacketOutRequest(inPort, actions.ToArray(), data.ToArray()));

        public void FlowsChanged() => owner.Tell(OpenFlow.FlowsChanged.Instance);
    }

    private sealed class ExpireFlows
    {
        public static readonly ExpireFlows Instance = new();
    }
}

internal sealed class FlowsChanged
{
    public static readonly FlowsChanged Instance = new();
}

/// <summary>A PACKET_OUT, checked by the session: the frame and the actions to apply to it.</summary>
public sealed record PacketOutRequest(uint InPort, byte[] Actions, byte[] Data);
