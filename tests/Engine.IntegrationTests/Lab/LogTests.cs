using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The log an operator reads or feeds to a collector: `run --log-format json --log-level debug`
/// writes nothing but JSON lines, debug events among them, and the counter line's totals and
/// rates as properties; an expected failure (an address in use) is one line without a stack trace.
/// </summary>
[Collection("engine")]
public sealed class LogTests(ITestOutputHelper output)
{
    private const int Subnet = 96;

    [IntegrationFact]
    public void Json_format_at_debug_writes_only_json_lines_with_the_counters_as_properties()
    {
        using var lab = new TestLab();
        var device = lab.Device("h1");
        List<JsonElement> events;
        using (var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet), command: "run --log-format json --log-level debug"))
        {
            try
            {
                var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 3 -i 0.2 -W 2 {LabConfigs.V4(Subnet, 2)}");
                Assert.True(ping.ExitCode == 0, ping.All);
                // counters-interval = 1s: a line after the pings counts them (h1's device wrote the 3 replies).
                engine.WaitForLog("\"TxPackets\":3,", TimeSpan.FromSeconds(10));
                Assert.Equal(0, engine.Terminate());
            }
            finally
            {
                output.WriteLine(engine.Log);
            }
            events = engine.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
        }

        Assert.All(events, e => Assert.True(DateTimeOffset.TryParse(e.GetProperty("@t").GetString(), out _)));
        Assert.Contains(events, e => e.TryGetProperty("@l", out var level) && level.GetString() == "Debug");
        // Akka's last words, after it let go of the logger actor, are JSON too.
        Assert.Contains(events, e => e.GetProperty("@m").GetString()!.StartsWith("Shutting down: ", StringComparison.Ordinal));
        Assert.Contains(events, e => e.GetProperty("@m").GetString()!.StartsWith("lab up", StringComparison.Ordinal));
        // The host may send its own IPv6 chatter beside the 3 echo requests.
        var counters = events.Last(e => e.TryGetProperty("Port", out var port) && port.GetString() == device);
        Assert.Equal(3, counters.GetProperty("TxPackets").GetInt64());
        Assert.InRange(counters.GetProperty("RxPackets").GetInt64(), 3, 20);
        Assert.True(counters.GetProperty("RxPacketRate").GetDouble() >= 0);
        Assert.Contains(events, e => e.TryGetProperty("Port", out var port) && port.GetString() == device && e.GetProperty("TxPacketRate").GetDouble() > 0);
        Assert.StartsWith($"\"{device}\": rx ", counters.GetProperty("@m").GetString());
    }

    [IntegrationFact]
    public void A_peer_whose_address_is_in_use_is_one_line_without_a_stack_trace()
    {
        using var lab = new TestLab();
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var hocon = LabConfigs.Hosts(lab, 1, Subnet).Replace("  routes = [", $$"""
              peers = [ { name = east, role = engine, transport = tcp, listen = "127.0.0.1:{{port}}", framing = engine } ]
              routes = [
            """, StringComparison.Ordinal);

        using var engine = EngineProcess.Launch("run", hocon);
        Assert.True(engine.WaitForExit(TimeSpan.FromSeconds(30)), "the engine did not stop");
        output.WriteLine(engine.Log);

        Assert.Equal(1, engine.ExitCode);
        Assert.Contains($"peer-east could not start: bind tcp listening on 127.0.0.1:{port}", engine.Log);
        Assert.Contains("Address already in use", engine.Log);
        Assert.DoesNotContain("   at ", engine.Log);
        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
    }
}
