using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Fuzz;

/// <summary>
/// One forwarder with one port of every kind, reused from case to case as the router reuses it
/// from batch to batch, routing one frame per batch so each frame's fate can be told apart.
///
/// The accounting checked for every frame: it was forwarded (counted by the router, or it left
/// in an egress batch: fragments, ARP and neighbour answers leave without the count), dropped
/// (a drop counter on some port went up: the ingress for most reasons, the egress for
/// unresolved), held for a neighbour's answer (<see cref="Forwarder.HeldFrames"/>; later sent or
/// dropped as unresolved), or taken in on a tap without an answer (an ARP reply or neighbour
/// advertisement, which only teaches the neighbour table: <see cref="EthernetLink.Verdict.Consumed"/>,
/// told by running the same frame through a link of its own). An ICMP error counts both a drop
/// and a frame sent: at least one of these must have happened. And after every batch, every
/// pool batch is back except those the forwarder keeps by design (<see cref="Forwarder.BatchesKept"/>).
/// </summary>
/// <param name="scarce">A pool of four batches whose egress ports keep what they are sent until
/// the case ends, as devices that have not written yet do: the pool runs dry in the middle of a
/// frame (segments, fragments, answers, held packets), and every way out of that is taken.</param>
internal sealed class ForwardingRig(bool scarce = false)
{
    public const int TunPort = 0, OffloadTunPort = 1, TapPort = 2, PeerPort = 3, ControllerPort = 4, EnginePeerPort = 5;
    private const int PortCount = 6;

    private const PortOffloads AllOffloads = PortOffloads.PartialChecksum | PortOffloads.TcpV4 | PortOffloads.TcpV6 | PortOffloads.Udp;

    private readonly FrameBatchPool _probePool = new(batchCapacity: 1, bufferSize: 4200, maxBatches: 1);
    private readonly EthernetLink _probeLink = new();
    private FrameBatchPool _pool = null!;
    private Forwarder _forwarder = null!;
    private RouterCounters _counters = null!;
    private Port[] _ports = null!;
    private CountingEgress[] _egress = null!;
    private RouteSnapshot _routes = null!;
    private bool _broken = true;

    public Port Port(int index)
    {
        if (_broken) Build();
        return _ports[index];
    }

    /// <summary>
    /// A fresh forwarder, pool and ports; the tap has met host 10.0.3.5 / fd00:3::5 (10.0.3.6 it
    /// has not: packets for it wait). After a case that threw, the next one starts from here: the
    /// thrown batch and its egress batches are lost with the old pool.
    /// </summary>
    private void Build()
    {
        _pool = new FrameBatchPool(batchCapacity: 8, bufferSize: 4200, maxBatches: scarce ? 4 : 32);
        _counters = new RouterCounters();
        _forwarder = new Forwarder(_pool, _counters, new IcmpRateLimiter(perSecond: 1000, burst: 200));
        _egress = Enumerable.Range(0, PortCount).Select(_ => new CountingEgress(scarce)).ToArray();
        _ports =
        [
            new Port(TunPort, "tun", _egress[0], 1500, new PortCounters()) { Ipv4Address = Packets.V4("10.0.1.254"), Ipv6Address = Packets.V6("fd00:1::fe") },
            new Port(OffloadTunPort, "tun-offload", _egress[1], 1500, new PortCounters()) { Ipv4Address = Packets.V4("10.0.2.254"), Ipv6Address = Packets.V6("fd00:2::fe") },
            new Port(TapPort, "tap", _egress[2], 1500, new PortCounters())
            {
                IsEthernet = true,
                Mac = MacAddress.Parse(Frames.RouterMac),
                Ipv4Address = Packets.V4("10.0.3.254"),
                Ipv6Address = Packets.V6("fd00:3::fe"),
            },
            // No address of its own: ICMP errors from it come from another port's.
            new Port(PeerPort, "peer", _egress[3], 1280, new PortCounters()) { IsPeer = true },
            new Port(ControllerPort, "controller", _egress[4], 1500, new PortCounters()) { IsPeer = true, IsController = true },
            new Port(EnginePeerPort, "engine", _egress[5], 1400, new PortCounters()) { IsPeer = true, Ipv4Address = Packets.V4("10.0.6.254") },
        ];
        _routes = new RouteSnapshot(_ports, Enumerable.Range(0, PortCount).SelectMany(i => new[]
        {
            (IpPrefix.Ipv4(Packets.V4($"10.0.{i + 1}.0"), 24), i),
            (IpPrefix.Ipv6(Packets.V6($"fd00:{i + 1}::"), 64), i),
        }));
        _forwarder.SetOffloads(OffloadTunPort, AllOffloads);
        _forwarder.SetOffloads(EnginePeerPort, AllOffloads);
        _broken = false;

        Route(TapPort, Frames.Arp(PacketDotNet.ArpOperation.Response, Frames.HostMac, "10.0.3.5", Frames.RouterMac, "10.0.3.254", Frames.RouterMac), default, -1);
        Route(TapPort, Frames.Advertisement("fd00:3::5", "fd00:3::fe", "fd00:3::5", Frames.HostMac, router: false, solicited: true, @override: true), default, -1);
    }

