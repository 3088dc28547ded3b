using System.Runtime.InteropServices;

namespace Engine.Actors.Routing;

/// <summary>
/// A map keyed by prefix that keys an IPv4 prefix as 8 bytes (network and length in one ulong)
/// rather than as a 24-byte <see cref="IpPrefix"/>: a full table is a million IPv4 routes, held by
/// the route book and by zebra's FIB, and each entry is 16 bytes smaller this way. IPv6 prefixes are
/// keyed as they are. Enumeration yields the IPv4 prefixes first; removing during it is allowed, as
/// with <see cref="Dictionary{TKey, TValue}"/>.
/// </summary>
public sealed class PrefixMap<TValue>
{
    private readonly Dictionary<ulong, TValue> _ipv4 = [];
    private readonly Dictionary<IpPrefix, TValue> _ipv6 = [];

    public int Count => _ipv4.Count + _ipv6.Count;

    public bool ContainsKey(IpPrefix prefix) => prefix.IsIPv6 ? _ipv6.ContainsKey(prefix) : _ipv4.ContainsKey(Ipv4Key(prefix));

    public bool TryGetValue(IpPrefix prefix, out TValue value) =>
        prefix.IsIPv6 ? _ipv6.TryGetValue(prefix, out value!) : _ipv4.TryGetValue(Ipv4Key(prefix), out value!);

    /// <summary>The value's slot, added with the default value when the prefix had none (<paramref name="exists"/> false); valid until the map next changes.</summary>
    public ref TValue? GetValueRefOrAddDefault(IpPrefix prefix, out bool exists) =>
        ref prefix.IsIPv6
            ? ref CollectionsMarshal.GetValueRefOrAddDefault(_ipv6, prefix, out exists)
            : ref CollectionsMarshal.GetValueRefOrAddDefault(_ipv4, Ipv4Key(prefix), out exists);

    public bool Remove(IpPrefix prefix, out TValue value) =>
        prefix.IsIPv6 ? _ipv6.Remove(prefix, out value!) : _ipv4.Remove(Ipv4Key(prefix), out value!);

    public void Clear()
    {
        _ipv4.Clear();
        _ipv6.Clear();
    }

    public IEnumerable<(IpPrefix Prefix, TValue Value)> Entries
    {
        get
        {
            foreach (var (key, value) in _ipv4)
                yield return (Ipv4Prefix(key), value);
            foreach (var (prefix, value) in _ipv6)
                yield return (prefix, value);
        }
    }

    public IEnumerable<IpPrefix> Prefixes => Entries.Select(e => e.Prefix);

    public IEnumerable<TValue> Values => _ipv4.Values.Concat(_ipv6.Values);

    private static ulong Ipv4Key(IpPrefix prefix) => (ulong)prefix.Ipv4Network << 8 | (uint)prefix.Length;

    private static IpPrefix Ipv4Prefix(ulong key) => IpPrefix.Ipv4((uint)(key >> 8), (int)(key & 0xFF));
}
