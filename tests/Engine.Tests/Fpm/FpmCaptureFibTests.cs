using Engine.Actors.Fpm;
using Xunit;
using static Engine.Tests.Routing.TestPrefixes;

namespace Engine.Tests.Fpm;

/// <summary>
/// Applying each capture's updates leaves the table its final-fib.txt describes; a reconnect's
/// resync sweeps what zebra did not announce again; and a capture in next-hop-group mode resolves,
/// step by step, to the same FIB as the same steps without groups.
/// </summary>
public sealed class FpmCaptureFibTests
{
    public static TheoryData<string> Captures => [.. FpmFixtures.Decoded.Where(c => !c.StartsWith("reconnect")), "bulk-10k"];

    [Theory]
    [MemberData(nameof(Captures))]
    public void Capture_leaves_its_final_fib(string capture)
    {
        var table = new FpmRouteTable();
        table.Apply(FpmFixtures.Decode(FpmFixtures.Stream(capture)));

        AssertFinalFib(capture, table);
    }

    [Fact]
    public void Reconnect_resync_sweeps_the_route_deleted_while_disconnected()
    {
        var table = new FpmRouteTable();
        table.Apply(FpmFixtures.Decode(FpmFixtures.Stream("reconnect-conn1")));
        AssertFinalFib("reconnect-conn1", table);

        table.BeginResync();
        table.Apply(FpmFixtures.Decode(FpmFixtures.Stream("reconnect-conn2")));
        Assert.NotNull(table.Lookup(new FpmRouteKey(254, Prefix("10.10.0.0/16"))));
        var swept = table.EndResync();

        Assert.Equal(new FpmResyncResult(RoutesSwept: 1, NextHopsSwept: 0), swept);
        Assert.Null(table.Lookup(new FpmRouteKey(254, Prefix("10.10.0.0/16"))));
        AssertFinalFib("reconnect-conn2", table);
    }

    [Fact]
    public void Static_routes_with_next_hop_groups_resolve_as_without_them_at_every_step()
    {
        var withGroups = StatesAtSteps("static-ecmp-nhg", "static-ecmp-nhg");
        var plain = StatesAtSteps("static-v4-v6", "static-v4-v6");
        var ecmp = StatesAtSteps("ecmp", "ecmp");

        // static-ecmp-nhg ran static-v4-v6's steps then ecmp's on one connection: static-v4-v6's
        // last state is where ecmp's steps began.
        Assert.Equal(plain.Count + ecmp.Count - 1, withGroups.Count);
        for (var i = 0; i < withGroups.Count; i++)
        {
            var other = i < plain.Count ? plain[i] : ecmp[i - plain.Count + 1];
            Assert.Equal(other, withGroups[i]);
        }
        Assert.Contains("203.0.113.0/24 Unicast [172.16.1.2 dev#7; 192.0.2.2 dev#3; 198.51.100.2 dev#5]", withGroups[^8]);
    }

    [Fact]
    public void Ospf_routes_with_next_hop_groups_resolve_as_without_them_at_every_step()
    {
        var withGroups = StatesAtSteps("ospf-learn-withdraw-nhg", "ospf-learn-withdraw-nhg");
        var plain = StatesAtSteps("ospf-learn-withdraw", "ospf-learn-withdraw");

        Assert.Equal(plain, withGroups);
        Assert.Contains("172.16.2.0/24 Unicast [10.0.12.2 dev#8]", withGroups[^1]);
    }

    /// <summary>
    /// The resolved FIB (fe80::/64 left out: zebra picks its interface anew each run) at the start
    /// of each step and at the end of the stream, without repeating a state the stream ends on.
    /// </summary>
    private static List<string[]> StatesAtSteps(string capture, string steps)
    {
        var stream = FpmFixtures.Stream(capture);
        int[] offsets = [.. FpmFixtures.StepOffsets(steps).Where(o => o < stream.Length), stream.Length];
        var decoder = new FpmStreamDecoder();
        var table = new FpmRouteTable();
        var states = new List<string[]>();
        var fed = 0;
        foreach (var offset in offsets)
        {
            var updates = new List<FpmUpdate>();
            Assert.True(decoder.Feed(stream.AsSpan(fed, offset - fed), updates));
            Assert.Equal(0, decoder.Buffered);
            fed = offset;
            table.Apply(updates);
            states.Add([.. table.Fib.Where(e => e.Key.Prefix.ToString() != "fe80::/64").Select(FpmFibText.Resolved).Order(StringComparer.Ordinal)]);
        }
        return states;
    }

    private static void AssertFinalFib(string capture, FpmRouteTable table)
    {
        var (header, lines) = FpmFixtures.FinalFib(capture);
        Assert.Equal(header, FpmFibText.Header(table));
        Assert.Equal(lines.Order(StringComparer.Ordinal), FpmFibText.Lines(table).Order(StringComparer.Ordinal));
        Assert.All(table.Fib, entry => Assert.True(entry.IsActive, $"{entry} is inactive"));
    }

    private static Engine.Actors.Routing.IpPrefix Prefix(string text)
    {
        Assert.True(Engine.Actors.Routing.IpPrefix.TryParse(text, out var prefix, out var error), error);
        return prefix;
    }
}
