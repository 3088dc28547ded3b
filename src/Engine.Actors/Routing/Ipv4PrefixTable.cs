using System.Buffers.Binary;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
/// entry, so a lookup never backtracks. The length in a leaf is what lets an edit tell an entry
/// a shorter prefix pushed down from one a longer prefix set, without a second array. Each node
/// is its own array so that an edited table copies only the nodes it changes and shares the rest.
/// <para>
/// The lookup does not follow the root's child entries: <c>_rootNodes</c> holds, per /16, the
/// node under it itself (null where the root entry is a leaf), so a lookup ending at the second
/// level, nearly every one on a full table, is two dependent loads (the reference, then the
/// entry) instead of four (root entry, <c>_nodes</c>, the node's length for the bounds check,
/// the entry): 512 KiB more per table (0.5 B a route on a full table), and a quarter to a half
/// less time a cold lookup on 1M routes (BENCHMARKS.md, "fewer dependent loads"). The
/// entries are read without bounds checks: the root arrays are checked to hold one entry per
/// /16 here and every node is made with <see cref="NodeSize"/> entries, so an index taken from
/// 16 or 8 bits of the address is in range. The root's child entries stay for the editor,
/// which finds and numbers nodes through them. A third-level node is still found through
/// <c>_nodes</c> (a prefix longer than /24 is rare in a routing table).
/// </para>
/// <para>
/// A 16-8-8 root costs one load less than 8-8-8-8 for 256 KiB; DIR-24-8 would be one load
/// but 64 MiB per snapshot, and each edit would copy or share it in 64 MiB. Nodes packed many to
/// a shared array (so that the root entry's index reaches one without the <c>_nodes</c> hop)
/// measured slower than <c>_rootNodes</c>, 16 a segment or all in one array, and would copy a
/// whole segment per edit.
/// </para>
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

    internal const int RootSize = 1 << RootBits;

    private readonly int[] _root;
    private readonly int[]?[] _rootNodes;
    private readonly int[]?[] _nodes;

    /// <param name="rootNodes">Per root entry, the node it names, or null where it is a leaf.</param>
    /// <param name="nodes">The nodes by index; an index no entry names may hold null.</param>
    internal Ipv4PrefixTable(int[] root, int[]?[] rootNodes, int[]?[] nodes, int count)
    {
        // Lookup reads both without bounds checks.
        if (root.Length != RootSize || rootNodes.Length != RootSize)
            throw new ArgumentException($"the root holds {RootSize} entries, got {root.Length} and {rootNodes.Length} node references");
        _root = root;
        _rootNodes = rootNodes;
        _nodes = nodes;
        Count = count;
    }

    internal int[] Root => _root;

    internal int[]?[] RootNodes => _rootNodes;

    internal int[]?[] Nodes => _nodes;

    /// <summary>A table with no routes; every lookup returns <see cref="NoMatch"/>.</summary>
    public static Ipv4PrefixTable Empty { get; } = Build([]);

    /// <summary>Number of distinct prefixes in the table.</summary>
    public int Count { get; }

    /// <summary>Bytes held by the lookup arrays (for sizing and benchmarks).</summary>
    internal long SizeInBytes => (long)_root.Length * sizeof(int) + (long)(_rootNodes.Length + _nodes.Length) * IntPtr.Size
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
        uint slot = address >> RootBits;
        int[]? node = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_rootNodes), slot);
        if (node is null)
            return ValueOf(EntryAt(_root, slot));
        int entry = EntryAt(node, (address >> 8) & 0xFF);
        if (entry < NoMatch)
            entry = EntryAt(_nodes[ChildIndex(entry)]!, address & 0xFF);
        return ValueOf(entry);
    }

    /// <summary>Looks up a 4-byte address in network byte order.</summary>
    public int Lookup(ReadOnlySpan<byte> address4)
    {
        if (address4.Length != 4)
            throw new ArgumentException($"an IPv4 address is 4 bytes, got {address4.Length}", nameof(address4));
        return Lookup(BinaryPrimitives.ReadUInt32BigEndian(address4));
    }

    /// <summary>The entry at index, unchecked: callers pass the root with a slot below <see cref="RootSize"/> or a node with one below <see cref="NodeSize"/>.</summary>
    private static int EntryAt(int[] entries, uint index)
    {
        Debug.Assert(index < entries.Length);
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(entries), index);
    }

    /// <summary>The node each root entry names, or null where it is a leaf: what <c>_rootNodes</c> holds.</summary>
    internal static int[]? NodeUnder(int rootEntry, int[]?[] nodes) => rootEntry < NoMatch ? nodes[ChildIndex(rootEntry)] : null;

    internal static int ChildIndex(int entry) => -2 - entry;

    internal static int ChildEntry(int index) => -2 - index;

    /// <summary>A leaf entry: <paramref name="value"/> set by a prefix of <paramref name="length"/> bits.</summary>
    internal static int Leaf(int value, int length) => length << LengthShift | value;

    /// <summary>The value of a leaf or <see cref="NoMatch"/> (which the shifts keep, being all ones).</summary>
    internal static int ValueOf(int entry) => entry << (32 - LengthShift) >> (32 - LengthShift);

    /// <summary>The length of the prefix that set a leaf; -1 for <see cref="NoMatch"/>, shorter than any.</summary>
    internal static int LengthOf(int entry) => entry == NoMatch ? -1 : entry >>> LengthShift;
}
