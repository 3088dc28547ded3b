using System.CommandLine;

namespace Engine.Commands;

/// <summary>
/// The `engine` command: `run`, `check` and `cleanup`. Bare `engine` names no command, so it
/// prints the help with System.CommandLine's "Required command was not provided." and exit 1,
/// rather than building a lab nobody asked for.
/// </summary>
public static class EngineCommandLine
{
    public const int ExitConfigError = 2;

    /// <summary>The lab is running in another engine (run and cleanup refuse).</summary>
    public const int ExitLabRunning = 3;

    public static RootCommand Build()
    {
        var config = new Option<FileInfo>("--config", "-c")
        {
            Description = "The lab to build, in HOCON",
            DefaultValueFactory = _ => new FileInfo("config.hocon"),
        };
        // Strings, checked by RunCommand: a bad value is refused as the lab's keys are (`path: reason`, exit 2).
        var logLevel = new Option<string?>("--log-level")
        {
            Description = "The least severe events logged (verbose, debug, information, warning, error); overrides the lab's engine.log-level",
        };
        var logFormat = new Option<string?>("--log-format")
        {
            Description = "text or json (one JSON object a line); overrides the lab's engine.log-format",
        };

        var run = new Command("run", "Build the lab and forward until SIGTERM/SIGINT") { config, logLevel, logFormat };
        run.SetAction((result, token) => RunCommand.ExecuteAsync(result.GetValue(config)!,
            new LogOptions(result.GetValue(logLevel), result.GetValue(logFormat)), token));

        var check = new Command("check", "Validate the lab and print what would be built") { config };
        check.SetAction(result => CheckCommand.Execute(result.GetValue(config)!));

        var cleanup = new Command("cleanup", "Delete the namespaces the lab declares, after an engine that could not clean up") { config };
        cleanup.SetAction(result => CleanupCommand.Execute(result.GetValue(config)!));

        return new RootCommand("Engine: an actor-based packet-switching engine for network labs") { run, check, cleanup };
    }
}
