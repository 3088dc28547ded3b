using System.Text.Json;
using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// The session against os-ken's OpenFlow 1.3 parser: messages os-ken builds go in, and what the
/// engine answers must parse in os-ken to the fields the spec gives them.
/// </summary>
public class OfpOskenTests
{
    private static (string Class, JsonElement Fields) One(byte[][] replies) => OskenOracle.Parse(replies).Single();

    [Fact]
    public void The_engines_hello_offers_1_3_in_a_version_bitmap()
    {
        var harness = new SessionHarness(negotiate: false);
        var (name, hello) = One([harness.Hello]);

        Assert.Equal("OFPHello", name);
        var element = hello.GetProperty("elements")[0].GetProperty("OFPHelloElemVersionBitmap");
        Assert.Equal([4], element.GetProperty("versions").EnumerateArray().Select(v => v.GetInt32()));
        Assert.Null(harness.Session.Receive(OskenOracle.Build("hello")[0], harness.Now));
        Assert.True(harness.Session.Negotiated);
    }

    [Fact]
    public void Features_config_echo_barrier_and_role_are_answered_as_os_ken_reads_them()
    {
        var harness = new SessionHarness();
        var requests = OskenOracle.Build("features_request", "set_config", "get_config_request", "echo_request", "barrier_request", "role_request_master");
        var answered = harness.Send(requests);
        var replies = OskenOracle.Parse(answered);

        Assert.Equal(["OFPSwitchFeatures", "OFPGetConfigReply", "OFPEchoReply", "OFPBarrierReply", "OFPRoleReply"], replies.Select(r => r.Class));
        var features = replies[0].Fields;
        Assert.Equal(0xabUL, features.GetProperty("datapath_id").GetUInt64());
        Assert.Equal(OpenFlowFlowTable.TableCount, features.GetProperty("n_tables").GetInt32());
        Assert.Equal(7, features.GetProperty("capabilities").GetInt32());
        // Each reply carries its request's xid.
        Assert.Equal([0x1002, 0x1003, 0x1001, 0x1005, 0x1006], answered.Select(r => (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(r.AsSpan(4))));
        Assert.Equal(256, replies[1].Fields.GetProperty("miss_send_len").GetInt32());
        Assert.Equal(Convert.ToBase64String("ping"u8), replies[2].Fields.GetProperty("data").GetString());
        Assert.Equal(2, replies[4].Fields.GetProperty("role").GetInt32());
        Assert.Equal(9, replies[4].Fields.GetProperty("generation_id").GetInt32());
    }

    [Fact]
    public void Desc_port_desc_table_and_port_stats_list_the_labs_ports_and_counters()
    {
        var harness = new SessionHarness();
        harness.Ports[1].Counters.AddRx(3, 300);
        harness.Ports[1].Counters.AddTx(2, 128);
        harness.Ports[2].LinkUp = false;
        var replies = OskenOracle.Parse(harness.Send(OskenOracle.Build("desc_request", "port_desc_request", "table_request", "port_stats_request", "port_stats_request_2")));

        Assert.Equal(["OFPDescStatsReply", "OFPPortDescStatsReply", "OFPTableStatsReply", "OFPPortStatsReply", "OFPPortStatsReply"], replies.Select(r => r.Class));
        Assert.Equal("Engine", replies[0].Fields.GetProperty("body").GetProperty("OFPDescStats").GetProperty("mfr_desc").GetString());
        var ports = replies[1].Fields.GetProperty("body").EnumerateArray().Select(p => p.GetProperty("OFPPort")).ToArray();
        Assert.Equal([1, 2, 3], ports.Select(p => p.GetProperty("port_no").GetInt32()));
        Assert.Equal(["tun-a", "tap-b", "east"], ports.Select(p => p.GetProperty("name").GetString()));
        Assert.Equal("02:00:00:ab:00:02", ports[1].GetProperty("hw_addr").GetString());
        Assert.Equal([0, 0, 1], ports.Select(p => p.GetProperty("config").GetInt32()));
        Assert.Equal([4, 4, 1], ports.Select(p => p.GetProperty("state").GetInt32()));
        Assert.Equal(0, replies[2].Fields.GetProperty("body")[0].GetProperty("OFPTableStats").GetProperty("table_id").GetInt32());
        Assert.Equal(3, replies[3].Fields.GetProperty("body").GetArrayLength());
        var port2 = replies[4].Fields.GetProperty("body").EnumerateArray().Single().GetProperty("OFPPortStats");
        Assert.Equal(2, port2.GetProperty("port_no").GetInt32());
        Assert.Equal(3, port2.GetProperty("rx_packets").GetInt32());
        Assert.Equal(300, port2.GetProperty("rx_bytes").GetInt32());
        Assert.Equal(2, port2.GetProperty("tx_packets").GetInt32());
        Assert.Equal(128, port2.GetProperty("tx_bytes").GetInt32());
    }

    [Fact]
    public void Installed_flows_come_back_in_flow_and_aggregate_stats_and_a_flagged_one_announces_its_delete()
    {
        var harness = new SessionHarness();
        Assert.Empty(harness.Send(OskenOracle.Build("flow_add_tcp", "flow_add_mac", "flow_add_miss")));

        var stats = OskenOracle.Parse(harness.Send(OskenOracle.Build("flow_request", "aggregate_request")));
        var flows = stats[0].Fields.GetProperty("body").EnumerateArray().Select(f => f.GetProperty("OFPFlowStats")).ToArray();
        Assert.Equal([100, 1, 0], flows.Select(f => f.GetProperty("priority").GetInt32()));
        Assert.Equal([5, 6, 0], flows.Select(f => f.GetProperty("cookie").GetInt32()));
        Assert.Equal([10, 0, 0], flows.Select(f => f.GetProperty("idle_timeout").GetInt32()));
        var tcpMatch = flows[0].GetProperty("match").GetProperty("OFPMatch").GetProperty("oxm_fields").EnumerateArray()
            .Select(f => f.GetProperty("OXMTlv")).ToDictionary(f => f.GetProperty("field").GetString()!, f => f);
        Assert.Equal(["eth_type", "in_port", "ip_proto", "ipv4_dst", "tcp_dst"], tcpMatch.Keys.Order());
        Assert.Equal("10.0.0.0", tcpMatch["ipv4_dst"].GetProperty("value").GetString());
        Assert.Equal("255.255.255.0", tcpMatch["ipv4_dst"].GetProperty("mask").GetString());
        var output = flows[2].GetProperty("instructions")[0].GetProperty("OFPInstructionActions").GetProperty("actions")[0].GetProperty("OFPActionOutput");
        Assert.Equal(OfpPortNumbers.Controller, output.GetProperty("port").GetUInt32());
        Assert.Equal(3, stats[1].Fields.GetProperty("body").GetProperty("OFPAggregateStats").GetProperty("flow_count").GetInt32());

        var removed = OskenOracle.Parse(harness.Send(OskenOracle.Build("flow_delete_strict_tcp")));
        Assert.Equal("OFPFlowRemoved", removed.Single().Class);
        Assert.Equal(2, removed[0].Fields.GetProperty("reason").GetInt32());
        Assert.Equal(5, removed[0].Fields.GetProperty("cookie").GetInt32());
        Assert.Equal(2, harness.Table.Flows.Count);

        // Delete-all removes the rest; neither asked for FLOW_REMOVED.
        Assert.Empty(harness.Send(OskenOracle.Build("flow_delete_all")));
        Assert.Empty(harness.Table.Flows);
    }

    [Theory]
    [InlineData("flow_add_goto_back", 3, 2)] // BAD_INSTRUCTION, BAD_TABLE_ID: goto_table only goes forward
    [InlineData("flow_add_goto_past", 3, 2)] // BAD_INSTRUCTION, BAD_TABLE_ID: past the last table
    [InlineData("flow_add_table_8", 5, 2)] // FLOW_MOD_FAILED, BAD_TABLE_ID
    [InlineData("flow_add_group", 2, 9)] // BAD_ACTION, BAD_OUT_GROUP: no such group
    [InlineData("flow_add_bad_port", 2, 4)] // BAD_ACTION, BAD_OUT_PORT
    [InlineData("flow_add_set_queue", 2, 8)] // BAD_ACTION, BAD_QUEUE: the ports have no queues
    [InlineData("flow_add_set_dscp", 2, 13)] // BAD_ACTION, BAD_SET_TYPE
    [InlineData("flow_add_meter", 12, 3)] // METER_MOD_FAILED, UNKNOWN_METER: there are no meters
    [InlineData("flow_add_no_prereq", 4, 9)] // BAD_MATCH, BAD_PREREQ: tcp_dst without ip_proto 6
    [InlineData("meter_mod", 12, 10)] // METER_MOD_FAILED, OUT_OF_METERS
    [InlineData("group_add_bad_type", 6, 10)] // GROUP_MOD_FAILED, BAD_TYPE
    [InlineData("group_modify_unknown", 6, 8)] // GROUP_MOD_FAILED, UNKNOWN_GROUP
    [InlineData("group_add_chained", 6, 5)] // GROUP_MOD_FAILED, CHAINING_UNSUPPORTED
    [InlineData("group_add_indirect_two", 6, 1)] // GROUP_MOD_FAILED, INVALID_GROUP: an indirect group has one bucket
    public void What_the_engine_cannot_do_is_refused_with_the_specs_error(string message, int type, int code)
    {
        var harness = new SessionHarness();
        var request = OskenOracle.Build(message)[0];
        var (name, error) = One(harness.Send(request));

        Assert.Equal("OFPErrorMsg", name);
        Assert.Equal(type, error.GetProperty("type").GetInt32());
        Assert.Equal(code, error.GetProperty("code").GetInt32());
        Assert.Equal(Convert.ToBase64String(request.AsSpan(0, Math.Min(64, request.Length))), error.GetProperty("data").GetString());
        Assert.Empty(harness.Table.Flows);
    }
}
