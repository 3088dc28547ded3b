using System.Net;
using Engine.Actors.Rules;
using Engine.Actors.Topology;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Rules;

/// <summary>
/// The classifier: the highest priority wins, the file's order breaks ties, prefixes are masks
/// of their family only, link-local-src is both families, and thousands of rules of one shape
/// are one lookup.
/// </summary>
public class RuleTableTests
{
    private static readonly Dictionary<string, int> Ports = new() { ["tun-a"] = 0, ["tap-b"] = 1, ["ctl"] = 2 };

    private static RuleTable Table(params RuleSpec[] rules) =>
        RuleTable.Build(RuleCompiler.Compile(rules, name => Ports[name])) ?? throw new InvalidOperationException("no table");

    private static RuleSpec Spec(int id, RuleMatchSpec match, RuleActionKind action = RuleActionKind.Controller, int priority = RuleSpec.DefaultPriority) =>
        new(id, priority, match, action, action == RuleActionKind.Controller ? "ctl" : null);

    private static FlowKey V4(int port, string source, string destination, byte protocol = 89, byte ttl = 1) =>
        new(port, 0x0800, protocol, ttl, Packets.V4(source), Packets.V4(destination));

    private static FlowKey V6(int port, string source, string destination, byte protocol = 89, byte ttl = 1) =>
        new(port, 0x86DD, protocol, ttl, Packets.V6(source), Packets.V6(destination));

    [Fact]
    public void A_table_of_nothing_but_normal_rules_is_no_table()
    {
        Assert.Null(RuleTable.Build([]));
        Assert.Null(RuleTable.Build(RuleCompiler.Compile([Spec(0, RuleMatchSpec.Any, RuleActionKind.Normal)], name => Ports[name])));
    }

    [Fact]
    public void The_highest_priority_match_decides_and_the_first_written_breaks_a_tie()
    {
        var table = Table(
            Spec(0, RuleMatchSpec.Any with { IpProtocol = 89 }, RuleActionKind.Drop, priority: 10),
            Spec(1, RuleMatchSpec.Any with { InPort = "tun-a" }, priority: 20),
            Spec(2, RuleMatchSpec.Any with { Ttl = 1 }, RuleActionKind.Normal, priority: 20),
            Spec(3, RuleMatchSpec.Any, RuleActionKind.Drop, priority: 0));

        Assert.Equal(1, table.Lookup(V4(0, "10.0.1.2", "224.0.0.5"))!.Id);
        Assert.Equal(2, table.Lookup(V4(1, "10.0.1.2", "224.0.0.5"))!.Id);
        Assert.Equal(0, table.Lookup(V4(1, "10.0.1.2", "224.0.0.5", ttl: 64))!.Id);
        Assert.Equal(3, table.Lookup(V4(1, "10.0.1.2", "10.0.9.9", protocol: 6, ttl: 64))!.Id);
    }

    [Fact]
    public void With_equal_priorities_in_different_shapes_the_earlier_rule_wins()
    {
        var table = Table(
            Spec(0, RuleMatchSpec.Any with { Ttl = 1 }, RuleActionKind.Drop),
            Spec(1, RuleMatchSpec.Any with { InPort = "tun-a" }));
        Assert.Equal(0, table.Lookup(V4(0, "10.0.1.2", "224.0.0.5"))!.Id);
        Assert.Equal(1, table.Lookup(V4(0, "10.0.1.2", "224.0.0.5", ttl: 2))!.Id);
    }

    [Fact]
    public void A_prefix_matches_its_own_family_only()
    {
        var table = Table(
            Spec(0, RuleMatchSpec.Any with { Destination = IPNetwork.Parse("224.0.0.0/24") }),
            Spec(1, RuleMatchSpec.Any with { Destination = IPNetwork.Parse("ff02::/16") }, RuleActionKind.Drop));

        Assert.Equal(0, table.Lookup(V4(0, "10.0.1.2", "224.0.0.6"))!.Id);
        Assert.Null(table.Lookup(V4(0, "10.0.1.2", "224.0.1.6")));
        Assert.Equal(1, table.Lookup(V6(0, "fe80::1", "ff02::5"))!.Id);
        // ::e000:5 has IPv4's 224.0.0.5 in its low bits: still not an IPv4 packet.
        Assert.Null(table.Lookup(V6(0, "fe80::1", "::e000:5")));
    }

    [Fact]
    public void Link_local_src_matches_either_family_and_nothing_routable()
    {
        var table = Table(Spec(7, RuleMatchSpec.Any with { LinkLocalSource = true }));
        Assert.Equal(7, table.Lookup(V6(1, "fe80::1", "ff02::5"))!.Id);
        Assert.Equal(7, table.Lookup(V4(1, "169.254.3.4", "224.0.0.5"))!.Id);
        Assert.Null(table.Lookup(V6(1, "fd00::1", "ff02::5")));
        Assert.Null(table.Lookup(V4(1, "10.0.1.2", "224.0.0.5")));
        Assert.Null(table.Lookup(new FlowKey(1, 0x0806, 0, 0, 0, 0)));
    }

    [Fact]
    public void A_non_ip_frame_meets_only_rules_without_ip_fields()
    {
        var table = Table(
            Spec(0, RuleMatchSpec.Any with { Ttl = 1 }, RuleActionKind.Drop),
            Spec(1, RuleMatchSpec.Any with { EtherType = FlowKey.Llc }));
        Assert.Equal(1, table.Lookup(new FlowKey(1, FlowKey.Llc, 0, 0, 0, 0))!.Id);
        Assert.Null(table.Lookup(new FlowKey(1, 0x0806, 0, 0, 0, 0)));
    }

    [Fact]
    public void Thousands_of_exact_rules_of_one_shape_are_one_group()
    {
        var rules = Enumerable.Range(0, 4000).Select(i => Spec(i, RuleMatchSpec.Any with
        {
            Destination = new IPNetwork(new IPAddress([10, (byte)(i >> 8), (byte)i, 1]), 32),
            IpProtocol = 17,
        }));
        var table = Table([.. rules]);
        Assert.Equal(4000, table.Count);
        Assert.Equal(1, table.Groups);
        Assert.Equal(3210, table.Lookup(V4(0, "10.9.9.9", $"10.{3210 >> 8}.{3210 & 255}.1", protocol: 17))!.Id);
        Assert.Null(table.Lookup(V4(0, "10.9.9.9", "10.0.0.2", protocol: 17)));
    }
}
