using Engine.Actors.Topology;
using Serilog;
using Serilog.Events;

namespace Engine.Hosting;

internal static class EngineLogging
{
    private const string Template = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    public static Serilog.ILogger CreateLogger(LabTopology lab)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .WriteTo.Console(outputTemplate: Template, standardErrorFromLevel: LogEventLevel.Verbose);
        if (lab.Settings.LogFile is { } file)
            config = config.WriteTo.File(file, outputTemplate: Template);
        return config.CreateLogger();
    }
}
