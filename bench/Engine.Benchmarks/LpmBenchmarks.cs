using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// Lookups over 100k random prefixes. Each invocation looks up a batch of 4096 addresses and
/// OperationsPerInvoke divides by it, so the figures are per lookup. AddressPool sets how
/// many distinct addresses the batches are cut from: 4096 repeats one batch, so the table
/// lines it touches stay cached (traffic with locality); 1M moves to a fresh batch every
/// invocation, so most lookups miss the cache (the worst case: every packet a new
/// destination). Each category has its own baseline: one dictionary per prefix length,
/// probed longest first.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class LpmBenchmarks
{
    private const int Batch = LpmWorkload.BatchSize;

    private static readonly int[] RealisticIpv6Lengths = [0, 32, 48, 56, 64, 128];

    private Ipv4PrefixTable _ipv4 = Ipv4PrefixTable.Empty;
    private NaiveLpm _ipv4Naive = null!;
    private uint[] _ipv4Addresses = [];

    private Ipv6PrefixTable _ipv6 = Ipv6PrefixTable.Empty;
    private NaiveLpm _ipv6Naive = null!;
    private UInt128[] _ipv6Addresses = [];

    private Ipv6PrefixTable _ipv6Realistic = Ipv6PrefixTable.Empty;
    private NaiveLpm _ipv6RealisticNaive = null!;
    private UInt128[] _ipv6RealisticAddresses = [];

    private int _batchStart;

    [Params(Batch, 1 << 20)]
    public int AddressPool { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Routes and addresses draw from separate generators so the tables are the same
        // whatever the pool size.
        var routeRandom = new Random(20240601);
        var addressRandom = new Random(20240602);

        var ipv4Routes = LpmWorkload.Ipv4Routes(routeRandom);
        _ipv4 = Ipv4PrefixTable.Build(ipv4Routes);
        _ipv4Naive = new NaiveLpm(ipv4Routes, isIPv6: false);
        _ipv4Addresses = LpmWorkload.Ipv4Addresses(addressRandom, AddressPool);

        var ipv6Routes = LpmWorkload.Ipv6Routes(routeRandom, lengths: null);
        _ipv6 = Ipv6PrefixTable.Build(ipv6Routes);
        _ipv6Naive = new NaiveLpm(ipv6Routes, isIPv6: true);
        _ipv6Addresses = LpmWorkload.Ipv6Addresses(addressRandom, ipv6Routes, AddressPool);

        var realisticRoutes = LpmWorkload.Ipv6Routes(routeRandom, RealisticIpv6Lengths);
        _ipv6Realistic = Ipv6PrefixTable.Build(realisticRoutes);
        _ipv6RealisticNaive = new NaiveLpm(realisticRoutes, isIPv6: true);
        _ipv6RealisticAddresses = LpmWorkload.Ipv6Addresses(addressRandom, realisticRoutes, AddressPool);

        Console.WriteLine($"// ipv4 table: {_ipv4.Count} prefixes, {_ipv4.SizeInBytes / 1024} KiB");
        Console.WriteLine($"// ipv6 table (random lengths): {_ipv6.Count} prefixes, {_ipv6.RangeCount} ranges, {_ipv6.SizeInBytes / 1024} KiB");
        Console.WriteLine($"// ipv6 table (realistic lengths): {_ipv6Realistic.Count} prefixes, {_ipv6Realistic.RangeCount} ranges, {_ipv6Realistic.SizeInBytes / 1024} KiB");
    }

    [BenchmarkCategory("IPv4"), Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int Ipv4Naive()
    {
        int sum = 0;
        foreach (uint address in NextBatch(_ipv4Addresses))
            sum += _ipv4Naive.Lookup(address);
        return sum;
    }

    [BenchmarkCategory("IPv4"), Benchmark(OperationsPerInvoke = Batch)]
    public int Ipv4Table()
    {
        Ipv4PrefixTable table = _ipv4;
        int sum = 0;
        foreach (uint address in NextBatch(_ipv4Addresses))
            sum += table.Lookup(address);
        return sum;
    }

    [BenchmarkCategory("IPv6 random lengths"), Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int Ipv6Naive() => Sum(_ipv6Naive, NextBatch(_ipv6Addresses));

    [BenchmarkCategory("IPv6 random lengths"), Benchmark(OperationsPerInvoke = Batch)]
    public int Ipv6Table() => Sum(_ipv6, NextBatch(_ipv6Addresses));

    [BenchmarkCategory("IPv6 realistic lengths"), Benchmark(Baseline = true, OperationsPerInvoke = Batch)]
    public int Ipv6RealisticNaive() => Sum(_ipv6RealisticNaive, NextBatch(_ipv6RealisticAddresses));

    [BenchmarkCategory("IPv6 realistic lengths"), Benchmark(OperationsPerInvoke = Batch)]
    public int Ipv6RealisticTable() => Sum(_ipv6Realistic, NextBatch(_ipv6RealisticAddresses));

    private ReadOnlySpan<T> NextBatch<T>(T[] pool)
    {
        int start = _batchStart;
        _batchStart = start + Batch >= pool.Length ? 0 : start + Batch;
        return pool.AsSpan(start, Batch);
    }

    private static int Sum(Ipv6PrefixTable table, ReadOnlySpan<UInt128> addresses)
    {
        int sum = 0;
        foreach (UInt128 address in addresses)
            sum += table.Lookup(address);
        return sum;
    }

    private static int Sum(NaiveLpm table, ReadOnlySpan<UInt128> addresses)
    {
        int sum = 0;
        foreach (UInt128 address in addresses)
            sum += table.Lookup(address);
        return sum;
    }
}
