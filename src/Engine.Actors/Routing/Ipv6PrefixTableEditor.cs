using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Interval = Engine.Actors.Routing.Ipv6PrefixTableBuilder.Interval;
using Span = Engine.Actors.Routing.Ipv6PrefixTableBuilder.Span;

namespace Engine.Actors.Routing;

/// <summary>
/// Changes an <see cref="Ipv6PrefixTable"/> prefix by prefix and publishes immutable tables that
/// share what the changes since the last one did not touch: a publish sweeps again only the /20
/// blocks a change lies in, and nothing a published table reads is ever written again.
/// </summary>
/// <remarks>
/// The editor keeps the prefixes itself (<see cref="Ipv6BlockPrefixes"/>): those of 20 to 64 bits
/// by the block they lie in, sorted as the builder sweeps them; each longer than 64 bits as a point
/// there too and in a dictionary, from which the table of long prefixes is built again when one of
/// them changed; and the few shorter than a block apart, painted into each block's base value (where
/// the block's sweep starts from), so that a change to one of those paints them again and sweeps
/// every block whose base changed. The direct table's chunk references (32 KiB) are copied at the
/// first change after a publish, and each chunk at the first change to one of its blocks
/// (<see cref="Ipv6DirectChunks"/>). The ranges (a swept block's index levels with them) and the values are appended to: a
/// table published before reads only what its own direct table names, so it shares the arrays, and
/// a block swept again leaves its old ranges behind for it. When the ranges array is full, or those
/// left behind pass a quarter of the live ones (live ranges spread over more lines and pages slow
/// the lookups), the live blocks move to a new one twice their size, and when the numbering of
/// values is full the live ones are numbered afresh there. Not
/// thread-safe: one owner edits, any number of threads read what it publishes.
/// </remarks>
internal sealed class Ipv6PrefixTableEditor
{
    private const int BlockCount = 1 << Ipv6PrefixTable.DirectBits;
    private const ulong BlockSize = 1UL << Ipv6PrefixTable.SuffixBits;

    /// <summary>The ranges are compacted once those no block uses any more pass a quarter of the live ones (and this many).</summary>
    internal const int GarbageShare = 4;
    internal const int GarbageFloor = 1 << 16;

    private readonly Ipv6BlockPrefixes _blocks = new();
    private readonly Dictionary<IpPrefix, int> _short = [];
    private readonly Dictionary<IpPrefix, int> _long = [];
    private readonly ulong[] _dirty = new ulong[BlockCount / 64];
    private readonly List<Interval> _intervals = [];
    private readonly Stack<Span> _open = new();
    private int[] _base = NewBase();
    private readonly Ipv6DirectChunks _direct;
    private ulong[] _ranges;
    private int _rangesUsed;
    private int _garbage;
    private Ipv6ValueNumbers _values;
    private Ipv6LengthSearchTable? _longTable;
    private bool _shortChanged;
    private bool _longChanged;
    private bool _anyChanged;
    private Ipv6PrefixTable _last;

    /// <param name="start">The table to go on from; it stays as it is.</param>
    /// <param name="routes">The prefixes and values start was built from, each prefix once.</param>
    public Ipv6PrefixTableEditor(Ipv6PrefixTable start, IEnumerable<(IpPrefix Prefix, int Value)> routes)
    {
        _last = start;
        _direct = new Ipv6DirectChunks(start.Chunks);
        _ranges = start.Ranges;
        _rangesUsed = start.RangeCount;
        _values = new Ipv6ValueNumbers(start.Values);
        _longTable = start.LongPrefixes;

        foreach (var (prefix, value) in routes)
        {
            CheckRoute(prefix, value);
            if (prefix.Length < Ipv6PrefixTable.DirectBits) _short[prefix] = value;
            else if (prefix.Length <= 64 || _long.TryAdd(prefix, value)) _blocks.AddUnsorted(prefix, value);
            else _long[prefix] = value;
        }
        _blocks.Sort();
        Paint(_base);
    }

    /// <summary>Number of distinct prefixes as changed so far.</summary>
    public int Count => _short.Count + _long.Count + _blocks.Count;

