namespace Engine.Actors.Rules;

/// <summary>
/// What a rule has matched: packets, bytes, and when last, counted by the router and read by
/// whoever owns the rule (an OpenFlow flow's stats and idle timeout). Atomic, allocation-free.
/// </summary>
public sealed class RuleHits
{
    private long _packets, _bytes, _lastUsedTicks;

    public long Packets => Interlocked.Read(ref _packets);
    public long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Environment.TickCount64 at the last match; 0 before the first.</summary>
    public long LastUsedTicks => Interlocked.Read(ref _lastUsedTicks);

    public void Add(int bytes, long nowTicks)
    {
        Interlocked.Increment(ref _packets);
        Interlocked.Add(ref _bytes, bytes);
        Volatile.Write(ref _lastUsedTicks, nowTicks);
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _packets, 0);
        Interlocked.Exchange(ref _bytes, 0);
    }
}
