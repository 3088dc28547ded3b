using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// tools/controller_example.py against a real engine: it is told which device each frame came
/// from, and a frame it injects with a port tag leaves through that device to the host.
/// </summary>
[Collection("engine")]
public sealed class ControllerTests(ITestOutputHelper output)
{
    private const int Subnet = 79;
    private const string Key = "controller-shared-secret";

    [IntegrationFact]
    public void The_example_controller_gets_tagged_frames_from_two_devices_and_injects_one_to_the_right_host()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(ControllerLab(lab, port));
        using var receiver = Background.InNamespace(lab.Namespace("h2"),
            "timeout 20 python3 -u -c \"import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', 9999)); print('ready'); d, a = s.recvfrom(2000); print('got', d.decode(), 'from', a[0])\"");
        try
        {
            Assert.True(receiver.WaitForOutput("ready", TimeSpan.FromSeconds(10)), receiver.Output);
            using var controller = new Background("python3", $"-u {Tool} --connect 127.0.0.1:{port} --key {Key} --name ctl " +
                $"--count 2 --timeout 20 --inject 1:udp:10.{Subnet}.99.1:{LabConfigs.V4(Subnet, 2)}:9999:hello-from-ctl");
            engine.WaitForLog("peer ctl up", TimeSpan.FromSeconds(10));

            // Both hosts send towards the controller's prefix; the engine routes it to the controller.
            Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 1 -W 1 10.{Subnet}.99.1");
            Shell.InNamespace(lab.Namespace("h2"), $"ping -n -c 1 -W 1 10.{Subnet}.99.1");

            Assert.True(controller.WaitForExit(TimeSpan.FromSeconds(20)), "controller did not finish:\n" + controller.Output);
            output.WriteLine(controller.Output);
            Assert.Equal(0, controller.ExitCode);
            Assert.Contains("up: peer node1", controller.Output);
            Assert.Contains($"port 0 = {lab.Device("h1")}", controller.Output);
            Assert.Contains($"frame port 0 ({lab.Device("h1")}): IPv4 {LabConfigs.V4(Subnet, 1)} -> 10.{Subnet}.99.1 ICMP echo-request", controller.Output);
            Assert.Contains($"frame port 1 ({lab.Device("h2")}): IPv4 {LabConfigs.V4(Subnet, 2)} -> 10.{Subnet}.99.1 ICMP echo-request", controller.Output);
            Assert.Contains("injected", controller.Output);

            Assert.True(receiver.WaitForExit(TimeSpan.FromSeconds(10)), "the injected frame never reached h2:\n" + receiver.Output);
            Assert.Contains($"got hello-from-ctl from 10.{Subnet}.99.1", receiver.Output);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_controller_with_the_wrong_key_is_refused_and_logged_and_injects_nothing()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(ControllerLab(lab, port));
        try
        {
            var controller = Shell.Run("python3", $"{Tool} --connect 127.0.0.1:{port} --key wrong-key-of-enough-length --name ctl " +
                $"--count 1 --timeout 10 --inject 1:udp:10.{Subnet}.99.1:{LabConfigs.V4(Subnet, 2)}:9999:sneaky", TimeSpan.FromSeconds(20));
            output.WriteLine(controller.All);
            Assert.Equal(1, controller.ExitCode);
            Assert.Contains("authentication failed", controller.All);
            engine.WaitForLog("authentication failed", TimeSpan.FromSeconds(5));
            Assert.DoesNotContain("peer ctl up", engine.Log);

            // Everything else goes on.
            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 2 -i 0.2 -W 2 {LabConfigs.V4(Subnet, 2)}");
            Assert.True(ping.ExitCode == 0, ping.All);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Rules_punt_a_tun_packet_and_a_tap_frame_and_the_example_injects_hex_and_pcap_frames_and_reads_a_refusal()
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        var (tun, tap) = (lab.Device("r1"), lab.Device("r3"));
        using var engine = EngineProcess.Start(RuleLab(lab, port));
        var pcap = Path.Combine(Path.GetTempPath(), $"et{lab.Id}-inject.pcap");
        File.WriteAllBytes(pcap, RawIpPcap(MulticastPacket("10.78.99.1", "224.0.0.1", 253, "pcap-multicast")));
        using var ethernetSink = Background.InNamespace(lab.Namespace("r3"), $"timeout 30 python3 -u {RawFrames} listen-ethernet {tap} 88b5");
        using var ipSink = Background.InNamespace(lab.Namespace("r1"), $"timeout 30 python3 -u {RawFrames} listen-ip 253");
        try
        {
            Assert.True(ethernetSink.WaitForOutput("ready", TimeSpan.FromSeconds(10)) && ipSink.WaitForOutput("ready", TimeSpan.FromSeconds(10)),
                ethernetSink.Output + ipSink.Output);
            var experimental = "ffffffffffff" + "020000000099" + "88b5" + Convert.ToHexString("hex-frame"u8);
            var ipIntoTap = Convert.ToHexString(MulticastPacket("10.78.99.1", "224.0.0.1", 253, "no-ethernet-header"));
            using var controller = new Background("python3", $"-u {Tool} --connect 127.0.0.1:{port} --name ctl --count 2 --timeout 30 " +
                $"--inject {tap}:hex:{experimental} --inject {tun}:pcap:{pcap} --inject 1:hex:{ipIntoTap}");
            Assert.True(controller.WaitForOutput("refused on port 1", TimeSpan.FromSeconds(15)), controller.Output);

            // A ping with TTL 1 from the tun host, and an LLDP frame from the tap host: both rules punt.
            Shell.InNamespace(lab.Namespace("r1"), "ping -n -c 1 -W 1 -t 1 10.78.3.2");
            var lldp = "0180c200000e" + "020000000033" + "88cc" + new string('0', 92);
            Shell.InNamespace(lab.Namespace("r3"), $"python3 {RawFrames} send-ethernet {tap} {lldp}");

            Assert.True(controller.WaitForExit(TimeSpan.FromSeconds(20)), "controller did not finish:\n" + controller.Output);
            output.WriteLine(controller.Output);
            Assert.Equal(0, controller.ExitCode);
            Assert.Contains($"port 1 = {tap} (Ethernet)", controller.Output);
            Assert.Contains($"punt port 0 ({tun}) rule 0: IPv4 10.78.1.2 -> 10.78.3.2 ICMP echo-request", controller.Output);
            Assert.Contains($"punt port 1 ({tap}) rule 1: Ethernet 02:00:00:00:00:33 -> 01:80:c2:00:00:0e LLDP 60 B", controller.Output);
            Assert.Contains($"refused on port 1 ({tap}): 38-byte frame is an IP packet without an Ethernet header: port 1 ({tap}) takes Ethernet frames", controller.Output);

            Assert.True(ethernetSink.WaitForExit(TimeSpan.FromSeconds(5)), "the hex frame never reached the tap host:\n" + ethernetSink.Output);
            Assert.Contains("got ethernet 02:00:00:00:00:99 -> ff:ff:ff:ff:ff:ff type 0x88b5 23 B payload hex-frame", ethernetSink.Output);
            Assert.True(ipSink.WaitForExit(TimeSpan.FromSeconds(5)), "the pcap packet never reached the tun host:\n" + ipSink.Output);
            Assert.Contains("got ip proto 253 10.78.99.1 -> 224.0.0.1 ttl 1 payload pcap-multicast", ipSink.Output);
            engine.WaitForLog("ctl: rx 3 pkts", TimeSpan.FromSeconds(5));
            engine.WaitForLog("drops malformed=1", TimeSpan.FromSeconds(5));
        }
        finally
        {
            File.Delete(pcap);
            output.WriteLine(engine.Log);
        }
    }

    private static string Tool => Path.Combine(Repository.Root, "tools/controller_example.py");
    private static string RawFrames => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/raw_frames.py");

    /// <summary>A tun host r1 and a tap host r3, routed; rules punt TTL-1 ICMP and LLDP to the controller.</summary>
    private static string RuleLab(TestLab lab, int port) => $$"""
        engine {
          node-name = node1
          counters-interval = 1s
          devices = [
            { name = {{lab.Device("r1")}}, type = tun, namespace = {{lab.Namespace("r1")}}, address = "10.78.1.2/24", gateway = "10.78.1.1" }
            { name = {{lab.Device("r3")}}, type = tap, namespace = {{lab.Namespace("r3")}}, address = "10.78.3.2/24", gateway = "10.78.3.1" }
          ]
          peers = [ { name = ctl, role = controller, transport = tcp, listen = "127.0.0.1:{{port}}", framing = engine } ]
          routes = [
            { prefix = "10.78.1.0/24", via = {{lab.Device("r1")}} }
            { prefix = "10.78.3.0/24", via = {{lab.Device("r3")}} }
          ]
          rules = [
            { match = { ttl = 1, ip-proto = icmp }, action = controller }
            { match = { eth-type = lldp }, action = controller }
          ]
        }
        """;

    /// <summary>An IPv4 packet of <paramref name="protocol"/> with TTL 1, as a multicast routing daemon's would be.</summary>
    private static byte[] MulticastPacket(string source, string destination, byte protocol, string payload)
    {
        var body = System.Text.Encoding.ASCII.GetBytes(payload);
        var packet = new byte[20 + body.Length];
        packet[0] = 0x45;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)packet.Length);
        packet[8] = 1;
        packet[9] = protocol;
        System.Net.IPAddress.Parse(source).GetAddressBytes().CopyTo(packet, 12);
        System.Net.IPAddress.Parse(destination).GetAddressBytes().CopyTo(packet, 16);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Engine.Actors.Wire.InternetChecksum.Compute(packet.AsSpan(0, 20)));
        body.CopyTo(packet, 20);
        return packet;
    }

    /// <summary>A classic pcap file (little-endian, link type 101: raw IP) holding one packet.</summary>
    private static byte[] RawIpPcap(byte[] packet)
    {
        var file = new byte[24 + 16 + packet.Length];
        var span = file.AsSpan();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span, 0xa1b2c3d4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[4..], 2);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(span[6..], 4);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[16..], 65535);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[20..], 101);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[32..], (uint)packet.Length);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(span[36..], (uint)packet.Length);
        packet.CopyTo(file, 40);
        return file;
    }

    private static string ControllerLab(TestLab lab, int port)
    {
        var hosts = LabConfigs.Hosts(lab, 2, Subnet);
        var peer = $"  node-name = node1\n  peers = [ {{ name = ctl, role = controller, transport = tcp, listen = \"127.0.0.1:{port}\", framing = engine, key = \"{Key}\" }} ]\n";
        var route = $"    {{ prefix = \"10.{Subnet}.99.0/24\", via = ctl }}\n  ]\n}}\n";
        hosts = hosts[..hosts.LastIndexOf("  ]\n}", StringComparison.Ordinal)] + route;
        return hosts.Replace("engine {\n", "engine {\n" + peer, StringComparison.Ordinal);
    }
}
