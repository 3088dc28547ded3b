using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A frame whose checksum is left to the receiver, with bytes past its IP length, once stopped
/// every port of the engine for good: trimmed to the IP length, its layout still spoke of the
/// longer frame, the checksum completion threw, and the router restarted with an empty table.
/// Now the frame reaches its host with its checksum filled in, and the lab keeps forwarding.
/// </summary>
[Collection("engine")]
public sealed class FrameFaultTests(ITestOutputHelper output)
{
    private const int Subnet = 84;
    private const string Port = "9999";

    [IntegrationTheory]
    [InlineData(4)]
    [InlineData(6)]
    public void A_partial_checksum_frame_with_trailing_bytes_from_a_host_is_delivered_and_forwarding_goes_on(int version)
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(Hosts(lab, peerPort: null));
        try
        {
            var (source, destination) = Addresses(version);
            using var receiver = Receive(lab, version);
            var sent = Shell.InNamespace(lab.Namespace("h1"),
                $"python3 {Script} packet {lab.Device("h1")} {source} {destination}");
            Assert.True(sent.ExitCode == 0, sent.All);

            AssertReceived(receiver);
            AssertForwarding(lab, engine);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationTheory]
    [InlineData(4)]
    [InlineData(6)]
    public void A_partial_checksum_frame_with_trailing_bytes_from_a_peer_engine_is_delivered_and_forwarding_goes_on(int version)
    {
        using var lab = new TestLab();
        var peerPort = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(Hosts(lab, peerPort));
        try
        {
            var (source, destination) = Addresses(version);
            using var receiver = Receive(lab, version);
            var sent = Shell.Run("python3", $"{Script} peer 127.0.0.1:{peerPort} {source} {destination}");
            Assert.True(sent.ExitCode == 0, sent.All);

            AssertReceived(receiver);
            AssertForwarding(lab, engine);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    private static string Script => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/partial_checksum_frame.py");

    /// <summary>Host 1 hands the engine offloads; host 2 takes none, so the engine fills the checksum itself.</summary>
    private static string Hosts(TestLab lab, int? peerPort)
    {
        var hocon = LabConfigs.Hosts(lab, 2, Subnet, settings: i => i == 2 ? "offload = off" : "");
        if (peerPort is not { } port) return hocon;
        var peer = $"  peers = [ {{ name = east, role = engine, transport = tcp, listen = \"127.0.0.1:{port}\", framing = engine }} ]\n";
        return hocon.Replace("  routes = [", peer + "  routes = [", StringComparison.Ordinal);
    }

    private static (string Source, string Destination) Addresses(int version) => version == 4
        ? (LabConfigs.V4(Subnet, 1), LabConfigs.V4(Subnet, 2))
        : (LabConfigs.V6(Subnet, 1), LabConfigs.V6(Subnet, 2));

    /// <summary>Host 2 waits for one datagram on port 9999; its kernel drops one with a wrong checksum.</summary>
    private static Background Receive(TestLab lab, int version)
    {
        var (family, any) = version == 4 ? ("AF_INET", "0.0.0.0") : ("AF_INET6", "::");
        var script = string.Join("; ",
            "import socket",
            $"s = socket.socket(socket.{family}, socket.SOCK_DGRAM)",
            $"s.bind(('{any}', {Port}))",
            "print('listening', flush=True)",
            "s.settimeout(10)",
            "data, source = s.recvfrom(2000)",
            "print('received', data.decode(), flush=True)");
        var receiver = Background.InNamespace(lab.Namespace("h2"), $"python3 -c \"{script}\"");
        Assert.True(receiver.WaitForOutput("listening", TimeSpan.FromSeconds(10)), receiver.Output);
        return receiver;
    }

    private static void AssertReceived(Background receiver)
    {
        Assert.True(receiver.WaitForExit(TimeSpan.FromSeconds(15)), "the receiver is still waiting");
        Assert.Contains("received partial", receiver.Output);
    }

    /// <summary>Both ways, both families, and the gateway itself still answer.</summary>
    private void AssertForwarding(TestLab lab, EngineProcess engine)
    {
        foreach (var (from, to) in new[] { ("h1", LabConfigs.V4(Subnet, 2)), ("h2", LabConfigs.V6(Subnet, 1)), ("h1", LabConfigs.GatewayV4(Subnet, 1)) })
        {
            var ping = Shell.InNamespace(lab.Namespace(from), $"ping -n -c 2 -i 0.2 -W 2 {to}");
            output.WriteLine(ping.All);
            Assert.True(ping.ExitCode == 0, $"forwarding stopped: ping {to} from {from}\n{ping.All}");
        }
        Assert.False(engine.HasExited);
        Assert.DoesNotContain("restart", engine.Log, StringComparison.OrdinalIgnoreCase);
    }
}
