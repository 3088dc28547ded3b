using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A UDP link between two engines over a path with an Ethernet MTU (a veth pair of 1500 between
/// two namespaces the engines open their sockets in), where a full-size packet with its header
/// is too big for a segmented send: the link notices, sends those one by one, and keeps going.
/// </summary>
[Collection("engine")]
public sealed class UdpPathTests(ITestOutputHelper output)
{
    private const int Subnet = 84;
    private const int Port = 4790;

    [IntegrationFact]
    public void Over_a_1500_byte_path_full_size_packets_leave_one_per_send_and_tcp_still_flows()
    {
        using var lab = new TestLab();
        string west = lab.Namespace("w"), east = lab.Namespace("e");
        foreach (var ns in new[] { west, east })
        {
            Assert.Equal(0, Shell.Run("ip", $"netns add {ns}").ExitCode);
            Assert.Equal(0, Shell.InNamespace(ns, "ip link set lo up").ExitCode);
        }
        Run(west, $"ip link add {lab.Device("w")} mtu 1500 type veth peer name {lab.Device("e")} netns {east}");
        Run(west, $"ip addr add 10.{Subnet}.100.1/24 dev {lab.Device("w")}");
        Run(east, $"ip addr add 10.{Subnet}.100.2/24 dev {lab.Device("e")}");
        Run(west, $"ip link set {lab.Device("w")} up");
        Run(east, $"ip link set {lab.Device("e")} up");

        string Peer(string name, string ns, int local, int remote) =>
            $"{{ name = {name}, role = engine, transport = udp, framing = engine, namespace = {ns}, " +
            $"listen = \"10.{Subnet}.100.{local}:{Port}\", connect = \"10.{Subnet}.100.{remote}:{Port}\" }}";
        var one = MeshConfigs.Node(lab, 1, Subnet, [Peer("east", west, 1, 2)], new Dictionary<int, string> { [2] = "via = east" });
        var two = MeshConfigs.Node(lab, 2, Subnet, [Peer("west", east, 2, 1)], new Dictionary<int, string> { [1] = "via = west" });
        using var engine1 = EngineProcess.Start(one);
        using var engine2 = EngineProcess.Start(two);
        try
        {
            engine1.WaitForLog("peer east up", TimeSpan.FromSeconds(10));
            var (bytes, _) = Iperf3.Tcp(lab.Namespace("h1"), lab.Namespace("h2"), LabConfigs.V4(Subnet, 2));
            output.WriteLine($"iperf3 moved {bytes} bytes over the 1500-byte path");

            Assert.Contains("exceed the path's MTU; larger datagrams go one per send", engine1.Log);
        }
        finally
        {
            output.WriteLine(engine1.Log);
            output.WriteLine(engine2.Log);
        }
    }

    private static void Run(string ns, string command)
    {
        var result = Shell.InNamespace(ns, command);
        Assert.True(result.ExitCode == 0, $"{command}: {result.All}");
    }
}
