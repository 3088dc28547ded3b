using Engine.Actors.Buffers;
using Engine.Actors.Control;

namespace Engine.Actors.Peers;

/// <summary>
/// A peer's live link and, on a listener with the engine framing, the newer connection still in
/// its handshake that takes over once it comes up (<see cref="Promote"/>), so that a stranger who
/// connects cannot cut off a working link. Frames go only to the live link, and only while it is
/// up. Owned by the peer's actor, on the reactor's thread.
/// </summary>
internal sealed class PeerLinkSlot : IDisposable
{
    private const string Replaced = "replaced by a newer connection";

    public PeerLink? Live { get; private set; }

    public PeerLink? Candidate { get; private set; }

    /// <summary>Neither a live link nor a candidate: nothing to keep alive or check for a stall.</summary>
    public bool IsEmpty => Live is null && Candidate is null;

    /// <summary>The live link, open, and up.</summary>
    public bool IsUp => Live is { IsClosed: false, IsUp: true };

    public void Start(PeerLink link)
    {
        Live = link;
        link.Start();
    }

    /// <summary>Sends on the live link while it is up; false otherwise, and the batch is still the caller's.</summary>
    public bool TrySend(FrameBatch batch)
    {
        if (Live is not { IsUp: true } link) return false;
        link.Send(batch);
        return true;
    }

    /// <summary>Starts a newer connection beside the live link; an earlier candidate gives way to it.</summary>
    public void StartCandidate(PeerLink link)
    {
        Candidate?.Close(Replaced, tellOwner: false);
        Candidate = link;
        link.Start();
    }

    /// <summary>The candidate came up: the live link closes and the candidate takes its place.</summary>
    public void Promote()
    {
        Live?.Close(Replaced, tellOwner: false);
        Live = Candidate;
        Candidate = null;
    }

    /// <summary>The candidate closed before it came up.</summary>
    public void ForgetCandidate() => Candidate = null;

    /// <summary>Closes the live link for a newer connection; returns it, or null when there was none open.</summary>
    public PeerLink? CloseLive()
    {
        if (Live is not { IsClosed: false } old) return null;
        old.Close(Replaced, tellOwner: false);
        return old;
    }

    /// <summary>The live link went down: forgotten once closed (a UDP link that lost its peer stays, waiting for it).</summary>
    public void LiveDown(PeerLink link)
    {
        if (link.IsClosed) Live = null;
    }

    public void Tick()
    {
        Live?.Tick();
        Candidate?.Tick();
    }

    public void CheckStall()
    {
        Live?.CheckStall();
        Candidate?.CheckStall();
    }

    /// <summary>What the links say of the peer, or null when it has none.</summary>
    public PortState? State()
    {
        if (Live is { } link)
        {
            var heard = TimeSpan.FromMilliseconds(Environment.TickCount64 - link.LastReceived);
            return new PortState(link.IsUp ? "up" : link.IsClosed ? "down" : "handshake", link.Remote, heard);
        }
        return Candidate is { } candidate ? new PortState("handshake", candidate.Remote) : null;
    }

    public void Dispose()
    {
        Live?.Dispose();
        Candidate?.Dispose();
        Live = null;
        Candidate = null;
    }
}
