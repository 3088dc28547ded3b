using System.Buffers.Binary;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.OpenFlow;
using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// The slow path's tables and groups: os-ken's FLOW_MODs and GROUP_MODs go into a session, the
/// flows are loaded as the switch loads them, and a frame run through table 0's flow comes out of
/// the ports the pipeline sends it to, as the probes standing for the lab's taps see it.
/// </summary>
public sealed class OpenFlowPipelineTests : TestKit
{
    private const int SlowPath = 3;
    private readonly Akka.TestKit.TestProbe[] _probes;
    private readonly Port[] _taps;
    private readonly SessionHarness _harness = new();
    private readonly List<PacketInRequest> _toController = [];

    public OpenFlowPipelineTests()
    {
        _probes = [.. Enumerable.Range(0, 3).Select(i => CreateTestProbe($"p{i}"))];
        _taps = [.. Enumerable.Range(0, 3).Select(i => new Port(i, $"p{i}", _probes[i], 1500, new PortCounters()) { IsEthernet = true })];
    }

    /// <summary>Loads the table as the switch does and runs <paramref name="frame"/> through table 0's flow of priority <paramref name="priority"/>, from port 1.</summary>
    private void Run(byte[] frame, int priority)
    {
        var packetOut = new OpenFlowPacketOut(_taps, Akka.Actor.ActorRefs.Nobody, new FrameBatchPool(4, 2048, 64), _toController.Add, new PortCounters())
        {
            Groups = _harness.Table.Groups.Groups.ToDictionary(g => g.Id),
        };
        var pipeline = new OpenFlowPipeline(packetOut, _harness.Info);
        var flows = _harness.Table.Flows.ToArray();
        pipeline.Load(flows, SlowPath);
        var index = Array.FindIndex(flows, f => f.TableId == 0 && f.Priority == priority);
        pipeline.Run(OpenFlowRuleCompiler.FirstId + index, 0, frame);
    }

    private byte[] Received(int port)
    {
        var batch = _probes[port].ExpectMsg<FrameBatch>();
        try
        {
            return batch.Frame(0).ToArray();
        }
        finally
        {
            batch.Release();
        }
    }

