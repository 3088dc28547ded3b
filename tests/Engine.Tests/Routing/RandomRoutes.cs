using System.Buffers.Binary;
using Engine.Actors.Routing;

namespace Engine.Tests.Routing;

/// <summary>
/// Seeded random prefixes and addresses shaped so that longest-prefix match has work to do:
/// about a third of the prefixes nest inside earlier ones, and about half of the addresses
/// fall inside a prefix (often on its first or last address).
/// </summary>
internal sealed class RandomRoutes(int seed)
{
    private readonly Random _random = new(seed);

    public List<(IpPrefix Prefix, int Value)> Ipv4Routes(int count, int minLength = 0)
    {
        var routes = new List<(IpPrefix, int)>(count);
        for (int i = 0; i < count; i++)
        {
            IpPrefix prefix;
            if (i > 0 && _random.Next(3) == 0)
            {
                IpPrefix parent = routes[_random.Next(i)].Item1;
                uint host = NextUInt32() & ~IpPrefix.Ipv4Mask(parent.Length);
                prefix = IpPrefix.Ipv4(parent.Ipv4Network | host, _random.Next(parent.Length, 33));
            }
            else
            {
                prefix = IpPrefix.Ipv4(NextUInt32(), _random.Next(minLength, 33));
            }
            routes.Add((prefix, _random.Next(1_000_000)));
        }
        return routes;
    }

    /// <summary>Lengths are drawn from <paramref name="lengths"/> when given, else from minLength..128.</summary>
    public List<(IpPrefix Prefix, int Value)> Ipv6Routes(int count, int[]? lengths = null, int minLength = 0)
    {
        var routes = new List<(IpPrefix, int)>(count);
        for (int i = 0; i < count; i++)
        {
            int length = lengths is null ? _random.Next(minLength, 129) : lengths[_random.Next(lengths.Length)];
            IpPrefix prefix;
            if (i > 0 && _random.Next(3) == 0)
            {
                IpPrefix parent = routes[_random.Next(i)].Item1;
                if (lengths is null)
                    length = _random.Next(parent.Length, 129);
                length = Math.Max(length, parent.Length);
                UInt128 host = NextUInt128() & ~IpPrefix.Ipv6Mask(parent.Length);
                prefix = IpPrefix.Ipv6(parent.Ipv6Network | host, length);
            }
            else
            {
                prefix = IpPrefix.Ipv6(NextUInt128(), length);
            }
            routes.Add((prefix, _random.Next(1_000_000)));
        }
        return routes;
    }

    public uint[] Ipv4Addresses(List<(IpPrefix Prefix, int Value)> routes, int count)
    {
        var addresses = new uint[count];
        for (int i = 0; i < count; i++)
        {
            if (routes.Count == 0 || _random.Next(2) == 0)
            {
                addresses[i] = NextUInt32();
                continue;
            }
            IpPrefix prefix = routes[_random.Next(routes.Count)].Prefix;
            uint hostMask = ~IpPrefix.Ipv4Mask(prefix.Length);
            uint host = _random.Next(4) switch
            {
                0 => 0,
                1 => hostMask,
                2 => hostMask + 1, // the address just past the prefix (wraps to its start for /0)
                _ => NextUInt32() & hostMask,
            };
            addresses[i] = prefix.Ipv4Network + host;
        }
        return addresses;
    }

    public UInt128[] Ipv6Addresses(List<(IpPrefix Prefix, int Value)> routes, int count)
    {
        var addresses = new UInt128[count];
        for (int i = 0; i < count; i++)
        {
            if (routes.Count == 0 || _random.Next(2) == 0)
            {
                addresses[i] = NextUInt128();
                continue;
            }
            IpPrefix prefix = routes[_random.Next(routes.Count)].Prefix;
            UInt128 hostMask = ~IpPrefix.Ipv6Mask(prefix.Length);
            UInt128 host = _random.Next(4) switch
            {
                0 => UInt128.Zero,
                1 => hostMask,
                2 => hostMask + 1,
                _ => NextUInt128() & hostMask,
            };
            addresses[i] = prefix.Ipv6Network + host;
        }
        return addresses;
    }

    public uint NextUInt32() => (uint)_random.NextInt64(1L << 32);

    public UInt128 NextUInt128()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }
}
