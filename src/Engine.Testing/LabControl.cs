using System.Text.Json;
using Engine.Commands;

namespace Engine.Testing;

/// <summary>
/// A running engine's control socket and CLI, as a script uses them: typed status through the
/// socket (the client `engine status` uses), and any other command through the real binary.
/// </summary>
public static class LabControl
{
    /// <summary>The lab's control socket: what its ready file said, else where the CLI looks for it from the lab file.</summary>
    public static string SocketPath(this EngineProcess engine)
    {
        if (engine.Ready is { } ready) return ready.Socket;
        var error = new StringWriter();
        return LabRequestCommand.SocketOf(new FileInfo(engine.ConfigPath), null, error)
            ?? throw new InvalidOperationException($"no control socket for {engine.ConfigPath}: {error}");
    }

    /// <summary>The lab's ports, counters, drops and router totals now (the `status` request).</summary>
    public static LabStatus Status(this EngineProcess engine)
    {
        var path = engine.SocketPath();
        var error = new StringWriter();
        using var answer = ControlClient.Request(path, "status", error, out var exitCode)
            ?? throw new InvalidOperationException($"status from {path} failed (exit code {exitCode}): {error}");
        return answer.RootElement.Deserialize<LabStatus>(LabStatus.Json)
            ?? throw new JsonException($"not a status answer: {answer.RootElement}");
    }

    /// <summary>Runs `engine <paramref name="arguments"/> --config LAB` against this engine's lab file.</summary>
    public static Shell.Result Cli(this EngineProcess engine, string arguments, TimeSpan? timeout = null) =>
        EngineCli.Run($"{arguments} --config \"{engine.ConfigPath}\"", timeout);
}
