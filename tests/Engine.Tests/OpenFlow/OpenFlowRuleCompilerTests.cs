using System.Buffers.Binary;
using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.OpenFlow;
using Engine.Actors.Routing;
using Engine.Actors.Rules;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// The flow table as the router's rules: os-ken's FLOW_MODs go into a session's table, the table
/// is compiled, and frames are looked up as the forwarder looks them up.
/// </summary>
public class OpenFlowRuleCompilerTests
{
    private const int SlowPath = 3;

    /// <summary>Ports 1 tun-a (engine 0), 2 tap-b (engine 1), 3 east (engine 2), as SessionHarness numbers them; all taps here, so outputs can take the fast path.</summary>
    private static readonly Port[] Taps = [.. Enumerable.Range(0, 3).Select(i => new Port(i, $"p{i}", ActorRefs.Nobody, 1500, new PortCounters()) { IsEthernet = true })];

    private static RuleTable Compiled(SessionHarness harness, Port[]? ports = null, IReadOnlyList<Rule>? labRules = null) =>
        OpenFlowRuleCompiler.Compile(labRules ?? [], harness.Table.Flows, ports ?? Taps, harness.Info.PortSet, SlowPath, inCharge: true)!;

    private static byte[] Frame(ulong dst, ulong src, ushort type, byte[] payload)
    {
        var frame = new byte[14 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(dst >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(2), (uint)dst);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(6), (ushort)(src >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(8), (uint)src);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), type);
        payload.CopyTo(frame, 14);
        return frame;
    }

    private static byte[] TcpPacket(string source, string destination, ushort sourcePort, ushort destinationPort)
    {
        var packet = new byte[40];
        packet[0] = 0x45;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 40);
        packet[8] = 64;
        packet[9] = 6;
        System.Net.IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 12);
        System.Net.IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet, 16);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(20), sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(22), destinationPort);
        return packet;
    }

    private static Rule? Lookup(RuleTable table, byte[] frame, int inPort) =>
        table.Lookup(table.UsesOpenFlowFields ? FlowKeyFields.Read(frame, ethernet: true, inPort) : FlowKeyReader.Read(frame, ethernet: true, inPort));

    [Fact]
    public void Each_frame_meets_the_flow_of_highest_priority_that_matches_it_and_a_miss_drops()
    {
        var harness = new SessionHarness();
        harness.Send(OskenOracle.Build("flow_add_tcp", "flow_add_mac"));
        var table = Compiled(harness);
        Assert.True(table.UsesOpenFlowFields);

        // flow_add_tcp: in_port 1, 10.0.0.0/24, TCP to port 80 -> output 2 (engine port 1).
        var web = Frame(0x0200_0000_0099, 0x0200_0000_0001, 0x0800, TcpPacket("10.9.9.9", "10.0.0.7", 40000, 80));
        Assert.Equal(RuleAction.ToPort(1), Lookup(table, web, inPort: 0)!.Action);
        Assert.Equal(RuleAction.Drop, Lookup(table, web, inPort: 1)!.Action);
        var ssh = Frame(0x0200_0000_0099, 0x0200_0000_0001, 0x0800, TcpPacket("10.9.9.9", "10.0.0.7", 40000, 22));
        Assert.Equal(RuleAction.Drop, Lookup(table, ssh, inPort: 0)!.Action);

        // flow_add_mac: in_port 2, eth_dst 02:00:00:00:00:0a -> output 1 (engine port 0).
        var toA = Frame(0x0200_0000_000a, 0x0200_0000_0002, 0x88b5, new byte[46]);
        Assert.Equal(RuleAction.ToPort(0), Lookup(table, toA, inPort: 1)!.Action);
        Assert.Equal(-1, Lookup(table, toA, inPort: 2)!.Priority);
    }

    [Fact]
    public void A_controller_output_goes_to_the_slow_path_with_the_flows_id_and_hits_are_counted_on_the_flow()
    {
        var harness = new SessionHarness();
        harness.Send(OskenOracle.Build("flow_add_miss"));
        var table = Compiled(harness);
        var frame = Frame(0xffff_ffff_ffff, 0x0200_0000_0001, 0x0806, new byte[28]);

        var rule = Lookup(table, frame, inPort: 0)!;
        Assert.Equal(RuleAction.ToController(SlowPath), rule.Action);
        Assert.Equal(OpenFlowRuleCompiler.FirstId, rule.Id);
        rule.Hits!.Add(frame.Length, 5);
        Assert.Equal(1UL, harness.Table.Flows[0].Packets);
        Assert.Equal((ulong)frame.Length, harness.Table.Flows[0].Bytes);
    }

    [Fact]
    public void An_output_between_a_tun_and_a_tap_takes_the_slow_path_which_reframes_it()
    {
        var harness = new SessionHarness();
        harness.Send(OskenOracle.Build("flow_add_mac"));
        Port[] mixed = [new Port(0, "tun", ActorRefs.Nobody, 1500, new PortCounters()), Taps[1], Taps[2]];
        var toA = Frame(0x0200_0000_000a, 0x0200_0000_0002, 0x88b5, new byte[46]);

        Assert.Equal(RuleAction.ToController(SlowPath), Lookup(Compiled(harness, mixed), toA, inPort: 1)!.Action);
    }

    [Fact]
    public void The_labs_rules_stay_in_front_and_a_table_not_in_charge_leaves_the_lab_alone()
    {
        var harness = new SessionHarness();
        harness.Send(OskenOracle.Build("flow_add_miss"));
        Rule[] lab = [new Rule(0, 0, new FlowMatch(new FlowKey(0, 0x0806, 0, 0, 0, 0), new FlowKey(0, 0xffff, 0, 0, 0, 0)), RuleAction.Normal)];
        var arp = Frame(0xffff_ffff_ffff, 0x0200_0000_0001, 0x0806, new byte[28]);

        Assert.Equal(RuleAction.Normal, Lookup(Compiled(harness, labRules: lab), arp, inPort: 0)!.Action);
        Assert.Null(OpenFlowRuleCompiler.Compile(lab, harness.Table.Flows, Taps, harness.Info.PortSet, SlowPath, inCharge: false));
    }

    [Fact]
    public void Lab_rules_alone_never_read_the_openflow_fields()
    {
        Rule[] lab = [new Rule(0, 0, new FlowMatch(new FlowKey(0, 0x0800, 89, 0, 0, 0), new FlowKey(0, 0xffff, 0xff, 0, 0, 0)), RuleAction.Drop)];
        Assert.False(RuleTable.Build(lab)!.UsesOpenFlowFields);
    }

    [Fact]
    public void The_field_reader_finds_vlan_arp_icmp_and_ports()
    {
        var arp = new byte[28];
        BinaryPrimitives.WriteUInt16BigEndian(arp.AsSpan(6), 2);
        new byte[] { 10, 0, 0, 1 }.CopyTo(arp, 14);
        new byte[] { 10, 0, 0, 2 }.CopyTo(arp, 24);
        var tagged = Frame(0xffff_ffff_ffff, 0x0200_0000_0001, 0x8100, [0xa0, 0x0a, 0x08, 0x06, .. arp]);
        var key = FlowKeyFields.Read(tagged, ethernet: true, inPort: 4);
        Assert.Equal((0xffff_ffff_ffffUL, 0x0200_0000_0001UL, (ushort)0xb00a, (ushort)0x0806), (key.EthDestination, key.EthSource, key.VlanTci, key.EtherType));
        Assert.Equal(((byte)2, (UInt128)0x0a00_0001, (UInt128)0x0a00_0002), (key.IpProtocol, key.Source, key.Destination));

        var web = FlowKeyFields.Read(TcpPacket("10.9.9.9", "10.0.0.7", 40000, 80), ethernet: false, inPort: 0);
        Assert.Equal(((ushort)40000, (ushort)80, (ushort)0), (web.L4Source, web.L4Destination, web.VlanTci));
    }
}
