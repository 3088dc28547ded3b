using System.Runtime.CompilerServices;

namespace Engine.Actors.Routing;

/// <summary>
/// Immutable IPv6 longest-prefix match by binary search on prefix lengths: what
/// <see cref="Ipv6PrefixTable"/> consults for the prefixes longer than 64 bits, which its
/// ranges over the top 64 bits cannot tell apart.
/// </summary>
/// <remarks>
/// Layout: binary search on prefix lengths (Waldvogel et al., "Scalable High Speed IP
/// Routing Lookups", 1997). There is one open-addressing hash table per distinct prefix
/// length, holding the prefixes of that length plus "markers": truncations of longer
/// prefixes that tell the search a longer match may exist. Every entry carries the value of
/// the best real prefix at or above it, so the search never backtracks. A lookup costs
/// ceil(log2(distinct lengths + 1)) probes: 2-3 for realistic tables (/0, /48, /64, /128),
/// 8 for a table using all 129 lengths. Memory is O(prefixes x log2(lengths)) whatever the
/// lengths are. A stride-8 trie would need up to 16 nodes of 256 entries per /128, which is
/// hundreds of MiB for 100k random prefixes; a per-length probe from longest to shortest is
/// fast only while lengths are few.
/// </remarks>
internal sealed class Ipv6LengthSearchTable
{
    /// <summary>The value <see cref="Lookup(UInt128)"/> returns when no prefix matches.</summary>
    public const int NoMatch = -1;

    internal const int EmptySlot = int.MinValue;

    private readonly Level[] _levels;
    private readonly Slot[] _slots;

    internal Ipv6LengthSearchTable(Level[] levels, Slot[] slots, int count)
    {
        _levels = levels;
        _slots = slots;
        Count = count;
    }

    /// <summary>A table with no routes; every lookup returns <see cref="NoMatch"/>.</summary>
    public static Ipv6LengthSearchTable Empty { get; } = Build([]);

    /// <summary>Number of distinct prefixes in the table.</summary>
    public int Count { get; }

    /// <summary>Number of distinct prefix lengths, which bounds the probes per lookup.</summary>
    internal int LengthCount => _levels.Length;

    /// <summary>Bytes held by the lookup arrays (for sizing and benchmarks).</summary>
    internal long SizeInBytes => (long)_slots.Length * Unsafe.SizeOf<Slot>() + (long)_levels.Length * Unsafe.SizeOf<Level>();

    /// <summary>
    /// Builds a table from IPv6 prefixes and their values (each >= 0). When a prefix
    /// appears more than once the last value wins.
    /// </summary>
    public static Ipv6LengthSearchTable Build(IEnumerable<(IpPrefix Prefix, int Value)> routes) =>
        Ipv6LengthSearchTableBuilder.Build(routes);

    /// <summary>The value of the longest prefix containing address, or <see cref="NoMatch"/>.</summary>
    public int Lookup(UInt128 address)
    {
        ulong high = (ulong)(address >> 64);
        ulong low = (ulong)address;
        Level[] levels = _levels;
        Slot[] slots = _slots;
        int best = NoMatch;
        int first = 0;
        int last = levels.Length - 1;
        while (first <= last)
        {
            int middle = (first + last) >> 1;
            ref readonly Level level = ref levels[middle];
            ulong keyHigh = high & level.MaskHigh;
            ulong keyLow = low & level.MaskLow;
            int index = Hash(keyHigh, keyLow, level.Shift);
            while (true)
            {
                ref readonly Slot slot = ref slots[level.Offset + index];
                if (slot.Value == EmptySlot)
                {
                    last = middle - 1;
                    break;
                }
                if (slot.High == keyHigh && slot.Low == keyLow)
                {
                    best = slot.Value;
                    first = middle + 1;
                    break;
                }
                index = (index + 1) & level.IndexMask;
            }
        }
        return best;
    }

    /// <summary>Multiply-shift hash; the top bits of the product depend on every key bit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Hash(ulong keyHigh, ulong keyLow, int shift) =>
        (int)(((keyHigh ^ (keyLow * 0xC2B2AE3D27D4EB4FUL)) * 0x9E3779B97F4A7C15UL) >> shift);

    /// <summary>One distinct prefix length: its mask and its hash table inside the slot array.</summary>
    internal readonly record struct Level(int Length, ulong MaskHigh, ulong MaskLow, int Offset, int IndexMask, int Shift);

    /// <summary>A prefix or marker of one length; Value is the best match at or above it.</summary>
    internal struct Slot
    {
        public ulong High;
        public ulong Low;
        public int Value;
    }
}
