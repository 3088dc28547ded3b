using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Engine.Actors.Counters;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>Peer actors over real loopback UDP sockets: one packet, or one engine message, per datagram.</summary>
public sealed class DatagramPeerTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    [Fact]
    public void Datagram_framing_carries_one_packet_per_datagram_both_ways()
    {
        using var far = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Udp, PeerFraming.Datagram,
            listen: local, connect: far.LocalEndPoint));
        peer.ExpectLink(up: true);

        var packets = Enumerable.Range(0, 5).Select(i => PeerHarness.Packet(100 + i, (byte)i)).ToArray();
        foreach (var packet in packets) far.SendTo(packet, local);
        var frames = peer.ExpectFrames(5);
        Assert.Equal(packets, frames.Select(f => f.Frame));

        peer.Actor.Tell(peer.Batch(packets.Select(p => (p, -1)).ToArray()));
        var buffer = new byte[2000];
        foreach (var packet in packets)
            Assert.Equal(packet, buffer[..far.Receive(buffer)]);
        AwaitAssert(() => Assert.Equal(5, peer.Counters.TxPackets), Wait);
    }

    [Fact]
    public void With_every_buffer_in_flight_datagrams_are_taken_off_and_counted()
    {
        using var far = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Udp, PeerFraming.Datagram,
            listen: local, connect: far.LocalEndPoint));
        peer.ExpectLink(up: true);
        using var held = peer.HoldEveryBatch();

        for (var i = 0; i < 10; i++) far.SendTo(PeerHarness.Packet(100, (byte)i), local);

        AwaitAssert(() => Assert.Equal(10, peer.Counters.Drops(DropReason.NoBuffer)), Wait);
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void A_listen_only_link_learns_its_peer_from_an_allowed_source_and_ignores_others()
    {
        using var allowed = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        var port = ((IPEndPoint)allowed.LocalEndPoint!).Port;
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Udp, PeerFraming.Datagram,
            listen: local, allow: [IPNetwork.Parse($"127.0.0.1/32")]));
        PeerHarness.WaitUntilBound(local);

        // Replies have nowhere to go until the peer has been heard from.
        peer.Actor.Tell(peer.Batch((PeerHarness.Packet(64, 1), -1)));
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.PortDown)), Wait);

        var hello = PeerHarness.Packet(64, 2);
        allowed.SendTo(hello, local);
        peer.ExpectLink(up: true);
        Assert.Equal(hello, peer.ExpectFrames(1)[0].Frame);

        peer.Actor.Tell(peer.Batch((PeerHarness.Packet(64, 3), -1)));
        var buffer = new byte[2000];
        Assert.Equal(PeerHarness.Packet(64, 3), buffer[..allowed.Receive(buffer)]);
        Assert.NotEqual(0, port);
    }

    [Theory]
    [InlineData(PeerFraming.Datagram)]
    [InlineData(PeerFraming.Engine)]
    public void A_source_outside_the_allowlist_is_dropped_and_counted_once(PeerFraming framing)
    {
        using var stranger = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, PeerHarness.Spec(framing == PeerFraming.Engine ? PeerRole.Engine : PeerRole.Quagga, PeerTransport.Udp, framing,
            listen: local, allow: [IPNetwork.Parse("10.0.0.0/8")]));
        PeerHarness.WaitUntilBound(local);
        if (framing == PeerFraming.Engine)
        {
            stranger.Connect(local);
            new DatagramWire(stranger, "stranger", key: null).SendHello();
        }
        else
        {
            stranger.SendTo(PeerHarness.Packet(64, 1), local);
        }
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Unauthenticated)), Wait);
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, peer.Counters.TotalDrops);
    }

    [Fact]
    public void A_keyed_listener_moves_to_a_new_source_only_once_it_has_proved_the_key()
    {
        const string key = "a-long-shared-secret";
        var infos = CreateTestProbe();
        Sys.EventStream.Subscribe(infos.Ref, typeof(Akka.Event.Info));
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Engine, PeerTransport.Udp, PeerFraming.Engine,
            listen: local, key: key, keepalive: TimeSpan.FromSeconds(2)));
        PeerHarness.WaitUntilBound(local);
        using var first = PeerHarness.LoopbackUdp();
        var legitimate = Handshake(first, local, key);
        peer.ExpectLink(up: true);

        // One HELLO and a made-up AUTH from another port: the newcomer is refused, the link stays.
        using var attacker = PeerHarness.LoopbackUdp();
        attacker.Connect(local);
        var forger = new DatagramWire(attacker, "far", key: null);
        forger.SendHello();
        forger.Send(2, 0, new byte[32]);
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Unauthenticated)), Wait);
        AssertCarries(peer, legitimate, 1);
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // no PortLinkChanged down
        Assert.DoesNotContain(ReceivedTypes(attacker), t => t == 4);

        // The peer comes back from a new port with the key, and the engine's first answer is
        // lost: its HELLO again answers it again, and once its AUTH checks out the link follows it.
        using var second = PeerHarness.LoopbackUdp();
        var moved = Handshake(second, local, key, loseFirstAnswer: true);
        // An attempt made before the move completes sends its frame to the old remote and waits out
        // Expect's own deadline; the next one goes to the new.
        AwaitAssert(() => AssertCarries(peer, moved, 2), Wait * 3);
        infos.FishForMessage<Akka.Event.Info>(info => info.Message.ToString() ==
            $"peer peer: remote {first.LocalEndPoint} -> {second.LocalEndPoint} (completed a new handshake)", Wait);
    }

    [Theory]
    [InlineData(PeerFraming.Engine)]
    [InlineData(PeerFraming.Datagram)]
    public void An_unkeyed_listener_keeps_its_first_remote_until_it_falls_silent(PeerFraming framing)
    {
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, PeerHarness.Spec(framing == PeerFraming.Engine ? PeerRole.Engine : PeerRole.Quagga,
            PeerTransport.Udp, framing, listen: local));
        PeerHarness.WaitUntilBound(local);
        using var first = PeerHarness.LoopbackUdp();
        using var attacker = PeerHarness.LoopbackUdp();
        attacker.Connect(local);
        first.Connect(local);
        var wire = new DatagramWire(first, "far", key: null);
        Introduce(framing, wire, first);
        peer.ExpectLink(up: true);
        if (framing == PeerFraming.Datagram) peer.ExpectFrames(1);

        // Another source says HELLO, or sends one byte: dropped and counted; frames still go to the first.
        if (framing == PeerFraming.Engine) new DatagramWire(attacker, "intruder", key: null).SendHello();
        else attacker.Send([0x45]);
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Unauthenticated)), Wait);
        var packet = PeerHarness.Packet(80, 7);
        peer.Actor.Tell(peer.Batch((packet, -1)));
        Assert.Equal(packet, ReceivePacket(framing, first));
        Assert.Empty(ReceivedTypes(attacker, TimeSpan.FromMilliseconds(200)));

        // Once the first remote has been silent for the dead-peer time (1 s here), a new one may take over.
        Thread.Sleep(PeerHarness.Spec(PeerRole.Engine, PeerTransport.Udp, framing).DeadPeerTimeout + TimeSpan.FromMilliseconds(200));
        Introduce(framing, new DatagramWire(attacker, "intruder", key: null), attacker);
        AwaitAssert(() =>
        {
            peer.Actor.Tell(peer.Batch((packet, -1)));
            Assert.Equal(packet, ReceivePacket(framing, attacker, TimeSpan.FromMilliseconds(300)));
        }, Wait);
    }

    [Fact]
    public void A_forged_new_hello_from_the_peers_own_address_leaves_a_keyed_session_up()
    {
        const string key = "a-long-shared-secret";
        using var far = PeerHarness.LoopbackUdp();
        using var peer = EnginePeerConnectedTo(far, key);
        var wire = new DatagramWire(far, "far", key);
        wire.ExpectHello();
        wire.SendHello();
        wire.ExpectHelloOrAuth();
        wire.SendAuth();
        peer.ExpectLink(up: true);

        // Someone who can send from the peer's address starts a handshake over, without the key.
        new DatagramWire(far, "far", key: null).SendHello();
        wire.Send(2, 0, new byte[32]);
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Unauthenticated)), Wait);
        AssertCarries(peer, wire, 3);
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // no PortLinkChanged down
    }

    [Fact]
    public void A_stranger_sending_in_a_loop_is_counted_every_time_and_logged_a_few_times_a_second()
    {
        const int attempts = 40;
        var warnings = CreateTestProbe();
        Sys.EventStream.Subscribe(warnings.Ref, typeof(Akka.Event.Warning));
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        using var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Quagga, PeerTransport.Udp, PeerFraming.Datagram, listen: local));
        PeerHarness.WaitUntilBound(local);
        using var first = PeerHarness.LoopbackUdp();
        first.SendTo(PeerHarness.Packet(64, 1), local);
        peer.ExpectLink(up: true);

        using var stranger = PeerHarness.LoopbackUdp();
        for (var i = 0; i < attempts; i++) stranger.SendTo(PeerHarness.Packet(64, 2), local);
        AwaitAssert(() => Assert.Equal(attempts, peer.Counters.Drops(DropReason.Unauthenticated)), Wait);

        int logged = 0, held = 0;
        while (logged + held < attempts)
        {
            var line = warnings.ExpectMsg<Akka.Event.Warning>(Wait).Message.ToString()!;
            if (line.Contains($"refused a datagram from {stranger.LocalEndPoint}", StringComparison.Ordinal)) logged++;
            else if (System.Text.RegularExpressions.Regex.Match(line, @"(\d+) more attempts to connect") is { Success: true } more)
                held += int.Parse(more.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }
        Assert.Equal(attempts, logged + held);
        Assert.InRange(logged, 1, attempts / 2);
    }

    private static void Introduce(PeerFraming framing, DatagramWire wire, Socket socket)
    {
        if (framing == PeerFraming.Engine) wire.SendHello();
        else socket.Send(PeerHarness.Packet(64, 1));
    }

    /// <summary>The next packet on <paramref name="socket"/>, out of its DATA message for the engine framing.</summary>
    private static byte[]? ReceivePacket(PeerFraming framing, Socket socket, TimeSpan? wait = null)
    {
        socket.ReceiveTimeout = (int)(wait ?? Wait).TotalMilliseconds;
        var buffer = new byte[2000];
        try
        {
            while (true)
            {
                var n = socket.Receive(buffer);
                if (framing == PeerFraming.Datagram) return buffer[..n];
                if (n >= 8 && buffer[0] == 4) return buffer[8..n];
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return null;
        }
    }

    /// <summary>A HELLO and AUTH exchange from <paramref name="socket"/>, connected to the engine for it.</summary>
    private static DatagramWire Handshake(Socket socket, IPEndPoint engine, string key, bool loseFirstAnswer = false)
    {
        socket.Connect(engine);
        var wire = new DatagramWire(socket, "far", key);
        wire.SendHello();
        if (loseFirstAnswer)
        {
            Assert.NotEmpty(ReceivedTypes(socket));
            socket.ReceiveTimeout = 5000;
            wire.SendHello();
        }
        wire.ExpectHello();
        wire.ExpectHelloOrAuth();
        wire.SendAuth();
        return wire;
    }

    /// <summary>Frames go both ways between the engine and <paramref name="wire"/>.</summary>
    private static void AssertCarries(PeerHarness peer, DatagramWire wire, byte seed)
    {
        var packet = PeerHarness.Packet(90, seed);
        peer.Actor.Tell(peer.Batch((packet, -1)));
        Assert.Equal(packet, wire.Expect(4).Body);
        wire.Send(4, 0xFFFF, packet);
        Assert.Equal(packet, peer.ExpectFrames(1)[0].Frame);
    }

    /// <summary>The message types (first byte) of what arrives on <paramref name="socket"/> within <paramref name="wait"/>.</summary>
    private static List<byte> ReceivedTypes(Socket socket, TimeSpan? wait = null)
    {
        var types = new List<byte>();
        socket.ReceiveTimeout = (int)(wait ?? TimeSpan.FromMilliseconds(300)).TotalMilliseconds;
        var buffer = new byte[2000];
        try
        {
            while (true) types.Add(buffer[..socket.Receive(buffer)][0]);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
        {
            return types;
        }
    }

    [Fact]
    public void Engine_framing_over_udp_authenticates_then_carries_frames_and_drops_what_came_before()
    {
        const string key = "a-long-shared-secret";
        using var far = PeerHarness.LoopbackUdp();
        using var peer = EnginePeerConnectedTo(far, key);
        var wire = new DatagramWire(far, "far", key);

        wire.Send(4, 0xFFFF, PeerHarness.Packet(60, 1)); // before the handshake: dropped, the session survives
        AwaitAssert(() => Assert.Equal(1, peer.Counters.Drops(DropReason.Unauthenticated)), Wait);

        wire.ExpectHello();
        wire.SendHello();
        wire.ExpectHelloOrAuth();
        wire.SendAuth();
        peer.ExpectLink(up: true);

        var packet = PeerHarness.Packet(500, 9);
        wire.Send(4, 0xFFFF, packet);
        Assert.Equal(packet, peer.ExpectFrames(1)[0].Frame);

        peer.Actor.Tell(peer.Batch((packet, 0)));
        var (port, body) = wire.Expect(4);
        Assert.Equal(0xFFFF, port); // tags are for controllers only
        Assert.Equal(packet, body);
    }

    [Fact]
    public void A_hello_whose_name_is_not_utf8_gets_a_goodbye_with_the_reason()
    {
        using var far = PeerHarness.LoopbackUdp();
        using var peer = EnginePeerConnectedTo(far);
        var wire = new DatagramWire(far, "far", null);
        wire.Send(1, 0, [1, 0, .. new byte[16], (byte)'f', 0xFF, (byte)'r']);
        // The engine's own HELLO may come first; what follows must be the refusal, not a keepalive.
        var buffer = new byte[2000];
        int n;
        while ((n = far.Receive(buffer)) >= 8 && buffer[0] == 1) { }
        Assert.Equal(6, buffer[0]);
        var reason = buffer[8..n];
        Assert.Equal("HELLO name is not UTF-8", System.Text.Encoding.UTF8.GetString(reason));
        peer.Router.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void Garbage_datagrams_are_dropped_and_counted_and_the_link_stays()
    {
        using var far = PeerHarness.LoopbackUdp();
        using var peer = EnginePeerConnectedTo(far);
        far.Send("junk"u8.ToArray());
        far.Send(new byte[] { 4, 0, 0xFF, 0xFF, 0, 0, 0, 99, 1, 2 }); // length says 99, datagram has 2
        far.Send(new byte[] { 4, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF });
        AwaitAssert(() => Assert.Equal(3, peer.Counters.Drops(DropReason.Malformed)), Wait);

        var wire = new DatagramWire(far, "far", null);
        wire.SendHello();
        peer.ExpectLink(up: true);
    }

    /// <summary>An engine-framing UDP peer bound on loopback with <paramref name="far"/> as its connected remote, and far connected to it.</summary>
    private PeerHarness EnginePeerConnectedTo(Socket far, string? key = null)
    {
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        far.Connect(local);
        var peer = new PeerHarness(this, PeerHarness.Spec(PeerRole.Engine, PeerTransport.Udp, PeerFraming.Engine,
            listen: local, connect: far.LocalEndPoint, key: key));
        PeerHarness.WaitUntilBound(local);
        return peer;
    }
}
