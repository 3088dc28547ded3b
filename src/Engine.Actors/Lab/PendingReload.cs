using Akka.Actor;
using Engine.Actors.Switching;
using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>
/// A reload under way in the lab actor, and who asked for it. Its steps: the router's table stops
/// leading to the ports being removed or recreated (<see cref="ReloadStep.Retiring"/>), their
/// actors stop (<see cref="ReloadStep.Stopping"/>), then the new ones start and the new table is
/// installed (<see cref="ReloadStep.Starting"/>); it answers once that table is in the router and
/// the new ports are up, or when waiting for them has lasted long enough.
/// </summary>
internal sealed class PendingReload(IActorRef requester, LabDiff diff, LabTopology next)
{
    public IActorRef Requester { get; } = requester;
    public LabDiff Diff { get; } = diff;
    public LabTopology Next { get; } = next;
    public ReloadStep Step { get; set; } = ReloadStep.Retiring;

    /// <summary>The actors of removed and changed ports, until each has stopped.</summary>
    public HashSet<IActorRef> Stopping { get; } = [];

    /// <summary>Those of them that are devices: told to retire (closing off the data-plane thread), not stopped outright.</summary>
    public HashSet<IActorRef> Devices { get; } = [];

    /// <summary>The ports started, by index, until each is up.</summary>
    public Dictionary<int, string> Starting { get; } = [];

    /// <summary>The switches the reload leaves as they are, by name: they go on with what they have learned.</summary>
    public IReadOnlyDictionary<string, L2Switch> KeptSwitches { get; init; } = new Dictionary<string, L2Switch>();

    /// <summary>The router forwards under the reloaded lab's table.</summary>
    public bool RoutesInstalled { get; set; }

    public bool IsDone => Step == ReloadStep.Starting && RoutesInstalled && Starting.Count == 0;
}

internal enum ReloadStep
{
    Retiring,
    Stopping,
    Starting,
}
