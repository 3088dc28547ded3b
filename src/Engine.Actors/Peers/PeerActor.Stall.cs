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

    /// <summary>From when a link starts until a check finds none.</summary>
    private void StartStallChecks()
    {
        // A UDP link queues nothing: what the socket refuses is dropped at once.
        if (_spec.Transport == PeerTransport.Udp || Timers.IsTimerActive("stall")) return;
        // On a grid, as the ticks are: the links of one stall-timeout are checked in one wake-up.
        var period = TimeSpan.FromTicks(_spec.StallTimeout.Ticks / StallChecksPerTimeout);
        Timers.StartPeriodicTimer("stall", CheckStall.Instance, UntilGrid(period), period);
    }

    private void OnCheckStall()
    {
        // Checked while there is a link; a listener waiting for one has no queue to stall.
        if (_link is null && _candidate is null) Timers.Cancel("stall");
        _link?.CheckStall();
        _candidate?.CheckStall();
    }

    private sealed class CheckStall
    {
        public static readonly CheckStall Instance = new();
    }
}
