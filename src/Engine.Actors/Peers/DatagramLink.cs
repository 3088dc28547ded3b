using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Peers.Framing;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Interop;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// A peer link over one UDP socket, one packet (datagram framing) or one engine message per
/// datagram. A batch goes out in one sendmmsg and comes in with one recvmmsg straight into
/// pooled frame buffers, without a copy. With a <c>connect</c> address the socket is connected,
/// so the kernel accepts datagrams from that address only; a listen-only link learns its peer
/// from the first datagram an allowed source sends (for the engine framing, a HELLO), and
/// follows it if it moves.
/// </summary>
internal sealed unsafe class DatagramLink : PeerLink
{
    private readonly DatagramVectors _vectors;
    private readonly AllowList _allow;
    private readonly bool _connected;
    private readonly byte[] _remote = new byte[128];
    private int _remoteLength;

    public DatagramLink(NativeSocket socket, PeerLinkContext context, bool connected, AllowList allow)
        : base(socket, context, connected ? context.Spec.Connect!.ToString()! : "(not heard from yet)")
    {
        _vectors = new DatagramVectors(context.Pool.BatchCapacity);
        _connected = connected;
        _allow = allow;
    }

    public override bool IsUp => base.IsUp && (_connected || _remoteLength > 0);

    protected override bool ResendsHello => _connected || _remoteLength > 0;

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
        if (!_connected && _remoteLength == 0)
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
            var length = batch.Frame(i).Length;
            bytes += length - header;
            _vectors.Set(i, PeerLinkAddress.Of(batch, i), length);
            _vectors.SetDestination(i, _connected ? default : _remote.AsSpan(0, _remoteLength));
        }

        var sent = 0;
        try
        {
            while (sent < count)
            {
                var n = Socket.SendBatch(_vectors, sent, count - sent);
                if (n == NativeSocket.WouldBlock) break;
                sent += n;
            }
        }
        catch (NativeException e) when (e.Errno is Errno.ECONNREFUSED or Errno.ENETUNREACH or Errno.EHOSTUNREACH)
        {
            // The peer's port is closed (an ICMP error came back): it is away, the socket is fine.
        }
        if (sent > 0) NoteSent();
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
        long bytes = 0;
        try
        {
            var room = batch.Capacity;
            for (var k = 0; k < room; k++)
                _vectors.Set(k, PeerLinkAddress.OfBuffer(batch, k) + FrameBatch.Headroom, Context.Pool.MaxFrameLength);
            var n = Socket.ReceiveBatch(_vectors, room);
            if (n > 0) NoteReceived();
            for (var k = 0; k < n; k++) bytes += Accept(batch, k);
        }
        catch (NativeException e) when (e.Errno is Errno.ECONNREFUSED or Errno.ENETUNREACH or Errno.EHOSTUNREACH)
        {
            // An ICMP error for an earlier send: nothing to read this time.
        }
        catch (NativeException e)
        {
            batch.Release();
            Close(e.Message);
            return;
        }
        Deliver(batch, bytes);
    }

    /// <summary>Keeps datagram <paramref name="slot"/> as a frame when it is one; returns its packet bytes.</summary>
    private int Accept(FrameBatch batch, int slot)
    {
        var length = _vectors.ReceivedLength(slot);
        if (_vectors.Truncated(slot) || length > Context.Mtu + (Session is null ? 0 : EngineHeader.Size))
        {
            Context.Counters.AddDrop(DropReason.TooBig);
            return 0;
        }
        var datagram = batch.Buffer(slot).AsSpan(FrameBatch.Headroom, length);
        var fromPeer = _connected || IsFromRemote(_vectors.Source(slot));

        if (Session is null)
        {
            if (!fromPeer && !Adopt(_vectors.Source(slot))) return 0;
            if (length == 0)
            {
                Context.Counters.AddDrop(DropReason.Malformed);
                return 0;
            }
            batch.CommitSlot(slot, FrameBatch.Headroom, length, -1);
            return length;
        }

        if (!EngineHeader.TryRead(datagram, out var header) || header.MessageLength != length || header.IsTooLong)
        {
            Context.Counters.AddDrop(DropReason.Malformed);
            return 0;
        }
        if (!fromPeer && (header.Type != EngineMessageType.Hello || !Adopt(_vectors.Source(slot))))
        {
            Context.Counters.AddDrop(DropReason.Unauthenticated);
            return 0;
        }
        var body = datagram.Slice(EngineHeader.Size, (int)header.BodyLength);
        if (header.Type != EngineMessageType.Data)
        {
            OnControl(header, body);
            return 0;
        }
        if (!Session.IsUp)
        {
            Context.Counters.AddDrop(DropReason.Unauthenticated);
            return 0;
        }
        if (header.Flags != 0 || body.IsEmpty)
        {
            Context.Counters.AddDrop(DropReason.Malformed);
            return 0;
        }
        batch.CommitSlot(slot, FrameBatch.Headroom + EngineHeader.Size, body.Length, TagOf(header.Port));
        return body.Length;
    }

    private bool IsFromRemote(ReadOnlySpan<byte> source) =>
        _remoteLength > 0 && source.SequenceEqual(_remote.AsSpan(0, _remoteLength));

    /// <summary>A new source becomes the peer if the allowlist lets it; returns whether it did.</summary>
    private bool Adopt(ReadOnlySpan<byte> source)
    {
        if (!_allow.Permits(source) || source.Length > _remote.Length)
        {
            Context.Counters.AddDrop(DropReason.Unauthenticated);
            return false;
        }
        source.CopyTo(_remote);
        _remoteLength = source.Length;
        Remote = SocketAddressBytes.DecodeIp(source)?.ToString() ?? "?";
        if (Session is null) ReportUp();
        return true;
    }

    // No buffer to receive into: take the datagrams off the socket anyway, counted.
    private void Discard()
    {
        Span<byte> sink = stackalloc byte[1];
        var n = 0;
        while (n++ < Context.Pool.BatchCapacity && Socket.Receive(sink) >= 0)
            Context.Counters.AddDrop(DropReason.NoBuffer);
    }

    protected override void ReleaseQueued() => _vectors.Dispose();
}
