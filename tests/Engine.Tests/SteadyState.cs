namespace Engine.Tests;

/// <summary>What a piece of data-path work allocates on the calling thread once it is warm.</summary>
internal static class SteadyState
{
    /// <summary>
    /// The fewest bytes any of <paramref name="rounds"/> runs of <paramref name="run"/> allocated
    /// after <paramref name="warmups"/> runs, and what the last run returned. The runtime does
    /// one-off work on the test thread whenever it chooses (a method's OSR or tier-up, a type
    /// loaded late, a GC that tests running in parallel triggered), and on a loaded machine that
    /// can fall into any one run; an allocation the work itself makes falls into every run.
    /// </summary>
    public static (long Allocated, long Result) Measure(Func<long> run, int warmups = 100, int rounds = 5)
    {
        for (var i = 0; i < warmups; i++) run();
        var fewest = long.MaxValue;
        long result = 0;
        for (var i = 0; i < rounds; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            result = run();
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return (fewest, result);
    }
}
