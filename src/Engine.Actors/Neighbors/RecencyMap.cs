namespace Engine.Actors.Neighbors;

/// <summary>
/// A bounded map from an address to a 64-bit value and the time it was last set. Entries
/// sit in preallocated arrays, chained in the order they were last set, so the oldest is
/// always at the head: when the map is full, setting a new key evicts it in O(1), and
/// nothing allocates once the map is built. Not thread-safe.
/// </summary>
internal sealed class RecencyMap<TKey> where TKey : struct, IEquatable<TKey>
{
    private const int None = -1;

    private readonly Dictionary<TKey, int> _slots;
    private readonly TKey[] _keys;
    private readonly ulong[] _values;
    private readonly long[] _setAt;
    private readonly int[] _older;
    private readonly int[] _newer;

    private int _oldest = None;
    private int _newest = None;

    // Slots never used yet are handed out in order; freed ones are chained through _newer.
    private int _used;
    private int _free = None;

    public RecencyMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _slots = new Dictionary<TKey, int>(capacity);
        _keys = new TKey[capacity];
        _values = new ulong[capacity];
        _setAt = new long[capacity];
        _older = new int[capacity];
        _newer = new int[capacity];
    }

    public int Count => _slots.Count;

    public int Capacity => _keys.Length;

    /// <summary>
    /// Sets <paramref name="key"/> to <paramref name="value"/> at time <paramref name="now"/>
    /// and makes it the newest entry, evicting the oldest one if a new key finds the map full.
    /// Times must not go backwards between calls.
    /// </summary>
    public void Set(TKey key, ulong value, long now)
    {
        if (_slots.TryGetValue(key, out int slot))
        {
            Unlink(slot);
        }
        else
        {
            slot = TakeSlot();
            _keys[slot] = key;
            _slots.Add(key, slot);
        }
        _values[slot] = value;
        _setAt[slot] = now;
        LinkNewest(slot);
    }

    /// <summary>Finds <paramref name="key"/>, giving its value and when it was set.</summary>
    public bool TryGet(TKey key, out ulong value, out long setAt)
    {
        if (!_slots.TryGetValue(key, out int slot))
        {
            value = 0;
            setAt = 0;
            return false;
        }
        value = _values[slot];
        setAt = _setAt[slot];
        return true;
    }

    public bool Remove(TKey key)
    {
        if (!_slots.Remove(key, out int slot))
            return false;
        Unlink(slot);
        Release(slot);
        return true;
    }

    private int TakeSlot()
    {
        if (_free != None)
        {
            int slot = _free;
            _free = _newer[slot];
            return slot;
        }
        if (_used < _keys.Length)
            return _used++;

        int oldest = _oldest;
        _slots.Remove(_keys[oldest]);
        Unlink(oldest);
        return oldest;
    }

    private void Release(int slot)
    {
        _keys[slot] = default;
        _newer[slot] = _free;
        _free = slot;
    }

    private void LinkNewest(int slot)
    {
        _older[slot] = _newest;
        _newer[slot] = None;
        if (_newest != None)
            _newer[_newest] = slot;
        else
            _oldest = slot;
        _newest = slot;
    }

    private void Unlink(int slot)
    {
        int older = _older[slot];
        int newer = _newer[slot];
        if (older != None)
            _newer[older] = newer;
        else
            _oldest = newer;
        if (newer != None)
            _older[newer] = older;
        else
            _newest = older;
    }
}
