namespace Engine.Commands;

/// <summary>
/// `engine route add PREFIX VIA... [--backup HOP]` and `engine route del PREFIX`: a runtime route in
/// the running lab's table (docs/control.md), behind the lab file's static routes, in front of FPM's.
/// </summary>
internal static class RouteCommand
{
    public static int Add(string prefix, string[] vias, string? backup, FileInfo config, string? socket, bool json, TextWriter output, TextWriter error) =>
        Send(new { command = "route-add", prefix, via = vias, backup }, config, socket, json, output, error);

    public static int Delete(string prefix, FileInfo config, string? socket, bool json, TextWriter output, TextWriter error) =>
        Send(new { command = "route-del", prefix }, config, socket, json, output, error);

    private static int Send(object request, FileInfo config, string? socket, bool json, TextWriter output, TextWriter error)
    {
        if (LabRequestCommand.SocketOf(config, socket, error) is not { } path) return ExitCodes.BadInput;
        using var connection = ControlClient.Connect(path, error, out var exitCode);
        if (connection is null) return exitCode;
        using var answer = ControlClient.Exchange(connection, path, request, error, out exitCode, out _);
        if (answer is null) return exitCode;
        var root = answer.RootElement;
        if (json)
            output.WriteLine(root.GetRawText());
        else if (root.TryGetProperty("added", out var added))
            output.WriteLine($"{(root.GetProperty("replaced").GetBoolean() ? "replaced" : "added")} {added.GetString()}; the table's route to it is {root.GetProperty("installed").GetString()}'s");
        else
            output.WriteLine($"deleted {root.GetProperty("deleted").GetString()}; the table's route to it is {root.GetProperty("installed").GetString()}'s");
        return ExitCodes.Ok;
    }
}
