using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// A controller floods the engine with PACKET_OUTs (Scripts/packet_out_flood.py) while two tap
/// hosts ping each other through the lab's own switch (the controller's one flow is NORMAL):
/// every PACKET_OUT is carried out (a BARRIER after them is answered), the turns the flood
/// filled are bounded and counted in the log, and the hosts' pings go on through it.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowFloodTests(ITestOutputHelper output)
{
    private const int Subnet = 87;
    private const int Count = 20000;

    private static string Script => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/packet_out_flood.py");

    [IntegrationFact]
    public void A_flood_of_packet_outs_is_taken_a_bounded_number_a_turn_counted_and_the_hosts_still_ping()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var flood = new Background("/usr/bin/python3", $"-u {Script} --port {port} --count {Count} --delay 1.5 --linger 3");
        Assert.True(flood.WaitForOutput("listening", TimeSpan.FromSeconds(10)), flood.Output);
        using var engine = EngineProcess.Start(OpenFlowSwitchedHosts.Lab(lab, Subnet, port, "counters-interval = 1s"));
        try
        {
            Assert.True(flood.WaitForOutput("normal installed", TimeSpan.FromSeconds(15)), flood.Output);
            // The flood starts 1.5 s after the NORMAL flow; the pings run through it.
            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 20 -i 0.2 -W 2 10.{Subnet}.0.2", TimeSpan.FromSeconds(30));
            output.WriteLine(ping.All);
            Assert.True(flood.WaitForOutput($"barrier after {Count}", TimeSpan.FromSeconds(30)), flood.Output);
            Assert.True(ping.ExitCode == 0, ping.All);
            Assert.Matches(@"20 packets transmitted, (1\d|20) received", ping.Output);
            engine.WaitForLog("a flood of PACKET_OUT", TimeSpan.FromSeconds(5));
            // Every PACKET_OUT was carried out: out of h2's port, or counted where it could not go.
            Assert.True(WaitFor(() => Carried(engine.Log, lab.Device("h2")) >= Count, TimeSpan.FromSeconds(5)), engine.Log);
        }
        finally
        {
            output.WriteLine(flood.Output);
            output.WriteLine(engine.Log);
        }
    }

    /// <summary>What the latest counter line of <paramref name="device"/> says it sent or dropped for want of a buffer.</summary>
    private static long Carried(string log, string device)
    {
        var line = log.Split('\n').LastOrDefault(l => l.Contains($"] {device}: rx"));
        if (line is null) return 0;
        var tx = long.Parse(Regex.Match(line, @"tx (\d+) pkts").Groups[1].Value);
        var noBuffer = Regex.Match(line, @"no-buffer=(\d+)") is { Success: true } m ? long.Parse(m.Groups[1].Value) : 0;
        return tx + noBuffer;
    }

    private static bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return true;
            Thread.Sleep(200);
        }
        return condition();
    }
}
