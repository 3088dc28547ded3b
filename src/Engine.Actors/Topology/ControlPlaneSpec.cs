namespace Engine.Actors.Topology;

/// <summary>
/// The lab's control-plane namespace (<c>engine.control-plane</c>): where a routing daemon runs
/// as the router itself, each routed port mirrored there by an interface of the port's name
/// (<see cref="ControlPlanePlan"/>).
/// </summary>
/// <param name="Namespace">Created when missing and deleted at stop if the engine created it, like a lab host's.</param>
public sealed record ControlPlaneSpec(string Namespace);
