namespace Engine.Actors.Fpm;

/// <summary>What one FPM connection's decoder has seen. Every netlink message is exactly one of updated, ignored or refused.</summary>
public sealed class FpmDecodeCounters
{
    private readonly long[] _refused = new long[Enum.GetValues<FpmRefusal>().Length];

    public long Frames { get; private set; }
    public long Messages { get; private set; }
    public long Updates { get; private set; }

    /// <summary>Messages of a type the engine does not read.</summary>
    public long Ignored { get; private set; }

    public long Refused => _refused.Sum();

    public long RefusedFor(FpmRefusal refusal) => _refused[(int)refusal];

    internal void CountFrame() => Frames++;

    internal void Count(FpmMessageOutcome outcome)
    {
        Messages++;
        if (outcome.Update is not null)
            Updates++;
        else if (outcome.Refusal is { } refusal)
            _refused[(int)refusal]++;
        else
            Ignored++;
    }
}
