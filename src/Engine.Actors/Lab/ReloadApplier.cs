using Akka.Actor;
using Akka.Event;
using Engine.Actors.Devices;
using Engine.Actors.Peers;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Switching;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Reactor;

namespace Engine.Actors.Lab;

/// <summary>
/// `engine reload` and SIGHUP, for the lab actor: the file read again and compared with the
/// running lab (<see cref="LabDiff"/>). A bad file, or a change a running lab cannot take, changes
/// nothing; otherwise the ports removed or changed (and the router interfaces of switches removed
/// or changed) leave the router's table and stop, then the ports added or changed start, every
/// port gets the wires and switch place the file gives it, and the reloaded lab's table goes in.
/// Unchanged ports keep their actors, and unchanged switches what they have learned. Runs on the
/// lab actor's thread, with its context.
/// </summary>
/// <param name="reloaded">Called once the reloaded lab's ports are in place, for those that keep a list of them.</param>
internal sealed class ReloadApplier(IUntypedActorContext context, ITimerScheduler timers, RunningLab running, LabPorts ports,
    ControlPlanePorts controlPlane, LabNamespaces namespaces, Reactor reactor, LabSource? source, ReloadOutcome outcome, ILoggingAdapter log,
    Action reloaded)
{
    private const string WaitTimer = "reload";
    // How long a reload waits for the ports it started to come up before it answers anyway.
    private static readonly TimeSpan UpWait = TimeSpan.FromSeconds(5);

    private PendingReload? _reload;

    public void Begin(IActorRef requester)
    {
        if (source is null || !running.IsUp || _reload is not null)
        {
            var reason = source is null ? "this lab was not started from a file" : !running.IsUp ? "the lab is not up yet" : "a reload is under way; try again once it has answered";
            outcome.Refused(requester, ReloadAnswer.Failed(reason));
            return;
        }
        var next = source.Read(out var errors);
        var diff = next is null ? null : LabDiff.Between(running.Declared, next);
        if (next is null || diff!.Refusals.Count > 0)
        {
            outcome.Refused(requester, ReloadAnswer.Refused(next is null ? errors : [.. diff!.Refusals.Select(e => e.ToString())]));
            return;
        }
        if (TakeLocks(next) is { } locked)
        {
            outcome.Refused(requester, ReloadAnswer.Failed(locked));
            return;
        }
        var reload = _reload = new PendingReload(requester, diff, next) { KeptSwitches = KeptSwitches(diff) };
        foreach (var name in diff.Devices.Removed.Concat(diff.Devices.Changed).Concat(diff.Peers.Removed).Concat(diff.Peers.Changed))
        {
            running.PortsUp.Remove(ports.IndexOf(name));
            // Its Terminated is the reload's, not a failure of the lab.
            var actor = ports.Retire(name);
            reload.Stopping.Add(actor);
            if (diff.Devices.Touched.Contains(name)) reload.Devices.Add(actor);
        }
        // A router interface has no actor behind it: its place empties with its switch.
        foreach (var name in diff.Switches.Removed.Concat(diff.Switches.Changed).Where(name => ports.IndexOf(name) >= 0))
            ports.Retire(name);
        RetireMirrors(reload);
        if (reload.Stopping.Count == 0) StartReloaded(reload);
        else running.RouteBook!.Tell(new ReplaceLabRoutes(new RouteTable(ports.ToArray(), running.Routes, running.Rules), context.Self));
    }

    /// <summary>
    /// The control-plane interfaces of the routed ports the reload removes or recreates, and of
    /// those it wires or switches (no longer routed), go with them; a port routed anew gets its own
    /// once it is in place (<see cref="StartMirrors"/>).
    /// </summary>
    private void RetireMirrors(PendingReload reload)
    {
        var diff = reload.Diff;
        var touched = diff.Devices.Touched.Concat(diff.Peers.Touched).Concat(diff.Switches.Touched).ToHashSet(StringComparer.Ordinal);
        var wanted = ControlPlanePlan.Mirrors(reload.Next).ToDictionary(m => m.Port, StringComparer.Ordinal);
        foreach (var (mirror, index) in controlPlane.Mirrors.ToList())
        {
            if (!touched.Contains(mirror.Port) && wanted.TryGetValue(mirror.Port, out var kept) && kept.Equals(mirror)) continue;
            running.PortsUp.Remove(index);
            var actor = ports.Retire(ControlPlanePorts.PortName(mirror));
            reload.Stopping.Add(actor);
            reload.Devices.Add(actor);
            controlPlane.Remove(mirror.Port);
        }
    }

    /// <summary>The interfaces in the control-plane namespace of the routed ports that have none yet, each opened once its port is in place.</summary>
    private void StartMirrors(PendingReload reload, IReadOnlyList<ControlPlaneMirror> placed)
    {
        foreach (var mirror in placed)
        {
            var index = controlPlane.PortOf(mirror.Port);
            ports.Set(ports.StartMirror(mirror, index, running.Devices!, openInBackground: true));
            reload.Starting[index] = ControlPlanePorts.PortName(mirror);
        }
    }

    /// <summary>The locks of the namespaces and devices the reload adds, taken as the start took the lab's; null when taken, else why not.</summary>
    private string? TakeLocks(LabTopology next)
    {
        try
        {
            return source!.Locks is not { } locks || locks.TryTake(next, out var holder) ? null : $"cannot lock the reloaded lab: {holder}";
        }
        catch (NativeException e)
        {
            return $"cannot lock the reloaded lab: {e.Message}";
        }
    }

    /// <summary>Takes the reload's messages; false for any other.</summary>
    public bool Handle(object message)
    {
        switch (message)
        {
            case LabRoutesReplaced when _reload is { Step: ReloadStep.Retiring } reload:
                reload.Step = ReloadStep.Stopping;
                foreach (var actor in reload.Stopping)
                    if (reload.Devices.Contains(actor)) actor.Tell(RetireDevice.Instance);
                    else context.Stop(actor);
                return true;
            case LabRoutesReplaced when _reload is { } reload:
                reload.RoutesInstalled = true;
                if (reload.IsDone) Finish();
                return true;
            case Terminated terminated when _reload is { } reload && reload.Stopping.Remove(terminated.ActorRef):
                if (reload.Stopping.Count == 0) StartReloaded(reload);
                return true;
            case ReloadWaitOver when _reload is not null:
                Finish();
                return true;
            default:
                return false;
        }
    }

    /// <summary>Port <paramref name="port"/> has come up: the reload may answer once every port it started has.</summary>
    public void PortUp(int port)
    {
        if (_reload?.Starting.Remove(port) == true && _reload.IsDone) Finish();
    }

    /// <summary>The running switches that the file leaves as they are, by name.</summary>
    private Dictionary<string, L2Switch> KeptSwitches(LabDiff diff)
    {
        var kept = new Dictionary<string, L2Switch>(StringComparer.Ordinal);
        foreach (var port in ports)
            if (port.Switch?.Switch is { } l2 && !diff.Switches.Touched.Contains(l2.Name))
                kept.TryAdd(l2.Name, l2);
        return kept;
    }

    /// <summary>
    /// Every port of the reloaded lab is placed first (a changed one in its old place, a new one
    /// after the rest), since wires and switches number the ports they join; then the ports added or
    /// changed start with their wires and switch places, the unchanged ones are rewired where the
    /// file changed theirs, and the reloaded lab's table goes in.
    /// </summary>
    private void StartReloaded(PendingReload reload)
    {
        reload.Step = ReloadStep.Starting;
        var next = reload.Next;
        try
        {
            namespaces.Reconcile([.. next.Namespaces]);
        }
        catch (NativeException e)
        {
            log.Error("reload: namespaces: {Reason}", e.Message);
        }
        namespaces.WatchWith(timers);
        source!.Locks?.KeepOnly(next);

        foreach (var name in next.Devices.Select(d => d.Name).Concat(next.Peers.Select(p => p.Name)).Concat(SwitchPlan.RouterInterfaces(next).Select(s => s.Name)))
            ports.SlotOf(name);
        // Mirrors last, so that each routed port knows its mirror's place as it is made or rewired.
        var mirrors = ControlPlanePlan.Mirrors(next).Where(m => controlPlane.PortOf(m.Port) < 0).ToList();
        foreach (var mirror in mirrors)
            controlPlane.Place(mirror, ports.SlotOf(ControlPlanePorts.PortName(mirror)));
        var wires = WirePlan.Build(next, ports.SlotOf, ports.Count);
        var switches = SwitchPlan.Build(next, ports.SlotOf, ports.SlotOf, ports.Count, reload.KeptSwitches);
        var peers = WiredPeers.Adjust(next, wires, LabLayout.DefaultPeerMtu(next), switches, ports.SlotOf);

        var started = reload.Diff.Devices.Added.Concat(reload.Diff.Devices.Changed).ToHashSet();
        foreach (var spec in next.Devices)
        {
            var index = ports.SlotOf(spec.Name);
            if (!started.Contains(spec.Name))
            {
                ports.Rewire(index, wires[index], switches[index], spec);
                continue;
            }
            ports.Set(ports.StartDevice(spec, index, running.Devices!, wires[index], switches[index], openInBackground: true));
            reload.Starting[index] = spec.Name;
        }
        PlaceRouterInterfaces(next, switches);
        StartPeers(reload, next, peers, wires, switches);
        StartMirrors(reload, mirrors);

        running.Lab = next with { Peers = peers };
        running.Declared = next;
        source.Applied = next;
        running.Routes = LabRoutes.Build(running.Lab, ports.IndexOf, log);
        running.RouteBook!.Tell(new ReplaceLabRoutes(new RouteTable(ports.ToArray(), running.Routes, running.Rules), context.Self));
        reloaded();
        timers.StartSingleTimer(WaitTimer, ReloadWaitOver.Instance, UpWait);
    }

    /// <summary>
    /// The router interface of each switch the reload added or changed takes its place; an unchanged
    /// one stays, unless its members' MTU or its control-plane mirror changed under it.
    /// </summary>
    private void PlaceRouterInterfaces(LabTopology next, SwitchMembership?[] switches)
    {
        foreach (var spec in SwitchPlan.RouterInterfaces(next))
        {
            var index = ports.SlotOf(spec.Name);
            var port = RouterInterfacePorts.Build(next, spec, index, switches, LabLayout.DefaultPeerMtu(next), controlPlane.PortOf);
            if (ports[index] is { IsRetired: false } kept && kept.Mtu == port.Mtu && kept.ControlPlane == port.ControlPlane) continue;
            ports.Set(port);
        }
    }

    /// <summary>The peers added or changed start, told every port's name in its place now, and which carry Ethernet frames; unchanged ones are rewired.</summary>
    private void StartPeers(PendingReload reload, LabTopology next, IReadOnlyList<PeerSpec> peers, PortWires?[] wires, SwitchMembership?[] switches)
    {
        var started = reload.Diff.Peers.Added.Concat(reload.Diff.Peers.Changed).ToHashSet();
        var taps = next.Devices.Where(d => d.Type == DeviceType.Tap).Select(d => ports.SlotOf(d.Name)).ToHashSet();
        var environment = new PeerEnvironment(reactor, running.Pool!, running.Router!, next.Settings.NodeName, [.. ports.Select(p => p.Name)],
            LabLayout.DefaultPeerMtu(next), next.Peers.Length, LabLayout.EthernetPorts(taps.Contains, wires, switches, ports.Count))
        {
            RouteBook = running.RouteBook,
        };
        foreach (var spec in peers)
        {
            var index = ports.SlotOf(spec.Name);
            if (!started.Contains(spec.Name))
            {
                ports.Rewire(index, wires[index], switches[index], device: null);
                continue;
            }
            ports.Set(ports.StartPeer(spec, index, environment, wires[index], switches[index]));
            reload.Starting[index] = spec.Name;
        }
    }

    private void Finish()
    {
        var reload = _reload!;
        _reload = null;
        timers.Cancel(WaitTimer);
        outcome.Done(reload);
    }

    private sealed record ReloadWaitOver
    {
        public static readonly ReloadWaitOver Instance = new();
    }
}
