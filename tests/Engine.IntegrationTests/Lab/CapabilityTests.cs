using System.Diagnostics;
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
            WaitFor(engine, "lab up");
            Assert.Equal(NetAdmin | SysAdmin | SysNice, EffectiveCapabilities(engine.Process.Id));
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
        Assert.True(engine.Process.WaitForExit(30_000), "the engine did not give up");
        output.WriteLine(engine.Log);
        Assert.Equal(1, engine.Process.ExitCode);
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

    private static Engine Start(TestLab lab, string capabilities)
    {
        var config = Path.Combine(Path.GetTempPath(), $"engine-caps-{Guid.NewGuid():N}.hocon");
        File.WriteAllText(config, LabConfigs.Hosts(lab, 2, Subnet));
        var info = new ProcessStartInfo("setpriv", $"--bounding-set -all,{capabilities} dotnet \"{EngineProcess.EngineDll}\" run --config \"{config}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        return new Engine(Process.Start(info)!, config);
    }

    private static long EffectiveCapabilities(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return long.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    private static void WaitFor(Engine engine, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!engine.Log.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(engine.Process.HasExited, $"the engine exited:\n{engine.Log}");
            Assert.True(DateTime.UtcNow < deadline, $"no \"{text}\" after 30 s:\n{engine.Log}");
            Thread.Sleep(100);
        }
    }

    /// <summary>The engine under setpriv, its output gathered; stopped as SIGTERM would on dispose.</summary>
    private sealed class Engine : IDisposable
    {
        private readonly System.Text.StringBuilder _log = new();
        private readonly string _config;

        public Engine(Process process, string config)
        {
            Process = process;
            _config = config;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Log
        {
            get
            {
                lock (_log) return _log.ToString();
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Shell.Run("kill", $"-TERM {Process.Id}");
                if (!Process.WaitForExit(15_000)) Process.Kill(entireProcessTree: true);
            }
            Process.Dispose();
            File.Delete(_config);
        }

        private void Append(string? line)
        {
            if (line is null) return;
            lock (_log) _log.AppendLine(line);
        }
    }
}
