using Akka.Actor;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Capture;
using Engine.Actors.Dataplane;
using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// Chooses each frame's egress under the routing table's current snapshot, replaced whole on
/// <see cref="RoutesChanged"/> (from <see cref="RouteBookActor"/>, which owns the table's sources). Receives batches from device readers and
/// peer links and sends one batch per egress port. Runs on the reactor dispatcher in the
/// engine; in tests, anywhere.
/// </summary>
public sealed class RouterActor : UntypedActor, IWithTimers
{
    /// <summary>How often packets held for a neighbour's answer (and switches' MAC tables) are looked at, whatever the traffic.</summary>
    private static readonly TimeSpan HeldInterval = TimeSpan.FromMilliseconds(250);

    private readonly RouterState _state;
    private readonly Forwarder _forwarder;
    private readonly CaptureTaps _captures = new();

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
                _state.Routes = _state.UnderRules(changed.Routes);
                if (HasSwitches(changed.Routes)) KeepRetrying();
                break;
            case RetryHeld:
                _forwarder.RetryHeld(_state.Routes);
                if (!_forwarder.HoldsFrames && !HasSwitches(_state.Routes)) Timers.Cancel("held");
                break;
            case StartCapture start:
                _captures.Add(start.Tap);
                _forwarder.Captures = _captures;
                break;
            case StopCapture stop:
                _captures.Remove(stop.Tap);
                _forwarder.Captures = _captures.IsEmpty ? null : _captures;
                break;
            case GetRouterView:
                Sender.Tell(RouterView.Of(_state));
                break;
            case RouterSync sync:
                sync.ReplyTo.Tell(sync.Reply);
                break;
            case PortOffloadsChanged changed:
                _state.Offloads.Set(changed.Port, changed.Offloads);
                break;
            case PortLinkChanged changed:
                // Hosts learned behind a link that went down may come back elsewhere: flood to find them.
                // (Which routes take their backups is the route book's to decide.)
                if (!changed.Up && (uint)changed.Port < (uint)_state.Routes.Ports.Length && _state.Routes.Ports[changed.Port].Switch is { } membership)
                    membership.Switch.Table.Forget(membership.Member);
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

/// <summary>Answered with <paramref name="Reply"/> to <paramref name="ReplyTo"/>: the sender's earlier messages (a table, say) are in force by then.</summary>
public sealed record RouterSync(IActorRef ReplyTo, object Reply);

/// <summary>Frames meet <paramref name="Rules"/> from now on instead of the lab's own table (an OpenFlow switch's flows joined to them).</summary>
public sealed record RulesChanged(Rules.RuleTable? Rules);

/// <summary>A device (re)opened and takes these unfinished frames from now on.</summary>
public sealed record PortOffloadsChanged(int Port, PortOffloads Offloads);

/// <summary>A peer's link came up or went down (told to the router and the route book).</summary>
public sealed record PortLinkChanged(int Port, bool Up);

/// <summary>The router's timer: look at the packets held for a neighbour's answer.</summary>
internal sealed class RetryHeld
{
    public static readonly RetryHeld Instance = new();
}
