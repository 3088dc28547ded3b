using Akka.Actor;
using Engine.Actors.Devices;

namespace Engine.Actors.Lab;

/// <summary>
/// How the lab supervises its devices and peers: a child that cannot start stops (the lab cannot
/// run as declared), any other failure restarts it. A device whose fd failed is an expected,
/// handled event that the restarted device logs itself, in one line, so it gets no stack trace
/// here; anything else is a bug and keeps Akka's error line with its stack trace.
/// </summary>
internal sealed class LabSupervision() : OneForOneStrategy(maxNrOfRetries: -1, withinTimeRange: Timeout.InfiniteTimeSpan, localOnlyDecider: Decide)
{
    protected override void LogFailure(IActorContext context, IActorRef child, Exception cause, Directive directive)
    {
        if (cause is DeviceFailedException) return;
        base.LogFailure(context, child, cause, directive);
    }

    private static Directive Decide(Exception cause) => cause is ActorInitializationException ? Directive.Stop : Directive.Restart;
}
