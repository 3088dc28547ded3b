using System.Text.Json;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A multipath route through real hosts: h2 (tun) and h3 (tap) both hold 10.S.50.1 and
/// fdS:50::1 (an anycast service), and the lab routes those prefixes via both. Many UDP flows
/// from h1 reach both hosts, ping is answered through the route, and each flow stays on one
/// path.
/// </summary>
[Collection("engine")]
public sealed class MultipathLabTests(ITestOutputHelper output)
{
    private const int Subnet = 72;
    private const int Flows = 64;

    [IntegrationFact]
    public void Flows_to_a_multipath_route_are_spread_over_both_next_hops_and_each_keeps_to_one()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab));
        try
        {
            foreach (var host in new[] { "h2", "h3" })
            {
                RunIn(lab.Namespace(host), $"ip address add 10.{Subnet}.50.1/32 dev lo");
                RunIn(lab.Namespace(host), $"ip address add fd{Subnet:x2}:50::1/128 dev lo");
            }
            AssertPing(lab.Namespace("h1"), $"10.{Subnet}.50.1");
            AssertPing(lab.Namespace("h1"), $"fd{Subnet:x2}:50::1");

            foreach (var destination in new[] { $"10.{Subnet}.50.1", $"fd{Subnet:x2}:50::1" })
            {
                var before = (Received(lab, "h2"), Received(lab, "h3"));
                SendFlows(lab.Namespace("h1"), destination, rounds: 1);
                var once = (Received(lab, "h2") - before.Item1, Received(lab, "h3") - before.Item2);
                output.WriteLine($"{destination}: {Flows} flows once: h2 got {once.Item1}, h3 got {once.Item2}");
                Assert.True(once.Item1 >= Flows / 8, $"h2 got only {once.Item1} of {Flows} flows");
                Assert.True(once.Item2 >= Flows / 8, $"h3 got only {once.Item2} of {Flows} flows");

                // The same flows three more times: each goes where it went, so the split is the same.
                var second = (Received(lab, "h2"), Received(lab, "h3"));
                SendFlows(lab.Namespace("h1"), destination, rounds: 3);
                var again = (Received(lab, "h2") - second.Item1, Received(lab, "h3") - second.Item2);
                output.WriteLine($"{destination}: the same flows three times: h2 got {again.Item1}, h3 got {again.Item2}");
                Assert.Equal((3 * once.Item1, 3 * once.Item2), again);
            }
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    /// <summary>h1 (tun), h2 (tun), h3 (tap); the anycast prefixes via h2's and h3's addresses.</summary>
    private static string Config(TestLab lab)
    {
        var hosts = LabConfigs.Hosts(lab, 3, Subnet, type: host => host == 3 ? "tap" : "tun");
        var devices = hosts[..hosts.IndexOf("  routes = [", StringComparison.Ordinal)];
        return devices + $$"""
              routes = [
                { prefix = "10.{{Subnet}}.50.0/24", via = ["10.{{Subnet}}.2.1", "10.{{Subnet}}.3.1"] }
                { prefix = "fd{{Subnet:x2}}:50::/64", via = ["fd{{Subnet:x2}}:2::1", "fd{{Subnet:x2}}:3::1"] }
              ]
            }

            """;
    }

    /// <summary>One UDP datagram from each of <see cref="Flows"/> source ports, <paramref name="rounds"/> times over, to a port nobody listens on.</summary>
    private void SendFlows(string ns, string destination, int rounds)
    {
        var family = destination.Contains(':') ? "AF_INET6" : "AF_INET";
        var script = $"""
            import socket, time
            socks = []
            for port in range(41000, 41000 + {Flows}):
                s = socket.socket(socket.{family}, socket.SOCK_DGRAM)
                s.bind(("", port))
                socks.append(s)
            for _ in range({rounds}):
                for s in socks:
                    s.sendto(b"flow", ("{destination}", 9))
                    time.sleep(0.002)
            """;
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, script);
            var result = Shell.InNamespace(ns, $"python3 {file}");
            Assert.True(result.ExitCode == 0, result.All);
        }
        finally
        {
            File.Delete(file);
        }
        // The last datagrams reach the hosts' counters before anyone reads them.
        Thread.Sleep(300);
    }

    /// <summary>The UDP datagrams a host has received to a closed port (its "no ports" counter, both families).</summary>
    private static long Received(TestLab lab, string host)
    {
        var result = Shell.InNamespace(lab.Namespace(host), "nstat -az --json Udp6NoPorts UdpNoPorts");
        Assert.True(result.ExitCode == 0, result.All);
        using var json = JsonDocument.Parse(result.Output);
        var counters = json.RootElement.GetProperty("kernel");
        return counters.GetProperty("UdpNoPorts").GetInt64() + counters.GetProperty("Udp6NoPorts").GetInt64();
    }

    private void RunIn(string ns, string command)
    {
        var result = Shell.InNamespace(ns, command);
        Assert.True(result.ExitCode == 0, $"{command} in {ns} failed:\n{result.All}");
    }

    private void AssertPing(string ns, string address) => Pings.AssertAnswered(output, ns, address);
}
