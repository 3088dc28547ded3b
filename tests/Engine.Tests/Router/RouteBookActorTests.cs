using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>
/// The route book hands the router whole snapshots: the lab's at once, then one per burst of
/// changes (coalesced over its publish delay), and a peer's link going down moves routes to their
/// backups (the decision the router used to make).
/// </summary>
public sealed class RouteBookActorTests : TestKit
{
    private static readonly Port[] Ports = Enumerable.Range(0, 3)
        .Select(i => new Port(i, $"p{i}", Akka.Actor.ActorRefs.Nobody, 1500, new PortCounters()) { IsPeer = i == 2 })
        .ToArray();

    private static readonly IpPrefix Net = IpPrefix.Ipv4(Packets.V4("10.9.0.0"), 16);

    [Fact]
    public void A_burst_of_ten_thousand_updates_reaches_the_router_as_a_few_snapshots_holding_them_all()
    {
        var router = CreateTestProbe();
        var book = Sys.ActorOf(RouteBookActor.Props(router, new RouteTable(Ports, []), TimeSpan.FromMilliseconds(200)));
        router.ExpectMsg<RoutesChanged>(); // the lab's table, at once

        for (var i = 0; i < 10_000; i++)
        {
            var prefix = IpPrefix.Ipv4(Packets.V4("10.128.0.0") + ((uint)i << 8), 24);
            book.Tell(new ChangeRoutes(RouteSource.Fpm, [new RouteChange(prefix, new TableRoute(prefix, new NextHop(i % 2)))]));
        }

        var snapshots = 0;
        RouteSnapshot last;
        do
        {
            last = router.ExpectMsg<RoutesChanged>(TimeSpan.FromSeconds(10)).Routes;
            snapshots++;
        } while (last.Ipv4.Lookup(Packets.V4("10.167.15.1")) < 0); // the last prefix: 10.128.0.0 + (9999 << 8)
        Assert.InRange(snapshots, 1, 20);
        Assert.Equal(new NextHop(1), last.NextHops[last.Ipv4.Lookup(Packets.V4("10.167.15.1"))]);
        Assert.Equal(new NextHop(0), last.NextHops[last.Ipv4.Lookup(Packets.V4("10.128.0.1"))]);
        router.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public void A_peer_link_going_down_takes_routes_to_their_backup_and_back()
    {
        var router = CreateTestProbe();
        var book = Sys.ActorOf(RouteBookActor.Props(router, new RouteTable(Ports, [new TableRoute(Net, new NextHop(2), new NextHop(1))]), TimeSpan.Zero));
        Assert.Equal(new NextHop(1), HopTo(router.ExpectMsg<RoutesChanged>().Routes)); // peers start down

        book.Tell(new PortLinkChanged(2, Up: true));
        Assert.Equal(new NextHop(2), HopTo(router.ExpectMsg<RoutesChanged>().Routes));
        book.Tell(new PortLinkChanged(0, Up: false)); // no route depends on it
        router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        book.Tell(new PortLinkChanged(2, Up: false));
        Assert.Equal(new NextHop(1), HopTo(router.ExpectMsg<RoutesChanged>().Routes));
    }

    [Fact]
    public void Links_reported_before_the_lab_installs_its_routes_are_applied_to_them()
    {
        var router = CreateTestProbe();
        var book = Sys.ActorOf(RouteBookActor.Props(router, publishDelay: TimeSpan.Zero));
        book.Tell(new PortLinkChanged(2, Up: true));
        router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        book.Tell(new InstallRoutes(new RouteTable(Ports, [new TableRoute(Net, new NextHop(2), new NextHop(1))])));
        router.ExpectMsg<RoutesChanged>();
        Assert.Equal(new NextHop(2), HopTo(router.ExpectMsg<RoutesChanged>().Routes));
    }

    [Fact]
    public void Clearing_a_source_withdraws_its_routes()
    {
        var router = CreateTestProbe();
        var book = Sys.ActorOf(RouteBookActor.Props(router, new RouteTable(Ports, []), TimeSpan.Zero));
        router.ExpectMsg<RoutesChanged>();
        book.Tell(new ChangeRoutes(RouteSource.Fpm, [new RouteChange(Net, new TableRoute(Net, new NextHop(0)))]));
        Assert.Equal(new NextHop(0), HopTo(router.ExpectMsg<RoutesChanged>().Routes));

        book.Tell(new ChangeRoutes(RouteSource.Fpm, []) { ClearFirst = true });
        Assert.True(router.ExpectMsg<RoutesChanged>().Routes.Ipv4.Lookup(Packets.V4("10.9.1.1")) < 0);
    }

    [Fact]
    public void A_steady_stream_of_changes_is_still_published_while_it_lasts()
    {
        var router = CreateTestProbe();
        var book = Sys.ActorOf(RouteBookActor.Props(router, new RouteTable(Ports, []), TimeSpan.FromMilliseconds(200)));
        router.ExpectMsg<RoutesChanged>();

        // A change every 50 ms never leaves the book quiet for 200 ms: the wait's bound publishes.
        var published = 0;
        for (var i = 0; i < 40 && published == 0; i++)
        {
            var prefix = IpPrefix.Ipv4(0x0A630000u + ((uint)i << 8), 24);
            book.Tell(new ChangeRoutes(RouteSource.Fpm, [new RouteChange(prefix, new TableRoute(prefix, new NextHop(0)))]));
            published += router.ReceiveWhile(TimeSpan.FromMilliseconds(50), m => m as RoutesChanged).Count;
        }

        Assert.True(published > 0, "no snapshot in 2 s of changes every 50 ms");
    }

    private static NextHop HopTo(RouteSnapshot snapshot)
    {
        var hop = snapshot.Ipv4.Lookup(Packets.V4("10.9.1.1"));
        Assert.True(hop >= 0, "no route to 10.9.1.1");
        return snapshot.NextHops[hop];
    }
}
