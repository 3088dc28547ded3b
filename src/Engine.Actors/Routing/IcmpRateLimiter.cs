using System.Diagnostics;

namespace Engine.Actors.Routing;

/// <summary>
/// A token bucket for ICMP errors, like the kernel's icmp_ratelimit: a flood of bad packets
/// must not turn the router into a flood of ICMP. Single-threaded (one per router).
/// </summary>
public sealed class IcmpRateLimiter(int perSecond, int burst)
{
    private readonly double _ticksPerToken = (double)Stopwatch.Frequency / perSecond;
    private double _tokens = burst;
    private long _last = Stopwatch.GetTimestamp();

    public bool TryTake()
    {
        var now = Stopwatch.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (now - _last) / _ticksPerToken);
        _last = now;
        if (_tokens < 1) return false;
        _tokens -= 1;
        return true;
    }
}