    /// <summary>Adds prefix with value, or gives it that value.</summary>
    public void Set(IpPrefix prefix, int value)
    {
        CheckRoute(prefix, value);
        if (prefix.Length < Ipv6PrefixTable.DirectBits)
        {
            if (_short.TryGetValue(prefix, out var old) && old == value) return;
            _short[prefix] = value;
            _shortChanged = _anyChanged = true;
            return;
        }
        if (prefix.Length > 64)
        {
            if (_long.TryGetValue(prefix, out var old) && old == value) return;
            if (!_long.ContainsKey(prefix))
            {
                _blocks.AddPoint(prefix);
                MarkDirty(BlockOf(prefix));
            }
            _long[prefix] = value;
            _longChanged = _anyChanged = true;
            return;
        }
        if (_blocks.Set(prefix, value)) MarkDirty(BlockOf(prefix));
    }

    /// <summary>Removes prefix, if the table has it: what it covered goes to its best shorter prefix.</summary>
    public void Remove(IpPrefix prefix)
    {
        if (!prefix.IsIPv6)
            throw new ArgumentException($"{prefix} is not an IPv6 prefix", nameof(prefix));
        if (prefix.Length < Ipv6PrefixTable.DirectBits)
        {
            if (!_short.Remove(prefix)) return;
            _shortChanged = _anyChanged = true;
            return;
        }
        if (prefix.Length > 64)
        {
            if (!_long.Remove(prefix)) return;
            _blocks.RemovePoint(prefix);
            MarkDirty(BlockOf(prefix));
            _longChanged = _anyChanged = true;
            return;
        }
        if (_blocks.Remove(prefix)) MarkDirty(BlockOf(prefix));
    }

    /// <summary>The table as changed so far (the last one again if nothing changed); later changes leave it as it is.</summary>
    public Ipv6PrefixTable Publish()
    {
        if (!_anyChanged) return _last;
        if (_shortChanged) PaintAgain();
        for (var word = 0; word < _dirty.Length; word++)
        {
            for (var bits = _dirty[word]; bits != 0; bits &= bits - 1)
                Sweep(word * 64 + BitOperations.TrailingZeroCount(bits));
            _dirty[word] = 0;
        }
        // Blocks swept again leave their old ranges behind, spreading the live ones over more pages
        // and cache lines than a whole build: lookups on a table edited for long slowed by a third.
        if (_garbage > Math.Max(GarbageFloor, (_rangesUsed - _garbage) / GarbageShare))
            Compact(renumber: false, room: 0);
        if (_longChanged)
            _longTable = _long.Count > 0 ? Ipv6LengthSearchTable.Build(_long.Select(route => (route.Key, route.Value))) : null;

        _last = new Ipv6PrefixTable(_direct.Publish(), _ranges, _values.Values, _longTable, Count, _rangesUsed);
        _shortChanged = _longChanged = _anyChanged = false;
        return _last;
    }

    /// <summary>Cuts the block into ranges again from its prefixes and its base, and points its direct entry at them.</summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Sweep(int block)
    {
        var blockStart = (ulong)block << Ipv6PrefixTable.SuffixBits;
        Ipv6PrefixTableBuilder.Sweep(_blocks.Of(block), blockStart, (UInt128)blockStart + BlockSize, _base[block], _intervals, _open);
        var intervals = CollectionsMarshal.AsSpan(_intervals);

        // The block's old ranges are left to the tables published before, and to no compaction.
        _garbage += PackedLengthAt(_direct[block]);
        _direct.Set(block, Ipv6PrefixTableBuilder.InlineEntry(Ipv6PrefixTable.NoMatch));
        if (Ipv6PrefixTableBuilder.IsInline(intervals))
        {
            _direct.Set(block, Ipv6PrefixTableBuilder.InlineEntry(intervals[0].Value));
            return;
        }
        if (!NumberAll(intervals))
        {
            Compact(renumber: true, room: 0);
            if (!NumberAll(intervals))
                throw new InvalidOperationException($"an IPv6 table holds at most {Ipv6PrefixTable.DistinctValueLimit} distinct values");
        }
        var length = Ipv6PrefixTableBuilder.PackedLength(intervals.Length);
        if (_rangesUsed + length + Ipv6PrefixTable.TailSlack > _ranges.Length) Compact(renumber: false, room: length);
        _direct.Set(block, Ipv6PrefixTableBuilder.Pack(intervals, blockStart, _ranges, _rangesUsed, _values));
        _rangesUsed += length;
    }

