using System.Numerics;
using System.Runtime.CompilerServices;

namespace Engine.Actors.Routing;

/// <summary>
/// An open-addressed table of prefix slots, probed linearly from the top bits of the prefix's hash.
/// A removal leaves a <see cref="IPrefixSlot{TSlot}.Removed"/> mark, so no entry moves while the
/// table is enumerated; the marks go when the table next grows or is rebuilt at its size. At most
/// three quarters of the slots are in use (entries and marks), and a rebuild leaves at most half.
/// </summary>
internal sealed class PrefixSlots<TSlot> where TSlot : struct, IPrefixSlot<TSlot>
{
    private const int MinimumCapacity = 16;

    private TSlot[] _slots = new TSlot[MinimumCapacity];
    private int _shift = 64 - BitOperations.Log2(MinimumCapacity);
    private int _removed;

    public int Count { get; private set; }

    /// <summary>Slots allocated, for sizing tests.</summary>
    internal int Capacity => _slots.Length;

    /// <summary>The value number held for <paramref name="key"/>'s prefix, or 0.</summary>
    public int Find(in TSlot key)
    {
        var i = IndexOf(key);
        return i < 0 ? 0 : _slots[i].Number;
    }

    /// <summary>Holds <paramref name="entry"/>; returns the number it replaced for that prefix, or 0 when it is new.</summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public int Set(in TSlot entry)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        var free = -1;
        int i;
        for (i = Start(entry); ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.IsEmpty) break;
            if (slot.IsRemoved)
            {
                if (free < 0) free = i;
            }
            else if (slot.HasPrefixOf(entry))
            {
                var replaced = slot.Number;
                slot = entry;
                return replaced;
            }
        }
        if (free >= 0)
        {
            slots[free] = entry;
            _removed--;
        }
        else
        {
            slots[i] = entry;
        }
        Count++;
        if ((Count + _removed) * 4L > slots.Length * 3L) Rebuild();
        return 0;
    }

    /// <summary>Removes <paramref name="key"/>'s prefix; returns the number it held, or 0.</summary>
    public int Remove(in TSlot key)
    {
        var i = IndexOf(key);
        if (i < 0) return 0;
        var number = _slots[i].Number;
        _slots[i] = TSlot.Removed;
        _removed++;
        Count--;
        return number;
    }

    public void Clear()
    {
        _slots = new TSlot[MinimumCapacity];
        _shift = 64 - BitOperations.Log2(MinimumCapacity);
        _removed = 0;
        Count = 0;
    }

    /// <summary>The entries held; removing one, or replacing its value, while enumerating is allowed.</summary>
    public IEnumerable<TSlot> Entries
    {
        get
        {
            var slots = _slots;
            for (var i = 0; i < slots.Length; i++)
            {
                var slot = slots[i];
                if (!slot.IsEmpty && !slot.IsRemoved) yield return slot;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int IndexOf(in TSlot key)
    {
        var slots = _slots;
        var mask = slots.Length - 1;
        for (var i = Start(key); ; i = (i + 1) & mask)
        {
            ref var slot = ref slots[i];
            if (slot.IsEmpty) return -1;
            if (!slot.IsRemoved && slot.HasPrefixOf(key)) return i;
        }
    }

    private int Start(in TSlot slot) => (int)(slot.Hash >> _shift);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Rebuild()
    {
        var capacity = MinimumCapacity;
        while (Count * 2L > capacity) capacity *= 2;
        var old = _slots;
        _slots = new TSlot[capacity];
        _shift = 64 - BitOperations.Log2((uint)capacity);
        _removed = 0;
        var mask = capacity - 1;
        foreach (ref readonly var slot in old.AsSpan())
        {
            if (slot.IsEmpty || slot.IsRemoved) continue;
            var i = Start(slot);
            while (!_slots[i].IsEmpty) i = (i + 1) & mask;
            _slots[i] = slot;
        }
    }
}
