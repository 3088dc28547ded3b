using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Two wires share one engine-framing link, told apart by their tags: host a1 reaches only a2 and
/// b1 only b2, each pair on its own subnet, so a frame delivered to the wrong wire would find
/// nobody to answer it. TCP across a wire moves super-frames whole over the link.
/// </summary>
[Collection("engine")]
public sealed class WireLinkTests(ITestOutputHelper output)
{
    [IntegrationFact]
    public void Two_wires_share_one_engine_link_and_tcp_crosses_one_as_super_frames()
    {
        using var lab = new TestLab();
        var (one, two) = WireLabs.Links(lab, "tcp", "engine");
        using var engine1 = EngineProcess.Start(Node(lab, 1, one));
        using var engine2 = EngineProcess.Start(Node(lab, 2, two));
        try
        {
            engine1.WaitForLog("peer far up", TimeSpan.FromSeconds(15));
            engine2.WaitForLog("peer far up", TimeSpan.FromSeconds(15));
            Assert.Matches("peer far up: .*super-frames", engine1.Log);

            Ping(lab.Namespace("a1"), "10.79.1.2");
            Ping(lab.Namespace("b1"), "10.79.2.2");
            Ping(lab.Namespace("b2"), "fd79:2::1");

            var (bytes, _) = Iperf3.Tcp(lab.Namespace("a1"), lab.Namespace("a2"), "10.79.1.2", seconds: 2);
            Assert.True(bytes > 0, "iperf3 moved nothing");
            // Frames far larger than the 1500-byte MTU came in over the link: whole super-frames.
            Thread.Sleep(1100);
            var largest = Regex.Matches(engine2.Log, @"far: rx (\d+) pkts (\d+) B")
                .Select(m => long.Parse(m.Groups[2].Value) / Math.Max(1, long.Parse(m.Groups[1].Value))).Max();
            Assert.True(largest > 1500, $"the link's frames averaged at most {largest} bytes");
            Assert.DoesNotMatch("(no-route|malformed|too-big)=", engine1.Log + engine2.Log);
        }
        finally
        {
            output.WriteLine("--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log);
        }
    }

    [IntegrationTheory]
    [InlineData("tun")]
    [InlineData("tap")]
    public void Two_devices_of_one_engine_wired_together_are_one_link_for_their_hosts(string type)
    {
        using var lab = new TestLab();
        string Device(int node) =>
            $"{{ name = {lab.Device($"w{node}")}, type = {type}, namespace = {lab.Namespace($"w{node}")}, address = [\"10.80.0.{node}/24\", \"fd80::{node}/64\"] }}";
        using var engine = EngineProcess.Start($$"""
            engine {
              counters-interval = 1s
              devices = [
                {{Device(1)}}
                {{Device(2)}}
              ]
              wires = [ { ports = [{{lab.Device("w1")}}, {{lab.Device("w2")}}] } ]
            }
            """);
        try
        {
            Ping(lab.Namespace("w1"), "10.80.0.2");
            Ping(lab.Namespace("w2"), "fd80::1");
            var (bytes, _) = Iperf3.Tcp(lab.Namespace("w1"), lab.Namespace("w2"), "10.80.0.2", seconds: 2);
            Assert.True(bytes > 0, "iperf3 moved nothing");
            Assert.DoesNotMatch("(no-route|malformed|too-big|unsupported|not-routable)=", engine.Log);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Check_prints_the_wires_and_refuses_a_port_both_wired_and_routed_with_exit_code_2()
    {
        using var lab = new TestLab();
        var (one, _) = WireLabs.Links(lab, "tcp", "engine");
        var wired = Node(lab, 1, one);
        using (var check = EngineProcess.Launch("check", wired))
        {
            Assert.True(check.WaitForExit(TimeSpan.FromSeconds(30)));
            output.WriteLine(check.Log);
            Assert.Equal(0, check.ExitCode);
            Assert.Contains($"wire {lab.Device("a1")} <-> far", check.Log);
        }

        var routed = wired.Replace("  peers = [", "  routes = [ { prefix = \"10.79.9.0/24\", via = far } ]\n  peers = [", StringComparison.Ordinal);
        using var refused = EngineProcess.Launch("check", routed);
        Assert.True(refused.WaitForExit(TimeSpan.FromSeconds(30)));
        output.WriteLine(refused.Log);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(["engine.routes[0].via: \"far\" is wired (engine.wires[0]): a wired port takes part in no routing"],
            refused.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain(lab.Namespace("a1"), Shell.Namespaces());
    }

    private void Ping(string ns, string destination) => Infrastructure.Frr.FrrChecks.AssertPing(output, ns, destination);

    /// <summary>Engine <paramref name="node"/>: hosts a{node} and b{node} on tuns, wired to the link in that order.</summary>
    private static string Node(TestLab lab, int node, string link) => $$"""
        engine {
          node-name = wire{{node}}
          counters-interval = 1s
          devices = [
            { name = {{lab.Device($"a{node}")}}, type = tun, namespace = {{lab.Namespace($"a{node}")}}, address = ["10.79.1.{{node}}/24", "fd79:1::{{node}}/64"] }
            { name = {{lab.Device($"b{node}")}}, type = tun, namespace = {{lab.Namespace($"b{node}")}}, address = ["10.79.2.{{node}}/24", "fd79:2::{{node}}/64"] }
          ]
          peers = [ {{link}} ]
          wires = [
            { ports = [{{lab.Device($"a{node}")}}, far] }
            { ports = [far, {{lab.Device($"b{node}")}}] }
          ]
        }
        """;
}
