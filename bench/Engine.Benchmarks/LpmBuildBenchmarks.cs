using BenchmarkDotNet.Attributes;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>Time and allocation to build a table from 100k random prefixes.</summary>
[MemoryDiagnoser]
public class LpmBuildBenchmarks
{
    private List<(IpPrefix Prefix, int Value)> _ipv4Routes = [];
    private List<(IpPrefix Prefix, int Value)> _ipv6Routes = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20240601);
        _ipv4Routes = LpmWorkload.Ipv4Routes(random);
        _ipv6Routes = LpmWorkload.Ipv6Routes(random, lengths: null);
    }

    [Benchmark]
    public Ipv4PrefixTable BuildIpv4() => Ipv4PrefixTable.Build(_ipv4Routes);

    [Benchmark]
    public Ipv6PrefixTable BuildIpv6() => Ipv6PrefixTable.Build(_ipv6Routes);
}
