using BenchmarkDotNet.Attributes;
using Engine.Actors.Router;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// The route book at issue 13's scale (<see cref="FullTableWorkload"/>): building the snapshot of a
/// full table (what a publish costs the book), and taking a batch of 100,000 FPM changes (routes moved
/// to other next hops, 64 distinct routes as the FPM server sends them: <see cref="ChangeRouteBatch"/>)
/// into the book and publishing once, as the book does with a burst; the same with 1,000 changes (where
/// what a publish costs whatever its size shows), with 100,000 and 1,000 IPv4 changes only, and with
/// 1,000 IPv6 changes only; both tables are edited. <see cref="BuildIpv6TableWhole"/> is what an IPv6
/// change cost before the IPv6 table was edited: the table built whole from the same routes.
/// </summary>
[MemoryDiagnoser]
public class RouteBookBenchmarks
{
    private const int UpdateBatch = 100_000;
    private const int SmallBatch = 1_000;

    private RouteBook _book = null!;
    private ChangeRouteBatch[] _updates = [];
    private ChangeRouteBatch[] _smallUpdates = [];
    private ChangeRouteBatch[] _ipv4Updates = [];
    private ChangeRouteBatch[] _smallIpv4Updates = [];
    private ChangeRouteBatch[] _smallIpv6Updates = [];
    private (IpPrefix Prefix, int Value)[] _ipv6Routes = [];
    private int _round;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(20261207);
        _book = new RouteBook(new RouteTable(FullTableWorkload.Ports, []));
        var prefixes = FullTableWorkload.Ipv4Prefixes(random).Concat(FullTableWorkload.Ipv6Prefixes(random)).ToList();
        foreach (var prefix in prefixes)
            _book.Set(RouteSource.Fpm, FullTableWorkload.Route(random, prefix));
        var ipv4 = prefixes.Where(p => !p.IsIPv6).ToList();
        _updates = Batches(random, prefixes, UpdateBatch);
        _smallUpdates = Batches(random, prefixes, SmallBatch);
        _ipv4Updates = Batches(random, ipv4, UpdateBatch);
        _smallIpv4Updates = Batches(random, ipv4, SmallBatch);
        _smallIpv6Updates = Batches(random, [.. prefixes.Where(p => p.IsIPv6)], SmallBatch);
        var snapshot = _book.Build();
        _ipv6Routes = [.. prefixes.Where(p => p.IsIPv6).Select(p => (p, snapshot.Ipv6.Lookup(p.Ipv6Network)))];
        // Each batch once, so that the next hops they name are numbered before the measured ones.
        foreach (var batch in _updates.Concat(_smallUpdates).Concat(_ipv4Updates).Concat(_smallIpv4Updates).Concat(_smallIpv6Updates))
        {
            _book.Apply(batch);
            _book.Build();
        }
        Console.WriteLine($"// {prefixes.Count} routes, {snapshot.NextHops.Length} next hops, {snapshot.Groups.Length} groups, " +
            $"ipv4 table {snapshot.Ipv4.SizeInBytes / 1024} KiB, ipv6 table {snapshot.Ipv6.SizeInBytes / 1024} KiB");
    }

    /// <summary>The same prefixes over two alternating sets of next hops, so every batch changes every route it names.</summary>
    private static ChangeRouteBatch[] Batches(Random random, List<IpPrefix> prefixes, int size)
    {
        var named = Enumerable.Range(0, size).Select(_ => prefixes[random.Next(prefixes.Count)]).ToArray();
        return [.. Enumerable.Range(0, 2).Select(round => new ChangeRouteBatch(RouteSource.Fpm,
            [.. Enumerable.Range(0, 64).Select(i => FullTableWorkload.Route(random, i < 32 ? default : IpPrefix.Ipv6(0, 0), salt: (uint)round * 64 + 32))],
            [.. named.Select(prefix => new BatchedRouteChange(prefix, random.Next(32) + (prefix.IsIPv6 ? 32 : 0)))]))];
    }

    /// <summary>The whole build the book does when link state or the lab changed.</summary>
    [Benchmark]
    public RouteSnapshot BuildFullTable()
    {
        // A link a route depends on going down makes the next build whole, and coming up again the one after.
        _book.SetLink(0, up: (_round++ & 1) != 0);
        return _book.Build();
    }

    /// <summary>Per route of the batch: setting it in the book, and its share of one publish.</summary>
    [Benchmark(OperationsPerInvoke = UpdateBatch)]
    public RouteSnapshot ApplyBatchAndPublish() => ApplyAndPublish(_updates);

    [Benchmark(OperationsPerInvoke = SmallBatch)]
    public RouteSnapshot ApplySmallBatchAndPublish() => ApplyAndPublish(_smallUpdates);

    [Benchmark(OperationsPerInvoke = UpdateBatch)]
    public RouteSnapshot ApplyIpv4BatchAndPublish() => ApplyAndPublish(_ipv4Updates);

    [Benchmark(OperationsPerInvoke = SmallBatch)]
    public RouteSnapshot ApplySmallIpv4BatchAndPublish() => ApplyAndPublish(_smallIpv4Updates);

    [Benchmark(OperationsPerInvoke = SmallBatch)]
    public RouteSnapshot ApplySmallIpv6BatchAndPublish() => ApplyAndPublish(_smallIpv6Updates);

    /// <summary>The IPv6 table of the 200,000 routes built whole, as each publish with an IPv6 change did before the editor (per change of a 1,000-change batch, to compare).</summary>
    [Benchmark(OperationsPerInvoke = SmallBatch)]
    public Ipv6PrefixTable BuildIpv6TableWhole() => Ipv6PrefixTable.Build(_ipv6Routes);

    private RouteSnapshot ApplyAndPublish(ChangeRouteBatch[] batches)
    {
        _book.Apply(batches[_round++ & 1]);
        return _book.Build();
    }
}
