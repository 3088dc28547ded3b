using Engine.Actors.Counters;
using Engine.Actors.Routing;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// The route book's precedence: for one prefix the source of the lowest distance wins (connected 0,
/// static 1, runtime 2, FPM 3), the others wait behind it and take over when it goes.
/// </summary>
public sealed class RouteBookTests
{
    internal static readonly Port[] Ports = Enumerable.Range(0, 4)
        .Select(i => new Port(i, $"p{i}", Akka.Actor.ActorRefs.Nobody, 1500, new PortCounters()))
        .ToArray();

    private static readonly IpPrefix Net = IpPrefix.Ipv4(Packets.V4("10.9.0.0"), 16);
    private static readonly IpPrefix Connected = IpPrefix.Ipv4(Packets.V4("10.0.1.0"), 24);

    [Fact]
    public void A_static_route_wins_over_runtime_and_fpm_routes_to_the_same_prefix()
    {
        var book = new RouteBook(new RouteTable(Ports, [new TableRoute(Net, new NextHop(0))]));
        book.Set(RouteSource.Fpm, new TableRoute(Net, new NextHop(3)));
        book.Set(RouteSource.Runtime, new TableRoute(Net, new NextHop(2)));

        Assert.Equal(new NextHop(0), HopTo(book.Build(), "10.9.1.1"));
        Assert.Equal(RouteSource.Static, book.Winner(Net)?.Source);
    }

    [Fact]
    public void The_listing_shows_every_sources_route_and_marks_only_the_nearest_installed()
    {
        var book = new RouteBook(new RouteTable(Ports, [new TableRoute(Net, new NextHop(0))]));
        book.Set(RouteSource.Fpm, new TableRoute(Net, new NextHop(3)));
        book.Set(RouteSource.Runtime, new TableRoute(Net, new NextHop(2)));
        book.Set(RouteSource.Fpm, new TableRoute(Connected, new NextHop(3)));

        var listed = book.All().Select(r => (r.Route.Prefix, r.Route.Source, r.Installed)).ToList();

        Assert.Equal(
            [(Net, RouteSource.Static, true), (Net, RouteSource.Runtime, false), (Net, RouteSource.Fpm, false), (Connected, RouteSource.Fpm, true)],
            listed.OrderBy(r => r.Prefix == Connected).ThenBy(r => r.Source));
    }

    [Fact]
    public void A_runtime_route_wins_over_fpm_and_fpm_takes_over_when_it_is_withdrawn()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        book.Set(RouteSource.Fpm, new TableRoute(Net, new NextHop(3)));
        book.Set(RouteSource.Runtime, new TableRoute(Net, new NextHop(2)));
        Assert.Equal(new NextHop(2), HopTo(book.Build(), "10.9.1.1"));

