using Akka.Hosting;
using Engine.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;

namespace Engine.Commands;

internal static class RunCommand
{
    public static async Task<int> ExecuteAsync(FileInfo config, LogOptions logOptions, CancellationToken cancellation)
    {
        // The whole file is checked before anything is created, and the lab is locked: a second
        // run of it refuses here, naming the first.
        if (!LabFile.TryLoad(config, out var lab, new KernelLinkNames())) return EngineCommandLine.ExitConfigError;
        if (logOptions.ApplyTo(lab.Settings, Console.Error) is not { } settings) return EngineCommandLine.ExitConfigError;
        lab = lab with { Settings = settings };
        using var locks = LabLocks.TryAcquireOrExplain(lab, "not starting", out var refused);
        if (locks is null) return refused;

        Log.Logger = EngineLogging.CreateLogger(lab.Settings);
        try
        {
            Log.Information("engine starting with {Config}", config.FullName);
            var builder = Host.CreateApplicationBuilder();
            builder.Services.AddSerilog();
            builder.Services.AddEngine(lab, File.ReadAllText(config.FullName));
            using var host = builder.Build();
            using var signals = new EngineSignals(host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication);
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
            await Log.CloseAndFlushAsync();
        }
    }
}
