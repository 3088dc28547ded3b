namespace Engine.Actors.Routing;

/// <summary>
/// A route as a snapshot takes it: a prefix and its next hop, or, for a multipath route, its
/// paths (two or more; <see cref="Hop"/> is then the first's, for whoever wants one).
/// </summary>
public readonly record struct SnapshotRoute(IpPrefix Prefix, NextHop Hop, IReadOnlyList<EcmpPath>? Paths = null)
{
    public static SnapshotRoute Multipath(IpPrefix prefix, IReadOnlyList<EcmpPath> paths) =>
        paths.Count == 0 ? throw new ArgumentException($"route {prefix} has no paths", nameof(paths)) : new(prefix, paths[0].Hop, paths);
}
