using System.CommandLine;

namespace Engine.Commands;

/// <summary>The `engine` command: `run` (the default), `check` and `cleanup`.</summary>
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

        var run = new Command("run", "Build the lab and forward until SIGTERM/SIGINT (the default)") { config };
        run.SetAction((result, token) => RunCommand.ExecuteAsync(result.GetValue(config)!, token));

        var check = new Command("check", "Validate the lab and print what would be built") { config };
        check.SetAction(result => CheckCommand.Execute(result.GetValue(config)!));

        var cleanup = new Command("cleanup", "Delete the namespaces the lab declares, after an engine that could not clean up") { config };
        cleanup.SetAction(result => CleanupCommand.Execute(result.GetValue(config)!));

        var root = new RootCommand("Engine: an actor-based packet-switching engine for network labs") { config, run, check, cleanup };
        root.SetAction((result, token) => RunCommand.ExecuteAsync(result.GetValue(config)!, token));
        return root;
    }
}
