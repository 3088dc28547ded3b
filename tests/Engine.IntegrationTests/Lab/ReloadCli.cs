using System.Text.Json;
using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>What the reload tests share: the CLI run and logged, the names a reload's JSON answer lists, a ping's loss, a routed host's device entry.</summary>
public static partial class ReloadCli
{
    public static Shell.Result Run(ITestOutputHelper output, string arguments)
    {
        var result = EngineCli.Run(arguments);
        output.WriteLine($"engine {arguments}: {result.ExitCode}\n{result.All}");
        return result;
    }

    /// <summary>Reloads <paramref name="engine"/>'s file while <paramref name="ns"/> pings <paramref name="destination"/> every 20 ms for 3 s: the reload's answer (JSON) and what ping printed.</summary>
    public static (Shell.Result Reload, string Ping) ReloadWhilePinging(ITestOutputHelper output, EngineProcess engine, string ns, string destination)
    {
        using var ping = Background.InNamespace(ns, $"ping -n -i 0.02 -c 150 -W 1 {destination}");
        Thread.Sleep(1000);
        var reload = Run(output, $"reload --config {engine.ConfigPath} --json");
        if (!ping.WaitForExit(TimeSpan.FromSeconds(30))) throw new TimeoutException("ping did not finish");
        output.WriteLine(ping.Output);
        return (reload, ping.Output);
    }

    /// <summary>The names of <paramref name="kind"/> (devices, peers, routes, switches, wires) the answer lists as <paramref name="what"/> (added, removed, recreated).</summary>
    public static List<string?> Names(JsonDocument answer, string kind, string what) =>
        [.. answer.RootElement.GetProperty(kind).GetProperty(what).EnumerateArray().Select(n => n.GetString())];

    /// <summary>The loss ping printed ("0" for none).</summary>
    public static string Loss(string pingOutput) => PacketLoss().Match(pingOutput).Groups[1].Value;

    /// <summary>Host h{i}'s tun entry: 10.{subnet}.{i}.1/24 in its own namespace, the engine its gateway.</summary>
    public static string RoutedHost(TestLab lab, int subnet, int i) =>
        $"    {{ name = {lab.Device($"h{i}")}, type = tun, namespace = {lab.Namespace($"h{i}")}, "
        + $"address = [\"{LabConfigs.V4(subnet, i)}/24\"], gateway = [\"{LabConfigs.GatewayV4(subnet, i)}\"] }}\n";

    [GeneratedRegex(@"(\d+(?:\.\d+)?)% packet loss")]
    private static partial Regex PacketLoss();
}
