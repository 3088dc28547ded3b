namespace Engine.Actors.Peers;

/// <summary>
/// How a peer logs attempts to reach it that fail before a link comes up (a source outside the
/// allowlist, a refused handshake, a connection closed before it completed): at most
/// <see cref="PerWindow"/> lines per <see cref="Window"/>. Whoever connects in a loop then costs
/// the log a few lines a second, not one per attempt; the lines held back are counted and told
/// as one. What an attempt sends that the link drops is counted as always.
/// </summary>
internal sealed class AttemptLog
{
    public const int PerWindow = 5;
    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    private long _windowEnds = long.MinValue;
    private int _logged;
    private int _held;

    /// <summary>
    /// Whether an attempt at <paramref name="nowMs"/> (a monotonic clock) may be logged. When it
    /// may not, <paramref name="firstHeld"/> says whether it is the first one held back since the
    /// last <see cref="TakeHeld"/>, the moment to arrange for the count to be told.
    /// </summary>
    public bool Admit(long nowMs, out bool firstHeld)
    {
        firstHeld = false;
        if (nowMs >= _windowEnds)
        {
            _windowEnds = nowMs + (long)Window.TotalMilliseconds;
            _logged = 0;
        }
        if (_logged < PerWindow)
        {
            _logged++;
            return true;
        }
        firstHeld = _held++ == 0;
        return false;
    }

    /// <summary>The attempts held back since the last call.</summary>
    public int TakeHeld()
    {
        var held = _held;
        _held = 0;
        return held;
    }
}
