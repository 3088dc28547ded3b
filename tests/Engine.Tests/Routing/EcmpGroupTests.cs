using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// A multipath group's bucket table: weights are honoured, the table depends only on the set of
/// paths (not on where their next hops sit in a snapshot), and a change of the set moves only
/// the buckets it must.
/// </summary>
public class EcmpGroupTests
{
    private static readonly NextHop A = new(0, 0x0A000101);
    private static readonly NextHop B = new(1, 0x0A000201);
    private static readonly NextHop C = new(2, 0x0A000301);

    private static EcmpGroup Group(params (int Index, NextHop Hop, int Weight)[] paths) =>
        new([.. paths.Select(p => (p.Index, new EcmpPath(p.Hop, p.Weight)))]);

    private static NextHop[] HopsByBucket(EcmpGroup group, params NextHop[] byIndex) =>
        [.. Enumerable.Range(0, EcmpGroup.BucketCount).Select(b => byIndex[group.Pick((uint)b)])];

    [Fact]
    public void Equal_weights_share_the_buckets_about_evenly()
    {
        var group = Group((0, A, 1), (1, B, 1));

        Assert.InRange(group.BucketsOf(0), 100, 156);
        Assert.Equal(EcmpGroup.BucketCount, group.BucketsOf(0) + group.BucketsOf(1));
    }

    [Fact]
    public void A_path_of_weight_three_takes_about_three_quarters_of_the_buckets()
    {
        var group = Group((0, A, 3), (1, B, 1));

        Assert.InRange(group.BucketsOf(0), 170, 215);
    }

    [Fact]
    public void The_table_follows_the_next_hops_not_their_indices_in_a_snapshot()
    {
        var first = HopsByBucket(Group((0, A, 1), (1, B, 1)), A, B);
        var moved = HopsByBucket(Group((5, A, 1), (2, B, 1)), C, C, B, C, C, A);

        Assert.Equal(first, moved);
    }

    [Fact]
    public void Removing_a_path_moves_only_the_buckets_it_held()
    {
        var before = HopsByBucket(Group((0, A, 1), (1, B, 1), (2, C, 1)), A, B, C);
        var after = HopsByBucket(Group((0, A, 1), (1, B, 1)), A, B, C);

        for (var bucket = 0; bucket < EcmpGroup.BucketCount; bucket++)
            if (before[bucket] != C)
                Assert.Equal(before[bucket], after[bucket]);
        Assert.DoesNotContain(C, after);
    }

    [Fact]
    public void Adding_a_path_moves_buckets_only_to_it()
    {
        var before = HopsByBucket(Group((0, A, 1), (1, B, 1)), A, B, C);
        var after = HopsByBucket(Group((0, A, 1), (1, B, 1), (2, C, 1)), A, B, C);

        var moved = 0;
        for (var bucket = 0; bucket < EcmpGroup.BucketCount; bucket++)
        {
            if (after[bucket] == before[bucket]) continue;
            Assert.Equal(C, after[bucket]);
            moved++;
        }
        Assert.InRange(moved, 60, 110);
    }
}
