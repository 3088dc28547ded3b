namespace Engine.Actors.Topology;

/// <summary>The engine-wide keys: counters-interval, batch-size, log-file.</summary>
internal static class SettingsReader
{
    public static EngineSettings Read(ObjectReader engine, ErrorList errors) =>
        new(ReadCountersInterval(engine, errors),
            engine.Int("batch-size", EngineSettings.MinBatchSize, EngineSettings.MaxBatchSize) ?? EngineSettings.DefaultBatchSize,
            ReadLogFile(engine, errors));

    private static TimeSpan? ReadCountersInterval(ObjectReader engine, ErrorList errors)
    {
        const string expectation = "a duration like 10s, or off";
        if (engine.Scalar("counters-interval", expectation) is not { } written || written.Text == "off")
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
}
