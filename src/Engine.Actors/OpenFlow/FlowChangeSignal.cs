using Akka.Actor;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// Tells the switch that its flows changed, once until the switch takes the news
/// (<see cref="Take"/>, just before it compiles the table): FLOW_MODs that come faster than the
/// switch compiles the whole table are compiled together, so a burst of new flows costs one
/// compile, not one per flow. Any thread may raise it.
/// </summary>
internal sealed class FlowChangeSignal(IActorRef owner)
{
    private int _pending;

    public void Raise()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0) owner.Tell(FlowsChanged.Instance);
    }

    /// <summary>The switch is about to read the table: a change from now on is news again.</summary>
    public void Take() => Interlocked.Exchange(ref _pending, 0);
}
