using Engine.Actors.Routing;

namespace Engine.Tests.Routing;

/// <summary>The reference the tables are checked against: scan every prefix, keep the longest match.</summary>
internal sealed class BruteForceLpm
{
    private readonly UInt128[] _networks;
    private readonly UInt128[] _masks;
    private readonly int[] _lengths;
    private readonly int[] _values;

    public BruteForceLpm(IEnumerable<(IpPrefix Prefix, int Value)> routes)
    {
        // Last wins for a repeated prefix, as in the tables.
        var unique = new Dictionary<IpPrefix, int>();
        foreach (var (prefix, value) in routes)
            unique[prefix] = value;

        IpPrefix[] prefixes = [.. unique.Keys];
        _networks = Array.ConvertAll(prefixes, p => p.IsIPv6 ? p.Ipv6Network : p.Ipv4Network);
        _masks = Array.ConvertAll(prefixes, p => p.IsIPv6 ? IpPrefix.Ipv6Mask(p.Length) : IpPrefix.Ipv4Mask(p.Length));
        _lengths = Array.ConvertAll(prefixes, p => p.Length);
        _values = Array.ConvertAll(prefixes, p => unique[p]);
    }

    /// <summary>
    /// The same reference for a table that changes between lookups: every length from the longest
    /// down, each an exact look in <paramref name="routes"/>.
    /// </summary>
    public static int ByLengths(IReadOnlyDictionary<IpPrefix, int> routes, uint address)
    {
        for (var length = 32; length >= 0; length--)
            if (routes.TryGetValue(IpPrefix.Ipv4(address, length), out var value)) return value;
        return -1;
    }

    /// <inheritdoc cref="ByLengths(IReadOnlyDictionary{IpPrefix, int}, uint)"/>
    public static int ByLengths(IReadOnlyDictionary<IpPrefix, int> routes, UInt128 address)
    {
        for (var length = 128; length >= 0; length--)
            if (routes.TryGetValue(IpPrefix.Ipv6(address, length), out var value)) return value;
        return -1;
    }

    public int Lookup(uint address) => Lookup((UInt128)address);

    public int Lookup(UInt128 address)
    {
        int bestLength = -1;
        int bestValue = -1;
        for (int i = 0; i < _networks.Length; i++)
        {
            if (_lengths[i] > bestLength && (address & _masks[i]) == _networks[i])
                (bestLength, bestValue) = (_lengths[i], _values[i]);
        }
        return bestValue;
    }
}
