using Engine.Actors.Fpm;
using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Fpm;

/// <summary>Route replacement, next-hop objects and groups resolved to their paths, and mark and sweep.</summary>
public sealed class FpmRouteTableTests
{
    private static readonly FpmRouteKey Key = new(254, IpPrefix.Ipv4(0x0A0A0000, 16));
    private static readonly FpmAddress GatewayA = new(0xC0000202, false);
    private static readonly FpmAddress GatewayB = new(0xC6336402, false);

    [Fact]
    public void A_new_route_replaces_the_old_one_under_its_key_with_or_without_the_replace_flag()
    {
        var table = new FpmRouteTable();
        Assert.True(table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayA, 3)), Replace: false)));
        Assert.True(table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayB, 5)), Replace: false)));

        Assert.Equal(1, table.RouteCount);
        Assert.Equal([new FpmNextHop(GatewayB, 5)], table.Lookup(Key)!.NextHops.ToArray());
        Assert.False(table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayB, 5)), Replace: true)));
    }

    [Fact]
    public void A_route_in_another_table_is_another_route()
    {
        var table = new FpmRouteTable();
        table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayA, 3)), true));
        table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayB, 5)) with { Key = Key with { Table = 1000 } }, true));
        table.Apply(new FpmRouteDelete(Key));

        Assert.Null(table.Lookup(Key));
        Assert.Equal([new FpmNextHop(GatewayB, 5)], table.Lookup(Key with { Table = 1000 })!.NextHops.ToArray());
        Assert.False(table.Apply(new FpmRouteDelete(Key)));
    }

    [Fact]
    public void A_group_resolves_to_its_members_with_the_group_weights_and_follows_their_changes()
    {
        var table = new FpmRouteTable();
        table.Apply(Single(1, GatewayA, 3));
        table.Apply(Single(2, GatewayB, 5));
        table.Apply(new FpmNextHopAdd(new FpmNextHopObject(9, 0, 11, null, 0, false, [new(1, 1), new(2, 3)])));
        table.Apply(new FpmRouteAdd(Route() with { NextHopId = 9 }, true));

        Assert.Equal([new FpmNextHop(GatewayA, 3, 1), new FpmNextHop(GatewayB, 5, 3)], table.Lookup(Key)!.NextHops.ToArray());

        table.Apply(Single(2, GatewayB, 7));
        Assert.Equal([new FpmNextHop(GatewayA, 3, 1), new FpmNextHop(GatewayB, 7, 3)], table.Lookup(Key)!.NextHops.ToArray());

        table.Apply(new FpmNextHopDelete(1));
        Assert.Equal([new FpmNextHop(GatewayB, 7, 3)], table.Lookup(Key)!.NextHops.ToArray());
    }

    [Fact]
    public void A_route_to_an_unknown_next_hop_id_is_inactive_until_the_object_arrives()
    {
        var table = new FpmRouteTable();
        table.Apply(new FpmRouteAdd(Route() with { NextHopId = 4 }, true));
        Assert.False(table.Lookup(Key)!.IsActive);

        table.Apply(Single(4, GatewayA, 3));
        Assert.True(table.Lookup(Key)!.IsActive);
        Assert.Equal([new FpmNextHop(GatewayA, 3)], table.Lookup(Key)!.NextHops.ToArray());
    }

    [Fact]
    public void A_route_to_a_blackhole_object_is_a_blackhole()
    {
        var table = new FpmRouteTable();
        table.Apply(new FpmNextHopAdd(new FpmNextHopObject(30, 2, 11, null, 0, true, [])));
        table.Apply(new FpmRouteAdd(Route() with { NextHopId = 30 }, true));

        var entry = table.Lookup(Key)!;
        Assert.Equal(FpmRouteType.Blackhole, entry.Type);
        Assert.Empty(entry.NextHops);
        Assert.True(entry.IsActive);
    }

    [Fact]
    public void A_resync_keeps_what_is_announced_again_and_sweeps_the_rest()
    {
        var table = new FpmRouteTable();
        var other = Key with { Prefix = IpPrefix.Ipv4(0x0A0B0000, 16) };
        table.Apply(Single(1, GatewayA, 3));
        table.Apply(Single(2, GatewayB, 5));
        table.Apply(new FpmRouteAdd(Route() with { NextHopId = 1 }, true));
        table.Apply(new FpmRouteAdd(Route() with { Key = other, NextHopId = 2 }, true));

        table.BeginResync();
        Assert.True(table.IsResyncing);
        table.Apply(Single(1, GatewayA, 3));
        table.Apply(new FpmRouteAdd(Route() with { NextHopId = 1 }, true));
        Assert.Equal(2, table.RouteCount);
        var swept = table.EndResync();

        Assert.Equal(new FpmResyncResult(1, 1), swept);
        Assert.False(table.IsResyncing);
        Assert.NotNull(table.Lookup(Key));
        Assert.Null(table.Lookup(other));
        Assert.Equal([1u], table.NextHops.Select(n => n.Id));
        Assert.Equal(default, table.EndResync());
    }

    [Fact]
    public void A_resync_of_an_empty_announcement_sweeps_everything()
    {
        var table = new FpmRouteTable();
        table.Apply(Single(1, GatewayA, 3));
        table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayA, 3)), true));

        table.BeginResync();
        Assert.Equal(new FpmResyncResult(1, 1), table.EndResync());
        Assert.Equal(0, table.RouteCount + table.NextHopCount);
    }

    [Fact]
    public void Routes_that_say_the_same_share_one_set_of_attributes_which_goes_with_the_last_of_them()
    {
        var table = new FpmRouteTable();
        for (uint i = 0; i < 1000; i++)
        {
            var key = Key with { Prefix = IpPrefix.Ipv4(0x0A000000 + (i << 8), 24) };
            table.Apply(new FpmRouteAdd(Route(new FpmNextHop(i % 2 == 0 ? GatewayA : GatewayB, 3)) with { Key = key }, true));
        }
        Assert.Equal((1000, 1000, 2), (table.RouteCount, table.MainRouteCount, table.DistinctAttributes));
        var first = table.AttributesOf(Key with { Prefix = IpPrefix.Ipv4(0x0A000000, 24) });
        Assert.Same(first, table.AttributesOf(Key with { Prefix = IpPrefix.Ipv4(0x0A000200, 24) }));

        // Replacing moves a route to other attributes; the old ones stay while another route has them.
        table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayB, 9)) with { Key = Key with { Prefix = IpPrefix.Ipv4(0x0A000000, 24) } }, true));
        Assert.Equal(3, table.DistinctAttributes);
        Assert.Equal([new FpmNextHop(GatewayB, 9)], table.Lookup(Key with { Prefix = IpPrefix.Ipv4(0x0A000000, 24) })!.NextHops.ToArray());

        table.BeginResync();
        table.EndResync();
        Assert.Equal((0, 0, 0, 0), (table.RouteCount, table.MainRouteCount, table.DistinctAttributes, table.Announcements));
    }

    [Fact]
    public void Attributes_no_route_holds_any_more_leave_nothing_behind_without_a_resync()
    {
        var table = new FpmRouteTable();
        for (var port = 1; port <= 100; port++)
        {
            table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayA, port)), true));
            table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayB, port)) with { Key = Key with { Table = 10 } }, true));
        }

        Assert.Equal((2, 2, 2), (table.RouteCount, table.DistinctAttributes, table.Announcements));
    }

    [Fact]
    public void A_resync_tells_which_routes_it_swept()
    {
        var table = new FpmRouteTable();
        var other = Key with { Prefix = IpPrefix.Ipv4(0x0A0B0000, 16) };
        table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayA, 3)), true));
        table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayA, 3)) with { Key = other }, true));

        table.BeginResync();
        table.Apply(new FpmRouteAdd(Route(new FpmNextHop(GatewayA, 3)), true));
        var swept = new List<FpmRouteKey>();
        table.EndResync(swept);

        Assert.Equal([other], swept);
        Assert.Equal(1, table.MainRouteCount);
    }

    private static FpmRoute Route(params FpmNextHop[] nextHops) =>
        new(Key, FpmRouteType.Unicast, 196, 20, [.. nextHops], null);

    private static FpmNextHopAdd Single(uint id, FpmAddress gateway, int ifIndex) =>
        new(new FpmNextHopObject(id, 2, 11, gateway, ifIndex, false, []));
}
