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
    // How long a reload waits for the ports it started to come up before it answers anyway.
    private static readonly TimeSpan ReloadUpWait = TimeSpan.FromSeconds(5);

    private LabTopology _lab;
    // The lab as its file declares it (peers before the wires adjust them), which a reload compares the file with.
    private LabTopology _declared;
    private readonly LabSource? _source;
    private PendingReload? _reload;
    private readonly PortWires?[] _wires;
    private readonly SwitchMembership?[] _switches;
    private readonly Reactor _reactor;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LabNamespaces _namespaces;
    private readonly RouterCounters _routerCounters = new();
    private readonly RouteCounts _routeCounts = new();
    private readonly LabPorts _ports;
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
    private readonly ReloadOutcome _reloadOutcome;
    private DeviceContext? _deviceContext;
    private PeerEnvironment? _peerEnvironment;
    private RuleTable? _rules;
    // The lab's connected and static routes as the table holds them.
    private List<TableRoute> _labRoutes = [];

    /// <param name="source">The file the lab comes from, for reloads; a restarted lab builds what it last applied.</param>
    public LabActor(LabTopology lab, Reactor reactor, LabSource? source = null)
    {
        lab = source?.Applied ?? lab;
        _source = source;
        _declared = lab;
        _wires = WirePlan.Build(lab, name => LabLayout.PortIndexIn(lab, name));
        _switches = SwitchPlan.Build(lab, name => LabLayout.PortIndexIn(lab, name));
        _lab = lab with { Peers = WiredPeers.Adjust(lab, _wires, LabLayout.DefaultPeerMtu(lab), _switches) };
        _reactor = reactor;
        _namespaces = new LabNamespaces([.. lab.Namespaces], _log);
        _counterSummary = new CounterSummary(_log);
        _controlPlane = new ControlPlanePorts(ControlPlanePlan.Mirrors(lab),
            lab.Devices.Length + lab.Peers.Length + SwitchPlan.RouterInterfaces(lab).Count());
        _ports = new LabPorts(Context, _controlPlane);
        _reloadOutcome = new ReloadOutcome(source, _log, Context.System.DeadLetters);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(LabTopology lab, Reactor reactor, LabSource? source = null) =>
        Akka.Actor.Props.Create(() => new LabActor(lab, reactor, source)).WithDispatcher(ControlDispatcher);

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
        var context = _deviceContext = new DeviceContext(_reactor, pool, router);
        for (var i = 0; i < _lab.Devices.Length; i++)
            _ports.Add(_ports.StartDevice(_lab.Devices[i], i, context, _wires[i], _switches[i], openInBackground: false));

        StartPeers(pool, router, routeBook);
        _ports.AddRange(RouterInterfacePorts.Build(_lab, _switches, _ports.Count, LabLayout.DefaultPeerMtu(_lab), _controlPlane.PortOf));
        StartControlPlane(context);

        var labRules = RuleCompiler.Compile(_lab.Rules, _ports.IndexOf).ToList();
        if (_lab.OpenFlow is { } openFlow) StartOpenFlow(openFlow, labRules, router, pool);
        var rules = _rules = RuleTable.Build(labRules);
        var routes = _labRoutes = LabRoutes.Build(_lab, _ports.IndexOf, _log);
        _routeCount = routes.Count;
        // The router forwards under the lab's own table from the start, before "lab up": the book's
        // first snapshot, the same table, is a mailbox and a build away, and a host may send at once.
        var table = new RouteTable(_ports.ToArray(), routes, rules);
        router.Tell(new RoutesChanged(new RouteBook(table).Build()));
        routeBook.Tell(new InstallRoutes(table));
        if (_lab.Fpm is { } fpm)
        {
            var server = _fpmServer = _fpm.Start(Context, fpm, _lab, _ports.ToArray(), _reactor, routeBook);
            _ports.Watch(server);
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
        var mtu = LabLayout.DefaultPeerMtu(_lab);
        var environment = _peerEnvironment = new PeerEnvironment(_reactor, pool, router, _lab.Settings.NodeName, names, mtu, _lab.Peers.Length, LabLayout.EthernetPorts(_lab, _wires, _switches, names.Length))
        {
            RouteBook = routeBook,
        };
        foreach (var spec in _lab.Peers)
            _ports.Add(_ports.StartPeer(spec, _ports.Count, environment, _wires[_ports.Count], _switches[_ports.Count]));
    }

    /// <summary>
    /// Opens each routed port's interface in the control-plane namespace, with that port's MTU, and
    /// MAC on a tap: ports after the router interfaces, whose frames leave through the port they mirror.
    /// </summary>
    private void StartControlPlane(DeviceContext context)
    {
        foreach (var (mirror, index) in _controlPlane.Mirrors)
        {
            var routed = _ports[_ports.IndexOf(mirror.Port)];
            var spec = mirror.Device with { Mtu = routed.Mtu };
            var (device, counters) = _ports.StartDeviceActor(spec, index, context, "control-plane-" + LabPorts.ActorName(spec.Name, index), openInBackground: false);
            _ports.Add(new Port(index, ControlPlanePorts.PortName(mirror), device, spec.Mtu, counters)
            {
                IsEthernet = routed.IsEthernet,
                Mac = routed.Mac,
                MirrorOf = routed.Index,
            });
        }
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
                Sender.Tell(new LabView(_lab, _ports.ToArray(), _routerCounters, _pool, _router, _labUp)
                {
                    RouteBook = _routeBook, Fpm = _fpmServer, Reloads = _source?.Reloads ?? 0, FailedReloads = _source?.FailedReloads ?? 0,
                });
                break;
            case ReloadLab:
                BeginReload();
                break;
            case LabRoutesReplaced when _reload is { Step: ReloadStep.Retiring } reload:
                reload.Step = ReloadStep.Stopping;
                foreach (var actor in reload.Stopping)
                    if (reload.Devices.Contains(actor)) actor.Tell(RetireDevice.Instance);
                    else Context.Stop(actor);
                break;
            case LabRoutesReplaced when _reload is { } reload:
                reload.RoutesInstalled = true;
                if (reload.IsDone) FinishReload();
                break;
            case Terminated terminated when _reload is { } reload && reload.Stopping.Remove(terminated.ActorRef):
                if (reload.Stopping.Count == 0) StartReloaded(reload);
                break;
            case ReloadWaitOver when _reload is not null:
                FinishReload();
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

    /// <summary>
    /// `engine reload` and SIGHUP: the file read again and compared with the running lab
    /// (<see cref="LabDiff"/>). A bad file, or a change a running lab cannot take, changes nothing;
    /// otherwise the ports removed or changed leave the router's table and stop, and
    /// <see cref="StartReloaded"/> goes on once they have. Unchanged ports are not touched.
    /// </summary>
    private void BeginReload()
    {
        if (_source is null || !_labUp || _reload is not null)
        {
            var reason = _source is null ? "this lab was not started from a file" : !_labUp ? "the lab is not up yet" : "a reload is under way; try again once it has answered";
            _reloadOutcome.Refused(Sender, ReloadAnswer.Failed(reason));
            return;
        }
        var next = _source.Read(out var errors);
        var diff = next is null ? null : LabDiff.Between(_declared, next);
        if (next is null || diff!.Refusals.Count > 0)
        {
            _reloadOutcome.Refused(Sender, ReloadAnswer.Refused(next is null ? errors : [.. diff!.Refusals.Select(e => e.ToString())]));
            return;
        }
        var reload = _reload = new PendingReload(Sender, diff, next);
        foreach (var name in diff.Devices.Removed.Concat(diff.Devices.Changed).Concat(diff.Peers.Removed).Concat(diff.Peers.Changed))
        {
            _portsUp.Remove(_ports.IndexOf(name));
            // Its Terminated is the reload's, not a failure of the lab.
            var actor = _ports.Retire(name);
            reload.Stopping.Add(actor);
            if (reload.Diff.Devices.Touched.Contains(name)) reload.Devices.Add(actor);
        }
        if (reload.Stopping.Count == 0) StartReloaded(reload);
        else _routeBook!.Tell(new ReplaceLabRoutes(new RouteTable(_ports.ToArray(), _labRoutes, _rules), Self));
    }

    /// <summary>The ports added or changed start (a changed one in its old place, a new one after the rest), then the reloaded lab's table goes in.</summary>
    private void StartReloaded(PendingReload reload)
    {
        reload.Step = ReloadStep.Starting;
        var next = reload.Next;
        try
        {
            _namespaces.Reconcile([.. next.Namespaces]);
        }
        catch (NativeException e)
        {
            _log.Error("reload: namespaces: {Reason}", e.Message);
        }
        if (next.Namespaces.Any() && !Timers.IsTimerActive("namespaces"))
            Timers.StartPeriodicTimer("namespaces", WatchNamespaces.Instance, NamespaceWatchInterval);
        var devices = reload.Diff.Devices.Added.Concat(reload.Diff.Devices.Changed).ToHashSet();
        foreach (var spec in next.Devices.Where(d => devices.Contains(d.Name)))
        {
            var index = _ports.SlotOf(spec.Name);
            _ports.Set(_ports.StartDevice(spec, index, _deviceContext!, wires: null, membership: null, openInBackground: true));
            reload.Starting[index] = spec.Name;
        }
        var peers = reload.Diff.Peers.Added.Concat(reload.Diff.Peers.Changed).ToHashSet();
        var started = next.Peers.Where(p => peers.Contains(p.Name)).Select(p => (Spec: p, Index: _ports.SlotOf(p.Name))).ToList();
        if (started.Count > 0)
        {
            var environment = ReloadedPeerEnvironment(next);
            foreach (var (spec, index) in started)
            {
                _ports.Set(_ports.StartPeer(spec, index, environment, wires: null, membership: null));
                reload.Starting[index] = spec.Name;
            }
        }
        // Unchanged peers keep the specs they run with (the wires' adjustments included).
        _lab = next with { Peers = [.. next.Peers.Select(p => peers.Contains(p.Name) ? p : _lab.Peers.First(running => running.Name == p.Name))] };
        _declared = next;
        _source!.Applied = next;
        _labRoutes = LabRoutes.Build(_lab, _ports.IndexOf, _log);
        _routeCount = _labRoutes.Count;
        _routeBook!.Tell(new ReplaceLabRoutes(new RouteTable(_ports.ToArray(), _labRoutes, _rules), Self));
        Timers.StartSingleTimer("reload", ReloadWaitOver.Instance, ReloadUpWait);
    }

    /// <summary>What the peers a reload starts are told: every port's name in its place now, the taps among them.</summary>
    private PeerEnvironment ReloadedPeerEnvironment(LabTopology next)
    {
        var ethernet = new HashSet<int>(_peerEnvironment?.EthernetPorts ?? new HashSet<int>());
        foreach (var port in _ports.Where(p => p.IsEthernet && !p.IsRetired)) ethernet.Add(port.Index);
        return new PeerEnvironment(_reactor, _pool!, _router!, _lab.Settings.NodeName, [.. _ports.Select(p => p.Name)], LabLayout.DefaultPeerMtu(next),
            next.Peers.Length, ethernet) { RouteBook = _routeBook };
    }

    private void FinishReload()
    {
        var reload = _reload!;
        _reload = null;
        Timers.Cancel("reload");
        _reloadOutcome.Done(reload);
    }

    /// <summary>"lab up" once every device (the control plane's too) is forwarding and every peer's socket is open: a host or a peer may use the lab from then on.</summary>
    private void PortUp(int port)
    {
        if (_reload?.Starting.Remove(port) == true && _reload.IsDone) FinishReload();
        if (!_portsUp.Add(port) || _labUp || _portsUp.Count < _lab.Devices.Length + _lab.Peers.Length + _controlPlane.Count) return;
        _labUp = true;
        _log.Info("lab up: {Devices} devices, {Peers} peers, {Wires} wires, {Routes} routes, data plane at nice {Nice}{UnderFlood}", _lab.Devices.Length, _lab.Peers.Length,
            _lab.Wires.Length, _routeCount, _reactor.NiceRefused is null ? _reactor.Nice.ToString(CultureInfo.InvariantCulture) : "as inherited",
            _reactor.Flood.IsEnabled ? $" ({_reactor.Flood.FloodNice} during a flood of small frames)" : "");
        Context.System.EventStream.Publish(new LabUp(_ports.Select(p => p.Name).ToArray(),
            new LabCounters([.. _ports], _routerCounters, _pool!, _routeCounts, _reactor.Flood)));
    }

    private sealed record LogCounters
    {
        public static readonly LogCounters Instance = new();
    }

    private sealed record ReloadWaitOver
    {
        public static readonly ReloadWaitOver Instance = new();
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
