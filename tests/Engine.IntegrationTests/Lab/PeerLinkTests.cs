using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Two engines, each with a tun host in its own namespace, joined by a socket peer link: the
/// hosts reach each other through both engines over every transport and framing.
/// </summary>
[Collection("engine")]
public sealed class PeerLinkTests(ITestOutputHelper output)
{
    private const int Subnet = 78;

    [IntegrationTheory]
    [InlineData("tcp", "engine")]
    [InlineData("tcp", "length16")]
    [InlineData("udp", "engine")]
    [InlineData("udp", "datagram")]
    [InlineData("unix", "engine")]
    [InlineData("unix", "length16")]
    public void Two_engines_linked_by_a_peer_carry_ping_both_ways_and_iperf3(string transport, string framing)
    {
        using var lab = new TestLab();
        var (west, east) = Endpoints(transport, lab);
        var key = framing == "engine" ? ", key = \"a-long-shared-secret-1234\"" : "";
        var one = MeshConfigs.Node(lab, 1, Subnet,
            [$"{{ name = east, role = engine, transport = {transport}, framing = {framing}, listen = \"{west}\"{(transport == "udp" ? $", connect = \"{east}\"" : "")}{key} }}"],
            new Dictionary<int, string> { [2] = "via = east" });
        var two = MeshConfigs.Node(lab, 2, Subnet,
            [$"{{ name = west, role = engine, transport = {transport}, framing = {framing}, connect = \"{west}\"{(transport == "udp" ? $", listen = \"{east}\"" : "")}{key} }}"],
            new Dictionary<int, string> { [1] = "via = west" });

        using var engine1 = EngineProcess.Start(one);
        using var engine2 = EngineProcess.Start(two);
        try
        {
            engine1.WaitForLog("peer east up", TimeSpan.FromSeconds(10));
            engine2.WaitForLog("peer west up", TimeSpan.FromSeconds(10));
            // Engines on a stream link move super-frames whole; a datagram cannot hold one.
            if (framing == "engine" && transport != "udp") Assert.Contains("(engine, super-frames)", engine1.Log);
            AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            AssertPing(lab.Namespace("h2"), LabConfigs.V4(Subnet, 1));
            AssertPing(lab.Namespace("h1"), LabConfigs.V6(Subnet, 2));
            AssertIperf(lab, LabConfigs.V4(Subnet, 2));
        }
        finally
        {
            output.WriteLine("--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log);
            if (transport == "unix") File.Delete(west);
        }
    }

    private static (string West, string East) Endpoints(string transport, TestLab lab) => transport switch
    {
        "unix" => ($"/tmp/engine-{lab.Id}.sock", ""),
        "udp" => ($"127.0.0.1:{MeshConfigs.FreePort(udp: true)}", $"127.0.0.1:{MeshConfigs.FreePort(udp: true)}"),
        _ => ($"127.0.0.1:{MeshConfigs.FreePort()}", ""),
    };

    private void AssertIperf(TestLab lab, string server)
    {
        var (_, bitsPerSecond) = Iperf3.Tcp(lab.Namespace("h1"), lab.Namespace("h2"), server);
        output.WriteLine($"iperf3: {bitsPerSecond / 1e9:F2} Gbit/s");
    }

    private void AssertPing(string ns, string address) => Pings.AssertAnswered(output, ns, address);
}
