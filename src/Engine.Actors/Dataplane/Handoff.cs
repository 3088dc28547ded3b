using Akka.Actor;

namespace Engine.Actors.Dataplane;

/// <summary>
/// Brings what blocking work opened off the reactor (a device's queues, a socket made in a
/// namespace) back to the data-plane actor that asked for it, as a <see cref="HandoffDone"/>.
/// The actor may stop or restart while the work runs: it then abandons the handoff, and whatever
/// the work opens is closed here instead of riding a message nobody takes (a dead letter would
/// leak its fds).
/// </summary>
internal sealed class Handoff<T> where T : class
{
    private readonly Action<T> _close;
    private readonly object _gate = new();
    private T? _result;
    private bool _abandoned;

    private Handoff(Action<T> close) => _close = close;

    /// <param name="work">Runs elsewhere; its result is the owner's once the owner takes it.</param>
    /// <param name="close">Closes a result the owner will never take.</param>
    public static Handoff<T> Start(Task<T> work, IActorRef owner, Action<T> close)
    {
        var handoff = new Handoff<T>(close);
        work.ContinueWith(done => handoff.Complete(done, owner), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return handoff;
    }

    /// <summary>What the work opened, once; null when it failed or was abandoned.</summary>
    public T? Take()
    {
        lock (_gate)
        {
            var result = _result;
            _result = null;
            return result;
        }
    }

    /// <summary>The owner is going: what the work opened, now or later, is closed.</summary>
    public void Abandon()
    {
        T? result;
        lock (_gate)
        {
            _abandoned = true;
            result = _result;
            _result = null;
        }
        if (result is not null) _close(result);
    }

    private void Complete(Task<T> done, IActorRef owner)
    {
        if (!done.IsCompletedSuccessfully)
        {
            owner.Tell(new HandoffDone(this, done.Exception?.InnerException ?? new OperationCanceledException()));
            return;
        }
        bool abandoned;
        lock (_gate)
        {
            abandoned = _abandoned;
            if (!abandoned) _result = done.Result;
        }
        if (abandoned) _close(done.Result);
        else owner.Tell(new HandoffDone(this, null));
    }
}

/// <summary>The work behind <see cref="Handoff{T}"/> ended; <paramref name="Failure"/> says why it opened nothing.</summary>
internal sealed record HandoffDone(object Handoff, Exception? Failure);
