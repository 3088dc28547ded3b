using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// zebra and staticd feed the engine's table over FPM, each module of the FRR package: static
/// routes through a next hop on a tun host, one on a tap host (ARP), one out of an interface by
/// name, a blackhole, and an ECMP route over both hosts whose flows reach each; a withdrawal stops the traffic; a killed zebra's routes stay through the
/// grace, a restarted zebra's resync takes them over, and without a restart they go when it ends.
/// </summary>
/// <remarks>
/// zebra installs a static route only when its next hop is reachable in its own namespace. Until
/// the lab's control-plane namespace gives zebra interfaces mirroring the ports, the test gives
/// zebra's namespace veth interfaces named as the lab's devices and carrying an address in each
/// host's subnet: the routes resolve there as they will on the mirrors, and the interface-only
/// route's index names a port.
/// </remarks>
[Collection("engine")]
public sealed class FpmLabTests(ITestOutputHelper output)
{
    private const int Subnet = 93;

    [IntegrationTheory]
    [InlineData("-M dplane_fpm_nl", "fpm address 127.0.0.1 port {0}")]
    [InlineData("-M dplane_fpm_nl", "fpm address 127.0.0.1 port {0}\nno fpm use-next-hop-groups")]
    [InlineData("-M fpm:netlink", "fpm connection ip 127.0.0.1 port {0}")]
    public void Zebra_programs_the_engine_over_fpm_and_its_routes_outlive_it_for_the_grace(string module, string fpmConfig)
    {
        using var lab = new TestLab();
        var port = 20000 + Random.Shared.Next(20000);
        var zebraNs = lab.Namespace("zebra");
        Shell.MustRun("ip", $"netns add {zebraNs}");
        using var engine = EngineProcess.Start(Config(lab, zebraNs, port));
        using var frr = new FrrHost(zebraNs, $"/tmp/engine-test-{lab.Id}-zebra");
        try
        {
            PrepareZebraNamespace(lab, zebraNs);
            AddLoopback(lab.Namespace("h2"), $"10.{Subnet}.20.1/32", $"10.{Subnet}.40.1/32", $"10.{Subnet}.50.1/32");
            AddLoopback(lab.Namespace("h3"), $"10.{Subnet}.30.1/32", $"10.{Subnet}.50.1/32");
            var zebraConfig = "hostname fpm-zebra\n" + string.Format(fpmConfig, port) + "\n";
            var staticRoutes = $"""
                ip route 10.{Subnet}.20.0/24 10.{Subnet}.2.1
                ip route 10.{Subnet}.30.0/24 10.{Subnet}.3.1
                ip route 10.{Subnet}.40.0/24 {lab.Device("h2")}
                ip route 10.{Subnet}.66.0/24 blackhole
                ip route 10.{Subnet}.50.0/24 10.{Subnet}.2.1
                ip route 10.{Subnet}.50.0/24 10.{Subnet}.3.1

                """;
            frr.Start("zebra", zebraConfig, module);
            frr.Start("staticd", staticRoutes);

            var h1 = lab.Namespace("h1");
            Eventually(output, "a route through the tun host", () => Pings(h1, $"10.{Subnet}.20.1"));
            Eventually(output, "a route through the tap host", () => Pings(h1, $"10.{Subnet}.30.1"));
            Eventually(output, "a route out of an interface by its name", () => Pings(h1, $"10.{Subnet}.40.1"));
            Assert.False(Pings(h1, $"10.{Subnet}.66.1"));
            Eventually(output, "the blackhole counted", () => engine.Log.Contains("blackhole=", StringComparison.Ordinal));
            Eventually(output, "the ECMP route installed", () => Pings(h1, $"10.{Subnet}.50.1"));
            AssertFlowsReachBoth(lab, $"10.{Subnet}.50.1");

            output.WriteLine(frr.Configure($"no ip route 10.{Subnet}.30.0/24 10.{Subnet}.3.1"));
            Eventually(output, "the withdrawn route's traffic stopped", () => !Pings(h1, $"10.{Subnet}.30.1"));

            // A crash: the routes stay for the grace, and a restarted zebra's resync takes them over.
            // zebra first: a staticd that goes while zebra runs has zebra withdraw its routes.
            frr.Kill("zebra");
            frr.Kill("staticd");
            AssertPing(output, h1, $"10.{Subnet}.20.1");
            frr.Start("zebra", zebraConfig, module);
            frr.Start("staticd", staticRoutes.Replace($"ip route 10.{Subnet}.30.0/24 10.{Subnet}.3.1\n", ""));
            engine.WaitForLog("fpm: resync done", TimeSpan.FromSeconds(30));
            Thread.Sleep(GracePeriod); // the old connection's grace has passed: the routes are the resync's now
            AssertPing(output, h1, $"10.{Subnet}.20.1");
            Assert.DoesNotContain("did not come back", engine.Log);

            // Without a restart, they go when the grace ends.
            // zebra first: a staticd that goes while zebra runs has zebra withdraw its routes.
            frr.Kill("zebra");
            frr.Kill("staticd");
            engine.WaitForLog("fpm: zebra did not come back", TimeSpan.FromSeconds(30));
            Eventually(output, "the routes withdrawn after the grace", () => !Pings(h1, $"10.{Subnet}.20.1"));
        }
        finally
        {
            output.WriteLine(engine.Log);
            output.WriteLine(frr.Logs());
        }
    }

