using System.Net;

namespace Engine.Actors.Topology;

/// <summary>A static route of the engine's routing table: frames to <paramref name="Prefix"/> leave
/// through the device, peer or switch named <paramref name="Via"/>, or towards the next-hop address it
/// names (<see cref="NextHop"/>); while that is a peer whose link is down, through
/// <paramref name="Backup"/> when one is named (a port, or a next-hop address: <see cref="BackupNextHop"/>).</summary>
public sealed record RouteSpec(IPNetwork Prefix, string Via, string? Backup = null)
{
    /// <summary>The next-hop address <see cref="Via"/> names, or null when it names a port.</summary>
    public IPAddress? NextHop { get; init; }

    /// <summary>The next-hop address <see cref="Backup"/> names, or null when it names a port or is absent.</summary>
    public IPAddress? BackupNextHop { get; init; }

    /// <summary>A multipath route's vias, two or more (<see cref="Via"/> and <see cref="NextHop"/> are the first's); null for one via.</summary>
    public IReadOnlyList<RouteTarget>? Paths { get; init; }

    public override string ToString() => Paths is { } paths
        ? $"{Prefix} via [{string.Join(", ", paths.Select(p => p.Text))}]"
        : Backup is null ? $"{Prefix} via {Via}" : $"{Prefix} via {Via}, backup {Backup}";
}
