using System.Net.Http;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A port a reload added is like one the lab started with: it is on the metrics endpoint and in
/// `engine status`, and its namespace is locked against a second engine (and let go once a reload
/// removes it again).
/// </summary>
[Collection("engine")]
public sealed class ReloadedPortTests(ITestOutputHelper output)
{
    private const int Subnet = 70;
    private const int ExitLabRunning = 3;

    [IntegrationFact]
    public async Task A_port_a_reload_added_is_scraped_shown_and_locked_and_let_go_once_removed()
    {
        using var lab = new TestLab(output.WriteLine);
        var metricsPort = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(Config(lab, metricsPort, [1, 2]));
        try
        {
            File.WriteAllText(engine.ConfigPath, Config(lab, metricsPort, [1, 2, 3]));
            Assert.Equal(0, ReloadCli.Run(output, $"reload --config {engine.ConfigPath}").ExitCode);
            Pings.AssertAnswered(output, lab.Namespace("h3"), LabConfigs.V4(Subnet, 1));

            using var http = new HttpClient();
            var scraped = await http.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
            Assert.Contains($"engine_port_rx_packets{{kind=\"tun\",port=\"{lab.Device("h3")}\"}}", scraped);
            Assert.True(engine.Status().Port(lab.Device("h3")).Rx.Packets >= 3);

            // A second engine declaring h3's namespace refuses, naming this one, as for a namespace it started with.
            var h3Alone = $"engine {{\n  devices = [\n{ReloadCli.RoutedHost(lab, Subnet, 3)}  ]\n}}\n";
            using (var cleanup = EngineProcess.Launch("cleanup", h3Alone))
            {
                Assert.True(cleanup.WaitForExit(TimeSpan.FromSeconds(30)));
                output.WriteLine(cleanup.Log);
                Assert.Equal(ExitLabRunning, cleanup.ExitCode);
                Assert.Contains($"engine pid {engine.Pid} is running this lab (namespace {lab.Namespace("h3")}", cleanup.Log);
            }

            File.WriteAllText(engine.ConfigPath, Config(lab, metricsPort, [1, 2]));
            Assert.Equal(0, ReloadCli.Run(output, $"reload --config {engine.ConfigPath}").ExitCode);
            using (var cleanup = EngineProcess.Launch("cleanup", h3Alone))
            {
                Assert.True(cleanup.WaitForExit(TimeSpan.FromSeconds(30)));
                output.WriteLine(cleanup.Log);
                Assert.Equal(0, cleanup.ExitCode);
            }
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    private static string Config(TestLab lab, int metricsPort, int[] hosts) =>
        $"engine {{\n  metrics {{ listen = \"127.0.0.1:{metricsPort}\" }}\n  devices = [\n"
        + string.Concat(hosts.Select(i => ReloadCli.RoutedHost(lab, Subnet, i))) + "  ]\n}\n";
}
