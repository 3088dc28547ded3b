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

/// <summary>
/// A stream peer that connects and stops reading: what its send queue may keep of the shared
/// pool (a byte budget, the frames packed into few batches), and how long (stall-timeout).
/// The router sends it one frame per batch, the worst case: each batch holds a whole batch's
/// buffers.
/// </summary>
public sealed class StuckPeerTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private const int FrameLength = 1400;

    // More than the engine's socket takes in: its send buffer grows up to tcp_wmem's 4 MiB.
    private const int Overflowing = 5000;

    [Fact]
    public void A_peer_that_stops_reading_holds_no_more_than_its_share_of_the_pool()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint));
        using var stuck = ConnectWithSmallReceiveBuffer(endpoint);
        peer.ExpectLink(up: true);

        FloodUntilQueueFull(peer);

        // One peer, so its share is half the pool: the other half stays for every other port.
        AwaitAssert(() => Assert.InRange(peer.FreeBatches(), peer.Pool.MaxBatches / 2, peer.Pool.MaxBatches), Wait);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(16)]
    public void Frames_queued_behind_a_stuck_socket_are_packed_into_few_batches_in_order_and_each_is_sent_or_counted(int perBatch)
    {
        // 64 buffers are 4 batches of 16: one frame per batch would take all 64 batches of the pool.
        const int frames = Overflowing;
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint,
            sendQueue: 64));
        using var stuck = ConnectWithSmallReceiveBuffer(endpoint);
        peer.ExpectLink(up: true);

        Assert.Equal(frames, Flood(peer, frames, perBatch));
        AwaitAssert(() => Assert.InRange(peer.FreeBatches(), peer.Pool.MaxBatches - 64 / 16, peer.Pool.MaxBatches), Wait);

        // Everything kept goes out in the order it came; the rest was dropped as queue-full.
        var received = ReadAll(stuck);
        Assert.Equal(received.OrderBy(n => n), received);
        Assert.Equal(received.Count, received.Distinct().Count());
        AwaitAssert(() => Assert.Equal(frames, received.Count + peer.Counters.Drops(DropReason.QueueFull)), Wait);
        Assert.Equal(received.Count, peer.Counters.TxPackets);
    }

    [Fact]
    public void A_send_queue_that_moves_no_byte_for_stall_timeout_closes_the_link_and_the_listener_takes_the_next()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint,
            sendQueue: 64, stallTimeout: TimeSpan.FromSeconds(1)));
        using var stuck = ConnectWithSmallReceiveBuffer(endpoint);
        peer.ExpectLink(up: true);

        using (new SteadyFlood(peer))
            peer.ExpectLink(up: false);
        ExpectStallWarning(warnings, "1");
        AwaitAssert(() => Assert.Equal(peer.Pool.MaxBatches, peer.FreeBatches()), Wait);

        using var next = StreamPeerTests.Connect(endpoint);
        peer.ExpectLink(up: true);
    }

    [Fact]
    public void An_engine_peer_that_keeps_sending_keepalives_but_never_reads_is_closed_after_stall_timeout()
    {
        // Its keepalives keep the dead-peer timer (1 s here) from ever firing: only the stall ends it.
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Engine, PeerTransport.Tcp, PeerFraming.Engine, listen: endpoint,
            sendQueue: 64, stallTimeout: TimeSpan.FromSeconds(2)));
        using var stuck = ConnectWithSmallReceiveBuffer(endpoint);
        var wire = new EngineWire(stuck, "stuck", key: null);
        wire.SendHello();
        wire.ExpectHello();
        peer.ExpectLink(up: true);

        using var stop = new ManualResetEventSlim();
        var keepalives = new Thread(() =>
        {
            try
            {
                do wire.Send(3, 0xFFFF, []);
                while (!stop.Wait(100));
            }
            catch (SocketException)
            {
                // the engine closed the link
            }
        });
        keepalives.Start();
        try
        {
            using (new SteadyFlood(peer))
                peer.ExpectLink(up: false);
            ExpectStallWarning(warnings, "2");
        }
        finally
        {
            stop.Set();
            keepalives.Join();
        }
    }

    [Fact]
    public void A_slow_reader_that_keeps_taking_bytes_is_not_stalled()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Tcp, PeerFraming.Length16, listen: endpoint,
            sendQueue: 64, stallTimeout: TimeSpan.FromMilliseconds(500)));
        using var slow = ConnectWithSmallReceiveBuffer(endpoint);
        peer.ExpectLink(up: true);

        // Over two seconds the queue never empties, but each 100 ms some of it goes.
        var buffer = new byte[8192];
        var until = DateTime.UtcNow.AddSeconds(2);
        while (DateTime.UtcNow < until)
        {
            Flood(peer, 20);
            Thread.Sleep(100);
            slow.Receive(buffer);
        }
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.True(peer.Counters.TxPackets > 0);
    }

    /// <summary>A client with a 4 KiB receive buffer, which it then never reads.</summary>
    private static Socket ConnectWithSmallReceiveBuffer(IPEndPoint endpoint) => StreamPeerTests.Connect(endpoint, receiveBuffer: 4096);

    /// <summary>
    /// Tells the peer <paramref name="frames"/> numbered frames, <paramref name="perBatch"/> per
    /// batch; returns how many it could give before the pool had no batch for a second.
    /// </summary>
    private static int Flood(PeerHarness peer, int frames, int perBatch = 1)
    {
        var packet = PeerHarness.Packet(FrameLength, 1);
        for (var n = 0; n < frames;)
        {
            var deadline = DateTime.UtcNow.AddSeconds(1);
            FrameBatch? batch;
            while (!peer.Pool.TryRent(out batch))
            {
                if (DateTime.UtcNow > deadline) return n;
                Thread.Sleep(1); // the actor releases what it sends or drops
            }
            for (var f = 0; f < perBatch && n < frames; f++, n++)
            {
                BinaryPrimitives.WriteInt32BigEndian(packet.AsSpan(4), n);
                batch.TryAppendCopy(packet);
            }
            peer.Actor.Tell(batch);
        }
        return frames;
    }

    /// <summary>
    /// Floods the peer until its send queue is full (it drops): the socket's buffer, which grows
    /// on its own, has taken all it will. Fails if the pool runs dry first.
    /// </summary>
    private void FloodUntilQueueFull(PeerHarness peer)
    {
        for (var round = 0; round < 10 && peer.Counters.Drops(DropReason.QueueFull) == 0; round++)
        {
            Assert.Equal(Overflowing, Flood(peer, Overflowing));
            Thread.Sleep(100);
        }
        AwaitAssert(() => Assert.True(peer.Counters.Drops(DropReason.QueueFull) > 0), Wait);
    }

    /// <summary>
    /// Floods the peer from a thread of its own until disposed, as a host sending steadily does:
    /// the socket's buffer may still grow now and then and take some of the queue, but the
    /// queue never runs empty.
    /// </summary>
    private sealed class SteadyFlood : IDisposable
    {
        private readonly ManualResetEventSlim _stop = new();
        private readonly Thread _thread;

        public SteadyFlood(PeerHarness peer)
        {
            _thread = new Thread(() =>
            {
                while (!_stop.IsSet) Flood(peer, 100);
            });
            _thread.Start();
        }

        public void Dispose()
        {
            _stop.Set();
            _thread.Join();
            _stop.Dispose();
        }
    }

    /// <summary>The numbers of the length16 frames the socket holds, read until it has had nothing for a second.</summary>
    private static List<int> ReadAll(Socket socket)
    {
        var bytes = new List<byte>();
        var buffer = new byte[1 << 16];
        socket.ReceiveTimeout = 1000;
        try
        {
            while (socket.Receive(buffer) is var n and > 0) bytes.AddRange(buffer.AsSpan(0, n));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
        }
        var numbers = new List<int>();
        var all = bytes.ToArray();
        for (var at = 0; at < all.Length; at += 2 + FrameLength)
        {
            Assert.Equal(FrameLength, BinaryPrimitives.ReadUInt16BigEndian(all.AsSpan(at)));
            numbers.Add(BinaryPrimitives.ReadInt32BigEndian(all.AsSpan(at + 2 + 4)));
        }
        return numbers;
    }

    private void ExpectStallWarning(Akka.TestKit.TestProbe warnings, string seconds)
    {
        var pattern = $@"send queue stalled for {seconds} s with \d+ bytes queued: closing";
        while (true)
        {
            var line = warnings.ExpectMsg<Akka.Event.Warning>(Wait).Message.ToString()!;
            if (System.Text.RegularExpressions.Regex.IsMatch(line, pattern)) return;
        }
    }
}
