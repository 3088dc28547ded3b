using System.Buffers.Binary;

namespace Engine.Actors.Routing;

/// <summary>
/// Immutable IPv4 longest-prefix-match table: built once, then read from any number of
/// threads without locks. A route change builds a new table.
/// </summary>
/// <remarks>
/// Layout: a multibit trie with strides 16-8-8 and leaf pushing (controlled prefix
/// expansion). The root has one entry per /16 (65536 ints, 256 KiB, stays in L2); each
/// deeper node has 256 entries and is created only under a /16 or /24 that holds a longer
/// prefix. Every entry is one int: a value (>= 0), <see cref="NoMatch"/>, or a child node
/// encoded as -2 - offset into <c>_nodes</c>. Leaf pushing copies the best shorter match
/// into every entry, so a lookup is at most three dependent loads and never backtracks.
/// A 16-8-8 root costs one load less than 8-8-8-8 for 256 KiB; DIR-24-8 would be one load
/// but 64 MiB per snapshot, which is too much for a table that is rebuilt on every change.
/// </remarks>
public sealed class Ipv4PrefixTable
{
    /// <summary>The value <see cref="Lookup(uint)"/> returns when no prefix matches.</summary>
    public const int NoMatch = -1;

    internal const int RootBits = 16;
    internal const int NodeSize = 256;

    private readonly int[] _root;
    private readonly int[] _nodes;

    internal Ipv4PrefixTable(int[] root, int[] nodes, int count)
    {
        _root = root;
        _nodes = nodes;
        Count = count;
    }

    /// <summary>A table with no routes; every lookup returns <see cref="NoMatch"/>.</summary>
    public static Ipv4PrefixTable Empty { get; } = Build([]);

    /// <summary>Number of distinct prefixes in the table.</summary>
    public int Count { get; }

    /// <summary>Bytes held by the lookup arrays (for sizing and benchmarks).</summary>
    internal long SizeInBytes => ((long)_root.Length + _nodes.Length) * sizeof(int);

    /// <summary>
    /// Builds a table from IPv4 prefixes and their values (each >= 0). When a prefix
    /// appears more than once the last value wins.
    /// </summary>
    public static Ipv4PrefixTable Build(IEnumerable<(IpPrefix Prefix, int Value)> routes) =>
        Ipv4PrefixTableBuilder.Build(routes);

    /// <summary>The value of the longest prefix containing address, or <see cref="NoMatch"/>.</summary>
    public int Lookup(uint address)
    {
        int entry = _root[address >> RootBits];
        if (entry >= NoMatch)
            return entry;
        entry = _nodes[ChildOffset(entry) + (int)((address >> 8) & 0xFF)];
        if (entry >= NoMatch)
            return entry;
        return _nodes[ChildOffset(entry) + (int)(address & 0xFF)];
    }

    /// <summary>Looks up a 4-byte address in network byte order.</summary>
    public int Lookup(ReadOnlySpan<byte> address4)
    {
        if (address4.Length != 4)
            throw new ArgumentException($"an IPv4 address is 4 bytes, got {address4.Length}", nameof(address4));
        return Lookup(BinaryPrimitives.ReadUInt32BigEndian(address4));
    }

    internal static int ChildOffset(int entry) => -2 - entry;

    internal static int ChildEntry(int offset) => -2 - offset;
}
