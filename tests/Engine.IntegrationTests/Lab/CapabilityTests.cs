using System.Globalization;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The engine needs exactly CAP_NET_ADMIN, CAP_SYS_ADMIN and CAP_SYS_NICE (docs/service.md):
/// run under setpriv with that bounding set, its effective set is those three and its lab
/// forwards; without CAP_NET_ADMIN it refuses to start in one line and leaves no namespace.
/// The sample unit that sets the same bounding set passes systemd-analyze.
/// </summary>
[Collection("engine")]
public sealed class CapabilityTests(ITestOutputHelper output)
{
    private const int Subnet = 74;
    private const long NetAdmin = 1L << 12, SysAdmin = 1L << 21, SysNice = 1L << 23;

    [IntegrationFact]
    public void With_exactly_net_admin_sys_admin_and_sys_nice_the_lab_comes_up_and_forwards()
    {
        using var lab = new TestLab();
        using var engine = Start(lab, "+net_admin,+sys_admin,+sys_nice");
        try
        {
            engine.WaitForLog("lab up", TimeSpan.FromSeconds(30));
            Assert.Equal(NetAdmin | SysAdmin | SysNice, EffectiveCapabilities(engine.Pid));
            Pings.AssertAnswered(output, lab.Namespace("h1"), LabConfigs.V4(Subnet, 2));
            Assert.DoesNotContain("stays at its nice value", engine.Log);
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Without_net_admin_it_refuses_in_one_line_and_leaves_no_namespace()
    {
        using var lab = new TestLab();
        using var engine = Start(lab, "+sys_admin,+sys_nice");
        Assert.True(engine.WaitForExit(TimeSpan.FromSeconds(30)), "the engine did not give up");
        output.WriteLine(engine.Log);
        Assert.Equal(1, engine.ExitCode);
        Assert.Contains("could not build the lab: ", engine.Log);
        Assert.Contains("Operation not permitted", engine.Log);
        Assert.DoesNotContain(" at Engine.", engine.Log); // an expected refusal, no stack trace
        Assert.DoesNotContain(lab.Namespace("h1"), Shell.Namespaces());
    }

    [IntegrationFact]
    public void The_sample_unit_passes_systemd_analyze()
    {
        var unit = File.ReadAllText(Path.Combine(Repository.Root, "deploy", "engine@.service"))
            .Replace("/usr/local/bin/engine", Path.ChangeExtension(EngineProcess.EngineDll, null));
        var directory = Directory.CreateTempSubdirectory("engine-unit-");
        try
        {
            File.WriteAllText(Path.Combine(directory.FullName, "engine@.service"), unit);
            var verify = Shell.Run("systemd-analyze", $"verify {Path.Combine(directory.FullName, "engine@lab.service")}");
            output.WriteLine(verify.All);
            Assert.Equal(0, verify.ExitCode);
            Assert.Equal("", verify.All.Trim());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The engine under setpriv with <paramref name="capabilities"/> as its bounding set; setpriv execs it, so the pid is the engine's.</summary>
    private static EngineProcess Start(TestLab lab, string capabilities) =>
        EngineProcess.Launch("run", LabConfigs.Hosts(lab, 2, Subnet), under: $"setpriv --bounding-set -all,{capabilities}");

    private static long EffectiveCapabilities(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return long.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
