using System.Net;
using BenchmarkDotNet.Attributes;
using Engine.Actors.Rules;
using Engine.Actors.Topology;

namespace Engine.Benchmarks;

/// <summary>
/// What the rule table costs a frame: reading its key (the baseline), then a lookup in a lab's
/// handful of rules of four shapes, and in 4000 exact-match rules of one shape beside them, as an
/// OpenFlow controller would install; and 1000 OpenFlow L2 flows (in_port, eth_dst, eth_src exact,
/// as a learning switch installs them) over Ethernet frames read with their OpenFlow fields.
/// Per frame: each invocation classifies 1024 frames.
/// </summary>
[MemoryDiagnoser]
public class RuleTableBenchmarks
{
    private const int Frames = 1024;
    private readonly byte[][] _packets = new byte[Frames][];
    private RuleTable _lab = null!;
    private RuleTable _thousands = null!;
    private RuleTable _openFlowL2 = null!;
    private readonly byte[][] _frames = new byte[Frames][];

    [GlobalSetup]
    public void Setup()
    {
        var ports = new Dictionary<string, int> { ["tun-a"] = 0, ["ctl"] = 1 };
        RuleSpec[] lab =
        [
            new(0, 32768, RuleMatchSpec.Any with { InPort = "tun-a", IpProtocol = 89 }, RuleActionKind.Controller, "ctl"),
            new(1, 40000, RuleMatchSpec.Any with { EtherType = 0x88cc }, RuleActionKind.Drop, null),
            new(2, 32768, RuleMatchSpec.Any with { Destination = IPNetwork.Parse("224.0.0.0/24") }, RuleActionKind.Controller, "ctl"),
            new(3, 100, RuleMatchSpec.Any with { Ttl = 1 }, RuleActionKind.Controller, "ctl"),
        ];
        _lab = RuleTable.Build(RuleCompiler.Compile(lab, name => ports[name]))!;
        var exact = Enumerable.Range(0, 4000).Select(i => new RuleSpec(lab.Length + i, 50000, RuleMatchSpec.Any with
        {
            Destination = new IPNetwork(new IPAddress([10, 1, (byte)(i >> 8), (byte)i]), 32),
            IpProtocol = 17,
        }, RuleActionKind.Drop, null));
        _thousands = RuleTable.Build(RuleCompiler.Compile(lab.Concat(exact), name => ports[name]))!;

        // What OpenFlowRuleCompiler makes of a learning switch's flows: 1000 host pairs, each one way.
        var l2Mask = new FlowKey(-1, 0, 0, 0, 0, 0) { EthDestination = 0xffff_ffff_ffff, EthSource = 0xffff_ffff_ffff };
        _openFlowL2 = RuleTable.Build(Enumerable.Range(0, 1000).Select(i => new Rule(1 << 20 | i, 1,
            new FlowMatch(new FlowKey(0, 0, 0, 0, 0, 0) { EthDestination = 0x0200_0000_0000UL | (uint)i, EthSource = 0x0200_0001_0000UL | (uint)i }, l2Mask),
            RuleAction.ToPort(1)) { Hits = new RuleHits() }).Append(new Rule(int.MaxValue, -1, FlowMatch.Any, RuleAction.Drop)))!;

        var random = new Random(20261207);
        for (var i = 0; i < Frames; i++)
        {
            var packet = new byte[64];
            packet[0] = 0x45;
            packet[8] = (byte)(i % 7 == 0 ? 1 : 64);
            packet[9] = (byte)(i % 5 == 0 ? 89 : 17);
            packet[12] = 10;
            packet[16] = 10;
            packet[17] = 1;
            packet[18] = (byte)random.Next(0, 20);
            packet[19] = (byte)random.Next();
            _packets[i] = packet;
            var host = random.Next(0, 1000);
            var frame = new byte[14 + 64];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(frame, (0x0200_0000_0000UL | (uint)host) << 16);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(frame.AsSpan(6), (0x0200_0001_0000UL | (uint)host) << 16 | 0x0800);
            packet.CopyTo(frame, 14);
            _frames[i] = frame;
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Frames)]
    public int ReadKeyOnly()
    {
        var sum = 0;
        foreach (var packet in _packets) sum += FlowKeyReader.Read(packet, ethernet: false, 0).Ttl;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Frames)]
    public int LabRules() => Classify(_lab);

    [Benchmark(OperationsPerInvoke = Frames)]
    public int FourThousandExactRules() => Classify(_thousands);

    [Benchmark(OperationsPerInvoke = Frames)]
    public int ThousandOpenFlowL2Flows()
    {
        var sum = 0;
        foreach (var frame in _frames)
            sum += _openFlowL2.Lookup(FlowKeyFields.Read(frame, ethernet: true, 0))?.Action.Port ?? -1;
        return sum;
    }

    private int Classify(RuleTable table)
    {
        var sum = 0;
        foreach (var packet in _packets)
            sum += table.Lookup(FlowKeyReader.Read(packet, ethernet: false, 0))?.Id ?? -1;
        return sum;
    }
}
