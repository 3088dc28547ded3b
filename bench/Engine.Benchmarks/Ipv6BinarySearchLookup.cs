using Engine.Actors.Routing;

namespace Engine.Benchmarks;

/// <summary>
/// <see cref="Ipv6PrefixTable.Lookup(UInt128)"/> as it was before the branch v6lookup: the same
/// ranges and values, the direct table flat (4 MiB), a bounds-checked binary search over the block's ranges. Kept here only as the baseline
/// of <see cref="FullTableLpmBenchmarks.Ipv6ColdBinarySearch"/>: a block's ranges still lie sorted
/// from its offset (its index levels, if any, after them), so it answers the same on today's tables.
/// </summary>
internal static class Ipv6BinarySearchLookup
{
    /// <param name="direct">The table's direct table flat, as it was before (<see cref="Ipv6PrefixTable.Direct"/>, taken once).</param>
    public static int Lookup(Ipv6PrefixTable table, int[] direct, UInt128 address)
    {
        ulong top = (ulong)(address >> 64);
        int entry = direct[top >> Ipv6PrefixTable.SuffixBits];
        if (entry < 0)
            return (entry & ~Ipv6PrefixTable.InlineFlag) - 1;

        int first = entry & Ipv6PrefixTable.OffsetMask;
        int count = entry >>> Ipv6PrefixTable.CountShift;
        ulong[] ranges = table.Ranges;
        if (count == 0)
            count = (int)ranges[first++];
        ulong key = top << (64 - Ipv6PrefixTable.SuffixBits) | ((1UL << (64 - Ipv6PrefixTable.SuffixBits)) - 1);
        while (count > 1)
        {
            int half = count >> 1;
            if (ranges[first + half] <= key)
                first += half;
            count -= half;
        }
        ulong range = ranges[first];
        if ((range & Ipv6PrefixTable.LongFlag) != 0 && table.LongPrefixes!.Lookup(address) is var longer and not Ipv6PrefixTable.NoMatch)
            return longer;
        return table.Values[(int)(range & (Ipv6PrefixTable.LongFlag - 1))];
    }
}
