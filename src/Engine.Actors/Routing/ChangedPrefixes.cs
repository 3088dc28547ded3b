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

    private readonly PrefixSlotTables _slots = new();

    public int Count => _slots.Count;

    public bool Contains(IpPrefix prefix) => _slots.Find(prefix) != 0;

    /// <summary>Notes <paramref name="prefix"/>, or notes it again with <paramref name="hadRoute"/>.</summary>
    public void Add(IpPrefix prefix, bool hadRoute) => _slots.Set(prefix, hadRoute ? HadRoute : NoRoute);

    /// <summary>Forgets every prefix, and the room they took.</summary>
    public void Clear() => _slots.Clear();

    public IEnumerable<IpPrefix> Prefixes => _slots.Entries.Select(e => e.Prefix);

    public IEnumerable<(IpPrefix Prefix, bool HadRoute)> Entries => _slots.Entries.Select(e => (e.Prefix, e.Number == HadRoute));
}
