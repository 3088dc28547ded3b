namespace Engine.Actors.Router;

/// <summary>What the router did beyond per-port counters: ICMP it sent and ICMP it held back.</summary>
public sealed class RouterCounters
{
    private long _forwarded, _icmpSent, _icmpSuppressed, _echoReplies, _beforeTable;

    public long Forwarded => Volatile.Read(ref _forwarded);
    public long IcmpErrorsSent => Volatile.Read(ref _icmpSent);
    public long IcmpErrorsSuppressed => Volatile.Read(ref _icmpSuppressed);
    public long EchoReplies => Volatile.Read(ref _echoReplies);

    /// <summary>Frames from a port the router's table did not know yet: read before the lab's first table reached it.</summary>
    public long DroppedBeforeTable => Volatile.Read(ref _beforeTable);

    internal void AddForwarded(long n) => Interlocked.Add(ref _forwarded, n);
    internal void IcmpSent() => Interlocked.Increment(ref _icmpSent);
    internal void IcmpSuppressed() => Interlocked.Increment(ref _icmpSuppressed);
    internal void EchoReplied() => Interlocked.Increment(ref _echoReplies);
    internal void AddDroppedBeforeTable(long n) => Interlocked.Add(ref _beforeTable, n);
}
