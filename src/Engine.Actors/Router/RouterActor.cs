using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// Chooses each frame's egress. Owns the routing table: it holds one immutable snapshot and
/// replaces it whole on <see cref="RoutesChanged"/>. Receives batches from device readers (and
/// later peers) and sends one batch per egress port. Runs on the reactor dispatcher in the
/// engine; in tests, anywhere.
/// </summary>
public sealed class RouterActor : UntypedActor
{
    private readonly Forwarder _forwarder;
    private RouteSnapshot _routes;

    public RouterActor(FrameBatchPool pool, RouteSnapshot routes, RouterCounters counters)
    {
        _routes = routes;
        _forwarder = new Forwarder(pool, counters, new IcmpRateLimiter(perSecond: 1000, burst: 200));
    }

    public static Props Props(FrameBatchPool pool, RouteSnapshot routes, RouterCounters counters) =>
        Akka.Actor.Props.Create(() => new RouterActor(pool, routes, counters));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FrameBatch batch:
                _forwarder.Route(batch, _routes);
                break;
            case RoutesChanged changed:
                _routes = changed.Routes;
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}

/// <summary>Replace the router's table with <paramref name="Routes"/>.</summary>
public sealed record RoutesChanged(RouteSnapshot Routes);