    /// <summary>Routes <paramref name="frame"/> in a batch of its own from <paramref name="ingress"/> and checks the accounting.</summary>
    public void Route(int ingress, byte[] frame, VirtioFrameLayout layout, int tag)
    {
        if (_broken) Build();
        var port = _ports[ingress];
        var consumed = port.IsEthernet && TakenInWithoutAnswer(port, frame);
        var drops = TotalDrops();
        var forwarded = _counters.Forwarded;
        var sent = Sent();
        var held = _forwarder.HeldFrames;

        Assert.True(_pool.TryRent(out var batch), "the pool ran dry: batches leak");
        batch.IngressPort = ingress;
        Assert.True(batch.TryAppendCopy(frame));
        batch.Offload(0) = layout;
        batch.SetTag(0, tag);
        try
        {
            _forwarder.Route(batch, _routes);
        }
        catch
        {
            _broken = true;
            throw;
        }

        var accounted = TotalDrops() > drops || _counters.Forwarded > forwarded || Sent() > sent || _forwarder.HeldFrames > held || consumed;
        Assert.True(accounted, "a frame went nowhere: not forwarded, sent, held, taken in, nor counted as a drop");
        foreach (var egress in _egress) egress.Write();
        Assert.Equal(_pool.Created - _forwarder.BatchesKept, _pool.Available);
    }

    /// <summary>What the run did, for the test's output: a run that only dropped frames has tested little.</summary>
    public string Describe()
    {
        var drops = string.Join(", ", _ports.Select(p => $"{p.Name} {p.Counters.DescribeDrops()}"));
        return $"forwarded {_counters.Forwarded}, sent {Sent()}, ICMP errors {_counters.IcmpErrorsSent}, echo replies {_counters.EchoReplies}, "
            + $"held now {_forwarder.HeldFrames}; drops: {drops}";
    }

    private bool TakenInWithoutAnswer(Port port, byte[] frame)
    {
        Assert.True(_probePool.TryRent(out var copy));
        copy.TryAppendCopy(frame);
        var verdict = _probeLink.Ingress(copy, 0, port, out _);
        copy.Release();
        return verdict == EthernetLink.Verdict.Consumed;
    }

    private long TotalDrops()
    {
        long sum = 0;
        foreach (var port in _ports) sum += port.Counters.TotalDrops;
        return sum;
    }

    private long Sent()
    {
        long sum = 0;
        foreach (var egress in _egress) sum += egress.Frames;
        return sum;
    }

    /// <summary>
    /// An egress port that counts what it is sent and releases each batch, at once or, when it
    /// <paramref name="holds"/>, at <see cref="Write"/>, as a device actor does after its write.
    /// </summary>
    private sealed class CountingEgress(bool holds) : MinimalActorRef
    {
        private readonly List<FrameBatch> _held = [];
        public long Frames;

        public override ActorPath Path { get; } = new RootActorPath(new Address("fuzz", "fuzz")) / "egress";
        public override IActorRefProvider Provider => throw new NotSupportedException();

        public void Write()
        {
            foreach (var batch in _held) batch.Release();
            _held.Clear();
        }

        protected override void TellInternal(object message, IActorRef sender)
        {
            if (message is not FrameBatch batch) return;
            Frames += batch.Count;
            if (holds) _held.Add(batch);
            else batch.Release();
        }
    }
}
