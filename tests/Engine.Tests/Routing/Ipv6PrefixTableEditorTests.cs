using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// The edited IPv6 table against a naive reference (an exact look per length): random batches of
/// insertions, removals and replacements of every length from 0 to 128 (shorter than a /20 block,
/// /64, longer than 64 bits, nested, the default route), every published table checked on the
/// boundaries of every prefix and on random addresses, and every earlier table still answering as
/// it did when it was published.
/// </summary>
public sealed class Ipv6PrefixTableEditorTests
{
    private static readonly UInt128 Region = new(0x2001_0db8_0000_0000, 0);

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 300)]
    [InlineData(3, 3000)]
    public void Random_batches_of_changes_give_the_lookups_of_the_reference(int seed, int startCount)
    {
        var random = new Random(seed);
        var routes = new Dictionary<IpPrefix, int>();
        while (routes.Count < startCount)
            routes[RandomPrefix(random, routes)] = random.Next(2000);
        var start = Ipv6PrefixTable.Build(routes.Select(r => (r.Key, r.Value)));
        var editor = new Ipv6PrefixTableEditor(start, routes.Select(r => (r.Key, r.Value)));
        var published = new List<(Ipv6PrefixTable Table, UInt128[] Addresses, int[] Expected)>();
        var everSeen = new HashSet<IpPrefix>(routes.Keys);

        for (var round = 0; round < 40; round++)
        {
            var batch = random.Next(1, 200);
            var changed = new HashSet<IpPrefix>();
            for (var i = 0; i < batch; i++)
            {
                var prefix = random.Next(3) == 0 && routes.Count > 0
                    ? routes.Keys.ElementAt(random.Next(routes.Count))
                    : RandomPrefix(random, routes);
                if (random.Next(3) == 0) routes.Remove(prefix);
                else routes[prefix] = random.Next(2000);
                changed.Add(prefix);
                everSeen.Add(prefix);
            }
            // The editor takes the batch's prefixes once each, in any order, as the book does.
            foreach (var prefix in changed.OrderBy(_ => random.Next()))
            {
                if (routes.TryGetValue(prefix, out var value)) editor.Set(prefix, value);
                else editor.Remove(prefix);
            }
            var table = editor.Publish();
            Assert.Equal(routes.Count, table.Count);
            var addresses = Probes(random, everSeen);
            var expected = Array.ConvertAll(addresses, address => BruteForceLpm.ByLengths(routes, address));
            AssertLookups(table, addresses, expected);
            published.Add((table, addresses, expected));
        }

        foreach (var (table, addresses, expected) in published)
            AssertLookups(table, addresses, expected);
    }

    [Fact]
    public void A_change_in_one_block_shares_the_ranges_and_values_and_leaves_the_last_table_as_it_was()
    {
        var routes = new Dictionary<IpPrefix, int>
        {
            [P("2001:db8::/32")] = 1, [P("2001:db8:1::/48")] = 2, [P("2001:db8:2::1/128")] = 3,
            [P("2400::/16")] = 4, [P("2400:1::/48")] = 5, [P("::/0")] = 6,
        };
        var editor = new Ipv6PrefixTableEditor(Ipv6PrefixTable.Build(routes.Select(r => (r.Key, r.Value))), routes.Select(r => (r.Key, r.Value)));
        editor.Set(P("2001:db8:3::/48"), 7);
        var before = editor.Publish();

        editor.Set(P("2001:db8:4::/48"), 8);
        var after = editor.Publish();

        Assert.Same(before.Ranges, after.Ranges);
        Assert.Same(before.Values, after.Values);
        Assert.Same(before.LongPrefixes, after.LongPrefixes);
        Assert.NotSame(before.Direct, after.Direct);
        Assert.Equal(1, before.Lookup(Address("2001:db8:4::1")));
        Assert.Equal(8, after.Lookup(Address("2001:db8:4::1")));
        Assert.Equal(7, after.Lookup(Address("2001:db8:3::1")));
        Assert.Equal(3, after.Lookup(Address("2001:db8:2::1")));
        Assert.Equal(1, after.Lookup(Address("2001:db8:2::2")));
        Assert.Equal(5, after.Lookup(Address("2400:1::1")));
        Assert.Equal(6, after.Lookup(Address("3000::1")));
    }

    [Fact]
    public void Removing_every_prefix_matches_nothing()
    {
        var random = new Random(7);
        var routes = new Dictionary<IpPrefix, int>();
        while (routes.Count < 2000)
            routes[RandomPrefix(random, routes)] = random.Next(1000);
        var editor = new Ipv6PrefixTableEditor(Ipv6PrefixTable.Empty, []);
        foreach (var (prefix, value) in routes)
            editor.Set(prefix, value);
        var full = editor.Publish();

        foreach (var prefix in routes.Keys.OrderBy(_ => random.Next()))
            editor.Remove(prefix);
        var empty = editor.Publish();

        Assert.Equal(0, empty.Count);
        Assert.Null(empty.LongPrefixes);
        Assert.True(empty.Direct.AsSpan().IndexOfAnyExcept(Ipv6PrefixTable.InlineFlag) < 0);
        var (prefix0, value0) = routes.MaxBy(r => r.Key.Length);
        Assert.Equal(value0, full.Lookup(prefix0.Ipv6Network));
    }

    [Fact]
    public void Values_no_longer_used_are_numbered_afresh_when_the_numbering_fills()
    {
        // 100,000 /64s side by side in one block, each publish giving all of them new values:
        // the sixth publish numbers past the limit, which only the values in use may not pass.
        const int Prefixes = 100_000;
        var editor = new Ipv6PrefixTableEditor(Ipv6PrefixTable.Empty, []);
        var tables = new List<(Ipv6PrefixTable Table, int Round)>();
        for (var round = 0; round < 7; round++)
        {
            for (var i = 0; i < Prefixes; i++)
                editor.Set(IpPrefix.Ipv6(Region | (UInt128)(ulong)i << 64, 64), round * Prefixes + i);
            tables.Add((editor.Publish(), round));
        }

        foreach (var (table, round) in tables)
            foreach (var i in new[] { 0, 1, Prefixes / 2, Prefixes - 1 })
                Assert.Equal(round * Prefixes + i, table.Lookup(Region | (UInt128)(ulong)i << 64 | 5));
    }

    [Fact]
    public void Ranges_left_behind_by_blocks_swept_again_are_compacted_away_and_earlier_tables_keep_theirs()
    {
        // 6,000 blocks of 21 ranges each (20 /48s side by side, then the rest of the block), an
        // eighth of them swept again at each publish: the old ranges pile up a publish at a time,
        // well before the array (twice the live ranges) is full.
        const int Blocks = 6000, PerBlock = 20, SweptPerPublish = Blocks / 8;
        const int Live = Blocks * (PerBlock + 1);
        IpPrefix Slash48(int block, int i) => IpPrefix.Ipv6((UInt128)(0x20010 + (ulong)block) << 108 | (UInt128)(ulong)i << 80, 48);
        var routes = new Dictionary<IpPrefix, int>();
        for (var block = 0; block < Blocks; block++)
            for (var i = 0; i < PerBlock; i++)
                routes[Slash48(block, i)] = i % 2;
        var editor = new Ipv6PrefixTableEditor(Ipv6PrefixTable.Build(routes.Select(r => (r.Key, r.Value))), routes.Select(r => (r.Key, r.Value)));
        var published = new List<(Ipv6PrefixTable Table, UInt128[] Addresses, int[] Expected)>();
        var random = new Random(11);

        for (var round = 0; round < 12; round++)
        {
            for (var block = round * SweptPerPublish % Blocks; block < round * SweptPerPublish % Blocks + SweptPerPublish; block++)
            {
                routes[Slash48(block, 0)] = 100 + round;
                editor.Set(Slash48(block, 0), 100 + round);
            }
            var table = editor.Publish();
            var addresses = Probes(random, routes.Keys.Where((_, i) => i % 97 == 0));
            var expected = Array.ConvertAll(addresses, address => BruteForceLpm.ByLengths(routes, address));
            AssertLookups(table, addresses, expected);
            published.Add((table, addresses, expected));
        }

        // At most the live ranges, the garbage allowed, and one publish's sweeps past it.
        var used = published.Select(p => p.Table.RangeCount).ToList();
        var bound = Live + Math.Max(Ipv6PrefixTableEditor.GarbageFloor, Live / Ipv6PrefixTableEditor.GarbageShare) + SweptPerPublish * (PerBlock + 1);
        Assert.True(used.Max() <= bound, $"ranges used by publish: {string.Join(", ", used)}; bound {bound}");
        Assert.Contains(used.Zip(used.Skip(1)), pair => pair.Second < pair.First);
        foreach (var (table, addresses, expected) in published)
            AssertLookups(table, addresses, expected);
    }

    [Fact]
    public void An_edit_to_more_distinct_values_than_a_table_holds_throws()
    {
        var editor = new Ipv6PrefixTableEditor(Ipv6PrefixTable.Empty, []);
        for (var i = 0; i <= Ipv6PrefixTable.DistinctValueLimit; i++)
            editor.Set(IpPrefix.Ipv6(Region | (UInt128)(ulong)i << 64, 64), i);

        var thrown = Assert.Throws<InvalidOperationException>(() => editor.Publish());
        Assert.Contains("distinct values", thrown.Message);
    }

    /// <summary>
    /// Prefixes crowded into a few blocks of 2001:db8::/32, often inside one already there so that they
    /// nest; now and then one shorter than a block (the default route among them), a /64 or a long one.
    /// </summary>
    private static IpPrefix RandomPrefix(Random random, Dictionary<IpPrefix, int> routes)
    {
        if (routes.Count > 0 && random.Next(2) == 0)
        {
            var parent = routes.Keys.ElementAt(random.Next(routes.Count));
            var length = random.Next(4) == 0 ? 64 : random.Next(parent.Length, 129);
            length = Math.Max(length, parent.Length);
            var host = RandomAddress(random) & ~IpPrefix.Ipv6Mask(parent.Length);
            return IpPrefix.Ipv6(parent.Ipv6Network | host, length);
        }
        // Four blocks from 2001::/20 on, the addresses in them spread or crowded.
        var address = (UInt128)(0x20010 + (ulong)random.Next(4)) << 108 | RandomAddress(random) >> (random.Next(2) == 0 ? 20 : 56);
        return random.Next(12) switch
        {
            0 => IpPrefix.Ipv6(address, random.Next(0, 20)),
            1 => IpPrefix.Ipv6(address, random.Next(65, 129)),
            2 => IpPrefix.Ipv6(address, 64),
            _ => IpPrefix.Ipv6(address, random.Next(20, 65)),
        };
    }

    private static UInt128 RandomAddress(Random random) => new((ulong)random.NextInt64() << 1 ^ (ulong)random.Next(), (ulong)random.NextInt64() << 1 ^ (ulong)random.Next());

    private static UInt128[] Probes(Random random, IEnumerable<IpPrefix> prefixes)
    {
        var addresses = new List<UInt128>();
        foreach (var prefix in prefixes)
        {
            var first = prefix.Ipv6Network;
            var last = first | ~IpPrefix.Ipv6Mask(prefix.Length);
            addresses.AddRange([first, first - 1, last, last + 1, first | RandomAddress(random) & ~IpPrefix.Ipv6Mask(prefix.Length)]);
        }
        for (var i = 0; i < 1000; i++)
            addresses.Add(i % 2 == 0 ? RandomAddress(random) : (UInt128)0x2001 << 112 | RandomAddress(random) >> 22);
        return [.. addresses];
    }

    private static void AssertLookups(Ipv6PrefixTable table, UInt128[] addresses, int[] expected)
    {
        for (var i = 0; i < addresses.Length; i++)
        {
            var actual = table.Lookup(addresses[i]);
            if (expected[i] != actual)
                Assert.Fail($"{IpPrefix.Ipv6(addresses[i], 128)}: reference {expected[i]}, table {actual}");
        }
    }

    private static IpPrefix P(string text) => TestPrefixes.Prefix(text);

    private static UInt128 Address(string text) => TestPrefixes.Prefix(text + "/128").Ipv6Network;
}
