using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// The frames a stream link has yet to send, in their batches, in order, bounded by a frame
/// count: what does not fit is dropped and counted as queue-full, so a slow peer costs memory
/// only up to its limit. Each frame is already framed (header in its headroom); a flush offers
/// everything queued to one vectored send and keeps the byte position of a partial one.
/// </summary>
internal sealed unsafe class StreamSendQueue(int maxFrames, PortCounters counters)
{
    private const int MaxVectors = 1024; // IOV_MAX

    private readonly Queue<FrameBatch> _batches = new();
    private readonly IoVectors _vectors = new(MaxVectors);
    private int _frames;
    private int _headFrame; // first unsent frame of the head batch
    private int _headSent;  // bytes of that frame already sent

    public bool IsEmpty => _batches.Count == 0;

    public void Enqueue(FrameBatch batch)
    {
        // Control messages always go: a handshake must not starve, and there are few of them (the
        // link sends no keepalive while anything is queued).
        var room = batch.IsFramed ? batch.Count : Math.Max(0, maxFrames - _frames);
        if (batch.Count > room)
        {
            counters.AddDrop(DropReason.QueueFull, batch.Count - room);
            batch.Truncate(room);
        }
        if (batch.Count == 0)
        {
            batch.Release();
            return;
        }
        _batches.Enqueue(batch);
        _frames += batch.Count;
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
            _frames--;
            if (_headFrame == batch.Count)
            {
                _batches.Dequeue().Release();
                _headFrame = 0;
            }
        }
        if (frames > 0) counters.AddTx(frames, bytes);
    }

    /// <summary>The link is closing: everything unsent is dropped, counted against the port.</summary>
    public void DropAll()
    {
        while (_batches.TryDequeue(out var batch))
        {
            if (!batch.IsFramed) counters.AddDrop(DropReason.PortDown, batch.Count - _headFrame);
            batch.Release();
            _headFrame = 0;
        }
        _headSent = 0;
        _frames = 0;
        _vectors.Dispose();
    }
}
