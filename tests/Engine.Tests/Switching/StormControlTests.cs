using Engine.Actors.Switching;
using Xunit;

namespace Engine.Tests.Switching;

/// <summary>Per-port broadcast/multicast token buckets: a second's burst passes, the rate refills, the excess is counted.</summary>
public class StormControlTests
{
    private const long TicksPerSecond = 1000;

    [Fact]
    public void A_burst_of_the_rate_passes_and_the_excess_is_refused_and_counted()
    {
        var storm = new StormControl(memberCount: 2, framesPerSecond: 5, TicksPerSecond);

        var admitted = Enumerable.Range(0, 8).Count(_ => storm.TryAdmit(0, now: 0));

        Assert.Equal(5, admitted);
        Assert.Equal(3, storm.Refused(0));
        Assert.True(storm.TryAdmit(1, now: 0));
        Assert.Equal(0, storm.Refused(1));
    }

    [Fact]
    public void The_bucket_refills_at_the_rate_and_no_further_than_one_burst()
    {
        var storm = new StormControl(1, framesPerSecond: 10, TicksPerSecond);
        while (storm.TryAdmit(0, now: 0)) { }

        Assert.True(storm.TryAdmit(0, now: 100)); // 100 ms at 10/s is one frame
        Assert.False(storm.TryAdmit(0, now: 100));

        var afterIdle = Enumerable.Range(0, 20).Count(_ => storm.TryAdmit(0, now: 60_000));
        Assert.Equal(10, afterIdle);
    }
}
