using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Two engines, each with an FRR host on a tun wired to the link between them, as two
/// simpletuns join two routing daemons: zebra, ospfd, ospf6d and ripd in each host namespace
/// see one point-to-point link. OSPFv2 and OSPFv3 reach FULL, RIPv2 learns the far loopback, the
/// kernel routes each host's traffic to the other's loopback, and ping crosses them, over each
/// framing and transport a wire can use.
/// </summary>
[Collection("engine")]
public sealed class FrrWireTests(ITestOutputHelper output)
{
    [IntegrationTheory]
    [InlineData("tcp", "length16")]
    [InlineData("udp", "datagram")]
    [InlineData("tcp", "engine")]
    [InlineData("udp", "engine")]
    [InlineData("unix", "engine")]
    public void Ospf_ospfv3_and_rip_between_two_frr_hosts_wired_over_a_link(string transport, string framing)
    {
        using var lab = new TestLab();
        using var pair = new WiredFrrPair(lab, output, "r", (node, link) => Node(lab, node, link), transport, framing);
        var (host1, host2) = (pair.Host1, pair.Host2);
        StartRouter(lab, host1, 1);
        StartRouter(lab, host2, 2);

        PointToPointOspf.AssertFullOnBoth(output, host1, host2);
        Eventually(output, "RIPv2 routes to the far loopbacks", () =>
            HasRoute(host1, "show ip route rip json", $"{Loopback(2)}/32") && HasRoute(host2, "show ip route rip json", $"{Loopback(1)}/32"));
        Eventually(output, "the far loopbacks in the kernel routes", () =>
            pair.KernelRoutesToEachOther(Loopback, LoopbackV6));

        AssertPing(output, lab.Namespace("r1"), Loopback(2), source: Loopback(1));
        AssertPing(output, lab.Namespace("r2"), LoopbackV6(1), source: LoopbackV6(2));
        Assert.DoesNotMatch("not-routable=", pair.EngineLogs);
    }

    private static string Loopback(int node) => $"10.77.255.{node}";
    private static string LoopbackV6(int node) => $"fd77:255::{node}";

    private static string Node(TestLab lab, int node, string link) =>
        WireLabs.Node(lab, node, $"r{node}", "tun", $"[\"10.77.12.{node}/24\", \"fd77:12::{node}/64\"]", link);

    /// <summary>A loopback address for the daemons to advertise, then zebra, ospfd, ospf6d and ripd.</summary>
    private static void StartRouter(TestLab lab, FrrHost host, int node)
    {
        var tun = lab.Device($"r{node}");
        WireLabs.AddLoopback(host.Namespace, Loopback(node), LoopbackV6(node));
        var routerId = Loopback(node);
        host.Start("zebra", $"hostname r{node}\n");
        PointToPointOspf.Start(host, $"r{node}", tun, "10.77.12.0/24", routerId);
        host.Start("ripd", """
            router rip
             version 2
             timers basic 5 15 10
             network 10.77.0.0/16
             redistribute connected
            """);
    }
}
