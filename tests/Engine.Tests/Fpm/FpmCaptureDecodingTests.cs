using System.Text.Json;
using Engine.Actors.Fpm;
using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Fpm;

/// <summary>
/// Every FRR capture decodes to exactly the netlink messages its expected.jsonl lists, in order,
/// whatever pieces the stream arrives in; bulk-10k to the 20,006 messages its README's formula gives.
/// </summary>
public sealed class FpmCaptureDecodingTests
{
    public static TheoryData<string> Captures => [.. FpmFixtures.Decoded];

    [Theory]
    [MemberData(nameof(Captures))]
    public void Capture_decodes_to_its_expected_messages(string capture)
    {
        var updates = FpmFixtures.Decode(FpmFixtures.Stream(capture), out var decoder);
        var expected = FpmFixtures.Expected(capture);

        Assert.Equal(expected.Length, updates.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            try
            {
                AssertMatches(expected[i], updates[i]);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"message {i} ({expected[i]}) decoded as {updates[i]}: {e.Message}", e);
            }
        }
        Assert.Equal(expected.Select(e => e.GetProperty("frame_offset").GetInt32()).Distinct().Count(), decoder.Counters.Frames);
        Assert.Equal(expected.Length, decoder.Counters.Messages);
        Assert.Equal(0, decoder.Counters.Ignored + decoder.Counters.Refused);
    }

    [Theory]
    [MemberData(nameof(Captures))]
    public void Capture_decodes_the_same_in_any_pieces(string capture)
    {
        var stream = FpmFixtures.Stream(capture);
        var whole = FpmFixtures.Decode(stream);

        var random = new Random(capture.Length);
        foreach (var maxPiece in new[] { 1, 3, 7, 64, 1000 })
        {
            var decoder = new FpmStreamDecoder();
            var updates = new List<FpmUpdate>();
            for (var offset = 0; offset < stream.Length;)
            {
                var piece = Math.Min(stream.Length - offset, random.Next(1, maxPiece + 1));
                Assert.True(decoder.Feed(stream.AsSpan(offset, piece), updates));
                offset += piece;
            }
            Assert.Equal(whole, updates);
        }
    }

    [Fact]
    public void Bulk_capture_decodes_to_ten_thousand_adds_then_their_deletes()
    {
        var updates = FpmFixtures.Decode(FpmFixtures.Stream("bulk-10k"), out var decoder);

        Assert.Equal(20_006, decoder.Counters.Frames);
        Assert.Equal(20_006, updates.Count);
        Assert.All(updates.Take(6), u => Assert.Equal(2, Assert.IsType<FpmRouteAdd>(u).Route.Protocol));
        var gateway = new FpmAddress(0xC0000202, IsIPv6: false);
        for (var i = 0; i < 10_000; i++)
        {
            var prefix = IpPrefix.Ipv4((uint)(10 << 24 | (128 + i / 256) << 16 | (i % 256) << 8), 24);
            var add = Assert.IsType<FpmRouteAdd>(updates[6 + i]);
            Assert.True(add.Replace);
            Assert.Equal(
                new FpmRoute(new FpmRouteKey(254, prefix), FpmRouteType.Unicast, 196, 20, [new FpmNextHop(gateway, 3)], null),
                add.Route);
            Assert.Equal(new FpmRouteDelete(254, prefix), updates[10_006 + i]);
        }
    }

    private static void AssertMatches(JsonElement expected, FpmUpdate update)
    {
        var op = expected.GetProperty("op").GetString();
        switch (expected.GetProperty("nlmsg_type").GetString())
        {
            case "RTM_NEWROUTE":
                Assert.Equal("add", op);
                var add = Assert.IsType<FpmRouteAdd>(update);
                Assert.Equal(expected.GetProperty("nlmsg_flags").GetString()!.Contains("REPLACE"), add.Replace);
                AssertRoute(expected, add.Route);
                break;
            case "RTM_DELROUTE":
                Assert.Equal("del", op);
                var delete = Assert.IsType<FpmRouteDelete>(update);
                Assert.Equal(Key(expected), delete.Key);
                break;
            case "RTM_NEWNEXTHOP":
                Assert.Equal("add", op);
                AssertNextHop(expected, Assert.IsType<FpmNextHopAdd>(update).NextHop);
                break;
            case "RTM_DELNEXTHOP":
                Assert.Equal("del", op);
                Assert.Equal(expected.GetProperty("id").GetUInt32(), Assert.IsType<FpmNextHopDelete>(update).Id);
                break;
            default:
                Assert.Fail("unexpected message type in the fixture");
                break;
        }
    }

    private static void AssertRoute(JsonElement expected, FpmRoute route)
    {
        Assert.Equal(Key(expected), route.Key);
        Assert.Equal(expected.GetProperty("type").GetString(), route.Type.ToString().ToUpperInvariant());
        Assert.Equal(expected.GetProperty("protocol").GetInt32(), route.Protocol);
        var metric = expected.GetProperty("metric");
        Assert.Equal(metric.ValueKind == JsonValueKind.Null ? null : metric.GetUInt32(), route.Metric);
        Assert.Equal(expected.TryGetProperty("nh_id", out var id) ? id.GetUInt32() : null, route.NextHopId);

        var nextHops = expected.GetProperty("nexthops").EnumerateArray().ToArray();
        Assert.Equal(nextHops.Length, route.NextHops.Length);
        for (var i = 0; i < nextHops.Length; i++)
        {
            var hop = nextHops[i];
            Assert.Equal(Address(hop, "gateway"), route.NextHops[i].Gateway);
            Assert.Equal(hop.GetProperty("ifindex").GetInt32(), route.NextHops[i].IfIndex);
            Assert.Equal(hop.TryGetProperty("weight", out var weight) ? weight.GetInt32() : 1, route.NextHops[i].Weight);
        }
        // A multipath route's paths come from rtnexthop entries, whose weights the fixture always lists.
        Assert.Equal(expected.GetProperty("multipath").GetBoolean(), nextHops.Any(h => h.TryGetProperty("weight", out _)));
    }

    private static void AssertNextHop(JsonElement expected, FpmNextHopObject nextHop)
    {
        Assert.Equal(expected.GetProperty("id").GetUInt32(), nextHop.Id);
        var family = expected.GetProperty("family").GetString() switch { "AF_INET" => 2, "AF_INET6" => 10, _ => 0 };
        Assert.Equal(family, nextHop.Family);
        Assert.Equal(Address(expected, "gateway"), nextHop.Gateway);
        Assert.Equal(expected.TryGetProperty("oif", out var oif) ? oif.GetInt32() : 0, nextHop.IfIndex);
        Assert.Equal(expected.TryGetProperty("blackhole", out var blackhole) && blackhole.GetBoolean(), nextHop.Blackhole);
        FpmGroupMember[] group = expected.TryGetProperty("group", out var members)
            ? [.. members.EnumerateArray().Select(m => new FpmGroupMember(m.GetProperty("id").GetUInt32(), m.GetProperty("weight").GetInt32()))]
            : [];
        Assert.Equal(group, nextHop.Group.ToArray());
    }

    private static FpmRouteKey Key(JsonElement expected)
    {
        Assert.True(IpPrefix.TryParse(expected.GetProperty("dst").GetString(), out var prefix, out var error), error);
        return new FpmRouteKey(expected.GetProperty("table").GetUInt32(), prefix);
    }

    private static FpmAddress? Address(JsonElement element, string property)
    {
        if (!element.TryGetProperty(property, out var text))
            return null;
        Assert.True(FpmAddress.TryRead(System.Net.IPAddress.Parse(text.GetString()!).GetAddressBytes(), out var address));
        return address;
    }
}
