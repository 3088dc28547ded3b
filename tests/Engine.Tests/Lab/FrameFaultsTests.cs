using Akka.Event;
using Akka.TestKit.Xunit2;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Peers;
using Xunit;

namespace Engine.Tests.Lab;

public sealed class FrameFaultsTests : TestKit
{
    [Fact]
    public void Each_fault_costs_one_frame_counted_malformed_and_the_log_gets_a_few_lines_a_second()
    {
        var counters = new PortCounters();
        var faults = new FrameFaults(Sys.Log, "router");

        EventFilter.Error(contains: "router: a frame from tun-a faulted (ArgumentOutOfRangeException").Expect(AttemptLog.PerWindow, () =>
        {
            for (var i = 0; i < 50; i++) faults.Record(new ArgumentOutOfRangeException("length"), counters, "tun-a");
        });

        Assert.Equal(50, counters.Drops(DropReason.Malformed));
        Assert.Equal(50, faults.Count);
    }
}
