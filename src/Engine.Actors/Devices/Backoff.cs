namespace Engine.Actors.Devices;

/// <summary>
/// Exponential backoff with jitter between reopen attempts. It lives outside the actor
/// instance (in its Props) so it survives the restarts it paces.
/// </summary>
public sealed class Backoff(TimeSpan min, TimeSpan max)
{
    private int _failures;

    public TimeSpan Min { get; } = min;
    public TimeSpan Max { get; } = max;
    public int Failures => _failures;

    public TimeSpan NextDelay()
    {
        var exponent = Math.Min(_failures++, 16);
        var delay = Math.Min(Max.TotalMilliseconds, Min.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 1 + (Random.Shared.NextDouble() - 0.5) * 0.4;
        return TimeSpan.FromMilliseconds(delay * jitter);
    }

    public void Reset() => _failures = 0;
}
