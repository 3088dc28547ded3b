using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>A controller peer in the engine framing: handshake with a key, port names, port tags both ways.</summary>
public sealed class ControllerPeerTests : TestKit
{
    private const string Key = "a-long-shared-secret";

    [Fact]
    public void A_controller_learns_the_port_names_and_tags_travel_both_ways()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Controller, PeerTransport.Tcp, PeerFraming.Engine, listen: endpoint, key: Key));
        using var socket = StreamPeerTests.Connect(endpoint);
        var controller = new EngineWire(socket, "ctl", Key);
        controller.SendHello();
        controller.ExpectHello();
        Assert.Equal("engine-under-test", controller.PeerName);
        controller.ExpectAuth();
        controller.SendAuth();
        peer.ExpectLink(up: true);

        for (var port = 0; port < PeerHarness.PortNames.Length; port++)
        {
            var (number, name) = controller.Expect(5);
            Assert.Equal(port, number);
            Assert.Equal(PeerHarness.PortNames[port], System.Text.Encoding.UTF8.GetString(name));
        }

        // From the controller: tagged frames keep their port, untagged ones are routed.
        var tagged = PeerHarness.Packet(80, 1);
        var untagged = PeerHarness.Packet(90, 2);
        controller.Send(4, 2, tagged);
        controller.Send(4, 0xFFFF, untagged);
        var frames = peer.ExpectFrames(2);
        Assert.Equal(tagged, frames[0].Frame);
        Assert.Equal(2, frames[0].Tag);
        Assert.Equal(untagged, frames[1].Frame);
        Assert.Equal(-1, frames[1].Tag);

        // To the controller: each frame carries the port it came in on.
        var fromTunB = PeerHarness.Packet(70, 3);
        peer.Actor.Tell(peer.Batch((fromTunB, 1)));
        var (wirePort, body) = controller.Expect(4);
        Assert.Equal(1, wirePort);
        Assert.Equal(fromTunB, body);
    }

    [Fact]
    public void Punts_and_refusals_reach_the_controller_as_their_own_messages_and_injects_come_back_marked()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Controller, PeerTransport.Tcp, PeerFraming.Engine, listen: endpoint, key: Key));
        using var socket = StreamPeerTests.Connect(endpoint);
        var controller = Handshake(socket);
        peer.ExpectLink(up: true);
        for (var port = 0; port < PeerHarness.PortNames.Length; port++) controller.Expect(5);

        // A frame punted by rule 300 from port 1: PUNT, the rule's number, then the frame.
        var punted = PeerHarness.Packet(60, 4);
        var refusal = System.Text.Encoding.UTF8.GetBytes("no port 9 to send out of");
        var batch = peer.Batch((punted, 1), (refusal, 9));
        batch.SetNote(0, 300);
        batch.SetNote(1, ControllerNote.Refused);
        peer.Actor.Tell(batch);
        var (puntPort, puntBody) = controller.Expect(7);
        Assert.Equal(1, puntPort);
        Assert.Equal([0x01, 0x2c, .. punted], puntBody);
        var (refusedPort, reason) = controller.Expect(9);
        Assert.Equal(9, refusedPort);
        Assert.Equal(refusal, reason);

        // An INJECT reaches the router with its port and the mark that it leaves as it is; an
        // empty one is malformed.
        byte[] lldp = [.. new byte[12], 0x88, 0xcc, .. new byte[46]];
        controller.Send(8, 0, []);
        controller.Send(8, 2, lldp);
        var frame = peer.Next<FrameBatch>();
        Assert.Equal(lldp, frame.Frame(0).ToArray());
        Assert.Equal((2, ControllerNote.Inject), (frame.Tag(0), frame.Note(0)));
        frame.Release();
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Malformed)));
    }

    [Fact]
    public void An_engine_link_skips_an_inject_as_a_type_it_does_not_know()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Engine, PeerTransport.Tcp, PeerFraming.Engine, listen: endpoint));
        using var socket = StreamPeerTests.Connect(endpoint);
        var other = new EngineWire(socket, "east", key: null);
        other.SendHello();
        other.ExpectHello();
        peer.ExpectLink(up: true);
        other.Send(8, 0, PeerHarness.Packet(60, 1));
        var data = PeerHarness.Packet(64, 2);
        other.Send(4, 0xFFFF, data);
        var frames = peer.ExpectFrames(1);
        Assert.Equal(data, frames[0].Frame);
    }

    [Fact]
    public void A_controller_that_sends_frames_before_authenticating_injects_nothing_and_is_cut_off()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Controller, PeerTransport.Tcp, PeerFraming.Engine, listen: endpoint, key: Key));
        using var socket = StreamPeerTests.Connect(endpoint);
        var intruder = new EngineWire(socket, "ctl", key: null);
        intruder.Send(4, 0, PeerHarness.Packet(60, 1));
        Assert.True(StreamPeerTests.ClosedByEngine(socket));
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Unauthenticated)), TimeSpan.FromSeconds(5));
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_second_connection_takes_over_only_once_it_has_authenticated()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Controller, PeerTransport.Tcp, PeerFraming.Engine,
            listen: endpoint, key: Key, keepalive: TimeSpan.FromSeconds(10)));
        using var first = StreamPeerTests.Connect(endpoint);
        var working = Handshake(first);
        peer.ExpectLink(up: true);

        // A stranger without the key connects: the working link is untouched.
        using (var stranger = StreamPeerTests.Connect(endpoint))
        {
            var wire = new EngineWire(stranger, "ctl", key: null);
            wire.SendHello();
            wire.Send(4, 0, PeerHarness.Packet(60, 2)); // a frame without having proved the key
            Assert.True(StreamPeerTests.ClosedByEngine(stranger));
        }
        var packet = PeerHarness.Packet(64, 1);
        peer.Actor.Tell(peer.Batch((packet, 0)));
        Assert.Equal(packet, working.Expect(4).Body);

        // The controller reconnects properly: the new link takes over, the old one is closed.
        using var second = StreamPeerTests.Connect(endpoint);
        var replacement = Handshake(second);
        Assert.True(StreamPeerTests.ClosedByEngine(first));
        peer.Actor.Tell(peer.Batch((packet, 0)));
        Assert.Equal(packet, replacement.Expect(4).Body);
    }

    [Fact]
    public void A_hello_with_reserved_flag_bits_gets_a_goodbye_with_the_reason()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Controller, PeerTransport.Tcp, PeerFraming.Engine, listen: endpoint));
        using var socket = StreamPeerTests.Connect(endpoint);
        var controller = new EngineWire(socket, "ctl", key: null);
        controller.SendHello(flags: 0x40);
        controller.ExpectHello();
        var (type, _, reason) = controller.Receive();
        Assert.Equal(6, type);
        Assert.Equal("reserved HELLO flags 0x40", System.Text.Encoding.UTF8.GetString(reason));
        Assert.True(StreamPeerTests.ClosedByEngine(socket));
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    private static EngineWire Handshake(System.Net.Sockets.Socket socket)
    {
        var controller = new EngineWire(socket, "ctl", Key);
        controller.SendHello();
        controller.ExpectHello();
        controller.ExpectAuth();
        controller.SendAuth();
        return controller;
    }

    [Fact]
    public void A_silent_controller_is_dropped_after_the_dead_peer_timeout()
    {
        var endpoint = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort());
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Controller, PeerTransport.Tcp, PeerFraming.Engine, listen: endpoint));
        using var socket = StreamPeerTests.Connect(endpoint);
        var controller = new EngineWire(socket, "ctl", key: null);
        controller.SendHello();
        peer.ExpectLink(up: true);
        // The controller never speaks again; the engine's keepalives arrive, then it hangs up (dead-peer timeout 1 s).
        Assert.True(StreamPeerTests.ClosedByEngine(socket));
        peer.ExpectLink(up: false);
    }
}
