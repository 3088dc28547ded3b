using Akka.Actor;
using Engine.Actors.Buffers;
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
    /// <summary>How often packets held for a neighbour's answer are looked at, whatever the traffic.</summary>
    private static readonly TimeSpan HeldInterval = TimeSpan.FromMilliseconds(250);

    private readonly Forwarder _forwarder;
    private readonly HashSet<int> _downPorts = new();
    private RouteSnapshot _routes;
    private RouteTable? _table;

    public RouterActor(FrameBatchPool pool, RouteSnapshot routes, RouterCounters counters)
    {
        _routes = routes;
        _forwarder = new Forwarder(pool, counters, new IcmpRateLimiter(perSecond: 1000, burst: 200));
    }

    public static Props Props(FrameBatchPool pool, RouteSnapshot routes, RouterCounters counters) =>
        Akka.Actor.Props.Create(() => new RouterActor(pool, routes, counters));

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart() => Timers.StartPeriodicTimer("held", RetryHeld.Instance, HeldInterval);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FrameBatch batch:
                _forwarder.Route(batch, _routes);
                break;
            case RoutesChanged changed:
                _table = null;
                _routes = changed.Routes;
                break;
            case InstallRoutes install:
                _table = install.Table;
                _downPorts.Clear();
                foreach (var port in install.Table.Ports)
                    if (port.IsPeer) _downPorts.Add(port.Index);
                _routes = install.Table.Resolve(_downPorts);
                break;
            case RetryHeld:
                _forwarder.RetryHeld(_routes);
                break;
            case PortOffloadsChanged changed:
                _forwarder.SetOffloads(changed.Port, changed.Offloads);
                break;
            case PortLinkChanged changed:
                var moved = changed.Up ? _downPorts.Remove(changed.Port) : _downPorts.Add(changed.Port);
                if (moved && _table is not null && _table.DependsOn(changed.Port)) _routes = _table.Resolve(_downPorts);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}

/// <summary>Replace the router's table with <paramref name="Routes"/>.</summary>
public sealed record RoutesChanged(RouteSnapshot Routes);

/// <summary>
/// Replace the router's table with <paramref name="Table"/>, whose routes switch to their backups
/// while their port's link is down. Peer ports start down until their link reports up.
/// </summary>
public sealed record InstallRoutes(RouteTable Table);

/// <summary>A device (re)opened and takes these unfinished frames from now on.</summary>
public sealed record PortOffloadsChanged(int Port, PortOffloads Offloads);

/// <summary>A peer's link came up or went down.</summary>
public sealed record PortLinkChanged(int Port, bool Up);

/// <summary>The router's timer: look at the packets held for a neighbour's answer.</summary>
internal sealed class RetryHeld
{
    public static readonly RetryHeld Instance = new();
}
