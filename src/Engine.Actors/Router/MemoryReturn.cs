using System.Diagnostics;
using Akka.Event;

namespace Engine.Actors.Router;

/// <summary>
/// Gives back the memory a burst of route changes left behind. Loading a full table from FPM
/// allocates several times what it keeps (each publish copies the table nodes its batch touched,
/// the book's and zebra's maps double as they grow), and once the burst is over nothing allocates
/// enough for the GC to run again: the garbage stays resident for good. So once a burst of at least
/// <see cref="BurstChanges"/> changes has settled for <see cref="Settle"/>, one full, compacting
/// collection returns the free memory to the system. It stops every thread for its duration (about
/// a tenth of a second per 100 MiB live on this machine), once per burst, not per change.
/// </summary>
internal sealed class MemoryReturn
{
    public const int BurstChanges = 100_000;
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);

    private long _changes;

    /// <summary>Counts route changes taken since the last return.</summary>
    public void Changed(int changes) => _changes += changes;

    /// <summary>Whether enough has changed since the last return for one to follow the burst.</summary>
    public bool IsDue => _changes >= BurstChanges;

    public void Collect(ILoggingAdapter log)
    {
        if (!IsDue) return;
        var changes = _changes;
        _changes = 0;
        var before = Environment.WorkingSet;
        var started = Stopwatch.GetTimestamp();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        log.Info("route book: {Changes} route changes settled; a full collection took {Milliseconds:F0} ms and left {Heap} MiB live, resident {Before} -> {After} MiB",
            changes, Stopwatch.GetElapsedTime(started).TotalMilliseconds, GC.GetTotalMemory(false) >> 20, before >> 20, Environment.WorkingSet >> 20);
    }
}
