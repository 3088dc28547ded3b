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

    private readonly RunningLab _running;
    private readonly LabSource? _source;
    private readonly PortWires?[] _wires;
    private readonly SwitchMembership?[] _switches;
    private readonly Reactor _reactor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LabNamespaces _namespaces;
    private readonly RouterCounters _routerCounters = new();
    private readonly RouteCounts _routeCounts = new();
    private OpenFlowCounters? _openFlowCounters;
    private readonly LabPorts _ports;
    private readonly LabFpm _fpm = new();
    private IActorRef? _fpmServer;
    private IActorRef? _openFlow;
    private readonly CounterSummary _counterSummary;
    private readonly ControlPlanePorts _controlPlane;
    private readonly ReloadOutcome _reloadOutcome;
    // Made once the timers are there, as the actor starts.
    private ReloadApplier _reload = null!;

    /// <param name="source">The file the lab comes from, for reloads; a restarted lab builds what it last applied.</param>
    public LabActor(LabTopology lab, Reactor reactor, LabSource? source = null)
    {
        lab = source?.Applied ?? lab;
        _source = source;
        _wires = WirePlan.Build(lab, name => LabLayout.PortIndexIn(lab, name));
        _switches = SwitchPlan.Build(lab, name => LabLayout.PortIndexIn(lab, name));
        _running = new RunningLab(lab with { Peers = WiredPeers.Adjust(lab, _wires, LabLayout.DefaultPeerMtu(lab), _switches) }, lab);
        _reactor = reactor;
        _namespaces = new LabNamespaces([.. lab.Namespaces], _log);
        _counterSummary = new CounterSummary(_log);
        _controlPlane = new ControlPlanePorts(ControlPlanePlan.Mirrors(lab),
            lab.Devices.Length + lab.Peers.Length + SwitchPlan.RouterInterfaces(lab).Count());
        _ports = new LabPorts(Context, _controlPlane);
        _reloadOutcome = new ReloadOutcome(source, _log, Context.System.DeadLetters);
    }

    private LabTopology Lab => _running.Lab;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(LabTopology lab, Reactor reactor, LabSource? source = null) =>
        Akka.Actor.Props.Create(() => new LabActor(lab, reactor, source)).WithDispatcher(ControlDispatcher);

    protected override SupervisorStrategy SupervisorStrategy() => new LabSupervision();

    protected override void PreStart()
    {
        _reload = new ReloadApplier(Context, Timers, _running, _ports, _controlPlane, _namespaces, _reactor, _source, _reloadOutcome, _log, Reloaded);
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
        _namespaces.WatchWith(Timers);

        var pool = _running.Pool = LabPool.For(Lab);
        var router = _running.Router = Context.ActorOf(RouterActor.Props(pool, RouteSnapshot.Empty, _routerCounters).OnDataplane(), "router");
        // Told of the peers' links from the start; gets the lab's routes once every port exists.
        var routeBook = _running.RouteBook = Context.ActorOf(RouteBookActor.Props(router, counts: _routeCounts), "routes");
        var context = _running.Devices = new DeviceContext(_reactor, pool, router);
        for (var i = 0; i < Lab.Devices.Length; i++)
            _ports.Add(_ports.StartDevice(Lab.Devices[i], i, context, _wires[i], _switches[i], openInBackground: false));

        StartPeers(pool, router, routeBook);
        _ports.AddRange(RouterInterfacePorts.Build(Lab, _switches, _ports.Count, LabLayout.DefaultPeerMtu(Lab), _controlPlane.PortOf));
        StartControlPlane(context);

        var labRules = RuleCompiler.Compile(Lab.Rules, _ports.IndexOf).ToList();
        if (Lab.OpenFlow is { } openFlow) StartOpenFlow(openFlow, labRules, router, pool);
        var rules = _running.Rules = RuleTable.Build(labRules);
        var routes = _running.Routes = LabRoutes.Build(Lab, _ports.IndexOf, _log);
        // The router forwards under the lab's own table from the start, before "lab up": the book's
        // first snapshot, the same table, is a mailbox and a build away, and a host may send at once.
        var table = new RouteTable(_ports.ToArray(), routes, rules);
        router.Tell(new RoutesChanged(new RouteBook(table).Build()));
        routeBook.Tell(new InstallRoutes(table));
        if (Lab.Fpm is { } fpm)
        {
            var server = _fpmServer = _fpm.Start(Context, fpm, Lab, _ports.ToArray(), _reactor, routeBook);
            _ports.Watch(server);
        }

        if (Lab.Settings.CountersInterval is { } interval && interval > TimeSpan.Zero)
            Timers.StartPeriodicTimer("counters", LogCounters.Instance, interval);
    }

    /// <summary>The OpenFlow switch, and its own port last: where the router sends the frames of flows whose actions run in the switch.</summary>
    private void StartOpenFlow(OpenFlowSpec openFlow, List<Rule> labRules, IActorRef router, FrameBatchPool pool)
    {
        var index = _ports.Count;
        var counters = new PortCounters();
        var agent = _openFlow = Context.ActorOf(OpenFlowSwitch.Props(openFlow, _ports.ToArray(), OpenFlowPlaces(), labRules, (index, counters), router, pool, _reactor,
            _openFlowCounters = new OpenFlowCounters()).WithDispatcher(ControlDispatcher), "openflow");
        _ports.Add(new Port(index, "openflow", agent, ushort.MaxValue, counters));
    }

    /// <summary>Peers are ports after the devices, numbered in the order the file lists them.</summary>
    private void StartPeers(FrameBatchPool pool, IActorRef router, IActorRef routeBook)
    {
        if (Lab.Peers.IsEmpty) return;
        // Announced to controllers: every port, the switches' router interfaces after the peers.
        var names = Lab.Devices.Select(d => d.Name).Concat(Lab.Peers.Select(p => p.Name))
            .Concat(SwitchPlan.RouterInterfaces(Lab).Select(s => s.Name)).ToArray();
        var mtu = LabLayout.DefaultPeerMtu(Lab);
        var environment = new PeerEnvironment(_reactor, pool, router, Lab.Settings.NodeName, names, mtu, Lab.Peers.Length, LabLayout.EthernetPorts(Lab, _wires, _switches, names.Length))
        {
            RouteBook = routeBook,
        };
        foreach (var spec in Lab.Peers)
            _ports.Add(_ports.StartPeer(spec, _ports.Count, environment, _wires[_ports.Count], _switches[_ports.Count]));
    }

    /// <summary>
    /// Opens each routed port's interface in the control-plane namespace, with that port's MTU, and
    /// MAC on a tap: ports after the router interfaces, whose frames leave through the port they mirror.
    /// </summary>
    private void StartControlPlane(DeviceContext context)
    {
        foreach (var (mirror, index) in _controlPlane.Mirrors.ToList())
            _ports.Add(_ports.StartMirror(mirror, index, context, openInBackground: false));
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
                _counterSummary.Log(_ports, _routerCounters, _running.Pool);
                if (Lab.Fpm is not null) _fpm.LogCounters(_log);
                break;
            case GetLabView:
                Sender.Tell(new LabView(Lab, _ports.ToArray(), _routerCounters, _running.Pool, _running.Router, _running.IsUp)
                {
                    RouteBook = _running.RouteBook, Fpm = _fpmServer, Reloads = _source?.Reloads ?? 0, FailedReloads = _source?.FailedReloads ?? 0,
                });
                break;
            case ReloadLab:
                _reload.Begin(Sender);
                break;
            case object when _reload.Handle(message):
                break;
            case Terminated terminated when _ports.IsEssential(terminated.ActorRef):
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
        _reload.PortUp(port);
        if (!_running.PortsUp.Add(port) || _running.IsUp || _running.PortsUp.Count < Lab.Devices.Length + Lab.Peers.Length + _controlPlane.Count) return;
        _running.IsUp = true;
        _log.Info("lab up: {Devices} devices, {Peers} peers, {Wires} wires, {Routes} routes, data plane at nice {Nice}{Priorities}", Lab.Devices.Length, Lab.Peers.Length,
            Lab.Wires.Length, _running.Routes.Count, _reactor.Priority.NiceRefused is null ? _reactor.Priority.Nice.ToString(CultureInfo.InvariantCulture) : "as inherited",
            (_reactor.Flood.IsEnabled ? $" ({_reactor.Flood.FloodNice} during a flood of small frames)" : "")
            + (_reactor.Priority.IsRealtime ? $", real-time priority {_reactor.Priority.RealtimePriority} while not busy" : ""));
        Context.System.EventStream.Publish(new LabUp(_ports.Select(p => p.Name).ToArray(), Counters()));
    }

    /// <summary>The places of the ports an OpenFlow switch numbers: the lab's devices and peers.</summary>
    private int[] OpenFlowPlaces() => [.. Lab.Devices.Select(d => d.Name).Concat(Lab.Peers.Select(p => p.Name)).Select(_ports.IndexOf)];

    /// <summary>A reload placed the lab's ports anew: the metrics endpoint, the FPM server and the OpenFlow switch learn the ports it has now.</summary>
    private void Reloaded()
    {
        Context.System.EventStream.Publish(new LabReloaded(Counters()));
        if (_fpmServer is not null) LabFpm.Reloaded(_fpmServer, Lab, _ports);
        _openFlow?.Tell(new OpenFlowPortsChanged(_ports.ToArray(), OpenFlowPlaces()));
    }

    private LabCounters Counters() => new([.. _ports.Where(p => !p.IsRetired)], _routerCounters, _running.Pool!, _routeCounts, _reactor.Flood,
        _openFlowCounters);

    private sealed record LogCounters
    {
        public static readonly LogCounters Instance = new();
    }

}

/// <summary>The reason given to CoordinatedShutdown when the lab cannot run.</summary>
public sealed class LabFailed : CoordinatedShutdown.Reason
{
    public static readonly LabFailed Instance = new();

    public override int ExitCode => 1;
}
