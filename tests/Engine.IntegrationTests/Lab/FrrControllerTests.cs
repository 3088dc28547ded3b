using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The case the engine was built for: FRR host A on a tun of one engine, FRR host B on a tun of
/// another, and between them nothing but a controller. Each engine's rule punts its host's OSPF
/// packets to the controller, tagged with the host's port; the controller (a small test program)
/// injects each one out of the other engine's host port, unchanged. OSPFv2 and OSPFv3 reach FULL
/// through it, and each host learns the other's loopback.
/// </summary>
[Collection("engine")]
public sealed class FrrControllerTests(ITestOutputHelper output)
{
    private const string Key = "relay-shared-secret-0001";

    [IntegrationFact]
    public void Ospf_reaches_full_between_two_engines_through_a_controller_that_relays_punted_packets()
    {
        using var lab = new TestLab();
        var ports = (MeshConfigs.FreePort(), MeshConfigs.FreePort());
        using var engine1 = EngineProcess.Start(Node(lab, 1, ports.Item1));
        using var engine2 = EngineProcess.Start(Node(lab, 2, ports.Item2));
        using var relay = new Background("python3", $"-u {Script} --a 127.0.0.1:{ports.Item1} --b 127.0.0.1:{ports.Item2} " +
            $"--a-port {lab.Device("c1")} --b-port {lab.Device("c2")} --key {Key}");
        using var host1 = new FrrHost(lab.Namespace("c1"), $"/tmp/et{lab.Id}-frr1");
        using var host2 = new FrrHost(lab.Namespace("c2"), $"/tmp/et{lab.Id}-frr2");
        try
        {
            Assert.True(relay.WaitForOutput("up a", TimeSpan.FromSeconds(20)) && relay.WaitForOutput("up b", TimeSpan.FromSeconds(5)), relay.Output);
            StartOspf(lab, host1, 1);
            StartOspf(lab, host2, 2);

            PointToPointOspf.AssertFullOnBoth(output, host1, host2);
            PointToPointOspf.AssertLoopbacksLearned(output, (host1, lab.Device("c1"), Loopback(1)), (host2, lab.Device("c2"), Loopback(2)));

            Assert.DoesNotContain("refused", relay.Output);
            Assert.Matches(@"relayed a->b [1-9]\d* b->a [1-9]", relay.Output);
        }
        finally
        {
            output.WriteLine(host1.Logs() + host2.Logs());
            output.WriteLine("--- relay\n" + relay.Output + "--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log);
        }
    }

    private static string Script => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/relay_controller.py");

    private static string Loopback(int node) => $"10.76.255.{node}";
    private static string LoopbackV6(int node) => $"fd76:255::{node}";

    /// <summary>Engine <paramref name="node"/>: host c{node} on a tun; its OSPF packets go to the controller, nothing is routed.</summary>
    private static string Node(TestLab lab, int node, int controllerPort) => $$"""
        engine {
          node-name = relay{{node}}
          counters-interval = 1s
          devices = [
            { name = {{lab.Device($"c{node}")}}, type = tun, namespace = {{lab.Namespace($"c{node}")}}, address = ["10.76.12.{{node}}/24", "fd76:12::{{node}}/64"] }
          ]
          peers = [
            { name = ctl, role = controller, transport = tcp, listen = "127.0.0.1:{{controllerPort}}", framing = engine, key = "{{Key}}" }
          ]
          rules = [
            { match = { in-port = {{lab.Device($"c{node}")}}, ip-proto = ospf }, action = controller }
          ]
        }
        """;

    private static void StartOspf(TestLab lab, FrrHost host, int node)
    {
        var tun = lab.Device($"c{node}");
        WireLabs.AddLoopback(host.Namespace, Loopback(node), LoopbackV6(node));
        host.Start("zebra", $"hostname c{node}\n");
        PointToPointOspf.Start(host, $"c{node}", tun, "10.76.12.0/24", Loopback(node));
    }
}
