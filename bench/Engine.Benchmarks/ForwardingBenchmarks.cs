using Akka.Actor;
using BenchmarkDotNet.Attributes;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// The router's per-batch forwarding path: parse, LPM, TTL decrement, split into per-egress
/// batches, hand off, release. Results are per frame (OperationsPerInvoke); the allocation
/// column must read 0 B. The baseline is only the copy of the frames into the batch, which
/// stands for the device read and is part of both.
/// </summary>
[MemoryDiagnoser]
public class ForwardingBenchmarks
{
    private const int BatchSize = 64;
    private const int PortCount = 4;

    private FrameBatchPool _pool = null!;
    private Forwarder _forwarder = null!;
    private RouteSnapshot _routes = null!;
    private byte[][] _frames = null!;

    [Params(64, 1400)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _pool = new FrameBatchPool(BatchSize, 2048, 256);
        var ports = new Port[PortCount];
        for (var i = 0; i < PortCount; i++)
            ports[i] = new Port(i, $"p{i}", new ReleasingActorRef(), 1500, new PortCounters()) { Ipv4Address = 0x0A00_00FE | ((uint)i << 8) };
        var routes = Enumerable.Range(0, 1000)
            .Select(i => (IpPrefix.Ipv4(0x0A00_0000u | ((uint)i << 8), 24), i % PortCount))
            .ToList();
        _routes = new RouteSnapshot(ports, routes);
        _forwarder = new Forwarder(_pool, new RouterCounters(), new IcmpRateLimiter(1000, 200));
        _frames = Enumerable.Range(0, BatchSize)
            .Select(i => UdpFrame(source: 0x0A00_0001, destination: 0x0A00_0005u | ((uint)(i * 7 % 1000) << 8), PayloadBytes))
            .ToArray();
        for (var i = 0; i < 1000; i++) Forward(); // warm the pool and the per-port batches
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = BatchSize)]
    public void CopyOnly()
    {
        _pool.TryRent(out var batch);
        foreach (var frame in _frames) batch.TryAppendCopy(frame);
        batch.Release();
    }

    [Benchmark(OperationsPerInvoke = BatchSize)]
    public void Forward()
    {
        _pool.TryRent(out var batch);
        batch.IngressPort = 0;
        foreach (var frame in _frames) batch.TryAppendCopy(frame);
        _forwarder.Route(batch, _routes);
    }

    private static byte[] UdpFrame(uint source, uint destination, int payload)
    {
        var frame = new byte[20 + 8 + payload];
        frame[0] = 0x45;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)frame.Length);
        frame[8] = 64;
        frame[9] = 17;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(12), source);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(16), destination);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(24), (ushort)(8 + payload));
        var checksum = Engine.Actors.Wire.InternetChecksum.Compute(frame.AsSpan(0, 20));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(10), checksum);
        return frame;
    }

    /// <summary>An egress that takes each batch synchronously and releases it, as a device actor's write would.</summary>
    private sealed class ReleasingActorRef : MinimalActorRef
    {
        public override ActorPath Path { get; } = new RootActorPath(new Address("bench", "bench")) / "egress";
        public override IActorRefProvider Provider => throw new NotSupportedException();

        protected override void TellInternal(object message, IActorRef sender)
        {
            if (message is FrameBatch batch) batch.Release();
        }
    }
}
