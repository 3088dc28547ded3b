using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

/// <summary>
/// An ECMP group's buckets: shared in proportion to the weights, the same for the same members,
/// and removing a member moves only the buckets it held.
/// </summary>
public sealed class EcmpGroupTests
{
    private static readonly NextHop A = new(0), B = new(1), C = new(2, 0x0A000201);

    [Fact]
    public void Equal_weights_share_the_buckets_about_evenly_and_weights_skew_them()
    {
        var even = new EcmpGroup([(A, 1), (B, 1)]);
        Assert.InRange(Count(even, A), 96, 160);
        Assert.Equal(EcmpGroup.BucketCount, Count(even, A) + Count(even, B));

        var weighted = new EcmpGroup([(A, 3), (B, 1)]);
        Assert.InRange(Count(weighted, A), 160, 224); // about 3/4 of 256
    }

    [Fact]
    public void The_same_members_give_the_same_buckets_and_a_flow_its_next_hop()
    {
        var first = new EcmpGroup([(A, 1), (B, 1), (C, 2)]);
        var again = new EcmpGroup([(A, 1), (B, 1), (C, 2)]);
        Assert.Equal(first, again);
        Assert.True(first.Buckets.SequenceEqual(again.Buckets));
        for (var flow = 0u; flow < 1000; flow++)
            Assert.Equal(first.Pick(flow * 2654435761u), again.Pick(flow * 2654435761u));
    }

    [Fact]
    public void Removing_a_member_moves_only_its_buckets_and_adding_one_takes_only_buckets_it_wins()
    {
        var three = new EcmpGroup([(A, 1), (B, 1), (C, 1)]);
        var two = new EcmpGroup([(A, 1), (B, 1)]);
        for (var bucket = 0; bucket < EcmpGroup.BucketCount; bucket++)
            if (three.Buckets[bucket] != C)
                Assert.Equal(three.Buckets[bucket], two.Buckets[bucket]);
        Assert.InRange(Count(three, C), 1, EcmpGroup.BucketCount - 1);
    }

    private static int Count(EcmpGroup group, NextHop hop)
    {
        var count = 0;
        foreach (var bucket in group.Buckets)
            if (bucket == hop) count++;
        return count;
    }
}
