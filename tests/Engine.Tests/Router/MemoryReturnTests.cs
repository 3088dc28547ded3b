using System.Runtime.CompilerServices;
using Akka.Event;
using Engine.Actors.Router;
using Xunit;

namespace Engine.Tests.Router;

public sealed class MemoryReturnTests
{
    [Fact]
    public void A_collection_is_due_only_after_a_burst_and_once_for_it()
    {
        var memory = new MemoryReturn();
        memory.Changed(MemoryReturn.BurstChanges - 1);
        Assert.False(memory.IsDue);

        memory.Changed(1);
        Assert.True(memory.IsDue);

        memory.Collect(NoLogger.Instance);
        Assert.False(memory.IsDue);
    }

    [Fact]
    public void A_collection_returns_what_a_burst_left_unreachable()
    {
        var memory = new MemoryReturn();
        var garbage = Unreachable();
        memory.Changed(MemoryReturn.BurstChanges);

        memory.Collect(NoLogger.Instance);

        Assert.False(garbage.IsAlive);
    }

    // Made in a frame of its own, so no local of the test's keeps it reachable.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference Unreachable() => new(new byte[64 << 20]);
}
