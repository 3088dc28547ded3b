using System.Globalization;

namespace Engine.Actors.Topology;

/// <summary>
/// HOCON durations: a number with an optional unit ("10s", "1.5 m", "500ms"). As in the HOCON
/// spec, a bare number means milliseconds.
/// </summary>
internal static class DurationText
{
    private static readonly (string[] Names, double Milliseconds)[] Units =
    [
        (["us", "micro", "micros", "microsecond", "microseconds"], 0.001),
        (["ms", "milli", "millis", "millisecond", "milliseconds"], 1),
        (["s", "second", "seconds"], 1000),
        (["m", "minute", "minutes"], 60_000),
        (["h", "hour", "hours"], 3_600_000),
        (["d", "day", "days"], 86_400_000),
    ];

    public static bool TryParse(string text, out TimeSpan duration, out bool hasUnit)
    {
        duration = default;
        var trimmed = text.AsSpan().Trim();
        var numberEnd = 0;
        while (numberEnd < trimmed.Length && (char.IsAsciiDigit(trimmed[numberEnd]) || trimmed[numberEnd] == '.'))
            numberEnd++;
        var unit = trimmed[numberEnd..].TrimStart();
        hasUnit = unit.Length > 0;
        if (numberEnd == 0
            || !double.TryParse(trimmed[..numberEnd], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            return false;
        var scale = hasUnit ? UnitMilliseconds(unit) : 1;
        // Bounded only so TimeSpan cannot overflow; each key sets its own range.
        if (scale is not { } milliseconds || number * milliseconds > TimeSpan.FromDays(3650).TotalMilliseconds)
            return false;
        duration = TimeSpan.FromMilliseconds(number * milliseconds);
        return true;
    }

    /// <summary>The shortest exact form: "10s", "1m30s" is written "90s", "1h", "250ms", "50us".</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration.Ticks % TimeSpan.TicksPerDay == 0 && duration >= TimeSpan.FromDays(1))
            return $"{(long)duration.TotalDays}d";
        if (duration.Ticks % TimeSpan.TicksPerHour == 0 && duration >= TimeSpan.FromHours(1))
            return $"{(long)duration.TotalHours}h";
        if (duration.Ticks % TimeSpan.TicksPerMinute == 0 && duration >= TimeSpan.FromMinutes(1))
            return $"{(long)duration.TotalMinutes}m";
        if (duration.Ticks % TimeSpan.TicksPerSecond == 0)
            return $"{(long)duration.TotalSeconds}s";
        if (duration.Ticks % TimeSpan.TicksPerMillisecond == 0)
            return $"{(long)duration.TotalMilliseconds}ms";
        return $"{duration.TotalMicroseconds.ToString(CultureInfo.InvariantCulture)}us";
    }

    private static double? UnitMilliseconds(ReadOnlySpan<char> unit)
    {
        foreach (var (names, milliseconds) in Units)
            foreach (var name in names)
                if (unit.SequenceEqual(name))
                    return milliseconds;
        return null;
    }
}
