using System.Text.Json.Nodes;
using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Three FRR hosts on taps of one switch of one engine see one broadcast segment: they resolve
/// each other by ARP through it, OSPFv2 (broadcast network type) elects a DR and a BDR and every
/// adjacency reaches FULL, and each host pings the others' loopbacks over the learned routes;
/// the same when the switch spans two engines, the link between them a member on each side, and
/// when that link is an 802.1Q trunk and the segment is VLAN 10, beside a host in VLAN 20.
/// </summary>
[Collection("engine")]
public sealed class FrrSwitchTests(ITestOutputHelper output)
{
    private static readonly int[] Nodes = [1, 2, 3];

    [IntegrationFact]
    public void Ospf_elects_a_dr_and_a_bdr_and_all_adjacencies_are_full_between_three_frr_hosts_on_one_switch()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, Nodes, link: null));
        AssertOneSegment(lab, () => engine.Log);
    }

    [IntegrationFact]
    public void The_same_with_the_switch_spanning_two_engines_over_a_length16_link()
    {
        using var lab = new TestLab();
        var (one, two) = WireLabs.Links(lab, "tcp", "length16");
        using var engine1 = EngineProcess.Start(Config(lab, [1, 2], one));
        using var engine2 = EngineProcess.Start(Config(lab, [3], two));
        engine1.WaitForLog("peer far up", TimeSpan.FromSeconds(15));
        engine2.WaitForLog("peer far up", TimeSpan.FromSeconds(15));
        AssertOneSegment(lab, () => "--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log);
    }

    [IntegrationFact]
    public void The_same_in_vlan_10_across_two_engines_whose_link_is_a_trunk_while_a_fourth_host_in_vlan_20_sees_none_of_it()
    {
        using var lab = new TestLab();
        var (one, two) = WireLabs.Links(lab, "tcp", "length16");
        using var engine1 = EngineProcess.Start(Config(lab, [1, 2], one, vlans: true));
        using var engine2 = EngineProcess.Start(Config(lab, [3, 4], two, vlans: true));
        engine1.WaitForLog("peer far up", TimeSpan.FromSeconds(15));
        engine2.WaitForLog("peer far up", TimeSpan.FromSeconds(15));
        using var outsider = new FrrHost(lab.Namespace("s4"), $"/tmp/et{lab.Id}-frr4");
        try
        {
            // s4 shares the subnet and would win the DR election (priority 4), were it in VLAN 10.
            StartOspf(lab, outsider, 4);
            AssertOneSegment(lab, () => "--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log);
            Assert.Empty(NeighborStates(outsider.Json("show ip ospf neighbor json")));
            Assert.NotEqual(0, Shell.InNamespace(lab.Namespace("s4"), "ping -n -c 2 -i 0.2 -W 1 10.79.0.3").ExitCode);
        }
        finally
        {
            output.WriteLine(outsider.Logs());
        }
    }

    /// <summary>Hosts s1, s2 and s3 resolve each other, form OSPF adjacencies with a DR and a BDR, and reach each other's loopbacks.</summary>
    private void AssertOneSegment(TestLab lab, Func<string> engineLogs)
    {
        var hosts = new List<FrrHost>();
        try
        {
            AssertPing(output, lab.Namespace("s1"), "10.79.0.2");
            AssertPing(output, lab.Namespace("s3"), "10.79.0.1");
            foreach (var node in Nodes)
            {
                var host = new FrrHost(lab.Namespace($"s{node}"), $"/tmp/et{lab.Id}-frr{node}");
                hosts.Add(host);
                StartOspf(lab, host, node);
            }

            Eventually(output, "every host FULL with both others, a DR and a BDR elected", () =>
            {
                var states = hosts.Select(h => NeighborStates(h.Json("show ip ospf neighbor json"))).ToList();
                return states.All(s => s.Count == 2 && s.All(state => state.StartsWith("Full", StringComparison.Ordinal)))
                    && states.SelectMany(s => s).Contains("Full/DR")
                    && states.SelectMany(s => s).Contains("Full/Backup");
            });
            Eventually(output, "each host routes the others' loopbacks", () =>
                Nodes.All(node => Nodes.Where(far => far != node).All(far => KernelRoutes(lab.Namespace($"s{node}"), Loopback(far), Interface(lab, node)))));
            AssertPing(output, lab.Namespace("s1"), Loopback(2), source: Loopback(1));
            AssertPing(output, lab.Namespace("s2"), Loopback(3), source: Loopback(2));
            AssertPing(output, lab.Namespace("s3"), Loopback(1), source: Loopback(3));
            Assert.DoesNotMatch("(not-routable|storm|no-buffer|too-big)=", engineLogs());
        }
        finally
        {
            foreach (var host in hosts)
            {
                output.WriteLine(host.Logs());
                host.Dispose();
            }
            output.WriteLine(engineLogs());
        }
    }

    private static string Loopback(int node) => $"10.79.255.{node}";

    /// <summary>Where host <paramref name="node"/> has its address and runs OSPF: its tap.</summary>
    private static string Interface(TestLab lab, int node) => lab.Device($"s{node}");

    /// <summary>
    /// One engine with hosts <paramref name="nodes"/> on taps of switch lan, and the link to the
    /// other engine in it when given. With <paramref name="vlans"/>, s4 is an access port of VLAN
    /// 20, the others of VLAN 10, and the link a trunk of both.
    /// </summary>
    private string Config(TestLab lab, int[] nodes, string? link, bool vlans = false)
    {
        string Role(int n) => n == 4 ? "vlan = 20" : "vlan = 10";
        string Address(int n) => $", address = \"10.79.0.{n}/24\"";
        var ports = vlans
            ? nodes.Select(n => $"{{ port = {lab.Device($"s{n}")}, {Role(n)} }}").Concat(link is null ? [] : ["{ port = far, trunk = [10, 20] }"])
            : nodes.Select(n => lab.Device($"s{n}")).Concat(link is null ? [] : ["far"]);
        return $$"""
            engine {
              node-name = sw{{nodes[0]}}
              counters-interval = 1s
              devices = [
                {{string.Join("\n    ", nodes.Select(n => $"{{ name = {lab.Device($"s{n}")}, type = tap, namespace = {lab.Namespace($"s{n}")}{Address(n)} }}"))}}
              ]
              {{(link is null ? "" : $"peers = [ {link} ]")}}
              switches = [ { name = lan, {{(vlans ? "vlans = [10, 20], " : "")}}ports = [{{string.Join(", ", ports)}}] } ]
            }
            """;
    }

    /// <summary>A loopback to advertise, then zebra and ospfd, the tap a broadcast network.</summary>
    private void StartOspf(TestLab lab, FrrHost host, int node)
    {
        var ns = host.Namespace;
        foreach (var command in new[] { "ip link set lo up", $"ip addr add {Loopback(node)}/32 dev lo" })
            Assert.Equal(0, Shell.InNamespace(ns, command).ExitCode);
        host.Start("zebra", $"hostname s{node}\n");
        host.Start("ospfd", $"""
            hostname s{node}
            interface {Interface(lab, node)}
             ip ospf network broadcast
             ip ospf priority {node}
             ip ospf hello-interval 1
             ip ospf dead-interval 4
            router ospf
             ospf router-id {Loopback(node)}
             network 10.79.0.0/24 area 0
             network {Loopback(node)}/32 area 0
            """);
    }

    /// <summary>Each neighbour's state in <c>show ip ospf neighbor json</c>: "Full/DR", "Full/Backup", "Full/DROther", ...</summary>
    private static List<string> NeighborStates(JsonNode? answer)
    {
        var states = new List<string>();
        if (answer?["neighbors"] is not JsonObject neighbors)
            return states;
        foreach (var (_, entries) in neighbors)
            foreach (var entry in entries as JsonArray ?? [])
                if ((entry?["state"] ?? entry?["nbrState"]) is JsonValue value && value.TryGetValue<string>(out var state))
                    states.Add(state);
        return states;
    }
}
