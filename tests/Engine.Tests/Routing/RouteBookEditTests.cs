using Engine.Actors.Router;
using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// Snapshots the route book edits from the last one (<see cref="SnapshotEditor"/>) route as a
/// naive reference over the book's winners: random batches of routes set, replaced and withdrawn
/// in several sources, over IPv4 and IPv6, single and multipath, with now and then a next hop the
/// snapshot does not have yet (a whole build) and a source cleared; and IPv6 alone, of every length.
/// </summary>
public sealed class RouteBookEditTests
{
    private static readonly Port[] Ports = RouteBookTests.Ports;

    private static readonly RouteSource[] Sources = [RouteSource.Static, RouteSource.Runtime, RouteSource.Fpm];

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Snapshots_edited_batch_by_batch_route_as_a_reference_over_the_books_winners(int seed)
    {
        var random = new Random(seed);
        var book = new RouteBook(new RouteTable(Ports, []));
        var prefixes = new List<IpPrefix>();
        var hops = 6;

        for (var round = 0; round < 60; round++)
        {
            if (round % 17 == 16) hops++; // a next hop no snapshot has had
            ApplyRandomChanges(random, book, prefixes, hops, RandomPrefix);
            if (round % 23 == 22) book.Clear(RouteSource.Runtime);

            AssertRoutesAsTheReference(book, book.Build(), Probes(random, prefixes));
        }
        // The first, one after each clear, and a few once unused values piled up: the rest were edited.
        Assert.InRange(book.WholeBuilds, 3, 12);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(14)]
    public void Ipv6_batches_of_every_length_are_edited_in_and_route_as_the_reference(int seed)
    {
        var random = new Random(seed);
        var book = new RouteBook(new RouteTable(Ports, []));
        var prefixes = new List<IpPrefix> { IpPrefix.Ipv6(0, 0) };
        book.Set(RouteSource.Static, RandomRoute(random, 6) with { Prefix = prefixes[0] });
        book.Build();

        for (var round = 0; round < 40; round++)
        {
            ApplyRandomChanges(random, book, prefixes, 6, RandomIpv6Prefix);

            AssertRoutesAsTheReference(book, book.Build(), Probes(random, prefixes));
        }
        // The first, and a few once unused values piled up: the rest were edited.
        Assert.InRange(book.WholeBuilds, 1, 6);
    }

    [Fact]
    public void A_route_to_a_new_next_hop_is_edited_in_and_moves_no_group()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        var multipath = IpPrefix.Ipv4(0x0A090000, 16);
        book.Set(RouteSource.Fpm, TableRoute.Multipath(multipath, [new(new NextHop(1, 0x0A000101)), new(new NextHop(2, 0x0A000201))]));
        var first = book.Build();
        var group = first.Ipv4.Lookup(0x0A090001);

        book.Set(RouteSource.Fpm, new TableRoute(IpPrefix.Ipv4(0x0A080000, 16), new NextHop(3, 0x0A000301)));
        var second = book.Build();

