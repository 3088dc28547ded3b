using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Peers.Framing;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Engine.Native;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// A peer link over one TCP or Unix stream connection, in the length16 or engine framing.
/// Receiving: one recv takes as much as the kernel holds, and every whole message in it is
/// parsed; frames are copied out into pooled batches for the router. Sending: frames queue in
/// their batches, bounded by the pool memory they hold, and go out in one vectored send per
/// turn, each with its header in the buffer's headroom; a partial send resumes where it stopped
/// when the socket is writable. A queue that moves no byte for the peer's stall-timeout closes
/// the link: a peer that stopped reading gives its buffers back.
/// </summary>
internal sealed class StreamLink : PeerLink
{
    private const int ReceiveBufferSize = 256 * 1024;
    private const int MaxReceivesPerTurn = 4;

    private readonly byte[] _received = GC.AllocateUninitializedArray<byte>(ReceiveBufferSize, pinned: true);
    private readonly StreamSendQueue _sendQueue;
    private int _start;
    private int _end;

    public StreamLink(NativeSocket socket, PeerLinkContext context, string remote) : base(socket, context, remote)
    {
        _sendQueue = new StreamSendQueue(context.SendBudget, context.Counters);
    }

    // Whether the link asked the reactor for writability (the socket refused a send).
    private bool _watchingWritable;

    public override void Send(FrameBatch batch)
    {
        if (IsClosed)
        {
            Context.Counters.AddDrop(DropReason.PortDown, batch.IsFramed ? 0 : batch.Count);
            batch.Release();
            return;
        }
        if (!batch.IsFramed)
            for (var i = 0; i < batch.Count; i++)
                Frame(batch, i);
        _sendQueue.Enqueue(batch);
        // While the socket is full, the reactor's writability turn flushes; a send now would only fail.
        if (!_watchingWritable) Flush();
    }

    public override void OnWritable() => Flush();

    public override void CheckStall()
    {
        var timeout = Context.Spec.StallTimeout;
        if (IsClosed || !_sendQueue.IsStalled(Environment.TickCount64, (long)timeout.TotalMilliseconds)) return;
        Close($"send queue stalled for {timeout.TotalSeconds:0.#} s with {_sendQueue.QueuedBytes} bytes queued: closing");
    }

    protected override bool IsSendBacklogged => !_sendQueue.IsEmpty;

    private void Flush()
    {
        try
        {
            var result = _sendQueue.Flush(Socket);
            if (result.Sent) NoteSent();
            if (result.Blocked != _watchingWritable)
            {
                _watchingWritable = result.Blocked;
                WatchWritable(result.Blocked);
            }
        }
        catch (NativeException e)
        {
            Close(e.Message);
        }
    }

    protected override void ReleaseQueued() => _sendQueue.DropAll();

    public override void OnReadable()
    {
        if (IsClosed) return;
        try
        {
            for (var turn = 0; turn < MaxReceivesPerTurn; turn++)
            {
                if (_received.Length - _end < EngineHeader.Size + EngineHeader.MaxBody) Compact();
                var space = _received.Length - _end;
                var n = Socket.Receive(_received.AsSpan(_end));
                if (n == NativeSocket.WouldBlock) break;
                if (n == 0)
                {
                    Close("closed by the peer");
                    return;
                }
                _end += n;
                NoteReceived();
                if (!Parse()) return;
                if (n < space) break; // drained what the kernel had
            }
        }
        catch (NativeException e)
        {
            Close(e.Message);
        }
    }

    private void Compact()
    {
        var pending = _end - _start;
        if (pending > 0 && _start > 0) Buffer.BlockCopy(_received, _start, _received, 0, pending);
        _start = 0;
        _end = pending;
    }

    /// <summary>
    /// Parses every whole message received; false when the link closed over what it found. The
    /// frames before the message that closed it were whole and go on.
    /// </summary>
    private bool Parse()
    {
        FrameBatch? batch = null;
        long bytes = 0;
        var open = Context.Spec.Framing == PeerFraming.Engine ? ParseEngine(ref batch, ref bytes) : ParseLength16(ref batch, ref bytes);
        if (batch is not null) Deliver(batch, bytes);
        return open;
    }

