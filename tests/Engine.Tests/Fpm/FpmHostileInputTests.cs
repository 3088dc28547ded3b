using Engine.Actors.Fpm;
using Engine.Actors.Routing;
using Xunit;
using static Engine.Tests.Fpm.FpmWire;

namespace Engine.Tests.Fpm;

/// <summary>
/// Input zebra does not send: messages that lie about their length close the connection (and
/// leave what came before), attributes that lie or do not fit refuse their message only, unknown
/// attributes and message types are skipped, and a multipath with no next hop is refused.
/// </summary>
public sealed class FpmHostileInputTests
{
    private static readonly byte[] Gateway = [192, 0, 2, 2];
    private static readonly byte[] Destination = [203, 0, 113, 0];

    private static byte[] GoodRoute(ushort flags = RequestReplaceCreate) =>
        Message(NewRoute, flags, Route(2, 24, 1, Attribute(1, Destination), Attribute(5, Gateway), UInt32(4, 3)));

    private static readonly FpmRoute Expected = new(
        new FpmRouteKey(254, IpPrefix.Ipv4(0xCB007100, 24)), FpmRouteType.Unicast, 196, null,
        [new FpmNextHop(new FpmAddress(0xC0000202, false), 3)], null);

    [Fact]
    public void A_message_longer_than_its_frame_closes_and_drops_the_whole_frame_but_not_earlier_ones()
    {
        var lying = GoodRoute();
        lying[0] += 4;
        var (decoder, updates) = Feed(Frame(GoodRoute()), Frame(Message(DelRoute, RequestCreate, Route(2, 24, 0, Attribute(1, Destination))), lying));

        Assert.Equal(FpmCloseReason.NetlinkLengthLies, decoder.CloseReason);
        Assert.Equal([new FpmRouteAdd(Expected, true)], updates);
        Assert.False(decoder.Feed(Frame(GoodRoute()), updates));
        Assert.Single(updates);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(15u)]
    public void A_message_shorter_than_its_header_closes(uint length)
    {
        var lying = GoodRoute();
        BitConverter.TryWriteBytes(lying, length);
        var (decoder, updates) = Feed(Frame(lying));

        Assert.Equal(FpmCloseReason.NetlinkLengthLies, decoder.CloseReason);
        Assert.Empty(updates);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(15)]
    public void Bytes_after_the_last_message_that_are_no_message_close(int trailing)
    {
        var (decoder, updates) = Feed(Frame([.. GoodRoute(), .. new byte[trailing]]));

        Assert.Equal(FpmCloseReason.NetlinkLengthLies, decoder.CloseReason);
        Assert.Empty(updates);
    }

    [Fact]
    public void An_attribute_that_lies_refuses_its_message_and_the_stream_goes_on()
    {
        var lying = Message(NewRoute, RequestCreate, Route(2, 24, 1, Attribute(1, Destination), [200, 0, 5, 0, 192, 0, 2, 2]));
        var (decoder, updates) = Feed(Frame(lying), Frame(GoodRoute()));

        Assert.Null(decoder.CloseReason);
        Assert.Equal(1, decoder.Counters.RefusedFor(FpmRefusal.Malformed));
        Assert.Equal([new FpmRouteAdd(Expected, true)], updates);
    }

    [Fact]
    public void A_multipath_with_no_next_hop_is_refused_and_counted()
    {
        var empty = Message(NewRoute, RequestCreate, Route(2, 24, 1, Attribute(1, Destination), Attribute(0x8009)));
        var (decoder, updates) = Feed(Frame(empty));

        Assert.Empty(updates);
        Assert.Equal(1, decoder.Counters.RefusedFor(FpmRefusal.EmptyMultipath));
        Assert.Equal(1, decoder.Counters.Refused);
    }

    [Fact]
    public void Unknown_attributes_are_skipped_at_every_level()
    {
        byte[][] paths =
        [
            RtNextHop(0, 3, Attribute(5, Gateway)),
            RtNextHop(1, 5, Attribute(5, 198, 51, 100, 2)),
        ];
        byte[][] pathsWithUnknowns =
        [
            RtNextHop(0, 3, Attribute(21, 1, 0), Attribute(5, Gateway), Attribute(22, 9, 9, 9)),
            RtNextHop(1, 5, Attribute(0x3fff), Attribute(5, 198, 51, 100, 2)),
        ];
        var plain = Message(NewRoute, RequestCreate, Route(2, 24, 1, Attribute(1, Destination), Attribute(0x8009, [.. paths.SelectMany(p => p)])));
        var decorated = Message(NewRoute, RequestCreate, Route(2, 24, 1,
            Attribute(7, 192, 0, 2, 1), Attribute(1, Destination), Attribute(22, 1, 2, 3, 4, 5), Attribute(12, new byte[32]),
            Attribute(0x8009, [.. pathsWithUnknowns.SelectMany(p => p)]), Attribute(0xC123, 1)));

        var (decoder, updates) = Feed(Frame(plain), Frame(decorated));

        Assert.Equal(2, updates.Count);
        Assert.Equal(updates[0], updates[1]);
        var route = Assert.IsType<FpmRouteAdd>(updates[0]).Route;
        Assert.Equal([new FpmNextHop(new FpmAddress(0xC0000202, false), 3, 1), new FpmNextHop(new FpmAddress(0xC6336402, false), 5, 2)], route.NextHops.ToArray());
        Assert.Equal(0, decoder.Counters.Refused);
    }

