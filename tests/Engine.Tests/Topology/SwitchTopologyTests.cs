using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>engine.switches: read with their defaults and refused with the key path and the reason.</summary>
public class SwitchTopologyTests
{
    /// <summary>Devices tun-a, tap-b, tap-c, tap-d, tap-e; peers east (engine), quagga (length16), ctl (controller).</summary>
    private static string WithSwitches(string switches, string wires = "", string routes = "", string tapE = "") => $$"""
        engine {
          devices = [
            { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" }
            { name = tap-b, type = tap, namespace = host-b }
            { name = tap-c, type = tap, namespace = host-c }
            { name = tap-d, type = tap, namespace = host-d }
            { name = tap-e, type = tap, namespace = host-e, address = "10.0.5.1/24"{{tapE}} }
          ]
          peers = [
            { name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = engine }
            { name = quagga, role = quagga, transport = tcp, listen = 5555, framing = length16 }
            { name = ctl, role = controller, transport = unix, listen = "@ctl", framing = engine }
          ]
          switches = [
            {{switches}}
          ]
          wires = [
            {{wires}}
          ]
          routes = [
            {{routes}}
          ]
        }
        """;

    [Fact]
    public void Switches_are_read_in_file_order_with_their_defaults()
    {
        var lab = Lab.Valid(WithSwitches("""
            { name = lan1, ports = [tap-b, tap-c, quagga] }
                { name = lan2, ports = [tap-d, east], ageing = 30s, mac-limit = 16, storm-rate = 200 }
            """));

        Assert.Equal(
            [
                new SwitchSpec("lan1", ["tap-b", "tap-c", "quagga"], SwitchSpec.DefaultAgeing, SwitchSpec.DefaultMacLimit, SwitchSpec.DefaultStormRate),
                new SwitchSpec("lan2", ["tap-d", "east"], TimeSpan.FromSeconds(30), 16, 200),
            ],
            lab.Switches.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(300), SwitchSpec.DefaultAgeing);
        Assert.Contains("switch lan2 [tap-d, east], ageing 30s, mac-limit 16 per port, storm-rate 200/s per port\n", lab.Describe());
    }

    [Theory]
    [InlineData("{ name = lan1, ports = [tap-b, tap-z] }", "engine.switches[0].ports[1]: no device or peer named \"tap-z\"")]
    [InlineData("{ name = lan1, ports = [tap-b, tun-a] }",
        "engine.switches[0].ports[1]: puts a tun in a switch: \"tun-a\" carries IP packets, not Ethernet frames; only taps and peer links can be switch ports")]
    [InlineData("""
        { name = lan1, ports = [tap-b, tap-c] }
            { name = lan2, ports = [tap-d, tap-c] }
        """, "engine.switches[1].ports[1]: \"tap-c\" is a port of switch lan1 (engine.switches[0]): a switch port takes part in no routing (routes name the switch); a port is in one switch at most")]
    [InlineData("""
        { name = lan1, ports = [tap-b] }
            { name = lan1, ports = [tap-c] }
        """, "engine.switches[1].name: duplicate switch name \"lan1\" (first at engine.switches[0])")]
    [InlineData("{ name = tap-b, ports = [tap-c] }", "engine.switches[0].name: \"tap-b\" is already a device or peer name; a switch needs a name of its own")]
    [InlineData("{ name = quagga, ports = [tap-c] }", "engine.switches[0].name: \"quagga\" is already a device or peer name; a switch needs a name of its own")]
    [InlineData("{ name = \"lan 1\", ports = [tap-c] }", "engine.switches[0].name: switch name \"lan 1\" must not contain whitespace or control characters")]
    [InlineData("{ ports = [tap-c] }", "engine.switches[0].name: required")]
    [InlineData("{ name = lan1 }", "engine.switches[0].ports: required")]
    [InlineData("{ name = lan1, ports = [] }", "engine.switches[0].ports: must name at least one device or peer")]
    [InlineData("{ name = lan1, ports = [ctl] }", "engine.switches[0].ports[0]: \"ctl\" is a controller link, whose port tags name ports; it cannot be a switch port")]
    [InlineData("{ name = lan1, ports = [tap-b], ageing = 0 }", "engine.switches[0].ageing: must be at least 1s, got 0 (a number without a unit means milliseconds)")]
    [InlineData("{ name = lan1, ports = [tap-b], mac-limit = 0 }", "engine.switches[0].mac-limit: must be a number from 1 to 65536, got 0")]
    [InlineData("{ name = lan1, ports = [tap-b], storm-rate = -5 }", "engine.switches[0].storm-rate: must be a number from 1 to 10000000, got -5")]
    [InlineData("{ name = lan1, ports = [tap-b], vlan = 10 }", "engine.switches[0].vlan: unknown key")]
    public void Switch_error_is_reported_with_its_path(string switches, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(WithSwitches(switches)));

    [Fact]
    public void A_port_both_wired_and_switched_is_refused() =>
        Assert.Equal(["engine.switches[0].ports[1]: \"tap-c\" is already wired (engine.wires[0]); a port is either wired or switched"],
            Lab.Errors(WithSwitches("{ name = lan1, ports = [tap-b, tap-c] }", wires: "{ ports = [tap-c, tap-d] }")));

    [Theory]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = tap-b }",
        "engine.routes[0].via: \"tap-b\" is a port of switch lan1 (engine.switches[0]): a switch port takes part in no routing (routes name the switch)")]
    [InlineData("{ prefix = \"10.0.9.0/24\", via = tun-a, backup = quagga }",
        "engine.routes[0].backup: \"quagga\" is a port of switch lan1 (engine.switches[0]): a switch port takes part in no routing (routes name the switch)")]
    public void A_route_through_a_switch_port_is_refused(string routes, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(WithSwitches("{ name = lan1, ports = [tap-b, quagga] }", routes: routes)));

    [Fact]
    public void A_switched_device_with_a_gateway_is_refused_when_the_switch_has_none() =>
        Assert.Equal(["engine.devices[4].gateway: 10.0.5.254 is not a gateway of switch lan1 (engine.switches[0]), whose port \"tap-e\" is: a host on a switch has the switch's gateway (its router interface) as its default route, or none"],
            Lab.Errors(WithSwitches("{ name = lan1, ports = [tap-e] }", tapE: ", gateway = \"10.0.5.254\"")));
}
