using System.Diagnostics;

namespace Engine.Actors.Counters;

/// <summary>
/// How long batches spent inside the engine, from the moment a reader handed them on (their
/// <c>ReadAt</c>) to the moment their port's writer gave them to the kernel or the socket: router
/// mailbox, forwarding, egress mailbox and the write itself. Counted per batch, in microsecond
/// buckets that are exact up to 8 µs and quarter-octaves above (a value is reported as its
/// bucket's upper bound, at most 19 % high), up to about 4 s. One writer at a time records (the
/// port's actor or the reactor); readers see counts that are at most a batch behind.
/// </summary>
public sealed class TransitHistogram
{
    internal const int BucketCount = 8 + 20 * 4;

    private readonly long[] _counts = new long[BucketCount];
    private static readonly long TicksPerMicrosecond = Math.Max(1, Stopwatch.Frequency / 1_000_000);

    /// <summary>Records one batch read at <paramref name="readAt"/> (a Stopwatch timestamp); 0, unknown, is not recorded.</summary>
    public void Record(long readAt)
    {
        if (readAt == 0) return;
        var micros = (Stopwatch.GetTimestamp() - readAt) / TicksPerMicrosecond;
        var index = BucketOf(micros);
        Volatile.Write(ref _counts[index], _counts[index] + 1);
    }

    /// <summary>The counts so far, to tell an interval's from (<see cref="TransitCounts.Since"/>).</summary>
    public TransitCounts Read()
    {
        var counts = new long[BucketCount];
        for (var i = 0; i < counts.Length; i++) counts[i] = Volatile.Read(ref _counts[i]);
        return new TransitCounts(counts);
    }

    internal static int BucketOf(long micros)
    {
        if (micros < 8) return (int)Math.Max(0, micros);
        var octave = 63 - (int)long.LeadingZeroCount(micros); // >= 3
        var quarter = (int)(micros >> (octave - 2)) & 3;
        return Math.Min(BucketCount - 1, 8 + (octave - 3) * 4 + quarter);
    }

    /// <summary>The largest value bucket <paramref name="index"/> holds, in microseconds.</summary>
    internal static long UpperBound(int index)
    {
        if (index < 8) return index;
        var octave = (index - 8) / 4 + 3;
        var quarter = (index - 8) % 4;
        return ((4L + quarter + 1) << (octave - 2)) - 1;
    }
}

/// <summary>A copy of a <see cref="TransitHistogram"/>'s buckets: merged over ports, or taken from a later copy for an interval.</summary>
public sealed class TransitCounts(long[] counts)
{
    public static TransitCounts Empty => new(new long[TransitHistogram.BucketCount]);

    public long Batches => counts.Sum();

    /// <summary>The counts recorded after <paramref name="earlier"/>, a copy of the same histogram.</summary>
    public TransitCounts Since(TransitCounts earlier) => new([.. counts.Select((n, i) => n - earlier.Count(i))]);

    public TransitCounts Plus(TransitCounts other) => new([.. counts.Select((n, i) => n + other.Count(i))]);

    /// <summary>Several histograms' counts together (every port's: a batch counts at the port it left by).</summary>
    public static TransitCounts Sum(IEnumerable<TransitHistogram> histograms)
    {
        var sum = Empty;
        foreach (var histogram in histograms) sum = sum.Plus(histogram.Read());
        return sum;
    }

    /// <summary>
    /// Each bucket's upper bound in microseconds (null for the last, which holds everything
    /// longer) with the batches that took at most that long: a Prometheus histogram's buckets.
    /// </summary>
    public IEnumerable<(long? UpperBoundMicros, long Batches)> Cumulative()
    {
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            yield return (i == counts.Length - 1 ? null : TransitHistogram.UpperBound(i), seen);
        }
    }

    /// <summary>The value, in microseconds, that <paramref name="fraction"/> of the batches took at most; 0 with none.</summary>
    public long Percentile(double fraction)
    {
        var total = Batches;
        if (total == 0) return 0;
        var rank = (long)Math.Ceiling(fraction * total);
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank) return TransitHistogram.UpperBound(i);
        }
        return TransitHistogram.UpperBound(counts.Length - 1);
    }

    /// <summary>The upper bound of the highest bucket that holds a batch, in microseconds; 0 with none.</summary>
    public long Max
    {
        get
        {
            for (var i = counts.Length - 1; i >= 0; i--)
                if (counts[i] > 0) return TransitHistogram.UpperBound(i);
            return 0;
        }
    }

    private long Count(int index) => counts[index];
}
