namespace Engine.Actors.Fpm;

/// <summary>
/// What one netlink message came to: an update, a refusal, or neither (a message type the engine
/// does not read, such as zebra's neighbour and link messages, is ignored).
/// </summary>
public readonly record struct FpmMessageOutcome(FpmUpdate? Update, FpmRefusal? Refusal)
{
    public static readonly FpmMessageOutcome Ignored = default;

    public bool IsIgnored => Update is null && Refusal is null;

    public static FpmMessageOutcome Decoded(FpmUpdate update) => new(update, null);

    public static FpmMessageOutcome Refused(FpmRefusal refusal) => new(null, refusal);
}
