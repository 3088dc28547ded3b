using System.Diagnostics;
using Engine.Native.Process;

namespace Engine.Commands;

/// <summary>
/// `engine run --detach`: starts the same `engine run` again without --detach, in a session of its
/// own, waits for its ready file, and prints it ({pid, socket, ports}). If the engine exits first,
/// what it said goes to stderr and its exit code is returned. The engine's console output is
/// dropped once this returns; a lab that wants its log gives it a log-file.
/// </summary>
internal static class DetachCommand
{
    /// <summary>Set for the engine that --detach starts; it then leaves the terminal's session.</summary>
    public const string DetachedVariable = "ENGINE_DETACHED";

    private const int KeptLines = 200;
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    public static int Execute(RunOptions options, TextWriter output, TextWriter error)
    {
        var readyFile = options.ReadyFile ?? Path.Combine(Path.GetTempPath(), $"engine-ready-{Guid.NewGuid():N}.json");
        var info = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in ChildArguments(Environment.GetCommandLineArgs(), Environment.ProcessPath!, options.ReadyFile is null ? readyFile : null))
            info.ArgumentList.Add(argument);
        info.Environment[DetachedVariable] = "1";

        var said = new Queue<string>();
        using var engine = Process.Start(info);
        if (engine is null)
        {
            error.WriteLine("could not start the engine");
            return ExitCodes.Failure;
        }
        engine.OutputDataReceived += (_, e) => Keep(said, e.Data);
        engine.ErrorDataReceived += (_, e) => Keep(said, e.Data);
        engine.BeginOutputReadLine();
        engine.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(readyFile))
            {
                output.WriteLine(File.ReadAllText(readyFile).TrimEnd());
                return ExitCodes.Ok;
            }
            if (engine.WaitForExit(50))
            {
                engine.WaitForExit();
                lock (said) foreach (var line in said) error.WriteLine(line);
                error.WriteLine($"the engine exited with {engine.ExitCode} before the lab was ready");
                return engine.ExitCode == 0 ? ExitCodes.Failure : engine.ExitCode;
            }
        }
        lock (said) foreach (var line in said) error.WriteLine(line);
        error.WriteLine($"the lab was not ready within {ReadyTimeout.TotalSeconds} s; stopping the engine (pid {engine.Id})");
        // SIGTERM, not Process.Kill's SIGKILL: what the engine built so far is taken down.
        ProcessIdentity.Terminate(engine.Id);
        return ExitCodes.Failure;
    }

    /// <summary>
    /// This command line without --detach (and with --ready-file when it had none): the program
    /// (the dll when run through `dotnet`), then the arguments.
    /// </summary>
    internal static IEnumerable<string> ChildArguments(string[] commandLine, string processPath, string? readyFile)
    {
        var throughDotnet = Path.GetFileNameWithoutExtension(processPath) == "dotnet";
        var arguments = commandLine.Skip(throughDotnet ? 0 : 1).Where(a => a != "--detach");
        return readyFile is null ? arguments : arguments.Concat(["--ready-file", readyFile]);
    }

    private static void Keep(Queue<string> said, string? line)
    {
        if (line is null) return;
        lock (said)
        {
            said.Enqueue(line);
            if (said.Count > KeptLines) said.Dequeue();
        }
    }
}
