using System.Collections.Immutable;
using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.TestKit;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Peers;
using Engine.Actors.Router;
using Engine.Actors.Topology;
using Engine.Native.Reactor;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>
/// A peer actor on a real reactor, with real loopback sockets at the far end and a TestProbe as
/// its router: what the test writes to the socket must reach the probe as frames, and what the
/// test tells the actor must come out of the socket.
/// </summary>
internal sealed class PeerHarness : IDisposable
{
    public const int Port = 3;
    public static readonly string[] PortNames = ["tun-a", "tun-b", "tap-c", "peer"];

    private readonly Reactor _reactor;

    /// <param name="router">Where the peer's frames go; a TestProbe (<see cref="Router"/>) when null.</param>
    public PeerHarness(Akka.TestKit.Xunit2.TestKit kit, PeerSpec spec, Func<PeerHarness, IActorRef>? router = null, int bufferSize = 2048, int batchCapacity = 16)
    {
        _reactor = new Reactor("peer-test");
        ReactorDispatcher.Register(kit.Sys, _reactor);
        // The actors run on the reactor until the system has stopped them; only then may it go.
        kit.Sys.WhenTerminated.ContinueWith(_ => _reactor.Dispose());
        Router = kit.CreateTestProbe("router");
        Pool = new FrameBatchPool(batchCapacity, bufferSize, maxBatches: 64);
        var environment = new PeerEnvironment(_reactor, Pool, router?.Invoke(this) ?? Router.Ref, "engine-under-test", PortNames, DefaultMtu: 1500);
        Actor = kit.Sys.ActorOf(PeerActor.Props(spec, Port, Counters, environment).OnDataplane(), "peer-" + Guid.NewGuid().ToString("N")[..8]);
    }

    public TestProbe Router { get; }
    public FrameBatchPool Pool { get; }
    public PortCounters Counters { get; } = new();
    public IActorRef Actor { get; private set; } = ActorRefs.Nobody;

    public Reactor Reactor => _reactor;

    /// <summary>Rents every batch the pool has, as if all were in flight; disposing gives them back.</summary>
    public IDisposable HoldEveryBatch() => new Releaser(RentAll());

    /// <summary>How many batches the pool could give right now: its cap less what is held elsewhere.</summary>
    public int FreeBatches()
    {
        var held = RentAll();
        held.ForEach(batch => batch.Release());
        return held.Count;
    }

    private List<FrameBatch> RentAll()
    {
        var held = new List<FrameBatch>();
        while (Pool.TryRent(out var batch)) held.Add(batch);
        return held;
    }

    private sealed class Releaser(List<FrameBatch> held) : IDisposable
    {
        public void Dispose() => held.ForEach(batch => batch.Release());
    }

    /// <summary>Bytes the reactor thread (every data-plane actor and handler) has allocated so far.</summary>
    public long ReactorAllocatedBytes()
    {
        long bytes = 0;
        using var done = new ManualResetEventSlim();
        _reactor.Post(() =>
        {
            bytes = GC.GetAllocatedBytesForCurrentThread();
            done.Set();
        });
        Assert.True(done.Wait(TimeSpan.FromSeconds(5)));
        return bytes;
    }

    public static PeerSpec Spec(PeerRole role, PeerTransport transport, PeerFraming framing,
        EndPoint? connect = null, EndPoint? listen = null, string? key = null, IEnumerable<IPNetwork>? allow = null,
        int sendQueue = PeerSpec.DefaultSendQueue, TimeSpan? keepalive = null, TimeSpan? stallTimeout = null) =>
        new("peer", role, transport, framing, connect, listen, null, [.. allow ?? []], key, null,
            TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(400), keepalive ?? TimeSpan.FromMilliseconds(200),
            (keepalive ?? TimeSpan.FromMilliseconds(200)) * 5, sendQueue)
        {
            StallTimeout = stallTimeout ?? PeerSpec.DefaultStallTimeout,
        };

    /// <summary>A loopback port nobody listens on right now.</summary>
    /// <summary>A UDP socket on 127.0.0.1 (any port) that gives up on a receive after 5 s.</summary>
    public static Socket LoopbackUdp()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 5000 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    public static int FreePort(SocketType type = SocketType.Stream)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, type, type == SocketType.Stream ? ProtocolType.Tcp : ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

    /// <summary>Waits until the actor has bound <paramref name="endpoint"/> (it does so on the reactor, after it starts).</summary>
    public static void WaitUntilBound(IPEndPoint endpoint, SocketType type = SocketType.Dgram)
    {
        // Read from the kernel's socket table: probing by binding the port would race the peer's
        // own bind and could make it fail.
        var table = type == SocketType.Stream ? "/proc/net/tcp" : "/proc/net/udp";
        var local = $"{BitConverter.ToUInt32(endpoint.Address.GetAddressBytes()):X8}:{endpoint.Port:X4}";
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (File.ReadLines(table).Skip(1).Any(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1] == local))
                return;
            Thread.Sleep(10);
        }
        Assert.Fail($"nothing bound {endpoint}");
    }

    public void ExpectLink(bool up) => Assert.Equal(new PortLinkChanged(Port, up), Next<PortLinkChanged>());

    // Frames and link changes reach the router by different paths, so either may come first:
    // what a test is not waiting for yet is kept for later.
    private readonly List<object> _kept = new();

    public T Next<T>()
    {
        var index = _kept.FindIndex(m => m is T);
        if (index >= 0)
        {
            var kept = (T)_kept[index];
            _kept.RemoveAt(index);
            return kept;
        }
        while (true)
        {
            var message = Router.ReceiveOne(TimeSpan.FromSeconds(5)) ?? throw new TimeoutException($"no {typeof(T).Name} for the router");
            if (message is T wanted) return wanted;
            _kept.Add(message);
        }
    }

    /// <summary>Collects frames the actor hands the router until <paramref name="count"/> have come.</summary>
    public List<(byte[] Frame, int Tag)> ExpectFrames(int count)
    {
        var frames = new List<(byte[], int)>();
        while (frames.Count < count)
        {
            var batch = Next<FrameBatch>();
            Assert.Equal(Port, batch.IngressPort);
            for (var i = 0; i < batch.Count; i++) frames.Add((batch.Frame(i).ToArray(), batch.Tag(i)));
            batch.Release();
        }
        return frames;
    }

    /// <summary>Like <see cref="ExpectFrames"/>, with each frame's offload layout.</summary>
    public List<(byte[] Frame, Engine.Actors.Wire.VirtioFrameLayout Offload)> ExpectFramesWithOffload(int count)
    {
        var frames = new List<(byte[], Engine.Actors.Wire.VirtioFrameLayout)>();
        while (frames.Count < count)
        {
            var batch = Next<FrameBatch>();
            for (var i = 0; i < batch.Count; i++) frames.Add((batch.Frame(i).ToArray(), batch.Offload(i)));
            batch.Release();
        }
        return frames;
    }

    /// <summary>A batch of frames from the router to the peer, with tags.</summary>
    public FrameBatch Batch(params (byte[] Frame, int Tag)[] frames)
    {
        Assert.True(Pool.TryRent(out var batch));
        foreach (var (frame, tag) in frames)
        {
            Assert.True(batch.TryAppendCopy(frame));
            batch.SetTag(batch.Count - 1, tag);
        }
        return batch;
    }

    public static byte[] Packet(int length, byte seed)
    {
        var packet = new byte[length];
        for (var i = 0; i < length; i++) packet[i] = (byte)(seed + i);
        packet[0] = 0x45;
        return packet;
    }

    public void Dispose() { }
}
