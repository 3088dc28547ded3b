using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Dataplane;
using Engine.Actors.Router;
using Engine.Actors.Topology;
using Xunit;
using Xunit.Abstractions;

namespace Engine.Tests.Peers;

/// <summary>
/// The link path allocates nothing per frame once warm: frames echoed through a real TCP peer
/// link (receive, parse, hand to the router, frame, vectored send) cost the reactor thread no
/// garbage. A guard; bench/tunnel.sh has the figure for a whole engine under load.
/// </summary>
public sealed class LinkAllocationTests(ITestOutputHelper output) : TestKit
{
    private const int FrameLength = 200;

    [Theory]
    [InlineData(PeerFraming.Length16)]
    [InlineData(PeerFraming.Engine)]
    public void Echoing_frames_over_a_stream_link_allocates_nothing_per_frame(PeerFraming framing)
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        IActorRef echo = ActorRefs.Nobody;
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Engine, PeerTransport.Tcp, framing, listen: endpoint, keepalive: TimeSpan.FromSeconds(30)),
            _ => echo = Sys.ActorOf(Props.Create(() => new EchoRouter()).OnDataplane()));
        echo.Tell(peer.Actor);
        using var client = StreamPeerTests.Connect(endpoint);
        var wire = new EngineWire(client, "far-end", key: null);
        if (framing == PeerFraming.Engine)
        {
            wire.SendHello();
            wire.ExpectHello();
        }
        var header = framing == PeerFraming.Engine ? 8 : 2;
        var message = Framed(framing, PeerHarness.Packet(FrameLength, 7));

        Echo(client, message, 5_000, header);
        var before = peer.ReactorAllocatedBytes();
        const int frames = 20_000;
        Echo(client, message, frames, header);
        var allocated = peer.ReactorAllocatedBytes() - before;

        output.WriteLine($"{framing}: {allocated} B on the reactor thread for {frames} frames echoed ({(double)allocated / frames:F3} B/frame)");
        Assert.True(allocated < frames / 100, $"{allocated} B for {frames} frames");
    }

    /// <summary>Sends <paramref name="count"/> copies in bursts and reads every one back.</summary>
    private static void Echo(Socket client, byte[] message, int count, int header)
    {
        const int burst = 32;
        var burstBytes = Enumerable.Repeat(message, burst).SelectMany(m => m).ToArray();
        var back = new byte[burstBytes.Length];
        for (var sent = 0; sent < count; sent += burst)
        {
            client.Send(burstBytes);
            var read = 0;
            while (read < back.Length)
            {
                var n = client.Receive(back, read, back.Length - read, SocketFlags.None);
                Assert.NotEqual(0, n);
                read += n;
            }
            // A keepalive would show up as a mismatch here; the link's keepalive interval is longer than the test.
            Assert.Equal(message[header..], back.AsSpan(back.Length - message.Length + header, message.Length - header).ToArray());
        }
    }

    private static byte[] Framed(PeerFraming framing, byte[] packet)
    {
        if (framing == PeerFraming.Length16) return StreamPeerTests.Length16(packet);
        var framed = new byte[8 + packet.Length];
        framed[0] = 4;
        framed[2] = framed[3] = 0xFF;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(4), (uint)packet.Length);
        packet.CopyTo(framed, 8);
        return framed;
    }

    /// <summary>A router that sends every batch straight back to the peer it came from.</summary>
    private sealed class EchoRouter : UntypedActor
    {
        private IActorRef _peer = ActorRefs.Nobody;

        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case IActorRef peer:
                    _peer = peer;
                    break;
                case FrameBatch batch:
                    _peer.Tell(batch, ActorRefs.NoSender);
                    break;
                case PortLinkChanged:
                    break;
            }
        }
    }
}
