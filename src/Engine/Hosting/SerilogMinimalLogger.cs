using Akka.Event;
using Serilog.Events;

namespace Engine.Hosting;

/// <summary>
/// Akka's logger for the moments it has no logger actor: while the actor system starts, and after
/// it has let go of the Serilog logger actor on the way out (`akka.stdout-logger-class`). Its
/// lines go through the engine's Serilog logger like every other, so a JSON log stays JSON to the
/// last line and the log file gets them too, instead of Akka's own format on stdout.
/// </summary>
public sealed class SerilogMinimalLogger : MinimalLogger
{
    protected override void Log(object message)
    {
        if (message is not Akka.Event.LogEvent logEvent) return;
        Serilog.Log.Logger.ForContext("LogSource", logEvent.LogSource)
            .Write(LevelOf(logEvent.LogLevel()), logEvent.Cause, "{AkkaMessage:l}", logEvent.Message?.ToString());
    }

    private static LogEventLevel LevelOf(LogLevel level) => level switch
    {
        LogLevel.DebugLevel => LogEventLevel.Debug,
        LogLevel.InfoLevel => LogEventLevel.Information,
        LogLevel.WarningLevel => LogEventLevel.Warning,
        _ => LogEventLevel.Error,
    };
}