    private bool NumberAll(ReadOnlySpan<Interval> intervals)
    {
        foreach (var interval in intervals)
            if (!_values.TryNumber(interval.Value, out _)) return false;
        return true;
    }

    /// <summary>
    /// Moves the live blocks' ranges to a new array with room for twice as many, numbering their
    /// values afresh if asked; the tables published keep the old arrays.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Compact(bool renumber, int room)
    {
        var live = _rangesUsed - _garbage;
        var capacity = (int)Math.Min(Ipv6PrefixTable.OffsetMask + 1L + Ipv6PrefixTable.MaxInlineCount + 1 + Ipv6PrefixTable.TailSlack, 2L * live + room + 1024);
        var ranges = new ulong[capacity];
        var values = renumber ? new Ipv6ValueNumbers() : _values;
        var used = 0;
        for (var block = 0; block < BlockCount; block++)
        {
            var entry = _direct[block];
            if (entry < 0) continue;
            var length = PackedLengthAt(entry);
            if (used > Ipv6PrefixTable.OffsetMask || used + length > capacity)
                throw new InvalidOperationException($"an IPv6 table holds at most {Ipv6PrefixTable.OffsetMask} ranges");
            var from = _ranges.AsSpan(entry & Ipv6PrefixTable.OffsetMask, length);
            var to = ranges.AsSpan(used, length);
            from.CopyTo(to);
            if (renumber)
            {
                // A count ahead of the ranges stays as it is.
                for (var i = length > Ipv6PrefixTable.MaxInlineCount ? 1 : 0; i < length; i++)
                {
                    var number = (int)(to[i] & (Ipv6PrefixTable.LongFlag - 1));
                    to[i] = to[i] & ~(Ipv6PrefixTable.LongFlag - 1) | (uint)values.NumberOf(_values.ValueOf(number));
                }
            }
            _direct.Set(block, entry & ~Ipv6PrefixTable.OffsetMask | used);
            used += length;
        }
        if (used + room + Ipv6PrefixTable.TailSlack > capacity)
            throw new InvalidOperationException($"an IPv6 table holds at most {Ipv6PrefixTable.OffsetMask} ranges");
        (_ranges, _rangesUsed, _garbage, _values) = (ranges, used, 0, values);
    }

    /// <summary>How many ulongs of the ranges a direct entry names: none for a block of one value.</summary>
    private int PackedLengthAt(int entry)
    {
        if (entry < 0) return 0;
        var count = entry >>> Ipv6PrefixTable.CountShift;
        return Ipv6PrefixTableBuilder.PackedLength(count != 0 ? count : (int)_ranges[entry & Ipv6PrefixTable.OffsetMask]);
    }

    /// <summary>Paints the short prefixes again and marks the blocks whose base changed.</summary>
    private void PaintAgain()
    {
        var painted = NewBase();
        Paint(painted);
        for (var block = 0; block < BlockCount; block++)
            if (painted[block] != _base[block]) MarkDirty(block);
        _base = painted;
    }

    /// <summary>Each block's best prefix shorter than a block: the shorter prefixes painted longest last.</summary>
    private void Paint(int[] bases)
    {
        foreach (var (prefix, value) in _short.OrderBy(route => route.Key.Length))
            bases.AsSpan(BlockOf(prefix), 1 << (Ipv6PrefixTable.DirectBits - prefix.Length)).Fill(value);
    }

    private static int[] NewBase()
    {
        var bases = new int[BlockCount];
        bases.AsSpan().Fill(Ipv6PrefixTable.NoMatch);
        return bases;
    }

    private void MarkDirty(int block)
    {
        _dirty[block >> 6] |= 1UL << block;
        _anyChanged = true;
    }

    private static int BlockOf(IpPrefix prefix) => Ipv6BlockPrefixes.BlockOf(prefix);

    private static void CheckRoute(IpPrefix prefix, int value)
    {
        if (!prefix.IsIPv6)
            throw new ArgumentException($"{prefix} is not an IPv6 prefix", nameof(prefix));
        if (value is < 0 or int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"the value for {prefix} must be >= 0 and < {int.MaxValue}");
    }
}
