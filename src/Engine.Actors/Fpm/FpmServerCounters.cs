namespace Engine.Actors.Fpm;

/// <summary>
/// What the FPM server has seen over the engine's life: connections, why they were closed, the
/// messages refused (summed over every connection's decoder), and the routes it holds now,
/// installed or inactive. Written by the server actor only.
/// </summary>
public sealed class FpmServerCounters
{
    private readonly long[] _closed = new long[Enum.GetValues<FpmCloseReason>().Length];
    private readonly long[] _refusedBefore = new long[Enum.GetValues<FpmRefusal>().Length];
    private FpmDecodeCounters? _current;

    public long Connections { get; private set; }

    /// <summary>Connections from a source outside the allow list, closed at once.</summary>
    public long RefusedSources { get; private set; }

    /// <summary>Connections the engine closed because the stream broke its framing.</summary>
    public long Closed(FpmCloseReason reason) => _closed[(int)reason];

    public long ClosedForBadStream => _closed.Sum();

    /// <summary>Messages refused (<see cref="FpmRefusal"/>): counted, skipped, the stream goes on.</summary>
    public long Refused(FpmRefusal refusal) => _refusedBefore[(int)refusal] + (_current?.RefusedFor(refusal) ?? 0);

    /// <summary>Routes of zebra's FIB in the engine's table now.</summary>
    public int Installed { get; internal set; }

    /// <summary>Routes of zebra's FIB whose next hop resolves nowhere: not installed.</summary>
    public int Inactive { get; internal set; }

    /// <summary>Times the grace ran out with no new connection, and zebra's routes were withdrawn.</summary>
    public long GraceExpired { get; private set; }

    internal void Connected(FpmDecodeCounters decoder)
    {
        Retire();
        _current = decoder;
        Connections++;
    }

    internal void RefusedSource() => RefusedSources++;

    internal void ClosedFor(FpmCloseReason reason) => _closed[(int)reason]++;

    internal void Expired() => GraceExpired++;

    /// <summary>The connection's counts join the totals; it counts no more.</summary>
    internal void Retire()
    {
        if (_current is null) return;
        foreach (var refusal in Enum.GetValues<FpmRefusal>())
            _refusedBefore[(int)refusal] += _current.RefusedFor(refusal);
        _current = null;
    }
}
