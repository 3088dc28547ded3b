using System.Globalization;
using Engine.Native;
using Akka.Actor;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Devices;
using Engine.Actors.OpenFlow;
using Engine.Actors.Peers;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Rules;
using Engine.Actors.Switching;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Engine.Native.Reactor;

using Engine.Actors.Metrics;

namespace Engine.Actors.Lab;

/// <summary>
/// Builds the lab a topology describes and tears it down: creates the network namespaces that
/// do not exist yet, starts the router and one device actor per device on the reactor
/// dispatcher, publishes the routing table, logs the counter summary, and deletes the
/// namespaces it created when it stops (after its children have closed their devices).
/// Runs on the control dispatcher: namespace creation is a blocking syscall sequence.
/// </summary>
public sealed class LabActor : UntypedActor, IWithTimers
{
    public const string ControlDispatcher = "engine.control-dispatcher";
    private static readonly TimeSpan NamespaceWatchInterval = TimeSpan.FromSeconds(1);

    private readonly LabTopology _lab;
    private readonly PortWires?[] _wires;
    private readonly SwitchMembership?[] _switches;
    private readonly Reactor _reactor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LabNamespaces _namespaces;
    private readonly HashSet<IActorRef> _devices = new();
    private readonly RouterCounters _routerCounters = new();
    private readonly RouteCounts _routeCounts = new();
    private readonly List<Port> _ports = new();
    // Ports (devices and peers) that have come up once; a reopen or restart adds nothing.
    private readonly HashSet<int> _portsUp = [];
    private bool _labUp;
    // Active routes, connected ones included.
    private int _routeCount;
    private FrameBatchPool? _pool;
    private readonly LabFpm _fpm = new();
    private IActorRef? _router;
    private IActorRef? _routeBook;
    private IActorRef? _fpmServer;
    private readonly CounterSummary _counterSummary;
    private readonly ControlPlanePorts _controlPlane;

