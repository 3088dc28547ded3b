using System.Net;
using System.Net.Sockets;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>docs/config.md's complete example is parsed here, so the page cannot drift from the code.</summary>
public class DocsExampleTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "config.md"));

    [Fact]
    public void Complete_example_parses_to_the_documented_lab()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- example:", "hocon"));

        var expected = new LabTopology(
            new EngineSettings(TimeSpan.FromSeconds(10), 64, "/var/log/engine.log"),
            [
                new DeviceSpec("tun-a", DeviceType.Tun, 1500, "host-a",
                    [new InterfaceAddress(IPAddress.Parse("10.0.1.1"), 24)],
                    [IPAddress.Parse("10.0.1.254")],
                    Persistent: false, Switch: null),
                new DeviceSpec("tun-b", DeviceType.Tun, 1500, "host-b",
                    [new InterfaceAddress(IPAddress.Parse("10.0.2.1"), 24), new InterfaceAddress(IPAddress.Parse("fd00:2::1"), 64)],
                    [IPAddress.Parse("10.0.2.254"), IPAddress.Parse("fd00:2::fe")],
                    Persistent: false, Switch: null),
                new DeviceSpec("tap-c", DeviceType.Tap, 1500, "host-c",
                    [new InterfaceAddress(IPAddress.Parse("10.0.3.1"), 24)],
                    [IPAddress.Parse("10.0.3.254")],
                    Persistent: false, Switch: null),
            ],
            [
                new RouteSpec(IPNetwork.Parse("10.0.1.0/24"), "tun-a"),
                new RouteSpec(IPNetwork.Parse("fd00:2::/64"), "tun-b"),
                new RouteSpec(IPNetwork.Parse("10.0.30.0/24"), "10.0.3.1") { NextHop = IPAddress.Parse("10.0.3.1") },
                new RouteSpec(IPNetwork.Parse("10.0.9.0/24"), "east", Backup: "quagga"),
                new RouteSpec(IPNetwork.Parse("0.0.0.0/0"), "tun-b"),
            ])
        {
            Peers =
            [
                new PeerSpec("controller", PeerRole.Controller, PeerTransport.Tcp, PeerFraming.Engine,
                    Connect: new IPEndPoint(IPAddress.Loopback, 6653), Listen: null, Namespace: null, Allow: [],
                    Key: "a-long-shared-secret", Mtu: null, DefaultReconnectMin, DefaultReconnectMax, DefaultKeepalive, DefaultDeadPeerTimeout, 4096),
                new PeerSpec("quagga", PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16,
                    Connect: null, Listen: new IPEndPoint(IPAddress.Loopback, 5555), Namespace: null, Allow: [IPNetwork.Parse("127.0.0.1/32")],
                    Key: null, Mtu: null, DefaultReconnectMin, DefaultReconnectMax, DefaultKeepalive, DefaultDeadPeerTimeout, 4096),
                new PeerSpec("east", PeerRole.Engine, PeerTransport.Udp, PeerFraming.Engine,
                    Connect: new IPEndPoint(IPAddress.Loopback, 7002), Listen: new IPEndPoint(IPAddress.Loopback, 7001), Namespace: null, Allow: [],
                    Key: null, Mtu: null, DefaultReconnectMin, DefaultReconnectMax, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(2), 4096),
                new PeerSpec("zebra", PeerRole.Quagga, PeerTransport.Unix, PeerFraming.Length16,
                    Connect: new UnixDomainSocketEndPoint("/run/quagga/engine.sock"), Listen: null, Namespace: null, Allow: [],
                    Key: null, Mtu: null, DefaultReconnectMin, TimeSpan.FromSeconds(30), DefaultKeepalive, DefaultDeadPeerTimeout, 4096),
            ],
        };
        Assert.Equal(expected.Settings, lab.Settings);
        // Typed as sequences: ImmutableArray's own equality compares array references.
        Assert.Equal<DeviceSpec>(expected.Devices, lab.Devices);
        Assert.Equal<PeerSpec>(expected.Peers, lab.Peers);
        Assert.Equal<RouteSpec>(expected.Routes, lab.Routes);
        Assert.Equal(expected, lab);
    }

    private static readonly TimeSpan DefaultReconnectMin = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan DefaultReconnectMax = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan DefaultKeepalive = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan DefaultDeadPeerTimeout = TimeSpan.FromSeconds(5);

    [Fact]
    public void Documented_plan_is_what_Describe_prints()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- example:", "hocon"));
        Assert.Equal(FencedBlockAfter("<!-- plan:", "text"), lab.Describe());
    }

    [Fact]
    public void Error_lines_at_the_top_of_the_page_are_what_the_parser_prints()
    {
        // The three example lines at the top of the page, produced together from one file.
        var errors = Lab.Errors("""
            engine {
              devices = [
                { name = tun-a, type = tun, address = ["10.0.1.1/24", "10.0.1.300/24"] }
                { name = tun-b, type = tan }
              ]
              routes = [
                { prefix = "10.0.1.0/24", via = tun-a }
                { prefix = "10.0.2.0/24", via = tun-b }
                { prefix = "0.0.0.0/0", via = tun-z }
              ]
            }
            """);
        var documented = FencedBlockAfter("Every problem is reported", "text").TrimEnd('\n').Split('\n');
        Assert.Equal(documented.Order(), errors.Order());
    }

    private static string FencedBlockAfter(string marker, string language)
    {
        var markerAt = Page.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(markerAt >= 0, $"docs/config.md has no \"{marker}\"");
        var fence = "```" + language + "\n";
        var start = Page.IndexOf(fence, markerAt, StringComparison.Ordinal) + fence.Length;
        var end = Page.IndexOf("```", start, StringComparison.Ordinal);
        return Page[start..end].ReplaceLineEndings("\n");
    }

    [Fact]
    public void The_wires_example_parses_to_its_wire()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- wires example -->", "hocon"));
        Assert.Equal(new WireSpec("tun-r1", "west"), Assert.Single(lab.Wires));
        Assert.Empty(lab.Routes);
    }

    [Fact]
    public void The_switches_example_parses_to_its_switch()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- switches example -->", "hocon"));
        var lan = Assert.Single(lab.Switches);
        Assert.Equal(["tap-r1", "tap-r2", "tap-r3", "east"], lan.Ports.ToArray());
        Assert.Equal(SwitchSpec.DefaultAgeing, lan.Ageing);
    }

    [Fact]
    public void The_rules_example_parses_to_its_three_rules()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- rules example -->", "hocon"));
        Assert.Equal(
            [Engine.Actors.Rules.RuleActionKind.Controller, Engine.Actors.Rules.RuleActionKind.Drop, Engine.Actors.Rules.RuleActionKind.Controller],
            lab.Rules.Select(r => r.Action).ToArray());
        Assert.Equal(40000, lab.Rules[1].Priority);
        Assert.All(lab.Rules.Where(r => r.Action == Engine.Actors.Rules.RuleActionKind.Controller), r => Assert.Equal("ctl", r.Controller));
    }

    [Fact]
    public void The_openflow_example_parses_to_a_secure_switch_of_two_ports()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- openflow example -->", "hocon"));
        Assert.Equal(new OpenFlowSpec([new OpenFlowEndpoint(new IPEndPoint(IPAddress.Loopback, 6653))], 1, OpenFlowFailMode.Secure, OpenFlowSpec.DefaultEchoInterval), lab.OpenFlow);
        Assert.Equal([(1, "tap-a"), (2, "tap-b")], lab.OpenFlowPorts.ToArray());
    }

    [Fact]
    public void The_router_interface_example_parses_to_a_switch_with_a_gateway_that_routes_name()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- switch router interface example -->", "hocon"));
        var lan = Assert.Single(lab.Switches);
        Assert.Equal(["10.0.5.254/24", "fd00:5::fe/64"], lan.Gateways.Select(g => g.ToString()).ToArray());
        Assert.Equal(["lan1", "lan1", "tun-t"], lab.Routes.Select(r => r.Via).ToArray());
        Assert.Contains("router interface 10.0.5.254/24, fd00:5::fe/64 as port 3\n", lab.Describe());
    }

    [Fact]
    public void The_switches_vlans_example_parses_to_its_access_ports_and_trunks()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- switches vlans example -->", "hocon"));
        var lan = Assert.Single(lab.Switches);
        Assert.Equal([10, 20], lan.Vlans.ToArray());
        Assert.Equal(
            [PortVlan.Access(10), PortVlan.Access(10), PortVlan.Access(20), PortVlan.TrunkOf([10], native: 0), PortVlan.TrunkOf([10, 20], native: 1)],
            lan.PortVlans.ToArray());
        Assert.Contains("switch lan1 [tap-r1 vlan 10, tap-r2 vlan 10, tap-r3 vlan 20, tap-r4 trunk 10, east trunk 10,20 native 1], vlans 10,20,", lab.Describe());
    }

    [Fact]
    public void The_control_plane_example_mirrors_its_tun_and_its_tap()
    {
        var lab = Lab.Valid(FencedBlockAfter("<!-- control-plane example -->", "hocon"));
        Assert.Equal(new ControlPlaneSpec("rtr"), lab.ControlPlane);
        Assert.Contains("control-plane interface tun-a (tun) in rtr with 10.0.1.254/24\n", lab.Describe());
        Assert.Contains("control-plane interface tap-b (tap) in rtr with 10.0.2.254/24, mac ca:5c:b2:2e:31:d6\n", lab.Describe());
    }

    [Fact]
    public void The_default_lab_in_config_hocon_parses_with_its_controller_link()
    {
        var result = TopologyParser.ParseFile(Path.Combine(RepositoryRoot(), "config.hocon"));
        Assert.Empty(result.ErrorLines);
        var lab = result.Topology!;
        Assert.Equal(3, lab.Devices.Length);
        var controller = Assert.Single(lab.Peers);
        Assert.Equal(PeerRole.Controller, controller.Role);
        Assert.Contains(lab.Routes, r => r.Via == controller.Name);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Engine.sln")))
                return directory.FullName;
        throw new InvalidOperationException("Engine.sln not found above " + AppContext.BaseDirectory);
    }
}
