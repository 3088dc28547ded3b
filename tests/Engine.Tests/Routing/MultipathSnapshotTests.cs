using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using Xunit;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Routing;

/// <summary>
/// Multipath routes in a snapshot and a route table: routes over the same paths share a group,
/// a route whose paths come down to one next hop is a plain route, and a path whose peer link
/// is down is left out while another is up.
/// </summary>
public class MultipathSnapshotTests
{
    private static readonly Port[] Ports =
    [
        new(0, "tun-a", Akka.Actor.ActorRefs.Nobody, 1500, new PortCounters()),
        new(1, "east", Akka.Actor.ActorRefs.Nobody, 1500, new PortCounters()) { IsPeer = true },
        new(2, "west", Akka.Actor.ActorRefs.Nobody, 1500, new PortCounters()) { IsPeer = true },
    ];

    [Fact]
    public void Routes_over_the_same_paths_share_one_group_and_a_lookup_leads_to_it()
    {
        EcmpPath[] paths = [new(new NextHop(1)), new(new NextHop(2))];
        var snapshot = RouteSnapshot.Of(Ports,
        [
            SnapshotRoute.Multipath(Prefix("10.9.0.0/16"), paths),
            SnapshotRoute.Multipath(Prefix("10.8.0.0/16"), [new(new NextHop(2)), new(new NextHop(1))]),
            new SnapshotRoute(Prefix("10.0.1.0/24"), new NextHop(0)),
        ]);

        Assert.Single(snapshot.Groups);
        var value = snapshot.Ipv4.Lookup(Packets.V4("10.9.1.1"));
        Assert.True(snapshot.IsMultipath(value));
        Assert.Equal(value, snapshot.Ipv4.Lookup(Packets.V4("10.8.1.1")));
        var ports = Enumerable.Range(0, 64).Select(h => snapshot.HopOf(value, (uint)h).Port).ToHashSet();
        Assert.Equal([1, 2], ports.Order());
        Assert.False(snapshot.IsMultipath(snapshot.Ipv4.Lookup(Packets.V4("10.0.1.1"))));
    }

    [Fact]
    public void A_route_whose_paths_name_one_next_hop_twice_is_a_plain_route()
    {
        var snapshot = RouteSnapshot.Of(Ports, [SnapshotRoute.Multipath(Prefix("10.9.0.0/16"), [new(new NextHop(1)), new(new NextHop(1), 3)])]);

        Assert.Empty(snapshot.Groups);
        Assert.Equal(1, snapshot.HopOf(snapshot.Ipv4.Lookup(Packets.V4("10.9.0.1")), 0).Port);
    }

    [Fact]
    public void A_path_whose_peer_link_is_down_is_left_out_and_all_paths_stay_while_every_link_is_down()
    {
        // Peer ports start down in a book: both paths are kept until one comes up.
        var book = new RouteBook(new RouteTable(Ports, [TableRoute.Multipath(Prefix("10.9.0.0/16"), [new(new NextHop(1)), new(new NextHop(2))])]));
        Assert.Single(book.Build().Groups);

        Assert.True(book.SetLink(2, up: true));
        var oneUp = book.Build();
        var value = oneUp.Ipv4.Lookup(Packets.V4("10.9.0.1"));
        Assert.All(Enumerable.Range(0, 256), h => Assert.Equal(2, oneUp.HopOf(value, (uint)h).Port));

        Assert.True(book.SetLink(1, up: true));
        Assert.Single(book.Build().Groups);
        Assert.False(book.SetLink(0, up: false)); // no route depends on tun-a
    }
}
