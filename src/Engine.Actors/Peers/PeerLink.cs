using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Peers.Framing;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Engine.Native.Reactor;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// One live socket of a peer: it turns the frames the router sends into the link's framing and
/// the bytes that arrive back into frames for the router. A stream link is one connection; a
/// datagram link is the peer's UDP socket. Runs on the reactor thread: the owning
/// <see cref="PeerActor"/> calls it there, and so does the reactor when the socket is ready.
/// It tells the owner when it comes up and when it goes down, and never throws for a peer's
/// misbehaviour: that closes the link (streams) or drops the datagram, counted.
/// </summary>
internal abstract unsafe class PeerLink : IReadinessHandler, IDisposable
{
    private const int ControlCapacity = 512;

    protected readonly PeerLinkContext Context;
    protected readonly NativeSocket Socket;
    private readonly byte[] _control = new byte[ControlCapacity];
    private ulong _registration;
    private bool _registered;
    private bool _reportedUp;
    private long _lastReceived;
    private long _lastSent;

    protected PeerLink(NativeSocket socket, PeerLinkContext context, string remote)
    {
        Socket = socket;
        Context = context;
        _address = remote;
        if (context.Spec.Framing == PeerFraming.Engine)
            Session = NewSession();
        _lastReceived = _lastSent = Environment.TickCount64;
    }

    private readonly string _address;
    private string? _peerName;

    /// <summary>Who is at the other end, for logs: an address, with the peer's name once it gave one.</summary>
    public string Remote => _peerName is null ? Address : $"{_peerName} at {Address}";

    /// <summary>The other end's address as the link knows it.</summary>
    protected virtual string Address => _address;

    /// <summary>The engine protocol's handshake state; null for the framings that have none.</summary>
    protected EngineSession? Session { get; private set; }

    public bool IsClosed { get; private set; }

    /// <summary>When the link last received anything (Environment.TickCount64), for status.</summary>
    public long LastReceived => _lastReceived;

    /// <summary>Frames may be sent: the handshake is done (or there is none) and the far end is known.</summary>
    public virtual bool IsUp => !IsClosed && (Session?.IsUp ?? true);

    public void Start()
    {
        _registration = Context.Reactor.Register(Socket.Handle, this);
        _registered = true;
        if (Session is not null) SayHello();
        else if (IsUp) ReportUp();
    }

    /// <summary>Sends (or queues) the frames of <paramref name="batch"/> and owns it from here on.</summary>
    public abstract void Send(FrameBatch batch);

    public abstract void OnReadable();

    public virtual void OnWritable() { }

    /// <summary>Runs on the owner's timer: keepalives, the dead-peer check, HELLO resends.</summary>
    public void Tick()
    {
        if (IsClosed || Session is null) return;
        var now = Environment.TickCount64;
        var spec = Context.Spec;
        Ticked(now);
        if (now - _lastReceived >= (long)spec.DeadPeerTimeout.TotalMilliseconds)
        {
            PeerSilent($"nothing heard for {spec.DeadPeerTimeout.TotalSeconds:0.#} s");
            return;
        }
        if (!Session.IsUp && ResendsHello) SayHello();
        // A link whose socket is backed up is not idle: a keepalive would only queue behind the rest.
        else if (!IsSendBacklogged && now - _lastSent >= (long)spec.Keepalive.TotalMilliseconds * 9 / 10)
            SendControl(_control.AsSpan(0, EngineSession.WriteKeepalive(_control)));
    }

    /// <summary>The owner's timer ran, before the link's own checks (a datagram link forgets a newcomer that did not finish).</summary>
    protected virtual void Ticked(long now) { }

    /// <summary>Runs on the owner's stall timer: a link whose queued frames have not moved for the peer's stall-timeout closes.</summary>
    public virtual void CheckStall() { }

    /// <summary>Frames are waiting for the socket to take them.</summary>
    protected virtual bool IsSendBacklogged => false;

    /// <summary>Datagram links say HELLO until answered: the first may be lost.</summary>
    protected virtual bool ResendsHello => false;

    /// <summary>The dead-peer timeout passed. A stream closes; a datagram link starts over.</summary>
    protected virtual void PeerSilent(string reason) => Close(reason);

    /// <summary>Closes the link and tells the owner (once), unless the owner asked for it.</summary>
    public void Close(string reason, bool tellOwner = true)
    {
        if (IsClosed) return;
        IsClosed = true;
        if (_registered) Context.Reactor.Unregister(Socket.Handle, _registration);
        _registered = false;
        ReleaseQueued();
        Socket.Dispose();
        if (tellOwner) Context.Owner.Tell(new LinkDown(this, reason));
    }

    public void Dispose() => Close("closed", tellOwner: false);

    /// <summary>Frames still waiting to be sent go back to the pool, counted as dropped.</summary>
    protected virtual void ReleaseQueued() { }

    protected void WatchWritable(bool writable)
    {
        if (_registered) Context.Reactor.WatchWritable(Socket.Handle, _registration, writable);
    }

    protected void NoteReceived() => _lastReceived = Environment.TickCount64;

    protected void NoteSent() => _lastSent = Environment.TickCount64;

    protected void ReportUp()
    {
        if (_reportedUp) return;
        _reportedUp = true;
        Context.Owner.Tell(new LinkUp(this, Remote));
        if (Session is not null && Context.AnnouncesPorts) AnnouncePorts();
    }

    protected void ReportDown(string reason)
    {
        if (!_reportedUp) return;
        _reportedUp = false;
        Context.Owner.Tell(new LinkDown(this, reason));
    }

    protected void ResetSession(string reason)
    {
        ReportDown(reason);
        Session = NewSession();
    }

