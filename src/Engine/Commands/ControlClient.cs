using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Engine.Commands;

/// <summary>
/// One request to a running lab over its control socket, and its answer: what `engine status`,
/// `routes` and `stop` send. Failures are one line on stderr and the exit code for them: 3 when no
/// engine serves the socket, 2 for a request the engine calls bad, 1 for the rest.
/// </summary>
internal static class ControlClient
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The answer's root object when "ok" is true; null with <paramref name="exitCode"/> set otherwise.</summary>
    public static JsonDocument? Request(string socketPath, string command, TextWriter error, out int exitCode)
    {
        using var socket = Connect(socketPath, error, out exitCode);
        return socket is null ? null : Exchange(socket, socketPath, new { command }, error, out exitCode, out _);
    }

    /// <summary>A connection to the lab's socket; null, said on <paramref name="error"/>, with the exit code for it.</summary>
    public static Socket? Connect(string socketPath, TextWriter error, out int exitCode)
    {
        exitCode = ExitCodes.Ok;
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.ReceiveTimeout = socket.SendTimeout = (int)Timeout.TotalMilliseconds;
            return socket;
        }
        catch (SocketException e)
        {
            socket.Dispose();
            var line = !File.Exists(socketPath) ? $"lab not running: no control socket {socketPath}"
                : e.SocketErrorCode == SocketError.ConnectionRefused ? $"lab not running: nothing serves {socketPath}"
                : $"cannot reach {socketPath}: {e.Message}";
            error.WriteLine(line);
            exitCode = line.StartsWith("lab not running", StringComparison.Ordinal) ? ExitCodes.NotRunning : ExitCodes.Failure;
            return null;
        }
    }

    /// <summary>Sends <paramref name="request"/> and reads its answer line; what came after the line is in <paramref name="rest"/>.</summary>
    public static JsonDocument? Exchange(Socket socket, string socketPath, object request, TextWriter error, out int exitCode, out byte[] rest)
    {
        rest = [];
        try
        {
            socket.Send(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(request) + "\n"));
            var line = ReadLine(socket, out rest);
            if (line is null) return Fail(error, $"{socketPath} closed without an answer", ExitCodes.Failure, out exitCode);
            var answer = JsonDocument.Parse(line);
            if (answer.RootElement.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True)
            {
                exitCode = ExitCodes.Ok;
                return answer;
            }
            var reason = answer.RootElement.TryGetProperty("error", out var text) ? text.GetString() : line;
            var badRequest = answer.RootElement.TryGetProperty("kind", out var kind) && kind.GetString() == "bad-request";
            return Fail(error, $"engine: {reason}", badRequest ? ExitCodes.BadInput : ExitCodes.Failure, out exitCode);
        }
        catch (Exception e) when (e is SocketException or JsonException)
        {
            return Fail(error, $"{socketPath}: {e.Message}", ExitCodes.Failure, out exitCode);
        }
    }

    private static string? ReadLine(Socket socket, out byte[] rest)
    {
        rest = [];
        var received = new MemoryStream();
        var buffer = new byte[16384];
        while (true)
        {
            var n = socket.Receive(buffer);
            if (n == 0) return received.Length == 0 ? null : Encoding.UTF8.GetString(received.ToArray());
            var newline = Array.IndexOf(buffer, (byte)'\n', 0, n);
            received.Write(buffer, 0, newline < 0 ? n : newline);
            if (newline < 0) continue;
            rest = buffer[(newline + 1)..n];
            return Encoding.UTF8.GetString(received.ToArray());
        }
    }

    private static JsonDocument? Fail(TextWriter error, string line, int code, out int exitCode)
    {
        error.WriteLine(line);
        exitCode = code;
        return null;
    }
}
