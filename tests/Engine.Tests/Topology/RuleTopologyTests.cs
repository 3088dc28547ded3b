using System.Net;
using Engine.Actors.Rules;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>engine.rules: read with their defaults, shown in the plan, and refused with the key path and the reason.</summary>
public class RuleTopologyTests
{
    /// <summary>Devices tun-a, tap-b; peers east (engine) and the controllers given.</summary>
    private static string WithRules(string rules, string controllers = "{ name = ctl, role = controller, transport = unix, listen = \"@ctl\", framing = engine }") => $$"""
        engine {
          devices = [
            { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" }
            { name = tap-b, type = tap, namespace = host-b, address = "10.0.2.1/24" }
          ]
          peers = [
            { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = engine }
            {{controllers}}
          ]
          rules = [
            {{rules}}
          ]
        }
        """;

    [Fact]
    public void Rules_are_read_in_file_order_with_their_ids_defaults_and_names()
    {
        var lab = Lab.Valid(WithRules("""
            { match = { in-port = tun-a, ip-proto = ospf }, action = controller }
                { priority = 100, match = { eth-type = lldp }, action = drop }
                { match = { dst = "224.0.0.0/24", ttl = 1 }, action = normal }
                { match = { link-local-src = true, ip-proto = 0x59 }, action = controller, controller = ctl }
                { action = drop, priority = 0 }
            """));

        Assert.Equal(
            [
                new RuleSpec(0, RuleSpec.DefaultPriority, RuleMatchSpec.Any with { InPort = "tun-a", IpProtocol = 89 }, RuleActionKind.Controller, "ctl"),
                new RuleSpec(1, 100, RuleMatchSpec.Any with { EtherType = 0x88cc }, RuleActionKind.Drop, null),
                new RuleSpec(2, RuleSpec.DefaultPriority, RuleMatchSpec.Any with { Destination = IPNetwork.Parse("224.0.0.0/24"), Ttl = 1 }, RuleActionKind.Normal, null),
                new RuleSpec(3, RuleSpec.DefaultPriority, RuleMatchSpec.Any with { LinkLocalSource = true, IpProtocol = 89 }, RuleActionKind.Controller, "ctl"),
                new RuleSpec(4, 0, RuleMatchSpec.Any, RuleActionKind.Drop, null),
            ],
            lab.Rules.ToArray());
        Assert.Contains("rule 0, priority 32768: in-port tun-a, ip-proto 89 -> to controller ctl\n", lab.Describe());
        Assert.Contains("rule 4, priority 0: any frame -> drop\n", lab.Describe());
    }

    [Theory]
    [InlineData("{ match = { in-port = tun-z }, action = drop }", "engine.rules[0].match.in-port: no device or peer named \"tun-z\"")]
    [InlineData("{ match = { eth-type = ipx }, action = drop }",
        "engine.rules[0].match.eth-type: must be ipv4, ipv6, arp, lldp, lacp, llc, or a number from 0x0600 to 0xffff, got \"ipx\"")]
    [InlineData("{ match = { eth-type = 0x0100 }, action = drop }",
        "engine.rules[0].match.eth-type: must be ipv4, ipv6, arp, lldp, lacp, llc, or a number from 0x0600 to 0xffff, got \"0x0100\"")]
    [InlineData("{ match = { ip-proto = 256 }, action = drop }",
        "engine.rules[0].match.ip-proto: must be icmp, igmp, tcp, udp, gre, icmpv6, ospf, pim, vrrp, or a number from 1 to 255, got 256")]
    [InlineData("{ match = { dst = \"224.0.0.1/24\" }, action = drop }", "engine.rules[0].match.dst: host bits set in 224.0.0.1/24 (did you mean 224.0.0.0/24?)")]
    [InlineData("{ match = { src = \"10.0.0.0/8\", dst = \"ff02::/16\" }, action = drop }",
        "engine.rules[0].match: src (IPv4) and dst (IPv6) name different address families; no packet has both")]
    [InlineData("{ match = { eth-type = arp, ttl = 1 }, action = drop }", "engine.rules[0].match: ttl match IP packets only, but eth-type is 0x0806")]
    [InlineData("{ match = { src = \"fe80::/10\", link-local-src = true }, action = drop }",
        "engine.rules[0].match: src and link-local-src both match the source; keep one")]
    [InlineData("{ match = { ttl = 0 }, action = drop }", "engine.rules[0].match.ttl: must be a number from 1 to 255, got 0")]
    [InlineData("{ match = { vlan = 10 }, action = drop }", "engine.rules[0].match.vlan: unknown key")]
    [InlineData("{ match = { ttl = 1 } }", "engine.rules[0].action: required")]
    [InlineData("{ action = forward }", "engine.rules[0].action: must be controller, drop or normal, got \"forward\"")]
    [InlineData("{ action = drop, controller = ctl }", "engine.rules[0].controller: names where action controller sends, but this rule's action is drop")]
    [InlineData("{ action = controller, controller = east }", "engine.rules[0].controller: \"east\" is not a controller link (role = controller)")]
    [InlineData("{ action = controller, controller = west }", "engine.rules[0].controller: no peer named \"west\"")]
    [InlineData("{ action = drop, priority = 70000 }", "engine.rules[0].priority: must be a number from 0 to 65535, got 70000")]
    [InlineData("drop", "engine.rules[0]: must be an object, got \"drop\"")]
    public void Rule_error_is_reported_with_its_path(string rules, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(WithRules(rules)));

    [Fact]
    public void A_controller_action_needs_a_controller_link_and_must_name_one_of_several() =>
        Assert.Equal(
            Lab.Lines("engine.rules[0].action: controller needs a controller link: a peer with role = controller in engine.peers"),
            Lab.Errors(WithRules("{ action = controller }", controllers: "")));

    [Fact]
    public void With_two_controller_links_a_controller_action_names_one()
    {
        const string two = """
            { name = ctl, role = controller, transport = unix, listen = "@ctl", framing = engine }
                { name = ctl2, role = controller, transport = unix, listen = "@ctl2", framing = engine }
            """;
        Assert.Equal(
            Lab.Lines("engine.rules[0].action: the lab has 2 controller links (ctl, ctl2); name one with controller = NAME"),
            Lab.Errors(WithRules("{ action = controller }", two)));
        Assert.Equal("ctl2", Lab.Valid(WithRules("{ action = controller, controller = ctl2 }", two)).Rules[0].Controller);
    }
}
