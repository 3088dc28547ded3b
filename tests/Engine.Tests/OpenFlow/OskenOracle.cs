using System.Diagnostics;
using System.Text.Json;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// os-ken (python3-os-ken, Debian's system python) as the codec's oracle: osken_oracle.py builds
/// the messages a controller sends and parses what the engine answers, so the encodings are
/// checked against an implementation the engine shares nothing with.
/// </summary>
internal static class OskenOracle
{
    private static readonly string Script = Path.Combine(RepositoryRoot(), "tests", "Engine.Tests", "OpenFlow", "osken_oracle.py");

    /// <summary>The named messages, as os-ken serializes them.</summary>
    public static byte[][] Build(params string[] names) =>
        [.. Run(["build", .. names], "").Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Convert.FromHexString)];

    /// <summary>Each message as os-ken parses it: its class name and its fields.</summary>
    public static (string Class, JsonElement Fields)[] Parse(IEnumerable<byte[]> messages)
    {
        var input = string.Join('\n', messages.Select(Convert.ToHexString)) + "\n";
        return
        [
            .. Run(["parse"], input).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
            {
                var space = line.IndexOf(' ');
                return (line[..space], JsonDocument.Parse(line[(space + 1)..]).RootElement);
            }),
        ];
    }

    private static string Run(string[] arguments, string input)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Script);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0 || stderr.Result.Length > 0)
            throw new InvalidOperationException($"osken_oracle.py {string.Join(' ', arguments)} exited {process.ExitCode}: {stderr.Result}");
        return stdout;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Engine.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("no Engine.sln above " + AppContext.BaseDirectory);
    }
}
