using System.Text.Json.Nodes;
using Engine.Actors.Wire;
using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The control-plane namespace: the engine mirrors its routed tun and tap there as interfaces of
/// the same names with its gateway addresses (the tap's with the engine's MAC), FRR run there is
/// the router on both links (OSPFv2 and OSPFv3 FULL with a host's FRR on each, eBGP Established
/// with each host's bgpd, all TTL 1), the hosts' pings to their gateway are still answered by
/// the engine, the control plane's own pings reach the hosts, and the namespace is gone once the
/// engine stops. A routed peer's mirror, given an address by the daemon, carries OSPF to the far end
/// of the link (socat's TUN-to-UDP).
/// </summary>
[Collection("engine")]
public sealed class ControlPlaneTests(ITestOutputHelper output)
{
    private const string LoopbackA = "10.82.255.1";
    private const string LoopbackB = "10.82.255.2";
    private const string RouterId = "10.82.255.254";

    [IntegrationFact]
    public void Frr_in_the_control_plane_namespace_is_the_router_for_a_tun_host_and_a_tap_host()
    {
        using var lab = new TestLab();
        var plane = lab.Namespace("rtr");
        var engine = EngineProcess.Start(Config(lab));
        var hosts = new List<FrrHost>();
        try
        {
            AssertMirrors(lab, plane);
            AssertPing(output, lab.Namespace("a"), "10.82.1.254");
            AssertPing(output, lab.Namespace("b"), "10.82.2.254");
            AssertPing(output, lab.Namespace("b"), "fd00:82:2::fe");
            // The tap host's kernel learned the gateway's MAC from the engine's answer: the mirror's is the same.
            Assert.Contains(MacAddress.LocallyAdministered(lab.Device("b")).ToString(),
                Shell.InNamespace(lab.Namespace("b"), "ip -j neigh show 10.82.2.254").Output, StringComparison.OrdinalIgnoreCase);

            var router = new FrrHost(plane, $"/tmp/et{lab.Id}-frr-rtr");
            hosts.Add(router);
            var hostA = new FrrHost(lab.Namespace("a"), $"/tmp/et{lab.Id}-frr-a");
            hosts.Add(hostA);
            var hostB = new FrrHost(lab.Namespace("b"), $"/tmp/et{lab.Id}-frr-b");
            hosts.Add(hostB);
            StartRouter(lab, router);
            StartHost(hostA, "a", lab.Device("a"), "point-to-point", "10.82.1.0/24", LoopbackA);
            StartHost(hostB, "b", lab.Device("b"), "broadcast", "10.82.2.0/24", LoopbackB);
            Ebgp.Start(hostA, "a", 65001, LoopbackA, [new("10.82.1.254", Ebgp.RouterAs)]);
            Ebgp.Start(hostB, "b", 65002, LoopbackB, [new("10.82.2.254", Ebgp.RouterAs)]);

            Eventually(output, "OSPFv2 FULL with both hosts in the control plane, and on each host", () =>
                FullNeighbors(router.Json("show ip ospf neighbor json")) == 2
                && HasNeighborIn(hostA, "show ip ospf neighbor json", "Full") && HasNeighborIn(hostB, "show ip ospf neighbor json", "Full"));
            Eventually(output, "OSPFv3 FULL with both hosts in the control plane, and on each host", () =>
                FullNeighbors(router.Json("show ipv6 ospf6 neighbor json")) == 2
                && HasNeighborIn(hostA, "show ipv6 ospf6 neighbor json", "Full") && HasNeighborIn(hostB, "show ipv6 ospf6 neighbor json", "Full"));
            Eventually(output, "eBGP Established between the control plane and each host", () =>
                BgpEstablished(router, "10.82.1.1") && BgpEstablished(router, "10.82.2.1")
                && BgpEstablished(hostA, "10.82.1.254") && BgpEstablished(hostB, "10.82.2.254"));
            Eventually(output, "the control plane's zebra has both hosts' loopbacks from OSPF", () =>
                HasRoute(router, "show ip route ospf json", LoopbackA + "/32") && HasRoute(router, "show ip route ospf json", LoopbackB + "/32"));

            AssertPing(output, lab.Namespace("a"), "10.82.1.254");
            AssertPing(output, lab.Namespace("b"), "10.82.2.254");
            // The control plane's own pings leave through the ports, and the replies, to the engine's addresses, come back to it.
            AssertPing(output, plane, "10.82.1.1");
            AssertPing(output, plane, "10.82.2.1");
            AssertPing(output, plane, "fd00:82:2::1");
            Assert.DoesNotMatch("(not-routable|no-buffer|too-big|malformed)=", engine.Log);
        }
        finally
        {
            FrrTeardown.StopAll(output, hosts, engine);
        }
        Assert.DoesNotContain(plane, Shell.Namespaces());
    }