    [Fact]
    public void An_output_to_a_port_a_reload_removed_sends_nothing_and_counts_the_frame_on_its_ingress()
    {
        var packetOut = new OpenFlowPacketOut(_taps, Akka.Actor.ActorRefs.Nobody, new FrameBatchPool(4, 2048, 64), _toController.Add, new PortCounters());
        byte[] outputToPort2 = [0, 0, 0, 16, 0, 0, 0, 2, 0xff, 0xff, 0, 0, 0, 0, 0, 0];
        var frame = OskenOracle.Build("udp4")[0];

        packetOut.Apply(1, outputToPort2, [.. frame], OfpPacketInReason.Action, 0, _harness.Info);
        Assert.Equal(frame, Received(1));
        _harness.Info.Replace(_harness.Info.PortSet.Without(2));
        packetOut.Apply(1, outputToPort2, [.. frame], OfpPacketInReason.Action, 0, _harness.Info);

        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _harness.Ports[0].Counters.Drops(DropReason.NoRoute));
    }

    [Fact]
    public void A_frame_from_a_port_the_switch_does_not_number_is_refused_and_counted_on_that_port()
    {
        var own = new PortCounters();
        var packetOut = new OpenFlowPacketOut(_taps, Akka.Actor.ActorRefs.Nobody, new FrameBatchPool(4, 2048, 64), _toController.Add, own);
        var pipeline = new OpenFlowPipeline(packetOut, _harness.Info);
        _harness.Info.Replace(_harness.Info.PortSet.Without(2));

        Assert.True(pipeline.Takes(0));
        Assert.False(pipeline.Takes(1));
        Assert.False(pipeline.Takes(7));

        Assert.Equal(1, _taps[1].Counters.Drops(DropReason.NoRoute));
        Assert.Equal(1, own.Drops(DropReason.NoRoute));
        Assert.Equal(0, _taps[0].Counters.Drops(DropReason.NoRoute));
    }

    [Fact]
    public void A_frame_whose_flow_a_later_flow_mod_removed_is_dropped_and_counted()
    {
        var packetOut = new OpenFlowPacketOut(_taps, Akka.Actor.ActorRefs.Nobody, new FrameBatchPool(4, 2048, 64), _toController.Add, new PortCounters());
        var pipeline = new OpenFlowPipeline(packetOut, _harness.Info);
        pipeline.Load([], SlowPath);

        pipeline.Run(OpenFlowRuleCompiler.FirstId, 0, OskenOracle.Build("udp4")[0]);

        Assert.Equal(1, _taps[0].Counters.Drops(DropReason.Rule));
        Assert.Empty(_toController);
    }

    [Fact]
    public void Goto_table_looks_the_rewritten_frame_up_again_and_the_last_tables_action_set_decides()
    {
        Assert.Empty(_harness.Send(OskenOracle.Build("pipe_t0", "pipe_t1")));
        var frame = OskenOracle.Build("udp4")[0];

        Run([.. frame], priority: 10);

        // Table 0 set eth_dst and wrote output 3; table 1 matched the new eth_dst, cleared that and wrote dec_nw_ttl and output 2.
        var sent = Received(1);
        Assert.Equal("0200000000AA", Convert.ToHexString(sent, 0, 6));
        Assert.Equal(63, sent[14 + 8]);
        _probes[2].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1UL, _harness.Table.Flows.Single(f => f.TableId == 1).Packets);
        var stats = OskenOracle.Parse(_harness.Send(OskenOracle.Build("flow_request_table_1"))).Single();
        Assert.Equal(1, stats.Fields.GetProperty("body").EnumerateArray().Single().GetProperty("OFPFlowStats").GetProperty("table_id").GetInt32());

        // With table 1 empty the frame misses there: dropped, counted rule on its ingress port.
        Assert.Empty(_harness.Send(OskenOracle.Build("pipe_t1_delete")));
        Run([.. frame], priority: 10);
        _probes[1].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        _probes[2].ExpectNoMsg(TimeSpan.FromMilliseconds(10));
        Assert.Equal(1, _taps[0].Counters.Drops(DropReason.Rule));
    }

    [Fact]
    public void An_all_group_sends_a_copy_through_each_bucket_counts_them_and_takes_its_flows_along_when_deleted()
    {
        Assert.Empty(_harness.Send(OskenOracle.Build("group_add_all", "flow_add_to_group_1")));
        var frame = OskenOracle.Build("udp4")[0];

        Run(frame, priority: 5);

        Assert.Equal(Convert.ToHexString(frame), Convert.ToHexString(Received(1)));
        Assert.Equal(Convert.ToHexString(frame), Convert.ToHexString(Received(2)));
        var replies = OskenOracle.Parse(_harness.Send(OskenOracle.Build("group_stats_request", "group_desc_request", "group_features_request")));
        Assert.Equal(["OFPGroupStatsReply", "OFPGroupDescStatsReply", "OFPGroupFeaturesStatsReply"], replies.Select(r => r.Class));
        var stats = replies[0].Fields.GetProperty("body").EnumerateArray().Single().GetProperty("OFPGroupStats");
        Assert.Equal(1, stats.GetProperty("group_id").GetInt32());
        Assert.Equal(1, stats.GetProperty("ref_count").GetInt32());
        Assert.Equal(1, stats.GetProperty("packet_count").GetInt32());
        Assert.Equal(frame.Length, stats.GetProperty("byte_count").GetInt32());
        Assert.Equal([1, 1], stats.GetProperty("bucket_stats").EnumerateArray().Select(b => b.GetProperty("OFPBucketCounter").GetProperty("packet_count").GetInt32()));
        var desc = replies[1].Fields.GetProperty("body").EnumerateArray().Single().GetProperty("OFPGroupDescStats");
        Assert.Equal(0, desc.GetProperty("type").GetInt32());
        Assert.Equal([2, 3], desc.GetProperty("buckets").EnumerateArray()
            .Select(b => b.GetProperty("OFPBucket").GetProperty("actions")[0].GetProperty("OFPActionOutput").GetProperty("port").GetInt32()));
        Assert.Equal(0b1111, replies[2].Fields.GetProperty("body").GetProperty("OFPGroupFeaturesStats").GetProperty("types").GetInt32());

        // Deleting the group deletes the flow that sent to it (spec 6.5), announced with reason GROUP_DELETE.
        var removed = OskenOracle.Parse(_harness.Send(OskenOracle.Build("group_delete_1"))).Single();
        Assert.Equal("OFPFlowRemoved", removed.Class);
        Assert.Equal(3, removed.Fields.GetProperty("reason").GetInt32());
        Assert.Empty(_harness.Table.Flows);
        Assert.Equal(0, _harness.Table.Groups.Count);
    }

    [Fact]
    public void A_select_group_keeps_each_flow_on_one_bucket_and_shares_flows_by_weight()
    {
        Assert.Empty(_harness.Send(OskenOracle.Build("group_add_select", "flow_add_to_group_2")));
        var group = _harness.Table.Groups.Find(2)!;
        var udp = OskenOracle.Build("udp4")[0];
        var picks = new int[2];
        for (ushort sourcePort = 1000; sourcePort < 1400; sourcePort++)
        {
            var frame = udp.ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14 + 20), sourcePort);
            var bucket = group.Pick(frame, _harness.Info);
            Assert.Equal(bucket, group.Pick([.. frame], _harness.Info));
            picks[bucket]++;
        }
        // Weights 1 and 3: about 100 and 300 of 400 flows.
        Assert.InRange(picks[0], 50, 150);
        Assert.Equal(400, picks[0] + picks[1]);

        Run(udp, priority: 5);
        var port = group.Pick([.. udp], _harness.Info) + 1;
        Assert.Equal(Convert.ToHexString(udp), Convert.ToHexString(Received(port)));
        _probes[3 - port].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }
}
