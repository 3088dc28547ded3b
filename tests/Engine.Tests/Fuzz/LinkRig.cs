using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Peers;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Engine.Native.Reactor;
using Engine.Native.Sockets;
using Engine.Tests.Peers;
using Xunit;

namespace Engine.Tests.Fuzz;

/// <summary>
/// Peer links driven from the test thread, without their actor: the far end writes into a real
/// socket, the test calls the link's readiness handler, and what the link hands the router is
/// collected. The reactor is only there for the flood accounting every reader feeds; the link
/// is never registered with it.
/// </summary>
internal sealed class LinkRig : IDisposable
{
    public const int Port = 3;
    public const int Mtu = 1500;
    public const string NodeName = "engine-under-test";

    private readonly Reactor _reactor = new("fuzz-links");
    private readonly Socket _listener;
    private readonly UnixDomainSocketEndPoint _endpoint;
    private readonly Collector _router = new();
    private readonly byte[] _replies = new byte[65536];
    private readonly Collector _owner = new(); // link up, down and refused: the owner logs them, nothing to check here

    /// <param name="bufferSize">64 KiB and more lets an engine link offer super-frames.</param>
    public LinkRig(int bufferSize)
    {
        Pool = new FrameBatchPool(batchCapacity: 4, bufferSize, maxBatches: 16);
        _endpoint = new UnixDomainSocketEndPoint(Path.Combine(Path.GetTempPath(), $"engine-fuzz-{Guid.NewGuid():N}.sock"));
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(_endpoint);
        _listener.Listen(4);
    }

    public FrameBatchPool Pool { get; }

    /// <summary>Frames the link handed the router in this case: bytes, port tag, offload layout.</summary>
    public List<(byte[] Frame, int Tag, VirtioFrameLayout Offload)> Delivered => _router.Frames;

    /// <summary>Frames handed on over every case: a run that hands on none has tested little.</summary>
    public long TotalDelivered => _router.Total;

    public PeerLinkContext Context(PeerSpec spec, PortCounters counters) =>
        new(_reactor, Pool, _router, _owner, Port, counters, spec, NodeName, PeerHarness.PortNames, Mtu,
            SendBudget.Bytes(spec, Pool, peerCount: 1), new FrameFaults(Akka.Event.NoLogger.Instance, "fuzz"));

    /// <summary>A stream link and the far end of its connection; the caller disposes both (the link's socket closes with it).</summary>
    public (StreamLink Link, Socket FarEnd) OpenStreamLink(PeerSpec spec, PortCounters counters)
    {
        var socket = NativeSocket.Open(_endpoint, stream: true, "fuzz link");
        socket.Connect(_endpoint);
        var farEnd = _listener.Accept();
        return (new StreamLink(socket, Context(spec, counters), "fuzz far end"), farEnd);
    }

    /// <summary>
    /// A connected UDP link on loopback and its far end (connected back to it), which the
    /// caller disposes. <paramref name="framing"/>: datagram or engine.
    /// </summary>
    public (DatagramLink Link, Socket FarEnd) OpenDatagramLink(PeerRole role, PeerFraming framing, PortCounters counters)
    {
        var farEnd = PeerHarness.LoopbackUdp();
        var local = new IPEndPoint(IPAddress.Loopback, PeerHarness.FreePort(SocketType.Dgram));
        var spec = PeerHarness.Spec(role, PeerTransport.Udp, framing, connect: farEnd.LocalEndPoint, keepalive: TimeSpan.FromHours(1));
        var socket = NativeSocket.Open(local, stream: false, "fuzz udp link");
        socket.Bind(local);
        socket.Connect(farEnd.LocalEndPoint!);
        farEnd.Connect(local);
        return (new DatagramLink(socket, Context(spec, counters), connected: true, new AllowList([]), new AttemptLog()), farEnd);
    }

    /// <summary>
    /// The far end sends each of <paramref name="sends"/> (with a segment size: one UDP_SEGMENT
    /// send, cut by the kernel into datagrams of that size), and the link reads until it finds
    /// no more. Replies to the far end are thrown away.
    /// </summary>
    public void Feed(DatagramLink link, Socket farEnd, PortCounters counters, (byte[] Payload, int SegmentSize)[] sends)
    {
        _router.Frames.Clear();
        foreach (var (payload, segmentSize) in sends)
        {
            if (segmentSize > 0) farEnd.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(segmentSize));
            farEnd.Send(payload);
            if (segmentSize > 0) farEnd.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(0));
        }
        long seen;
        do
        {
            seen = counters.RxPackets + counters.TotalDrops;
            link.OnReadable();
        } while (counters.RxPackets + counters.TotalDrops != seen);
        while (farEnd.Available > 0) farEnd.Receive(_replies);
    }

    private const int SolUdp = 17, UdpSegment = 103;

    /// <summary>The far end writes <paramref name="bytes"/>; the link reads them, as on the reactor's readable event.</summary>
    public void Feed(StreamLink link, Socket farEnd, byte[] bytes)
    {
        _router.Frames.Clear();
        if (bytes.Length > 0) farEnd.Send(bytes);
        link.OnReadable();
    }

    /// <summary>Every batch is back in the pool.</summary>
    public void AssertPoolWhole() => Assert.Equal(Pool.Created, Pool.Available);

    public static PeerSpec Spec(PeerRole role, PeerTransport transport, PeerFraming framing) =>
        PeerHarness.Spec(role, transport, framing, listen: new IPEndPoint(IPAddress.Loopback, 9), keepalive: TimeSpan.FromHours(1));

    public void Dispose()
    {
        _listener.Dispose();
        File.Delete(_endpoint.ToString());
        _reactor.Dispose();
    }

    /// <summary>The router: copies each frame it is sent and releases the batch.</summary>
    private sealed class Collector : MinimalActorRef
    {
        public readonly List<(byte[], int, VirtioFrameLayout)> Frames = [];
        public long Total;

        public override ActorPath Path { get; } = new RootActorPath(new Address("fuzz", "fuzz")) / "router";
        public override IActorRefProvider Provider => throw new NotSupportedException();

        protected override void TellInternal(object message, IActorRef sender)
        {
            if (message is not FrameBatch batch) return;
            Assert.Equal(Port, batch.IngressPort);
            for (var i = 0; i < batch.Count; i++) Frames.Add((batch.Frame(i).ToArray(), batch.Tag(i), batch.Offload(i)));
            Total += batch.Count;
            batch.Release();
        }
    }
}
