using System.Net;

namespace Engine.Actors.Topology;

/// <summary>A static route of the engine's routing table: frames to <paramref name="Prefix"/> leave
/// through the device or peer named <paramref name="Via"/>; while that is a peer whose link is
/// down, through <paramref name="Backup"/> when one is named.</summary>
public sealed record RouteSpec(IPNetwork Prefix, string Via, string? Backup = null)
{
    public override string ToString() => Backup is null ? $"{Prefix} via {Via}" : $"{Prefix} via {Via}, backup {Backup}";
}
