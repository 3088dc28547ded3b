using System.Buffers.Binary;

namespace Engine.Actors.Routing;

/// <summary>
/// Immutable IPv6 longest-prefix-match table: built once, then read from any number of
/// threads without locks. A route change makes a new table: built whole, or edited from the last
/// by <see cref="Ipv6PrefixTableEditor"/>, which shares with it what the change did not touch.
/// </summary>
/// <remarks>
/// Layout: ranges over the address's top 64 bits, found through a direct table (after DXR:
/// Zec, Rizzo, Mikuc, "DXR: towards a billion routing lookups per second in software", 2012).
/// The prefixes of up to 64 bits cut that space into ranges of one best match each; the direct
/// table has one int per 2^44 block (the top 20 bits): the block's value when one range covers
/// it, else where its ranges start in <c>_ranges</c> and how many there are. A range is one
/// ulong: its start's low 44 bits, then a flag and the number of its value among the table's
/// distinct values (a few thousand next hops and groups, in <c>_values</c>, which stays in cache),
/// so a block's ranges sort by start and a lookup is one load in the direct table and a binary
/// search over a few ulongs, most often in one or two cache lines. A prefix longer than 64 bits makes its top-64 point a range
/// of its own, flagged: only a lookup landing there asks the prefixes longer than 64
/// (<see cref="Ipv6LengthSearchTable"/>), and falls back to the range's value when none matches.
/// The direct table is 4 MiB and the ranges about two ulongs a prefix, where the binary search
/// on lengths this replaces took six probes into hash tables four times that size.
/// </remarks>
public sealed class Ipv6PrefixTable
{
    /// <summary>The value <see cref="Lookup(UInt128)"/> returns when no prefix matches.</summary>
    public const int NoMatch = -1;

    /// <summary>How many distinct values a table may hold.</summary>
    public const int DistinctValueLimit = (1 << ValueBits) - 1;

    internal const int DirectBits = 20;
    internal const int SuffixBits = 64 - DirectBits;
    internal const int ValueBits = 19;
    internal const ulong LongFlag = 1UL << ValueBits;
    internal const int InlineFlag = int.MinValue;
    internal const int CountShift = 24;
    internal const int OffsetMask = (1 << CountShift) - 1;
    internal const int MaxInlineCount = 127;

    private readonly int[] _direct;
    private readonly ulong[] _ranges;
    private readonly int[] _values;
    private readonly Ipv6LengthSearchTable? _long;

    /// <param name="ranges">The blocks' ranges; the editor's tables share it, each reading only the part its direct table names.</param>
    /// <param name="values">The values ranges name by number; the first is <see cref="NoMatch"/>.</param>
    /// <param name="rangeCount">How much of ranges is written.</param>
    internal Ipv6PrefixTable(int[] direct, ulong[] ranges, int[] values, Ipv6LengthSearchTable? longPrefixes, int count, int rangeCount)
    {
        RangeCount = rangeCount;
        _direct = direct;
        _ranges = ranges;
        _values = values;
        _long = longPrefixes;
        Count = count;
    }

    /// <summary>A table with no routes; every lookup returns <see cref="NoMatch"/>.</summary>
    public static Ipv6PrefixTable Empty { get; } = Build([]);

    /// <summary>Number of distinct prefixes in the table.</summary>
    public int Count { get; }

    /// <summary>Number of ranges the blocks that are not one value hold (an edited table's count also those its editor has swept again since), for sizing and benchmarks.</summary>
    internal int RangeCount { get; }

    internal int[] Direct => _direct;

    internal ulong[] Ranges => _ranges;

    internal int[] Values => _values;

    internal Ipv6LengthSearchTable? LongPrefixes => _long;

    /// <summary>Bytes held by the lookup arrays (for sizing and benchmarks).</summary>
    internal long SizeInBytes => (long)_direct.Length * sizeof(int) + (long)_ranges.Length * sizeof(ulong) + (long)_values.Length * sizeof(int) + (_long?.SizeInBytes ?? 0);

    /// <summary>
    /// Builds a table from IPv6 prefixes and their values (each >= 0). When a prefix
    /// appears more than once the last value wins.
    /// </summary>
    public static Ipv6PrefixTable Build(IEnumerable<(IpPrefix Prefix, int Value)> routes) =>
        Ipv6PrefixTableBuilder.Build(routes);

    /// <summary>The value of the longest prefix containing address, or <see cref="NoMatch"/>.</summary>
    public int Lookup(UInt128 address)
    {
        ulong top = (ulong)(address >> 64);
        int entry = _direct[top >> SuffixBits];
        if (entry < 0)
            return (entry & ~InlineFlag) - 1;

        int first = entry & OffsetMask;
        int count = entry >>> CountShift;
        ulong[] ranges = _ranges;
        if (count == 0)
            count = (int)ranges[first++];
        // The last range starting at or before the address: the block's first starts at 0.
        ulong key = top << (64 - SuffixBits) | ((1UL << (64 - SuffixBits)) - 1);
        while (count > 1)
        {
            int half = count >> 1;
            if (ranges[first + half] <= key)
                first += half;
            count -= half;
        }
        ulong range = ranges[first];
        if ((range & LongFlag) != 0 && _long!.Lookup(address) is var longer and not NoMatch)
            return longer;
        return _values[(int)(range & (LongFlag - 1))];
    }

    /// <summary>Looks up a 16-byte address in network byte order.</summary>
    public int Lookup(ReadOnlySpan<byte> address16)
    {
        if (address16.Length != 16)
            throw new ArgumentException($"an IPv6 address is 16 bytes, got {address16.Length}", nameof(address16));
        return Lookup(BinaryPrimitives.ReadUInt128BigEndian(address16));
    }

    /// <summary>A range: its start's low bits in the block, whether prefixes longer than 64 bits lie there, and its value's number.</summary>
    internal static ulong Range(ulong start, bool hasLonger, int valueNumber) =>
        start << (64 - SuffixBits) | (hasLonger ? LongFlag : 0) | (uint)valueNumber;
}
