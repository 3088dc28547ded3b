using System.Net;
using BenchmarkDotNet.Attributes;
using Engine.Actors.Rules;
using Engine.Actors.Topology;

namespace Engine.Benchmarks;

/// <summary>
/// What the rule table costs a frame: reading its key (the baseline), then a lookup in a lab's
/// handful of rules of four shapes, and in 4000 exact-match rules of one shape beside them, as an
/// OpenFlow controller would install. Per frame: each invocation classifies 1024 frames.
/// </summary>
[MemoryDiagnoser]
public class RuleTableBenchmarks
{
    private const int Frames = 1024;
    private readonly byte[][] _packets = new byte[Frames][];
    private RuleTable _lab = null!;
    private RuleTable _thousands = null!;

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

    private int Classify(RuleTable table)
    {
        var sum = 0;
        foreach (var packet in _packets)
            sum += table.Lookup(FlowKeyReader.Read(packet, ethernet: false, 0))?.Id ?? -1;
        return sum;
    }
}
