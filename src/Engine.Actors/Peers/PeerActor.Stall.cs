using Engine.Actors.Topology;

namespace Engine.Actors.Peers;

/// <summary>
/// The stall check of a stream peer: a link whose send queue has moved no byte for the peer's
/// stall-timeout is closed (<see cref="PeerLink.CheckStall"/>), so a peer that stopped reading
/// gives its share of the pool back.
/// </summary>
public sealed partial class PeerActor
{
    // A stalled link is closed within a quarter of its stall-timeout after it passed.
    private const int StallChecksPerTimeout = 4;

    private void StartStallChecks()
    {
        // A UDP link queues nothing: what the socket refuses is dropped at once.
        if (_spec.Transport == PeerTransport.Udp) return;
        Timers.StartPeriodicTimer("stall", CheckStall.Instance, TimeSpan.FromTicks(_spec.StallTimeout.Ticks / StallChecksPerTimeout));
    }

    private void OnCheckStall()
    {
        _link?.CheckStall();
        _candidate?.CheckStall();
    }

    private sealed class CheckStall
    {
        public static readonly CheckStall Instance = new();
    }
}
