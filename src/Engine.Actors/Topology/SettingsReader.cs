using Engine.Native.Reactor;
using Serilog.Events;

namespace Engine.Actors.Topology;

/// <summary>The engine-wide keys: counters-interval, batch-size, dataplane-nice, flood-nice, dataplane-realtime, busy-poll, log-file, log-level, log-format, node-name, control.</summary>
internal static class SettingsReader
{
    public static EngineSettings Read(ObjectReader engine, ErrorList errors)
    {
        var dataplaneNice = engine.Int("dataplane-nice", LoopThreadPriority.MinNice, LoopThreadPriority.MaxNice) ?? EngineSettings.DefaultDataplaneNice;
        var settings = new EngineSettings(ReadCountersInterval(engine, errors),
            engine.Int("batch-size", EngineSettings.MinBatchSize, EngineSettings.MaxBatchSize) ?? EngineSettings.DefaultBatchSize,
            ReadLogFile(engine, errors))
        {
            DataplaneNice = dataplaneNice,
            FloodNice = ReadFloodNice(engine, dataplaneNice, errors),
            DataplaneRealtime = engine.Int("dataplane-realtime", 0, LoopThreadPriority.MaxRealtimePriority) ?? EngineSettings.DefaultDataplaneRealtime,
            BusyPoll = engine.Duration("busy-poll", TimeSpan.Zero, EngineSettings.MaxBusyPoll) ?? EngineSettings.DefaultBusyPoll,
            LogLevel = ReadName<LogEventLevel>(engine, "log-level", LogNames.KnownLevels, LogNames.TryParseLevel, errors) ?? EngineSettings.Default.LogLevel,
            LogFormat = ReadName<LogFormat>(engine, "log-format", LogNames.KnownFormats, LogNames.TryParseFormat, errors) ?? EngineSettings.Default.LogFormat,
        };
        var (socket, group) = ControlSettingsReader.Read(engine, errors);
        settings = settings with { ControlSocket = socket, ControlGroup = group };
        return ReadNodeName(engine, errors) is { } name ? settings with { NodeName = name } : settings;
    }

    /// <summary>Not below dataplane-nice when written; unwritten, the default, or dataplane-nice if that is higher (no backoff).</summary>
    private static int ReadFloodNice(ObjectReader engine, int dataplaneNice, ErrorList errors)
    {
        if (engine.Int("flood-nice", LoopThreadPriority.MinNice, LoopThreadPriority.MaxNice) is not { } written)
            return Math.Max(EngineSettings.DefaultFloodNice, dataplaneNice);
        if (written < dataplaneNice)
            errors.Add(engine.PathOf("flood-nice"), $"must not be below dataplane-nice ({dataplaneNice}), got {written}");
        return written;
    }

    private static string? ReadNodeName(ObjectReader engine, ErrorList errors)
    {
        if (engine.Scalar("node-name", "a name") is not { } written)
            return null;
        var name = written.Text;
        var bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        if (bytes is 0 or > EngineSettings.MaxNodeNameBytes)
            errors.Add(written.Path, $"must be 1 to {EngineSettings.MaxNodeNameBytes} bytes long, got {bytes}");
        else if (name.Any(char.IsControl))
            errors.Add(written.Path, "must not contain control characters");
        return name;
    }

    private static TimeSpan? ReadCountersInterval(ObjectReader engine, ErrorList errors)
    {
        const string expectation = "a duration like 10s, or off";
        if (engine.Scalar("counters-interval", expectation) is not { } written)
            return EngineSettings.DefaultCountersInterval;
        if (written.Text == "off")
            return null;
        if (!DurationText.TryParse(written.Text, out var interval, out var hasUnit))
        {
            errors.Add(written.Path, $"must be {expectation}, got {written.Describe()}");
            return null;
        }
        if (interval == TimeSpan.Zero)
            return null;
        var min = EngineSettings.MinCountersInterval;
        var max = EngineSettings.MaxCountersInterval;
        if (interval < min)
            errors.Add(written.Path, $"must be at least {DurationText.Format(min)} (or 0 or off to disable), got {written.Describe()}"
                + (hasUnit ? "" : " (a number without a unit means milliseconds)"));
        else if (interval > max)
            errors.Add(written.Path, $"must be at most {DurationText.Format(max)}, got {written.Describe()}");
        return interval;
    }

    private static string? ReadLogFile(ObjectReader engine, ErrorList errors)
    {
        if (engine.Scalar("log-file", "a file path") is not { } written)
            return null;
        var path = written.Text;
        if (string.IsNullOrWhiteSpace(path))
            errors.Add(written.Path, "must name a file");
        else if (path.Contains('\0'))
            errors.Add(written.Path, "must not contain NUL");
        else if (path.EndsWith('/'))
            errors.Add(written.Path, $"{ValueText.Quote(path)} names a directory; name the log file itself");
        return path;
    }

    private delegate bool NameParser<T>(string text, out T value);

    /// <summary>A key whose value is one of a few names (log-level, log-format); null when absent or refused.</summary>
    private static T? ReadName<T>(ObjectReader engine, string key, string known, NameParser<T> parse, ErrorList errors) where T : struct
    {
        var expectation = "one of " + known;
        if (engine.Scalar(key, expectation) is not { } written)
            return null;
        if (parse(written.Text, out var value))
            return value;
        errors.Add(written.Path, $"must be {expectation}, got {written.Describe()}");
        return null;
    }
}
