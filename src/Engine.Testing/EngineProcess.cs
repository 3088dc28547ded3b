using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Engine.Testing;

/// <summary>
/// The real `engine` executable, run on a lab file the test writes. Started with
/// <see cref="Start"/>, which waits for "lab up"; stopped with SIGTERM, as a user would.
/// </summary>
public sealed class EngineProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();
    private readonly string _configPath;

    private EngineProcess(Process process, string configPath)
    {
        _process = process;
        _configPath = configPath;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    public int Pid => _process.Id;

    /// <summary>The lab file the engine runs, for the CLI's `--config`.</summary>
    public string ConfigPath => _configPath;
    public bool HasExited => _process.HasExited;
    public int ExitCode => _process.ExitCode;

    public static string EngineDll
    {
        get
        {
            // <tests>/bin/<Configuration>/net10.0 -> src/Engine/bin/<Configuration>/net10.0/engine.dll: the engine built with the tests.
            var here = AppContext.BaseDirectory.TrimEnd('/');
            var framework = Path.GetFileName(here);
            var configuration = Path.GetFileName(Path.GetDirectoryName(here)!);
            return Path.Combine(Repository.Root, "src/Engine/bin", configuration, framework, "engine.dll");
        }
    }

    /// <summary>Starts the engine on <paramref name="hocon"/> and waits until the lab is up.</summary>
    /// <param name="command">`run` and any options, e.g. "run --log-format json".</param>
    /// <param name="environment">Variables set for the engine besides the test's own (NOTIFY_SOCKET, say).</param>
    /// <param name="workingDirectory">The directory the engine runs in (the test's own by default).</param>
    public static EngineProcess Start(string hocon, TimeSpan? timeout = null, string command = "run", IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null)
    {
        var engine = Launch(command, hocon, environment, workingDirectory: workingDirectory);
        try
        {
            engine.WaitForLog("lab up", timeout ?? TimeSpan.FromSeconds(30));
        }
        catch
        {
            engine.Dispose(); // nothing outlives a start that failed: the engine takes its namespaces down
            throw;
        }
        return engine;
    }

    /// <summary>Starts the engine with <paramref name="command"/> and returns at once.</summary>
    /// <param name="under">A program and its options the engine runs under, e.g. "setpriv --bounding-set -all,+net_admin"; the engine's pid is then the program's, which must exec it.</param>
    public static EngineProcess Launch(string command, string hocon, IReadOnlyDictionary<string, string>? environment = null, string? under = null,
        string? workingDirectory = null)
    {
        var configPath = Path.Combine(Path.GetTempPath(), $"engine-test-{Guid.NewGuid():N}.hocon");
        File.WriteAllText(configPath, hocon);
        var engine = $"dotnet \"{EngineDll}\" {command} --config \"{configPath}\"";
        var line = (under is null ? engine : $"{under} {engine}").Split(' ', 2);
        var info = new ProcessStartInfo(line[0], line[1])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the engine");
        return new EngineProcess(process, configPath);
    }

    public void WaitForLog(string text, TimeSpan timeout) =>
        WaitUntil(() => Log.Contains(text, StringComparison.Ordinal), $"logging \"{text}\"", timeout);

    /// <summary>
    /// Waits for the ready file the engine was started with (`run --ready-file PATH`): the lab is
    /// up and every peer it waits for has been up once (docs/control.md, "Readiness").
    /// </summary>
    public LabReady WaitForReadyFile(string path, TimeSpan timeout)
    {
        // The engine writes the file beside and renames it: once it exists it is whole.
        WaitUntil(() => File.Exists(path), $"writing its ready file {path}", timeout);
        Ready = LabReady.Parse(File.ReadAllText(path));
        return Ready;
    }

    /// <summary>What the ready file said (pid, socket, ports), once <see cref="WaitForReadyFile"/> saw it.</summary>
    public LabReady? Ready { get; private set; }

    private void WaitUntil(Func<bool> condition, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition()) return;
            if (_process.HasExited)
                throw new InvalidOperationException($"engine exited with {_process.ExitCode} before {what}:\n{Log}");
            Thread.Sleep(50);
        }
        throw new TimeoutException($"engine did not finish {what} within {timeout}:\n{Log}");
    }

    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit(); // flush the async output readers
        return true;
    }

    /// <summary>Sends SIGTERM and waits for the engine to exit; returns its exit code.</summary>
    public int Terminate(TimeSpan? timeout = null)
    {
        if (!_process.HasExited) kill(_process.Id, 15);
        if (!WaitForExit(timeout ?? TimeSpan.FromSeconds(20)))
            throw new TimeoutException($"engine did not exit after SIGTERM:\n{Log}");
        return _process.ExitCode;
    }

    /// <summary>Sends signal number <paramref name="signal"/> (Linux numbering) and returns at once.</summary>
    public void Signal(int signal)
    {
        if (kill(_process.Id, signal) < 0)
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>SIGKILL: the engine gets no chance to clean up, as after a crash.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        WaitForExit(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) Terminate();
        }
        catch (TimeoutException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            File.Delete(_configPath);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
