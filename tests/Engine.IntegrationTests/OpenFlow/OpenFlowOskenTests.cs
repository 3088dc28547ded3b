using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// os-ken (python3-os-ken) running the project's learning-switch app (Scripts/osken_learning_switch.py)
/// drives the engine: two tap hosts in namespaces the test creates ping each other, PACKET_INs
/// reach the app, its flows forward and time out with FLOW_REMOVED, and port stats count.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowOskenTests(ITestOutputHelper output)
{
    private const int Subnet = 85;

    /// <summary>The learning-switch app, which the reload test runs too.</summary>
    internal static string App => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/osken_learning_switch.py");

    [IntegrationFact]
    public void An_os_ken_learning_switch_gets_packet_ins_installs_flows_that_forward_and_expire_and_reads_port_stats()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var app = new Background("/usr/bin/python3", $"-u -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port {port} {App}");
        using var engine = EngineProcess.Start($$"""
            engine {
              devices = [
                { name = {{lab.Device("h1")}}, type = tap, namespace = {{lab.Namespace("h1")}}, address = "10.{{Subnet}}.0.1/24" }
                { name = {{lab.Device("h2")}}, type = tap, namespace = {{lab.Namespace("h2")}}, address = "10.{{Subnet}}.0.2/24" }
              ]
              openflow { controllers = ["tcp:127.0.0.1:{{port}}"], fail-mode = secure }
            }
            """);
        try
        {
            Assert.True(app.WaitForOutput("switch 0000000000000001 up", TimeSpan.FromSeconds(30)), app.Output);
            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 5 -i 0.2 -W 2 10.{Subnet}.0.2", TimeSpan.FromSeconds(20));
            output.WriteLine(ping.All);
            Assert.True(ping.ExitCode == 0, ping.All);

            Assert.True(app.WaitForOutput("flow-removed reason 0", TimeSpan.FromSeconds(10)), app.Output);
            Assert.True(app.WaitForOutput("port-stats port 2 rx", TimeSpan.FromSeconds(5)), app.Output);
            Assert.Contains("packet-in port 1 reason 0", app.Output);
            Assert.Contains("flow-add port 2", app.Output);
            // A flow that forwarded echo replies timed out idle and told how many it carried.
            Assert.Matches(@"flow-removed reason 0 packets [1-9]", app.Output);
            var stats = Regex.Matches(app.Output, @"port-stats port 1 rx (\d+) tx (\d+)");
            Assert.Contains(stats, m => int.Parse(m.Groups[1].Value) >= 5 && int.Parse(m.Groups[2].Value) >= 5);
        }
        finally
        {
            output.WriteLine(app.Output);
            output.WriteLine(engine.Log);
        }
    }
}