    public LabActor(LabTopology lab, Reactor reactor)
    {
        _wires = WirePlan.Build(lab, name => PortIndexIn(lab, name));
        _switches = SwitchPlan.Build(lab, name => PortIndexIn(lab, name));
        _lab = lab with { Peers = WiredPeers.Adjust(lab, _wires, DefaultPeerMtu(lab), _switches) };
        _reactor = reactor;
        _namespaces = new LabNamespaces([.. lab.Namespaces], _log);
        _counterSummary = new CounterSummary(_log);
        _controlPlane = new ControlPlanePorts(ControlPlanePlan.Mirrors(lab),
            lab.Devices.Length + lab.Peers.Length + SwitchPlan.RouterInterfaces(lab).Count());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(LabTopology lab, Reactor reactor) =>
        Akka.Actor.Props.Create(() => new LabActor(lab, reactor)).WithDispatcher(ControlDispatcher);

    protected override SupervisorStrategy SupervisorStrategy() => new LabSupervision();

    protected override void PreStart()
    {
        try
        {
            Build();
        }
        catch (NativeException e)
        {
            // The kernel refused (a namespace that cannot be made, say): expected, one line, no stack.
            _log.Error("could not build the lab: {Reason}", e.Message);
            _namespaces.DeleteCreated();
            ShutDownFailed();
            Context.Stop(Self);
        }
        catch (Exception e)
        {
            _log.Error(e, "could not build the lab: {Reason}", e.Message);
            _namespaces.DeleteCreated();
            ShutDownFailed();
            throw;
        }
    }

    /// <summary>The lab cannot run as declared: the engine stops, exiting with 1.</summary>
    private void ShutDownFailed()
    {
        Environment.ExitCode = 1;
        CoordinatedShutdown.Get(Context.System).Run(LabFailed.Instance);
    }

    private void Build()
    {
        _namespaces.Create();
        if (_lab.Namespaces.Any())
            Timers.StartPeriodicTimer("namespaces", WatchNamespaces.Instance, NamespaceWatchInterval);

        var pool = _pool = LabPool.For(_lab);
        var router = _router = Context.ActorOf(RouterActor.Props(pool, RouteSnapshot.Empty, _routerCounters).OnDataplane(), "router");
        // Told of the peers' links from the start; gets the lab's routes once every port exists.
        var routeBook = _routeBook = Context.ActorOf(RouteBookActor.Props(router, counts: _routeCounts), "routes");
        var context = new DeviceContext(_reactor, pool, router);
        for (var i = 0; i < _lab.Devices.Length; i++)
        {
            var spec = _lab.Devices[i];
            var (device, counters) = StartDevice(spec, i, context, ActorName(spec.Name, i));
            _ports.Add(new Port(i, spec.Name, device, spec.Mtu, counters)
            {
                IsEthernet = spec.Type == DeviceType.Tap,
                Mac = MacAddress.LocallyAdministered(spec.Name),
                // A switch member's gateway is its switch's, whose router interface has it.
                Ipv4Address = _switches[i] is null ? GatewayAddresses.V4(spec.Gateways) : 0,
                Ipv6Address = _switches[i] is null ? GatewayAddresses.V6(spec.Gateways) : UInt128.Zero,
                Wires = _wires[i],
                Switch = _switches[i],
                ControlPlane = _controlPlane.PortOf(spec.Name),
            });
        }

        StartPeers(pool, router, routeBook);
        _ports.AddRange(RouterInterfacePorts.Build(_lab, _switches, _ports.Count, DefaultPeerMtu(_lab), _controlPlane.PortOf));
        StartControlPlane(context);

        var labRules = RuleCompiler.Compile(_lab.Rules, PortIndex).ToList();
        if (_lab.OpenFlow is { } openFlow) StartOpenFlow(openFlow, labRules, router, pool);
        var rules = RuleTable.Build(labRules);
        var routes = LabRoutes.Build(_lab, PortIndex, _log);
        _routeCount = routes.Count;
        // The router forwards under the lab's own table from the start, before "lab up": the book's
        // first snapshot, the same table, is a mailbox and a build away, and a host may send at once.
        var table = new RouteTable(_ports, routes, rules);
        router.Tell(new RoutesChanged(new RouteBook(table).Build()));
        routeBook.Tell(new InstallRoutes(table));
        if (_lab.Fpm is { } fpm)
        {
            var server = _fpmServer = _fpm.Start(Context, fpm, _lab, _ports, _reactor, routeBook);
            Context.Watch(server);
            _devices.Add(server);
        }

        if (_lab.Settings.CountersInterval is { } interval && interval > TimeSpan.Zero)
            Timers.StartPeriodicTimer("counters", LogCounters.Instance, interval);
    }

    /// <summary>The OpenFlow switch, and its own port last: where the router sends the frames of flows whose actions run in the switch.</summary>
    private void StartOpenFlow(OpenFlowSpec openFlow, List<Rule> labRules, IActorRef router, FrameBatchPool pool)
    {
        var index = _ports.Count;
        var openFlowPorts = _ports.Take(_lab.Devices.Length + _lab.Peers.Length).ToArray();
        var counters = new PortCounters();
        var agent = Context.ActorOf(OpenFlowSwitch.Props(openFlow, openFlowPorts, labRules, (index, counters), router, pool, _reactor, new OpenFlowCounters())
            .WithDispatcher(ControlDispatcher), "openflow");
        _ports.Add(new Port(index, "openflow", agent, ushort.MaxValue, counters));
    }

    /// <summary>Peers are ports after the devices, numbered in the order the file lists them.</summary>
    private void StartPeers(FrameBatchPool pool, IActorRef router, IActorRef routeBook)
    {
        if (_lab.Peers.IsEmpty) return;
        // Announced to controllers: every port, the switches' router interfaces after the peers.
        var names = _lab.Devices.Select(d => d.Name).Concat(_lab.Peers.Select(p => p.Name))
            .Concat(SwitchPlan.RouterInterfaces(_lab).Select(s => s.Name)).ToArray();
        var mtu = DefaultPeerMtu(_lab);
        var environment = new PeerEnvironment(_reactor, pool, router, _lab.Settings.NodeName, names, mtu, _lab.Peers.Length, EthernetPorts(names.Length))
        {
            RouteBook = routeBook,
        };
        foreach (var spec in _lab.Peers)
        {
            var index = _ports.Count;
            var counters = new PortCounters();
            var peer = Context.ActorOf(PeerActor.Props(spec, index, counters, environment).OnDataplane(), "peer-" + spec.Name);
            Context.Watch(peer);
            _devices.Add(peer);
            _ports.Add(new Port(index, spec.Name, peer, spec.Mtu ?? mtu, counters)
            {
                IsPeer = true,
                IsController = spec.Role == PeerRole.Controller,
                Wires = _wires[index],
                Switch = _switches[index],
                ControlPlane = _controlPlane.PortOf(spec.Name),
            });
        }
    }

    /// <summary>
    /// Opens each routed port's interface in the control-plane namespace, with that port's MTU, and
    /// MAC on a tap: ports after the router interfaces, whose frames leave through the port they mirror.
    /// </summary>
    private void StartControlPlane(DeviceContext context)
    {
        foreach (var (mirror, index) in _controlPlane.Mirrors)
        {
            var routed = _ports[PortIndex(mirror.Port)];
            var spec = mirror.Device with { Mtu = routed.Mtu };
            var (device, counters) = StartDevice(spec, index, context, "control-plane-" + ActorName(spec.Name, index));
            _ports.Add(new Port(index, ControlPlanePorts.PortName(mirror), device, spec.Mtu, counters)
            {
                IsEthernet = routed.IsEthernet,
                Mac = routed.Mac,
                MirrorOf = routed.Index,
            });
        }
    }

    /// <summary>A device actor for <paramref name="spec"/> as port <paramref name="index"/>, watched: the lab cannot run without it.</summary>
    private (IActorRef Device, PortCounters Counters) StartDevice(DeviceSpec spec, int index, DeviceContext context, string actorName)
    {
        var counters = new PortCounters();
        var device = Context.ActorOf(DeviceActor.Props(spec, index, counters, context).OnDataplane(), actorName);
        Context.Watch(device);
        _devices.Add(device);
        return (device, counters);
    }

    private int PortIndex(string name) => _ports.FindIndex(p => p.Name == name);

    /// <summary>The ports whose frames carry an Ethernet header: taps, switch members (router interfaces too), links wired to a tap only.</summary>
    private HashSet<int> EthernetPorts(int portCount)
    {
        var ports = new HashSet<int>();
        bool IsTap(int port) => port < _lab.Devices.Length && _lab.Devices[port].Type == DeviceType.Tap;
        for (var port = 0; port < portCount; port++)
            if (IsTap(port) || port < _switches.Length && _switches[port] is not null
                || port < _wires.Length && _wires[port] is { } wires && wires.Ends.All(end => IsTap(end.Port)))
                ports.Add(port);
        return ports;
    }

    /// <summary>Devices first, then peers, in file order.</summary>
    private static int PortIndexIn(LabTopology lab, string name)
    {
        for (var i = 0; i < lab.Devices.Length; i++)
            if (lab.Devices[i].Name == name) return i;
        for (var i = 0; i < lab.Peers.Length; i++)
            if (lab.Peers[i].Name == name) return lab.Devices.Length + i;
        throw new ArgumentException($"no port named {name}", nameof(name));
    }

    protected override void PostStop()
    {
        _counterSummary.LogTotalTransit(_ports);
        _fpm.Dispose();
        _namespaces.DeleteCreated();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case DeviceUp up:
                PortUp(up.Port);
                break;
            case PeerStarted started:
                PortUp(started.Port);
                break;
            case WatchNamespaces:
                _namespaces.Watch();
                break;
            case LogCounters:
                _counterSummary.Log(_ports, _routerCounters, _pool);
                if (_lab.Fpm is not null) _fpm.LogCounters(_log);
                break;
            case GetLabView:
                Sender.Tell(new LabView(_lab, _ports.ToArray(), _routerCounters, _pool, _router, _labUp) { RouteBook = _routeBook, Fpm = _fpmServer });
                break;
            case Terminated terminated when _devices.Contains(terminated.ActorRef):
                _log.Error("actor {Device} stopped; the lab cannot run as declared, shutting down", terminated.ActorRef.Path.Name);
                ShutDownFailed();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>"lab up" once every device (the control plane's too) is forwarding and every peer's socket is open: a host or a peer may use the lab from then on.</summary>
    private void PortUp(int port)
    {
        if (!_portsUp.Add(port) || _labUp || _portsUp.Count < _lab.Devices.Length + _lab.Peers.Length + _controlPlane.Count) return;
        _labUp = true;
        _log.Info("lab up: {Devices} devices, {Peers} peers, {Wires} wires, {Routes} routes, data plane at nice {Nice}{UnderFlood}", _lab.Devices.Length, _lab.Peers.Length,
            _lab.Wires.Length, _routeCount, _reactor.NiceRefused is null ? _reactor.Nice.ToString(CultureInfo.InvariantCulture) : "as inherited",
            _reactor.Flood.IsEnabled ? $" ({_reactor.Flood.FloodNice} during a flood of small frames)" : "");
        Context.System.EventStream.Publish(new LabUp(_ports.Select(p => p.Name).ToArray(),
            new LabCounters([.. _ports], _routerCounters, _pool!, _routeCounts, _reactor.Flood)));
    }

    /// <summary>A peer without an <c>mtu</c> carries what the largest device can.</summary>
    private static int DefaultPeerMtu(LabTopology lab) => lab.Devices.IsEmpty ? DeviceSpec.DefaultMtu : lab.Devices.Max(d => d.Mtu);

    private static string ActorName(string device, int index) =>
        device.Contains('%') ? $"device-{index}" : device;

    private sealed record LogCounters
    {
        public static readonly LogCounters Instance = new();
    }

    private sealed record WatchNamespaces
    {
        public static readonly WatchNamespaces Instance = new();
    }
}

/// <summary>The reason given to CoordinatedShutdown when the lab cannot run.</summary>
public sealed class LabFailed : CoordinatedShutdown.Reason
{
    public static readonly LabFailed Instance = new();

    public override int ExitCode => 1;
}
