using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A UDP link between two engines over a path with an Ethernet MTU (a veth pair of 1500 between
/// two namespaces the engines open their sockets in), where a full-size packet with its header
/// is too big for a segmented send: the link knows from the path MTU, sends those one by one,
/// and keeps going; when the path's MTU then shrinks, the refused send teaches it the new one.
/// </summary>
[Collection("engine")]
public sealed class UdpPathTests(ITestOutputHelper output)
{
    private const int Subnet = 84;
    private const int Port = 4790;

    [IntegrationFact]
    public void Over_a_1500_byte_path_full_size_packets_leave_one_per_send_and_a_smaller_mtu_is_learnt_from_the_refusal()
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
            // 1500 - 20 (IPv4) - 8 (UDP): the largest datagram one packet carries, known before the first send.
            Assert.Contains("path MTU 1500: datagrams over 1472 bytes go one per send", engine1.Log);
            var (bytes, _) = Iperf3.Tcp(lab.Namespace("h1"), lab.Namespace("h2"), LabConfigs.V4(Subnet, 2));
            output.WriteLine($"iperf3 moved {bytes} bytes over the 1500-byte path");
            Assert.DoesNotContain("exceed the path's MTU", engine1.Log);

            // Runs of 1448-byte packets (1456 with the link's header) went segmented over 1500;
            // at 1400 the first such send is refused, and the link takes the new path MTU.
            Run(west, $"ip link set {lab.Device("w")} mtu 1400");
            var (packets, lost, _) = Iperf3.Udp(lab.Namespace("h1"), lab.Namespace("h2"), LabConfigs.V4(Subnet, 2), "-l 1420 -b 200M");
            output.WriteLine($"iperf3 UDP after the path's MTU fell to 1400: {packets} datagrams, {lost} % lost");
            Assert.Contains("segments of 1456 bytes exceed the path's MTU; datagrams over 1372 bytes go one per send", engine1.Log);
            Assert.True(packets > 0 && lost < 50, $"{lost} % of {packets} datagrams lost");
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
