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
/// adjacency reaches FULL, and each host pings the others' loopbacks over the learned routes.
/// </summary>
[Collection("engine")]
public sealed class FrrSwitchTests(ITestOutputHelper output)
{
    private static readonly int[] Nodes = [1, 2, 3];

    [IntegrationFact]
    public void Ospf_elects_a_dr_and_a_bdr_and_all_adjacencies_are_full_between_three_frr_hosts_on_one_switch()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
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
                Nodes.All(node => Nodes.Where(far => far != node).All(far => KernelRoutes(lab.Namespace($"s{node}"), Loopback(far), lab.Device($"s{node}")))));
            AssertPing(output, lab.Namespace("s1"), Loopback(2), source: Loopback(1));
            AssertPing(output, lab.Namespace("s2"), Loopback(3), source: Loopback(2));
            AssertPing(output, lab.Namespace("s3"), Loopback(1), source: Loopback(3));
            Assert.DoesNotMatch("(not-routable|storm|no-buffer)=", engine.Log);
        }
        finally
        {
            foreach (var host in hosts)
            {
                output.WriteLine(host.Logs());
                host.Dispose();
            }
            output.WriteLine("--- engine\n" + engine.Log);
        }
    }

    private static string Loopback(int node) => $"10.79.255.{node}";

    private static string Config(TestLab lab) => $$"""
        engine {
          counters-interval = 1s
          devices = [
            {{string.Join("\n    ", Nodes.Select(n => $"{{ name = {lab.Device($"s{n}")}, type = tap, namespace = {lab.Namespace($"s{n}")}, address = \"10.79.0.{n}/24\" }}"))}}
          ]
          switches = [ { name = lan, ports = [{{string.Join(", ", Nodes.Select(n => lab.Device($"s{n}")))}}] } ]
        }
        """;

    /// <summary>A loopback to advertise, then zebra and ospfd, the tap a broadcast network.</summary>
    private static void StartOspf(TestLab lab, FrrHost host, int node)
    {
        var ns = host.Namespace;
        foreach (var command in new[] { "ip link set lo up", $"ip addr add {Loopback(node)}/32 dev lo" })
            Assert.Equal(0, Shell.InNamespace(ns, command).ExitCode);
        host.Start("zebra", $"hostname s{node}\n");
        host.Start("ospfd", $"""
            hostname s{node}
            interface {lab.Device($"s{node}")}
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
