using System.Diagnostics;
using Akka.Actor;
using Engine.Actors.Topology;

namespace Engine.Actors.Peers;

/// <summary>
/// The timers of a peer's links, running from the moment a link starts until one finds none:
/// keepalives and the dead-peer check (engine framing), and the stall check of a stream link,
/// whose send queue moving no byte for the peer's stall-timeout closes it
/// (<see cref="PeerLink.CheckStall"/>), so a peer that stopped reading gives its share of the pool
/// back. Both fall on multiples of their period on the machine's monotonic clock, so every
/// peer of one period, in this engine and in the others on the machine, ticks in one wake-up.
/// </summary>
internal sealed class PeerLinkTimers(PeerSpec spec)
{
    // A stalled link is closed within a quarter of its stall-timeout after it passed.
    private const int StallChecksPerTimeout = 4;

    public void Start(ITimerScheduler timers)
    {
        if (spec.Framing == PeerFraming.Engine && !timers.IsTimerActive("tick"))
        {
            var period = TimeSpan.FromTicks(spec.Keepalive.Ticks / 2);
            timers.StartPeriodicTimer("tick", Tick.Instance, UntilGrid(period), period);
        }
        // A UDP link queues nothing: what the socket refuses is dropped at once.
        if (spec.Transport != PeerTransport.Udp && !timers.IsTimerActive("stall"))
        {
            var period = TimeSpan.FromTicks(spec.StallTimeout.Ticks / StallChecksPerTimeout);
            timers.StartPeriodicTimer("stall", CheckStall.Instance, UntilGrid(period), period);
        }
    }

    /// <summary>Runs a tick or a stall check on <paramref name="links"/>; false for any other message.</summary>
    public static bool Handle(object message, ITimerScheduler timers, PeerLinkSlot links)
    {
        switch (message)
        {
            case Tick when links.IsEmpty:
                timers.Cancel("tick"); // a listener waiting for a connection has nothing to keep alive
                return true;
            case Tick:
                links.Tick();
                return true;
            case CheckStall when links.IsEmpty:
                timers.Cancel("stall"); // nor a queue to stall
                return true;
            case CheckStall:
                links.CheckStall();
                return true;
            default:
                return false;
        }
    }

    /// <summary>The time to the next multiple of <paramref name="period"/> on CLOCK_MONOTONIC, which every process shares.</summary>
    private static TimeSpan UntilGrid(TimeSpan period) => TimeSpan.FromTicks(period.Ticks - Stopwatch.GetElapsedTime(0).Ticks % period.Ticks);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    private sealed class CheckStall
    {
        public static readonly CheckStall Instance = new();
    }
}
