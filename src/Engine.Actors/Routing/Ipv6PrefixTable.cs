using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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
/// so a block's ranges sort by start and a lookup is one load in the direct table and one search
/// over the block's ranges. A prefix longer than 64 bits makes its top-64 point a range
/// of its own, flagged: only a lookup landing there asks the prefixes longer than 64
/// (<see cref="Ipv6LengthSearchTable"/>), and falls back to the range's value when none matches.
/// The direct table (4 MiB flat) is kept in chunks of 256 blocks, one per /12
/// (<see cref="Ipv6DirectChunks"/>), chunks of one value shared: a full table's routes lie in a
/// small part of the space, so lookups reach a few hundred KiB of it and, elsewhere, one shared
/// chunk (a cold lookup in a block of one value 10.7 -> 3.3 ns on issue 13's table), at the cost
/// of one load of the chunk's reference (32 KiB of them, in cache). The ranges are about two ulongs
/// a prefix, where the binary search on lengths this replaces took six probes into hash tables.
/// <para>
/// The search compares the address with all of a block's ranges at once (four to a Vector256)
/// and counts those starting at or before it, when the block holds up to <see cref="GroupSize"/>
/// (32, four or five cache lines): the loads do not wait on one another and no branch depends on
/// the keys, so the misses of one lookup overlap, and those of the next lookups too. On issue 13's
/// full table (200k prefixes) every block holds at most 29 ranges and half the lookups land in
/// blocks of 5 to 29, where the binary search this replaces took 3 to 5 dependent, mispredicted
/// steps (BENCHMARKS.md, "IPv6 lookups"). A bigger block
/// (a real table may have some of thousands) keeps after its ranges index levels, each holding every
/// 32nd entry of the one below, the top at most 32: a lookup counts in the top level, then in the
/// 32 entries that choice names one level down, and so on, so 4,096 ranges cost three such
/// comparisons instead of twelve binary-search steps; the levels add 1/31 to those blocks only.
/// The direct table and the ranges are read without bounds checks: the number and size of the
/// direct table's chunks are checked here, every entry the builder or the editor writes names ranges it wrote, and the
/// ranges array keeps <see cref="TailSlack"/> ulongs past those in use for the last vector's read.
/// </para>
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
    internal const int GroupBits = 5;
    internal const int GroupSize = 1 << GroupBits;
    internal const int TailSlack = 3;

    private readonly int[][] _chunks;
    private readonly ulong[] _ranges;
    private readonly int[] _values;
    private readonly Ipv6LengthSearchTable? _long;

    /// <param name="ranges">The blocks' ranges; the editor's tables share it, each reading only the part its direct table names.</param>
    /// <param name="values">The values ranges name by number; the first is <see cref="NoMatch"/>.</param>
    /// <param name="rangeCount">How much of ranges is written.</param>
    /// <param name="chunks">The direct table in chunks (<see cref="Ipv6DirectChunks"/>).</param>
    internal Ipv6PrefixTable(int[][] chunks, ulong[] ranges, int[] values, Ipv6LengthSearchTable? longPrefixes, int count, int rangeCount)
    {
        // Lookup reads the direct table's chunks and the ranges without bounds checks.
        if (chunks.Length != Ipv6DirectChunks.ChunkCount || Array.Exists(chunks, chunk => chunk.Length != Ipv6DirectChunks.ChunkSize))
            throw new ArgumentException($"the direct table holds {Ipv6DirectChunks.ChunkCount} chunks of {Ipv6DirectChunks.ChunkSize} entries", nameof(chunks));
        if (ranges.Length < rangeCount + TailSlack)
            throw new ArgumentException($"the ranges array holds {TailSlack} past those used, got {ranges.Length} for {rangeCount}", nameof(ranges));
        RangeCount = rangeCount;
        _chunks = chunks;
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

    internal int[][] Chunks => _chunks;

    /// <summary>The direct table's entries in one flat array, a copy (for tests and benchmarks).</summary>
    internal int[] Direct => Ipv6DirectChunks.Flatten(_chunks);

    /// <summary>The direct table's entry of a /20 block.</summary>
    internal int DirectEntry(int block) => _chunks[block >> Ipv6DirectChunks.ChunkBits][block & (Ipv6DirectChunks.ChunkSize - 1)];

    internal ulong[] Ranges => _ranges;

    internal int[] Values => _values;

    internal Ipv6LengthSearchTable? LongPrefixes => _long;

    /// <summary>Bytes held by the lookup arrays (for sizing and benchmarks).</summary>
    internal long SizeInBytes => Ipv6DirectChunks.SizeInBytes(_chunks) + (long)_ranges.Length * sizeof(ulong) + (long)_values.Length * sizeof(int) + (_long?.SizeInBytes ?? 0);

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
        // Unchecked: the direct table has 2^DirectBits entries in chunks (checked when a table is made).
        int[] chunk = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_chunks), (nint)(top >> (SuffixBits + Ipv6DirectChunks.ChunkBits)));
        int entry = Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(chunk), (nint)((top >> SuffixBits) & (Ipv6DirectChunks.ChunkSize - 1)));
        if (entry < 0)
            return (entry & ~InlineFlag) - 1;

        ref ulong ranges = ref MemoryMarshal.GetArrayDataReference(_ranges);
        int first = entry & OffsetMask;
        int count = entry >>> CountShift;
        if (count == 0)
            count = (int)Unsafe.Add(ref ranges, first++);
        // The last range starting at or before the address: the block's first starts at 0, so at least one does.
        ulong key = top << (64 - SuffixBits) | ((1UL << (64 - SuffixBits)) - 1);
        if (count > GroupSize)
            return LookupIndexed(address, first, count, key);
        return ValueOf(Unsafe.Add(ref ranges, first + CountAtOrBelow(ref ranges, first, count, key) - 1), address);
    }

    /// <summary>The lookup's end in a block of more than <see cref="GroupSize"/> ranges, apart so that the common path stays small.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int LookupIndexed(UInt128 address, int first, int count, ulong key)
    {
        ref ulong ranges = ref MemoryMarshal.GetArrayDataReference(_ranges);
        return ValueOf(Unsafe.Add(ref ranges, first + SearchIndex(ref ranges, first, count, key)), address);
    }

    /// <summary>The value of the range the address lies in.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ValueOf(ulong range, UInt128 address) =>
        (range & LongFlag) != 0 ? LongerOrValueOf(range, address) : _values[(int)(range & (LongFlag - 1))];

    /// <summary>The longest prefix of more than 64 bits containing the address, else the range's value.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private int LongerOrValueOf(ulong range, UInt128 address) =>
        _long!.Lookup(address) is var longer and not NoMatch ? longer : _values[(int)(range & (LongFlag - 1))];

    /// <summary>
    /// The index in a block of more than <see cref="GroupSize"/> ranges of the last one starting at
    /// or before key, down its index levels: each level holds every <see cref="GroupSize"/>th
    /// entry of the one below, the top at most <see cref="GroupSize"/>.
    /// </summary>
    private static int SearchIndex(ref ulong ranges, int first, int count, ulong key)
    {
        int levels = 0;
        int start = first;
        int size = count;
        while (size > GroupSize)
        {
            start += size;
            size = (size + GroupSize - 1) >> GroupBits;
            levels++;
        }
        int index = CountAtOrBelow(ref ranges, start, size, key) - 1;
        while (levels > 0)
        {
            levels--;
            int below = LevelSize(count, levels);
            start -= below;
            int from = index << GroupBits;
            index = from + CountAtOrBelow(ref ranges, start + from, Math.Min(GroupSize, below - from), key) - 1;
        }
        return index;
    }

    /// <summary>How many of the sorted ranges at from (length of them, at most a few cache lines) start at or before key.</summary>
    /// <remarks>
    /// Compared all at once rather than by a binary search: the loads do not wait on each other and
    /// no branch depends on the keys, so the misses of consecutive lookups overlap. The vectors read
    /// up to <see cref="TailSlack"/> ulongs past the last range, which the ranges array always has
    /// beyond what its tables use (builder and editor), and mask them out.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int CountAtOrBelow(ref ulong ranges, int from, int length, ulong key)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            int below = 0;
            for (int i = 0; i < length; i++)
                below += Unsafe.Add(ref ranges, from + i) <= key ? 1 : 0;
            return below;
        }
        // Unsigned order as signed (AVX2 compares only signed): the sign bit flipped on both sides.
        Vector256<long> sign = Vector256.Create(long.MinValue);
        Vector256<long> keys = Vector256.Create((long)key) ^ sign;
        Vector256<long> limit = Vector256.Create((long)length);
        Vector256<long> index = Vector256.Create(0L, 1, 2, 3);
        Vector256<long> step = Vector256.Create((long)Vector256<long>.Count);
        Vector256<long> above = Vector256<long>.Zero;
        for (int i = 0; i < length; i += Vector256<long>.Count)
        {
            Vector256<long> starts = Vector256.LoadUnsafe(ref ranges, (nuint)(from + i)).AsInt64() ^ sign;
            // A lane past the key, and among the length asked, is all ones: subtracting it counts one.
            above -= Vector256.GreaterThan(starts, keys) & Vector256.GreaterThan(limit, index);
            index += step;
        }
        return length - (int)Vector256.Sum(above);
    }

    /// <summary>Entries in a block's index level (0: the ranges themselves) for a block of count ranges.</summary>
    internal static int LevelSize(int count, int level) => (int)(((long)count + (1L << (level * GroupBits)) - 1) >> (level * GroupBits));

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
