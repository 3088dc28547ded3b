using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// The edited IPv4 table against a naive reference (an exact look per length): random batches of insertions,
/// removals and replacements, every published table checked on the boundaries of every prefix
/// (where a longest match can change) and on random addresses, and every earlier table still
/// answering as it did when it was published.
/// </summary>
public sealed class Ipv4PrefixTableEditorTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 200)]
    [InlineData(3, 2000)]
    public void Random_batches_of_changes_give_the_lookups_of_the_reference(int seed, int startCount)
    {
        var random = new Random(seed);
        var routes = new Dictionary<IpPrefix, int>();
        while (routes.Count < startCount)
            routes[RandomPrefix(random, routes)] = random.Next(Ipv4PrefixTable.ValueLimit);
        var editor = new Ipv4PrefixTableEditor(Ipv4PrefixTable.Build(routes.Select(r => (r.Key, r.Value))), ValueOf(routes));
        var published = new List<(Ipv4PrefixTable Table, Dictionary<IpPrefix, int> Reference, uint[] Addresses)>();
        var everSeen = new HashSet<IpPrefix>(routes.Keys);

        for (var round = 0; round < 40; round++)
        {
            var batch = random.Next(1, 300);
            var changed = new Dictionary<IpPrefix, bool>();
            for (var i = 0; i < batch; i++)
            {
                var prefix = random.Next(3) == 0 && routes.Count > 0
                    ? routes.Keys.ElementAt(random.Next(routes.Count))
                    : RandomPrefix(random, routes);
                if (random.Next(3) == 0) routes.Remove(prefix);
                else routes[prefix] = random.Next(Ipv4PrefixTable.ValueLimit);
                changed[prefix] = true;
                everSeen.Add(prefix);
            }
            // The editor takes the batch's prefixes once each, in any order, as the book does.
            foreach (var prefix in changed.Keys.OrderBy(_ => random.Next()))
            {
                if (routes.TryGetValue(prefix, out var value)) editor.Set(prefix.Ipv4Network, prefix.Length, value);
                else editor.Remove(prefix.Ipv4Network, prefix.Length);
            }
            var table = editor.Publish(routes.Count);
            var reference = new Dictionary<IpPrefix, int>(routes);
            var addresses = Probes(random, everSeen);
            Ipv4TableLayout.AssertConsistent(table);
            AssertSameLookups(reference, table, addresses);
            published.Add((table, reference, addresses));
        }

        foreach (var (table, reference, addresses) in published)
        {
            Ipv4TableLayout.AssertConsistent(table);
            AssertSameLookups(reference, table, addresses);
        }
    }

    [Fact]
    public void Removing_every_prefix_frees_every_node_and_matches_nothing()
    {
        var random = new Random(7);
        var routes = new Dictionary<IpPrefix, int>();
        while (routes.Count < 3000)
            routes[RandomPrefix(random, routes)] = random.Next(1000);
        var editor = new Ipv4PrefixTableEditor(Ipv4PrefixTable.Empty, ValueOf(routes));
        foreach (var (prefix, value) in routes)
            editor.Set(prefix.Ipv4Network, prefix.Length, value);
        var full = editor.Publish(routes.Count);
        Assert.True(editor.NodeCount > 0);

        var prefixes = routes.Keys.OrderBy(_ => random.Next()).ToList();
        routes.Clear();
        foreach (var prefix in prefixes)
            editor.Remove(prefix.Ipv4Network, prefix.Length);
        var empty = editor.Publish(0);

        Assert.Equal(0, editor.NodeCount);
        Assert.All(empty.Root, entry => Assert.Equal(Ipv4PrefixTable.NoMatch, entry));
        Assert.All(empty.RootNodes, Assert.Null);
        Ipv4TableLayout.AssertConsistent(full);
        Assert.NotEqual(Ipv4PrefixTable.NoMatch, full.Lookup(prefixes[0].Ipv4Network));
    }

    [Fact]
    public void A_change_copies_only_the_nodes_it_touches_and_shares_the_rest()
    {
        var routes = new Dictionary<IpPrefix, int>
        {
            [IpPrefix.Ipv4(0x0A000100, 24)] = 1, [IpPrefix.Ipv4(0x0A000180, 25)] = 2,
            [IpPrefix.Ipv4(0x0B000100, 25)] = 3, [IpPrefix.Ipv4(0x0C000000, 20)] = 4,
        };
        var before = Ipv4PrefixTable.Build(routes.Select(r => (r.Key, r.Value)));
        var editor = new Ipv4PrefixTableEditor(before, ValueOf(routes));

        routes[IpPrefix.Ipv4(0x0A000140, 26)] = 5;
        editor.Set(0x0A000140, 26, 5);
        var after = editor.Publish(routes.Count);

        var changed = Enumerable.Range(0, before.Nodes.Length).Where(i => !ReferenceEquals(before.Nodes[i], after.Nodes[i])).ToList();
        Assert.Single(changed);
        // The copy is a third-level node, named by index from a second-level one that did not change.
        Assert.Empty(ChangedRootNodes(before, after));
        Assert.Equal(1, before.Lookup(0x0A000141));
        Assert.Equal(5, after.Lookup(0x0A000141));
        Assert.Equal(2, after.Lookup(0x0A000181));
    }

    [Fact]
    public void The_root_node_references_follow_a_copied_created_or_folded_second_level_node()
    {
        var routes = new Dictionary<IpPrefix, int> { [IpPrefix.Ipv4(0x0A000100, 24)] = 1, [IpPrefix.Ipv4(0x0C000000, 20)] = 4 };
        var built = Ipv4PrefixTable.Build(routes.Select(r => (r.Key, r.Value)));
        var editor = new Ipv4PrefixTableEditor(built, ValueOf(routes));

        routes[IpPrefix.Ipv4(0x0C000300, 24)] = 6;
        editor.Set(0x0C000300, 24, 6);
        routes[IpPrefix.Ipv4(0x0D000000, 24)] = 7;
        editor.Set(0x0D000000, 24, 7);
        var copied = editor.Publish(routes.Count);
        Assert.Equal([0x0C00, 0x0D00], ChangedRootNodes(built, copied));
        Assert.NotNull(copied.RootNodes[0x0D00]);
        Ipv4TableLayout.AssertConsistent(copied);

        routes.Remove(IpPrefix.Ipv4(0x0C000300, 24));
        editor.Remove(0x0C000300, 24);
        routes.Remove(IpPrefix.Ipv4(0x0C000000, 20));
        editor.Remove(0x0C000000, 20);
        var folded = editor.Publish(routes.Count);
        Assert.Equal([0x0C00], ChangedRootNodes(copied, folded));
        Assert.Null(folded.RootNodes[0x0C00]);
        Ipv4TableLayout.AssertConsistent(folded);

        Assert.Equal(4, built.Lookup(0x0C000301));
        Assert.Equal(6, copied.Lookup(0x0C000301));
        Assert.Equal(7, copied.Lookup(0x0D000001));
        Assert.Equal(Ipv4PrefixTable.NoMatch, folded.Lookup(0x0C000301));
        Assert.Equal(1, folded.Lookup(0x0A000101));
    }

    private static List<int> ChangedRootNodes(Ipv4PrefixTable before, Ipv4PrefixTable after) =>
        [.. Enumerable.Range(0, before.RootNodes.Length).Where(i => !ReferenceEquals(before.RootNodes[i], after.RootNodes[i]))];

    private static Func<uint, int, int> ValueOf(Dictionary<IpPrefix, int> routes) =>
        (network, length) => routes.TryGetValue(IpPrefix.Ipv4(network, length), out var value) ? value : Ipv4PrefixTable.NoMatch;

    /// <summary>Prefixes crowded into a few /12s, often inside one already there, so they nest and share nodes.</summary>
    private static IpPrefix RandomPrefix(Random random, Dictionary<IpPrefix, int> routes)
    {
        if (routes.Count > 0 && random.Next(2) == 0)
        {
            var parent = routes.Keys.ElementAt(random.Next(routes.Count));
            var host = (uint)random.NextInt64(1L << 32) & ~IpPrefix.Ipv4Mask(parent.Length);
            return IpPrefix.Ipv4(parent.Ipv4Network | host, random.Next(parent.Length, 33));
        }
        var region = (uint)random.Next(4) << 20 | 0x0A000000;
        var length = random.Next(10) == 0 ? random.Next(0, 17) : random.Next(12, 33);
        return IpPrefix.Ipv4(region | (uint)random.Next(1 << 20), length);
    }

    private static uint[] Probes(Random random, IEnumerable<IpPrefix> prefixes)
    {
        var addresses = new List<uint>();
        foreach (var prefix in prefixes)
        {
            var first = prefix.Ipv4Network;
            var last = first | ~IpPrefix.Ipv4Mask(prefix.Length);
            addresses.AddRange([first, first - 1, last, last + 1, first + (uint)random.NextInt64((long)(last - first) + 1)]);
        }
        for (var i = 0; i < 2000; i++)
            addresses.Add(i % 2 == 0 ? (uint)random.NextInt64(1L << 32) : 0x0A000000 | (uint)random.Next(1 << 22));
        return [.. addresses];
    }

    private static void AssertSameLookups(Dictionary<IpPrefix, int> reference, Ipv4PrefixTable table, uint[] addresses)
    {
        foreach (var address in addresses)
        {
            var expected = BruteForceLpm.ByLengths(reference, address);
            var actual = table.Lookup(address);
            if (expected != actual)
                Assert.Fail($"{IpPrefix.Ipv4(address, 32)}: reference {expected}, table {actual}");
        }
    }
}
