namespace Engine.Actors.Routing;

/// <summary>
/// A multipath route's paths as a set: each distinct next hop once (repeats add their weights), in
/// next-hop order, so routes over the same paths share one <see cref="EcmpGroup"/>.
/// </summary>
internal sealed class PathSet : IEquatable<PathSet>
{
    private readonly int _hash;

    private PathSet(List<(int Index, EcmpPath Path)> members)
    {
        Members = members;
        var hash = new HashCode();
        foreach (var (index, path) in members)
        {
            hash.Add(index);
            hash.Add(path.Weight);
        }
        _hash = hash.ToHashCode();
    }

    public IReadOnlyList<(int Index, EcmpPath Path)> Members { get; }

    /// <summary>The set of <paramref name="paths"/>; null when they come down to a single next hop.</summary>
    public static PathSet? Of(IpPrefix prefix, IReadOnlyList<EcmpPath> paths, NextHopIndex hops)
    {
        var members = new List<(int Index, EcmpPath Path)>(paths.Count);
        foreach (var path in paths)
        {
            var index = hops.IndexOf(prefix, path.Hop);
            var at = members.FindIndex(m => m.Index == index);
            var weight = Math.Clamp(path.Weight, 1, EcmpPath.MaxWeight);
            if (at < 0)
                members.Add((index, path with { Weight = weight }));
            else
                members[at] = (index, path with { Weight = Math.Min(EcmpPath.MaxWeight, members[at].Path.Weight + weight) });
        }
        if (members.Count < 2) return null;
        members.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new PathSet(members);
    }

    public bool Equals(PathSet? other)
    {
        if (other is null || other._hash != _hash || other.Members.Count != Members.Count) return false;
        for (var i = 0; i < Members.Count; i++)
            if (Members[i].Index != other.Members[i].Index || Members[i].Path.Weight != other.Members[i].Path.Weight)
                return false;
        return true;
    }

    public override bool Equals(object? obj) => Equals(obj as PathSet);

    public override int GetHashCode() => _hash;
}
