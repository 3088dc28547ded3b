using Engine.Actors.Lab;
using Engine.Actors.Topology;
using Xunit;
using TopologyLab = Engine.Tests.Topology.Lab;

namespace Engine.Tests.Lab;

/// <summary>
/// What a reload would change (<see cref="LabDiff"/>): items matched by name and compared by
/// value, so an unchanged one is untouched, a changed address or namespace means recreate, and
/// settings a running lab cannot take are refused with their key path.
/// </summary>
public class LabDiffTests
{
    private const string TunA = """{ name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" }""" + "\n";
    private const string TunB = """{ name = tun-b, type = tun, namespace = host-b, address = "10.0.2.1/24" }""" + "\n";
    private const string TunC = """{ name = tun-c, type = tun, namespace = host-c, address = "10.0.3.1/24" }""" + "\n";
    private const string PeerEast = """{ name = east, role = engine, transport = tcp, connect = "127.0.0.1:7000", framing = engine }""" + "\n";
    private const string PeerWest = """{ name = west, role = engine, transport = tcp, connect = "127.0.0.1:7001", framing = engine }""" + "\n";

    private static LabTopology Lab(string devices, string peers = "", string routes = "", string settings = "") => TopologyLab.Valid($$"""
        engine {
          {{settings}}
          devices = [ {{devices}} ]
          peers = [ {{peers}} ]
          routes = [ {{routes}} ]
        }
        """);

    [Fact]
    public void The_same_file_changes_nothing()
    {
        var running = Lab(TunA + TunB, PeerEast, """{ prefix = "10.9.0.0/16", via = east }""");
        var diff = LabDiff.Between(running, Lab(TunA + TunB, PeerEast, """{ prefix = "10.9.0.0/16", via = east }"""));

        Assert.True(diff.IsEmpty);
        Assert.Empty(diff.Refusals);
    }

    [Fact]
    public void Added_and_removed_devices_peers_and_routes_are_named_and_the_rest_untouched()
    {
        var running = Lab(TunA + TunB, PeerEast, """{ prefix = "10.9.0.0/16", via = east }""");
        var next = Lab(TunA + TunC, PeerWest, """{ prefix = "10.8.0.0/16", via = west }""");

        var diff = LabDiff.Between(running, next);

        Assert.Equal("+tun-c -tun-b ~", Parts(diff.Devices));
        Assert.Equal("+west -east ~", Parts(diff.Peers));
        Assert.Equal("+10.8.0.0/16 -10.9.0.0/16 ~", Parts(diff.Routes));
        Assert.DoesNotContain("tun-a", diff.Devices.Touched);
        Assert.True(diff.Switches.IsEmpty && diff.Wires.IsEmpty);
        Assert.Empty(diff.Refusals);
    }

    [Theory]
    [InlineData("""{ name = tun-b, type = tun, namespace = host-b, address = "10.0.7.1/24" }""")]
    [InlineData("""{ name = tun-b, type = tun, namespace = host-z, address = "10.0.2.1/24" }""")]
    [InlineData("""{ name = tun-b, type = tun, namespace = host-b, address = "10.0.2.1/24", mtu = 1400 }""")]
    [InlineData("""{ name = tun-b, type = tap, namespace = host-b, address = "10.0.2.1/24" }""")]
    [InlineData("""{ name = tun-b, type = tun, namespace = host-b, address = "10.0.2.1/24", gateway = "10.0.2.254" }""")]
    public void A_device_whose_address_namespace_or_other_key_changed_is_recreated_and_only_it(string changedB)
    {
        var diff = LabDiff.Between(Lab(TunA + TunB), Lab(TunA + changedB));

        Assert.Equal("+ - ~tun-b", Parts(diff.Devices));
        Assert.Empty(diff.Refusals);
    }

    [Fact]
    public void A_device_moved_in_the_file_but_otherwise_the_same_is_untouched()
    {
        var diff = LabDiff.Between(Lab(TunA + TunB), Lab(TunB + TunA));

        Assert.True(diff.IsEmpty, $"devices {Parts(diff.Devices)}, routes {Parts(diff.Routes)}, peers {Parts(diff.Peers)}");
    }

