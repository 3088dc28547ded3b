namespace Engine.Commands;

/// <summary>
/// `engine capture PORT [-c COUNT] [-w FILE|-]`: what the port receives and is sent, as pcapng,
/// written live (`engine capture tun-a -w - | tshark -r -`) until COUNT frames or until stopped.
/// </summary>
internal static class CaptureCommand
{
    public static int Execute(string port, long? count, string? write, FileInfo config, string? socketOption, TextWriter error)
    {
        if (count is < 1)
        {
            error.WriteLine($"-c: must be at least 1, got {count}");
            return ExitCodes.BadInput;
        }
        if (write is null && !Console.IsOutputRedirected)
        {
            error.WriteLine("pcapng is binary: write it to a file (-w FILE) or pipe it (-w - | tshark -r -)");
            return ExitCodes.BadInput;
        }
        if (LabRequestCommand.SocketOf(config, socketOption, error) is not { } path) return ExitCodes.BadInput;
        using var socket = ControlClient.Connect(path, error, out var exitCode);
        if (socket is null) return exitCode;
        using var answer = ControlClient.Exchange(socket, path, new { command = "capture", port, count }, error, out exitCode, out var rest);
        if (answer is null) return exitCode;

        socket.ReceiveTimeout = 0; // a quiet port sends nothing for as long as it is quiet
        using var output = write is null or "-" ? Console.OpenStandardOutput() : File.Create(write);
        try
        {
            output.Write(rest);
            output.Flush();
            var buffer = new byte[64 * 1024];
            int n;
            while ((n = socket.Receive(buffer)) > 0)
            {
                output.Write(buffer, 0, n);
                output.Flush();
            }
        }
        catch (IOException)
        {
            // The reader went away (`| head`): the capture ends with it.
        }
        return ExitCodes.Ok;
    }
}