        Assert.True(book.Remove(RouteSource.Runtime, Net));
        Assert.Equal(new NextHop(3), HopTo(book.Build(), "10.9.1.1"));
    }

    [Fact]
    public void An_fpm_route_cannot_take_a_connected_subnet_but_its_more_specific_prefix_goes_to_fpm()
    {
        var book = new RouteBook(new RouteTable(Ports, [new TableRoute(Connected, new NextHop(1), Source: RouteSource.Connected)]));
        book.Set(RouteSource.Fpm, new TableRoute(Connected, new NextHop(3)));
        book.Set(RouteSource.Fpm, new TableRoute(IpPrefix.Ipv4(Packets.V4("10.0.1.128"), 25), new NextHop(3)));

        var snapshot = book.Build();
        Assert.Equal(new NextHop(1), HopTo(snapshot, "10.0.1.1"));
        Assert.Equal(new NextHop(3), HopTo(snapshot, "10.0.1.200"));
    }

    [Fact]
    public void Clearing_a_source_withdraws_its_routes_and_leaves_the_others()
    {
        var book = new RouteBook(new RouteTable(Ports, [new TableRoute(Connected, new NextHop(1), Source: RouteSource.Connected)]));
        book.Set(RouteSource.Fpm, new TableRoute(Net, new NextHop(3)));

        Assert.True(book.Clear(RouteSource.Fpm));
        Assert.False(book.Clear(RouteSource.Fpm));
        var snapshot = book.Build();
        Assert.Equal(Ipv4PrefixTable.NoMatch, snapshot.Ipv4.Lookup(Packets.V4("10.9.1.1")));
        Assert.Equal(new NextHop(1), HopTo(snapshot, "10.0.1.1"));
    }

    [Fact]
    public void Setting_the_same_route_again_changes_nothing_and_a_refusing_route_needs_no_port()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        Assert.True(book.Set(RouteSource.Fpm, new TableRoute(Net, NextHop.Refusing(NextHopKind.Blackhole))));
        Assert.False(book.Set(RouteSource.Fpm, new TableRoute(Net, NextHop.Refusing(NextHopKind.Blackhole))));
        Assert.Equal(NextHopKind.Blackhole, HopTo(book.Build(), "10.9.1.1").Kind);
    }

    [Fact]
    public void Setting_a_multipath_route_again_with_equal_paths_in_another_list_changes_nothing()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        EcmpPath[] Paths() => [new(new NextHop(2)), new(new NextHop(3), Weight: 2)];

        Assert.True(book.Set(RouteSource.Fpm, TableRoute.Multipath(Net, Paths())));
        Assert.False(book.Set(RouteSource.Fpm, TableRoute.Multipath(Net, Paths())));
        Assert.True(book.Set(RouteSource.Fpm, TableRoute.Multipath(Net, [new(new NextHop(2)), new(new NextHop(3))])));
    }

    [Fact]
    public void Many_prefixes_over_the_same_next_hops_build_a_snapshot_that_forwards_each_as_set()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        for (uint i = 0; i < 4096; i++)
        {
            var prefix = IpPrefix.Ipv4(Packets.V4("10.0.0.0") + (i << 8), 24);
            book.Set(RouteSource.Fpm, i % 3 == 0
                ? TableRoute.Multipath(prefix, [new(new NextHop(1)), new(new NextHop(2))])
                : new TableRoute(prefix, new NextHop((int)(i % 4))));
        }
        book.Remove(RouteSource.Fpm, IpPrefix.Ipv4(Packets.V4("10.0.5.0"), 24));

        var snapshot = book.Build();
        Assert.Equal(4, snapshot.NextHops.Length);
        Assert.Single(snapshot.Groups);
        Assert.Equal(new NextHop(1), HopTo(snapshot, "10.0.1.9"));
        Assert.Equal(new NextHop(2), HopTo(snapshot, "10.0.2.9"));
        Assert.True(snapshot.IsMultipath(snapshot.Ipv4.Lookup(Packets.V4("10.0.3.9"))));
        Assert.Equal(Ipv4PrefixTable.NoMatch, snapshot.Ipv4.Lookup(Packets.V4("10.0.5.9")));
        Assert.Equal(4095, book.Count(RouteSource.Fpm));
    }

    [Fact]
    public void A_batch_sets_its_prefixes_to_its_shared_routes_and_withdraws_those_marked_so()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        var other = IpPrefix.Ipv4(Packets.V4("10.8.0.0"), 16);
        book.Set(RouteSource.Fpm, new TableRoute(other, new NextHop(1)));
        TableRoute[] values = [new(default, new NextHop(3)), TableRoute.Multipath(default, [new(new NextHop(1)), new(new NextHop(2))])];

        Assert.True(book.Apply(new Engine.Actors.Router.ChangeRouteBatch(RouteSource.Fpm, values,
            [new(Net, 0), new(Connected, 1), new(other, -1)])));

        Assert.Equal(new TableRoute(Net, new NextHop(3), Source: RouteSource.Fpm), book.Winner(Net));
        Assert.Equal(2, book.Winner(Connected)?.Paths?.Count);
        Assert.Null(book.Winner(other));
        Assert.False(book.Apply(new Engine.Actors.Router.ChangeRouteBatch(RouteSource.Fpm, values, [new(Net, 0), new(Connected, 1)])));
    }

    [Fact]
    public void The_next_snapshot_keeps_the_next_hop_numbers_and_takes_over_an_unchanged_multipath_group()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        var other = IpPrefix.Ipv4(Packets.V4("10.8.0.0"), 16);
        book.Set(RouteSource.Fpm, new TableRoute(other, new NextHop(3)));
        book.Set(RouteSource.Fpm, TableRoute.Multipath(Net, [new(new NextHop(1)), new(new NextHop(2))]));
        var first = book.Build();

        book.Remove(RouteSource.Fpm, other);
        book.Set(RouteSource.Fpm, new TableRoute(Connected, new NextHop(0)));
        var second = book.Build();

        Assert.Same(Assert.Single(first.Groups), Assert.Single(second.Groups));
        Assert.Equal(first.NextHops, second.NextHops.Take(first.NextHops.Length));
        Assert.Equal(new NextHop(0), HopTo(second, "10.0.1.1"));
        Assert.Equal(Ipv4PrefixTable.NoMatch, second.Ipv4.Lookup(Packets.V4("10.8.1.1")));

        // A changed set is drawn again (the unused group may stay in the array until a whole build).
        book.Set(RouteSource.Fpm, TableRoute.Multipath(Net, [new(new NextHop(1)), new(new NextHop(3))]));
        var third = book.Build();
        var value = third.Ipv4.Lookup(Packets.V4("10.9.1.1"));
        Assert.True(third.IsMultipath(value));
        Assert.NotSame(first.Groups[0], third.Groups[value - RouteSnapshot.FirstGroupValue]);
    }

    [Fact]
    public void Next_hops_no_route_leads_to_any_more_are_not_kept_for_ever()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        RouteSnapshot snapshot = RouteSnapshot.Empty;
        for (uint neighbour = 1; neighbour <= 200; neighbour++)
        {
            book.Set(RouteSource.Fpm, new TableRoute(Net, new NextHop(1, Packets.V4("10.0.1.0") + neighbour)));
            snapshot = book.Build();
            Assert.InRange(snapshot.NextHops.Length, 1, 19);
        }
        Assert.Equal(new NextHop(1, Packets.V4("10.0.1.200")), HopTo(snapshot, "10.9.1.1"));
    }

    [Fact]
    public void A_reloaded_lab_replaces_the_lab_routes_keeps_runtime_ones_and_withdraws_those_through_a_removed_port()
    {
        var other = IpPrefix.Ipv4(Packets.V4("10.8.0.0"), 16);
        var book = new RouteBook(new RouteTable(Ports, [new TableRoute(Net, new NextHop(0)), new TableRoute(Connected, new NextHop(1), Source: RouteSource.Connected)]));
        book.Set(RouteSource.Runtime, new TableRoute(other, new NextHop(2)));
        book.Set(RouteSource.Fpm, new TableRoute(IpPrefix.Ipv4(Packets.V4("10.7.0.0"), 16), new NextHop(3)));

        // Port 3 removed, a peer added as port 4; the lab's static route now leads to port 2.
        var peer = new Port(4, "p4", Akka.Actor.ActorRefs.Nobody, 1500, new PortCounters()) { IsPeer = true };
        Port[] reloaded = [Ports[0], Ports[1], Ports[2], Port.Retired(3, "p3"), peer];
        book.ReplaceLab(new RouteTable(reloaded, [new TableRoute(Net, new NextHop(2)), new TableRoute(Connected, new NextHop(1), Source: RouteSource.Connected)]));

        var snapshot = book.Build();
        Assert.Equal(new NextHop(2), HopTo(snapshot, "10.9.1.1"));
        Assert.Equal(new NextHop(1), HopTo(snapshot, "10.0.1.1"));
        Assert.Equal(new NextHop(2), HopTo(snapshot, "10.8.1.1"));
        Assert.True(snapshot.Ipv4.Lookup(Packets.V4("10.7.1.1")) < 0, "the FPM route through the removed port is withdrawn");
        Assert.Equal(5, snapshot.Ports.Length);
        Assert.Contains(4, book.DownPorts);
    }

    private static NextHop HopTo(RouteSnapshot snapshot, string address)
    {
        var hop = snapshot.Ipv4.Lookup(Packets.V4(address));
        Assert.True(hop >= 0, $"no route to {address}");
        return snapshot.NextHops[hop];
    }
}
