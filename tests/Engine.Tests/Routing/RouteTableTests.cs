using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>A route's backup is a next hop like its via: taken, address and all, while the via's peer link is down.</summary>
public sealed class RouteTableTests
{
    private static readonly Port[] Ports = Enumerable.Range(0, 3)
        .Select(i => new Port(i, $"p{i}", Akka.Actor.ActorRefs.Nobody, 1500, new PortCounters()) { IsEthernet = i == 1, IsPeer = i == 2 })
        .ToArray();

    private static readonly NextHop Peer = new(2);
    private static readonly NextHop TapRouter = new(1, Packets.V4("10.0.1.1"));

    [Fact]
    public void A_next_hop_backup_takes_over_while_the_peer_is_down_and_gives_way_when_it_is_up()
    {
        var book = new RouteBook(new RouteTable(Ports, [new TableRoute(IpPrefix.Ipv4(Packets.V4("10.9.0.0"), 16), Peer, TapRouter)]));

        var down = book.Build(); // a peer starts down
        Assert.True(book.SetLink(2, up: true));
        var up = book.Build();

        Assert.Equal(TapRouter, down.NextHops[down.Ipv4.Lookup(Packets.V4("10.9.1.1"))]);
        Assert.Equal(Peer, up.NextHops[up.Ipv4.Lookup(Packets.V4("10.9.1.1"))]);
        Assert.False(book.SetLink(1, up: false)); // no route's choice depends on port 1
    }

    [Fact]
    public void Routes_to_one_next_hop_share_one_entry_and_a_prefix_no_route_covers_finds_none()
    {
        var snapshot = RouteSnapshot.Of(Ports,
        [
            (IpPrefix.Ipv4(Packets.V4("10.9.0.0"), 16), TapRouter),
            (IpPrefix.Ipv4(Packets.V4("10.8.0.0"), 16), TapRouter),
            (IpPrefix.Ipv4(Packets.V4("10.0.1.0"), 24), new NextHop(1)),
        ]);

        Assert.Equal(2, snapshot.NextHops.Length);
        Assert.Equal(snapshot.Ipv4.Lookup(Packets.V4("10.9.0.1")), snapshot.Ipv4.Lookup(Packets.V4("10.8.0.1")));
        Assert.Equal(Ipv4PrefixTable.NoMatch, snapshot.Ipv4.Lookup(Packets.V4("10.7.0.1")));
    }
}
