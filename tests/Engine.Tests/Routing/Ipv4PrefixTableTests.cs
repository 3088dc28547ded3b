using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

public sealed class Ipv4PrefixTableTests
{
    private static IpPrefix P(string text) =>
        IpPrefix.TryParse(text, out IpPrefix prefix, out string error) ? prefix : throw new ArgumentException(error);

    private static uint A(byte a, byte b, byte c, byte d) => (uint)(a << 24 | b << 16 | c << 8 | d);

    [Fact]
    public void Empty_table_matches_nothing()
    {
        foreach (Ipv4PrefixTable table in new[] { Ipv4PrefixTable.Empty, Ipv4PrefixTable.Build([]) })
        {
            Assert.Equal(0, table.Count);
            Assert.Equal(Ipv4PrefixTable.NoMatch, table.Lookup(0u));
            Assert.Equal(-1, table.Lookup(A(10, 0, 1, 1)));
            Assert.Equal(-1, table.Lookup(uint.MaxValue));
        }
    }

    [Fact]
    public void Nested_prefixes_pick_the_longest_at_every_stride_boundary()
    {
        Ipv4PrefixTable table = Ipv4PrefixTable.Build(
        [
            (P("0.0.0.0/0"), 0),
            (P("10.0.0.0/8"), 8),
            (P("10.0.0.0/16"), 16),
            (P("10.0.1.0/24"), 24),
            (P("10.0.1.128/25"), 25),
            (P("10.0.1.129/32"), 32),
            (P("10.0.2.0/23"), 23),
            (P("192.168.0.0/17"), 17),
        ]);

        Assert.Equal(8, table.Count);
        Assert.Equal(0, table.Lookup(A(9, 255, 255, 255)));
        Assert.Equal(8, table.Lookup(A(10, 1, 0, 0)));
        Assert.Equal(16, table.Lookup(A(10, 0, 0, 255)));
        Assert.Equal(24, table.Lookup(A(10, 0, 1, 0)));
        Assert.Equal(24, table.Lookup(A(10, 0, 1, 127)));
        Assert.Equal(25, table.Lookup(A(10, 0, 1, 128)));
        Assert.Equal(32, table.Lookup(A(10, 0, 1, 129)));
        Assert.Equal(25, table.Lookup(A(10, 0, 1, 130)));
        Assert.Equal(23, table.Lookup(A(10, 0, 3, 255)));
        Assert.Equal(16, table.Lookup(A(10, 0, 4, 0)));
        Assert.Equal(17, table.Lookup(A(192, 168, 127, 1)));
        Assert.Equal(0, table.Lookup(A(192, 168, 128, 1)));
    }

    [Fact]
    public void Without_a_default_route_unmatched_addresses_return_no_match()
    {
        Ipv4PrefixTable table = Ipv4PrefixTable.Build([(P("10.0.1.7/32"), 5), (P("172.16.0.0/12"), 6)]);

        Assert.Equal(5, table.Lookup(A(10, 0, 1, 7)));
        Assert.Equal(-1, table.Lookup(A(10, 0, 1, 6)));
        Assert.Equal(-1, table.Lookup(A(10, 0, 1, 8)));
        Assert.Equal(6, table.Lookup(A(172, 31, 255, 255)));
        Assert.Equal(-1, table.Lookup(A(172, 32, 0, 0)));
    }

    [Fact]
    public void A_repeated_prefix_keeps_the_last_value()
    {
        Ipv4PrefixTable table = Ipv4PrefixTable.Build(
            [(P("10.0.0.0/8"), 1), (P("10.0.1.0/30"), 2), (P("10.0.0.0/8"), 3), (P("10.0.1.0/30"), 4)]);

        Assert.Equal(2, table.Count);
        Assert.Equal(3, table.Lookup(A(10, 9, 9, 9)));
        Assert.Equal(4, table.Lookup(A(10, 0, 1, 3)));
    }

    [Fact]
    public void Byte_lookup_reads_network_order_and_checks_the_length()
    {
        Ipv4PrefixTable table = Ipv4PrefixTable.Build([(P("10.0.1.0/24"), 9)]);

        Assert.Equal(9, table.Lookup([10, 0, 1, 200]));
        Assert.Equal(-1, table.Lookup([200, 1, 0, 10]));
        Assert.Throws<ArgumentException>(() => table.Lookup([10, 0, 1]));
        Assert.Throws<ArgumentException>(() => table.Lookup(new byte[16]));
    }

    [Fact]
    public void Build_rejects_ipv6_prefixes_and_negative_values()
    {
        Assert.Throws<ArgumentException>(() => Ipv4PrefixTable.Build([(P("::/0"), 1)]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ipv4PrefixTable.Build([(P("10.0.0.0/8"), -1)]));
    }

    [Fact]
    public void A_table_refuses_a_root_of_another_size_than_one_entry_per_16()
    {
        Assert.Throws<ArgumentException>(() => new Ipv4PrefixTable(new int[256], new int[]?[256], [], 0));
        Assert.Throws<ArgumentException>(() => new Ipv4PrefixTable(new int[1 << 16], new int[]?[256], [], 0));
        Ipv4TableLayout.AssertConsistent(Ipv4PrefixTable.Empty);
    }

    [Theory]
    [InlineData(1, 3000, 0)]
    [InlineData(2, 3000, 8)]
    [InlineData(3, 300, 20)]
    [InlineData(4, 1, 0)]
    public void Matches_a_linear_scan_on_random_tables(int seed, int prefixCount, int minLength)
    {
        var random = new RandomRoutes(seed);
        List<(IpPrefix Prefix, int Value)> routes = random.Ipv4Routes(prefixCount, minLength);
        var reference = new BruteForceLpm(routes);
        Ipv4PrefixTable table = Ipv4PrefixTable.Build(routes);
        Ipv4TableLayout.AssertConsistent(table);

        int matched = 0;
        foreach (uint address in random.Ipv4Addresses(routes, 10_000))
        {
            int expected = reference.Lookup(address);
            Assert.Equal(expected, table.Lookup(address));
            matched += expected >= 0 ? 1 : 0;
        }
        Assert.True(matched > 0);
        if (minLength > 0)
            Assert.True(matched < 10_000, "without short prefixes some addresses must miss");
    }

    [Fact]
    public void Concurrent_lookups_agree_with_a_single_thread()
    {
        var random = new RandomRoutes(seed: 5);
        List<(IpPrefix Prefix, int Value)> routes = random.Ipv4Routes(5000, minLength: 4);
        Ipv4PrefixTable table = Ipv4PrefixTable.Build(routes);
        uint[] addresses = random.Ipv4Addresses(routes, 50_000);
        int[] expected = Array.ConvertAll(addresses, table.Lookup);

        var mismatches = 0;
        Parallel.For(0, 8, _ =>
        {
            for (int i = 0; i < addresses.Length; i++)
            {
                if (table.Lookup(addresses[i]) != expected[i])
                    Interlocked.Increment(ref mismatches);
            }
        });
        Assert.Equal(0, mismatches);
    }
}
