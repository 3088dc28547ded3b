using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Actors.Routing;

/// <summary>
/// Builds the ranges of <see cref="Ipv6PrefixTable"/>: sorts the prefixes of up to 64 bits by
/// start, sweeps them with a stack of the open ones to cut the top-64-bit space into ranges of
/// one best match (a prefix longer than 64 bits adds a one-point range, flagged, with the best
/// match around it), then splits the ranges into the direct table's blocks.
/// </summary>
internal static class Ipv6PrefixTableBuilder
{
    private const ulong BlockSize = 1UL << Ipv6PrefixTable.SuffixBits;

    public static Ipv6PrefixTable Build(IEnumerable<(IpPrefix Prefix, int Value)> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var unique = new Dictionary<IpPrefix, int>();
        foreach (var (prefix, value) in routes)
        {
            if (!prefix.IsIPv6)
                throw new ArgumentException($"{prefix} is not an IPv6 prefix", nameof(routes));
            if (value is < 0 or int.MaxValue)
                throw new ArgumentOutOfRangeException(nameof(routes), value, $"the value for {prefix} must be >= 0 and < {int.MaxValue}");
            unique[prefix] = value;
        }

        var spans = new List<Span>(unique.Count);
        var longer = new List<(IpPrefix Prefix, int Value)>();
        foreach (var (prefix, value) in unique)
        {
            var top = (ulong)(prefix.Ipv6Network >> 64);
            if (prefix.Length > 64)
            {
                longer.Add((prefix, value));
                spans.Add(new Span(top, 64, value, IsPoint: true));
            }
            else
            {
                spans.Add(new Span(top, prefix.Length, value, IsPoint: false));
            }
        }
        spans.Sort();

        var ranges = new List<Interval>();
        Sweep(CollectionsMarshal.AsSpan(spans), 0, UInt128.One << 64, Ipv6PrefixTable.NoMatch, ranges, new Stack<Span>());
        var (direct, packed, used, values) = Blocks(ranges);
        return new Ipv6PrefixTable(Ipv6DirectChunks.FromFlat(direct), packed, values.ToArray(), longer.Count > 0 ? Ipv6LengthSearchTable.Build(longer) : null, unique.Count, used);
    }

    /// <summary>
    /// The ranges of [start, end) in order of start, each with its best match and whether prefixes
    /// longer than 64 bits lie in it; neighbours with the same value are merged.
    /// </summary>
    /// <param name="spans">The spans inside [start, end), sorted.</param>
    /// <param name="baseValue">The value where no span lies: that of the best prefix around the whole of [start, end).</param>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Sweep(ReadOnlySpan<Span> spans, UInt128 start, UInt128 end, int baseValue, List<Interval> ranges, Stack<Span> open)
    {
        ranges.Clear();
        open.Clear();
        // Positions past the top-64 space are 2^64, so UInt128.
        var next = start;

        void Emit(UInt128 at, int value, bool hasLonger)
        {
            if (ranges.Count > 0 && ranges[^1].Value == value && ranges[^1].HasLonger == hasLonger) return;
            ranges.Add(new Interval((ulong)at, value, hasLonger));
        }

        void CloseBefore(UInt128 position)
        {
            while (open.Count > 0 && open.Peek().End < position)
            {
                var closed = open.Pop();
                if (next <= closed.End)
                {
                    Emit(next, closed.Value, closed.IsPoint);
                    next = closed.End + 1;
                }
            }
        }

        foreach (var span in spans)
        {
            CloseBefore(span.Start);
            if (next < span.Start)
            {
                Emit(next, open.Count > 0 ? open.Peek().Value : baseValue, false);
                next = span.Start;
            }
            // A point takes the best match around it: a /64 at the same start sorts before it.
            open.Push(span.IsPoint ? span with { Value = open.Count > 0 && open.Peek().End >= span.Start ? open.Peek().Value : baseValue } : span);
        }
        CloseBefore(end);
        if (next < end)
            Emit(next, baseValue, false);
    }

