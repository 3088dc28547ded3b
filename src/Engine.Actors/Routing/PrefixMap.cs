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
    private readonly PrefixSlotTables _slots = new();
    private readonly HeldValues<TValue> _values = new(PrefixSlotTables.MaxNumber);

    public int Count => _slots.Count;

    /// <summary>Distinct values held, for tests.</summary>
    internal int DistinctValues => _values.Count;

    /// <summary>Slots allocated in both tables, for tests.</summary>
    internal int Capacity => _slots.Capacity;

    public bool ContainsKey(IpPrefix prefix) => _slots.Find(prefix) != 0;

    public bool TryGetValue(IpPrefix prefix, [MaybeNullWhen(false)] out TValue value)
    {
        var number = _slots.Find(prefix);
        value = number == 0 ? null : _values[number];
        return value is not null;
    }

    /// <summary>Holds <paramref name="value"/> for <paramref name="prefix"/>; true, with the value it replaced, when the prefix had one.</summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Set(IpPrefix prefix, TValue value, [MaybeNullWhen(false)] out TValue replaced)
    {
        var number = _values.Hold(value);
        var old = _slots.Set(prefix, number);
        replaced = old == 0 ? null : _values[old];
        if (old != 0) _values.Release(old);
        return replaced is not null;
    }

    public bool Remove(IpPrefix prefix, [MaybeNullWhen(false)] out TValue value)
    {
        var number = _slots.Remove(prefix);
        value = number == 0 ? null : _values[number];
        if (number != 0) _values.Release(number);
        return value is not null;
    }

    public void Clear()
    {
        _slots.Clear();
        _values.Clear();
    }

    public IEnumerable<(IpPrefix Prefix, TValue Value)> Entries => _slots.Entries.Select(e => (e.Prefix, _values[e.Number]));

    public IEnumerable<IpPrefix> Prefixes => Entries.Select(e => e.Prefix);

    public IEnumerable<TValue> Values => Entries.Select(e => e.Value);
}
