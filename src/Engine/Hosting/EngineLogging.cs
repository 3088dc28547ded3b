using Engine.Actors.Topology;
using Serilog;
using Serilog.Events;
using Serilog.Formatting;
using Serilog.Formatting.Compact;
using Serilog.Formatting.Display;

namespace Engine.Hosting;

/// <summary>
/// The engine's Serilog logger, from the lab's log settings (the `run` options already applied):
/// the least level logged, text or JSON, the console and the optional log file.
/// </summary>
internal static class EngineLogging
{
    // A terminal's reader knows the day; a file outlives it, so its lines carry the date and offset.
    internal const string ConsoleTemplate = "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}";
    internal const string FileTemplate = "[{Timestamp:yyyy-MM-ddTHH:mm:ss.fffzzz} {Level:u3}] {Message:lj}{NewLine}{Exception}";

    public static Serilog.Core.Logger CreateLogger(EngineSettings settings)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Is(settings.LogLevel)
            // The host's own chatter is not the lab's: at debug it would bury the engine's lines.
            .MinimumLevel.Override("Microsoft", (LogEventLevel)Math.Max((int)settings.LogLevel, (int)LogEventLevel.Warning))
            .Enrich.FromLogContext();
        // Text on the console keeps the sink's own template, so a terminal still gets its colours.
        config = JsonFormatterFor(settings.LogFormat) is { } consoleJson
            ? config.WriteTo.Console(consoleJson, standardErrorFromLevel: LogEventLevel.Verbose)
            : config.WriteTo.Console(outputTemplate: ConsoleTemplate, standardErrorFromLevel: LogEventLevel.Verbose);
        if (settings.LogFile is { } file)
            config = config.WriteTo.File(JsonFormatterFor(settings.LogFormat) ?? new MessageTemplateTextFormatter(FileTemplate), file);
        return config.CreateLogger();
    }

    /// <summary>
    /// For JSON, Serilog's compact format with the message rendered: one object a line with an ISO
    /// 8601 timestamp (@t), the message (@m), the level (@l, left out for information) and each
    /// property by name; null for text.
    /// </summary>
    internal static ITextFormatter? JsonFormatterFor(LogFormat format) =>
        format == LogFormat.Json ? new RenderedCompactJsonFormatter() : null;

    /// <summary>
    /// Akka filters before Serilog sees an event, so its level follows the engine's (Akka has no
    /// verbose). What Akka logs while its system starts and after it has let go of the logger
    /// actor on the way out goes through <see cref="SerilogMinimalLogger"/> at the same level,
    /// in the engine's format: a JSON log has no line of Akka's own format.
    /// </summary>
    internal static string AkkaLogSettings(EngineSettings settings)
    {
        var level = settings.LogLevel switch
        {
            LogEventLevel.Verbose or LogEventLevel.Debug => "DEBUG",
            LogEventLevel.Information => "INFO",
            LogEventLevel.Warning => "WARNING",
            _ => "ERROR",
        };
        var stdoutLogger = typeof(SerilogMinimalLogger).FullName + ", " + typeof(SerilogMinimalLogger).Assembly.GetName().Name;
        return $"akka.loglevel = {level}\nakka.stdout-loglevel = {level}\nakka.stdout-logger-class = \"{stdoutLogger}\"";
    }
}
