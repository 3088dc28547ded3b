using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>What the switch sends unasked, as os-ken parses it: PORT_STATUS, PACKET_IN (cut to miss_send_len or max_len), FLOW_REMOVED on a timeout.</summary>
public class OfpAsyncMessageTests
{
    [Fact]
    public void Port_status_describes_a_peer_whose_link_went_down()
    {
        var harness = new SessionHarness();
        harness.Ports[2].LinkUp = false;
        harness.Session.SendPortStatus(harness.Ports[2], OfpPortReason.Modify);

        var (name, status) = OskenOracle.Parse(harness.Take()).Single();
        Assert.Equal("OFPPortStatus", name);
        Assert.Equal(2, status.GetProperty("reason").GetInt32());
        var desc = status.GetProperty("desc").GetProperty("OFPPort");
        Assert.Equal((3, "east", 1, 1), (desc.GetProperty("port_no").GetInt32(), desc.GetProperty("name").GetString(), desc.GetProperty("config").GetInt32(),
            desc.GetProperty("state").GetInt32()));
    }

    [Fact]
    public void Packet_in_carries_the_ingress_port_the_cookie_and_as_much_of_the_frame_as_asked()
    {
        var harness = new SessionHarness();
        var frame = Enumerable.Range(0, 300).Select(i => (byte)i).ToArray();
        harness.Session.SendPacketIn(new PacketInRequest(OfpPacketInReason.NoMatch, 2, 0x55, frame, 0));
        harness.Session.SendPacketIn(new PacketInRequest(OfpPacketInReason.Action, 1, 0, frame, 64));
        harness.Session.SendPacketIn(new PacketInRequest(OfpPacketInReason.Action, 1, 0, frame, OfpPortNumbers.ControllerNoBuffer));

        var packetIns = OskenOracle.Parse(harness.Take()).Select(p => p.Fields).ToArray();
        // A table miss is cut to miss_send_len (128 until SET_CONFIG), an action to its max_len, OFPCML_NO_BUFFER not at all.
        Assert.Equal([128, 64, 300], packetIns.Select(p => Convert.FromBase64String(p.GetProperty("data").GetString()!).Length));
        Assert.All(packetIns, p => Assert.Equal(300, p.GetProperty("total_len").GetInt32()));
        Assert.All(packetIns, p => Assert.Equal(OfpPortNumbers.NoBuffer, p.GetProperty("buffer_id").GetUInt32()));
        Assert.Equal([0, 1, 1], packetIns.Select(p => p.GetProperty("reason").GetInt32()));
        Assert.Equal(0x55, packetIns[0].GetProperty("cookie").GetInt32());
        var inPort = packetIns[0].GetProperty("match").GetProperty("OFPMatch").GetProperty("oxm_fields")[0].GetProperty("OXMTlv");
        Assert.Equal(("in_port", 2), (inPort.GetProperty("field").GetString(), inPort.GetProperty("value").GetInt32()));
    }

    [Fact]
    public void A_flow_past_its_idle_timeout_is_removed_and_announced_and_one_in_use_stays()
    {
        var harness = new SessionHarness();
        harness.Send(OskenOracle.Build("flow_add_tcp", "flow_add_mac")); // idle 10 s with SEND_FLOW_REM; hard 30 s without
        var expired = new List<(OpenFlowFlow Flow, byte Reason)>();

        harness.Table.Flows[0].Hits.Add(100, harness.Now + 5_000);
        harness.Table.Expire(harness.Now + 12_000, expired);
        Assert.Empty(expired);
        harness.Table.Expire(harness.Now + 15_000, expired);
        var (flow, reason) = Assert.Single(expired);
        harness.Session.SendFlowRemoved(flow, reason, harness.Now + 15_000);

        var (name, removed) = OskenOracle.Parse(harness.Take()).Single();
        Assert.Equal("OFPFlowRemoved", name);
        Assert.Equal((0, 5, 1, 15), (removed.GetProperty("reason").GetInt32(), removed.GetProperty("cookie").GetInt32(),
            removed.GetProperty("packet_count").GetInt32(), removed.GetProperty("duration_sec").GetInt32()));

        expired.Clear();
        harness.Table.Expire(harness.Now + 30_000, expired);
        Assert.Equal(1, Assert.Single(expired).Reason); // hard timeout
        harness.Session.SendFlowRemoved(expired[0].Flow, 1, harness.Now + 30_000);
        Assert.Empty(harness.Take()); // it did not ask for FLOW_REMOVED
    }
}
