using Akka.Actor;
using Akka.Event;

namespace Engine.Actors.Lab;

/// <summary>How a reload ended: counted in the lab's source, logged in one structured line, and answered to whoever asked (SIGHUP: no one).</summary>
internal sealed class ReloadOutcome(LabSource? source, ILoggingAdapter log, IActorRef deadLetters)
{
    public void Done(PendingReload reload)
    {
        source!.Reloads++;
        var diff = reload.Diff;
        log.Info("reloaded {Config}: devices {Devices}, peers {Peers}, routes {Routes}, switches {Switches}, wires {Wires}; {NotUp} new ports not up yet", [source.Path,
            ReloadText.Of(diff.Devices), ReloadText.Of(diff.Peers), ReloadText.Of(diff.Routes), ReloadText.Of(diff.Switches), ReloadText.Of(diff.Wires), reload.Starting.Count]);
        Answer(reload.Requester, ReloadAnswer.Done(diff, [.. reload.Starting.Values]));
    }

    /// <summary>Nothing changed: a bad file, a change the running lab cannot take, or no reload possible now.</summary>
    public void Refused(IActorRef requester, ReloadAnswer answer)
    {
        if (source is not null) source.FailedReloads++;
        log.Warning("reload of {Config} refused, nothing changed: {Errors}", source?.Path ?? "(no file)", string.Join("; ", answer.Errors));
        Answer(requester, answer);
    }

    private void Answer(IActorRef requester, ReloadAnswer answer)
    {
        if (!requester.Equals(deadLetters)) requester.Tell(answer);
    }
}
