using BenchmarkDotNet.Attributes;
using Engine.Actors.Router;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// The route book at issue 13's scale (<see cref="FullTableWorkload"/>): building the snapshot of a
/// full table (what a publish costs the book), and taking a batch of 100,000 FPM changes (routes moved
/// to other next hops, 64 distinct routes as the FPM server sends them: <see cref="ChangeRouteBatch"/>)
/// into the book and publishing once, as the book does with a burst.
/// </summary>
[MemoryDiagnoser]
public class RouteBookBenchmarks
{
    private const int UpdateBatch = 100_000;

    private RouteBook _book = null!;
    private ChangeRouteBatch[] _updates = [];
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261207);
        _book = new RouteBook(new RouteTable(FullTableWorkload.Ports, []));
        var prefixes = FullTableWorkload.Ipv4Prefixes(random).Concat(FullTableWorkload.Ipv6Prefixes(random)).ToList();
        foreach (var prefix in prefixes)
            _book.Set(RouteSource.Fpm, FullTableWorkload.Route(random, prefix));
        // Two alternating sets of next hops, so every batch changes every route it names.
        _updates = [.. Enumerable.Range(0, 2).Select(round => new ChangeRouteBatch(RouteSource.Fpm,
            [.. Enumerable.Range(0, 64).Select(i => FullTableWorkload.Route(random, i < 32 ? default : IpPrefix.Ipv6(0, 0), salt: (uint)round * 64 + 32))],
            [.. Enumerable.Range(0, UpdateBatch).Select(_ => prefixes[random.Next(prefixes.Count)])
                .Select(prefix => new BatchedRouteChange(prefix, random.Next(32) + (prefix.IsIPv6 ? 32 : 0)))]))];
        var snapshot = _book.Build();
        Console.WriteLine($"// {prefixes.Count} routes, {snapshot.NextHops.Length} next hops, {snapshot.Groups.Length} groups, " +
            $"ipv4 table {snapshot.Ipv4.SizeInBytes / 1024} KiB, ipv6 table {snapshot.Ipv6.SizeInBytes / 1024} KiB");
    }

    [Benchmark]
    public RouteSnapshot BuildFullTable() => _book.Build();

    /// <summary>Per route of the batch: setting it in the book, and its share of one publish.</summary>
    [Benchmark(OperationsPerInvoke = UpdateBatch)]
    public RouteSnapshot ApplyBatchAndPublish()
    {
        _book.Apply(_updates[_round++ & 1]);
        return _book.Build();
    }
}
