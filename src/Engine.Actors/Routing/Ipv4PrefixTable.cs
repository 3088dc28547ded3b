using System.Buffers.Binary;

namespace Engine.Actors.Routing;

/// <summary>
/// Immutable IPv4 longest-prefix-match table: built once, then read from any number of
/// threads without locks. A route change makes a new table (<see cref="Ipv4PrefixTableEditor"/>)
/// that shares every node the change did not touch with this one.
/// </summary>
/// <remarks>
/// Layout: a multibit trie with strides 16-8-8 and leaf pushing (controlled prefix
/// expansion). The root has one entry per /16 (65536 ints, 256 KiB, stays in L2); each
/// deeper node has 256 entries and is created only under a /16 or /24 that holds a longer
/// prefix. Every entry is one int: a leaf (>= 0: the value in the low 23 bits, the length of
/// the prefix it came from above them), <see cref="NoMatch"/>, or a child node encoded as
/// -2 - its index in <c>_nodes</c>. Leaf pushing copies the best shorter match into every
/// entry, so a lookup is at most three dependent loads (and one to find each node's array)
/// and never backtracks. The length in a leaf is what lets an edit tell an entry a shorter
/// prefix pushed down from one a longer prefix set, without a second array. Each node is its
/// own array so that an edited table copies only the nodes it changes and shares the rest.
/// A 16-8-8 root costs one load less than 8-8-8-8 for 256 KiB; DIR-24-8 would be one load
/// but 64 MiB per snapshot, and each edit would copy or share it in 64 MiB.
/// </remarks>
public sealed class Ipv4PrefixTable
{
    /// <summary>The value <see cref="Lookup(uint)"/> returns when no prefix matches.</summary>
    public const int NoMatch = -1;

    /// <summary>Values are below this: a leaf's bits above the value's hold the prefix length.</summary>
    public const int ValueLimit = 1 << (LengthShift - 1);

    internal const int RootBits = 16;
    internal const int NodeSize = 256;
    private const int LengthShift = 24;

    private readonly int[] _root;
    private readonly int[]?[] _nodes;

    /// <param name="nodes">The nodes by index; an index no entry names may hold null.</param>
    internal Ipv4PrefixTable(int[] root, int[]?[] nodes, int count)
    {
        _root = root;
        _nodes = nodes;
        Count = count;
    }

    internal int[] Root => _root;

    internal int[]?[] Nodes => _nodes;

    /// <summary>A table with no routes; every lookup returns <see cref="NoMatch"/>.</summary>
    public static Ipv4PrefixTable Empty { get; } = Build([]);

    /// <summary>Number of distinct prefixes in the table.</summary>
    public int Count { get; }

    /// <summary>Bytes held by the lookup arrays (for sizing and benchmarks).</summary>
    internal long SizeInBytes => (long)_root.Length * sizeof(int) + (long)_nodes.Length * IntPtr.Size
        + _nodes.Count(node => node is not null) * (NodeSize * sizeof(int) + 3L * IntPtr.Size);

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
        if (entry < NoMatch)
        {
            entry = _nodes[ChildIndex(entry)]![(address >> 8) & 0xFF];
            if (entry < NoMatch)
                entry = _nodes[ChildIndex(entry)]![address & 0xFF];
        }
        return ValueOf(entry);
    }

    /// <summary>Looks up a 4-byte address in network byte order.</summary>
    public int Lookup(ReadOnlySpan<byte> address4)
    {
        if (address4.Length != 4)
            throw new ArgumentException($"an IPv4 address is 4 bytes, got {address4.Length}", nameof(address4));
        return Lookup(BinaryPrimitives.ReadUInt32BigEndian(address4));
    }

    internal static int ChildIndex(int entry) => -2 - entry;

    internal static int ChildEntry(int index) => -2 - index;

    /// <summary>A leaf entry: <paramref name="value"/> set by a prefix of <paramref name="length"/> bits.</summary>
    internal static int Leaf(int value, int length) => length << LengthShift | value;

    /// <summary>The value of a leaf or <see cref="NoMatch"/> (which the shifts keep, being all ones).</summary>
    internal static int ValueOf(int entry) => entry << (32 - LengthShift) >> (32 - LengthShift);

    /// <summary>The length of the prefix that set a leaf; -1 for <see cref="NoMatch"/>, shorter than any.</summary>
    internal static int LengthOf(int entry) => entry == NoMatch ? -1 : entry >>> LengthShift;
}
