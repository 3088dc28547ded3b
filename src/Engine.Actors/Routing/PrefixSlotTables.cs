namespace Engine.Actors.Routing;

/// <summary>
/// The IPv4 and the IPv6 <see cref="PrefixSlots{TSlot}"/> of a structure keyed by prefix, each
/// prefix going to its family's: a prefix and a value number in, a value number out (0: none).
/// Enumeration yields the IPv4 prefixes first; removing one while enumerating is allowed.
/// </summary>
internal sealed class PrefixSlotTables
{
    private readonly PrefixSlots<Ipv4PrefixSlot> _ipv4 = new();
    private readonly PrefixSlots<Ipv6PrefixSlot> _ipv6 = new();

    /// <summary>The most value numbers a slot of either family can carry.</summary>
    public const int MaxNumber = Ipv6PrefixSlot.MaxNumber < Ipv4PrefixSlot.MaxNumber ? Ipv6PrefixSlot.MaxNumber : Ipv4PrefixSlot.MaxNumber;

    public int Count => _ipv4.Count + _ipv6.Count;

    /// <summary>Slots allocated in both tables, for tests.</summary>
    internal int Capacity => _ipv4.Capacity + _ipv6.Capacity;

    /// <summary>The number held for <paramref name="prefix"/>, or 0.</summary>
    public int Find(IpPrefix prefix) =>
        prefix.IsIPv6 ? _ipv6.Find(Ipv6PrefixSlot.Holding(prefix, 0)) : _ipv4.Find(Ipv4PrefixSlot.Holding(prefix, 0));

    /// <summary>Holds <paramref name="number"/> for <paramref name="prefix"/>; returns the number it replaced, or 0.</summary>
    public int Set(IpPrefix prefix, int number) =>
        prefix.IsIPv6 ? _ipv6.Set(Ipv6PrefixSlot.Holding(prefix, number)) : _ipv4.Set(Ipv4PrefixSlot.Holding(prefix, number));

    /// <summary>Removes <paramref name="prefix"/>; returns the number it held, or 0.</summary>
    public int Remove(IpPrefix prefix) =>
        prefix.IsIPv6 ? _ipv6.Remove(Ipv6PrefixSlot.Holding(prefix, 0)) : _ipv4.Remove(Ipv4PrefixSlot.Holding(prefix, 0));

    /// <summary>Forgets every prefix, and the room they took.</summary>
    public void Clear()
    {
        _ipv4.Clear();
        _ipv6.Clear();
    }

    public IEnumerable<(IpPrefix Prefix, int Number)> Entries
    {
        get
        {
            foreach (var slot in _ipv4.Entries)
                yield return (slot.Prefix, slot.Number);
            foreach (var slot in _ipv6.Entries)
                yield return (slot.Prefix, slot.Number);
        }
    }
}
