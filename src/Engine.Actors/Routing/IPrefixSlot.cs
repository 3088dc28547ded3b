namespace Engine.Actors.Routing;

/// <summary>
/// One slot of a <see cref="PrefixSlots{TSlot}"/>: a prefix and the number of its value, packed
/// as tightly as its family allows. The default slot is empty; a number is never 0.
/// </summary>
internal interface IPrefixSlot<TSlot> where TSlot : struct, IPrefixSlot<TSlot>
{
    /// <summary>A slot that once held an entry: a probe goes on past it, an insert may take it.</summary>
    static abstract TSlot Removed { get; }

    /// <summary>The slot holding <paramref name="prefix"/> with value number <paramref name="number"/>.</summary>
    static abstract TSlot Holding(IpPrefix prefix, int number);

    bool IsEmpty { get; }

    bool IsRemoved { get; }

    /// <summary>The value number (from 1) of a slot that holds an entry.</summary>
    int Number { get; }

    IpPrefix Prefix { get; }

    /// <summary>A well-mixed hash of the prefix alone: the table takes its top bits.</summary>
    ulong Hash { get; }

    bool HasPrefixOf(in TSlot other);
}
