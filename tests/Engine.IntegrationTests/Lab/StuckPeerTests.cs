using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A client connects to a stream peer with a 4 KiB receive buffer and never reads, while a host
/// floods UDP at the route through it. Its send queue may keep only its share of the frame pool,
/// so every other host keeps forwarding (a tap host's ARP included); and after stall-timeout
/// without a byte taken, the engine closes the link and the listener takes the next connection.
/// With the engine framing the client sends a KEEPALIVE every 0.5 s: the dead-peer timer never
/// fires, only the stall ends it.
/// </summary>
[Collection("engine")]
public sealed class StuckPeerTests(ITestOutputHelper output)
{
    private const int Subnet = 86;
    private const int FloodSeconds = 16;

    // Longer than the default 5 s, so that a loaded machine still pings the tap host before the link closes.
    private const int StallSeconds = 12;

    [IntegrationTheory]
    [InlineData("length16")]
    [InlineData("engine")]
    public void A_client_that_never_reads_costs_other_hosts_nothing_and_is_closed_after_stall_timeout(string framing)
    {
        using var lab = new TestLab();
        var port = MeshConfigs.FreePort();
        using var engine = EngineProcess.Start(Lab(lab, port, framing));
        var flood = Path.Combine(Path.GetTempPath(), $"engine-flood-{lab.Id}.py");
        File.WriteAllText(flood, FloodScript);
        try
        {
            using var stuck = new StuckClient(port, framing == "engine");
            engine.WaitForLog("peer stuck up", TimeSpan.FromSeconds(10));

            using (Background.InNamespace(lab.Namespace("h1"), $"python3 {flood} 10.{Subnet}.99.1 {FloodSeconds}"))
            {
                // The peer's queue is full: it drops, or (as before the fix) the pool ran dry first.
                var deadline = DateTime.UtcNow.AddSeconds(10);
                while (!Regex.IsMatch(engine.Log, "queue-full=|no-buffer=") && DateTime.UtcNow < deadline) Thread.Sleep(50);

                // The tap host resolves the engine's address and reaches host 2 while the client is connected.
                Shell.Run("ip", $"-n {lab.Namespace("h3")} neigh flush all");
                var ping = Shell.InNamespace(lab.Namespace("h3"), $"ping -n -c 10 -i 0.2 -W 2 {LabConfigs.V4(Subnet, 2)}");
                Assert.True(ping.ExitCode == 0 && ping.Output.Contains(" 0% packet loss", StringComparison.Ordinal),
                    $"host 3 lost pings while a peer was stuck:\n{ping.All}");
                Assert.DoesNotContain("send queue stalled", engine.Log);

                // After stall-timeout the link is closed; the keepalives kept it from looking dead.
                engine.WaitForLog($"send queue stalled for {StallSeconds} s with", TimeSpan.FromSeconds(StallSeconds + 10));
                engine.WaitForLog("peer stuck down", TimeSpan.FromSeconds(2));
                Assert.DoesNotContain("nothing heard", engine.Log);
                Assert.Matches($@"send queue stalled for {StallSeconds} s with \d+ bytes queued: closing", engine.Log);
            }

            // Nothing on any host ran short of buffers at any time.
            Thread.Sleep(1200);
            Assert.DoesNotMatch($@"{lab.Device("h")}\d: .*no-buffer", engine.Log);

            // The listener takes the next connection.
            using var next = new StuckClient(port, framing == "engine");
            var until = DateTime.UtcNow.AddSeconds(10);
            while (Regex.Matches(engine.Log, "peer stuck up").Count < 2 && DateTime.UtcNow < until) Thread.Sleep(50);
            Assert.Equal(2, Regex.Matches(engine.Log, "peer stuck up").Count);
        }
        finally
        {
            File.Delete(flood);
            output.WriteLine(engine.Log);
        }
    }

    // One datagram at a time, a little apart, so that each reaches the peer in a batch of its own:
    // the worst case for a queue that holds whole batches. The tun's queue may refuse some (ENOBUFS).
    private const string FloodScript = """
        import socket, sys, time
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        target, end = (sys.argv[1], 9), time.monotonic() + float(sys.argv[2])
        payload = bytes(1400)
        while time.monotonic() < end:
            try:
                s.sendto(payload, target)
            except OSError:
                pass
            time.sleep(0.0002)
        """;

    private static string Lab(TestLab lab, int port, string framing)
    {
        var hosts = LabConfigs.Hosts(lab, 3, Subnet, type: i => i == 3 ? "tap" : "tun");
        var peer = "  peers = [\n" +
            $"    {{ name = stuck, role = quagga, transport = tcp, listen = \"127.0.0.1:{port}\", framing = {framing}, stall-timeout = {StallSeconds}s }}\n" +
            "  ]\n";
        return hosts
            .Replace("engine {\n", "engine {\n  node-name = stuck-test\n" + peer, StringComparison.Ordinal)
            .Replace("  routes = [\n", $"  routes = [\n    {{ prefix = \"10.{Subnet}.99.0/24\", via = stuck }}\n", StringComparison.Ordinal);
    }

    /// <summary>
    /// A TCP client on 127.0.0.1 with a 4 KiB receive buffer that reads nothing after the
    /// handshake; with the engine framing it says HELLO, reads the engine's, and then sends a
    /// KEEPALIVE every 0.5 s until the engine closes the connection.
    /// </summary>
    private sealed class StuckClient : IDisposable
    {
        private const byte Hello = 1, Keepalive = 3;
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096, ReceiveTimeout = 5000 };
        private readonly ManualResetEventSlim _stop = new();
        private readonly Thread? _keepalives;

        public StuckClient(int port, bool engineFraming)
        {
            _socket.Connect(new IPEndPoint(IPAddress.Loopback, port));
            if (!engineFraming) return;
            Send(Hello, [1, 0, .. new byte[16], .. "stuck-client"u8]);
            var header = ReadExactly(8);
            Assert.Equal(Hello, header[0]);
            ReadExactly((int)BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4)));
            _keepalives = new Thread(SendKeepalives) { IsBackground = true };
            _keepalives.Start();
        }

        private void SendKeepalives()
        {
            try
            {
                do Send(Keepalive, []);
                while (!_stop.Wait(500));
            }
            catch (SocketException)
            {
                // the engine closed the link
            }
        }

        private byte[] ReadExactly(int length)
        {
            var buffer = new byte[length];
            for (var read = 0; read < length;)
            {
                var n = _socket.Receive(buffer, read, length - read, SocketFlags.None);
                Assert.NotEqual(0, n);
                read += n;
            }
            return buffer;
        }

        private void Send(byte type, byte[] body)
        {
            var message = new byte[8 + body.Length];
            message[0] = type;
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)body.Length);
            body.CopyTo(message, 8);
            _socket.Send(message);
        }

        public void Dispose()
        {
            _stop.Set();
            _keepalives?.Join();
            _socket.Dispose();
            _stop.Dispose();
        }
    }
}