    [Fact]
    public void A_peer_whose_endpoint_changed_and_a_route_whose_via_changed_are_recreated()
    {
        var running = Lab(TunA + TunB, PeerEast, """{ prefix = "10.9.0.0/16", via = east }""");
        var next = Lab(TunA + TunB, PeerEast.Replace("7000", "7005"), """{ prefix = "10.9.0.0/16", via = tun-b }""");

        var diff = LabDiff.Between(running, next);

        Assert.Equal("+ - ~east", Parts(diff.Peers));
        Assert.Equal("+ - ~10.9.0.0/16", Parts(diff.Routes));
        Assert.True(diff.Devices.IsEmpty);
    }

    [Fact]
    public void A_route_given_a_backup_or_a_next_hop_address_is_changed()
    {
        var running = Lab(TunA + TunB, PeerEast, """{ prefix = "10.9.0.0/16", via = east }""");

        Assert.Equal(["10.9.0.0/16"], LabDiff.Between(running, Lab(TunA + TunB, PeerEast, """{ prefix = "10.9.0.0/16", via = east, backup = tun-b }""")).Routes.Changed);
        Assert.Equal(["10.9.0.0/16"], LabDiff.Between(running, Lab(TunA + TunB, PeerEast, """{ prefix = "10.9.0.0/16", via = "10.0.2.7" }""")).Routes.Changed);
    }

    [Theory]
    [InlineData("batch-size = 32", "engine.batch-size")]
    [InlineData("node-name = other", "engine.node-name")]
    [InlineData("control { socket = \"/run/engine/other.sock\" }", "engine.control.socket")]
    [InlineData("metrics { listen = \"127.0.0.1:9199\" }", "engine.metrics")]
    [InlineData("control-plane { namespace = cp }", "engine.control-plane")]
    [InlineData("log-level = debug", "engine.log-level")]
    public void A_setting_a_running_lab_cannot_take_is_refused_with_its_path(string setting, string path)
    {
        var diff = LabDiff.Between(Lab(TunA + TunB, settings: "node-name = lab"), Lab(TunA + TunB + TunC, settings: setting.StartsWith("node-name") ? setting : "node-name = lab, " + setting));

        var refusal = Assert.Single(diff.Refusals, r => r.Path != "engine.devices");
        Assert.Equal(path, refusal.Path);
        Assert.Contains("restart the engine", refusal.Reason);
        Assert.StartsWith(path + ": ", refusal.ToString());
    }

    private const string TapA = """{ name = tap-a, type = tap, namespace = host-a, address = "10.0.1.1/24" }""" + "\n";
    private const string TapB = """{ name = tap-b, type = tap, namespace = host-b, address = "10.0.1.2/24" }""" + "\n";
    private const string PeerQuagga = """{ name = quagga, role = quagga, transport = tcp, listen = "127.0.0.1:7002", framing = length16 }""" + "\n";

    private static LabTopology Wired(string devices, string peers = "", string wires = "", string switches = "") => TopologyLab.Valid($$"""
        engine {
          devices = [ {{devices}} ]
          peers = [ {{peers}} ]
          wires = [ {{wires}} ]
          switches = [ {{switches}} ]
        }
        """);

    [Fact]
    public void Switches_and_wires_and_the_ports_they_hold_change_live()
    {
        var running = Wired(TapA + TapB, switches: "{ name = lan, ports = [tap-a, tap-b] }");

        var member = LabDiff.Between(running, Wired(TapA + TapB.Replace("10.0.1.2", "10.0.1.3"), switches: "{ name = lan, ports = [tap-a, tap-b] }"));
        Assert.Equal(["tap-b"], member.Devices.Changed);
        Assert.True(member.Switches.IsEmpty);
        Assert.Empty(member.Refusals);

        var rewired = LabDiff.Between(running, Wired(TapA + TapB, wires: "{ ports = [tap-a, tap-b] }"));
        Assert.Equal(["lan"], rewired.Switches.Removed);
        Assert.Equal(["tap-a <-> tap-b"], rewired.Wires.Added);
        Assert.True(rewired.Devices.IsEmpty);
        Assert.Empty(rewired.Refusals);

        var changed = LabDiff.Between(running, Wired(TapA + TapB, switches: "{ name = lan, ports = [tap-a, tap-b], mac-limit = 8 }"));
        Assert.Equal(["lan"], changed.Switches.Changed);
        Assert.Empty(changed.Refusals);
    }