        Assert.Equal(1, book.WholeBuilds);
        Assert.Equal(group, second.Ipv4.Lookup(0x0A090001));
        Assert.Same(first.Groups[group - RouteSnapshot.FirstGroupValue], second.Groups[group - RouteSnapshot.FirstGroupValue]);
        Assert.Equal(new NextHop(3, 0x0A000301), second.HopOf(second.Ipv4.Lookup(0x0A080001), 0));
        Assert.Equal(2, first.NextHops.Length);
        Assert.Equal(3, second.NextHops.Length);
    }

    [Fact]
    public void A_table_loading_values_it_has_not_had_is_edited_and_values_no_route_uses_make_a_whole_build()
    {
        // A full table arriving over FPM: each batch brings multipath sets (over 16 next hops) no snapshot has had yet.
        var book = new RouteBook(new RouteTable(Ports, []));
        var loaded = Subsets(16, 3).Concat(Subsets(16, 4)).Take(2000)
            .Select((hops, i) => Spread(IpPrefix.Ipv4(0x0B000000u + ((uint)i << 8), 24), hops)).ToList();
        foreach (var batch in loaded.Chunk(50))
        {
            foreach (var route in batch)
                book.Set(RouteSource.Fpm, route);
            book.Build();
        }
        Assert.Equal(2000, book.Build().Groups.Length);
        Assert.Equal(1, book.WholeBuilds);

        // Routes withdrawn leave their groups unused: once those are most of the values, a whole build drops them.
        foreach (var batch in loaded.Take(1900).Chunk(50))
        {
            foreach (var route in batch)
                book.Remove(RouteSource.Fpm, route.Prefix);
            book.Build();
        }
        var replacing = Subsets(16, 5).Take(2000).Select((hops, i) => Spread(IpPrefix.Ipv4(0x0C000000u + ((uint)i << 8), 24), hops)).ToList();
        foreach (var batch in replacing.Chunk(50))
        {
            foreach (var route in batch)
                book.Set(RouteSource.Fpm, route);
            book.Build();
        }
        var last = book.Build();
        Assert.InRange(book.WholeBuilds, 2, 3);
        Assert.InRange(last.Groups.Length, 2100, 4000);
        AssertRoutesAsTheReference(book, last, loaded.Skip(1900).Concat(replacing).Select(r => (UInt128)r.Prefix.Ipv4Network + 1));
    }

    [Fact]
    public void A_table_that_has_doubled_since_its_last_whole_build_is_built_whole_and_one_announced_again_is_edited()
    {
        var book = new RouteBook(new RouteTable(Ports, []));
        IpPrefix Prefix(int i) => IpPrefix.Ipv4(0x0B000000u + ((uint)i << 8), 24);
        var hopA = new TableRoute(default, new NextHop(1, 0x0A4D0201));
        var hopB = new TableRoute(default, new NextHop(2, 0x0A4D0202));

        // Loaded 1,000 routes a publish: whole at the first, then at each doubling past the slack.
        for (var i = 0; i < 40_000; i++)
        {
            book.Set(RouteSource.Fpm, hopA with { Prefix = Prefix(i) });
            if (i % 1000 == 999) book.Build();
        }
        var built = book.WholeBuilds;
        Assert.InRange(built, 3, 5);

        // Announced again with another next hop, the same size: edited.
        for (var i = 0; i < 40_000; i++)
        {
            book.Set(RouteSource.Fpm, hopB with { Prefix = Prefix(i) });
            if (i % 1000 == 999) book.Build();
        }
        var last = book.Build();
        Assert.Equal(built, book.WholeBuilds);
        AssertRoutesAsTheReference(book, last, Enumerable.Range(0, 40_000).Where(i => i % 97 == 0).Select(i => (UInt128)Prefix(i).Ipv4Network + 1));
    }

    private static TableRoute Spread(IpPrefix prefix, int[] hops) =>
        TableRoute.Multipath(prefix, [.. hops.Select(h => new EcmpPath(new NextHop(1 + h % 2, 0x0A4D0200u + (uint)h)))]);

    private static IEnumerable<int[]> Subsets(int of, int size, int from = 0)
    {
        if (size == 0)
        {
            yield return [];
            yield break;
        }
        for (var first = from; first <= of - size; first++)
            foreach (var rest in Subsets(of, size - 1, first + 1))
                yield return [first, .. rest];
    }

    /// <summary>A random batch: routes set, replaced and withdrawn in several sources, FPM's as one batch of 8 distinct routes.</summary>
    private static void ApplyRandomChanges(Random random, RouteBook book, List<IpPrefix> prefixes, int hops, Func<Random, List<IpPrefix>, IpPrefix> newPrefix)
    {
        var batch = new List<BatchedRouteChange>();
        var values = Enumerable.Range(0, 8).Select(_ => RandomRoute(random, hops)).ToArray();
        for (var i = random.Next(1, 200); i > 0; i--)
        {
            var prefix = prefixes.Count > 0 && random.Next(3) == 0 ? prefixes[random.Next(prefixes.Count)] : newPrefix(random, prefixes);
            prefixes.Add(prefix);
            var source = Sources[random.Next(Sources.Length)];
            if (random.Next(4) == 0) book.Remove(source, prefix);
            else if (source == RouteSource.Fpm) batch.Add(new BatchedRouteChange(prefix, random.Next(values.Length)));
            else book.Set(source, values[random.Next(values.Length)] with { Prefix = prefix });
        }
        book.Apply(new ChangeRouteBatch(RouteSource.Fpm, [.. values.Select(v => v with { Prefix = IpPrefix.Ipv6(0, 0) })], batch));
    }

    private static void AssertRoutesAsTheReference(RouteBook book, RouteSnapshot snapshot, IEnumerable<UInt128> addresses)
    {
        var winners = book.All().Where(r => r.Installed).ToDictionary(r => r.Route.Prefix, r => r.Route);
        foreach (var address in addresses)
        {
            var ipv6 = address > uint.MaxValue;
            var value = ipv6 ? snapshot.Ipv6.Lookup(address) : snapshot.Ipv4.Lookup((uint)address);
            TableRoute? expected = null;
            for (var length = ipv6 ? 128 : 32; length >= 0 && expected is null; length--)
                expected = winners.TryGetValue(ipv6 ? IpPrefix.Ipv6(address, length) : IpPrefix.Ipv4((uint)address, length), out var found) ? found : null;

            if (expected is not { } route)
            {
                Assert.Equal(-1, value);
                continue;
            }
            Assert.NotEqual(-1, value);
            var hops = route.Paths is { } paths ? paths.Select(p => p.Hop).ToHashSet() : [route.Via];
            var actual = snapshot.IsMultipath(value)
                ? snapshot.Groups[value - RouteSnapshot.FirstGroupValue].Paths.Select(p => p.Hop).ToHashSet()
                : [snapshot.NextHops[value]];
            Assert.True(hops.SetEquals(actual), $"{address:X}: {route.Prefix} leads to {string.Join(", ", hops)}, the snapshot to {string.Join(", ", actual)}");
        }
    }

    private static TableRoute RandomRoute(Random random, int hops)
    {
        NextHop Hop() => new(random.Next(Ports.Length), 0x0A4D0200u + (uint)random.Next(hops));
        if (random.Next(4) != 0) return new TableRoute(default, Hop());
        var paths = Enumerable.Range(0, random.Next(2, 4)).Select(_ => new EcmpPath(Hop())).DistinctBy(p => p.Hop).ToArray();
        return paths.Length == 1 ? new TableRoute(default, paths[0].Hop) : TableRoute.Multipath(default, paths);
    }

    /// <summary>Prefixes crowded into a small space of each family, often inside one already there, so they nest.</summary>
    private static IpPrefix RandomPrefix(Random random, List<IpPrefix> prefixes)
    {
        if (prefixes.Count > 0 && random.Next(2) == 0)
        {
            var parent = prefixes[random.Next(prefixes.Count)];
            return parent.IsIPv6
                ? IpPrefix.Ipv6(parent.Ipv6Network | (UInt128)(ulong)random.NextInt64() << 64 >> parent.Length, random.Next(parent.Length, 129))
                : IpPrefix.Ipv4(parent.Ipv4Network | (uint)random.NextInt64(1L << 32) >> parent.Length, random.Next(parent.Length, 33));
        }
        return random.Next(3) == 0
            ? IpPrefix.Ipv6(new UInt128(0x2001_0db8_0000_0000 | (ulong)random.Next(1 << 16) << 16, 0), random.Next(16, 65))
            : IpPrefix.Ipv4(0x0A000000 | (uint)random.Next(1 << 20) << 4, random.Next(8, 33));
    }

    /// <summary>IPv6 prefixes of every length in a few /20 blocks, often inside one already there; now and then one shorter than a block.</summary>
    private static IpPrefix RandomIpv6Prefix(Random random, List<IpPrefix> prefixes)
    {
        if (random.Next(2) == 0)
        {
            var parent = prefixes[random.Next(prefixes.Count)];
            return IpPrefix.Ipv6(parent.Ipv6Network | (UInt128)(ulong)random.NextInt64() << 64 >> parent.Length, random.Next(parent.Length, 129));
        }
        var network = (UInt128)(0x20010 + (ulong)random.Next(3)) << 108 | (UInt128)(ulong)random.NextInt64() << 40;
        return IpPrefix.Ipv6(network, random.Next(8) == 0 ? random.Next(1, 20) : random.Next(20, 129));
    }

    private static IEnumerable<UInt128> Probes(Random random, List<IpPrefix> prefixes)
    {
        foreach (var prefix in prefixes.Distinct())
        {
            if (prefix.IsIPv6)
            {
                var first = prefix.Ipv6Network;
                var last = first | ~IpPrefix.Ipv6Mask(prefix.Length);
                yield return first;
                yield return last;
                if (last != UInt128.MaxValue) yield return last + 1;
            }
            else
            {
                var first = prefix.Ipv4Network;
                var last = first | ~IpPrefix.Ipv4Mask(prefix.Length);
                yield return first;
                yield return first - 1;
                yield return last;
                yield return last + 1;
                yield return first + (uint)random.NextInt64((long)(last - first) + 1);
            }
        }
    }
}
