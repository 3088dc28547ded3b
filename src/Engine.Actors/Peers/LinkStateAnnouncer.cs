using Akka.Actor;
using Akka.Event;
using Engine.Actors.Router;
using Engine.Actors.Routing;

namespace Engine.Actors.Peers;

/// <summary>
/// Tells the lab whether a peer's link is up: the router, which sends or drops (port-down) and
/// switches routes that have a backup; the route book, whose routes through the peer follow;
/// the event stream, where an OpenFlow switch sends PORT_STATUS; and the port's counters. A
/// peer starts down, as the router assumes, and each outage is told once.
/// </summary>
internal sealed class LinkStateAnnouncer(PeerLinkContext context, IActorRef? routeBook, EventStream events)
{
    private bool _down = true;

    /// <summary>The router may send frames again, and super-frames whole if the link carries them.</summary>
    public void Up(PeerLink link)
    {
        _down = false;
        var offloads = link.CarriesOffloads
            ? PortOffloads.PartialChecksum | PortOffloads.TcpV4 | PortOffloads.TcpV6 | PortOffloads.Udp
            : PortOffloads.None;
        context.Router.Tell(new PortOffloadsChanged(context.Port, offloads));
        Tell(up: true);
    }

    /// <summary>Tells that the link is down, once per outage; returns whether it was up.</summary>
    public bool Down()
    {
        if (_down) return false;
        _down = true;
        Tell(up: false);
        return true;
    }

    private void Tell(bool up)
    {
        context.Counters.SetLink(up);
        var changed = new PortLinkChanged(context.Port, up);
        context.Router.Tell(changed);
        routeBook?.Tell(changed);
        events.Publish(changed);
    }
}
