namespace Engine.Actors.Routing;

/// <summary>
/// An IPv4 prefix and its value number in one word: the network's 32 bits and the length's 6 above
/// the number's 26. A million-route table is 8 bytes a slot this way, not a dictionary entry's 28.
/// </summary>
internal readonly struct Ipv4PrefixSlot : IPrefixSlot<Ipv4PrefixSlot>
{
    private const int NumberBits = 26;
    private const ulong NumberMask = (1UL << NumberBits) - 1;

    /// <summary>The most value numbers a slot can carry.</summary>
    public const int MaxNumber = (int)NumberMask;

    // No prefix has length 63, so a word of all ones never holds one.
    private const ulong RemovedWord = ulong.MaxValue;

    private readonly ulong _word;

    private Ipv4PrefixSlot(ulong word) => _word = word;

    public static Ipv4PrefixSlot Removed => new(RemovedWord);

    public static Ipv4PrefixSlot Holding(IpPrefix prefix, int number) =>
        new(Key(prefix) << NumberBits | (uint)number);

    public bool IsEmpty => _word == 0;

    public bool IsRemoved => _word == RemovedWord;

    public int Number => (int)(_word & NumberMask);

    public IpPrefix Prefix => IpPrefix.Ipv4((uint)(_word >> (NumberBits + 6)), (int)(_word >> NumberBits) & 0x3F);

    public ulong Hash => PrefixHash.Mix(_word >> NumberBits);

    public bool HasPrefixOf(in Ipv4PrefixSlot other) => (_word ^ other._word) >> NumberBits == 0;

    private static ulong Key(IpPrefix prefix) => (ulong)prefix.Ipv4Network << 6 | (uint)prefix.Length;
}
