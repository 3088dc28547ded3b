using System.Text.Json.Nodes;
using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Two engines, each with an FRR host on a tap wired over <c>length16</c>, as two
/// <c>simpletun -a</c> join two hosts on one Ethernet segment: ARP and neighbour discovery run
/// between the hosts themselves (the engines answer nothing), and IS-IS, whose frames are LLC,
/// not IP, forms its adjacency and installs the far loopback. TCP between the hosts crosses as
/// Ethernet frames cut from the taps' super-frames.
/// </summary>
[Collection("engine")]
public sealed class FrrTapWireTests(ITestOutputHelper output)
{
    [IntegrationFact]
    public void Arp_nd_and_isis_between_two_frr_hosts_on_taps_wired_over_length16()
    {
        using var lab = new TestLab();
        using var pair = new WiredFrrPair(lab, output, "t", (node, link) => Node(lab, node, link), "tcp", "length16");
        var (host1, host2) = (pair.Host1, pair.Host2);

        // The hosts resolve each other: the answers carry the far tap's own MAC.
        AssertPing(output, lab.Namespace("t1"), "10.78.12.2");
        AssertPing(output, lab.Namespace("t1"), "fd78:12::2");
        var far = Mac(lab, 2);
        Assert.Equal(far, Neighbor(lab, 1, "10.78.12.2"));
        Assert.Equal(far, Neighbor(lab, 1, "fd78:12::2"));
        // The taps hand over super-frames; the link takes whole Ethernet frames only, so each is
        // cut into segments that keep its Ethernet header.
        var (bytes, _) = Iperf3.Tcp(lab.Namespace("t1"), lab.Namespace("t2"), "10.78.12.2", seconds: 2);
        Assert.True(bytes > 0, "iperf3 moved nothing");

        StartIsis(lab, host1, 1);
        StartIsis(lab, host2, 2);
        Eventually(output, "IS-IS adjacencies Up on both hosts", () =>
            HasNeighborIn(host1, "show isis neighbor json", "Up") && HasNeighborIn(host2, "show isis neighbor json", "Up"));
        // isisd's first LSPs go out before zebra has told it the addresses; the next ones, which
        // carry them, may take half a minute.
        Eventually(output, "IS-IS routes to the far loopbacks in the kernel", () =>
            pair.KernelRoutesToEachOther(Loopback, LoopbackV6));
        Assert.True(HasRoute(host1, "show ip route isis json", $"{Loopback(2)}/32"), host1.Vtysh("show ip route"));
        AssertPing(output, lab.Namespace("t1"), Loopback(2), source: Loopback(1));
        AssertPing(output, lab.Namespace("t2"), LoopbackV6(1), source: LoopbackV6(2));
        Assert.DoesNotMatch("(unsupported|not-routable|too-big)=", pair.EngineLogs);
    }

    private static string Loopback(int node) => $"10.78.255.{node}";
    private static string LoopbackV6(int node) => $"fd78:255::{node}";

    private static string Node(TestLab lab, int node, string link) =>
        WireLabs.Node(lab, node, $"t{node}", "tap", $"[\"10.78.12.{node}/24\", \"fd78:12::{node}/64\"]", link);

    private static string? Mac(TestLab lab, int node)
    {
        var link = Shell.InNamespace(lab.Namespace($"t{node}"), $"ip -j link show dev {lab.Device($"t{node}")}").Output;
        return JsonNode.Parse(link)?[0]?["address"]?.GetValue<string>();
    }

    private static string? Neighbor(TestLab lab, int node, string address)
    {
        var family = address.Contains(':') ? "-6" : "-4";
        var neighbors = Shell.InNamespace(lab.Namespace($"t{node}"), $"ip {family} -j neigh show {address} dev {lab.Device($"t{node}")}").Output;
        return JsonNode.Parse(neighbors) is JsonArray { Count: > 0 } list ? list[0]?["lladdr"]?.GetValue<string>() : null;
    }

    /// <summary>A loopback address to advertise, then zebra and isisd, the wire a point-to-point circuit.</summary>
    private static void StartIsis(TestLab lab, FrrHost host, int node)
    {
        WireLabs.AddLoopback(host.Namespace, Loopback(node), LoopbackV6(node));
        host.Start("zebra", $"hostname t{node}\n");
        host.Start("isisd", $"""
            hostname t{node}
            interface {lab.Device($"t{node}")}
             ip router isis lab
             ipv6 router isis lab
             isis network point-to-point
             isis hello-interval 1
             isis hello-multiplier 4
            interface lo
             ip router isis lab
             ipv6 router isis lab
             isis passive
            router isis lab
             net 49.0001.0000.0000.000{node}.00
             is-type level-2-only
             lsp-gen-interval 1
             spf-interval 1
            """);
    }
}
