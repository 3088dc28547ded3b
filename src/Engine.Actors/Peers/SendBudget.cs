using Engine.Actors.Buffers;
using Engine.Actors.Topology;

namespace Engine.Actors.Peers;

/// <summary>
/// How much of the shared frame pool one peer's send queue may hold, in bytes of buffers (a
/// queued batch holds all its buffers, however few frames it has). Every port reads into
/// and forwards from the same pool, so a peer that stops reading must not be able to empty it:
/// the peers' send queues together may hold at most half the pool, split evenly among them,
/// and each no more than its <c>send-queue</c> buffers. A queue may always hold one batch, so
/// that a burst the socket refused goes out when it is writable again.
/// </summary>
internal static class SendBudget
{
    /// <summary>The pool is split into this many parts; the peers together get one.</summary>
    public const int PoolParts = 2;

    public static long Bytes(PeerSpec spec, FrameBatchPool pool, int peerCount)
    {
        var share = pool.MaxBytes / PoolParts / Math.Max(1, peerCount);
        var configured = (long)spec.SendQueue * pool.BufferSize;
        return Math.Max(pool.BatchBytes, Math.Min(share, configured));
    }
}
