using System.Diagnostics;
using CsCheck;
using Xunit;
using Xunit.Abstractions;

namespace Engine.Tests.Fuzz;

/// <summary>
/// How many cases a fuzz target runs and where its rate goes. The unit suite runs
/// <see cref="DefaultCases"/> per target; bench/fuzz.sh sets FUZZ_CASES (10^7) and FUZZ_REPORT (a
/// file each target appends its "target: N cases in T s = R cases/s" line to). FUZZ_SEED replays
/// the seed a failure printed. Cases run on one thread: the targets reuse one forwarder or link
/// between cases, as the engine does between batches.
/// </summary>
internal static class FuzzRun
{
    public const long DefaultCases = 100_000;

    public static long Cases =>
        long.TryParse(Environment.GetEnvironmentVariable("FUZZ_CASES"), out var cases) && cases > 0 ? cases : DefaultCases;

    public static void Sample<T>(string target, Gen<T> gen, Action<T> property, Func<T, string> print, ITestOutputHelper output)
    {
        var cases = Cases;
        long ran = 0;
        var watch = Stopwatch.StartNew();
        try
        {
            gen.Sample(input =>
            {
                ran++;
                property(input);
            }, seed: Environment.GetEnvironmentVariable("FUZZ_SEED"), iter: cases, threads: 1, print: print);
        }
        catch
        {
            Report(output, $"{target}: FAILED, smallest failing input in the test's output ({ran} cases run)");
            throw;
        }
        var seconds = watch.Elapsed.TotalSeconds;
        Assert.Equal(cases, ran);
        Report(output, $"{target}: {ran} cases in {seconds:F1} s = {ran / seconds:F0} cases/s");
    }

    private static void Report(ITestOutputHelper output, string line)
    {
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("FUZZ_REPORT") is { Length: > 0 } report)
            File.AppendAllText(report, line + Environment.NewLine);
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes);
}
