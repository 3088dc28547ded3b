using System.Diagnostics;
using System.Text.Json.Nodes;
using Xunit;

namespace Engine.IntegrationTests.Infrastructure.Frr;

/// <summary>
/// FRR's daemons (Debian's <c>frr</c> package) run inside one test namespace, everything they
/// write under one directory of their own: configuration, pid files, the zserv socket and the
/// vty sockets. The package's service is never used. Dispose kills the daemons by their pid
/// files and deletes the directory, whether the test passed or not.
/// </summary>
public sealed class FrrHost : IDisposable
{
    private const string Daemons = "/usr/lib/frr";
    private readonly List<string> _started = [];

    public FrrHost(string ns, string directory)
    {
        Assert.True(File.Exists($"{Daemons}/zebra"), $"FRR is not installed ({Daemons}/zebra is missing): run .ci/install-deps as root");
        Namespace = ns;
        Directory = directory;
        if (System.IO.Directory.Exists(directory)) System.IO.Directory.Delete(directory, recursive: true);
        System.IO.Directory.CreateDirectory(directory);
    }

    public string Namespace { get; }
    public string Directory { get; }

    /// <summary>
    /// Starts <paramref name="daemon"/> (zebra first, then the routing daemons, which connect to
    /// zebra's socket) with <paramref name="config"/> as its configuration file, and
    /// <paramref name="arguments"/> added to its command line (zebra's <c>-M dplane_fpm_nl</c>, say).
    /// </summary>
    public void Start(string daemon, string config, string arguments = "")
    {
        File.WriteAllText(Path.Combine(Directory, $"{daemon}.conf"), $"log file {Directory}/{daemon}.log\n{config}");
        Shell.Run("chown", $"-R frr:frr {Directory}");
        var dir = Directory;
        var run = Shell.InNamespace(Namespace,
            $"{Daemons}/{daemon} -d -f {dir}/{daemon}.conf -i {dir}/{daemon}.pid -z {dir}/zserv.api --vty_socket {dir} -P 0 -u frr -g frr {arguments}");
        Assert.True(run.ExitCode == 0, $"{daemon} did not start in {Namespace}:\n{run.All}");
        _started.Add(daemon);
        // The routing daemons need zebra's socket, and vtysh each daemon's vty socket.
        WaitFor(Path.Combine(dir, $"{daemon}.vty"), TimeSpan.FromSeconds(10));
        if (daemon == "zebra") WaitFor(Path.Combine(dir, "zserv.api"), TimeSpan.FromSeconds(10));
    }

    /// <summary>Runs one vtysh command against this host's daemons; the output as text.</summary>
    /// <param name="timeout">How long vtysh may take: 30 s unless given (a listing of thousands of routes may need more).</param>
    public string Vtysh(string command, TimeSpan? timeout = null)
    {
        var result = Shell.InNamespace(Namespace, $"vtysh --vty_socket {Directory} -c \"{command}\"", timeout);
        return result.All;
    }

    /// <summary>
    /// Applies <paramref name="config"/> to the running daemons through vtysh (<c>vtysh -f</c>), as
    /// one batch: thousands of static routes load in seconds so, where staticd reading them from
    /// its own configuration file at start (FRR 8.4) takes minutes.
    /// </summary>
    public void Apply(string config, TimeSpan timeout)
    {
        var file = Path.Combine(Directory, "apply.conf");
        File.WriteAllText(file, config);
        var result = Shell.InNamespace(Namespace, $"vtysh --vty_socket {Directory} -f {file}", timeout);
        Assert.True(result.ExitCode == 0, $"vtysh -f did not apply the configuration in {Namespace}:\n{result.All}");
    }

    /// <summary>Runs <paramref name="lines"/> in vtysh's configuration mode.</summary>
    public string Configure(params string[] lines)
    {
        var commands = string.Concat(lines.Select(line => $" -c \"{line}\""));
        return Shell.InNamespace(Namespace, $"vtysh --vty_socket {Directory} -c \"configure terminal\"{commands}").All;
    }

    /// <summary>Kills <paramref name="daemon"/> as a crash would (SIGKILL: it cleans nothing up), so that it may be started again.</summary>
    public void Kill(string daemon)
    {
        Stop(daemon);
        _started.Remove(daemon);
        foreach (var leftover in new[] { $"{daemon}.pid", $"{daemon}.vty", daemon == "zebra" ? "zserv.api" : null })
            if (leftover is not null) File.Delete(Path.Combine(Directory, leftover));
    }

    /// <summary>A vtysh <c>... json</c> command's answer, or null when it was not JSON (a daemon still starting).</summary>
    public JsonNode? Json(string command, TimeSpan? timeout = null)
    {
        var text = Vtysh(command, timeout);
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>Each daemon's log, for a failing test's output.</summary>
    public string Logs() => string.Join("\n", _started.Select(daemon =>
    {
        var log = Path.Combine(Directory, $"{daemon}.log");
        return $"--- {Namespace} {daemon}\n" + (File.Exists(log) ? File.ReadAllText(log) : "(no log)");
    }));

    public void Dispose()
    {
        foreach (var daemon in Enumerable.Reverse(_started)) Stop(daemon);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    private void Stop(string daemon)
    {
        var pidFile = Path.Combine(Directory, $"{daemon}.pid");
        if (!File.Exists(pidFile) || !int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid)) return;
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill();
            process.WaitForExit(5000);
        }
        catch (ArgumentException)
        {
            // already gone
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static void WaitFor(string path, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!File.Exists(path) && clock.Elapsed < limit) Thread.Sleep(50);
        Assert.True(File.Exists(path), $"{path} did not appear within {limit}");
    }
}
