using Engine.Actors.Buffers;
using Engine.Actors.OpenFlow;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Native.Reactor;

namespace Engine.Actors.Metrics;

/// <summary>
/// Where a running lab keeps its counts: published on the event stream with <c>LabUp</c>, for
/// whoever exports them (<see cref="EngineMeter"/>). Every object here is already written by the
/// data path or the actors that own it; readers only read.
/// </summary>
/// <param name="OpenFlow">The OpenFlow switch's channels' counts; null when the lab has no <c>openflow</c>.</param>
public sealed record LabCounters(IReadOnlyList<Port> Ports, RouterCounters Router, FrameBatchPool Pool, RouteCounts Routes, FloodBackoff Flood,
    OpenFlowCounters? OpenFlow);