    /// <summary>
    /// A session whose handshake completed elsewhere (a datagram link's newcomer) replaces the
    /// current one: the link is up with it, and a controller hears the port table again.
    /// </summary>
    protected void TakeOver(EngineSession session)
    {
        Session = session;
        _peerName = session.PeerName;
        if (!_reportedUp) ReportUp();
        else if (Context.AnnouncesPorts) AnnouncePorts();
    }

    protected EngineSession NewSession() =>
        new(Context.NodeName, Context.Spec.Key, answerNewHellos: Context.Spec.Transport == PeerTransport.Udp, Context.OffersOffloads);

    /// <summary>How the link batches beyond one frame per message, for its "up" line: ", super-frames", or nothing.</summary>
    public virtual string Batching => CarriesOffloads ? ", super-frames" : "";

    /// <summary>Super-frames and partial checksums may go over this link as they are (both ends said so).</summary>
    public bool CarriesOffloads => Context.OffersOffloads && Session is { PeerTakesOffloads: true };

    private void SayHello() => SendControl(_control.AsSpan(0, Session!.WriteHello(_control)));

    private void AnnouncePorts()
    {
        for (var port = 0; port < Context.PortNames.Count; port++)
            SendControl(_control.AsSpan(0, EngineSession.WritePort(_control, port, Context.PortNames[port], Context.EthernetPorts.Contains(port))));
    }

    /// <summary>
    /// Acts on a control message of the engine protocol. Returns false when the link was
    /// closed because of it (the caller stops parsing).
    /// </summary>
    protected bool OnControl(EngineHeader header, ReadOnlySpan<byte> body)
    {
        var step = Session!.OnControl(header, body, _control, out var replyLength);
        SendReplies(_control.AsSpan(0, replyLength));
        if (IsClosed) return false; // the reply found the socket broken
        switch (step.Kind)
        {
            case SessionStepKind.BecameUp:
                _peerName = Session.PeerName;
                ReportUp();
                return true;
            case SessionStepKind.WentDown:
                ReportDown("peer restarted its handshake");
                return true;
            case SessionStepKind.Refuse:
                SendControl(_control.AsSpan(0, EngineSession.WriteGoodbye(_control, step.Reason!)));
                Refused(step.Reason!);
                return false;
            case SessionStepKind.Close:
                Ended(step.Reason!);
                return false;
            default:
                return true;
        }
    }

    // A reply may be two messages (HELLO and AUTH); each goes on its own, which over UDP means its own datagram.
    private void SendReplies(ReadOnlySpan<byte> replies)
    {
        while (EngineHeader.TryRead(replies, out var reply))
        {
            SendControl(replies[..reply.MessageLength]);
            replies = replies[reply.MessageLength..];
        }
    }

    /// <summary>We ended the session: a protocol error or a failed authentication, which the owner logs as a refusal.</summary>
    protected void Refused(string reason)
    {
        Context.Owner.Tell(new LinkRefused(this, reason));
        Ended(reason);
    }

    /// <summary>The session is over (refused, or the peer said goodbye). A stream closes; a datagram link starts over.</summary>
    protected virtual void Ended(string reason) => Close(reason);

    /// <summary>Sends a complete control message, in order with the data frames.</summary>
    protected void SendControl(ReadOnlySpan<byte> message)
    {
        if (IsClosed || !Context.Pool.TryRent(out var batch)) return;
        batch.TryAppendCopy(message);
        batch.IsFramed = true;
        Send(batch);
    }

    /// <summary>Hands a batch of received frames to the router, counted.</summary>
    protected void Deliver(FrameBatch batch, long bytes) => IngressBatch.Deliver(batch, bytes, Context.Port, Context.Counters, Context.Router, Context.Reactor.Flood);

    /// <summary>
    /// Copies <paramref name="frame"/> into <paramref name="batch"/> with its port tag, delivering
    /// the batch first when it is full and renting one when there is none; false (counted) when
    /// the pool has none to give or the frame is larger than a buffer.
    /// </summary>
    protected bool Append(ref FrameBatch? batch, ref long bytes, ReadOnlySpan<byte> frame, int tag, int note = ControllerNote.None)
    {
        if (batch is { IsFull: true })
        {
            Deliver(batch, bytes);
            batch = null;
            bytes = 0;
        }
        if (batch is null && !Context.Pool.TryRent(out batch))
        {
            Context.Counters.AddDrop(DropReason.NoBuffer);
            return false;
        }
        if (!batch.TryAppendCopy(frame))
        {
            Context.Counters.AddDrop(DropReason.TooBig);
            return false;
        }
        batch.SetTag(batch.Count - 1, tag);
        batch.SetNote(batch.Count - 1, note);
        bytes += frame.Length;
        return true;
    }

    /// <summary>
    /// Whether a message of <paramref name="type"/> carries a frame on this link: DATA always, an
    /// INJECT from a controller; on other links an INJECT is a type they do not know, skipped.
    /// A frame with no body is malformed, counted by the router.
    /// </summary>
    protected bool IsFrame(EngineMessageType type) =>
        type == EngineMessageType.Data || (type == EngineMessageType.Inject && Context.Spec.Role == PeerRole.Controller);

    /// <summary>The port tag a received frame keeps.</summary>
    protected int TagOf(ushort wirePort) => Context.TakesTags && wirePort != EngineHeader.NoPort ? wirePort : -1;

    /// <summary>
    /// Puts the link's header in front of frame <paramref name="index"/>, in the headroom every
    /// frame buffer keeps, so header and packet go out as one piece. Returns the header length.
    /// </summary>
    protected int Frame(FrameBatch batch, int index) => LinkHeaders.Push(batch, index, Context.Spec.Framing, Context.TakesTags);
}
