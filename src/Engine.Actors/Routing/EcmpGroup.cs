namespace Engine.Actors.Routing;

/// <summary>
/// The next hops of a route with several paths, and the fixed table of <see cref="BucketCount"/>
/// buckets that spreads flows over them: a flow's hash picks a bucket, the bucket a next hop. Each
/// bucket goes to the member of the highest weighted rendezvous score (-weight / ln(u), u the
/// bucket's and member's hash in (0, 1)), so the members share the buckets in proportion to their
/// weights, a flow keeps its next hop while the set is unchanged, and removing a member moves only
/// the buckets it held (adding one takes only the buckets it wins). Immutable; equal when the
/// members and weights are.
/// </summary>
public sealed class EcmpGroup : IEquatable<EcmpGroup>
{
    public const int BucketCount = 256;

    private readonly NextHop[] _buckets = new NextHop[BucketCount];

    /// <param name="members">Forwarding next hops, each once, with a weight of at least 1.</param>
    public EcmpGroup(IReadOnlyList<(NextHop NextHop, int Weight)> members)
    {
        if (members.Count == 0) throw new ArgumentException("a group needs a member", nameof(members));
        Members = [.. members];
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            var best = 0;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < Members.Length; i++)
            {
                var score = Score(bucket, Members[i].NextHop, Math.Max(1, Members[i].Weight));
                if (score > bestScore)
                {
                    bestScore = score;
                    best = i;
                }
            }
            _buckets[bucket] = Members[best].NextHop;
        }
    }

    public (NextHop NextHop, int Weight)[] Members { get; }

    /// <summary>The next hop of the flow whose hash is <paramref name="flowHash"/>.</summary>
    public ref readonly NextHop Pick(uint flowHash) => ref _buckets[(flowHash ^ (flowHash >> 8) ^ (flowHash >> 16) ^ (flowHash >> 24)) & (BucketCount - 1)];

    /// <summary>Which member holds each bucket: for tests and listings.</summary>
    public ReadOnlySpan<NextHop> Buckets => _buckets;

    private static double Score(int bucket, NextHop member, int weight)
    {
        var hash = HashCode.Combine(bucket, member.Port, member.Address, member.Kind);
        // Into (0, 1): never 0 (ln 0) nor 1 (ln 1 = 0 divides by zero).
        var unit = ((uint)hash + 0.5) / 4294967296.0;
        return -weight / Math.Log(unit);
    }

    public bool Equals(EcmpGroup? other) => other is not null && Members.AsSpan().SequenceEqual(other.Members);

    public override bool Equals(object? obj) => Equals(obj as EcmpGroup);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var member in Members) hash.Add(member);
        return hash.ToHashCode();
    }
}
