using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// docs/lab-script.sh, run as the docs say (with the built engine and a test's names), so the
/// example cannot rot: it starts a lab with `run --detach`, pings through it, reads a counter
/// from `status --json` with jq and stops it, leaving no namespace behind.
/// </summary>
[Collection("engine")]
public sealed class LabScriptTests(ITestOutputHelper output)
{
    [IntegrationFact]
    public void The_documented_lab_script_runs_a_lab_pings_reads_a_counter_and_stops_it()
    {
        using var lab = new TestLab();
        var script = Path.Combine(Repository.Root, "docs", "lab-script.sh");

        var run = Shell.Run("bash", script, TimeSpan.FromMinutes(2), new Dictionary<string, string>
        {
            ["ENGINE"] = $"dotnet {EngineProcess.EngineDll}",
            ["LAB_PREFIX"] = lab.Prefix,
        });
        output.WriteLine(run.All);

        Assert.Equal(0, run.ExitCode);
        Assert.Matches($@"{lab.Device("a")}: ([3-9]|\d\d+) packets received", run.Output);
        Assert.DoesNotContain(Shell.Namespaces(), ns => ns.StartsWith(lab.Prefix, StringComparison.Ordinal));
    }
}
