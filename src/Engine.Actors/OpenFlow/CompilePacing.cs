using System.Diagnostics;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// When the switch compiles its table after FLOW_MODs: at once, unless the last compile ended
/// less than its own duration ago, and then once that much time has passed. A compile builds the
/// whole table again on the data-plane thread, so while FLOW_MODs stream in (a controller setting
/// up new flows) compiling takes at most about half of that thread, and each compile covers every
/// FLOW_MOD that came during the pause instead of the few that came during the compile. A change
/// after a quiet spell is compiled at once. Times are <see cref="Stopwatch"/> timestamps.
/// </summary>
internal sealed class CompilePacing
{
    private long _lastEnd = long.MinValue / 2, _lastDuration;

    /// <summary>How long to wait before compiling at <paramref name="now"/>; zero for at once.</summary>
    public TimeSpan Wait(long now)
    {
        var due = _lastEnd + _lastDuration;
        return now >= due ? TimeSpan.Zero : Stopwatch.GetElapsedTime(now, due);
    }

    public void Compiled(long start, long end)
    {
        _lastEnd = end;
        _lastDuration = end - start;
    }
}
