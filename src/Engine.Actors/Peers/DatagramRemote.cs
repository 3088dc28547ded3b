using Akka.Actor;
using Engine.Actors.Counters;
using Engine.Actors.Peers.Framing;
using Engine.Actors.Topology;

namespace Engine.Actors.Peers;

/// <summary>
/// Who a datagram link's peer is, and what a datagram from another source may do about it. A
/// listen-only link takes its peer from the first allowed source and keeps it: with a key,
/// another source (or a new handshake from the peer's own address while its session is up)
/// runs its handshake as a <see cref="DatagramCandidate"/> and takes over only once that
/// completes; without one, another source takes over only once the peer has been silent for
/// the dead-peer time. Anything else from a stranger is dropped, counted, and logged as the
/// owner's <see cref="AttemptLog"/> allows. A connected link's peer is its socket's. Runs on
/// the link's thread; a datagram that changes nothing allocates nothing.
/// </summary>
internal sealed class DatagramRemote(PeerLink link, PeerLinkContext context, AllowList allow, AttemptLog attempts, bool connected)
{
    private readonly bool _keyed = context.Spec.Key is not null && context.Spec.Framing == PeerFraming.Engine;

    /// <summary>The peer's address; unused (never known) on a connected link.</summary>
    public DatagramAddress Peer { get; } = new();

    /// <summary>The newcomer doing its handshake, if any.</summary>
    public DatagramCandidate? Candidate { get; private set; }

    public bool IsKnown => connected || Peer.IsKnown;

    public bool IsPeer(ReadOnlySpan<byte> source) => connected || Peer.Is(source);

    /// <summary>Whose session an engine message from <paramref name="source"/> is for; a stranger's is dropped here, counted.</summary>
    public DatagramSender Classify(EngineHeader header, ReadOnlySpan<byte> body, ReadOnlySpan<byte> source, long now, EngineSession session,
        Func<EngineSession> newSession)
    {
        var fromPeer = IsPeer(source);
        if (Candidate is { } candidate && candidate.Address.Is(source)
            && (!fromPeer || header.Type == EngineMessageType.Auth || header.Type == EngineMessageType.Hello && !session.IsRepeatedHello(body)))
            return DatagramSender.Candidate;
        if (fromPeer)
        {
            // The peer's own address starts a new handshake while its session is up: with a key,
            // the session stays until the new one is proved, as a forged HELLO proves nothing.
            if (!_keyed || header.Type != EngineMessageType.Hello || !session.IsUp || session.IsRepeatedHello(body)) return DatagramSender.Peer;
            Candidate = new DatagramCandidate(newSession(), source, now);
            return DatagramSender.Candidate;
        }
        if (header.Type != EngineMessageType.Hello) return Refuse(source, now, RefusalReason.NotHello);
        if (!Peer.IsKnown || !_keyed) return TryMove(source, now) ? DatagramSender.Peer : DatagramSender.Refused;
        if (!allow.Permits(source) || !DatagramAddress.Fits(source)) return Refuse(source, now, RefusalReason.NotAllowed);
        Candidate = new DatagramCandidate(newSession(), source, now);
        return DatagramSender.Candidate;
    }

    /// <summary>
    /// A source other than the peer becomes the peer, if the allowlist lets it and the link has
    /// no peer yet or its peer has been silent for the dead-peer time; returns whether it did (a
    /// refusal is counted).
    /// </summary>
    public bool TryMove(ReadOnlySpan<byte> source, long now)
    {
        var refusal = !allow.Permits(source) || !DatagramAddress.Fits(source) ? RefusalReason.NotAllowed
            : Peer.IsKnown && !Peer.IsSilent(now, context.Spec.DeadPeerTimeout) ? RefusalReason.PeerAlive
            : (RefusalReason?)null;
        if (refusal is { } reason)
        {
            Refuse(source, now, reason);
            return false;
        }
        var from = Peer.ToString();
        var why = Peer.IsKnown ? $"{from} silent for {context.Spec.DeadPeerTimeout.TotalSeconds:0.#} s" : "first datagram from an allowed source";
        Peer.Set(source, now);
        context.Owner.Tell(new LinkMoved(link, from, Peer.ToString(), why));
        return true;
    }

    /// <summary>The candidate completed its handshake: its address is the peer's from now on.</summary>
    public DatagramCandidate Promote(long now)
    {
        var candidate = Candidate!;
        Candidate = null;
        if (!connected) Peer.Set(candidate.Address.Bytes, now);
        return candidate;
    }

    /// <summary>The candidate broke off or was refused (<paramref name="reason"/>, counted and logged).</summary>
    public void Drop(long now, string? reason)
    {
        var candidate = Candidate!;
        Candidate = null;
        if (reason is null) return;
        context.Counters.AddDrop(DropReason.Unauthenticated);
        if (attempts.Admit(now, out var firstHeld)) context.Owner.Tell(new DatagramRefused(candidate.Address.ToString(), reason));
        else if (firstHeld) context.Owner.Tell(AttemptsHeld.Instance);
    }

    /// <summary>A newcomer that has not completed its handshake within the dead-peer time is forgotten.</summary>
    public void Expire(long now)
    {
        if (Candidate is { } candidate && now - candidate.Started >= (long)context.Spec.DeadPeerTimeout.TotalMilliseconds) Candidate = null;
    }

    private enum RefusalReason
    {
        NotAllowed,
        NotHello,
        PeerAlive,
    }

    /// <summary>Drops a datagram from a stranger, counted, with a log line when the attempt log admits one.</summary>
    private DatagramSender Refuse(ReadOnlySpan<byte> source, long now, RefusalReason reason)
    {
        context.Counters.AddDrop(DropReason.Unauthenticated);
        var from = attempts.Admit(now, out var firstHeld) ? DatagramAddress.Describe(source) : null;
        if (from is not null)
            context.Owner.Tell(new DatagramRefused(from, reason switch
            {
                RefusalReason.NotAllowed => "source not in the allowlist",
                RefusalReason.NotHello => "not the peer, and not a HELLO",
                _ => $"the link's peer is {Peer}, heard from {now - Peer.LastHeard} ms ago",
            }));
        else if (firstHeld)
            context.Owner.Tell(AttemptsHeld.Instance);
        return DatagramSender.Refused;
    }
}

/// <summary>Whose a datagram is: the peer's, the newcomer's in its handshake, or nobody's (dropped, counted).</summary>
internal enum DatagramSender
{
    Peer,
    Candidate,
    Refused,
}

/// <summary>A datagram link changed the address it talks to, and why.</summary>
internal sealed record LinkMoved(PeerLink Link, string From, string To, string Why);

/// <summary>A datagram from a source that is not the link's peer was dropped (counted); the link admitted a log line for it.</summary>
internal sealed record DatagramRefused(string Source, string Reason);

/// <summary>A datagram link held back the log line for a refused datagram: the owner tells the count later.</summary>
internal sealed class AttemptsHeld
{
    public static readonly AttemptsHeld Instance = new();
}
