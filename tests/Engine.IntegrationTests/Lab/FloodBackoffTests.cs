using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The data plane steps back to flood-nice while a flood of small frames lasts, and only then:
/// real iperf3 and ping traffic between two host namespaces, the thread's nice value read from /proc.
/// </summary>
[Collection("engine")]
public sealed class FloodBackoffTests(ITestOutputHelper output)
{
    private const int Subnet = 85;

    [IntegrationFact]
    public void A_64_byte_udp_flood_steps_the_data_plane_back_while_it_lasts_and_bulk_traffic_does_not()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        string h1 = lab.Namespace("h1"), h2 = lab.Namespace("h2"), b = LabConfigs.V4(Subnet, 2);
        try
        {
            Assert.Contains("data plane at nice 0 (5 during a flood of small frames)", engine.Log);

            // TCP (super-frames with offloads) and a ping flood (small frames, but ~10⁴ a second) are no flood.
            Iperf3.Tcp(h1, h2, b, seconds: 2);
            var ping = Shell.InNamespace(h1, $"ping -n -q -f -c 3000 -W 1 {b}");
            Assert.True(ping.ExitCode == 0, ping.All);
            Assert.DoesNotContain("flood of small frames on", engine.Log);
            Assert.Equal(0, ThreadNice.ByName(engine.Pid)["dataplane"]);

            // 64-byte UDP datagrams as fast as iperf3 sends them are.
            var flood = Task.Run(() => Iperf3.Udp(h1, h2, b, "-l 64 -b 0", seconds: 3));
            engine.WaitForLog("flood of small frames on dataplane", TimeSpan.FromSeconds(10));
            var during = ThreadNice.ByName(engine.Pid)["dataplane"];
            var (packets, _, _) = flood.Result;
            output.WriteLine($"iperf3 UDP: {packets} datagrams received");
            engine.WaitForLog("flood on dataplane over: back at nice 0", TimeSpan.FromSeconds(5));

            Assert.Equal(5, during);
            Assert.Equal(0, ThreadNice.ByName(engine.Pid)["dataplane"]);
            Assert.True(Shell.InNamespace(h1, $"ping -n -c 2 -i 0.2 -W 2 {b}").ExitCode == 0);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void On_a_multi_queue_device_the_thread_that_reads_the_flood_steps_back()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet, settings: i => i == 1 ? "queues = 2" : ""));
        string h1 = lab.Namespace("h1"), h2 = lab.Namespace("h2"), b = LabConfigs.V4(Subnet, 2);
        try
        {
            // The kernel puts the flow on one of h1's two queues: the data-plane thread reads queue 0, a thread of its own queue 1.
            var flood = Task.Run(() => Iperf3.Udp(h1, h2, b, "-l 64 -b 0", seconds: 3));
            engine.WaitForLog("flood of small frames on ", TimeSpan.FromSeconds(10));
            var thread = Regex.Match(engine.Log, @"flood of small frames on (\S+) ").Groups[1].Value;
            var during = ThreadNice.ByName(engine.Pid)[thread[..Math.Min(15, thread.Length)]];
            flood.Wait();
            engine.WaitForLog($"flood on {thread} over: back at nice 0", TimeSpan.FromSeconds(5));

            Assert.Contains(thread, new[] { "dataplane", $"{lab.Device("h1")}-q1" });
            Assert.Equal(5, during);
            Assert.Single(Regex.Matches(engine.Log, "flood of small frames on "));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

}
