using System.Net;
using System.Net.Sockets;
using System.Text;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A peer can send anything. Garbage, a zero length, an oversized length or frames before the
/// handshake cost only that peer's link, logged and counted, while the hosts keep forwarding.
/// </summary>
[Collection("engine")]
public sealed class PeerAbuseTests(ITestOutputHelper output)
{
    private const int Subnet = 80;

    [IntegrationFact]
    public void Broken_peers_lose_their_own_link_while_every_device_keeps_forwarding()
    {
        using var lab = new TestLab();
        var quagga = MeshConfigs.FreePort();
        var ctl = MeshConfigs.FreePort();
        var east = MeshConfigs.FreePort(udp: true);
        using var engine = EngineProcess.Start(Lab(lab, quagga, ctl, east));
        try
        {
            // length16: a zero length, then an oversized one, each closes its connection.
            AssertClosedAfter(quagga, [0, 0, 1, 2, 3]);
            engine.WaitForLog("zero length in the stream", TimeSpan.FromSeconds(5));
            AssertClosedAfter(quagga, [0xFF, 0xFF, 1, 2, 3]);
            engine.WaitForLog("length 65535 is larger than the link's MTU (1500)", TimeSpan.FromSeconds(5));

            // length16 garbage that happens to frame: it reaches the router, which drops it as not IP.
            using (var garbage = Connect(quagga))
                garbage.Send([0, 4, 0xDE, 0xAD, 0xBE, 0xEF]);

            // engine framing: an HTTP request is an absurd length; a frame before the handshake is refused.
            AssertClosedAfter(ctl, Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
            engine.WaitForLog("over the limit", TimeSpan.FromSeconds(5));
            AssertClosedAfter(ctl, [4, 0, 0, 0, 0, 0, 0, 4, 0x45, 0, 0, 4]);
            engine.WaitForLog("frame before the handshake completed", TimeSpan.FromSeconds(5));

            // UDP engine framing: junk datagrams and unauthenticated data are dropped; the socket stays.
            using (var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
            {
                var target = new IPEndPoint(IPAddress.Loopback, east);
                udp.SendTo(Encoding.ASCII.GetBytes("junk"), target);
                udp.SendTo(new byte[] { 4, 0, 0xFF, 0xFF, 0, 0, 0, 4, 0x45, 0, 0, 4 }, target);
                udp.SendTo(new byte[] { 1, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF }, target);
            }

            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 3 -i 0.2 -W 2 {LabConfigs.V4(Subnet, 2)}");
            Assert.True(ping.ExitCode == 0, $"forwarding stopped:\n{ping.All}");
            Assert.False(engine.HasExited);

            // The counter lines name each drop on the peer it came from.
            engine.WaitForLog("quagga: rx 1 pkts", TimeSpan.FromSeconds(5));
            Thread.Sleep(1200);
            var log = engine.Log;
            Assert.Matches(@"quagga: rx 1 pkts .* drops malformed=2 unsupported=1", log);
            Assert.Matches(@"ctl: rx 0 pkts .* drops malformed=1 unauthenticated=1", log);
            Assert.Matches(@"east: rx 0 pkts .* drops (malformed=\d+ )?unauthenticated=\d+", log);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_forged_icmp_error_for_a_udp_links_datagrams_leaves_the_link_up()
    {
        // Anyone who can send ICMP to the engine's host can make a connected UDP socket report an
        // error (here "protocol unreachable"): it is about an earlier datagram, not the socket.
        using var lab = new TestLab();
        var (west, east) = (MeshConfigs.FreePort(udp: true), MeshConfigs.FreePort(udp: true));
        var key = ", key = \"a-long-shared-secret-1234\"";
        using var engine1 = EngineProcess.Start(MeshConfigs.Node(lab, 1, Subnet,
            [$"{{ name = east, role = engine, transport = udp, framing = engine, listen = \"127.0.0.1:{west}\", connect = \"127.0.0.1:{east}\"{key} }}"],
            new Dictionary<int, string> { [2] = "via = east" }));
        using var engine2 = EngineProcess.Start(MeshConfigs.Node(lab, 2, Subnet,
            [$"{{ name = west, role = engine, transport = udp, framing = engine, listen = \"127.0.0.1:{east}\", connect = \"127.0.0.1:{west}\"{key} }}"],
            new Dictionary<int, string> { [1] = "via = west" }));
        try
        {
            engine1.WaitForLog("peer east up", TimeSpan.FromSeconds(10));
            AssertPing(lab, "before the ICMP error");

            SendProtocolUnreachable(fromPort: west, toPort: east);
            SendProtocolUnreachable(fromPort: east, toPort: west);
            Thread.Sleep(500);

            AssertPing(lab, "after the ICMP error");
            Assert.DoesNotContain("peer east down", engine1.Log);
            Assert.DoesNotContain("peer west down", engine2.Log);
        }
        finally
        {
            output.WriteLine("--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log);
        }
    }

    private void AssertPing(TestLab lab, string when)
    {
        var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 3 -i 0.2 -W 2 {LabConfigs.V4(Subnet, 2)}");
        Assert.True(ping.ExitCode == 0, $"no ping across the link {when}:\n{ping.All}");
    }

    /// <summary>
    /// An ICMP "protocol unreachable" on loopback quoting a datagram from 127.0.0.1:<paramref name="fromPort"/>
    /// to 127.0.0.1:<paramref name="toPort"/>: the kernel sets that error on the sending socket.
    /// </summary>
    private static void SendProtocolUnreachable(int fromPort, int toPort)
    {
        byte[] quoted =
        [
            0x45, 0, 0, 36, 0, 0, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1, // IPv4, UDP, 127.0.0.1 -> 127.0.0.1
            (byte)(fromPort >> 8), (byte)fromPort, (byte)(toPort >> 8), (byte)toPort, 0, 16, 0, 0,
        ];
        WriteChecksum(quoted.AsSpan(0, 20), 10);
        byte[] icmp = [3, 2, 0, 0, 0, 0, 0, 0, .. quoted]; // destination unreachable, protocol unreachable
        WriteChecksum(icmp, 2);
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Raw, ProtocolType.Icmp);
        raw.SendTo(icmp, new IPEndPoint(IPAddress.Loopback, 0));
    }

    private static void WriteChecksum(Span<byte> bytes, int at)
    {
        uint sum = 0;
        for (var i = 0; i + 1 < bytes.Length; i += 2) sum += (uint)(bytes[i] << 8 | bytes[i + 1]);
        while (sum > 0xFFFF) sum = (sum & 0xFFFF) + (sum >> 16);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes[at..], (ushort)~sum);
    }

    private static string Lab(TestLab lab, int quagga, int ctl, int east)
    {
        var hosts = LabConfigs.Hosts(lab, 2, Subnet);
        var peers = "  node-name = node1\n  peers = [\n" +
            $"    {{ name = quagga, role = quagga, transport = tcp, listen = \"127.0.0.1:{quagga}\", framing = length16 }}\n" +
            $"    {{ name = ctl, role = controller, transport = tcp, listen = \"127.0.0.1:{ctl}\", framing = engine, key = \"a-key-nobody-here-knows\" }}\n" +
            $"    {{ name = east, role = engine, transport = udp, listen = \"127.0.0.1:{east}\", framing = engine, key = \"a-key-nobody-here-knows\" }}\n" +
            "  ]\n";
        return hosts.Replace("engine {\n", "engine {\n" + peers, StringComparison.Ordinal);
    }

    private static Socket Connect(int port)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000 };
        socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
        return socket;
    }

    /// <summary>Sends <paramref name="bytes"/> and expects the engine to close the connection.</summary>
    private static void AssertClosedAfter(int port, byte[] bytes)
    {
        using var socket = Connect(port);
        socket.Send(bytes);
        var buffer = new byte[4096];
        try
        {
            while (socket.Receive(buffer) > 0) { } // the engine's HELLO may come first
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
        }
        catch (SocketException e)
        {
            Assert.Fail($"the engine did not close the link: {e.SocketErrorCode}");
        }
    }
}
