using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Engine.Actors.Counters;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Engine.Tests.Offload;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>Super-frames over an engine link: offered in the HELLO, carried with their offload header, checked on arrival.</summary>
public sealed class SuperFrameLinkTests : TestKit
{
    [Fact]
    public void Super_frames_cross_an_engine_link_whole_and_a_lying_header_costs_only_its_frame()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Engine, PeerTransport.Tcp, PeerFraming.Engine, listen: endpoint),
            bufferSize: 70_000);
        using var socket = StreamPeerTests.Connect(endpoint);
        var far = new EngineWire(socket, "far", key: null);
        far.SendHello(flags: 2); // "I take offload headers"
        var helloFlags = far.ExpectHello();
        Assert.Equal(2, helloFlags & 2);
        peer.ExpectLink(up: true);

        var body = Reference.SuperFrame(new TcpSpec { Payload = Packets.Pattern(20_000) }.Build(), VirtioGsoType.TcpV4, 1448, 6);
        far.Send(4, 0xFFFF, body, flags: 1);
        var lying = (byte[])body.Clone();
        lying[4] = lying[5] = 0; // gso_size 0 on a TCP super-frame
        far.Send(4, 0xFFFF, lying, flags: 1);
        far.Send(4, 0xFFFF, body, flags: 1);

        var frames = peer.ExpectFramesWithOffload(2);
        Assert.All(frames, f =>
        {
            Assert.Equal(body[VirtioNetHeader.Length..], f.Frame);
            Assert.True(f.Offload.IsGso);
            Assert.Equal(1448, f.Offload.GsoSize);
        });
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Malformed)));

        // The other way: the router's super-frame goes out with its header.
        Assert.True(peer.Pool.TryRent(out var batch));
        batch.TryAppendCopy(body.AsSpan(VirtioNetHeader.Length));
        batch.Offload(0) = GsoSegmenterTests.Validated(body);
        peer.Actor.Tell(batch);
        var (_, sent) = far.Expect(4, out var dataFlags);
        Assert.Equal(1, dataFlags);
        Assert.Equal(body, sent);
    }
}
