using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// The baseline an LPM table has to beat: one dictionary per prefix length, probed from the
/// longest length to the shortest until one holds the masked address.
/// </summary>
internal sealed class NaiveLpm
{
    private readonly (int Length, Dictionary<UInt128, int> Prefixes)[] _byLengthDescending;
    private readonly bool _isIPv6;

    public NaiveLpm(IEnumerable<(IpPrefix Prefix, int Value)> routes, bool isIPv6)
    {
        _isIPv6 = isIPv6;
        var byLength = new SortedDictionary<int, Dictionary<UInt128, int>>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var (prefix, value) in routes)
        {
            if (!byLength.TryGetValue(prefix.Length, out Dictionary<UInt128, int>? prefixes))
                byLength[prefix.Length] = prefixes = [];
            prefixes[isIPv6 ? prefix.Ipv6Network : prefix.Ipv4Network] = value;
        }
        _byLengthDescending = byLength.Select(pair => (pair.Key, pair.Value)).ToArray();
    }

    public int Lookup(UInt128 address)
    {
        foreach (var (length, prefixes) in _byLengthDescending)
        {
            UInt128 mask = _isIPv6 ? IpPrefix.Ipv6Mask(length) : IpPrefix.Ipv4Mask(length);
            if (prefixes.TryGetValue(address & mask, out int value))
                return value;
        }
        return -1;
    }
}