    /// <summary>The direct table, the packed ranges of the blocks that hold more than one (and how many ulongs of them are used), and the values they number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static (int[] Direct, ulong[] Ranges, int Used, Ipv6ValueNumbers Values) Blocks(List<Interval> ranges)
    {
        var direct = new int[1 << Ipv6PrefixTable.DirectBits];
        var packed = new List<ulong>();
        var values = new Ipv6ValueNumbers();
        var all = CollectionsMarshal.AsSpan(ranges);

        var index = 0;
        for (var block = 0; block < direct.Length; block++)
        {
            var blockStart = (ulong)block << Ipv6PrefixTable.SuffixBits;
            var blockEnd = blockStart + (BlockSize - 1);
            // The range covering the block's start, then those starting inside it.
            while (index + 1 < ranges.Count && ranges[index + 1].Start <= blockStart)
                index++;
            var last = index;
            while (last + 1 < ranges.Count && ranges[last + 1].Start <= blockEnd)
                last++;
            var blockRanges = all[index..(last + 1)];
            if (IsInline(blockRanges))
            {
                direct[block] = InlineEntry(blockRanges[0].Value);
                continue;
            }
            var offset = packed.Count;
            CollectionsMarshal.SetCount(packed, offset + PackedLength(blockRanges.Length));
            direct[block] = Pack(blockRanges, blockStart, CollectionsMarshal.AsSpan(packed), offset, values);
            index = last;
        }
        var used = packed.Count;
        CollectionsMarshal.SetCount(packed, used + Ipv6PrefixTable.TailSlack);
        return (direct, [.. packed], used, values);
    }

    /// <summary>Whether a block's ranges are one value, held in its direct entry.</summary>
    internal static bool IsInline(ReadOnlySpan<Interval> blockRanges) => blockRanges.Length == 1 && !blockRanges[0].HasLonger;

    /// <summary>The direct entry of a block that is one value.</summary>
    internal static int InlineEntry(int value) => Ipv6PrefixTable.InlineFlag | (value + 1);

    /// <summary>
    /// The ulongs a block of that many ranges takes: a count ahead of them when the direct entry
    /// cannot hold it, and after them the index levels of a block of more than a group.
    /// </summary>
    internal static int PackedLength(int rangeCount)
    {
        var length = rangeCount > Ipv6PrefixTable.MaxInlineCount ? rangeCount + 1 : rangeCount;
        for (var level = 1; Ipv6PrefixTable.LevelSize(rangeCount, level - 1) > Ipv6PrefixTable.GroupSize; level++)
            length += Ipv6PrefixTable.LevelSize(rangeCount, level);
        return length;
    }

    /// <summary>Writes a block's ranges at offset (the first starting at the block's start), then its index levels, and returns its direct entry.</summary>
    internal static int Pack(ReadOnlySpan<Interval> blockRanges, ulong blockStart, Span<ulong> destination, int offset, Ipv6ValueNumbers values)
    {
        if (offset > Ipv6PrefixTable.OffsetMask)
            throw new InvalidOperationException($"an IPv6 table holds at most {Ipv6PrefixTable.OffsetMask} ranges");
        var count = blockRanges.Length;
        var at = offset;
        if (count > Ipv6PrefixTable.MaxInlineCount)
            destination[at++] = (ulong)count;
        var block = destination[at..];
        for (var i = 0; i < count; i++)
            block[i] = Ipv6PrefixTable.Range(i == 0 ? blockStart : blockRanges[i].Start, blockRanges[i].HasLonger, values.NumberOf(blockRanges[i].Value));
        // Each level samples every GroupSize-th entry of the one below, which it follows.
        var below = 0;
        for (var level = 1; Ipv6PrefixTable.LevelSize(count, level - 1) > Ipv6PrefixTable.GroupSize; level++)
        {
            var start = below + Ipv6PrefixTable.LevelSize(count, level - 1);
            var size = Ipv6PrefixTable.LevelSize(count, level);
            for (var i = 0; i < size; i++)
                block[start + i] = block[below + (i << Ipv6PrefixTable.GroupBits)];
            below = start;
        }
        return offset | (count > Ipv6PrefixTable.MaxInlineCount ? 0 : count) << Ipv6PrefixTable.CountShift;
    }

    /// <summary>A range of the top-64 space: where it starts, its best match, and whether prefixes longer than 64 bits lie in it.</summary>
    internal readonly record struct Interval(ulong Start, int Value, bool HasLonger);

    /// <summary>A prefix's span of the top-64 space, or the point of prefixes longer than 64 bits there.</summary>
    /// <remarks>For a point, the editor keeps in Value how many prefixes longer than 64 bits are there; the sweep gives it the best match around.</remarks>
    internal readonly record struct Span(ulong Start, int Length, int Value, bool IsPoint) : IComparable<Span>
    {
        public UInt128 End => Start + (UInt128.One << (64 - Length)) - 1;

        // By start, then shorter first (the enclosing before the enclosed), a point after a /64 at its start.
        public int CompareTo(Span other)
        {
            var byStart = Start.CompareTo(other.Start);
            if (byStart != 0) return byStart;
            var byLength = Length.CompareTo(other.Length);
            return byLength != 0 ? byLength : IsPoint.CompareTo(other.IsPoint);
        }
    }
}
