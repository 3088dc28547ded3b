using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Engine.Actors.Counters;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>
/// A UDP link hands runs of same-size datagrams to the kernel as one segmented send
/// (UDP_SEGMENT) and takes them back merged (UDP_GRO), over real loopback sockets: what the far
/// end sees, and what the router gets, is still one packet per datagram, in order.
/// </summary>
public sealed class UdpSegmentationTests : TestKit
{
    private const int SolUdp = 17, UdpSegment = 103;
    private const int SuperFrameBuffers = 65536 + 64;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public void A_batch_of_runs_reaches_a_plain_socket_as_one_datagram_per_frame_in_order()
    {
        using var far = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, Spec(local, far), bufferSize: SuperFrameBuffers);
        peer.ExpectLink(up: true);

        // Three runs: 20 of 300 bytes ending in a shorter one, then 5 of 1400, then a lone 64.
        int[] sizes = [.. Enumerable.Repeat(300, 20), 120, .. Enumerable.Repeat(1400, 5), 64];
        var packets = sizes.Select((size, i) => PeerHarness.Packet(size, (byte)i)).ToArray();
        foreach (var chunk in packets.Chunk(16))
            peer.Actor.Tell(peer.Batch(chunk.Select(p => (p, -1)).ToArray()));

        var buffer = new byte[70000];
        foreach (var packet in packets)
            Assert.Equal(packet, buffer[..far.Receive(buffer)]);
        AwaitAssert(() => Assert.Equal(packets.Length, peer.Counters.TxPackets), Wait);
        Assert.Equal(0, peer.Counters.TotalDrops);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(2)] // fewer buffers than a merged receive asks for at most
    public void Datagrams_that_arrive_merged_become_one_frame_each_in_order(int batchSize)
    {
        using var far = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, Spec(local, far), bufferSize: SuperFrameBuffers, batchCapacity: batchSize);
        peer.ExpectLink(up: true);

        // One send of 40 datagrams of 500 bytes and a last of 200: one unit on the way, if merged.
        var packets = Enumerable.Range(0, 41).Select(i => PeerHarness.Packet(i < 40 ? 500 : 200, (byte)i)).ToArray();
        far.Connect(local);
        far.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(500));
        far.Send(packets.SelectMany(p => p).ToArray());

        var frames = peer.ExpectFrames(packets.Length);
        Assert.Equal(packets, frames.Select(f => f.Frame));
        Assert.Equal(0, peer.Counters.TotalDrops);
    }

    [Fact]
    public void With_every_buffer_in_flight_each_datagram_of_a_merged_run_is_counted()
    {
        using var far = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, Spec(local, far), bufferSize: SuperFrameBuffers);
        peer.ExpectLink(up: true);
        using var held = peer.HoldEveryBatch();

        far.Connect(local);
        far.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(500));
        far.Send(Enumerable.Range(0, 41).SelectMany(i => PeerHarness.Packet(i < 40 ? 500 : 200, (byte)i)).ToArray());

        AwaitAssert(() => Assert.Equal(41, peer.Counters.Drops(DropReason.NoBuffer)), Wait);
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_bad_message_in_a_merged_run_costs_only_itself()
    {
        using var far = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        far.Connect(local);
        using var peer = new PeerHarness(this, Spec(local, far, PeerFraming.Engine), bufferSize: SuperFrameBuffers);
        PeerHarness.WaitUntilBound(local);
        var wire = new DatagramWire(far, "far", key: null);
        wire.ExpectHello();
        wire.SendHello();
        peer.ExpectLink(up: true);

        // Ten DATA messages of one size in one segmented send; the fourth lies about its length.
        var packets = Enumerable.Range(0, 10).Select(i => PeerHarness.Packet(300, (byte)i)).ToArray();
        var messages = packets.Select(p => Data(p)).ToArray();
        BinaryPrimitives.WriteUInt32BigEndian(messages[3].AsSpan(4), 9999);
        far.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(messages[0].Length));
        far.Send(messages.SelectMany(m => m).ToArray());

        var frames = peer.ExpectFrames(9);
        Assert.Equal(packets.Where((_, i) => i != 3), frames.Select(f => f.Frame));
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Malformed)), Wait);
    }

    private static byte[] Data(byte[] packet)
    {
        var message = new byte[8 + packet.Length];
        message[0] = 4; // DATA
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), 0xFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)packet.Length);
        packet.CopyTo(message, 8);
        return message;
    }

    private static PeerSpec Spec(IPEndPoint local, Socket far, PeerFraming framing = PeerFraming.Datagram) =>
        PeerHarness.Spec(framing == PeerFraming.Engine ? PeerRole.Engine : PeerRole.Quagga, PeerTransport.Udp, framing,
            listen: local, connect: far.LocalEndPoint);
}
