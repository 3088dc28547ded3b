using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>Asks the lab actor for a <see cref="LabView"/>.</summary>
public sealed class GetLabView
{
    public static readonly GetLabView Instance = new();
}

/// <summary>
/// What the lab actor can say about a running lab, for the control socket: the lab as built, its
/// ports (whose counters anyone may read), the router's counters and the actor that owns the
/// table. The other state (link up or down, a peer's remote) is asked of the actors that own it.
/// </summary>
/// <param name="Router">The router actor; null until the lab is built.</param>
/// <param name="RouteBook">The actor that owns the table's sources; null until the lab is built.</param>
/// <param name="Up">Every device forwards and every peer's socket is open ("lab up").</param>
public sealed record LabView(LabTopology Lab, IReadOnlyList<Port> Ports, RouterCounters RouterCounters, FrameBatchPool? Pool, IActorRef? Router, bool Up)
{
    public IActorRef? RouteBook { get; init; }

    /// <summary>The FPM server, when the lab has one.</summary>
    public IActorRef? Fpm { get; init; }

    /// <summary>The ports a reload has not removed (<see cref="Port.IsRetired"/>); <see cref="Ports"/> keeps every place, as the table numbers them.</summary>
    public IEnumerable<Port> LivePorts => Ports.Where(p => !p.IsRetired);

    /// <summary>Reloads applied, and refused or failed (<see cref="LabSource"/>).</summary>
    public long Reloads { get; init; }

    public long FailedReloads { get; init; }
}

/// <summary>Published on the event stream once, when the lab is up: every device forwards and every peer's socket is open.</summary>
/// <param name="Ports">The ports' names, in the engine's order.</param>
/// <param name="Counters">Where the lab keeps its counts, for the metrics endpoint.</param>
public sealed record LabUp(IReadOnlyList<string> Ports, Metrics.LabCounters Counters);

/// <summary>Published on the event stream after each reload that changed the lab's ports, with every port it has now (not the removed ones).</summary>
public sealed record LabReloaded(Metrics.LabCounters Counters);
