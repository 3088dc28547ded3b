using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// The seed's case with a real controller: FRR host A on a tun of one engine, FRR host B on a
/// tun of another, and between them an os-ken app (Scripts/osken_ospf_relay.py) that both
/// engines dial as OpenFlow switches. Each engine's flow sends its host's OSPF to the app as
/// PACKET_IN; the app sends it out of the other engine's host port with PACKET_OUT. OSPFv2 and
/// OSPFv3 (hello 1 s, dead 4 s) reach FULL through it, and each host learns the other's loopback.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowOspfRelayTests(ITestOutputHelper output)
{
    private static string App => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/osken_ospf_relay.py");

    [IntegrationFact]
    public void Ospf_reaches_full_between_two_engines_through_an_os_ken_app_relaying_packet_ins_as_packet_outs()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var app = new Background("/usr/bin/python3", $"-u -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port {port} {App}");
        using var engine1 = EngineProcess.Start(Node(lab, 1, port));
        using var engine2 = EngineProcess.Start(Node(lab, 2, port));
        using var host1 = new FrrHost(lab.Namespace("o1"), $"/tmp/et{lab.Id}-ofrr1");
        using var host2 = new FrrHost(lab.Namespace("o2"), $"/tmp/et{lab.Id}-ofrr2");
        try
        {
            Assert.True(app.WaitForOutput("up 1", TimeSpan.FromSeconds(30)) && app.WaitForOutput("up 2", TimeSpan.FromSeconds(10)), app.Output);
            StartOspf(lab, host1, 1);
            StartOspf(lab, host2, 2);

            PointToPointOspf.AssertFullOnBoth(output, host1, host2);
            PointToPointOspf.AssertLoopbacksLearned(output, (host1, lab.Device("o1"), Loopback(1)), (host2, lab.Device("o2"), Loopback(2)));
            Assert.Matches(@"relayed 1->2 [1-9]\d* 2->1 [1-9]", app.Output);
        }
        finally
        {
            output.WriteLine(host1.Logs() + host2.Logs());
            output.WriteLine("--- app\n" + app.Output + "--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log);
        }
    }

    private static string Loopback(int node) => $"10.88.255.{node}";
    private static string LoopbackV6(int node) => $"fd88:255::{node}";

    /// <summary>Engine <paramref name="node"/>: host o{node} on a tun, port 1 of datapath {node}; secure, so only the app's flows carry anything.</summary>
    private static string Node(TestLab lab, int node, int controllerPort) => $$"""
        engine {
          node-name = ofrelay{{node}}
          counters-interval = 1s
          devices = [
            { name = {{lab.Device($"o{node}")}}, type = tun, namespace = {{lab.Namespace($"o{node}")}}, address = ["10.88.12.{{node}}/24", "fd88:12::{{node}}/64"] }
          ]
          openflow { controllers = ["tcp:127.0.0.1:{{controllerPort}}"], datapath-id = "000000000000000{{node}}", fail-mode = secure }
        }
        """;

    private static void StartOspf(TestLab lab, FrrHost host, int node)
    {
        var tun = lab.Device($"o{node}");
        WireLabs.AddLoopback(host.Namespace, Loopback(node), LoopbackV6(node));
        host.Start("zebra", $"hostname o{node}\n");
        PointToPointOspf.Start(host, $"o{node}", tun, "10.88.12.0/24", Loopback(node));
    }
}
