using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

public sealed class Ipv6PrefixTableTests
{
    private static IpPrefix P(string text) =>
        IpPrefix.TryParse(text, out IpPrefix prefix, out string error) ? prefix : throw new ArgumentException(error);

    private static UInt128 A(string text) => P(text + "/128").Ipv6Network;

    [Fact]
    public void Empty_table_matches_nothing()
    {
        foreach (Ipv6PrefixTable table in new[] { Ipv6PrefixTable.Empty, Ipv6PrefixTable.Build([]) })
        {
            Assert.Equal(0, table.Count);
            Assert.Equal(Ipv6PrefixTable.NoMatch, table.Lookup(UInt128.Zero));
            Assert.Equal(-1, table.Lookup(A("2001:db8::1")));
            Assert.Equal(-1, table.Lookup(UInt128.MaxValue));
        }
    }

    [Fact]
    public void Nested_prefixes_pick_the_longest()
    {
        Ipv6PrefixTable table = Ipv6PrefixTable.Build(
        [
            (P("::/0"), 0),
            (P("2001:db8::/32"), 32),
            (P("2001:db8:1::/48"), 48),
            (P("2001:db8:1:2::/64"), 64),
            (P("2001:db8:1:2::8/125"), 125),
            (P("2001:db8:1:2::9/128"), 128),
            (P("2001:db8:ffff::/48"), 1048),
        ]);

        Assert.Equal(7, table.Count);
        Assert.Equal(0, table.Lookup(A("2001:db9::")));
        Assert.Equal(32, table.Lookup(A("2001:db8:2::1")));
        Assert.Equal(48, table.Lookup(A("2001:db8:1:3::")));
        Assert.Equal(64, table.Lookup(A("2001:db8:1:2::7")));
        Assert.Equal(125, table.Lookup(A("2001:db8:1:2::8")));
        Assert.Equal(128, table.Lookup(A("2001:db8:1:2::9")));
        Assert.Equal(125, table.Lookup(A("2001:db8:1:2::f")));
        Assert.Equal(64, table.Lookup(A("2001:db8:1:2::10")));
        Assert.Equal(1048, table.Lookup(A("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
    }

    [Fact]
    public void A_marker_without_an_enclosing_prefix_still_misses()
    {
        // Lengths 16, 64, 128: the search probes /64 first, finds the marker left by the /128
        // and must not report a match for an address outside the /128.
        Ipv6PrefixTable table = Ipv6PrefixTable.Build(
            [(P("fd00::/16"), 1), (P("2001:db8:0:1::/64"), 2), (P("2001:db8:0:2::5/128"), 3)]);

        Assert.Equal(3, table.Lookup(A("2001:db8:0:2::5")));
        Assert.Equal(-1, table.Lookup(A("2001:db8:0:2::6")));
        Assert.Equal(2, table.Lookup(A("2001:db8:0:1::6")));
        Assert.Equal(1, table.Lookup(A("fd00:1::")));
        Assert.Equal(-1, table.Lookup(A("fd01::")));
    }

    [Fact]
    public void A_repeated_prefix_keeps_the_last_value()
    {
        Ipv6PrefixTable table = Ipv6PrefixTable.Build(
            [(P("2001:db8::/32"), 1), (P("::1/128"), 2), (P("2001:db8::/32"), 3)]);

        Assert.Equal(2, table.Count);
        Assert.Equal(3, table.Lookup(A("2001:db8::5")));
        Assert.Equal(2, table.Lookup(A("::1")));
    }

    [Fact]
    public void Byte_lookup_reads_network_order_and_checks_the_length()
    {
        Ipv6PrefixTable table = Ipv6PrefixTable.Build([(P("2001:db8::/32"), 9)]);
        byte[] inside = [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1];
        byte[] outside = [.. inside.Reverse()];

        Assert.Equal(9, table.Lookup(inside));
        Assert.Equal(-1, table.Lookup(outside));
        Assert.Throws<ArgumentException>(() => table.Lookup(new byte[4]));
        Assert.Throws<ArgumentException>(() => table.Lookup(new byte[17]));
    }

    [Fact]
    public void Build_rejects_ipv4_prefixes_and_negative_values()
    {
        Assert.Throws<ArgumentException>(() => Ipv6PrefixTable.Build([(P("0.0.0.0/0"), 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv6PrefixTable.Build([(P("::/0"), -1)]));
    }

    [Theory]
    [InlineData(1, 3000, 0)]
    [InlineData(2, 3000, 16)]
    [InlineData(3, 200, 100)]
    [InlineData(4, 1, 0)]
    public void Matches_a_linear_scan_on_random_lengths(int seed, int prefixCount, int minLength)
    {
        var random = new RandomRoutes(seed);
        CheckAgainstLinearScan(random, random.Ipv6Routes(prefixCount, minLength: minLength), expectMisses: minLength > 0);
    }

    [Theory]
    [InlineData(11, new[] { 0, 32, 48, 64, 128 })]
    [InlineData(12, new[] { 48, 56, 64, 128 })]
    [InlineData(13, new[] { 64 })]
    [InlineData(14, new[] { 8, 127 })]
    public void Matches_a_linear_scan_on_realistic_lengths(int seed, int[] lengths)
    {
        var random = new RandomRoutes(seed);
        CheckAgainstLinearScan(random, random.Ipv6Routes(3000, lengths), expectMisses: lengths[0] > 0);
    }

    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    public void A_block_crowded_with_ranges_and_prefixes_longer_than_64_bits_matches_a_linear_scan(int seed)
    {
        // Every prefix inside 2001:db8::/32, one block of the direct table: hundreds of ranges in it
        // (past the count an entry holds), nested, and points where longer prefixes lie.
        var random = new Random(seed);
        var routes = new List<(IpPrefix Prefix, int Value)>();
        for (int i = 0; i < 1500; i++)
        {
            IpPrefix prefix = i > 0 && random.Next(3) == 0
                ? Nested(random, routes[random.Next(i)].Prefix)
                : IpPrefix.Ipv6(new UInt128(0x2001_0db8_0000_0000 | (ulong)random.NextInt64(1L << 32), (ulong)random.NextInt64()), random.Next(32, 129));
            routes.Add((prefix, random.Next(1_000_000)));
        }
        Assert.True(Ipv6PrefixTable.Build(routes).RangeCount > Ipv6PrefixTable.MaxInlineCount);
        CheckAgainstLinearScan(new RandomRoutes(seed), routes, expectMisses: true);
    }

    private static IpPrefix Nested(Random random, IpPrefix parent)
    {
        UInt128 host = new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()) & ~IpPrefix.Ipv6Mask(parent.Length);
        return IpPrefix.Ipv6(parent.Ipv6Network | host, random.Next(parent.Length, 129));
    }

    private static void CheckAgainstLinearScan(RandomRoutes random, List<(IpPrefix Prefix, int Value)> routes, bool expectMisses)
    {
        var reference = new BruteForceLpm(routes);
        Ipv6PrefixTable table = Ipv6PrefixTable.Build(routes);

        int matched = 0;
        UInt128[] addresses = random.Ipv6Addresses(routes, 10_000);
        foreach (UInt128 address in addresses)
        {
            int expected = reference.Lookup(address);
            Assert.Equal(expected, table.Lookup(address));
            matched += expected >= 0 ? 1 : 0;
        }
        Assert.True(matched > 0);
        if (expectMisses)
            Assert.True(matched < addresses.Length, "without short prefixes some addresses must miss");
    }
}
