namespace Engine.Testing;

/// <summary>
/// One test's lab: names unique to it (namespaces and devices from a per-test prefix, so parallel
/// or leftover runs never collide), the engines it starts, and their teardown, which runs even
/// when the test fails: each engine is stopped (SIGTERM, then SIGKILL), then every namespace
/// still carrying the lab's prefix is deleted, and with it every interface the test made there.
/// </summary>
public sealed class TestLab : IDisposable
{
    /// <summary>IFNAMSIZ less its NUL: the longest name a Linux interface may have.</summary>
    public const int InterfaceNameLength = 15;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);
    private static int _counter;
    private readonly List<EngineProcess> _engines = [];
    private readonly List<string> _files = [];
    private readonly Action<string>? _log;

    /// <param name="log">Where each engine's log goes at the end (xunit's <c>output.WriteLine</c>), so a failed test shows it.</param>
    public TestLab(Action<string>? log = null)
    {
        Id = $"{Environment.ProcessId % 0xFFFF:x4}{Interlocked.Increment(ref _counter):x2}";
        _log = log;
    }

    /// <summary>Short enough that "et{Id}{host}" fits an interface name with a host name of up to 7 characters.</summary>
    public string Id { get; }

    /// <summary>What every name of this lab starts with.</summary>
    public string Prefix => $"et{Id}";

    public string Namespace(string host) => $"{Prefix}-{host}";

    public string Device(string host)
    {
        var name = $"{Prefix}{host}";
        if (name.Length > InterfaceNameLength)
            throw new ArgumentException($"device name {name} is longer than {InterfaceNameLength} bytes: name the host in at most {InterfaceNameLength - Prefix.Length} characters", nameof(host));
        return name;
    }

    /// <summary>
    /// Starts an engine on <paramref name="hocon"/> (written to a file of its own) and returns once
    /// the lab is ready: it wrote its ready file (docs/control.md, "Readiness"). The lab stops it
    /// on dispose; a test may stop it sooner (<see cref="EngineProcess.Terminate"/>, `engine stop`).
    /// </summary>
    /// <param name="command">`run` and any options, e.g. "run --wait-peer east".</param>
    public EngineProcess Start(string hocon, string command = "run", TimeSpan? timeout = null)
    {
        var readyFile = Path.Combine(Path.GetTempPath(), $"{Prefix}-ready-{_engines.Count}.json");
        _files.Add(readyFile);
        var engine = EngineProcess.Launch($"{command} --ready-file \"{readyFile}\"", hocon);
        _engines.Add(engine);
        engine.WaitForReadyFile(readyFile, timeout ?? ReadyTimeout);
        return engine;
    }

    /// <summary>Runs <paramref name="command"/> inside host <paramref name="host"/>'s namespace (<see cref="Namespace"/>).</summary>
    public Shell.Result InHost(string host, string command, TimeSpan? timeout = null) =>
        Shell.InNamespace(Namespace(host), command, timeout);

    /// <summary>Like <see cref="InHost"/>, for setup that must succeed: a failure throws with the command's output.</summary>
    public Shell.Result MustRunInHost(string host, string command, TimeSpan? timeout = null)
    {
        var result = InHost(host, command, timeout);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{command} in {Namespace(host)} failed ({result.ExitCode}):\n{result.All}");
        return result;
    }

    public void Dispose()
    {
        // The engines first: each deletes what it made, as a user's SIGTERM would have it.
        foreach (var engine in Enumerable.Reverse(_engines)) engine.Dispose();
        if (_log is not null)
            foreach (var engine in _engines) _log(engine.Log);
        foreach (var ns in Shell.Namespaces().Where(n => n.StartsWith($"{Prefix}-", StringComparison.Ordinal)))
            Shell.Run("ip", $"netns delete {ns}");
        foreach (var file in _files) File.Delete(file);
    }
}
