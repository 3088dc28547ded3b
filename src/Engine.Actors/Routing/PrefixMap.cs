using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Engine.Actors.Routing;

/// <summary>
/// A map keyed by prefix for tables of a million routes over a few dozen distinct values, as the
/// route book and zebra's FIB hold. Each entry is a slot of the prefix and its value's number
/// (<see cref="HeldValues{TValue}"/>): 8 bytes for IPv4 and 24 for IPv6, in open-addressed tables
/// (<see cref="PrefixSlots{TSlot}"/>), against 28 and 44 bytes and a reference in a dictionary.
/// Values are told apart by reference. Enumeration yields the IPv4 prefixes first; removing an
/// entry, or replacing its value, while enumerating is allowed.
/// </summary>
public sealed class PrefixMap<TValue> where TValue : class
{
    private readonly PrefixSlots<Ipv4PrefixSlot> _ipv4 = new();
    private readonly PrefixSlots<Ipv6PrefixSlot> _ipv6 = new();
    private readonly HeldValues<TValue> _values = new(Math.Min(Ipv4PrefixSlot.MaxNumber, Ipv6PrefixSlot.MaxNumber));

    public int Count => _ipv4.Count + _ipv6.Count;

    /// <summary>Distinct values held, for tests.</summary>
    internal int DistinctValues => _values.Count;

    /// <summary>Slots allocated in both tables, for tests.</summary>
    internal int Capacity => _ipv4.Capacity + _ipv6.Capacity;

    public bool ContainsKey(IpPrefix prefix) => Find(prefix) != 0;

    public bool TryGetValue(IpPrefix prefix, [MaybeNullWhen(false)] out TValue value)
    {
        var number = Find(prefix);
        value = number == 0 ? null : _values[number];
        return value is not null;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="prefix"/>; true, with the value it replaced, when the prefix had one.</summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Set(IpPrefix prefix, TValue value, [MaybeNullWhen(false)] out TValue replaced)
    {
        var number = _values.Hold(value);
        var old = prefix.IsIPv6
            ? _ipv6.Set(Ipv6PrefixSlot.Holding(prefix, number))
            : _ipv4.Set(Ipv4PrefixSlot.Holding(prefix, number));
        replaced = old == 0 ? null : _values[old];
        if (old != 0) _values.Release(old);
        return replaced is not null;
    }

    public bool Remove(IpPrefix prefix, [MaybeNullWhen(false)] out TValue value)
    {
        var number = prefix.IsIPv6 ? _ipv6.Remove(Ipv6PrefixSlot.Holding(prefix, 0)) : _ipv4.Remove(Ipv4PrefixSlot.Holding(prefix, 0));
        value = number == 0 ? null : _values[number];
        if (number != 0) _values.Release(number);
        return value is not null;
    }

    public void Clear()
    {
        _ipv4.Clear();
        _ipv6.Clear();
        _values.Clear();
    }

    public IEnumerable<(IpPrefix Prefix, TValue Value)> Entries
    {
        get
        {
            foreach (var slot in _ipv4.Entries)
                yield return (slot.Prefix, _values[slot.Number]);
            foreach (var slot in _ipv6.Entries)
                yield return (slot.Prefix, _values[slot.Number]);
        }
    }

    public IEnumerable<IpPrefix> Prefixes => Entries.Select(e => e.Prefix);

    public IEnumerable<TValue> Values => Entries.Select(e => e.Value);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Find(IpPrefix prefix) =>
        prefix.IsIPv6 ? _ipv6.Find(Ipv6PrefixSlot.Holding(prefix, 0)) : _ipv4.Find(Ipv4PrefixSlot.Holding(prefix, 0));
}
