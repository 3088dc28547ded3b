using System.Text;

namespace Engine.Actors.Counters;

/// <summary>
/// Counters of one port (a device), seen from the engine: rx is what the engine read from the
/// device, tx what it wrote to it. Written by the reactor thread, read by anyone; each field is
/// updated atomically so a reader never sees a torn value.
/// </summary>
public sealed class PortCounters
{
    private long _rxPackets, _rxBytes, _rxBatches, _txPackets, _txBytes, _txWrites;
    private readonly long[] _drops = new long[DropReasons.Count];
    private long _macLimit;
    private long _linkUps;
    private int _linkUp;

    /// <summary>A peer's link: whether it is up now, and how many times it has come up.</summary>
    public bool LinkUp => Volatile.Read(ref _linkUp) != 0;

    public long LinkUps => Volatile.Read(ref _linkUps);

    public void SetLink(bool up)
    {
        if (Interlocked.Exchange(ref _linkUp, up ? 1 : 0) == 0 && up) Interlocked.Increment(ref _linkUps);
    }

    /// <summary>How long the batches written out of this port spent inside the engine.</summary>
    public TransitHistogram Transit { get; } = new();

    public long RxPackets => Volatile.Read(ref _rxPackets);
    public long RxBytes => Volatile.Read(ref _rxBytes);

    /// <summary>Reads that returned frames: RxPackets / RxBatches is the mean batch size.</summary>
    public long RxBatches => Volatile.Read(ref _rxBatches);
    public long TxPackets => Volatile.Read(ref _txPackets);
    public long TxBytes => Volatile.Read(ref _txBytes);

    /// <summary>Packets handed to the kernel: TxPackets / TxWrites is how many frames GRO merged into each.</summary>
    public long TxWrites => Volatile.Read(ref _txWrites);

    public long Drops(DropReason reason) => Volatile.Read(ref _drops[(int)reason]);

    public long TotalDrops
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < _drops.Length; i++) sum += Volatile.Read(ref _drops[i]);
            return sum;
        }
    }

    public void AddRx(long packets, long bytes)
    {
        Interlocked.Increment(ref _rxBatches);
        Interlocked.Add(ref _rxPackets, packets);
        Interlocked.Add(ref _rxBytes, bytes);
    }

    public void AddTx(long packets, long bytes) => AddTx(packets, bytes, packets);

    public void AddTx(long packets, long bytes, long writes)
    {
        Interlocked.Add(ref _txPackets, packets);
        Interlocked.Add(ref _txBytes, bytes);
        Interlocked.Add(ref _txWrites, writes);
    }

    public void AddDrop(DropReason reason, long count = 1) => Interlocked.Add(ref _drops[(int)reason], count);

    /// <summary>
    /// Source addresses a switch port did not learn because it was at its MAC limit. Their
    /// frames were still switched, so this is no drop.
    /// </summary>
    public long MacLimit => Volatile.Read(ref _macLimit);

    public void AddMacLimit() => Interlocked.Increment(ref _macLimit);

    /// <summary>"no-route=3 ttl=1", or "none"; then ", mac-limit=N (sources not learned)" when a switch port refused to learn.</summary>
    public string DescribeDrops() => DescribeDropReasons() + (MacLimit is var macLimit and not 0 ? $", mac-limit={macLimit} (sources not learned)" : "");

    /// <summary>"no-route=3 ttl=1", or "none".</summary>
    public string DescribeDropReasons()
    {
        var text = new StringBuilder();
        for (var i = 0; i < _drops.Length; i++)
        {
            var n = Volatile.Read(ref _drops[i]);
            if (n == 0) continue;
            if (text.Length > 0) text.Append(' ');
            text.Append(((DropReason)i).Label()).Append('=').Append(n);
        }
        return text.Length == 0 ? "none" : text.ToString();
    }
}
