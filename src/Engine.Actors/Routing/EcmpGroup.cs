namespace Engine.Actors.Routing;

/// <summary>
/// The paths of one multipath route, as a table of <see cref="BucketCount"/> buckets each naming
/// one path; a flow's hash picks its bucket. Each bucket goes to the path that wins a weighted
/// rendezvous (highest-random-weight) draw between the bucket and the path's next hop, so the
/// table depends only on the set of paths and their weights: a flow keeps its path in every
/// snapshot that has the same set, removing a path moves only the buckets it held, and adding
/// one takes buckets from the others in proportion. Weights are honoured to within a bucket.
/// Built once per distinct set (the route book's next snapshot takes over the sets it still has,
/// <see cref="SnapshotValues"/>); <see cref="Pick"/> is one load.
/// </summary>
public sealed class EcmpGroup
{
    public const int BucketCount = 256;

    private readonly int[] _buckets;

    /// <param name="paths">The paths, each with the index of its next hop in the snapshot's next-hop array.</param>
    public EcmpGroup(IReadOnlyList<(int Index, EcmpPath Path)> paths)
    {
        if (paths.Count == 0) throw new ArgumentException("a multipath route needs at least one path", nameof(paths));
        _buckets = new int[BucketCount];
        // With equal weights the smallest -ln(u)/w is the largest u: the same winner without a logarithm
        // per draw, which is most of a group's cost (a full table over 64 next hops has tens of thousands).
        var equalWeights = paths.All(p => Math.Clamp(p.Path.Weight, 1, EcmpPath.MaxWeight) == Math.Clamp(paths[0].Path.Weight, 1, EcmpPath.MaxWeight));
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            var best = -1;
            var bestScore = double.PositiveInfinity;
            foreach (var (index, path) in paths)
            {
                // -ln(u)/w is exponentially distributed with rate w: the smallest wins with probability w / sum(w).
                var draw = UnitDraw(bucket, path.Hop);
                var score = equalWeights ? -draw : -Math.Log(draw) / Math.Clamp(path.Weight, 1, EcmpPath.MaxWeight);
                if (score < bestScore || (score == bestScore && index < best))
                {
                    best = index;
                    bestScore = score;
                }
            }
            _buckets[bucket] = best;
        }
        Paths = paths.Select(p => p.Path).ToArray();
    }

    /// <summary>The paths the group was built from.</summary>
    public IReadOnlyList<EcmpPath> Paths { get; }

    /// <summary>The index of the next hop that carries the flow of <paramref name="flowHash"/>.</summary>
    public int Pick(uint flowHash) => _buckets[flowHash % BucketCount];

    /// <summary>How many buckets lead to the next hop at <paramref name="index"/> (for tests and listings).</summary>
    public int BucketsOf(int index) => _buckets.Count(b => b == index);

    /// <summary>
    /// A draw in (0, 1) fixed by the bucket and the next hop's identity (its port and address, not
    /// its index, which another snapshot may change), so every snapshot draws the same.
    /// </summary>
    private static double UnitDraw(int bucket, NextHop hop)
    {
        var mixed = Mix(Mix((ulong)bucket * 0x9E3779B97F4A7C15UL ^ (ulong)hop.Port) ^ (ulong)(hop.Address >> 64)) ^ (ulong)hop.Address;
        return ((Mix(mixed) >> 11) + 0.5) / (1UL << 53);
    }

    // splitmix64's finaliser: every input bit moves about half the output bits.
    private static ulong Mix(ulong value)
    {
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
