using System.Text.Json;

namespace Engine.Commands;

/// <summary>
/// `engine status`, `routes`, `reload` and `stop`: one request to the running lab's control socket, found
/// from `--socket` or else from the lab file (<see cref="ControlSocketPath"/>). The answer is
/// printed as a table, or as the engine's JSON line with `--json`.
/// </summary>
internal static class LabRequestCommand
{
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(30);

    public static int Execute(string command, FileInfo config, string? socket, bool json, TextWriter output, TextWriter error)
    {
        if (SocketOf(config, socket, error) is not { } path) return ExitCodes.BadInput;
        using var answer = ControlClient.Request(path, command, error, out var exitCode);
        if (answer is null) return exitCode;
        if (command == "stop") return AwaitStop(path, answer, json, output, error);
        if (json) output.WriteLine(answer.RootElement.GetRawText());
        else if (command == "status") StatusText.Write(answer.RootElement, output);
        else if (command == "reload") ReloadText.Write(answer.RootElement, output);
        else RoutesText.Write(answer.RootElement, output);
        return ExitCodes.Ok;
    }

    /// <summary>The socket to ask: <paramref name="socket"/> when given, else the lab file's; null (after saying why) when the file is bad.</summary>
    internal static string? SocketOf(FileInfo config, string? socket, TextWriter error)
    {
        if (socket is not null) return socket;
        if (!config.Exists)
        {
            error.WriteLine($"{config.FullName}: no such lab file (name the socket with --socket)");
            return null;
        }
        return LabFile.TryLoad(config, out var lab) ? ControlSocketPath.Of(config, lab.Settings) : null;
    }

    /// <summary>The lab stops as on SIGTERM; the command returns once its socket is gone, so a script may start it again at once.</summary>
    private static int AwaitStop(string path, JsonDocument answer, bool json, TextWriter output, TextWriter error)
    {
        var deadline = DateTime.UtcNow + StopWait;
        while (File.Exists(path) && DateTime.UtcNow < deadline) Thread.Sleep(50);
        if (File.Exists(path))
        {
            error.WriteLine($"the lab was asked to stop but {path} is still there after {StopWait.TotalSeconds} s");
            return ExitCodes.Failure;
        }
        output.WriteLine(json ? answer.RootElement.GetRawText() : "stopped");
        return ExitCodes.Ok;
    }
}
