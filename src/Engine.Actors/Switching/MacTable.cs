using System.Numerics;

namespace Engine.Actors.Switching;

/// <summary>
/// One switch's learned addresses: which member port each source MAC was last seen on in each
/// VLAN, and when (a host may sit in several VLANs, behind a different port in each). An open-addressing table (linear probing, deletion by backward shift) sized once for every
/// member at its limit at half load, so learning never allocates and never finds it full. Times
/// are a monotonic clock's ticks, given by the caller. Owned by one router actor: not thread-safe.
/// </summary>
public sealed class MacTable
{
    private const ulong Empty = ulong.MaxValue; // no VLAN id and 48-bit address make it

    private readonly ulong[] _macs;
    private readonly int[] _members;
    private readonly long[] _seen;
    private readonly int _mask;
    private readonly int[] _learnedOn;
    private readonly long[] _refusedOn;
    private readonly int _macLimit;
    private readonly long _ageingTicks;

    /// <param name="memberCount">Member ports, numbered 0 to memberCount - 1.</param>
    /// <param name="macLimit">Addresses one member may have learned at once.</param>
    /// <param name="ageingTicks">How long, in clock ticks, an address stays without a frame from it.</param>
    public MacTable(int memberCount, int macLimit, long ageingTicks)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memberCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(macLimit);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ageingTicks);
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, 2L * memberCount * macLimit));
        _macs = new ulong[capacity];
        Array.Fill(_macs, Empty);
        _members = new int[capacity];
        _seen = new long[capacity];
        _mask = capacity - 1;
        _learnedOn = new int[memberCount];
        _refusedOn = new long[memberCount];
        _macLimit = macLimit;
        _ageingTicks = ageingTicks;
    }

    /// <summary>Addresses <paramref name="member"/> has learned and not yet lost to a sweep.</summary>
    public int LearnedOn(int member) => _learnedOn[member];

    /// <summary>New addresses refused on <paramref name="member"/> because it was at its limit.</summary>
    public long MacLimitRefusals(int member) => _refusedOn[member];

    /// <summary>Records that <paramref name="mac"/> sent a frame in <paramref name="vlan"/> on <paramref name="member"/>.</summary>
    public LearnOutcome Learn(int vlan, ulong mac, int member, long now)
    {
        var key = Key(vlan, mac);
        var slot = Find(key);
        if (slot >= 0)
        {
            var was = _members[slot];
            _seen[slot] = now;
            if (was == member)
                return LearnOutcome.Refreshed;
            if (_learnedOn[member] >= _macLimit)
            {
                // The host moved to a port that is full: forget where it was rather than keep sending there.
                Remove(slot);
                _refusedOn[member]++;
                return LearnOutcome.LimitReached;
            }
            _learnedOn[was]--;
            _learnedOn[member]++;
            _members[slot] = member;
            return LearnOutcome.Moved;
        }
        if (_learnedOn[member] >= _macLimit)
        {
            _refusedOn[member]++;
            return LearnOutcome.LimitReached;
        }
        slot = EmptySlotFor(key);
        _macs[slot] = key;
        _members[slot] = member;
        _seen[slot] = now;
        _learnedOn[member]++;
        return LearnOutcome.Learned;
    }

    /// <returns>The member <paramref name="mac"/> was last seen on in <paramref name="vlan"/>, or -1 when unknown or aged out.</returns>
    public int Lookup(int vlan, ulong mac, long now)
    {
        var slot = Find(Key(vlan, mac));
        return slot >= 0 && !IsAged(slot, now) ? _members[slot] : -1;
    }

    /// <summary>Forgets every address not seen for the ageing time, freeing its member's share of the limit.</summary>
    /// <returns>How many were forgotten.</returns>
    public int Sweep(long now)
    {
        var removed = 0;
        for (var slot = 0; slot < _macs.Length;)
        {
            // A removal shifts a later entry into this slot, so look at it again before moving on.
            if (_macs[slot] != Empty && IsAged(slot, now))
            {
                Remove(slot);
                removed++;
            }
            else
                slot++;
        }
        return removed;
    }

    /// <summary>Forgets every address learned on <paramref name="member"/> (its link went down).</summary>
    public void Forget(int member)
    {
        for (var slot = 0; slot < _macs.Length;)
        {
            if (_macs[slot] != Empty && _members[slot] == member)
                Remove(slot);
            else
                slot++;
        }
    }

    private static ulong Key(int vlan, ulong mac) => (ulong)vlan << 48 | mac;

    private bool IsAged(int slot, long now) => now - _seen[slot] >= _ageingTicks;

    private int Find(ulong key)
    {
        for (var slot = Home(key); ; slot = (slot + 1) & _mask)
        {
            if (_macs[slot] == key)
                return slot;
            if (_macs[slot] == Empty)
                return -1;
        }
    }

    private int EmptySlotFor(ulong key)
    {
        var slot = Home(key);
        while (_macs[slot] != Empty)
            slot = (slot + 1) & _mask;
        return slot;
    }

    // The VLAN id is folded into the low bits, so one address in several VLANs spreads out even in a small table.
    private int Home(ulong key) => (int)(((key ^ (key >> 48)) * 0x9E3779B97F4A7C15UL) >> 40) & _mask;

    /// <summary>Empties <paramref name="slot"/> and pulls back the entries of its probe run, so lookups need no tombstones.</summary>
    private void Remove(int slot)
    {
        _learnedOn[_members[slot]]--;
        var hole = slot;
        for (var next = (hole + 1) & _mask; _macs[next] != Empty; next = (next + 1) & _mask)
        {
            var home = Home(_macs[next]);
            // The entry at next may fill the hole only if its home is not cyclically in (hole, next].
            var homeAfterHole = ((home - hole - 1) & _mask) < ((next - hole) & _mask);
            if (homeAfterHole)
                continue;
            _macs[hole] = _macs[next];
            _members[hole] = _members[next];
            _seen[hole] = _seen[next];
            hole = next;
        }
        _macs[hole] = Empty;
    }
}

public enum LearnOutcome
{
    /// <summary>A new address, now known on this member.</summary>
    Learned,
    /// <summary>Already known on this member; its time was renewed.</summary>
    Refreshed,
    /// <summary>Known on another member before: the host moved.</summary>
    Moved,
    /// <summary>The member is at its MAC limit: not learned, counted. The frame is still switched.</summary>
    LimitReached,
}
