using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// os-ken running the project's routing app (Scripts/osken_router.py) makes the engine a router
/// through its flow table alone (fail-mode secure: the lab does not route): IPv4 between a tun
/// host and a tap host, each route a flow with dec_nw_ttl and, towards the tap, Ethernet
/// rewrites. A packet whose TTL runs out comes to the app as INVALID_TTL and the app answers it,
/// so traceroute through the engine shows the hop.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowRoutingTests(ITestOutputHelper output)
{
    private const int Subnet = 86;

    private static string App => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/osken_router.py");

    [IntegrationFact]
    public void An_os_ken_router_routes_between_a_tun_and_a_tap_host_with_dec_ttl_and_mac_rewrites_and_traceroute_shows_the_hop()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        var routes = $"1,10.{Subnet}.1.0/24,10.{Subnet}.1.254,2,10.{Subnet}.2.0/24,10.{Subnet}.2.254";
        using var app = new Background("/usr/bin/env",
            $"OSKEN_ROUTER={routes} /usr/bin/python3 -u -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port {port} {App}");
        using var engine = EngineProcess.Start($$"""
            engine {
              devices = [
                { name = {{lab.Device("h1")}}, type = tun, namespace = {{lab.Namespace("h1")}}, address = "10.{{Subnet}}.1.1/24", gateway = "10.{{Subnet}}.1.254" }
                { name = {{lab.Device("h2")}}, type = tap, namespace = {{lab.Namespace("h2")}}, address = "10.{{Subnet}}.2.1/24", gateway = "10.{{Subnet}}.2.254" }
              ]
              openflow { controllers = ["tcp:127.0.0.1:{{port}}"], fail-mode = secure }
            }
            """);
        try
        {
            Assert.True(app.WaitForOutput("switch 0000000000000001 up", TimeSpan.FromSeconds(30)), app.Output);
            // The first echo requests wait for the app to resolve the tap host (ARP through PACKET_OUT and PACKET_IN).
            var first = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 10 -i 0.3 -W 2 10.{Subnet}.2.1", TimeSpan.FromSeconds(30));
            output.WriteLine(first.All);
            Assert.True(app.WaitForOutput($"arp-learned 10.{Subnet}.2.1", TimeSpan.FromSeconds(5)), app.Output);

            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 3 -i 0.2 -W 2 10.{Subnet}.2.1", TimeSpan.FromSeconds(20));
            output.WriteLine(ping.All);
            Assert.True(ping.ExitCode == 0, ping.All);
            // The reply left h2 with TTL 64 and the flow towards the tun took one off.
            Assert.Contains("ttl=63", ping.Output);

            var trace = Shell.InNamespace(lab.Namespace("h1"), $"traceroute -n -q 1 -w 2 -m 5 10.{Subnet}.2.1", TimeSpan.FromSeconds(30));
            output.WriteLine(trace.All);
            Assert.Equal(0, trace.ExitCode);
            var hops = trace.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Contains($"10.{Subnet}.1.254", hops[0]);
            Assert.Contains($"10.{Subnet}.2.1", hops[1]);
            Assert.Contains($"ttl-exceeded 10.{Subnet}.1.1 from 10.{Subnet}.1.254", app.Output);
        }
        finally
        {
            output.WriteLine(app.Output);
            output.WriteLine(engine.Log);
        }
    }
}
