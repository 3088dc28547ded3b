using System.Net;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>
/// A switch's gateway (its router interface): read with its prefix length, named by routes, shown
/// in the plan with its port number (after the peers), and refused with the key path and the reason.
/// </summary>
public class SwitchGatewayTopologyTests
{
    /// <summary>Devices tun-a, tap-b (10.0.5.1/24), tap-c (10.0.5.2/24, gateway given), tap-d; peer east.</summary>
    private static string WithSwitch(string gateway, string routes = "", string tapCGateway = "10.0.5.254", string more = "") => $$"""
        engine {
          devices = [
            { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" }
            { name = tap-b, type = tap, namespace = host-b, address = ["10.0.5.1/24", "fd00:5::1/64"] }
            { name = tap-c, type = tap, namespace = host-c, address = "10.0.5.2/24", gateway = "{{tapCGateway}}" }
            { name = tap-d, type = tap, namespace = host-d }
          ]
          peers = [ { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = length16 } ]
          switches = [
            { name = sw1, ports = [tap-b, tap-c, east]{{gateway}} }
            {{more}}
          ]
          routes = [
            {{routes}}
          ]
        }
        """;

    [Fact]
    public void A_gateway_with_its_prefix_length_makes_the_switch_a_route_target_numbered_after_the_peers()
    {
        var lab = Lab.Valid(WithSwitch(", gateway = [\"10.0.5.254/24\", \"fd00:5::fe/64\"]", """
            { prefix = "10.0.5.0/24", via = sw1 }
                { prefix = "fd00:5::/64", via = sw1 }
                { prefix = "10.0.1.0/24", via = tun-a, backup = sw1 }
            """));

        var sw1 = Assert.Single(lab.Switches);
        Assert.Equal([new InterfaceAddress(IPAddress.Parse("10.0.5.254"), 24), new InterfaceAddress(IPAddress.Parse("fd00:5::fe"), 64)], sw1.Gateways.ToArray());
        Assert.Equal(new RouteSpec(IPNetwork.Parse("10.0.5.0/24"), "sw1"), lab.Routes[0]);
        Assert.Equal("sw1", lab.Routes[2].Backup);
        Assert.Contains("switch sw1 [tap-b, tap-c, east], ageing 5m, mac-limit 1024 per port, storm-rate 1000/s per port, "
            + "router interface 10.0.5.254/24, fd00:5::fe/64 as port 5\n", lab.Describe());
        Assert.Contains("route 10.0.5.0/24 via sw1 (connected; also a static route)\n", lab.Describe());
    }

    [Theory]
    [InlineData(", gateway = 10.0.5.254",
        "engine.switches[0].gateway: a switch's gateway needs the segment's prefix length, as in \"10.0.5.254/24\": no device address gives the subnet")]
    [InlineData(", gateway = \"10.0.5.254/33\"", "engine.switches[0].gateway: not an address with prefix length: \"10.0.5.254/33\"")]
    [InlineData(", gateway = [\"10.0.5.254/24\", \"10.0.5.253/24\"]",
        "engine.switches[0].gateway[1]: a second IPv4 gateway (also engine.switches[0].gateway[0]): a switch has one per family")]
    [InlineData(", gateway = \"10.0.5.255/24\"", "engine.switches[0].gateway: 10.0.5.255/24 is the broadcast address of 10.0.5.0/24, not a host's address")]
    [InlineData(", gateway = \"224.0.0.5/24\"", "engine.switches[0].gateway: 224.0.0.5/24 is a multicast address, not a host's address")]
    [InlineData(", gateway = \"10.0.5.1/24\"",
        "engine.switches[0].gateway: 10.0.5.1 is a host's address on the switch (engine.devices[1].address[0]), not the engine's")]
    public void A_bad_gateway_is_refused_with_its_path(string gateway, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(WithSwitch(gateway)));

    [Fact]
    public void A_member_device_whose_gateway_is_not_the_switchs_is_refused() =>
        Assert.Equal(["engine.devices[2].gateway: 10.0.5.253 is not a gateway of switch sw1 (engine.switches[0]), whose port \"tap-c\" is: "
            + "a host on a switch has the switch's gateway (its router interface) as its default route, or none"],
            Lab.Errors(WithSwitch(", gateway = \"10.0.5.254/24\"", tapCGateway: "10.0.5.253")));

    [Theory]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = sw9 }", "engine.routes[0].via: no device, peer or switch named \"sw9\"")]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = tun-a, backup = sw9 }", "engine.routes[0].backup: no device, peer or switch named \"sw9\"")]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = sw2 }",
        "engine.routes[0].via: \"sw2\" is a switch without a gateway: a route through a switch needs its router interface (gateway = [\"ADDR/LEN\"])")]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = tap-b }",
        "engine.routes[0].via: \"tap-b\" is a port of switch sw1 (engine.switches[0]): a switch port takes part in no routing (routes name the switch)")]
    public void A_route_through_an_unknown_switch_a_switch_without_a_gateway_or_a_member_is_refused(string routes, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(WithSwitch(", gateway = \"10.0.5.254/24\"", routes, more: "{ name = sw2, ports = [tap-d] }")));
}
