using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Signals other than SIGKILL never leave a lab behind: SIGUSR1 and SIGUSR2 are logged and
/// ignored (the engine goes on forwarding), SIGHUP reloads the lab file (ReloadTests), SIGQUIT and SIGTERM stop it the orderly way,
/// deleting its namespaces and logging nothing alarming on the way out.
/// </summary>
[Collection("engine")]
public sealed partial class SignalTests(ITestOutputHelper output)
{
    private const int Subnet = 93;
    private const int SigQuit = 3;
    private const int SigUsr1 = 10;
    private const int SigUsr2 = 12;

    [IntegrationFact]
    public void Sigusr1_and_sigusr2_are_logged_and_ignored_and_forwarding_goes_on()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        try
        {
            foreach (var (signal, name) in new[] { (SigUsr1, "SIGUSR1"), (SigUsr2, "SIGUSR2") })
            {
                engine.Signal(signal);
                engine.WaitForLog($"received {name}: ignored", TimeSpan.FromSeconds(10));
                Assert.False(engine.HasExited, $"the engine exited on {name}");
                AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            }
            Assert.Contains(lab.Namespace("h2"), Shell.Namespaces());
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Sigquit_stops_the_engine_the_orderly_way_and_leaves_no_namespace_behind()
    {
        using var lab = new TestLab();
        // A background job of a shell without job control (a CI runner's `cmd &`) starts with SIGQUIT
        // ignored, and the engine, as any program, keeps a signal ignored that it was started with
        // ignored: the engine under test gets it at its default, as from systemd or a terminal.
        using var engine = EngineProcess.Launch("run", LabConfigs.Hosts(lab, 2, Subnet), under: "env --default-signal=QUIT");
        engine.WaitForLog("lab up", TimeSpan.FromSeconds(30));
        engine.Signal(SigQuit);
        var stopped = engine.WaitForExit(TimeSpan.FromSeconds(20));
        output.WriteLine(engine.Log);
        Assert.True(stopped, "the engine did not stop on SIGQUIT");

        Assert.Equal(0, engine.ExitCode);
        Assert.Contains("received SIGQUIT: stopping", engine.Log);
        Assert.Contains($"deleted namespace {lab.Namespace("h1")}", engine.Log);
        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
        Assert.DoesNotContain(lab.Namespace("h2"), Shell.Namespaces());
    }

    [IntegrationFact]
    public void An_orderly_stop_logs_no_dead_letters_warnings_or_errors()
    {
        using var lab = new TestLab();
        using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet));
        AssertPing(lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
        Assert.Equal(0, engine.Terminate());
        output.WriteLine(engine.Log);

        Assert.DoesNotContain("dead letters", engine.Log);
        Assert.DoesNotMatch(AlarmingLine(), engine.Log);
        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
    }

    [GeneratedRegex(@"^\[[0-9:.]+ (WRN|ERR|FTL)\]", RegexOptions.Multiline)]
    private static partial Regex AlarmingLine();

    private void AssertPing(string ns, string address) => Pings.AssertAnswered(output, ns, address, count: 2);
}
