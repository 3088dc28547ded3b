using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Peers.Framing;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// A peer link over one UDP socket, one packet (datagram framing) or one engine message per
/// datagram. A batch goes out in one sendmmsg and comes in with one recvmmsg straight into
/// pooled frame buffers, without a copy (<see cref="DatagramReceiver"/>). With a <c>connect</c> address the socket is connected,
/// so the kernel accepts datagrams from that address only; a listen-only link learns its peer
/// from the first allowed source and keeps it as <see cref="DatagramRemote"/> says.
///
/// Where the kernel has them, a run of same-size datagrams goes out as one UDP_SEGMENT send
/// (<see cref="SegmentedSender"/>) and comes in merged (UDP_GRO), so it crosses each stack
/// once: a super-frame cut into segments for this link travels almost as it would whole.
/// Merged datagrams are copied out into frames, one copy each, as a stream link does.
/// </summary>
internal sealed class DatagramLink : PeerLink
{
    private readonly DatagramReceiver _receiver;
    private readonly SegmentedSender _sender;
    private readonly bool _connected;
    private readonly DatagramRemote _remote;
    private readonly byte[] _candidateReplies = new byte[512];

    /// <param name="attempts">The owner's log limit, shared: this link runs on the owner's thread.</param>
    public DatagramLink(NativeSocket socket, PeerLinkContext context, bool connected, AllowList allow, AttemptLog attempts)
        : base(socket, context, connected ? context.Spec.Connect!.ToString()! : "(not heard from yet)")
    {
        _remote = new DatagramRemote(this, context, allow, attempts, connected);
        _receiver = new DatagramReceiver(socket, context.Pool);
        _sender = new SegmentedSender(socket, context.Pool.BatchCapacity, what => context.Owner.Tell(new LinkNotice(this, what)));
        _connected = connected;
        if (connected) _sender.FitPath();
    }

    public override string Batching => (_sender.Segmenting, _receiver.Merging) switch
    {
        (true, true) => ", segmented sends, merged receives",
        (true, false) => ", segmented sends",
        (false, true) => ", merged receives",
        _ => "",
    };

    // A listen-only link's peer is whoever it adopted last; decoded only when a log line asks.
    protected override string Address => _connected || !_remote.IsKnown ? base.Address : _remote.Peer.ToString();

    public override bool IsUp => base.IsUp && _remote.IsKnown;

    protected override bool ResendsHello => _remote.IsKnown;

    // A datagram socket has nothing to close when the peer goes quiet: start the handshake over.
    protected override void PeerSilent(string reason)
    {
        ResetSession(reason);
        NoteReceived();
    }

    // An ended session leaves the socket open: the next HELLO may come from a peer that has the key.
    protected override void Ended(string reason) => ResetSession(reason);

    public override void Send(FrameBatch batch)
    {
        if (!_remote.IsKnown)
        {
            Context.Counters.AddDrop(DropReason.PortDown, batch.IsFramed ? 0 : batch.Count);
            batch.Release();
            return;
        }
        var count = batch.Count;
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            var header = batch.IsFramed ? 0 : Frame(batch, i);
            bytes += batch.Frame(i).Length - header;
        }

