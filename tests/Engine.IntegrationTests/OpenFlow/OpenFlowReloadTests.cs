using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// A reload adds and removes a port of a lab an os-ken learning switch (Scripts/osken_learning_switch.py)
/// drives: the app hears PORT_STATUS ADD for the new tap host, learns it from its PACKET_INs and
/// makes it reachable, then hears PORT_STATUS DELETE once a reload removes it.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowReloadTests(ITestOutputHelper output)
{
    private const int Subnet = 97;

    private static string Config(TestLab lab, int controller, int hosts) => $$"""
        engine {
          devices = [
        {{string.Concat(Enumerable.Range(1, hosts).Select(i =>
            $"    {{ name = {lab.Device($"h{i}")}, type = tap, namespace = {lab.Namespace($"h{i}")}, address = \"10.{Subnet}.0.{i}/24\" }}\n"))}}
          ]
          openflow { controllers = ["tcp:127.0.0.1:{{controller}}"], fail-mode = secure }
        }
        """;

    [IntegrationFact]
    public void A_reload_announces_an_added_tap_host_which_the_controller_makes_reachable_and_then_its_removal()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var app = new Background("/usr/bin/python3", $"-u -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port {port} {OpenFlowOskenTests.App}");
        using var engine = EngineProcess.Start(Config(lab, port, hosts: 2));
        try
        {
            Assert.True(app.WaitForOutput("switch 0000000000000001 up", TimeSpan.FromSeconds(30)), app.Output);

            // h1 and h2 are ports 1 and 2, the switch's own port the engine's third place: h3 comes after it, port 4.
            File.WriteAllText(engine.ConfigPath, Config(lab, port, hosts: 3));
            Assert.Equal(0, ReloadCli.Run(output, $"reload --config {engine.ConfigPath}").ExitCode);
            Assert.True(app.WaitForOutput("port-status reason 0 port 4", TimeSpan.FromSeconds(10)), app.Output);
            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 3 -i 0.2 -W 2 10.{Subnet}.0.3", TimeSpan.FromSeconds(20));
            output.WriteLine(ping.All);
            Assert.True(ping.ExitCode == 0, ping.All);
            Assert.Contains("flow-add port 4", app.Output);

            File.WriteAllText(engine.ConfigPath, Config(lab, port, hosts: 2));
            Assert.Equal(0, ReloadCli.Run(output, $"reload --config {engine.ConfigPath}").ExitCode);
            Assert.True(app.WaitForOutput("port-status reason 1 port 4", TimeSpan.FromSeconds(10)), app.Output);
            var kept = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 2 -i 0.2 -W 2 10.{Subnet}.0.2", TimeSpan.FromSeconds(20));
            Assert.True(kept.ExitCode == 0, kept.All);
        }
        finally
        {
            output.WriteLine(app.Output);
            output.WriteLine(engine.Log);
        }
    }
}
