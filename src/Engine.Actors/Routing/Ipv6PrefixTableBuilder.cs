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

        var ranges = Sweep(spans);
        var (direct, packed, values) = Blocks(ranges);
        return new Ipv6PrefixTable(direct, packed, values, longer.Count > 0 ? Ipv6LengthSearchTable.Build(longer) : null, unique.Count);
    }

    /// <summary>
    /// The ranges in order of start, each with its best match and whether prefixes longer than 64
    /// bits lie in it; neighbours with the same value are merged.
    /// </summary>
    private static List<(ulong Start, int Value, bool HasLonger)> Sweep(List<Span> spans)
    {
        var ranges = new List<(ulong Start, int Value, bool HasLonger)>();
        // Positions past the top-64 space are 2^64, so UInt128.
        UInt128 next = 0;
        var open = new Stack<Span>();

        void Emit(UInt128 start, int value, bool hasLonger)
        {
            if (ranges.Count > 0 && ranges[^1].Value == value && ranges[^1].HasLonger == hasLonger) return;
            ranges.Add(((ulong)start, value, hasLonger));
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
                Emit(next, open.Count > 0 ? open.Peek().Value : Ipv6PrefixTable.NoMatch, false);
                next = span.Start;
            }
            // A point takes the best match around it: a /64 at the same start sorts before it.
            open.Push(span.IsPoint ? span with { Value = open.Count > 0 && open.Peek().End >= span.Start ? open.Peek().Value : Ipv6PrefixTable.NoMatch } : span);
        }
        CloseBefore(UInt128.One << 64);
        if (next < UInt128.One << 64)
            Emit(next, Ipv6PrefixTable.NoMatch, false);
        return ranges;
    }

    /// <summary>The direct table, the packed ranges of the blocks that hold more than one, and the values they number.</summary>
    private static (int[] Direct, ulong[] Ranges, int[] Values) Blocks(List<(ulong Start, int Value, bool HasLonger)> ranges)
    {
        var direct = new int[1 << Ipv6PrefixTable.DirectBits];
        var packed = new List<ulong>();
        List<int> values = [Ipv6PrefixTable.NoMatch];
        var numbers = new Dictionary<int, int> { [Ipv6PrefixTable.NoMatch] = 0 };
        int NumberOf(int value)
        {
            if (numbers.TryGetValue(value, out var number)) return number;
            if (values.Count == Ipv6PrefixTable.DistinctValueLimit)
                throw new InvalidOperationException($"an IPv6 table holds at most {Ipv6PrefixTable.DistinctValueLimit} distinct values");
            numbers.Add(value, values.Count);
            values.Add(value);
            return values.Count - 1;
        }

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
            var count = last - index + 1;
            if (count == 1 && !ranges[index].HasLonger)
            {
                direct[block] = Ipv6PrefixTable.InlineFlag | (ranges[index].Value + 1);
                continue;
            }
            var offset = packed.Count;
            if (offset > Ipv6PrefixTable.OffsetMask)
                throw new InvalidOperationException($"an IPv6 table holds at most {Ipv6PrefixTable.OffsetMask} ranges");
            if (count > Ipv6PrefixTable.MaxInlineCount)
                packed.Add((ulong)count);
            direct[block] = offset | (count > Ipv6PrefixTable.MaxInlineCount ? 0 : count) << Ipv6PrefixTable.CountShift;
            for (var i = index; i <= last; i++)
            {
                var start = i == index ? blockStart : ranges[i].Start;
                packed.Add(Ipv6PrefixTable.Range(start, ranges[i].HasLonger, NumberOf(ranges[i].Value)));
            }
            index = last;
        }
        return (direct, [.. packed], [.. values]);
    }

    /// <summary>A prefix's span of the top-64 space, or the point of prefixes longer than 64 bits there.</summary>
    private readonly record struct Span(ulong Start, int Length, int Value, bool IsPoint) : IComparable<Span>
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
