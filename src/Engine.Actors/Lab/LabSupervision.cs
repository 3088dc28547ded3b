using Akka.Actor;
using Akka.Event;
using Engine.Actors.Devices;
using Engine.Native;

namespace Engine.Actors.Lab;

/// <summary>
/// How the lab supervises its router, devices and peers (<see cref="Decide"/>). A device whose fd
/// failed is an expected, handled event that the restarted device logs itself, in one line, so
/// it gets nothing here; the kernel refusing a socket or a device (an address in use, a device
/// that cannot open) is expected too and gets one line without a stack trace; anything else is
/// a bug and keeps Akka's error line with its stack trace.
/// </summary>
internal sealed class LabSupervision() : OneForOneStrategy(maxNrOfRetries: -1, withinTimeRange: Timeout.InfiniteTimeSpan, localOnlyDecider: Decide)
{
    protected override void LogFailure(IActorContext context, IActorRef child, Exception cause, Directive directive)
    {
        if (cause is DeviceFailedException) return;
        if (ExpectedReason(cause) is not { } reason)
        {
            base.LogFailure(context, child, cause, directive);
            return;
        }
        var log = Logging.GetLogger(context.System, child.Path.ToString());
        if (directive == Directive.Stop) log.Error("{Actor} could not start: {Reason}", child.Path.Name, reason);
        else log.Warning("{Actor} failed: {Reason}; {Directive}", child.Path.Name, reason, directive.ToString().ToLowerInvariant());
    }

    /// <summary>The kernel's refusal behind <paramref name="cause"/>, an expected event; null for anything else.</summary>
    internal static string? ExpectedReason(Exception cause) => cause switch
    {
        NativeException or DeviceFailedException => cause.Message,
        ActorInitializationException { InnerException: NativeException or DeviceFailedException } => cause.InnerException.Message,
        _ => null,
    };

    /// <summary>What a failure of the router, a device or a peer does.</summary>
    internal static Directive Decide(Exception cause) => cause switch
    {
        // A device that cannot be opened at start means the lab as declared cannot run.
        ActorInitializationException => Directive.Stop,
        // A broken fd or socket: the new instance reopens it (after a backoff).
        DeviceFailedException or NativeException => Directive.Restart,
        // Anything else is a fault while handling one message: it costs that message, and the
        // actor goes on with its table, its link and its counters as they are.
        _ => Directive.Resume,
    };
}
