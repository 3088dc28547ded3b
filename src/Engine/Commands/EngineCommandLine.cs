using System.CommandLine;

namespace Engine.Commands;

/// <summary>
/// The `engine` command: `run`, `check` and `cleanup`; `status`, `routes`, `route add|del`, `reload`, `stop` and `capture` for a running lab. Bare `engine` names no command, so it
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

        var readyFile = new Option<string?>("--ready-file")
        {
            Description = "Write {pid, socket, ports} as JSON to this file once the lab is up (and the --wait-peer links are)",
        };
        var waitPeer = new Option<string[]>("--wait-peer")
        {
            Description = "A peer whose link must be up before the lab counts as ready (ready file, READY=1, --detach); repeatable",
            AllowMultipleArgumentsPerToken = false,
        };
        var detach = new Option<bool>("--detach")
        {
            Description = "Start the engine in the background, return once the lab is ready, print {pid, socket, ports} as JSON",
        };
        var run = new Command("run", "Build the lab and forward until SIGTERM/SIGINT or `engine stop`") { config, logLevel, logFormat, readyFile, waitPeer, detach };
        run.SetAction((result, token) =>
        {
            var options = new RunOptions(result.GetValue(config)!, new LogOptions(result.GetValue(logLevel), result.GetValue(logFormat)),
                result.GetValue(readyFile), result.GetValue(waitPeer) ?? []);
            return result.GetValue(detach) ? Task.FromResult(DetachCommand.Execute(options, Console.Out, Console.Error)) : RunCommand.ExecuteAsync(options, token);
        });

        var check = new Command("check", "Validate the lab and print what would be built") { config };
        check.SetAction(result => CheckCommand.Execute(result.GetValue(config)!));

        var cleanup = new Command("cleanup", "Delete the namespaces the lab declares, after an engine that could not clean up") { config };
        cleanup.SetAction(result => CleanupCommand.Execute(result.GetValue(config)!));

        var socket = new Option<string?>("--socket")
        {
            Description = "The lab's control socket (default: the lab file's control.socket, or /run/engine/<lab file name>.sock)",
        };
        var json = new Option<bool>("--json") { Description = "Print the engine's answer as one JSON object" };
        Command LabRequest(string name, string description)
        {
            var command = new Command(name, description) { config, socket, json };
            command.SetAction(result => LabRequestCommand.Execute(name, result.GetValue(config)!, result.GetValue(socket), result.GetValue(json),
                Console.Out, Console.Error));
            return command;
        }

        var capturePort = new Argument<string>("PORT") { Description = "The port (device or peer) whose frames to capture" };
        var count = new Option<long?>("--count", "-c") { Description = "Stop after this many frames" };
        var writeTo = new Option<string?>("--write", "-w") { Description = "The pcapng file to write, or - for stdout (needed when stdout is a terminal)" };
        // -c is tcpdump's count here, so the lab file is --config only.
        var captureConfig = new Option<FileInfo>("--config")
        {
            Description = "The running lab's file, for its control socket",
            DefaultValueFactory = _ => new FileInfo("config.hocon"),
        };
        var capture = new Command("capture", "Capture what a port receives and is sent, as pcapng, live: engine capture tun-a -w - | tshark -r -")
        {
            capturePort, count, writeTo, captureConfig, socket,
        };
        capture.SetAction(result => CaptureCommand.Execute(result.GetValue(capturePort)!, result.GetValue(count), result.GetValue(writeTo),
            result.GetValue(captureConfig)!, result.GetValue(socket), Console.Error));

        var routePrefix = new Argument<string>("PREFIX") { Description = "The route's prefix, like 10.9.0.0/24" };
        var routeVias = new Argument<string[]>("VIA") { Description = "A routed port, or a next-hop address a connected subnet holds; two or more spread flows (ECMP)", Arity = ArgumentArity.OneOrMore };
        var routeBackup = new Option<string?>("--backup") { Description = "The port or next hop used while VIA is a peer whose link is down" };
        var routeAdd = new Command("add", "Add or replace the runtime route to PREFIX") { routePrefix, routeVias, routeBackup, config, socket, json };
        routeAdd.SetAction(result => RouteCommand.Add(result.GetValue(routePrefix)!, result.GetValue(routeVias)!, result.GetValue(routeBackup),
            result.GetValue(config)!, result.GetValue(socket), result.GetValue(json), Console.Out, Console.Error));
        var routeDel = new Command("del", "Delete the runtime route to PREFIX") { routePrefix, config, socket, json };
        routeDel.SetAction(result => RouteCommand.Delete(result.GetValue(routePrefix)!, result.GetValue(config)!, result.GetValue(socket),
            result.GetValue(json), Console.Out, Console.Error));
        var route = new Command("route", "Change the running lab's table: runtime routes, behind the lab file's static routes and in front of FPM's") { routeAdd, routeDel };

        return new RootCommand("Engine: an actor-based packet-switching engine for network labs.\n" + ExitCodes.Help)
        {
            run, check, cleanup,
            LabRequest("status", "Show the running lab: ports, peers, counters, drops by reason, router totals"),
            LabRequest("routes", "Show the running lab's routing table: prefix, next hop, backup, source, state"),
            LabRequest("reload", "Read the lab file again and apply what changed: devices, peers and routes added, removed or recreated, the rest untouched (SIGHUP does the same). Exit codes: 0 applied, 1 failure, 2 a bad file or a change a running lab cannot take (nothing changed; its path: reason lines on stderr), 3 lab not running"),
            LabRequest("stop", "Stop the running lab as SIGTERM would, and wait until it is gone"),
            route,
            capture,
        };
    }
}
