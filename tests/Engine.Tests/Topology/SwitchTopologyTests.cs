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

    [Fact]
    public void Vlans_and_each_ports_role_are_read_and_shown_in_the_plan()
    {
        var lab = Lab.Valid(WithSwitches("""
            { name = lan1, vlans = [10, 20], ports = [tap-b, { port = tap-c, vlan = 10 }, { port = east, trunk = [10, 20], native = 1 }, { port = quagga, trunk = [20] }] }
            """));

        var expected = new SwitchSpec("lan1", ["tap-b", "tap-c", "east", "quagga"], SwitchSpec.DefaultAgeing, SwitchSpec.DefaultMacLimit, SwitchSpec.DefaultStormRate)
        {
            Vlans = [10, 20],
            PortVlans = [PortVlan.Default, PortVlan.Access(10), PortVlan.TrunkOf([10, 20], native: 1), PortVlan.TrunkOf([20], native: 0)],
        };
        Assert.Equal([expected], lab.Switches.ToArray());
        Assert.Contains("switch lan1 [tap-b, tap-c vlan 10, east trunk 10,20 native 1, quagga trunk 20], vlans 10,20, ageing", lab.Describe());
    }

    [Theory]
    [InlineData("{ name = lan1, vlans = [10], ports = [{ port = tap-b, vlan = 30 }] }",
        "engine.switches[0].ports[0].vlan: unknown VLAN 30: the switch declares 1 and 10 (engine.switches[0].vlans)")]
    [InlineData("{ name = lan1, ports = [tap-c, { port = tap-b, vlan = 10 }] }",
        "engine.switches[0].ports[1].vlan: unknown VLAN 10: the switch declares only the default VLAN 1 (engine.switches[0].vlans)")]
    [InlineData("{ name = lan1, vlans = [10], ports = [{ port = east, trunk = [10, 40] }] }",
        "engine.switches[0].ports[0].trunk[1]: unknown VLAN 40: the switch declares 1 and 10 (engine.switches[0].vlans)")]
    [InlineData("{ name = lan1, vlans = [10], ports = [{ port = east, trunk = [10], native = 20 }] }",
        "engine.switches[0].ports[0].native: unknown VLAN 20: the switch declares 1 and 10 (engine.switches[0].vlans)")]
    [InlineData("{ name = lan1, vlans = [0, 4095, ten], ports = [tap-b] }", """
        engine.switches[0].vlans[0]: must be a VLAN id from 1 to 4094, got 0
        engine.switches[0].vlans[1]: must be a VLAN id from 1 to 4094, got 4095
        engine.switches[0].vlans[2]: must be a VLAN id from 1 to 4094, got "ten"
        """)]
    [InlineData("{ name = lan1, ports = [{ port = tap-b, vlan = 5000 }] }", "engine.switches[0].ports[0].vlan: must be a VLAN id from 1 to 4094, got 5000")]
    [InlineData("{ name = lan1, vlans = [10, 20, 10], ports = [tap-b] }", "engine.switches[0].vlans[2]: duplicate VLAN 10 (first at engine.switches[0].vlans[0])")]
    [InlineData("{ name = lan1, vlans = [10], ports = [{ port = east, trunk = [10, 1, 10] }] }",
        "engine.switches[0].ports[0].trunk[2]: duplicate VLAN 10 (first at engine.switches[0].ports[0].trunk[0])")]
    [InlineData("{ name = lan1, vlans = [10], ports = [{ port = east, vlan = 10, trunk = [10] }] }",
        "engine.switches[0].ports[0]: has both vlan and trunk: a port is an access port of one VLAN or a trunk, not both")]
    [InlineData("{ name = lan1, vlans = [10], ports = [{ port = tap-b, vlan = 10, native = 1 }] }",
        "engine.switches[0].ports[0].native: is a trunk's VLAN for untagged frames; an access port's frames are all in its vlan")]
    [InlineData("{ name = lan1, vlans = [10], ports = [{ port = east, trunk = [1, 10], native = 1 }] }",
        "engine.switches[0].ports[0].native: VLAN 1 is also in trunk: a trunk's native VLAN leaves untagged, so name it in one place")]
    [InlineData("{ name = lan1, ports = [{ port = east, trunk = [] }] }", "engine.switches[0].ports[0].trunk: must name at least one VLAN")]
    [InlineData("{ name = lan1, ports = [{ vlan = 1 }] }", "engine.switches[0].ports[0].port: required")]
    [InlineData("{ name = lan1, ports = [{ port = tap-b, pvid = 1 }] }", "engine.switches[0].ports[0].pvid: unknown key")]
    [InlineData("{ name = lan1, ports = [{ port = tap-z, vlan = 1 }] }", "engine.switches[0].ports[0].port: no device or peer named \"tap-z\"")]
    public void Vlan_error_is_reported_with_its_path(string switches, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(WithSwitches(switches)));

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