        var sent = _sender.Send(batch, _connected ? default : _remote.Peer.Bytes);
        if (sent > 0) NoteSent();
        if (sent > 0 && !batch.IsFramed) Context.Counters.Transit.Record(batch.ReadAt);
        if (!batch.IsFramed)
        {
            if (sent == count) Context.Counters.AddTx(count, bytes);
            else
            {
                Context.Counters.AddTx(sent, 0);
                Context.Counters.AddDrop(DropReason.EgressRefused, count - sent);
            }
        }
        batch.Release();
    }

    public override void OnReadable()
    {
        if (IsClosed) return;
        if (!Context.Pool.TryRent(out var batch))
        {
            Discard();
            return;
        }
        if (_receiver.Merging) ReceiveMerged(batch);
        else ReceiveInPlace(batch);
    }

    // One datagram per message, straight into the frame buffers: no copy.
    private void ReceiveInPlace(FrameBatch batch)
    {
        var n = Receive(batch);
        var now = Environment.TickCount64;
        long bytes = 0;
        for (var k = 0; k < n; k++)
        {
            if (!TryTake(_receiver.Received(batch, k), _receiver.Source(k), _receiver.Truncated(k), now, out var start, out var length, out var tag, out var note))
                continue;
            batch.CommitSlot(k, FrameBatch.Headroom + start, length, tag, note);
            bytes += length;
        }
        if (n < 0) batch.Release();
        else Deliver(batch, bytes);
    }

    // A message may hold a run of datagrams (UDP_GRO): each is cut out and copied into a frame of
    // its own, in the order they came.
    private void ReceiveMerged(FrameBatch messages)
    {
        var n = Receive(messages);
        FrameBatch? frames = null;
        var now = Environment.TickCount64;
        long bytes = 0;
        for (var k = 0; k < n && !IsClosed; k++)
        {
            var message = _receiver.Received(messages, k);
            var size = _receiver.SegmentSize(k, message.Length);
            for (var offset = 0; offset == 0 || offset < message.Length; offset += size)
            {
                var datagram = message.Slice(offset, Math.Min(size, message.Length - offset));
                if (TryTake(datagram, _receiver.Source(k), _receiver.Truncated(k), now, out var start, out var length, out var tag, out var note))
                    Append(ref frames, ref bytes, datagram.Slice(start, length), tag, note);
            }
        }
        messages.Release();
        if (frames is not null) Deliver(frames, bytes);
    }

    /// <summary>Receives a batch of messages; -1 when the socket failed and the link closed.</summary>
    private int Receive(FrameBatch batch)
    {
        try
        {
            return _receiver.Receive(batch);
        }
        catch (NativeException e)
        {
            Close(e.Message);
            return -1;
        }
    }

    /// <summary><see cref="Check"/>, where a fault while taking the datagram in costs that datagram alone.</summary>
    private bool TryTake(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> source, bool truncated, long now, out int start, out int length, out int tag, out int note)
    {
        try
        {
            return Check(datagram, source, truncated, now, out start, out length, out tag, out note);
        }
        catch (Exception fault) when (fault is not NativeException)
        {
            (start, length, tag, note) = (0, 0, -1, ControllerNote.None);
            Context.Faults.Record(fault, Context.Counters, Context.Spec.Name);
            return false;
        }
    }

    /// <summary>
    /// Checks one datagram from <paramref name="source"/>, acting on a control message; true
    /// when it carries a frame: the packet's <paramref name="start"/> and
    /// <paramref name="length"/> in it, the port <paramref name="tag"/> it keeps, and
    /// <paramref name="note"/>, which says an INJECT's frame leaves as it is.
    /// </summary>
    private bool Check(ReadOnlySpan<byte> datagram, ReadOnlySpan<byte> source, bool truncated, long now, out int start, out int length, out int tag, out int note)
    {
        (start, length, tag, note) = (0, 0, -1, ControllerNote.None);
        if (truncated || datagram.Length > Context.Mtu + (Session is null ? 0 : EngineHeader.Size))
        {
            Context.Counters.AddDrop(DropReason.TooBig);
            return false;
        }

        if (Session is null)
        {
            if (!_remote.IsPeer(source))
            {
                if (!_remote.TryMove(source, now)) return false;
                ReportUp();
            }
            Heard(now);
            if (datagram.IsEmpty)
            {
                Context.Counters.AddDrop(DropReason.Malformed);
                return false;
            }
            length = datagram.Length;
            return true;
        }

        if (!EngineHeader.TryRead(datagram, out var header) || header.MessageLength != datagram.Length || header.IsTooLong)
        {
            Context.Counters.AddDrop(DropReason.Malformed);
            return false;
        }
        var body = datagram.Slice(EngineHeader.Size, (int)header.BodyLength);
        var sender = _remote.Classify(header, body, source, now, Session, NewSession);
        if (sender == DatagramSender.Candidate) OnCandidate(header, body, now);
        if (sender != DatagramSender.Peer) return false;
        Heard(now);
        if (!IsFrame(header.Type))
        {
            OnControl(header, body);
            return false;
        }
        if (!Session.IsUp)
        {
            Context.Counters.AddDrop(DropReason.Unauthenticated);
            return false;
        }
        if (header.Flags != 0 || body.IsEmpty)
        {
            Context.Counters.AddDrop(DropReason.Malformed);
            return false;
        }
        note = header.Type == EngineMessageType.Inject ? ControllerNote.Inject : ControllerNote.None;
        (start, length, tag) = (EngineHeader.Size, body.Length, TagOf(header.Port));
        return true;
    }

    /// <summary>A datagram from the peer: the dead-peer clock and the peer's hold on the link start over.</summary>
    private void Heard(long now)
    {
        _remote.Peer.Heard(now);
        NoteReceived();
    }

    /// <summary>A message for the newcomer's handshake; it takes over once its AUTH checks out.</summary>
    private void OnCandidate(EngineHeader header, ReadOnlySpan<byte> body, long now)
    {
        var candidate = _remote.Candidate!;
        candidate.Address.Heard(now);
        if (header.Type == EngineMessageType.Data)
        {
            Context.Counters.AddDrop(DropReason.Unauthenticated);
            return;
        }
        // A repeated HELLO means ours was lost: it gets ours again with the AUTH. The newcomer is
        // sent nothing it did not ask for, so a forged source cannot be made a target of resends.
        var hello = header.Type == EngineMessageType.Hello && candidate.Session.IsRepeatedHello(body) ? candidate.Session.WriteHello(_candidateReplies) : 0;
        var step = candidate.Session.OnControl(header, body, _candidateReplies.AsSpan(hello), out var replyLength);
        SendTo(candidate.Address, _candidateReplies.AsSpan(0, hello + replyLength));
        switch (step.Kind)
        {
            case SessionStepKind.BecameUp:
                var from = Address;
                _remote.Promote(now);
                TakeOver(candidate.Session);
                Context.Owner.Tell(new LinkMoved(this, from, Address, "completed a new handshake"));
                break;
            case SessionStepKind.Refuse:
                SendTo(candidate.Address, _candidateReplies.AsSpan(0, EngineSession.WriteGoodbye(_candidateReplies, step.Reason!)));
                _remote.Drop(now, step.Reason);
                break;
            case SessionStepKind.Close:
                _remote.Drop(now, reason: null);
                break;
        }
    }

    protected override void Ticked(long now) => _remote.Expire(now);

    /// <summary>Sends control messages to <paramref name="address"/>, one per datagram.</summary>
    private void SendTo(DatagramAddress address, ReadOnlySpan<byte> messages)
    {
        while (EngineHeader.TryRead(messages, out var message))
        {
            if (IsClosed || !Context.Pool.TryRent(out var batch)) return;
            batch.TryAppendCopy(messages[..message.MessageLength]);
            batch.IsFramed = true;
            _sender.Send(batch, _connected ? default : address.Bytes);
            batch.Release();
            messages = messages[message.MessageLength..];
        }
    }

    // No buffer to receive into: the datagrams are taken off the socket anyway, and counted.
    private void Discard()
    {
        try
        {
            var datagrams = _receiver.Discard();
            if (datagrams > 0) Context.Counters.AddDrop(DropReason.NoBuffer, datagrams);
        }
        catch (NativeException e)
        {
            Close(e.Message);
        }
    }

    protected override void ReleaseQueued()
    {
        _receiver.Dispose();
        _sender.Dispose();
    }
}
