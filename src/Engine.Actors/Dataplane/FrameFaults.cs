using Akka.Event;
using Engine.Actors.Counters;
using Engine.Actors.Peers;

namespace Engine.Actors.Dataplane;

/// <summary>
/// What a fault while handling one frame costs: that frame, counted <c>malformed</c> on its
/// port, and a log line naming the exception, at most <see cref="AttemptLog.PerWindow"/> a
/// second so that a stream of such frames cannot flood the log. Never the batch, the link or
/// the actor: whatever escaped is a bug of the engine, and the next frame must not pay for it.
/// One per reading or forwarding site, on its thread.
/// </summary>
internal sealed class FrameFaults(ILoggingAdapter log, string site)
{
    private readonly AttemptLog _limit = new();

    public long Count { get; private set; }

    public void Record(Exception fault, PortCounters? counters, string? port)
    {
        Count++;
        counters?.AddDrop(DropReason.Malformed);
        if (!_limit.Admit(Environment.TickCount64, out _)) return;
        var held = _limit.TakeHeld();
        log.Error("{Site}: a frame from {Port} faulted ({Exception}: {Message}, at {Method}); dropped it as malformed{Held}",
            site, port ?? "no port", fault.GetType().Name, fault.Message, fault.TargetSite?.Name ?? "?",
            held == 0 ? "" : $" ({held} more since the last line)");
    }
}
