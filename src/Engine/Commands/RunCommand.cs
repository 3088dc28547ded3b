using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using Engine.Actors.Lab;
using Engine.Actors.Control;
using Engine.Actors.Topology;
using Engine.Hosting;
using Engine.Native.Process;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Engine.Commands;

internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(RunOptions options, CancellationToken cancellation)
    {
        var config = options.Config;
        // The whole file is checked before anything is created, and the lab is locked: a second
        // run of it refuses here, naming the first.
        if (!LabFile.TryLoad(config, out var lab, new KernelLinkNames())) return EngineCommandLine.ExitConfigError;
        if (options.Log.ApplyTo(lab.Settings, Console.Error) is not { } settings) return EngineCommandLine.ExitConfigError;
        lab = lab with { Settings = settings };
        if (!WaitPeersExist(lab, options.WaitPeers)) return EngineCommandLine.ExitConfigError;
        using var locks = LabLocks.TryAcquireOrExplain(lab, "not starting", out var refused);
        if (locks is null) return refused;
        var socketPath = ControlSocketPath.Of(config, lab.Settings);
        if (OpenControlSocket(socketPath, lab.Settings.ControlGroup) is not { } listener) return ExitCodes.Failure;
        if (options.ReadyFile is { } stale) File.Delete(stale);
        // Started by `run --detach`: out of the terminal's session, so its Ctrl-C and hang-up do not reach the lab.
        if (Environment.GetEnvironmentVariable(DetachCommand.DetachedVariable) == "1") ProcessIdentity.StartSession();

        Log.Logger = EngineLogging.CreateLogger(lab.Settings);
        try
        {
            Log.Information("engine starting with {Config}", config.FullName);
            // Without the defaults: the lab file is the engine's only configuration, and the default
            // appsettings.json source would watch the working directory's whole tree ("/" under a
            // service manager: a watch on every directory of the machine, a wake-up for every write).
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.AddSerilog();
            // A reload reads the file as run did, and keeps run's own options over the file's keys;
            // the running lab's devices are its own, also those an earlier reload added.
            LabSource? source = null;
            var started = lab;
            source = new LabSource(config.FullName, () => TopologyParser.ParseFile(config.FullName, new KernelLinkNames(() => source?.Applied ?? started)),
                fileSettings => options.Log.ApplyTo(fileSettings, TextWriter.Null) ?? fileSettings) { Locks = locks };
            builder.Services.AddEngine(lab, File.ReadAllText(config.FullName),
                new EngineControl(listener, socketPath, new ReadinessOptions(options.ReadyFile, options.WaitPeers)), source);
            using var host = builder.Build();
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            using var signals = new EngineSignals(host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication, () =>
            {
                if (registry.TryGet<LabActor>(out var labActor)) labActor.Tell(ReloadLab.Instance);
            });
            await host.RunAsync(cancellation);
            Log.Information("engine stopped");
            return Environment.ExitCode;
        }
        catch (Exception e)
        {
            Log.Fatal(e, "engine failed");
            return 1;
        }
        finally
        {
            // The control server removes its socket as it stops; this covers a host that never started it.
            listener.Dispose();
            File.Delete(socketPath);
            if (options.ReadyFile is { } ready) File.Delete(ready);
            await Log.CloseAndFlushAsync();
        }
    }

    private static Socket? OpenControlSocket(string path, uint? group)
    {
        try
        {
            return ControlListener.Open(path, group);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"not starting: control socket: {e.Message}");
            return null;
        }
    }

    private static bool WaitPeersExist(LabTopology lab, IReadOnlyList<string> waitPeers)
    {
        var unknown = waitPeers.Where(name => lab.Peers.All(p => p.Name != name)).ToList();
        foreach (var name in unknown)
            Console.Error.WriteLine($"--wait-peer {name}: the lab has no peer of that name");
        return unknown.Count == 0;
    }
}
