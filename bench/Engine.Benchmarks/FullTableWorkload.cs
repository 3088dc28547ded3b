using Engine.Actors.Counters;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// A full table as issue 13 sizes it: 1,000,000 IPv4 and 200,000 IPv6 routes with the prefix-length
/// mix bench/fpm_stream.py sends (a BGP table's), over 16 next hops on 4 ports, one route in 20
/// multipath, seeded so every run builds the same.
/// </summary>
internal static class FullTableWorkload
{
    public const int Ipv4Count = 1_000_000;
    public const int Ipv6Count = 200_000;
    public const int HopCount = 16;

    private static readonly (int Length, int Weight)[] Ipv4Lengths =
        [(24, 645), (23, 100), (22, 100), (21, 45), (20, 40), (19, 25), (18, 14), (17, 8), (16, 13), (15, 3), (14, 3), (13, 2), (12, 2)];

    private static readonly (int Length, int Weight)[] Ipv6Lengths =
        [(48, 480), (44, 60), (40, 50), (36, 30), (32, 150), (29, 40), (46, 30), (47, 20), (56, 40), (64, 40), (28, 20), (33, 20), (34, 20)];

    public static Port[] Ports { get; } = Enumerable.Range(0, 4)
        .Select(i => new Port(i, $"p{i}", Akka.Actor.ActorRefs.Nobody, 1500, new PortCounters()))
        .ToArray();

    /// <summary>Distinct IPv4 prefixes in 1.0.0.0-223.255.255.255.</summary>
    public static List<IpPrefix> Ipv4Prefixes(Random random, int count = Ipv4Count)
    {
        var lengths = Expand(Ipv4Lengths);
        var prefixes = new HashSet<IpPrefix>(count);
        while (prefixes.Count < count)
            prefixes.Add(IpPrefix.Ipv4((uint)random.NextInt64(0x01000000, 0xE0000000), lengths[random.Next(lengths.Length)]));
        return [.. prefixes];
    }

    /// <summary>Distinct IPv6 prefixes in 2000::/3.</summary>
    public static List<IpPrefix> Ipv6Prefixes(Random random, int count = Ipv6Count)
    {
        var lengths = Expand(Ipv6Lengths);
        var prefixes = new HashSet<IpPrefix>(count);
        while (prefixes.Count < count)
        {
            var address = new UInt128((ulong)random.NextInt64() >> 3 | 1UL << 61, (ulong)random.NextInt64());
            prefixes.Add(IpPrefix.Ipv6(address, lengths[random.Next(lengths.Length)]));
        }
        return [.. prefixes];
    }

    /// <summary>A route as zebra's would be: one of <see cref="HopCount"/> gateways, or 2-4 of them one time in 20.</summary>
    public static TableRoute Route(Random random, IpPrefix prefix, uint salt = 0)
    {
        if (random.Next(20) != 0) return new TableRoute(prefix, Hop(random.Next(HopCount), prefix.IsIPv6, salt));
        var paths = Enumerable.Range(0, HopCount).OrderBy(_ => random.Next()).Take(random.Next(2, 5))
            .Select(i => new EcmpPath(Hop(i, prefix.IsIPv6, salt))).ToArray();
        return TableRoute.Multipath(prefix, paths);
    }

    /// <summary>Addresses uniform over the routed space, so lookups land all over the table.</summary>
    public static uint[] Ipv4Addresses(Random random, int count) =>
        [.. Enumerable.Range(0, count).Select(_ => (uint)random.NextInt64(0x01000000, 0xE0000000))];

    private static NextHop Hop(int index, bool ipv6, uint salt) =>
        new(index % Ports.Length, ipv6 ? new UInt128(0xfd4d_0002_0000_0000, 0x100 + (ulong)index + salt) : 0x0A4D0200u + (uint)index + salt);

    private static int[] Expand((int Length, int Weight)[] table) => [.. table.SelectMany(t => Enumerable.Repeat(t.Length, t.Weight))];
}
