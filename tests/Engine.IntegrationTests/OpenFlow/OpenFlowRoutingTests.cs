using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// os-ken running the project's routing app (Scripts/osken_router.py) makes the engine a router
/// through its flow table: IPv4 between a tun host and a tap host, each route a flow with
/// dec_nw_ttl and, towards the tap, Ethernet rewrites. A packet whose TTL runs out comes to the
/// app as INVALID_TTL and the app answers it, so traceroute through the engine shows the hop.
/// The fail modes with the app killed and restarted: secure keeps the flows it installed,
/// standalone hands the lab back to its own routes; a restarted app is dialled again and resyncs.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowRoutingTests(ITestOutputHelper output)
{
    private const int Subnet = 86;
    private static readonly string Host2 = $"10.{Subnet}.2.1", Gateway1 = $"10.{Subnet}.1.254";

    private static string App => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/osken_router.py");

    private static Background StartApp(int port) => new("/usr/bin/env",
        $"OSKEN_ROUTER=1,10.{Subnet}.1.0/24,{Gateway1},2,10.{Subnet}.2.0/24,10.{Subnet}.2.254 "
        + $"/usr/bin/python3 -u -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port {port} {App}");

    private static EngineProcess StartLab(TestLab lab, int port, string failMode) => EngineProcess.Start($$"""
        engine {
          devices = [
            { name = {{lab.Device("h1")}}, type = tun, namespace = {{lab.Namespace("h1")}}, address = "10.{{Subnet}}.1.1/24", gateway = "{{Gateway1}}" }
            { name = {{lab.Device("h2")}}, type = tap, namespace = {{lab.Namespace("h2")}}, address = "{{Host2}}/24", gateway = "10.{{Subnet}}.2.254" }
          ]
          openflow { controllers = ["tcp:127.0.0.1:{{port}}"], fail-mode = {{failMode}} }
        }
        """);

    /// <summary>Pings from h1; the first echo requests may wait for the app to resolve the tap host (ARP through PACKET_OUT and PACKET_IN).</summary>
    private Shell.Result Ping(TestLab lab, string address, int count = 10) =>
        Logged(Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c {count} -i 0.3 -W 2 {address}", TimeSpan.FromSeconds(30)));

    private Shell.Result Logged(Shell.Result result)
    {
        output.WriteLine(result.All);
        return result;
    }

    [IntegrationFact]
    public void An_os_ken_router_routes_between_a_tun_and_a_tap_host_with_dec_ttl_and_mac_rewrites_and_traceroute_shows_the_hop()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var app = StartApp(port);
        using var engine = StartLab(lab, port, "secure");
        try
        {
            Assert.True(app.WaitForOutput("switch 0000000000000001 up", TimeSpan.FromSeconds(30)), app.Output);
            Ping(lab, Host2);
            Assert.True(app.WaitForOutput($"arp-learned {Host2}", TimeSpan.FromSeconds(5)), app.Output);

            var ping = Ping(lab, Host2, count: 3);
            Assert.True(ping.ExitCode == 0, ping.All);
            // The reply left h2 with TTL 64 and the flow towards the tun took one off.
            Assert.Contains("ttl=63", ping.Output);

            var trace = Logged(Shell.InNamespace(lab.Namespace("h1"), $"traceroute -n -q 1 -w 2 -m 5 {Host2}", TimeSpan.FromSeconds(30)));
            Assert.Equal(0, trace.ExitCode);
            var hops = trace.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
            Assert.Contains(Gateway1, hops[0]);
            Assert.Contains(Host2, hops[1]);
            Assert.Contains($"ttl-exceeded 10.{Subnet}.1.1 from {Gateway1}", app.Output);
        }
        finally
        {
            output.WriteLine(app.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Secure_keeps_the_installed_flows_when_the_controller_dies_and_a_restarted_one_reconnects_and_resyncs()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        var app = StartApp(port);
        using var engine = StartLab(lab, port, "secure");
        try
        {
            Assert.True(app.WaitForOutput("switch 0000000000000001 up", TimeSpan.FromSeconds(30)), app.Output);
            Ping(lab, Host2);
            Assert.True(Ping(lab, Host2, count: 3).ExitCode == 0);

            app.Kill();
            engine.WaitForLog($"openflow tcp:127.0.0.1:{port}: connection closed", TimeSpan.FromSeconds(10));
            // The flows stay and carry the hosts; nothing else does (the lab's router would answer its gateway address).
            Assert.True(Ping(lab, Host2, count: 3).ExitCode == 0);
            Assert.NotEqual(0, Ping(lab, Gateway1, count: 2).ExitCode);

            app.Dispose();
            app = StartApp(port);
            // The engine has been redialling with backoff since the app died: up to 8 s apart.
            Assert.True(app.WaitForOutput("switch 0000000000000001 up", TimeSpan.FromSeconds(30)), app.Output);
            Assert.True(app.Output.Contains("flows cleared"), app.Output);
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(engine.Log, $"openflow tcp:127.0.0.1:{port}: connected").Count);
            // The restarted app cleared the table and learns the tap host again before it routes to it.
            Ping(lab, Host2);
            Assert.True(app.WaitForOutput($"arp-learned {Host2}", TimeSpan.FromSeconds(5)), app.Output);
            Assert.True(Ping(lab, Host2, count: 3).ExitCode == 0);
        }
        finally
        {
            output.WriteLine(app.Output);
            output.WriteLine(engine.Log);
            app.Dispose();
        }
    }

    [IntegrationFact]
    public void Standalone_routes_by_the_labs_routes_without_a_controller_by_its_flows_with_one_and_by_the_labs_again_when_it_dies()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var engine = StartLab(lab, port, "standalone");
        try
        {
            // No controller: the lab's router forwards and answers its own gateway address.
            Assert.True(Ping(lab, Host2, count: 3).ExitCode == 0);
            Assert.True(Ping(lab, Gateway1, count: 2).ExitCode == 0);

            using (var app = StartApp(port))
            {
                Assert.True(app.WaitForOutput("switch 0000000000000001 up", TimeSpan.FromSeconds(30)), app.Output);
                // The flows are in charge: the app resolves the host, and the lab's router no longer answers.
                Ping(lab, Host2);
                Assert.True(app.WaitForOutput($"arp-learned {Host2}", TimeSpan.FromSeconds(5)), app.Output);
                Assert.True(Ping(lab, Host2, count: 3).ExitCode == 0);
                Assert.NotEqual(0, Ping(lab, Gateway1, count: 2).ExitCode);
                app.Kill();
                output.WriteLine(app.Output);
            }
            engine.WaitForLog($"openflow tcp:127.0.0.1:{port}: connection closed", TimeSpan.FromSeconds(10));
            Assert.True(Ping(lab, Gateway1, count: 3).ExitCode == 0);
            // h2 learned its gateway at the app's MAC, not the lab router's: it forgets it, as it would in half a minute.
            Shell.MustRunIn(lab.Namespace("h2"), $"ip neigh flush dev {lab.Device("h2")}");
            Assert.True(Ping(lab, Host2, count: 3).ExitCode == 0);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }
}