    [Fact]
    public void Unknown_message_types_are_ignored_and_counted()
    {
        var neighbour = Message(28, RequestCreate, new byte[12]);
        var (decoder, updates) = Feed(Frame(neighbour, GoodRoute()));

        Assert.Single(updates);
        Assert.Equal(1, decoder.Counters.Ignored);
        Assert.Equal(2, decoder.Counters.Messages);
    }

    [Theory]
    [InlineData(2, 24, 2, FpmRefusal.UnsupportedRouteType)]   // RTN_LOCAL
    [InlineData(2, 24, 9, FpmRefusal.UnsupportedRouteType)]   // RTN_THROW
    [InlineData(7, 24, 1, FpmRefusal.UnsupportedFamily)]      // AF_BRIDGE
    [InlineData(2, 33, 1, FpmRefusal.Malformed)]              // longer than an IPv4 address
    [InlineData(2, 16, 1, FpmRefusal.Malformed)]              // host bits set in 203.0.113.0/16
    [InlineData(10, 24, 1, FpmRefusal.Malformed)]             // a 4-byte RTA_DST on an IPv6 route
    public void Routes_the_engine_cannot_take_are_refused(byte family, byte length, byte type, FpmRefusal refusal)
    {
        var route = Message(NewRoute, RequestCreate, Route(family, length, type, Attribute(1, Destination), UInt32(4, 3)));
        var (decoder, updates) = Feed(Frame(route));

        Assert.Empty(updates);
        Assert.Equal(1, decoder.Counters.RefusedFor(refusal));
    }

    [Fact]
    public void A_unicast_route_with_no_way_out_is_refused()
    {
        var (decoder, updates) = Feed(Frame(Message(NewRoute, RequestCreate, Route(2, 24, 1, Attribute(1, Destination), UInt32(6, 20)))));

        Assert.Empty(updates);
        Assert.Equal(1, decoder.Counters.RefusedFor(FpmRefusal.NoNextHop));
    }

    [Fact]
    public void A_gateway_of_the_wrong_size_is_refused()
    {
        var (decoder, updates) = Feed(Frame(Message(NewRoute, RequestCreate,
            Route(2, 24, 1, Attribute(1, Destination), Attribute(5, new byte[16]), UInt32(4, 3)))));

        Assert.Empty(updates);
        Assert.Equal(1, decoder.Counters.RefusedFor(FpmRefusal.Malformed));
    }

    [Fact]
    public void Prohibit_routes_and_ipv4_routes_via_ipv6_next_hops_are_read()
    {
        byte[] via = [10, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];
        var (_, updates) = Feed(Frame(
            Message(NewRoute, RequestCreate, Route(2, 24, 8, Attribute(1, Destination))),
            Message(NewRoute, RequestCreate, Route(2, 0, 1, Attribute(18, via), UInt32(4, 3)))));

        Assert.Equal(FpmRouteType.Prohibit, Assert.IsType<FpmRouteAdd>(updates[0]).Route.Type);
        var viaIpv6 = Assert.IsType<FpmRouteAdd>(updates[1]).Route;
        Assert.Equal(new FpmRouteKey(254, IpPrefix.Ipv4(0, 0)), viaIpv6.Key);
        Assert.Equal("2001:db8:1::2 dev#3", Assert.Single(viaIpv6.NextHops).ToString());
    }

    [Fact]
    public void Next_hop_messages_without_an_id_or_with_a_broken_group_are_refused()
    {
        var (decoder, updates) = Feed(Frame(
            Message(NewNextHop, RequestReplaceCreate, NextHop(2, UInt32(5, 3))),
            Message(DelNextHop, RequestCreate, NextHop(0)),
            Message(NewNextHop, RequestReplaceCreate, NextHop(0, UInt32(1, 9), Attribute(2, new byte[12]))),
            Message(NewNextHop, RequestReplaceCreate, NextHop(2, UInt32(1, 9))),
            Message(NewNextHop, RequestReplaceCreate, NextHop(0, UInt32(1, 9), Attribute(2, [.. GroupEntry(1, 0), .. GroupEntry(2, 3)])))));

        Assert.Equal(2, decoder.Counters.RefusedFor(FpmRefusal.NoNextHopId));
        Assert.Equal(1, decoder.Counters.RefusedFor(FpmRefusal.Malformed));
        Assert.Equal(1, decoder.Counters.RefusedFor(FpmRefusal.NoNextHop));
        var group = Assert.IsType<FpmNextHopAdd>(Assert.Single(updates)).NextHop;
        Assert.Equal([new FpmGroupMember(1, 1), new FpmGroupMember(2, 4)], group.Group.ToArray());
    }

    private static (FpmStreamDecoder Decoder, List<FpmUpdate> Updates) Feed(params byte[][] frames)
    {
        var decoder = new FpmStreamDecoder();
        var updates = new List<FpmUpdate>();
        decoder.Feed([.. frames.SelectMany(f => f)], updates);
        var counters = decoder.Counters;
        Assert.Equal(counters.Messages, counters.Updates + counters.Ignored + counters.Refused);
        return (decoder, updates);
    }
}
