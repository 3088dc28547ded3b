using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// The direct table in chunks of 256 /20 blocks (one per /12): chunks of one value shared, an edit
/// copying the chunk references and the chunks it writes to, never what a published table reads.
/// </summary>
public sealed class Ipv6DirectChunksTests
{
    [Fact]
    public void Chunks_of_one_value_are_shared_and_an_edit_copies_only_the_chunks_it_writes_to()
    {
        var routes = new Dictionary<IpPrefix, int>
        {
            [P("::/0")] = 1, [P("2001:db8::/32")] = 2, [P("2001:db8:1::/48")] = 3, [P("2400:1::/48")] = 4, [P("fc00::/7")] = 5,
        };
        var built = Ipv6PrefixTable.Build(routes.Select(r => (r.Key, r.Value)));
        var editor = new Ipv6PrefixTableEditor(built, routes.Select(r => (r.Key, r.Value)));
        // The first sweep moves every block's ranges to an array with room (a whole build's has none), so the edit to look at is the next.
        editor.Set(P("2001:db8:3::/48"), 2);
        var before = editor.Publish();
        int ChunkOf(string address) => (int)(Address(address) >> (128 - 12));

        // 3000::/12 and 3100::/12 hold the default route alone, fc00::/12 and fd00::/12 fc00::/7 alone.
        Assert.Same(before.Chunks[ChunkOf("3000::")], before.Chunks[ChunkOf("3100::")]);
        Assert.Same(before.Chunks[ChunkOf("fc00::")], before.Chunks[ChunkOf("fd00::")]);
        Assert.NotSame(before.Chunks[ChunkOf("3000::")], before.Chunks[ChunkOf("fc00::")]);
        Assert.NotSame(before.Chunks[ChunkOf("2001:db8::")], before.Chunks[ChunkOf("2400:1::")]);

        Assert.Same(built.Chunks[ChunkOf("3000::")], before.Chunks[ChunkOf("3000::")]);

        editor.Set(P("3000:1::/48"), 6);
        editor.Set(P("2001:db8:2::/48"), 7);
        var after = editor.Publish();

        Assert.NotSame(before.Chunks, after.Chunks);
        Assert.NotSame(before.Chunks[ChunkOf("3000::")], after.Chunks[ChunkOf("3000::")]);
        Assert.NotSame(before.Chunks[ChunkOf("2001:db8::")], after.Chunks[ChunkOf("2001:db8::")]);
        Assert.Same(before.Chunks[ChunkOf("3100::")], after.Chunks[ChunkOf("3100::")]);
        Assert.Same(before.Chunks[ChunkOf("2400:1::")], after.Chunks[ChunkOf("2400:1::")]);
        Assert.Equal(6, after.Lookup(Address("3000:1::1")));
        Assert.Equal(1, after.Lookup(Address("3000:2::1")));
        Assert.Equal(1, after.Lookup(Address("3100:1::1")));
        Assert.Equal(7, after.Lookup(Address("2001:db8:2::1")));
        Assert.Equal(3, after.Lookup(Address("2001:db8:1::1")));
        Assert.Equal(5, after.Lookup(Address("fd00::1")));
        Assert.Equal(1, before.Lookup(Address("3000:1::1")));
        Assert.Equal(2, before.Lookup(Address("2001:db8:2::1")));

        // A publish with no change to the direct table (a prefix longer than 64 bits in a block that has one already) shares all of it.
        editor.Set(P("2001:db8:1::5/128"), 8);
        var withLong = editor.Publish();
        editor.Set(P("2001:db8:1::6/128"), 9);
        var again = editor.Publish();
        Assert.Equal(9, again.Lookup(Address("2001:db8:1::6")));
        Assert.Equal(3, withLong.Lookup(Address("2001:db8:1::6")));
        Assert.Same(withLong.Chunks[ChunkOf("3100::")], again.Chunks[ChunkOf("3100::")]);
    }

    [Fact]
    public void A_table_is_made_only_with_a_whole_direct_table()
    {
        var table = Ipv6PrefixTable.Build([(P("2001:db8::/32"), 1)]);
        int[][] shortChunk = [.. table.Chunks];
        shortChunk[5] = new int[Ipv6DirectChunks.ChunkSize - 1];

        Assert.Throws<ArgumentException>(() => new Ipv6PrefixTable(shortChunk, table.Ranges, table.Values, null, 1, table.RangeCount));
        Assert.Throws<ArgumentException>(() => new Ipv6PrefixTable(table.Chunks[..^1], table.Ranges, table.Values, null, 1, table.RangeCount));
        Assert.Throws<ArgumentException>(() => new Ipv6PrefixTable(table.Chunks, table.Ranges, table.Values, null, 1, table.Ranges.Length - 2));
    }

    private static IpPrefix P(string text) => TestPrefixes.Prefix(text);

    private static UInt128 Address(string text) => TestPrefixes.Prefix(text + "/128").Ipv6Network;
}
