using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// A stock controller drives the engine's forwarding: two tap hosts on one subnet, in
/// namespaces the test creates, reach each other only through the flows ovs-testcontroller (a
/// MAC-learning switch) installs; a probe controller reads those flows and their counters.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowSwitchingTests(ITestOutputHelper output)
{
    private const int Subnet = 84;

    /// <param name="labSwitch">Join the two taps in a switch of the lab's own, for standalone mode to fall back on.</param>
    /// <param name="metricsPort">Serve the metrics endpoint on this loopback port.</param>
    private static string SwitchLab(TestLab lab, string failMode, int[] controllerPorts, bool labSwitch = false, int? metricsPort = null) => $$"""
        engine {
          counters-interval = 1s
          {{(metricsPort is { } port ? $"metrics {{ listen = \"127.0.0.1:{port}\" }}" : "")}}
          devices = [
            { name = {{lab.Device("h1")}}, type = tap, namespace = {{lab.Namespace("h1")}}, address = "10.{{Subnet}}.0.1/24" }
            { name = {{lab.Device("h2")}}, type = tap, namespace = {{lab.Namespace("h2")}}, address = "10.{{Subnet}}.0.2/24" }
          ]
          {{(labSwitch ? $"switches = [ {{ name = lan, ports = [{lab.Device("h1")}, {lab.Device("h2")}] }} ]" : "")}}
          openflow {
            controllers = [{{string.Join(", ", controllerPorts.Select(port => $"\"tcp:127.0.0.1:{port}\""))}}]
            fail-mode = {{failMode}}
          }
        }
        """;

    [IntegrationFact]
    public async Task Ovs_testcontroller_learns_the_hosts_and_they_ping_through_its_flows_which_count_the_packets()
    {
        using var lab = new TestLab();
        var (ovsPort, probePort, metricsPort) = (MeshConfigs.FreePort(), MeshConfigs.FreePort(), MeshConfigs.FreePort());
        using var ovs = new Background("ovs-testcontroller", $"--unixctl=none -O OpenFlow13 ptcp:{ovsPort}:127.0.0.1");
        var trafficDone = Path.Combine(Path.GetTempPath(), $"openflow-traffic-done-{Guid.NewGuid():N}");
        using var probe = new Background("/usr/bin/python3", $"-u {OpenFlowProbe.Script} --port {probePort} --flows-when {trafficDone}");
        Assert.True(probe.WaitForOutput("listening", TimeSpan.FromSeconds(10)), probe.Output);
        using var engine = EngineProcess.Start(SwitchLab(lab, "secure", [ovsPort, probePort], metricsPort: metricsPort));
        try
        {
            engine.WaitForLog($"openflow tcp:127.0.0.1:{ovsPort}: connected", TimeSpan.FromSeconds(10));
            // The first echo request and reply go through the controller, which installs a flow for each
            // before it sends them on; how long that takes is the controller's business, so the counted
            // pings wait for it.
            var learning = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 15 10.{Subnet}.0.2", TimeSpan.FromSeconds(20));
            output.WriteLine(learning.All);
            Assert.True(learning.ExitCode == 0, learning.All);
            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 4 -i 0.2 -W 2 10.{Subnet}.0.2", TimeSpan.FromSeconds(20));
            output.WriteLine(ping.All);
            Assert.True(ping.ExitCode == 0, ping.All);
            File.WriteAllText(trafficDone, "");

            Assert.True(probe.WaitForExit(TimeSpan.FromSeconds(30)), "the probe did not finish:\n" + probe.Output);
            output.WriteLine(probe.Output);
            Assert.Equal(0, probe.ExitCode);
            // The learned echo request and reply flows (exact matches down to ICMP's type) out of port 2 and port 1
            // carried each of the four counted pings.
            var echoes = probe.Output.Split('\n').Where(line => line.StartsWith("flow ") && line.Contains("'ip_proto': 1,")).ToArray();
            Assert.Equal(2, echoes.Length);
            Assert.Contains(echoes, line => line.Contains("'icmpv4_type': 8") && line.Contains(",port=2,"));
            Assert.Contains(echoes, line => line.Contains("'icmpv4_type': 0") && line.Contains(",port=1,"));
            Assert.All(echoes, line => Assert.Equal("4", System.Text.RegularExpressions.Regex.Match(line, @"packets (\d+)").Groups[1].Value));

            // The learning ping's request and reply, and the ARP before them, went to the controller; none was dropped.
            using var http = new System.Net.Http.HttpClient();
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
            Assert.Equal(2, Metric(metrics, "engine_openflow_connections"));
            Assert.True(Metric(metrics, "engine_openflow_packet_ins_sent") >= 2, metrics);
            Assert.Equal(0, Metric(metrics, "engine_openflow_packet_ins_dropped"));
            Assert.True(Metric(metrics, "engine_openflow_errors_sent") >= 2, metrics); // the probe's unknown type and goto_table

            // secure: with the controller gone, the flows it installed still carry the hosts.
            ovs.Kill();
            engine.WaitForLog($"openflow tcp:127.0.0.1:{ovsPort}: connection closed", TimeSpan.FromSeconds(10));
            var after = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 2 -i 0.2 -W 2 10.{Subnet}.0.2", TimeSpan.FromSeconds(20));
            Assert.True(after.ExitCode == 0, after.All);
        }
        finally
        {
            File.Delete(trafficDone);
            output.WriteLine(ovs.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_controller_that_connects_to_the_engines_ptcp_listener_drives_it_as_a_dialled_one_does()
    {
        using var lab = new TestLab();
        var (nobody, listen) = (MeshConfigs.FreePort(), MeshConfigs.FreePort());
        var config = SwitchLab(lab, "secure", [nobody]).Replace("fail-mode = secure", $"fail-mode = secure\n    listen = \"ptcp:{listen}:127.0.0.1\"");
        using var engine = EngineProcess.Start(config);
        engine.WaitForLog($"listening for controllers on ptcp:{listen}:127.0.0.1", TimeSpan.FromSeconds(10));
        // ovs-testcontroller dials a switch that listens, as it would ovs-vswitchd after set-controller ptcp:.
        using var ovs = new Background("ovs-testcontroller", $"--unixctl=none -O OpenFlow13 tcp:127.0.0.1:{listen}");
        try
        {
            engine.WaitForLog("openflow ptcp:127.0.0.1:", TimeSpan.FromSeconds(10));
            Ping(lab, "through the flows of a controller that connected to the engine");
            ovs.Kill();
            engine.WaitForLog("connection closed", TimeSpan.FromSeconds(10));
        }
        finally
        {
            output.WriteLine(ovs.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Secure_without_a_controller_drops_every_frame_as_a_table_miss_counted_rule()
    {
        using var lab = new TestLab();
        var nobody = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(SwitchLab(lab, "secure", [nobody]));
        var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 2 -i 0.2 -W 1 10.{Subnet}.0.2", TimeSpan.FromSeconds(20));
        output.WriteLine(engine.Log);
        Assert.NotEqual(0, ping.ExitCode);
        // Frames that came before the lab's table reached the router may be counted first, as not-routable.
        engine.WaitForLog(" rule=", TimeSpan.FromSeconds(5));
    }

    [IntegrationFact]
    public void Standalone_forwards_on_the_labs_switch_without_a_controller_on_its_flows_with_one_and_on_its_own_again_when_it_dies()
    {
        using var lab = new TestLab();
        var ovsPort = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(SwitchLab(lab, "standalone", [ovsPort], labSwitch: true));
        try
        {
            Ping(lab, "with no controller");
            using (var ovs = new Background("ovs-testcontroller", $"--unixctl=none -O OpenFlow13 ptcp:{ovsPort}:127.0.0.1"))
            {
                // The engine has been redialling since it started: its backoff may be at its 8 s most.
                engine.WaitForLog($"openflow tcp:127.0.0.1:{ovsPort}: connected", TimeSpan.FromSeconds(15));
                var rxBefore = OpenFlowPortFrames(engine.Log);
                Ping(lab, "through the controller's flows");
                // The first frames of the new flows went through the switch's own port to the controller.
                Assert.True(WaitForMoreFrames(engine, rxBefore), engine.Log);
            }
            engine.WaitForLog($"openflow tcp:127.0.0.1:{ovsPort}: connection closed", TimeSpan.FromSeconds(10));
            Ping(lab, "after the controller died");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    private static double Metric(string exposition, string name) =>
        double.Parse(exposition.Split('\n').Single(line => line.StartsWith(name + " ", StringComparison.Ordinal))[(name.Length + 1)..],
            System.Globalization.CultureInfo.InvariantCulture);

    private void Ping(TestLab lab, string when)
    {
        var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 3 -i 0.2 -W 2 10.{Subnet}.0.2", TimeSpan.FromSeconds(20));
        output.WriteLine($"{when}: {ping.All}");
        Assert.True(ping.ExitCode == 0, $"{when}: {ping.All}");
    }

    /// <summary>The frames the switch's own port (the slow path) has taken so far, from the latest counter line.</summary>
    private static long OpenFlowPortFrames(string log) =>
        System.Text.RegularExpressions.Regex.Matches(log, @"openflow: rx \d+ pkts .*?tx (\d+) pkts").LastOrDefault() is { } last ? long.Parse(last.Groups[1].Value) : 0;

    private static bool WaitForMoreFrames(EngineProcess engine, long before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (OpenFlowPortFrames(engine.Log) > before) return true;
            Thread.Sleep(200);
        }
        return false;
    }
}
