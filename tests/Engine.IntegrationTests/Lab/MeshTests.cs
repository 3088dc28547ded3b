using System.Diagnostics;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Three engines in a triangle of TCP links, one host each. Node 1 reaches node 3 through
/// node 2, with the direct link as backup. Killing node 2 moves that traffic to the backup and
/// makes host 2 unreachable (counted as port-down); restarting it brings everything back.
/// </summary>
[Collection("engine")]
public sealed class MeshTests(ITestOutputHelper output)
{
    private const int Subnet = 81;
    private const string Key = "mesh-shared-secret-0001";

    [IntegrationFact]
    public void A_killed_engine_is_routed_around_and_forwarding_resumes_when_it_restarts()
    {
        using var lab = new TestLab();
        var (p12, p13, p23) = (MeshConfigs.FreePort(), MeshConfigs.FreePort(), MeshConfigs.FreePort());
        string Link(string name, string side, int port) =>
            $"{{ name = {name}, role = engine, transport = tcp, framing = engine, {side} = \"127.0.0.1:{port}\", key = \"{Key}\" }}";
        var one = MeshConfigs.Node(lab, 1, Subnet, [Link("n2", "listen", p12), Link("n3", "listen", p13)],
            new Dictionary<int, string> { [2] = "via = n2", [3] = "via = n2, backup = n3" });
        var two = MeshConfigs.Node(lab, 2, Subnet, [Link("n1", "connect", p12), Link("n3", "listen", p23)],
            new Dictionary<int, string> { [1] = "via = n1", [3] = "via = n3" });
        var three = MeshConfigs.Node(lab, 3, Subnet, [Link("n1", "connect", p13), Link("n2", "connect", p23)],
            new Dictionary<int, string> { [1] = "via = n1", [2] = "via = n2" });

        using var engine1 = EngineProcess.Start(one);
        using var engine3 = EngineProcess.Start(three);
        var engine2 = EngineProcess.Start(two);
        try
        {
            engine1.WaitForLog("peer n2 up", TimeSpan.FromSeconds(10));
            engine3.WaitForLog("peer n2 up", TimeSpan.FromSeconds(10));
            AssertPing(lab, 1, 3);
            AssertPing(lab, 1, 2);
            AssertPing(lab, 3, 2);
            Assert.Matches(@"n2: rx \d+ pkts", engine1.Log); // 1 -> 3 went through node 2

            engine2.Kill();
            engine1.WaitForLog("peer n2 down", TimeSpan.FromSeconds(5));
            AssertPing(lab, 1, 3); // the backup: node 1's direct link to node 3
            var lost = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 3 -i 0.2 -W 1 {LabConfigs.V4(Subnet, 2)}");
            Assert.NotEqual(0, lost.ExitCode);

            engine2.Dispose();
            engine2 = EngineProcess.Start(two);
            var restarted = Stopwatch.StartNew();
            var recovered = WaitForPing(lab, 1, 2, TimeSpan.FromSeconds(15));
            output.WriteLine($"ping across node 2 recovered {recovered.TotalMilliseconds:F0} ms after it logged lab up");
            Assert.True(recovered < TimeSpan.FromSeconds(5), $"ping took {recovered} to recover");
            // Node 3 dials node 2 again on its own backoff (at most 500 ms, jittered).
            var fromThree = WaitForPing(lab, 3, 2, TimeSpan.FromSeconds(15));
            output.WriteLine($"ping from node 3 across node 2 recovered {fromThree.TotalMilliseconds:F0} ms later");
            Assert.True(fromThree < TimeSpan.FromSeconds(5), $"ping from node 3 took {fromThree} to recover");

            // Node 1 counted what it could not send to node 2 while node 2 was away.
            Thread.Sleep(1200);
            Assert.Matches(@"n2: rx \d+ pkts .* drops .*port-down=[1-9]", engine1.Log);
        }
        finally
        {
            output.WriteLine("--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log + "--- engine 3\n" + engine3.Log);
            engine2.Dispose();
        }
    }

    private static TimeSpan WaitForPing(TestLab lab, int from, int to, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var ping = Shell.InNamespace(lab.Namespace($"h{from}"), $"ping -n -c 1 -W 0.2 {LabConfigs.V4(Subnet, to)}");
            if (ping.ExitCode == 0) return clock.Elapsed;
        }
        return clock.Elapsed;
    }

    private void AssertPing(TestLab lab, int from, int to)
    {
        var ping = Shell.InNamespace(lab.Namespace($"h{from}"), $"ping -n -c 3 -i 0.2 -W 2 {LabConfigs.V4(Subnet, to)}");
        output.WriteLine(ping.All);
        Assert.True(ping.ExitCode == 0, $"ping from h{from} to h{to} failed:\n{ping.All}");
    }
}
