using System.Collections.Immutable;
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

    /// <summary>Every next hop when <c>via</c> lists several (ECMP), the first also in <see cref="NextHop"/>; empty otherwise.</summary>
    public ImmutableArray<IPAddress> Paths { get; init; } = [];

    public bool Equals(RouteSpec? other) =>
        other is not null && Prefix.Equals(other.Prefix) && Via == other.Via && Backup == other.Backup
        && Equals(NextHop, other.NextHop) && Equals(BackupNextHop, other.BackupNextHop) && Paths.SequenceEqual(other.Paths);

    public override int GetHashCode() => HashCode.Combine(Prefix, Via, Backup);

    public override string ToString() => !Paths.IsEmpty ? $"{Prefix} via [{string.Join(", ", Paths)}]"
        : Backup is null ? $"{Prefix} via {Via}" : $"{Prefix} via {Via}, backup {Backup}";
}
