using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Engine.Actors.Routing;

/// <summary>
/// Builds the 16-8-8 leaf-pushed trie of <see cref="Ipv4PrefixTable"/>. Prefixes are
/// inserted shortest first: a longer prefix then simply overwrites the expanded entries of
/// the shorter ones it nests in, and a child node is always created after every shorter
/// prefix above it is in place, so it starts as a copy of the entry it replaces.
/// </summary>
internal static class Ipv4PrefixTableBuilder
{
    private const int Level2End = Ipv4PrefixTable.RootBits + 8;

    public static Ipv4PrefixTable Build(IEnumerable<(IpPrefix Prefix, int Value)> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        return Build(SortByLength(Deduplicate(routes)));
    }

    /// <summary>Builds from routes that name each prefix once (the route book's winners), without a dictionary to deduplicate them.</summary>
    public static Ipv4PrefixTable BuildUnique(IReadOnlyCollection<(IpPrefix Prefix, int Value)> routes)
    {
        foreach (var (prefix, value) in routes)
            Check(prefix, value);
        return Build(SortByLength(routes));
    }

    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Ipv4PrefixTable Build((uint Network, int Length, int Value)[] sorted)
    {
        // Which /16s and /24s need a node, as bitmaps (8 KiB and 2 MiB): a million hash-set
        // insertions cost a full table's build more than the rest of it.
        var level2 = new ulong[(1 << Ipv4PrefixTable.RootBits) / 64];
        var level3 = new ulong[(1 << Level2End) / 64];
        foreach (var (network, length, _) in sorted)
        {
            if (length > Ipv4PrefixTable.RootBits)
                Mark(level2, network >> Ipv4PrefixTable.RootBits);
            if (length > Level2End)
                Mark(level3, network >> 8);
        }

        var root = new int[Ipv4PrefixTable.RootSize];
        Array.Fill(root, Ipv4PrefixTable.NoMatch);
        var nodes = new int[]?[Count(level2) + Count(level3)];
        int nextNode = 0;

        foreach (var (network, length, value) in sorted)
        {
            int leaf = Ipv4PrefixTable.Leaf(value, length);
            if (length <= Ipv4PrefixTable.RootBits)
            {
                Expand(root, (int)(network >> Ipv4PrefixTable.RootBits), Ipv4PrefixTable.RootBits - length, leaf);
                continue;
            }
            int[] node = EnsureChild(root, (int)(network >> Ipv4PrefixTable.RootBits), nodes, ref nextNode);
            int slot = (int)((network >> 8) & 0xFF);
            if (length <= Level2End)
            {
                Expand(node, slot, Level2End - length, leaf);
                continue;
            }
            node = EnsureChild(node, slot, nodes, ref nextNode);
            Expand(node, (int)(network & 0xFF), 32 - length, leaf);
        }

        Debug.Assert(nextNode == nodes.Length);
        var rootNodes = new int[]?[Ipv4PrefixTable.RootSize];
        for (int slot = 0; slot < rootNodes.Length; slot++)
            rootNodes[slot] = Ipv4PrefixTable.NodeUnder(root[slot], nodes);
        return new Ipv4PrefixTable(root, rootNodes, nodes, sorted.Length);
    }

    private static List<(IpPrefix Prefix, int Value)> Deduplicate(IEnumerable<(IpPrefix Prefix, int Value)> routes)
    {
        var unique = new Dictionary<IpPrefix, int>();
        foreach (var (prefix, value) in routes)
        {
            Check(prefix, value);
            unique[prefix] = value;
        }
        return [.. unique.Select(pair => (pair.Key, pair.Value))];
    }

    private static void Mark(ulong[] bits, uint index) => bits[index >> 6] |= 1UL << (int)(index & 63);

    private static int Count(ulong[] bits)
    {
        var count = 0;
        foreach (var word in bits)
            count += System.Numerics.BitOperations.PopCount(word);
        return count;
    }

    private static void Check(IpPrefix prefix, int value)
    {
        if (prefix.IsIPv6)
            throw new ArgumentException($"{prefix} is not an IPv4 prefix", "routes");
        if (value is < 0 or >= Ipv4PrefixTable.ValueLimit)
            throw new ArgumentOutOfRangeException("routes", value, $"the value for {prefix} must be >= 0 and < {Ipv4PrefixTable.ValueLimit}");
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (uint Network, int Length, int Value)[] SortByLength(IReadOnlyCollection<(IpPrefix Prefix, int Value)> unique)
    {
        var starts = new int[34];
        foreach (var (prefix, _) in unique)
            starts[prefix.Length + 1]++;
        for (int i = 1; i < starts.Length; i++)
            starts[i] += starts[i - 1];

        var sorted = new (uint, int, int)[unique.Count];
        foreach (var (prefix, value) in unique)
            sorted[starts[prefix.Length]++] = (prefix.Ipv4Network, prefix.Length, value);
        return sorted;
    }

    /// <summary>Writes leaf into the 2^freeBits entries a prefix covers, starting at first.</summary>
    private static void Expand(int[] entries, int first, int freeBits, int leaf)
    {
        Span<int> covered = entries.AsSpan(first, 1 << freeBits);
        Debug.Assert(!covered.ContainsAnyInRange(int.MinValue, Ipv4PrefixTable.NoMatch - 1), "a child exists under a shorter prefix");
        covered.Fill(leaf);
    }

    private static int[] EnsureChild(int[] parent, int slot, int[]?[] nodes, ref int nextNode)
    {
        int entry = parent[slot];
        if (entry < Ipv4PrefixTable.NoMatch)
            return nodes[Ipv4PrefixTable.ChildIndex(entry)]!;

        var node = new int[Ipv4PrefixTable.NodeSize];
        node.AsSpan().Fill(entry);
        nodes[nextNode] = node;
        parent[slot] = Ipv4PrefixTable.ChildEntry(nextNode++);
        return node;
    }
}
