using System.Diagnostics;
using Engine.Actors.OpenFlow;
using Xunit;

namespace Engine.Tests.OpenFlow;

/// <summary>While FLOW_MODs stream in, the switch pauses between compiles as long as the last one took; after a quiet spell it compiles at once.</summary>
public sealed class CompilePacingTests
{
    private static readonly long Millisecond = Stopwatch.Frequency / 1000;

    [Fact]
    public void The_first_change_is_compiled_at_once()
    {
        Assert.Equal(TimeSpan.Zero, new CompilePacing().Wait(Stopwatch.GetTimestamp()));
    }

    [Fact]
    public void A_change_soon_after_a_compile_waits_out_the_compiles_duration_and_one_after_that_does_not()
    {
        var pacing = new CompilePacing();
        var start = 1_000 * Millisecond;
        pacing.Compiled(start, start + 12 * Millisecond);

        var wait = pacing.Wait(start + 15 * Millisecond);
        Assert.InRange(wait.TotalMilliseconds, 8.9, 9.1);
        Assert.Equal(TimeSpan.Zero, pacing.Wait(start + 24 * Millisecond));
        Assert.Equal(TimeSpan.Zero, pacing.Wait(start + 500 * Millisecond));
    }
}
