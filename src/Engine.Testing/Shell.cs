using System.Diagnostics;

namespace Engine.Testing;

/// <summary>Runs Debian tools for the tests (never used by the engine itself).</summary>
public static class Shell
{
    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    /// <param name="environment">Variables set for the command besides the test's own.</param>
    public static Result Run(string file, string arguments, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments} did not finish in time");
        }
        return new Result(process.ExitCode, output.Result, error.Result);
    }

    /// <summary>Runs a command inside network namespace <paramref name="ns"/>.</summary>
    public static Result InNamespace(string ns, string command, TimeSpan? timeout = null) =>
        Run("ip", $"netns exec {ns} {command}", timeout);

    /// <summary>Runs a command that must succeed (a test's setup); a failure throws with its output.</summary>
    public static void MustRun(string file, string arguments)
    {
        var result = Run(file, arguments);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed:\n{result.All}");
    }

    /// <summary>Runs a command that must succeed inside namespace <paramref name="ns"/>.</summary>
    public static void MustRunIn(string ns, string command)
    {
        var result = InNamespace(ns, command);
        if (result.ExitCode != 0) throw new InvalidOperationException($"{command} in {ns} failed:\n{result.All}");
    }

    public static IReadOnlyList<string> Namespaces() =>
        Run("ip", "netns list").Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0]).ToList();

    public static bool LinkExists(string name) => Run("ip", $"link show dev {name}").ExitCode == 0;
}