    private bool ParseLength16(ref FrameBatch? batch, ref long bytes)
    {
        while (Length16Header.TryRead(_received.AsSpan(_start, _end - _start), out var length))
        {
            if (length == 0 || length > Context.Mtu)
            {
                Context.Counters.AddDrop(DropReason.Malformed);
                Close(length == 0 ? "zero length in the stream" : $"length {length} is larger than the link's MTU ({Context.Mtu})");
                return false;
            }
            if (_end - _start < Length16Header.Size + length) break;
            var frame = _received.AsSpan(_start + Length16Header.Size, length);
            _start += Length16Header.Size + length;
            try
            {
                Append(ref batch, ref bytes, frame, -1);
            }
            catch (Exception fault) when (fault is not NativeException)
            {
                Context.Faults.Record(fault, Context.Counters, Context.Spec.Name);
            }
        }
        return true;
    }

    private bool ParseEngine(ref FrameBatch? batch, ref long bytes)
    {
        while (EngineHeader.TryRead(_received.AsSpan(_start, _end - _start), out var header))
        {
            if (header.IsTooLong)
            {
                Context.Counters.AddDrop(DropReason.Malformed);
                Close($"message length {header.BodyLength} is over the limit ({EngineHeader.MaxBody})");
                return false;
            }
            if (_end - _start < header.MessageLength) break;
            var body = _received.AsSpan(_start + EngineHeader.Size, (int)header.BodyLength);
            _start += header.MessageLength;
            // A fault while taking one message in costs that message; the stream stays framed.
            try
            {
                if (!OnMessage(header, body, ref batch, ref bytes)) return false;
            }
            catch (Exception fault) when (fault is not NativeException)
            {
                Context.Faults.Record(fault, Context.Counters, Context.Spec.Name);
            }
        }
        return true;
    }

    /// <summary>Takes one whole message in: a control message, or a frame into the batch. False when it closed the link.</summary>
    private bool OnMessage(EngineHeader header, Span<byte> body, ref FrameBatch? batch, ref long bytes)
    {
        if (!IsFrame(header.Type)) return OnControl(header, body);
        if (!Session!.IsUp)
        {
            Context.Counters.AddDrop(DropReason.Unauthenticated);
            Close("frame before the handshake completed");
            return false;
        }
        if (header.Flags == EngineHeader.OffloadFlag && header.Type == EngineMessageType.Data) AppendOffloaded(ref batch, ref bytes, body, TagOf(header.Port));
        else if (header.Flags != 0 || body.IsEmpty) Context.Counters.AddDrop(DropReason.Malformed);
        // Whether an injected frame fits is for the router to judge: it knows the port it names.
        else if (header.Type == EngineMessageType.Inject) Append(ref batch, ref bytes, body, TagOf(header.Port), ControllerNote.Inject);
        else if (body.Length > Context.Mtu) Context.Counters.AddDrop(DropReason.TooBig);
        else Append(ref batch, ref bytes, body, TagOf(header.Port));
        return true;
    }

    /// <summary>
    /// A frame with its offload header (a super-frame, or a partial checksum), which this side
    /// offered to take. The header is checked against the packet like a device's, never trusted.
    /// </summary>
    private void AppendOffloaded(ref FrameBatch? batch, ref long bytes, Span<byte> body, int tag)
    {
        if (!Context.OffersOffloads || !VirtioNetHeader.TryParse(body, out var offload)
            || offload.Validate(body[VirtioNetHeader.Length..], out var layout) != VirtioHeaderCheck.Valid)
        {
            Context.Counters.AddDrop(DropReason.Malformed);
            return;
        }
        var packet = body[VirtioNetHeader.Length..];
        if (packet.Length > Context.Pool.MaxFrameLength)
        {
            Context.Counters.AddDrop(DropReason.TooBig);
            return;
        }
        if (Append(ref batch, ref bytes, packet, tag)) batch!.Offload(batch.Count - 1) = layout;
    }
}
