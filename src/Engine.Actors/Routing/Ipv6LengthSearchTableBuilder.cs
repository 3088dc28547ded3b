using System.Numerics;

namespace Engine.Actors.Routing;

/// <summary>
/// Builds the per-length hash tables of <see cref="Ipv6LengthSearchTable"/>: places a marker for
/// each prefix at every shorter length where the binary search would otherwise turn away
/// from it, gives each marker the value of its best real enclosing prefix, then lays the
/// levels out back to back in one slot array.
/// </summary>
internal static class Ipv6LengthSearchTableBuilder
{
    public static Ipv6LengthSearchTable Build(IEnumerable<(IpPrefix Prefix, int Value)> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        Dictionary<IpPrefix, int> unique = Deduplicate(routes);
        int[] lengths = DistinctLengths(unique);

        var entries = new List<Entry>(unique.Count * 2);
        foreach (var (prefix, value) in unique)
            entries.Add(new Entry(prefix.Ipv6Network, prefix.Length, value, IsMarker: false));
        AddMarkers(unique, lengths, entries);

        Entry[] ordered = [.. entries];
        Array.Sort(ordered);
        AssignBestMatches(ordered);

        return Layout(lengths, ordered, unique.Count);
    }

    private static Dictionary<IpPrefix, int> Deduplicate(IEnumerable<(IpPrefix Prefix, int Value)> routes)
    {
        var unique = new Dictionary<IpPrefix, int>();
        foreach (var (prefix, value) in routes)
        {
            if (!prefix.IsIPv6)
                throw new ArgumentException($"{prefix} is not an IPv6 prefix", nameof(routes));
            if (value < 0)
                throw new ArgumentOutOfRangeException(nameof(routes), value, $"the value for {prefix} must be >= 0");
            unique[prefix] = value;
        }
        return unique;
    }

    private static int[] DistinctLengths(Dictionary<IpPrefix, int> unique)
    {
        var present = new bool[129];
        foreach (IpPrefix prefix in unique.Keys)
            present[prefix.Length] = true;
        var lengths = new List<int>();
        for (int length = 0; length <= 128; length++)
        {
            if (present[length])
                lengths.Add(length);
        }
        return [.. lengths];
    }

    /// <summary>
    /// Walks the same binary search the lookup does, towards each prefix's length; wherever
    /// the search has to go longer, the truncated prefix becomes a marker at that level.
    /// </summary>
    private static void AddMarkers(Dictionary<IpPrefix, int> unique, int[] lengths, List<Entry> entries)
    {
        var levelOfLength = new int[129];
        for (int i = 0; i < lengths.Length; i++)
            levelOfLength[lengths[i]] = i;

        var markers = new HashSet<(UInt128, int)>();
        foreach (IpPrefix prefix in unique.Keys)
        {
            int target = levelOfLength[prefix.Length];
            int first = 0;
            int last = lengths.Length - 1;
            while (true)
            {
                int middle = (first + last) >> 1;
                if (middle == target)
                    break;
                if (middle > target)
                {
                    last = middle - 1;
                    continue;
                }
                int length = lengths[middle];
                UInt128 key = prefix.Ipv6Network & IpPrefix.Ipv6Mask(length);
                if (!unique.ContainsKey(IpPrefix.Ipv6(key, length)) && markers.Add((key, length)))
                    entries.Add(new Entry(key, length, Ipv6LengthSearchTable.NoMatch, IsMarker: true));
                first = middle + 1;
            }
        }
    }

    /// <summary>
    /// In (network, length) order every prefix comes after the prefixes that contain it and
    /// prefixes nest or are disjoint, so a stack of the open real prefixes always has the
    /// longest one containing the current entry on top.
    /// </summary>
    private static void AssignBestMatches(Entry[] ordered)
    {
        var open = new Stack<Entry>();
        for (int i = 0; i < ordered.Length; i++)
        {
            Entry entry = ordered[i];
            while (open.Count > 0 && !open.Peek().Contains(entry))
                open.Pop();
            if (entry.IsMarker)
                ordered[i] = entry with { Value = open.Count > 0 ? open.Peek().Value : Ipv6LengthSearchTable.NoMatch };
            else
                open.Push(entry);
        }
    }

    private static Ipv6LengthSearchTable Layout(int[] lengths, Entry[] entries, int prefixCount)
    {
        var perLength = new int[129];
        foreach (Entry entry in entries)
            perLength[entry.Length]++;

        var levels = new Ipv6LengthSearchTable.Level[lengths.Length];
        int offset = 0;
        for (int i = 0; i < lengths.Length; i++)
        {
            int length = lengths[i];
            // Load factor <= 1/2 keeps misses, which every search meets, to a few probes.
            int capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(2, perLength[length] * 2));
            UInt128 mask = IpPrefix.Ipv6Mask(length);
            levels[i] = new Ipv6LengthSearchTable.Level(length, (ulong)(mask >> 64), (ulong)mask,
                offset, capacity - 1, 64 - BitOperations.Log2((uint)capacity));
            offset += capacity;
        }

        var slots = new Ipv6LengthSearchTable.Slot[offset];
        foreach (ref Ipv6LengthSearchTable.Slot slot in slots.AsSpan())
            slot.Value = Ipv6LengthSearchTable.EmptySlot;

        var levelOfLength = new int[129];
        for (int i = 0; i < lengths.Length; i++)
            levelOfLength[lengths[i]] = i;
        foreach (Entry entry in entries)
            Insert(slots, levels[levelOfLength[entry.Length]], entry);

        return new Ipv6LengthSearchTable(levels, slots, prefixCount);
    }

    private static void Insert(Ipv6LengthSearchTable.Slot[] slots, Ipv6LengthSearchTable.Level level, Entry entry)
    {
        ulong high = (ulong)(entry.Network >> 64);
        ulong low = (ulong)entry.Network;
        int index = Ipv6LengthSearchTable.Hash(high, low, level.Shift);
        while (slots[level.Offset + index].Value != Ipv6LengthSearchTable.EmptySlot)
            index = (index + 1) & level.IndexMask;
        slots[level.Offset + index] = new Ipv6LengthSearchTable.Slot { High = high, Low = low, Value = entry.Value };
    }

    private readonly record struct Entry(UInt128 Network, int Length, int Value, bool IsMarker) : IComparable<Entry>
    {
        public int CompareTo(Entry other)
        {
            int byNetwork = Network.CompareTo(other.Network);
            return byNetwork != 0 ? byNetwork : Length.CompareTo(other.Length);
        }

        public bool Contains(Entry inner) =>
            Length <= inner.Length && (inner.Network & IpPrefix.Ipv6Mask(Length)) == Network;
    }
}
