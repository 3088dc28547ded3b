using Engine.Actors.Buffers;
using Xunit;

namespace Engine.Tests.Buffers;

public sealed class FrameBatchPoolTests
{
    [Fact]
    public void The_pool_counts_what_its_growth_allocated_and_reuse_adds_nothing()
    {
        const int capacity = 8, bufferSize = 65_600;
        var pool = new FrameBatchPool(capacity, bufferSize, maxBatches: 4);

        Assert.True(pool.TryRent(out var first));
        Assert.True(pool.TryRent(out var second));
        var grown = pool.AllocatedBytes;

        Assert.Equal(2, pool.Created);
        // The pinned buffers themselves, and a little for the batch and its arrays.
        Assert.InRange(grown, 2L * capacity * bufferSize, 2L * capacity * (bufferSize + 256) + 4096);

        first.Release();
        second.Release();
        Assert.True(pool.TryRent(out var again));
        again.Release();
        Assert.Equal(2, pool.Created);
        Assert.Equal(grown, pool.AllocatedBytes);
    }

    [Fact]
    public void Past_its_cap_the_pool_refuses_instead_of_growing()
    {
        var pool = new FrameBatchPool(2, 2048, maxBatches: 1);
        Assert.True(pool.TryRent(out _));
        Assert.False(pool.TryRent(out _));
        Assert.Equal(1, pool.Created);
    }
}
