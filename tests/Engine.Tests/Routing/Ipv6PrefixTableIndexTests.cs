using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// The edges of a block's search: a block of up to <see cref="Ipv6PrefixTable.GroupSize"/> ranges is
/// compared whole, a bigger one goes down index levels (each sampling every GroupSize-th entry of the
/// one below). Blocks just below and above each level's threshold, built whole and reached by edits,
/// checked against the reference on the first and last address of every range, of the block and of
/// its neighbours.
/// </summary>
public sealed class Ipv6PrefixTableIndexTests
{
    private const int Group = Ipv6PrefixTable.GroupSize;

    /// <summary>The /20 block 2001:d000::/20 of the direct table.</summary>
    private static readonly UInt128 Block = (UInt128)0x2001d << 108;

    private static readonly UInt128 BlockLast = Block | ~IpPrefix.Ipv6Mask(20);

    [Theory]
    [InlineData(2)]
    [InlineData(Group - 1)]
    [InlineData(Group)]
    [InlineData(Group + 1)]
    [InlineData(2 * Group)]
    [InlineData(2 * Group + 1)]
    [InlineData(Ipv6PrefixTable.MaxInlineCount)]
    [InlineData(Ipv6PrefixTable.MaxInlineCount + 1)]
    [InlineData(Group * Group)]
    [InlineData(Group * Group + 1)]
    [InlineData(Group * Group * Group + 1)]
    public void A_block_of_that_many_ranges_finds_the_first_and_last_address_of_each(int rangeCount)
    {
        var routes = Adjacent(rangeCount - 1);
        var table = Ipv6PrefixTable.Build(routes.Select(r => (r.Key, r.Value)));

        Assert.Equal(rangeCount, RangesIn(table));
        AssertBoundaries(table, routes);
    }

    [Fact]
    public void A_block_growing_past_each_threshold_by_edits_and_shrinking_back_keeps_every_table_right()
    {
        var routes = Adjacent(Group - 3);
        routes[P("::/0")] = 99;
        var editor = new Ipv6PrefixTableEditor(Ipv6PrefixTable.Build(routes.Select(r => (r.Key, r.Value))), routes.Select(r => (r.Key, r.Value)));
        var published = new List<(Ipv6PrefixTable Table, Dictionary<IpPrefix, int> Routes)>();
        var sizes = new List<int>();

        // One range more per publish up to past two groups, then a jump past a group of groups, and back.
        for (var count = Group - 2; count <= 2 * Group + 2; count++)
            Publish(editor, routes, count, published, sizes);
        Publish(editor, routes, Group * Group + 1, published, sizes);
        Publish(editor, routes, Group * Group - 1, published, sizes);
        for (var count = 2 * Group + 2; count >= Group - 2; count--)
            Publish(editor, routes, count, published, sizes);

        Assert.Contains(Group, sizes);
        Assert.Contains(Group + 1, sizes);
        Assert.Contains(Group * Group + 1, sizes);
        foreach (var (table, tableRoutes) in published)
            AssertBoundaries(table, tableRoutes);
    }

    [Fact]
    public void Prefixes_longer_than_64_bits_under_a_big_block_are_found_in_its_first_middle_and_last_range()
    {
        var routes = Adjacent(Group * Group + 40);
        var lastTop = (UInt128)(ulong)(BlockLast >> 64) << 64;
        var middleTop = (Block >> 64 | (UInt128)(Group * Group / 2) << 16 | 0x1234) << 64;
        routes[IpPrefix.Ipv6(Block | 0x80, 121)] = 201;
        routes[IpPrefix.Ipv6(Block | 1, 128)] = 202;
        routes[IpPrefix.Ipv6(middleTop | 0xffff, 128)] = 203;
        routes[IpPrefix.Ipv6(middleTop | (UInt128)1 << 40, 96)] = 204;
        routes[IpPrefix.Ipv6(lastTop | ulong.MaxValue, 128)] = 205;
        routes[IpPrefix.Ipv6(lastTop, 72)] = 206;
        var table = Ipv6PrefixTable.Build(routes.Select(r => (r.Key, r.Value)));

        Assert.True(RangesIn(table) > Group * Group);
        Assert.Equal(205, table.Lookup(UInt128.MaxValue & BlockLast));
        Assert.Equal(202, table.Lookup(Block | 1));
        AssertBoundaries(table, routes);

        var editor = new Ipv6PrefixTableEditor(table, routes.Select(r => (r.Key, r.Value)));
        editor.Remove(IpPrefix.Ipv6(Block | 1, 128));
        editor.Set(IpPrefix.Ipv6(middleTop | 0xfff0, 124), 207);
        routes.Remove(IpPrefix.Ipv6(Block | 1, 128));
        routes[IpPrefix.Ipv6(middleTop | 0xfff0, 124)] = 207;
        AssertBoundaries(editor.Publish(), routes);
    }

