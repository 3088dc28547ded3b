namespace Engine.Actors.Routing;

/// <summary>
/// A route without its prefix: what it leads to and where it came from. The route book holds one
/// shared instance per distinct value (<see cref="InternPool{T}"/>) and a reference to it per
/// prefix, and a snapshot resolves each instance once, however many prefixes lead to it. Two
/// multipath routes are equal when their paths are, whichever lists hold them.
/// </summary>
internal sealed class SharedRoute : IEquatable<SharedRoute>
{
    private readonly int _hash;

    public SharedRoute(TableRoute route)
    {
        Route = route with { Prefix = default };
        var hash = new HashCode();
        hash.Add(Route.Via);
        hash.Add(Route.Backup);
        hash.Add(Route.Source);
        foreach (var path in Route.Paths ?? [])
            hash.Add(path);
        _hash = hash.ToHashCode();
    }

    /// <summary>The route, with the default prefix.</summary>
    public TableRoute Route { get; }

    public TableRoute For(IpPrefix prefix) => Route with { Prefix = prefix };

    public bool Equals(SharedRoute? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || other._hash != _hash) return false;
        var (mine, theirs) = (Route, other.Route);
        if (mine.Via != theirs.Via || mine.Backup != theirs.Backup || mine.Source != theirs.Source) return false;
        if (mine.Paths is null || theirs.Paths is null) return mine.Paths is null && theirs.Paths is null;
        return mine.Paths.SequenceEqual(theirs.Paths);
    }

    public override bool Equals(object? obj) => Equals(obj as SharedRoute);

    public override int GetHashCode() => _hash;
}
