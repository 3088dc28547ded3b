using Akka.Actor;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Dataplane;
using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// Chooses each frame's egress. Owns the routing table: it holds one immutable snapshot and
/// replaces it whole on <see cref="RoutesChanged"/>. Receives batches from device readers and
/// peer links and sends one batch per egress port. Runs on the reactor dispatcher in the
/// engine; in tests, anywhere.
/// </summary>
public sealed class RouterActor : UntypedActor, IWithTimers
{
    /// <summary>How often packets held for a neighbour's answer (and switches' MAC tables) are looked at, whatever the traffic.</summary>
    private static readonly TimeSpan HeldInterval = TimeSpan.FromMilliseconds(250);

    private readonly RouterState _state;
    private readonly Forwarder _forwarder;

    public RouterActor(FrameBatchPool pool, RouterState state, RouterCounters counters)
    {
        _state = state;
        var faults = new FrameFaults(Context.GetLogger(), "router");
        _forwarder = new Forwarder(pool, counters, new IcmpRateLimiter(perSecond: 1000, burst: 200), faults, state.Offloads);
    }

    /// <summary>A router that starts from <paramref name="routes"/>; its restarts start from the table it has by then.</summary>
    public static Props Props(FrameBatchPool pool, RouteSnapshot routes, RouterCounters counters)
    {
        var state = new RouterState(routes);
        return Akka.Actor.Props.Create(() => new RouterActor(pool, state, counters));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FrameBatch batch:
                _forwarder.Route(batch, _state.Routes);
                if (_forwarder.HoldsFrames) KeepRetrying();
                break;
            case RoutesChanged changed:
                _state.Table = null;
                _state.Routes = _state.UnderRules(changed.Routes);
                if (HasSwitches(changed.Routes)) KeepRetrying();
                break;
            case InstallRoutes install:
                _state.Table = install.Table;
                _state.DownPorts.Clear();
                foreach (var port in install.Table.Ports)
                    if (port.IsPeer) _state.DownPorts.Add(port.Index);
                _state.Routes = _state.UnderRules(install.Table.Resolve(_state.DownPorts));
                if (HasSwitches(_state.Routes)) KeepRetrying();
                break;
            case RetryHeld:
                _forwarder.RetryHeld(_state.Routes);
                if (!_forwarder.HoldsFrames && !HasSwitches(_state.Routes)) Timers.Cancel("held");
                break;
            case PortOffloadsChanged changed:
                _state.Offloads.Set(changed.Port, changed.Offloads);
                break;
            case PortLinkChanged changed:
                var moved = changed.Up ? _state.DownPorts.Remove(changed.Port) : _state.DownPorts.Add(changed.Port);
                // Hosts learned behind a link that went down may come back elsewhere: flood to find them.
                if (!changed.Up && (uint)changed.Port < (uint)_state.Routes.Ports.Length && _state.Routes.Ports[changed.Port].Switch is { } membership)
                    membership.Switch.Table.Forget(membership.Member);
                if (moved && _state.Table is { } table && table.DependsOn(changed.Port)) _state.Routes = _state.UnderRules(table.Resolve(_state.DownPorts));
                break;
            case RulesChanged rules:
                _state.Rules = rules;
                _state.Routes = _state.Routes.WithRules(rules.Rules);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// The retry timer runs only while it has work, so an idle router sleeps: while packets are
    /// held, and for as long as the lab has a switch, whose MAC tables it sweeps.
    /// </summary>
    private void KeepRetrying()
    {
        if (!Timers.IsTimerActive("held")) Timers.StartPeriodicTimer("held", RetryHeld.Instance, HeldInterval);
    }

    private static bool HasSwitches(RouteSnapshot routes)
    {
        foreach (var port in routes.Ports)
            if (port.Switch is not null) return true;
        return false;
    }
}

/// <summary>Replace the router's table with <paramref name="Routes"/>.</summary>
public sealed record RoutesChanged(RouteSnapshot Routes);

/// <summary>
/// Replace the router's table with <paramref name="Table"/>, whose routes switch to their backups
/// while their port's link is down. Peer ports start down until their link reports up.
/// </summary>
public sealed record InstallRoutes(RouteTable Table);

/// <summary>Frames meet <paramref name="Rules"/> from now on instead of the lab's own table (an OpenFlow switch's flows joined to them).</summary>
public sealed record RulesChanged(Rules.RuleTable? Rules);

/// <summary>A device (re)opened and takes these unfinished frames from now on.</summary>
public sealed record PortOffloadsChanged(int Port, PortOffloads Offloads);

/// <summary>A peer's link came up or went down.</summary>
public sealed record PortLinkChanged(int Port, bool Up);

/// <summary>The router's timer: look at the packets held for a neighbour's answer.</summary>
internal sealed class RetryHeld
{
    public static readonly RetryHeld Instance = new();
}
