using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Span = Engine.Actors.Routing.Ipv6PrefixTableBuilder.Span;

namespace Engine.Actors.Routing;

/// <summary>
/// The prefixes of <see cref="Ipv6PrefixTableEditor"/> from a block's length (20 bits) to 64 by the
/// block of the direct table they lie in, each block's sorted as the builder's sweep takes them; a
/// prefix longer than 64 bits is a point there, counted, since its top 64 bits need a range of their own.
/// </summary>
internal sealed class Ipv6BlockPrefixes
{
    private readonly Dictionary<int, List<Span>> _blocks = [];

    /// <summary>Number of prefixes held, points aside.</summary>
    public int Count { get; private set; }

    public static int BlockOf(IpPrefix prefix) => (int)(prefix.Ipv6Network >> (128 - Ipv6PrefixTable.DirectBits));

    /// <summary>A block's prefixes and points, sorted.</summary>
    public ReadOnlySpan<Span> Of(int block) => _blocks.TryGetValue(block, out var spans) ? CollectionsMarshal.AsSpan(spans) : default;

    /// <summary>Takes distinct prefixes, and points (any number at one place), sorted only by <see cref="Sort"/>.</summary>
    public void AddUnsorted(IpPrefix prefix, int value) => SpansOf(BlockOf(prefix)).Add(prefix.Length > 64 ? PointOf(prefix, 1) : SpanOf(prefix, value));

    /// <summary>Sorts every block after <see cref="AddUnsorted"/>, the points at one place made one with their count.</summary>
    public void Sort()
    {
        Count = 0;
        foreach (var spans in _blocks.Values)
        {
            spans.Sort();
            var kept = 0;
            for (var i = 0; i < spans.Count; i++)
            {
                if (kept > 0 && spans[i].IsPoint && spans[kept - 1].CompareTo(spans[i]) == 0)
                    spans[kept - 1] = spans[kept - 1] with { Value = spans[kept - 1].Value + spans[i].Value };
                else
                    spans[kept++] = spans[i];
            }
            spans.RemoveRange(kept, spans.Count - kept);
            foreach (var span in spans)
                if (!span.IsPoint) Count++;
        }
    }

    /// <summary>Adds a prefix of 20 to 64 bits or gives it value; false if it had that value already.</summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Set(IpPrefix prefix, int value)
    {
        var spans = SpansOf(BlockOf(prefix));
        var span = SpanOf(prefix, value);
        var at = spans.BinarySearch(span);
        if (at < 0)
        {
            spans.Insert(~at, span);
            Count++;
            return true;
        }
        if (spans[at].Value == value) return false;
        spans[at] = span;
        return true;
    }

    /// <summary>Removes a prefix of 20 to 64 bits; false if it was not there.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Remove(IpPrefix prefix)
    {
        if (!_blocks.TryGetValue(BlockOf(prefix), out var spans)) return false;
        var at = spans.BinarySearch(SpanOf(prefix, 0));
        if (at < 0) return false;
        RemoveAt(prefix, spans, at);
        Count--;
        return true;
    }

    /// <summary>Counts a prefix longer than 64 bits at the point of its top 64 bits.</summary>
    public void AddPoint(IpPrefix prefix)
    {
        var spans = SpansOf(BlockOf(prefix));
        var point = PointOf(prefix, 1);
        var at = spans.BinarySearch(point);
        if (at >= 0) spans[at] = point with { Value = spans[at].Value + 1 };
        else spans.Insert(~at, point);
    }

    public void RemovePoint(IpPrefix prefix)
    {
        var spans = _blocks[BlockOf(prefix)];
        var at = spans.BinarySearch(PointOf(prefix, 0));
        if (spans[at].Value > 1) spans[at] = spans[at] with { Value = spans[at].Value - 1 };
        else RemoveAt(prefix, spans, at);
    }

    private void RemoveAt(IpPrefix prefix, List<Span> spans, int at)
    {
        spans.RemoveAt(at);
        if (spans.Count == 0) _blocks.Remove(BlockOf(prefix));
    }

    private List<Span> SpansOf(int block)
    {
        ref var spans = ref CollectionsMarshal.GetValueRefOrAddDefault(_blocks, block, out _);
        return spans ??= [];
    }

    private static Span SpanOf(IpPrefix prefix, int value) => new((ulong)(prefix.Ipv6Network >> 64), prefix.Length, value, IsPoint: false);

    private static Span PointOf(IpPrefix prefix, int count) => new((ulong)(prefix.Ipv6Network >> 64), 64, count, IsPoint: true);
}
