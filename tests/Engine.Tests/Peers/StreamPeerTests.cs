using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>Peer actors over real loopback TCP and Unix stream sockets, in both framings.</summary>
public sealed class StreamPeerTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public void Length16_listener_carries_frames_both_ways_in_simpletuns_format()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint));
        using var client = Connect(endpoint);
        peer.ExpectLink(up: true);

        var first = PeerHarness.Packet(60, 1);
        var second = PeerHarness.Packet(1400, 2);
        client.Send([.. Length16(first), .. Length16(second)]);
        var frames = peer.ExpectFrames(2);
        Assert.Equal(first, frames[0].Frame);
        Assert.Equal(second, frames[1].Frame);
        Assert.Equal(2, peer.Counters.RxPackets);

        var third = PeerHarness.Packet(100, 3);
        peer.Actor.Tell(peer.Batch((first, -1), (third, 0)));
        Assert.Equal(Length16(first), ReadExactly(client, 62));
        Assert.Equal(Length16(third), ReadExactly(client, 102));
        AwaitAssert(() => Assert.Equal(2, peer.Counters.TxPackets), Wait);
    }

    [Fact]
    public void A_stranger_connecting_in_a_loop_is_counted_every_time_and_logged_a_few_times_a_second()
    {
        const int attempts = 40;
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16,
            listen: endpoint, allow: [IPNetwork.Parse("10.0.0.0/8")]));
        for (var i = 0; i < attempts; i++)
            using (Connect(endpoint)) { }
        AwaitAssert(() => Assert.Equal(attempts, peer.Counters.Drops(DropReason.Unauthenticated)), Wait);

        // Each window lets a few lines through; the rest of it is told as one count.
        int logged = 0, held = 0;
        while (logged + held < attempts)
        {
            var line = warnings.ExpectMsg<Akka.Event.Warning>(Wait).Message.ToString()!;
            if (line.Contains("refused a connection from 127.0.0.1", StringComparison.Ordinal)) logged++;
            else if (System.Text.RegularExpressions.Regex.Match(line, @"(\d+) more attempts to connect") is { Success: true } more)
                held += int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        Assert.Equal(attempts, logged + held);
        Assert.InRange(logged, Engine.Actors.Peers.AttemptLog.PerWindow, attempts / 2);
    }

    [Fact]
    public void Connections_replacing_each_other_in_a_loop_are_logged_a_few_times_a_second()
    {
        const int attempts = 60;
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        var lines = CreateTestProbe();
        Sys.EventStream.Subscribe(lines.Ref, typeof(Akka.Event.Info));
        Sys.EventStream.Subscribe(lines.Ref, typeof(Akka.Event.Warning));
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint));
        PeerHarness.WaitUntilBound(endpoint, SocketType.Stream);
        var started = DateTime.UtcNow;
        for (var i = 0; i < attempts; i++)
            using (Connect(endpoint)) { }

        // Every connection replaces the one before (a line), comes up (a line) and may go down (a
        // line): only a few of those per window are told one by one, the rest as a count.
        int told = 0, held = 0;
        var quiet = DateTime.UtcNow + TimeSpan.FromSeconds(2);
        while (DateTime.UtcNow < quiet)
        {
            if (lines.ReceiveOne(TimeSpan.FromMilliseconds(200)) is not Akka.Event.LogEvent line) continue;
            var text = line.Message.ToString()!;
            if (!text.StartsWith("peer peer", StringComparison.Ordinal)) continue;
            quiet = DateTime.UtcNow + TimeSpan.FromSeconds(1.5);
            if (System.Text.RegularExpressions.Regex.Match(text, @"(\d+) more attempts to connect") is { Success: true } more)
                held += int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            else told++;
        }
        var windows = (int)Math.Ceiling((DateTime.UtcNow - started) / Engine.Actors.Peers.AttemptLog.Window) + 1;
        Assert.InRange(told, 1, Engine.Actors.Peers.AttemptLog.PerWindow * windows);
        Assert.True(held > 0, $"{told} lines told one by one, none held back");
        Assert.True(told + held >= attempts - 1, $"{told} told and {held} held for {attempts} connections");
    }

    [Fact]
    public void A_frame_split_across_many_writes_is_reassembled()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint));
        using var client = Connect(endpoint);
        peer.ExpectLink(up: true);

        var packet = PeerHarness.Packet(1000, 9);
        foreach (var piece in Length16(packet).Chunk(7))
        {
            client.Send(piece);
            Thread.Sleep(1);
        }
        Assert.Equal(packet, peer.ExpectFrames(1)[0].Frame);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0 }, "zero length")]
    [InlineData(new byte[] { 0xFF, 0xFF }, "oversized length")]
    public void A_bad_length_closes_the_link_counted_and_the_listener_takes_the_next_connection(byte[] header, string why)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint));
        using (var bad = Connect(endpoint))
        {
            peer.ExpectLink(up: true);
            bad.Send([.. header, 1, 2, 3]);
            Assert.True(ClosedByEngine(bad), why);
            peer.ExpectLink(up: false);
            Assert.Equal(1, peer.Counters.Drops(DropReason.Malformed));
        }

        using var good = Connect(endpoint);
        peer.ExpectLink(up: true);
        var packet = PeerHarness.Packet(64, 4);
        good.Send(Length16(packet));
        Assert.Equal(packet, peer.ExpectFrames(1)[0].Frame);
    }

    [Fact]
    public void Frames_before_the_bad_length_that_closes_the_link_still_go_on()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint));
        using var bad = Connect(endpoint);
        peer.ExpectLink(up: true);
        var (first, second) = (PeerHarness.Packet(64, 1), PeerHarness.Packet(64, 2));

        bad.Send([.. Length16(first), .. Length16(second), 0xFF, 0xFF, 1, 2, 3]);

        Assert.Equal([first, second], peer.ExpectFrames(2).Select(f => f.Frame));
        Assert.True(ClosedByEngine(bad));
        peer.ExpectLink(up: false);
        Assert.Equal(1, peer.Counters.Drops(DropReason.Malformed));
        Assert.Equal(2, peer.Counters.RxPackets);
    }

    [Fact]
    public void Frames_for_a_peer_that_is_down_are_dropped_and_counted()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint));
        peer.Actor.Tell(peer.Batch((PeerHarness.Packet(64, 1), -1), (PeerHarness.Packet(64, 2), -1)));
        AwaitAssert(() => Assert.Equal(2, peer.Counters.Drops(DropReason.PortDown)), Wait);
    }

    [Fact]
    public void A_client_redials_with_backoff_until_the_far_end_listens()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Engine, PeerTransport.Tcp, PeerFraming.Length16, connect: endpoint));
        Thread.Sleep(300); // several refused attempts
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(endpoint);
        listener.Listen();
        listener.ReceiveTimeout = 3000;
        using var accepted = listener.Accept();
        peer.ExpectLink(up: true);

        accepted.Close();
        peer.ExpectLink(up: false);
        using var again = listener.Accept();
        peer.ExpectLink(up: true);
    }

    [Fact]
    public void Unix_stream_socket_carries_frames()
    {
        var path = Path.Combine(Path.GetTempPath(), $"engine-peer-{Guid.NewGuid():N}.sock");
        try
        {
            var endpoint = new UnixDomainSocketEndPoint(path);
            using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Unix, PeerFraming.Length16, listen: endpoint));
            AwaitCondition(() => File.Exists(path), Wait);
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(endpoint);
            peer.ExpectLink(up: true);
            var packet = PeerHarness.Packet(300, 5);
            client.Send(Length16(packet));
            Assert.Equal(packet, peer.ExpectFrames(1)[0].Frame);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <param name="receiveBuffer">SO_RCVBUF, set before connecting so that the window the engine sees is that small.</param>
    internal static Socket Connect(EndPoint endpoint, int? receiveBuffer = null)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 5000, NoDelay = true };
        if (receiveBuffer is { } size) socket.ReceiveBufferSize = size;
        var deadline = DateTime.UtcNow + Wait;
        while (true)
        {
            try
            {
                socket.Connect(endpoint);
                return socket;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20); // the actor may not be listening yet
            }
        }
    }

    internal static byte[] Length16(byte[] packet)
    {
        var framed = new byte[2 + packet.Length];
        BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)packet.Length);
        packet.CopyTo(framed, 2);
        return framed;
    }

    internal static byte[] ReadExactly(Socket socket, int length)
    {
        var buffer = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = socket.Receive(buffer, read, length - read, SocketFlags.None);
            Assert.NotEqual(0, n);
            read += n;
        }
        return buffer;
    }

    /// <summary>True when the engine closed the connection (end of stream, or a reset).</summary>
    internal static bool ClosedByEngine(Socket socket)
    {
        try
        {
            var buffer = new byte[4096];
            while (true)
                if (socket.Receive(buffer) == 0) return true;
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode == SocketError.ConnectionReset;
        }
    }
}
