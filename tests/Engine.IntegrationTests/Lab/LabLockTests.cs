using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A running lab holds its lock: a second run of it and a cleanup of it refuse at once, in one
/// line naming the running engine's pid, and leave the running lab alone.
/// </summary>
[Collection("engine")]
public sealed class LabLockTests(ITestOutputHelper output)
{
    private const int Subnet = 94;
    private const int ExitLabRunning = 3;

    [IntegrationFact]
    public void A_second_run_of_a_running_lab_refuses_in_one_line_naming_the_pid()
    {
        using var lab = new TestLab();
        var hocon = LabConfigs.Hosts(lab, 2, Subnet);
        using var engine = EngineProcess.Start(hocon);
        try
        {
            using var second = EngineProcess.Launch("run", hocon);
            Assert.True(second.WaitForExit(TimeSpan.FromSeconds(30)), "the second run did not refuse");
            output.WriteLine(second.Log);
            Assert.Equal(ExitLabRunning, second.ExitCode);
            var line = Assert.Single(second.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"engine pid {engine.Pid} is running this lab", line);

            Assert.False(engine.HasExited);
            AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Cleanup_refuses_while_the_lab_runs_and_deletes_nothing()
    {
        using var lab = new TestLab();
        var hocon = LabConfigs.Hosts(lab, 2, Subnet);
        using var engine = EngineProcess.Start(hocon);
        try
        {
            using var cleanup = EngineProcess.Launch("cleanup", hocon);
            Assert.True(cleanup.WaitForExit(TimeSpan.FromSeconds(30)));
            output.WriteLine(cleanup.Log);
            Assert.Equal(ExitLabRunning, cleanup.ExitCode);
            var line = Assert.Single(cleanup.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"engine pid {engine.Pid} is running this lab", line);

            Assert.Contains(lab.Namespace("h1"), Shell.Namespaces());
            Assert.Contains(lab.Namespace("h2"), Shell.Namespaces());
            AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Once_the_lab_has_stopped_it_runs_again()
    {
        using var lab = new TestLab();
        var hocon = LabConfigs.Hosts(lab, 2, Subnet);
        using (var first = EngineProcess.Start(hocon))
            Assert.Equal(0, first.Terminate());
        using var again = EngineProcess.Start(hocon);
        AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
        Assert.Equal(0, again.Terminate());
    }

    private void AssertPing(string ns, string address) => Pings.AssertAnswered(output, ns, address, count: 2);
}