    [Fact]
    public void The_default_route_fills_the_gaps_of_a_big_block_and_the_blocks_around_it()
    {
        var routes = Adjacent(3 * Group);
        // Gaps between the /48s, so that the default route makes ranges of its own among them.
        foreach (var prefix in routes.Keys.Where((_, i) => i % 3 == 1).ToList())
            routes.Remove(prefix);
        routes[P("::/0")] = 77;
        var table = Ipv6PrefixTable.Build(routes.Select(r => (r.Key, r.Value)));

        Assert.True(RangesIn(table) > Group);
        Assert.Equal(77, table.Lookup(BlockLast));
        Assert.Equal(77, table.Lookup(Block - 1));
        Assert.Equal(77, table.Lookup(BlockLast + 1));
        AssertBoundaries(table, routes);

        var editor = new Ipv6PrefixTableEditor(table, routes.Select(r => (r.Key, r.Value)));
        editor.Remove(P("::/0"));
        routes.Remove(P("::/0"));
        var withoutDefault = editor.Publish();
        Assert.Equal(Ipv6PrefixTable.NoMatch, withoutDefault.Lookup(BlockLast));
        AssertBoundaries(withoutDefault, routes);
        AssertBoundaries(table, new Dictionary<IpPrefix, int>(routes) { [P("::/0")] = 77 });
    }

    /// <summary>
    /// count /48s side by side from the block's start, their values alternating so that none merge:
    /// with the rest of the block, count + 1 ranges.
    /// </summary>
    private static Dictionary<IpPrefix, int> Adjacent(int count)
    {
        var routes = new Dictionary<IpPrefix, int>();
        for (var i = 0; i < count; i++)
            routes[Slash48(i)] = 10 + i % 2;
        return routes;
    }

    private static IpPrefix Slash48(int i) => IpPrefix.Ipv6(Block | (UInt128)(ulong)i << 80, 48);

    /// <summary>Brings the block to rangeCount ranges (the /48s from its start, the rest of it) by edits and publishes.</summary>
    private static void Publish(Ipv6PrefixTableEditor editor, Dictionary<IpPrefix, int> routes, int rangeCount, List<(Ipv6PrefixTable, Dictionary<IpPrefix, int>)> published, List<int> sizes)
    {
        // The default route is one value with the rest of the block, so the /48s alone count.
        var wanted = rangeCount - 1;
        for (var i = 0; routes.ContainsKey(Slash48(i)) || i < wanted; i++)
        {
            if (i < wanted)
            {
                routes[Slash48(i)] = 10 + i % 2;
                editor.Set(Slash48(i), 10 + i % 2);
            }
            else
            {
                routes.Remove(Slash48(i));
                editor.Remove(Slash48(i));
            }
        }
        var table = editor.Publish();
        sizes.Add(RangesIn(table));
        Assert.Equal(rangeCount, sizes[^1]);
        published.Add((table, new Dictionary<IpPrefix, int>(routes)));
    }

    /// <summary>How many ranges the block holds, from its direct entry (and the count ahead of its ranges when the entry cannot hold it).</summary>
    private static int RangesIn(Ipv6PrefixTable table)
    {
        var entry = table.DirectEntry((int)(Block >> 108));
        if (entry < 0) return 1;
        var count = entry >>> Ipv6PrefixTable.CountShift;
        return count != 0 ? count : (int)table.Ranges[entry & Ipv6PrefixTable.OffsetMask];
    }

    /// <summary>Each prefix's first and last address and those just outside, and the block's and its neighbours' edges, against the reference.</summary>
    private static void AssertBoundaries(Ipv6PrefixTable table, Dictionary<IpPrefix, int> routes)
    {
        var addresses = new List<UInt128> { Block, Block - 1, BlockLast, BlockLast + 1, Block - ((UInt128)1 << 108), BlockLast + ((UInt128)1 << 108) };
        foreach (var prefix in routes.Keys)
        {
            var first = prefix.Ipv6Network;
            var last = first | ~IpPrefix.Ipv6Mask(prefix.Length);
            addresses.AddRange([first, first - 1, last, last + 1]);
        }
        foreach (var address in addresses)
        {
            var expected = BruteForceLpm.ByLengths(routes, address);
            var actual = table.Lookup(address);
            if (expected != actual)
                Assert.Fail($"{IpPrefix.Ipv6(address, 128)}: reference {expected}, table {actual}");
        }
    }

    private static IpPrefix P(string text) => TestPrefixes.Prefix(text);
}
