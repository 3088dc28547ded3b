using System.Text.Json;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `engine reload` of a lab's wires: a wire added between new hosts carries their traffic, a wire
/// removed with its hosts is gone, and a wire moved to another port of unchanged devices carries
/// traffic there without recreating either device; ping through the unchanged routed pair loses
/// nothing meanwhile.
/// </summary>
[Collection("engine")]
public sealed class ReloadWireTests(ITestOutputHelper output)
{
    private const int Subnet = 68;

    [IntegrationFact]
    public void A_reload_adds_and_removes_wires_and_the_routed_pair_loses_nothing()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, wired: [1, 2], wires: [(1, 2)]));
        try
        {
            var (h1, h2) = (lab.Namespace("h1"), lab.Namespace("h2"));
            Pings.AssertAnswered(output, h1, LabConfigs.V4(Subnet, 2));
            Pings.AssertAnswered(output, lab.Namespace("w1"), Wired(2));

            File.WriteAllText(engine.ConfigPath, Config(lab, wired: [3, 4], wires: [(3, 4)]));
            var (reload, ping) = ReloadCli.ReloadWhilePinging(output, engine, h1, LabConfigs.V4(Subnet, 2));

            Assert.Equal(0, reload.ExitCode);
            using (var answer = JsonDocument.Parse(reload.Output))
            {
                Assert.Equal([$"{lab.Device("w3")} <-> {lab.Device("w4")}"], ReloadCli.Names(answer, "wires", "added"));
                Assert.Equal([$"{lab.Device("w1")} <-> {lab.Device("w2")}"], ReloadCli.Names(answer, "wires", "removed"));
                Assert.Equal([lab.Device("w3"), lab.Device("w4")], ReloadCli.Names(answer, "devices", "added"));
            }
            Assert.Equal("0", ReloadCli.Loss(ping));
            Pings.AssertAnswered(output, lab.Namespace("w3"), Wired(4));
            Assert.DoesNotContain(lab.Namespace("w1"), Shell.Namespaces());
            Assert.DoesNotContain(lab.Namespace("w2"), Shell.Namespaces());
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_wire_moved_to_another_device_carries_there_and_neither_device_is_recreated()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Config(lab, wired: [1, 2, 3], wires: [(1, 2)]));
        try
        {
            Pings.AssertAnswered(output, lab.Namespace("w1"), Wired(2));
            var w1 = engine.Status().Port(lab.Device("w1"));

            File.WriteAllText(engine.ConfigPath, Config(lab, wired: [1, 2, 3], wires: [(1, 3)]));
            var reload = ReloadCli.Run(output, $"reload --config {engine.ConfigPath} --json");

            Assert.Equal(0, reload.ExitCode);
            using (var answer = JsonDocument.Parse(reload.Output))
            {
                Assert.Equal([$"{lab.Device("w1")} <-> {lab.Device("w3")}"], ReloadCli.Names(answer, "wires", "added"));
                Assert.Equal([$"{lab.Device("w1")} <-> {lab.Device("w2")}"], ReloadCli.Names(answer, "wires", "removed"));
                Assert.Empty(ReloadCli.Names(answer, "devices", "recreated"));
                Assert.Empty(ReloadCli.Names(answer, "devices", "added"));
            }
            Pings.AssertAnswered(output, lab.Namespace("w1"), Wired(3));
            // w1's port went on: its counters kept what they had counted before the reload.
            Assert.True(engine.Status().Port(lab.Device("w1")).Rx.Packets > w1.Rx.Packets);
            Assert.NotEqual(0, Shell.InNamespace(lab.Namespace("w1"), $"ping -n -c 2 -W 1 {Wired(2)}").ExitCode);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    /// <summary>Hosts h1 and h2 routed (the unchanged pair), and hosts w{i} on tuns of one subnet, joined by the wires given.</summary>
    private static string Config(TestLab lab, int[] wired, (int, int)[] wires)
    {
        var text = new System.Text.StringBuilder("engine {\n  counters-interval = 1s\n  devices = [\n");
        foreach (var i in new[] { 1, 2 })
            text.Append(ReloadCli.RoutedHost(lab, Subnet, i));
        foreach (var i in wired)
            text.Append($"    {{ name = {lab.Device($"w{i}")}, type = tun, namespace = {lab.Namespace($"w{i}")}, address = [\"{Wired(i)}/24\"] }}\n");
        text.Append("  ]\n  wires = [\n");
        foreach (var (a, b) in wires)
            text.Append($"    {{ ports = [{lab.Device($"w{a}")}, {lab.Device($"w{b}")}] }}\n");
        return text.Append("  ]\n}\n").ToString();
    }

    /// <summary>Wired host i's address: every wired host is on 10.68.100.0/24.</summary>
    private static string Wired(int host) => $"10.{Subnet}.100.{host}";


}
