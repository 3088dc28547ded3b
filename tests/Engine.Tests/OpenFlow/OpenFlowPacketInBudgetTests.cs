using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Net;
using Akka.Actor;
using Akka.TestKit.Xunit2;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.OpenFlow;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Reactor;
using Engine.Native.Sockets;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// A channel on a real reactor whose controller, at the far end of a socket pair, stops reading:
/// PACKET_INs beyond the connection's budget are dropped and counted and the connection stays,
/// answering an ECHO once the controller reads again; replies the controller asks for and never
/// reads still close it at the hard limit.
/// </summary>
public sealed class OpenFlowPacketInBudgetTests : TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly Reactor _reactor = new("openflow-test");
    private readonly OpenFlowCounters _counters = new();
    private readonly NativeSocket _controller;
    private readonly NativeSocketStream _stream;

    public OpenFlowPacketInBudgetTests()
    {
        ReactorDispatcher.Register(Sys, _reactor);
        // The actors run on the reactor until the system has stopped them; only then may it go.
        Sys.WhenTerminated.ContinueWith(_ => _reactor.Dispose());
        var (engineEnd, controllerEnd) = NativeSocket.Pair("openflow test");
        _controller = controllerEnd;
        _stream = new NativeSocketStream(controllerEnd) { ReadTimeout = (int)Wait.TotalMilliseconds };
        var ports = new[] { "tap-a", "tap-b" }.Select((name, i) => new OpenFlowPort((uint)i + 1, name, OpenFlowPort.AddressFor(0xab, (uint)i + 1), new PortCounters()));
        var spec = new OpenFlowSpec([], 0xab, OpenFlowFailMode.Secure, TimeSpan.FromMinutes(1)) { Listen = new OpenFlowEndpoint(new IPEndPoint(IPAddress.Loopback, 6653)) };
        Channel = ChildActorOf(OpenFlowChannel.PropsAccepted(engineEnd, "test", null, spec, new OpenFlowSwitchInfo(0xab, [.. ports]), new OpenFlowFlowTable(), null,
            _reactor, _counters).OnDataplane());
        ExpectMsg<ChannelConnected>(Wait);
        Assert.Equal(OfpType.Hello, (OfpType)Read()[1]);
        _stream.Write(SessionHarness.Hello13);
        // A BARRIER answered: the session has negotiated.
        _stream.Write(Message(OfpType.BarrierRequest, 2, []));
        Assert.Equal(OfpType.BarrierReply, (OfpType)Read()[1]);
    }

    private IActorRef Channel { get; }

    protected override void AfterAll()
    {
        _stream.Dispose();
        _controller.Dispose();
        base.AfterAll();
    }

    [Fact]
    public void A_controller_that_does_not_read_loses_packet_ins_beyond_the_budget_not_its_connection()
    {
        // 6,000 whole 1400-byte frames: twice what the connection's hard limit holds, far more than the budget.
        const int Count = 6000;
        var frame = new byte[1400];
        for (var i = 0; i < Count; i++) Channel.Tell(new PacketInRequest(OfpPacketInReason.Action, 1, 0, frame, OfpPortNumbers.ControllerNoBuffer));
        AwaitCondition(() => _counters.PacketInsSent + _counters.PacketInsDropped == Count, Wait);
        Assert.True(_counters.PacketInsDropped > 0, "no PACKET_IN was dropped");
        Assert.True(_counters.PacketInsSent * frame.Length < OpenFlowConnection.MaxQueuedBytes, $"{_counters.PacketInsSent} PACKET_INs queued");

        // It reads again: every PACKET_IN queued arrives, then the answer to its ECHO on the same connection.
        _stream.Write(Message(OfpType.EchoRequest, 77, "still here"u8));
        var packetIns = 0;
        while (Read() is var message && (OfpType)message[1] != OfpType.EchoReply)
        {
            Assert.Equal(OfpType.PacketIn, (OfpType)message[1]);
            packetIns++;
        }
        Assert.Equal(_counters.PacketInsSent, packetIns);
        ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, _counters.Connections);
    }

    [Fact]
    public void Replies_a_controller_never_reads_still_close_the_connection_at_the_hard_limit()
    {
        var echo = Message(OfpType.EchoRequest, 9, new byte[60_000]);
        try
        {
            for (var i = 0; i < OpenFlowConnection.MaxQueuedBytes / echo.Length + 64; i++) _stream.Write(echo);
        }
        catch (Exception e) when (e is IOException or NativeException)
        {
            // The engine closed while the controller still wrote.
        }
        ExpectMsg<ChannelDisconnected>(Wait);
        Assert.Equal(0, _counters.PacketInsDropped);
    }

    private static byte[] Message(OfpType type, uint xid, ReadOnlySpan<byte> body)
    {
        var message = new byte[OfpHeader.Size + body.Length];
        message[0] = OfpHeader.Version13;
        message[1] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)message.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), xid);
        body.CopyTo(message.AsSpan(OfpHeader.Size));
        return message;
    }

    /// <summary>The next whole message the engine sent.</summary>
    private byte[] Read()
    {
        var header = new byte[OfpHeader.Size];
        _stream.ReadExactly(header);
        var message = new byte[BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2))];
        header.CopyTo(message, 0);
        _stream.ReadExactly(message.AsSpan(OfpHeader.Size));
        return message;
    }
}
