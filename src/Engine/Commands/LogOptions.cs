using Engine.Actors.Topology;

namespace Engine.Commands;

/// <summary>`run --log-level` and `--log-format` as written; each, when given, wins over the lab's key of the same name.</summary>
internal sealed record LogOptions(string? Level, string? Format)
{
    /// <summary>
    /// The lab's settings with the options applied, or null after writing one `--option: reason`
    /// line per bad value to <paramref name="errors"/>.
    /// </summary>
    public EngineSettings? ApplyTo(EngineSettings settings, TextWriter errors)
    {
        var valid = true;
        if (Level is not null)
        {
            if (LogNames.TryParseLevel(Level, out var level)) settings = settings with { LogLevel = level };
            else valid = Refuse(errors, "--log-level", LogNames.KnownLevels, Level);
        }
        if (Format is not null)
        {
            if (LogNames.TryParseFormat(Format, out var format)) settings = settings with { LogFormat = format };
            else valid = Refuse(errors, "--log-format", LogNames.KnownFormats, Format);
        }
        return valid ? settings : null;
    }

    private static bool Refuse(TextWriter errors, string option, string known, string written)
    {
        errors.WriteLine($"{option}: must be one of {known}, got \"{written}\"");
        return false;
    }
}
