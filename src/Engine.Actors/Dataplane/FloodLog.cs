using Akka.Event;
using Engine.Native.Reactor;

namespace Engine.Actors.Dataplane;

/// <summary>Logs when a reactor thread steps back for a flood of small frames, and when it steps forward again.</summary>
public static class FloodLog
{
    /// <summary>Logs <paramref name="reactor"/>'s flood changes to <paramref name="log"/>, and a backoff it had to turn off at start.</summary>
    public static void Attach(Reactor reactor, ILoggingAdapter log)
    {
        var flood = reactor.Flood;
        if (flood.DisabledBecause is { } why)
            log.Warning("{Thread} keeps nice {Nice} during floods of small frames: {Reason}", reactor.Name, flood.Nice, why);
        // Raised on the reactor thread, only when the state changes: the log line's allocation is not per frame.
        flood.Changed += change =>
        {
            if (change.Flooding)
                log.Info("flood of small frames on {Thread} ({FramesPerSecond} frames/s, {MeanBytes} bytes each, {MeanBatch:F0} per read): at nice {Nice} until it ends, behind the lab's applications",
                    reactor.Name, change.FramesPerSecond, change.MeanFrameBytes, change.MeanBatch, change.Nice);
            else
                log.Info("flood on {Thread} over: back at nice {Nice}", reactor.Name, change.Nice);
        };
        flood.Refused += reason =>
            log.Warning("{Thread} keeps nice {Nice} during floods of small frames from now on: {Reason}", reactor.Name, flood.Nice, reason);
    }
}
