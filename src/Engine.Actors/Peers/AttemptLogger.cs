using Akka.Actor;
using Akka.Event;

namespace Engine.Actors.Peers;

/// <summary>
/// An actor's lines about attempts (connections refused, links and connections coming and going,
/// routes made inactive) through an <see cref="AttemptLog"/>: a few a second, then one line a window
/// later that counts the ones held back. Every template begins with the holes of the actor's
/// <paramref name="subject"/> ("peer {Peer}: ..."), which each line fills in first. Used from the
/// actor's own message handling only, as its timers are.
/// </summary>
/// <param name="heldTemplate">The count's line: the subject's holes, then {Count} and {Seconds}.</param>
internal sealed class AttemptLogger(ILoggingAdapter log, string heldTemplate, params object[] subject)
{
    /// <summary>The window's admissions, shared with what admits lines on the actor's behalf (a UDP link's refusals).</summary>
    public AttemptLog Attempts { get; } = new();

    /// <summary>Logs a line, unless too many came within the window; the first one held back sets up the count's line.</summary>
    public void Write(ITimerScheduler timers, bool warning, string template, params object[] args)
    {
        if (Attempts.Admit(Environment.TickCount64, out var firstHeld))
        {
            object[] values = [.. subject, .. args];
            if (warning) log.Warning(template, values);
            else log.Info(template, values);
        }
        else if (firstHeld)
            CountLater(timers);
    }

    /// <summary>Logs the count of the lines held back one window from now (also when a link held the first, <see cref="AttemptsHeld"/>).</summary>
    public void CountLater(ITimerScheduler timers) => timers.StartSingleTimer(TellHeld.Instance, TellHeld.Instance, AttemptLog.Window);

    /// <summary>Logs the count when the timer of <see cref="CountLater"/> fires; false for any other message.</summary>
    public bool Handle(object message)
    {
        if (message is not TellHeld) return false;
        log.Warning(heldTemplate, [.. subject, Attempts.TakeHeld(), AttemptLog.Window.TotalSeconds]);
        return true;
    }

    private sealed class TellHeld
    {
        public static readonly TellHeld Instance = new();
    }
}
