using System.Buffers.Binary;
using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>Seeded random routes and lookup addresses shared by the LPM benchmarks.</summary>
internal static class LpmWorkload
{
    public const int PrefixCount = 100_000;
    public const int BatchSize = 4096;

    /// <summary>Lengths uniform over 0..32, networks uniform.</summary>
    public static List<(IpPrefix Prefix, int Value)> Ipv4Routes(Random random)
    {
        var routes = new List<(IpPrefix, int)>(PrefixCount);
        for (int i = 0; i < PrefixCount; i++)
            routes.Add((IpPrefix.Ipv4(NextUInt32(random), random.Next(33)), i));
        return routes;
    }

    /// <summary>Lengths uniform over 0..128 when lengths is null, else drawn from lengths.</summary>
    public static List<(IpPrefix Prefix, int Value)> Ipv6Routes(Random random, int[]? lengths)
    {
        var routes = new List<(IpPrefix, int)>(PrefixCount);
        for (int i = 0; i < PrefixCount; i++)
        {
            int length = lengths is null ? random.Next(129) : lengths[random.Next(lengths.Length)];
            routes.Add((IpPrefix.Ipv6(NextUInt128(random), length), i));
        }
        return routes;
    }

    public static uint[] Ipv4Addresses(Random random, int count)
    {
        var addresses = new uint[count];
        for (int i = 0; i < addresses.Length; i++)
            addresses[i] = NextUInt32(random);
        return addresses;
    }

    /// <summary>
    /// Half uniform, half inside a random route: uniform IPv6 addresses alone would almost
    /// never reach past the short prefixes, which would flatter any design.
    /// </summary>
    public static UInt128[] Ipv6Addresses(Random random, List<(IpPrefix Prefix, int Value)> routes, int count)
    {
        var addresses = new UInt128[count];
        for (int i = 0; i < addresses.Length; i++)
        {
            UInt128 address = NextUInt128(random);
            if (i % 2 == 1)
            {
                IpPrefix prefix = routes[random.Next(routes.Count)].Prefix;
                address = prefix.Ipv6Network | (address & ~IpPrefix.Ipv6Mask(prefix.Length));
            }
            addresses[i] = address;
        }
        return addresses;
    }

    private static uint NextUInt32(Random random) => (uint)random.NextInt64(1L << 32);

    private static UInt128 NextUInt128(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
