namespace Engine.Actors.Switching;

/// <summary>
/// A token bucket per member port for the broadcast and multicast frames it brings in: the rate
/// refills it, a burst of one second's worth passes, and the excess is refused and counted, so a
/// loop across engines cannot melt the lab. Times are a monotonic clock's ticks, given by the caller.
/// </summary>
public sealed class StormControl
{
    private readonly long[] _tokens; // in ticks-per-second units: one frame costs ticksPerSecond
    private readonly long[] _filled;
    private readonly long[] _refused;
    private readonly long _framesPerSecond;
    private readonly long _ticksPerSecond;
    private readonly long _burst;

    public StormControl(int memberCount, int framesPerSecond, long ticksPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(memberCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(framesPerSecond);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ticksPerSecond);
        _framesPerSecond = framesPerSecond;
        _ticksPerSecond = ticksPerSecond;
        _burst = checked(framesPerSecond * ticksPerSecond);
        _tokens = new long[memberCount];
        Array.Fill(_tokens, _burst);
        _filled = new long[memberCount];
        _refused = new long[memberCount];
    }

    /// <summary>Broadcast and multicast frames refused on <paramref name="member"/>.</summary>
    public long Refused(int member) => _refused[member];

    /// <returns>True when <paramref name="member"/> may bring in one more broadcast or multicast frame now.</returns>
    public bool TryAdmit(int member, long now)
    {
        var elapsed = now - _filled[member];
        if (elapsed > 0)
        {
            // Capped before multiplying: an idle port refills to the burst, and the product stays in range.
            var refill = Math.Min(elapsed, _ticksPerSecond) * _framesPerSecond;
            _tokens[member] = Math.Min(_burst, _tokens[member] + refill);
            _filled[member] = now;
        }
        if (_tokens[member] >= _ticksPerSecond)
        {
            _tokens[member] -= _ticksPerSecond;
            return true;
        }
        _refused[member]++;
        return false;
    }
}
