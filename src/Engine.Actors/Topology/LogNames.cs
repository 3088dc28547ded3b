using Serilog.Events;

namespace Engine.Actors.Topology;

/// <summary>
/// The names of log levels and formats, shared by the lab's <c>log-level</c> and <c>log-format</c>
/// keys and the `run` options of the same names, so both take and refuse the same words.
/// </summary>
public static class LogNames
{
    // Fatal is left out: a level that hides errors would hide why the engine stopped.
    private static readonly (string Name, LogEventLevel Level)[] Levels =
    [
        ("verbose", LogEventLevel.Verbose),
        ("debug", LogEventLevel.Debug),
        ("information", LogEventLevel.Information),
        ("warning", LogEventLevel.Warning),
        ("error", LogEventLevel.Error),
    ];

    private static readonly (string Name, LogFormat Format)[] Formats = [("text", LogFormat.Text), ("json", LogFormat.Json)];

    public static readonly string KnownLevels = string.Join(", ", Levels.Select(l => l.Name));
    public static readonly string KnownFormats = string.Join(", ", Formats.Select(f => f.Name));

    public static bool TryParseLevel(string text, out LogEventLevel level) => TryFind(Levels, text, out level);

    public static bool TryParseFormat(string text, out LogFormat format) => TryFind(Formats, text, out format);

    public static string Name(LogEventLevel level) => Levels.First(l => l.Level == level).Name;

    public static string Name(LogFormat format) => Formats.First(f => f.Format == format).Name;

    private static bool TryFind<T>((string Name, T Value)[] names, string text, out T value)
    {
        var match = Array.FindIndex(names, n => n.Name == text);
        value = match < 0 ? default! : names[match].Value;
        return match >= 0;
    }
}
