using System.Net;

namespace Engine.Actors.Topology;

/// <summary>A static route of the engine's routing table: frames to <paramref name="Prefix"/> leave
/// through the device named <paramref name="Via"/>.</summary>
public sealed record RouteSpec(IPNetwork Prefix, string Via)
{
    public override string ToString() => $"{Prefix} via {Via}";
}