    [IntegrationFact]
    public void A_control_plane_namespace_that_existed_before_the_engine_is_left_behind()
    {
        using var lab = new TestLab();
        var plane = lab.Namespace("rtr");
        Assert.Equal(0, Shell.Run("ip", $"netns add {plane}").ExitCode);
        using (var engine = EngineProcess.Start(Config(lab)))
        {
            AssertMirrors(lab, plane);
            Assert.Equal(0, engine.Terminate());
        }
        Assert.Contains(plane, Shell.Namespaces());
        Assert.Equal("", Shell.InNamespace(plane, $"ip -br link show dev {lab.Device("a")}").Output);
    }

    [IntegrationFact]
    public void A_routed_peers_mirror_carries_ospf_between_the_control_plane_and_socats_tun_at_the_far_end()
    {
        using var lab = new TestLab();
        var plane = lab.Namespace("rtr");
        var far = lab.Namespace("s");
        Assert.Equal(0, Shell.Run("ip", $"netns add {far}").ExitCode);
        Assert.Equal(0, Shell.InNamespace(far, "ip link set lo up").ExitCode);
        const int farPort = 5101, enginePort = 5100;
        var engine = EngineProcess.Start($$"""
            engine {
              counters-interval = 1s
              devices = [ { name = {{lab.Device("a")}}, type = tun, namespace = {{lab.Namespace("a")}}, address = "10.82.1.1/24", gateway = "10.82.1.254" } ]
              peers = [ { name = far, role = quagga, transport = udp, framing = datagram, namespace = {{far}}, listen = "127.0.0.1:{{enginePort}}", connect = "127.0.0.1:{{farPort}}" } ]
              control-plane { namespace = {{plane}} }
            }
            """);
        var hosts = new List<FrrHost>();
        // socat's TUN-to-UDP is the far end of the peer link, as a remote routing host's relay would be.
        using var socat = Background.InNamespace(far,
            $"socat -d TUN:10.82.50.1/24,tun-type=tun,iff-no-pi,iff-up,tun-name={lab.Device("s")} UDP:127.0.0.1:{enginePort},bind=127.0.0.1:{farPort}");
        try
        {
            // The peer's mirror has no address of its own: the daemon gives it one, as zebra would.
            Assert.Equal("", GlobalAddressesOf(plane, "far"));
            Assert.Equal(0, Shell.InNamespace(plane, "ip addr add 10.82.50.254/24 dev far").ExitCode);
            var router = new FrrHost(plane, $"/tmp/et{lab.Id}-frr-rtr");
            hosts.Add(router);
            var remote = new FrrHost(far, $"/tmp/et{lab.Id}-frr-s");
            hosts.Add(remote);
            Assert.Equal(0, Shell.InNamespace(plane, "ip link set lo up").ExitCode);
            router.Start("zebra", "hostname rtr\n");
            PointToPointOspf.Start(router, "rtr", "far", "10.82.50.0/24", RouterId);
            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (Shell.InNamespace(far, $"ip link show {lab.Device("s")}").ExitCode != 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
            StartHost(remote, "s", lab.Device("s"), "point-to-point", "10.82.50.0/24", LoopbackA);

            Eventually(output, "OSPFv2 FULL over the peer link, on both sides", () =>
                FullNeighbors(router.Json("show ip ospf neighbor json")) == 1 && FullNeighbors(remote.Json("show ip ospf neighbor json")) == 1);
            Eventually(output, "the control plane's zebra has the far host's loopback from OSPF", () =>
                HasRoute(router, "show ip route ospf json", LoopbackA + "/32"));
        }
        finally
        {
            output.WriteLine(socat.Output);
            FrrTeardown.StopAll(output, hosts, engine);
        }
    }

    /// <summary>The global addresses of <paramref name="link"/> in <paramref name="ns"/>, as "ADDR/LEN" separated by spaces.</summary>
    private static string GlobalAddressesOf(string ns, string link) =>
        string.Join(" ", JsonNode.Parse(Shell.InNamespace(ns, $"ip -j addr show dev {link}").Output)!.AsArray().SelectMany(link => GlobalAddresses(link!)));

    /// <summary>Each routed port's interface in the control plane: its name, up, with the port's gateway addresses; the tap's with the engine's MAC.</summary>
    private void AssertMirrors(TestLab lab, string plane)
    {
        var text = Shell.InNamespace(plane, "ip -j addr").Output;
        output.WriteLine(text);
        var links = JsonNode.Parse(text)!.AsArray().ToDictionary(link => link!["ifname"]!.GetValue<string>(), link => link!);
        var tun = links[lab.Device("a")];
        var tap = links[lab.Device("b")];
        Assert.Equal(["10.82.1.254/24", "fd00:82:1::fe/64"], GlobalAddresses(tun));
        Assert.Equal(["10.82.2.254/24", "fd00:82:2::fe/64"], GlobalAddresses(tap));
        Assert.Contains("UP", tun["flags"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Contains("UP", tap["flags"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Equal("none", tun["link_type"]!.GetValue<string>());
        Assert.Equal("ether", tap["link_type"]!.GetValue<string>());
        Assert.Equal(MacAddress.LocallyAdministered(lab.Device("b")).ToString(), tap["address"]!.GetValue<string>(), ignoreCase: true);
    }

    private static string[] GlobalAddresses(JsonNode link) =>
        [.. link["addr_info"]!.AsArray()
            .Where(a => a!["scope"]!.GetValue<string>() == "global")
            .Select(a => $"{a!["local"]!.GetValue<string>()}/{a["prefixlen"]!.GetValue<int>()}")];

    /// <summary>zebra, ospfd on both mirrors (the tun point-to-point, the tap broadcast), ospf6d likewise, bgpd toward the tun host.</summary>
    private static void StartRouter(TestLab lab, FrrHost router)
    {
        Assert.Equal(0, Shell.InNamespace(router.Namespace, "ip link set lo up").ExitCode);
        router.Start("zebra", "hostname rtr\n");
        Ospfd.Start(router, "rtr", RouterId, [new(lab.Device("a")), new(lab.Device("b"), "broadcast")], ["10.82.1.0/24", "10.82.2.0/24"]);
        router.Start("ospf6d", $"""
            hostname rtr
            interface {lab.Device("a")}
             ipv6 ospf6 area 0
             ipv6 ospf6 network point-to-point
             ipv6 ospf6 hello-interval 1
             ipv6 ospf6 dead-interval 4
            interface {lab.Device("b")}
             ipv6 ospf6 area 0
             ipv6 ospf6 network broadcast
             ipv6 ospf6 hello-interval 1
             ipv6 ospf6 dead-interval 4
            router ospf6
             ospf6 router-id {RouterId}
            """);
        Ebgp.Start(router, "rtr", Ebgp.RouterAs, RouterId, [new("10.82.1.1", 65001), new("10.82.2.1", 65002)]);
    }

    /// <summary>A loopback to advertise, zebra, and ospfd and ospf6d on the host's one device with the suite's short timers.</summary>
    private static void StartHost(FrrHost host, string name, string device, string linkType, string subnet, string loopback)
    {
        foreach (var command in new[] { "ip link set lo up", $"ip addr add {loopback}/32 dev lo" })
            Assert.Equal(0, Shell.InNamespace(host.Namespace, command).ExitCode);
        host.Start("zebra", $"hostname {name}\n");
        PointToPointOspf.Start(host, name, device, subnet, loopback, linkType);
    }

    /// <summary>A tun host and a tap host, each with IPv4 and IPv6 and the engine as gateway, and the control plane.</summary>
    private static string Config(TestLab lab) => $$"""
        engine {
          counters-interval = 1s
          devices = [
            { name = {{lab.Device("a")}}, type = tun, namespace = {{lab.Namespace("a")}}, address = ["10.82.1.1/24", "fd00:82:1::1/64"], gateway = ["10.82.1.254", "fd00:82:1::fe"] }
            { name = {{lab.Device("b")}}, type = tap, namespace = {{lab.Namespace("b")}}, address = ["10.82.2.1/24", "fd00:82:2::1/64"], gateway = ["10.82.2.254", "fd00:82:2::fe"] }
          ]
          control-plane { namespace = {{lab.Namespace("rtr")}} }
        }
        """;
}
