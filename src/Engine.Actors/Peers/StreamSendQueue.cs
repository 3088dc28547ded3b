using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// The frames a stream link has yet to send, in their batches, in order. It is bounded by the
/// pool memory it holds (<paramref name="budgetBytes"/> of buffers, <see cref="SendBudget"/>),
/// not by frames: a batch holds all its buffers however few frames it carries, so frames queued
/// behind a partly filled batch move into it (buffers swapped, not copied) and their own batch
/// goes back to the pool. What does not fit is dropped and counted as queue-full. Each frame is
/// already framed (header in its headroom); a flush offers everything queued to one vectored
/// send and keeps the byte position of a partial one.
/// </summary>
internal sealed unsafe class StreamSendQueue(long budgetBytes, PortCounters counters)
{
    private const int MaxVectors = 1024; // IOV_MAX

    private readonly Queue<FrameBatch> _batches = new();
    private readonly IoVectors _vectors = new(MaxVectors);
    private FrameBatch? _tail;
    private long _heldBytes;   // buffers of the queued batches
    private long _queuedBytes; // unsent bytes of the queued frames
    private long _lastProgress;
    private int _headFrame; // first unsent frame of the head batch
    private int _headSent;  // bytes of that frame already sent

    public bool IsEmpty => _batches.Count == 0;

    /// <summary>Bytes of frames waiting to be sent.</summary>
    public long QueuedBytes => _queuedBytes;

    /// <summary>Frames are queued and not one byte of them went out since <paramref name="since"/> milliseconds before <paramref name="now"/>.</summary>
    public bool IsStalled(long now, long since) => !IsEmpty && now - _lastProgress >= since;

    public void Enqueue(FrameBatch batch)
    {
        var moved = FillTail(batch);
        if (moved == batch.Count)
        {
            batch.Release();
            return;
        }
        batch.RemoveFirst(moved);
        // Control messages always go: a handshake must not starve, and there are few of them (the
        // link sends no keepalive while anything is queued). One batch is always let in, so a
        // burst the socket refused waits for it rather than being dropped.
        if (!batch.IsFramed && !IsEmpty && _heldBytes + batch.BufferBytes > budgetBytes)
        {
            counters.AddDrop(DropReason.QueueFull, batch.Count);
            batch.Release();
            return;
        }
        if (IsEmpty) _lastProgress = Environment.TickCount64;
        for (var i = 0; i < batch.Count; i++) _queuedBytes += batch.Frame(i).Length;
        _batches.Enqueue(batch);
        _tail = batch;
        _heldBytes += batch.BufferBytes;
    }

    /// <summary>Moves the frames of <paramref name="batch"/> that fit into the tail batch's spare buffers; returns how many.</summary>
    private int FillTail(FrameBatch batch)
    {
        if (_tail is null || _tail.IsFramed != batch.IsFramed) return 0;
        var moved = Math.Min(batch.Count, _tail.Capacity - _tail.Count);
        for (var i = 0; i < moved; i++)
        {
            _queuedBytes += batch.Frame(i).Length;
            batch.MoveTo(i, _tail);
        }
        return moved;
    }

    /// <summary>Sends what the socket takes. Blocked: frames remain and the socket had no room.</summary>
    public (bool Sent, bool Blocked) Flush(NativeSocket socket)
    {
        var sentAny = false;
        while (_batches.Count > 0)
        {
            var offered = Gather(out var vectorCount);
            var n = socket.Send(_vectors, 0, vectorCount);
            if (n == NativeSocket.WouldBlock) return (sentAny, true);
            sentAny = true;
            _lastProgress = Environment.TickCount64;
            Consume(n);
            if (n < offered) return (true, true);
        }
        return (sentAny, false);
    }

    private long Gather(out int count)
    {
        count = 0;
        long offered = 0;
        var first = true;
        foreach (var batch in _batches)
        {
            for (var i = first ? _headFrame : 0; i < batch.Count && count < MaxVectors; i++)
            {
                var skip = first && i == _headFrame ? _headSent : 0;
                var length = batch.Frame(i).Length - skip;
                _vectors.Set(count++, PeerLinkAddress.Of(batch, i) + skip, length);
                offered += length;
            }
            first = false;
            if (count == MaxVectors) break;
        }
        return offered;
    }

    // Counted once per call, not per frame: three atomic adds a frame would cost more than the send.
    private void Consume(long sent)
    {
        long frames = 0, bytes = 0;
        _queuedBytes -= sent;
        while (sent > 0 && _batches.TryPeek(out var batch))
        {
            var remaining = batch.Frame(_headFrame).Length - _headSent;
            if (sent < remaining)
            {
                _headSent += (int)sent;
                break;
            }
            sent -= remaining;
            if (!batch.IsFramed)
            {
                frames++;
                bytes += batch.Frame(_headFrame).Length;
            }
            _headSent = 0;
            _headFrame++;
            if (_headFrame == batch.Count)
            {
                if (!batch.IsFramed) counters.Transit.Record(batch.ReadAt);
                Dequeue();
                _headFrame = 0;
            }
        }
        if (frames > 0) counters.AddTx(frames, bytes);
    }

    /// <summary>The link is closing: everything unsent is dropped, counted against the port.</summary>
    public void DropAll()
    {
        while (_batches.TryPeek(out var batch))
        {
            if (!batch.IsFramed) counters.AddDrop(DropReason.PortDown, batch.Count - _headFrame);
            Dequeue();
            _headFrame = 0;
        }
        _headSent = 0;
        _queuedBytes = 0;
        _vectors.Dispose();
    }

    private void Dequeue()
    {
        var batch = _batches.Dequeue();
        _heldBytes -= batch.BufferBytes;
        if (batch == _tail) _tail = null;
        batch.Release();
    }
}
