namespace Engine.Actors.Routing;

internal static class PrefixHash
{
    /// <summary>
    /// Spreads every bit of a key over the top bits, which is where <see cref="PrefixSlots{TSlot}"/>
    /// takes a slot's place from: prefixes of one table differ mostly in a few middle bits.
    /// </summary>
    public static ulong Mix(ulong key)
    {
        key = (key ^ (key >> 31)) * 0x9E3779B97F4A7C15UL;
        key = (key ^ (key >> 29)) * 0xBF58476D1CE4E5B9UL;
        return key ^ (key >> 32);
    }
}
