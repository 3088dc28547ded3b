using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A lab-file ECMP route (via = [h2, h3]) to an address both hosts hold on their loopback: UDP
/// flows from h1, told apart by their source ports, reach both hosts, counted on each host's tun.
/// </summary>
[Collection("engine")]
public sealed class EcmpLabTests(ITestOutputHelper output)
{
    private const int Subnet = 94;

    [IntegrationFact]
    public void Flows_to_an_ecmp_route_reach_both_next_hops()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
        try
        {
            for (var host = 2; host <= 3; host++)
            {
                Shell.MustRunIn(lab.Namespace($"h{host}"), "ip link set lo up");
                Shell.MustRunIn(lab.Namespace($"h{host}"), $"ip address add 10.{Subnet}.50.1/32 dev lo");
            }
            var before = new[] { Received(lab, 2), Received(lab, 3) };
            var send = UdpFlows.Send(lab.Namespace("h1"), $"10.{Subnet}.50.1", 64);
            Assert.True(send.ExitCode == 0, send.All);
            var h2 = Received(lab, 2) - before[0];
            var h3 = Received(lab, 3) - before[1];
            output.WriteLine($"h2 received {h2}, h3 received {h3}");
            Assert.True(h2 > 0 && h3 > 0, $"flows reached h2 {h2} times and h3 {h3} times");
            Assert.True(h2 + h3 >= 64, $"only {h2 + h3} of 64 datagrams arrived");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    /// <summary>Hosts h1, h2, h3 on tuns; 10.S.50.0/24 via both h2 and h3.</summary>
    private static string Config(TestLab lab)
    {
        var hosts = LabConfigs.Hosts(lab, 3, Subnet);
        var devices = hosts[..hosts.IndexOf("  routes = [", StringComparison.Ordinal)];
        return devices + $$"""
              routes = [ { prefix = "10.{{Subnet}}.50.0/24", via = ["10.{{Subnet}}.2.1", "10.{{Subnet}}.3.1"] } ]
            }

            """;
    }

    private static long Received(TestLab lab, int host) => UdpFlows.Received(lab.Namespace($"h{host}"), lab.Device($"h{host}"));
}
