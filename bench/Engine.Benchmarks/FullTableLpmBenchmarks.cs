using BenchmarkDotNet.Attributes;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// Lookups on issue 13's full table (<see cref="FullTableWorkload"/>: 1M IPv4, 200k IPv6 prefixes of
/// a BGP table's lengths), cold: each invocation takes the next 4096 of 1M addresses, so nearly every
/// lookup misses the cache (the table is tens of MiB). Per lookup, one core.
/// </summary>
[MemoryDiagnoser]
public class FullTableLpmBenchmarks
{
    private const int Batch = LpmWorkload.BatchSize;
    private const int Pool = 1 << 20;

    private Ipv4PrefixTable _ipv4 = Ipv4PrefixTable.Empty;
    private Ipv6PrefixTable _ipv6 = Ipv6PrefixTable.Empty;
    private uint[] _ipv4Addresses = [];
    private UInt128[] _ipv6Addresses = [];
    private int _batchStart;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261207);
        _ipv4 = Ipv4PrefixTable.Build(FullTableWorkload.Ipv4Prefixes(random).Select((p, i) => (p, i % 64)));
        var ipv6Routes = FullTableWorkload.Ipv6Prefixes(random).Select((p, i) => (p, i % 64)).ToList();
        _ipv6 = Ipv6PrefixTable.Build(ipv6Routes);
        _ipv4Addresses = FullTableWorkload.Ipv4Addresses(random, Pool);
        _ipv6Addresses = LpmWorkload.Ipv6Addresses(random, ipv6Routes, Pool);
        Console.WriteLine($"// ipv4 {_ipv4.Count} prefixes, {_ipv4.SizeInBytes / 1024} KiB; ipv6 {_ipv6.Count} prefixes, {_ipv6.RangeCount} ranges, {_ipv6.SizeInBytes / 1024} KiB");
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Ipv4Cold()
    {
        int sum = 0;
        foreach (uint address in NextBatch(_ipv4Addresses))
            sum += _ipv4.Lookup(address);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Ipv6Cold()
    {
        int sum = 0;
        foreach (UInt128 address in NextBatch(_ipv6Addresses))
            sum += _ipv6.Lookup(address);
        return sum;
    }

    private ReadOnlySpan<T> NextBatch<T>(T[] pool)
    {
        int start = _batchStart;
        _batchStart = (start + Batch) % Pool;
        return pool.AsSpan(start, Batch);
    }
}
