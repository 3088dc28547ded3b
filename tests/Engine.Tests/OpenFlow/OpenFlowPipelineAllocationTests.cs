using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.OpenFlow;
using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>The slow path allocates nothing per frame once warm: the flows' instructions were taken apart when they were installed.</summary>
public sealed class OpenFlowPipelineAllocationTests
{
    private const int SlowPath = 3, Frames = 1000;

    [Fact]
    public void A_frame_through_two_tables_with_apply_write_clear_and_goto_allocates_nothing_once_warm()
    {
        var harness = new SessionHarness();
        // Table 0: set eth_dst (apply), write output 3, goto table 1; table 1: clear, write dec_nw_ttl and output 2.
        Assert.Empty(harness.Send(OskenOracle.Build("pipe_t0", "pipe_t1")));
        var egress = Enumerable.Range(0, 3).Select(_ => new ReleasingRef()).ToArray();
        var ports = Enumerable.Range(0, 3).Select(i => new Port(i, $"p{i}", egress[i], 1500, new PortCounters()) { IsEthernet = true }).ToArray();
        var packetOut = new OpenFlowPacketOut(ports, ActorRefs.Nobody, new FrameBatchPool(4, 2048, 64), _ => { }, new PortCounters());
        var pipeline = new OpenFlowPipeline(packetOut, harness.Info);
        var flows = harness.Table.Flows.ToArray();
        pipeline.Load(flows, SlowPath);
        var ruleId = OpenFlowRuleCompiler.FirstId + Array.FindIndex(flows, f => f.TableId == 0);
        var original = OskenOracle.Build("udp4")[0];
        var frame = original.ToArray();

        long RunFrames()
        {
            for (var n = 0; n < Frames; n++)
            {
                // dec_nw_ttl changes the frame in place: each run starts from the frame as it came in.
                original.CopyTo(frame, 0);
                pipeline.Run(ruleId, 0, frame);
            }
            return 0;
        }

        var (allocated, _) = SteadyState.Measure(RunFrames, warmups: 3);

        Assert.Equal(0, allocated);
        // Every frame went through both tables and out of port 2, as table 1's action set says, and nowhere else.
        var runs = (3 + 5) * Frames;
        Assert.Equal((ulong)runs, flows.Single(f => f.TableId == 1).Packets);
        Assert.Equal(runs, egress[1].Batches);
        Assert.Equal(0, egress[0].Batches + egress[2].Batches);
        Assert.Equal(0, ports.Sum(p => p.Counters.TotalDrops));
    }
}
