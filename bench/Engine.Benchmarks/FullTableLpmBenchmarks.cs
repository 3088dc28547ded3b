using BenchmarkDotNet.Attributes;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// Lookups on issue 13's full table (<see cref="FullTableWorkload"/>: 1M IPv4, 200k IPv6 prefixes of
/// a BGP table's lengths), cold: each invocation takes the next 4096 of 1M addresses, so nearly every
/// lookup misses the cache (the table is tens of MiB). Per lookup, one core. <see cref="Ipv6ColdEdited"/>
/// looks up the same addresses in the IPv6 table after 100 publishes of 1,000 changes each by
/// <see cref="Ipv6PrefixTableEditor"/>, whose swept blocks' ranges lie at the end of the array.
/// </summary>
[MemoryDiagnoser]
public class FullTableLpmBenchmarks
{
    private const int Batch = LpmWorkload.BatchSize;
    private const int Pool = 1 << 20;

    private Ipv4PrefixTable _ipv4 = Ipv4PrefixTable.Empty;
    private Ipv6PrefixTable _ipv6 = Ipv6PrefixTable.Empty;
    private Ipv6PrefixTable _ipv6Edited = Ipv6PrefixTable.Empty;
    private int[] _ipv6FlatDirect = [];
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
        _ipv6FlatDirect = _ipv6.Direct;
        _ipv4Addresses = FullTableWorkload.Ipv4Addresses(random, Pool);
        _ipv6Addresses = LpmWorkload.Ipv6Addresses(random, ipv6Routes, Pool);
        _ipv6Edited = Edited(random, _ipv6, ipv6Routes);
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

    /// <summary>The lookup before the branch v6lookup (<see cref="Ipv6BinarySearchLookup"/>) on the same table: the baseline of the IPv6 rows.</summary>
    [Benchmark(OperationsPerInvoke = Batch, Baseline = true)]
    public int Ipv6ColdBinarySearch()
    {
        int sum = 0;
        foreach (UInt128 address in NextBatch(_ipv6Addresses))
            sum += Ipv6BinarySearchLookup.Lookup(_ipv6, _ipv6FlatDirect, address);
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Batch)]
    public int Ipv6ColdEdited()
    {
        int sum = 0;
        foreach (UInt128 address in NextBatch(_ipv6Addresses))
            sum += _ipv6Edited.Lookup(address);
        return sum;
    }

    /// <summary>The table after 100 batches of 1,000 routes removed or given another value.</summary>
    private static Ipv6PrefixTable Edited(Random random, Ipv6PrefixTable table, List<(IpPrefix Prefix, int Value)> routes)
    {
        var editor = new Ipv6PrefixTableEditor(table, routes);
        for (var batch = 0; batch < 100; batch++)
        {
            for (var i = 0; i < 1000; i++)
            {
                var (prefix, value) = routes[random.Next(routes.Count)];
                if (random.Next(4) == 0) editor.Remove(prefix);
                else editor.Set(prefix, (value + random.Next(1, 64)) % 64);
            }
            table = editor.Publish();
        }
        return table;
    }

    private ReadOnlySpan<T> NextBatch<T>(T[] pool)
    {
        int start = _batchStart;
        _batchStart = (start + Batch) % Pool;
        return pool.AsSpan(start, Batch);
    }
}
