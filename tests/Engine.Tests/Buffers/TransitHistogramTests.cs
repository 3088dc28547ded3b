using System.Diagnostics;
using Engine.Actors.Counters;
using Xunit;

namespace Engine.Tests.Buffers;

/// <summary>
/// The transit histogram's buckets: exact to 8 µs, quarter-octaves above, each value reported as
/// its bucket's upper bound (never low, at most a quarter-octave high); percentiles by nearest rank.
/// </summary>
public class TransitHistogramTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(100)]
    [InlineData(734)]
    [InlineData(2_270)]
    [InlineData(1_000_000)]
    public void A_value_falls_in_a_bucket_whose_bound_is_at_most_a_quarter_octave_above_it(long micros)
    {
        var bound = TransitHistogram.UpperBound(TransitHistogram.BucketOf(micros));

        Assert.InRange(bound, micros, Math.Max(micros, micros + micros / 4));
    }

    [Fact]
    public void Buckets_are_in_order_and_each_starts_past_the_last_ones_bound()
    {
        for (var i = 1; i < TransitHistogram.BucketCount; i++)
        {
            Assert.True(TransitHistogram.UpperBound(i) > TransitHistogram.UpperBound(i - 1));
            Assert.Equal(i, TransitHistogram.BucketOf(TransitHistogram.UpperBound(i - 1) + 1));
        }
    }

    [Fact]
    public void Percentiles_take_the_nearest_rank_and_an_interval_is_the_difference_of_two_reads()
    {
        var histogram = new TransitHistogram();
        histogram.Record(Stopwatch.GetTimestamp()); // the first call compiles Record
        for (var i = 0; i < 97; i++) histogram.Record(Stopwatch.GetTimestamp()); // ~0 µs
        histogram.Record(Stopwatch.GetTimestamp() - Stopwatch.Frequency);        // ~1 s ago
        histogram.Record(0);                                // unknown: not counted
        var first = histogram.Read();

        Assert.Equal(99, first.Batches);
        Assert.InRange(first.Percentile(0.5), 0, 7);
        Assert.InRange(first.Percentile(1.0), 1_000_000, 1_250_000);
        Assert.Equal(first.Percentile(1.0), first.Max);

        histogram.Record(Stopwatch.GetTimestamp() - Stopwatch.Frequency / 1000); // ~1 ms ago
        var interval = histogram.Read().Since(first);
        Assert.Equal(1, interval.Batches);
        Assert.InRange(interval.Percentile(0.99), 1_000, 1_500);
        Assert.Equal(0, TransitCounts.Empty.Percentile(0.99));
    }

    [Fact]
    public void Cumulative_counts_give_each_bucket_bound_the_batches_at_or_below_it_and_the_last_all_of_them()
    {
        var one = new TransitHistogram();
        var two = new TransitHistogram();
        one.Record(Stopwatch.GetTimestamp() - Stopwatch.Frequency);        // ~1 s
        two.Record(Stopwatch.GetTimestamp() - 10 * Stopwatch.Frequency);   // ~10 s: past every bound

        var buckets = TransitCounts.Sum([one, two]).Cumulative().ToList();

        Assert.Equal(TransitHistogram.BucketCount, buckets.Count);
        Assert.Equal((null, 2L), buckets[^1]);
        Assert.All(buckets.SkipLast(1), b => Assert.NotNull(b.UpperBoundMicros));
        Assert.Equal(0, buckets.Last(b => b.UpperBoundMicros < 1_000_000).Batches);
        Assert.Equal(1, buckets.First(b => b.UpperBoundMicros >= 1_250_000).Batches);
        for (var i = 1; i < buckets.Count; i++) Assert.True(buckets[i].Batches >= buckets[i - 1].Batches);
    }
}
