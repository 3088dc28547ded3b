namespace Engine.Actors.Routing;

/// <summary>
/// The prefixes whose routes changed since the last snapshot, each with whether it had a route in
/// that snapshot, for the next to be edited from it (<see cref="SnapshotEditor"/>). Held as slots
/// (<see cref="PrefixSlots{TSlot}"/>, 8 bytes an IPv4 prefix) rather than dictionary entries of 40:
/// while a full table loads, a million are noted between two whole builds.
/// </summary>
internal sealed class ChangedPrefixes
{
    // The slot's value number says whether the prefix had a route.
    private const int NoRoute = 1;
    private const int HadRoute = 2;

    private readonly PrefixSlots<Ipv4PrefixSlot> _ipv4 = new();
    private readonly PrefixSlots<Ipv6PrefixSlot> _ipv6 = new();

    public int Count => _ipv4.Count + _ipv6.Count;

    public bool Contains(IpPrefix prefix) =>
        (prefix.IsIPv6 ? _ipv6.Find(Ipv6PrefixSlot.Holding(prefix, 0)) : _ipv4.Find(Ipv4PrefixSlot.Holding(prefix, 0))) != 0;

    /// <summary>Notes <paramref name="prefix"/>, or notes it again with <paramref name="hadRoute"/>.</summary>
    public void Add(IpPrefix prefix, bool hadRoute)
    {
        var number = hadRoute ? HadRoute : NoRoute;
        if (prefix.IsIPv6) _ipv6.Set(Ipv6PrefixSlot.Holding(prefix, number));
        else _ipv4.Set(Ipv4PrefixSlot.Holding(prefix, number));
    }

    /// <summary>Forgets every prefix, and the room they took.</summary>
    public void Clear()
    {
        _ipv4.Clear();
        _ipv6.Clear();
    }

    public IEnumerable<IpPrefix> Prefixes => Entries.Select(e => e.Prefix);

    public IEnumerable<(IpPrefix Prefix, bool HadRoute)> Entries
    {
        get
        {
            foreach (var slot in _ipv4.Entries)
                yield return (slot.Prefix, slot.Number == HadRoute);
            foreach (var slot in _ipv6.Entries)
                yield return (slot.Prefix, slot.Number == HadRoute);
        }
    }
}
