using System.Diagnostics;
using Engine.Native.Reactor;
using Xunit;

namespace Engine.Tests.Native;

/// <summary>
/// The flood judgement against a clock the test moves: which traffic is a flood, when one
/// begins and ends, and what a refused nice value does. The reactor's real thread is in ReactorTests.
/// </summary>
public sealed class FloodBackoffTests
{
    private static readonly long Window = Stopwatch.Frequency * FloodBackoff.WindowMilliseconds / 1000;

    private readonly List<int> _niceSet = [];
    private readonly List<FloodChange> _changes = [];
    private string? _refuse;
    private long _now = Stopwatch.Frequency * 1000;

    private FloodBackoff Backoff(int nice = 0, int floodNice = 5)
    {
        var backoff = new FloodBackoff(nice, floodNice, n =>
        {
            if (_refuse is not null) return _refuse;
            _niceSet.Add(n);
            return null;
        });
        backoff.Changed += _changes.Add;
        // The first window starts with the first batch, as it does when a reactor starts.
        backoff.Count(0, 0, _now);
        return backoff;
    }

    /// <summary>Batches of <paramref name="batch"/> frames of <paramref name="frameBytes"/> at <paramref name="framesPerSecond"/>, for <paramref name="windows"/> windows.</summary>
    private void Traffic(FloodBackoff backoff, int framesPerSecond, int frameBytes, double windows, int batch = 64)
    {
        var end = _now + (long)(windows * Window);
        var gap = Stopwatch.Frequency * batch / framesPerSecond;
        for (; _now < end; _now += gap) backoff.Count(batch, (long)batch * frameBytes, _now);
    }

    [Fact]
    public void A_64_byte_udp_flood_steps_the_thread_back_within_a_window_and_once()
    {
        var backoff = Backoff();
        Traffic(backoff, 300_000, 92, windows: 10);

        Assert.Equal([5], _niceSet);
        Assert.True(backoff.IsFlooding);
        Assert.Equal(1, backoff.Floods);
        var began = Assert.Single(_changes);
        Assert.True(began.Flooding);
        Assert.Equal(5, began.Nice);
        Assert.Equal(92, began.MeanFrameBytes);
        Assert.Equal(64, began.MeanBatch);
        Assert.InRange(began.FramesPerSecond, 290_000, 310_000);
    }

    [Theory]
    [InlineData(30_000, 60_000)]   // TCP with offloads: super-frames and their ACKs
    [InlineData(250_000, 1_000)]   // TCP without offloads: full-size segments and ACKs
    [InlineData(20_000, 84, 1)]    // a ping flood: small, but not many, and one per read
    [InlineData(49_000, 92)]       // just under the rate
    [InlineData(200_000, 257)]     // just over the size
    [InlineData(300_000, 66, 2)]   // a fast TCP flow's acknowledgements, read as they come: the thread keeps up
    [InlineData(300_000, 92, 3)]   // just under the batch
    public void Traffic_that_is_not_a_flood_of_small_frames_keeps_the_usual_nice_value(int framesPerSecond, int frameBytes, int batch = 64)
    {
        var backoff = Backoff();
        Traffic(backoff, framesPerSecond, frameBytes, windows: 20, batch);

        Assert.Empty(_niceSet);
        Assert.Empty(_changes);
        Assert.False(backoff.IsFlooding);
    }

    // A window is judged at the first batch after it is over; the one in which the flood stops
    // is still mostly flood, so the flood ends three windows after its last frame.
    [Fact]
    public void A_flood_ends_after_three_calm_windows_and_not_before()
    {
        var backoff = Backoff();
        Traffic(backoff, 300_000, 92, windows: 5);
        Traffic(backoff, 20_000, 84, windows: 2.5, batch: 1);
        Assert.True(backoff.IsFlooding);

        Traffic(backoff, 20_000, 84, windows: 1, batch: 1);

        Assert.Equal([5, 0], _niceSet);
        Assert.False(backoff.IsFlooding);
        Assert.Equal([true, false], _changes.Select(c => c.Flooding));
        Assert.Equal(0, _changes[1].Nice);
    }

    [Fact]
    public void A_flood_that_slows_when_the_thread_steps_back_goes_on_down_to_half_the_threshold()
    {
        var backoff = Backoff();
        Traffic(backoff, 60_000, 92, windows: 2);
        Assert.True(backoff.IsFlooding);

        // At the flood nice value the thread reads less than the rate that started the flood.
        Traffic(backoff, 30_000, 92, windows: 10);
        Assert.True(backoff.IsFlooding);

        Traffic(backoff, 20_000, 92, windows: 5);
        Assert.False(backoff.IsFlooding);
        Assert.Equal([5, 0], _niceSet);
    }

    [Fact]
    public void Calm_windows_do_not_add_up_across_a_flood_that_resumes()
    {
        var backoff = Backoff();
        Traffic(backoff, 300_000, 92, windows: 3);
        Traffic(backoff, 30_000, 60_000, windows: 1);
        Traffic(backoff, 300_000, 92, windows: 2);
        Traffic(backoff, 30_000, 60_000, windows: 1.5);

        Assert.True(backoff.IsFlooding);
        Assert.Equal([5], _niceSet);
    }

    [Fact]
    public void An_idle_gap_after_a_flood_counts_as_the_windows_it_spans()
    {
        var backoff = Backoff();
        Traffic(backoff, 300_000, 92, windows: 3);

        // What the reactor does when a wait during a flood times out with nothing to read.
        _now += 5 * Window;
        backoff.Count(0, 0, _now);

        Assert.False(backoff.IsFlooding);
        Assert.Equal([5, 0], _niceSet);
    }

    [Fact]
    public void A_burst_judged_only_after_idle_windows_is_over_and_begins_no_flood()
    {
        var backoff = Backoff();
        Traffic(backoff, 300_000, 92, windows: 0.5);

        // The reactor waits without a timeout when there is no flood: the next frame comes much later.
        _now += 10 * Window;
        backoff.Count(1, 92, _now);

        Assert.Empty(_niceSet);
        Assert.Empty(_changes);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(5, 5)]
    [InlineData(5, 2)]
    public void A_flood_nice_value_not_above_the_usual_one_turns_the_backoff_off(int nice, int floodNice)
    {
        var backoff = Backoff(nice, floodNice);
        Traffic(backoff, 300_000, 92, windows: 5);

        Assert.False(backoff.IsEnabled);
        Assert.Null(backoff.DisabledBecause);
        Assert.Empty(_niceSet);
    }

    [Fact]
    public void A_refused_nice_value_turns_the_backoff_off_and_says_why()
    {
        var backoff = Backoff();
        string? reported = null;
        backoff.Refused += reason => reported = reason;
        _refuse = "set nice 5 of thread t: Permission denied (errno 13)";

        Traffic(backoff, 300_000, 92, windows: 5);

        Assert.False(backoff.IsEnabled);
        Assert.False(backoff.IsFlooding);
        Assert.Equal(_refuse, reported);
        Assert.Equal(_refuse, backoff.DisabledBecause);
        Assert.Empty(_changes);
    }

    [Fact]
    public void Disabled_during_a_flood_it_puts_the_usual_nice_value_back()
    {
        var backoff = Backoff();
        Traffic(backoff, 300_000, 92, windows: 2);

        backoff.Disable("turned off by the test");

        Assert.Equal([5, 0], _niceSet);
        Assert.False(backoff.IsFlooding);
        Assert.Equal("turned off by the test", backoff.DisabledBecause);
    }
}