    [Fact]
    public void A_peer_whose_wire_changes_how_its_link_carries_frames_is_recreated_though_its_entry_is_not()
    {
        var running = Wired(TapA + TunB, PeerQuagga, wires: "{ ports = [tun-b, quagga] }");

        // Wired to a tap, the link carries whole Ethernet frames: its MTU makes room for the header.
        var toTap = LabDiff.Between(running, Wired(TapA + TunB, PeerQuagga, wires: "{ ports = [tap-a, quagga] }"));
        Assert.Equal(["quagga"], toTap.Peers.Changed);
        Assert.Equal("+tap-a <-> quagga -tun-b <-> quagga ~", Parts(toTap.Wires));
        Assert.Empty(toTap.Refusals);

        // Unwired, it carries routed IP packets, as wired to a tun: the same link.
        var unwired = LabDiff.Between(running, Wired(TapA + TunB, PeerQuagga));
        Assert.True(unwired.Peers.IsEmpty);
        Assert.Equal(["tun-b <-> quagga"], unwired.Wires.Removed);
    }

    [Fact]
    public void A_lab_with_an_openflow_switch_takes_port_and_wire_changes()
    {
        const string openFlow = """openflow { controllers = ["tcp:127.0.0.1:6653"] }""";
        var ports = LabDiff.Between(Lab(TunA + TunB, settings: openFlow), Lab(TunA + TunC, settings: openFlow));
        Assert.Empty(ports.Refusals);
        Assert.Equal(["tun-c"], ports.Devices.Added);
        Assert.Equal(["tun-b"], ports.Devices.Removed);

        var wired = TopologyLab.Valid($$"""
            engine {
              {{openFlow}}
              devices = [ {{TunA + TunB + TunC}} ]
              wires = [ { ports = [tun-b, tun-c] } ]
            }
            """);
        var unwired = LabDiff.Between(wired, TopologyLab.Valid($$"""
            engine {
              {{openFlow}}
              devices = [ {{TunA + TunB + TunC}} ]
            }
            """));
        Assert.Empty(unwired.Refusals);
        Assert.Equal(["tun-b <-> tun-c"], unwired.Wires.Removed);

        // The switch itself is read once, as the engine starts.
        var controllers = LabDiff.Between(Lab(TunA, settings: openFlow), Lab(TunA, settings: openFlow.Replace("6653", "6654")));
        Assert.Equal("engine.openflow", Assert.Single(controllers.Refusals).Path);
    }

    [Fact]
    public void A_lab_with_a_control_plane_namespace_takes_port_changes()
    {
        const string plane = "control-plane { namespace = cp }";
        var diff = LabDiff.Between(Lab(TunA + TunB, settings: plane), Lab(TunA + TunC, settings: plane));

        Assert.Equal(["tun-b"], diff.Devices.Removed);
        Assert.Equal(["tun-c"], diff.Devices.Added);
        Assert.Empty(diff.Refusals);
    }

    [Fact]
    public void A_route_only_change_is_allowed_in_a_lab_with_a_control_plane_namespace()
    {
        const string plane = "control-plane { namespace = cp }";
        var diff = LabDiff.Between(Lab(TunA + TunB, settings: plane), Lab(TunA + TunB, routes: """{ prefix = "10.9.0.0/16", via = tun-b }""", settings: plane));

        Assert.Equal(["10.9.0.0/16"], diff.Routes.Added);
        Assert.Empty(diff.Refusals);
    }

    private static string Parts(LabItemChanges changes) =>
        $"+{string.Join(',', changes.Added)} -{string.Join(',', changes.Removed)} ~{string.Join(',', changes.Changed)}";
}