    /// <summary>A restarted zebra takes some seconds to connect (dplane_fpm_nl waits before it dials): 4 s was too short for it.</summary>
    private static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(12);

    /// <summary>Hosts h1 (tun), h2 (tun), h3 (tap); no route but the connected ones; the FPM server in zebra's namespace.</summary>
    private static string Config(TestLab lab, string zebraNs, int port)
    {
        var hosts = LabConfigs.Hosts(lab, 3, Subnet, type: host => host == 3 ? "tap" : "tun");
        var devices = hosts[..hosts.IndexOf("  routes = [", StringComparison.Ordinal)];
        return devices + $$"""
              fpm { listen = "127.0.0.1:{{port}}", namespace = {{zebraNs}}, allow = ["127.0.0.1/32"], grace = 12s }
            }

            """;
    }

    /// <summary>Loopback up (zebra's FPM connection is to 127.0.0.1), and veths named as the devices in the hosts' subnets.</summary>
    private static void PrepareZebraNamespace(TestLab lab, string ns)
    {
        Shell.MustRunIn(ns, "ip link set lo up");
        for (var host = 2; host <= 3; host++)
        {
            var name = lab.Device($"h{host}");
            // A veth pair with both ends here: up with a carrier, so zebra takes its next hops as reachable.
            Shell.MustRunIn(ns, $"ip link add {name} type veth peer name {name}p");
            Shell.MustRunIn(ns, $"ip address add 10.{Subnet}.{host}.200/24 dev {name}");
            Shell.MustRunIn(ns, $"ip link set {name}p up");
            Shell.MustRunIn(ns, $"ip link set {name} up");
        }
    }

    /// <summary>UDP flows to an ECMP route over h2 and h3 reach both, as each host's tun counts them.</summary>
    private void AssertFlowsReachBoth(TestLab lab, string destination)
    {
        var before = new[] { UdpFlows.Received(lab.Namespace("h2"), lab.Device("h2")), UdpFlows.Received(lab.Namespace("h3"), lab.Device("h3")) };
        var send = UdpFlows.Send(lab.Namespace("h1"), destination, 64);
        Assert.True(send.ExitCode == 0, send.All);
        var h2 = UdpFlows.Received(lab.Namespace("h2"), lab.Device("h2")) - before[0];
        var h3 = UdpFlows.Received(lab.Namespace("h3"), lab.Device("h3")) - before[1];
        output.WriteLine($"ECMP: h2 received {h2}, h3 received {h3}");
        Assert.True(h2 > 0 && h3 > 0, $"flows reached h2 {h2} times and h3 {h3} times");
    }

    private static void AddLoopback(string ns, params string[] addresses)
    {
        Shell.MustRunIn(ns, "ip link set lo up");
        foreach (var address in addresses) Shell.MustRunIn(ns, $"ip address add {address} dev lo");
    }

    private static bool Pings(string ns, string address)
    {
        var ping = Shell.InNamespace(ns, $"ping -n -c 1 -W 1 {address}");
        return ping.ExitCode == 0;
    }
}
