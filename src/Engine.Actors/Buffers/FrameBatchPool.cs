namespace Engine.Actors.Buffers;

/// <summary>
/// Batches of pinned frame buffers, reused forever. Grows on demand up to a cap, so a burst
/// costs memory once and steady state allocates nothing; past the cap <see cref="TryRent"/>
/// fails and the reader drops (and counts) instead of queueing without bound.
/// Thread-safe; on the data path rent and return happen on the reactor thread, uncontended.
/// </summary>
public sealed class FrameBatchPool
{
    private readonly Stack<FrameBatch> _free;
    private readonly object _lock = new();
    private int _created;
    private long _allocatedBytes;

    public FrameBatchPool(int batchCapacity, int bufferSize, int maxBatches)
    {
        if (batchCapacity < 1) throw new ArgumentOutOfRangeException(nameof(batchCapacity));
        if (bufferSize <= FrameBatch.Headroom) throw new ArgumentOutOfRangeException(nameof(bufferSize));
        BatchCapacity = batchCapacity;
        BufferSize = bufferSize;
        MaxBatches = maxBatches;
        _free = new Stack<FrameBatch>(maxBatches);
    }

    public int BatchCapacity { get; }
    public int BufferSize { get; }
    public int MaxBatches { get; }

    /// <summary>What one batch holds of buffers.</summary>
    public long BatchBytes => (long)BatchCapacity * BufferSize;

    /// <summary>The pool's cap in bytes of buffers: what every batch it may create holds.</summary>
    public long MaxBytes => MaxBatches * BatchBytes;

    /// <summary>Batches created so far: the pool's size, which only grows.</summary>
    public int Created => Volatile.Read(ref _created);

    /// <summary>
    /// What creating them allocated. A counter summary tells it apart from the rest of the
    /// process's allocation: growth is capacity taken once, not garbage made per frame.
    /// </summary>
    public long AllocatedBytes => Interlocked.Read(ref _allocatedBytes);

    /// <summary>Batches back in the pool: equal to <see cref="Created"/> once every batch is released.</summary>
    internal int Available
    {
        get
        {
            lock (_lock) return _free.Count;
        }
    }

    /// <summary>The largest frame a buffer holds after the headroom.</summary>
    public int MaxFrameLength => BufferSize - FrameBatch.Headroom;

    public bool TryRent(out FrameBatch batch)
    {
        lock (_lock)
        {
            if (_free.TryPop(out batch!)) return true;
            if (_created >= MaxBatches) return false;
            _created++;
        }
        var before = GC.GetAllocatedBytesForCurrentThread();
        batch = new FrameBatch(this, BatchCapacity, BufferSize);
        Interlocked.Add(ref _allocatedBytes, GC.GetAllocatedBytesForCurrentThread() - before);
        return true;
    }

    internal void Return(FrameBatch batch)
    {
        lock (_lock) _free.Push(batch);
    }
}
