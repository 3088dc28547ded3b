using System.Diagnostics;
using Engine.Native.Interop;

namespace Engine.Native.Reactor;

/// <summary>What a <see cref="FloodBackoff"/> saw when it stepped back or forward.</summary>
/// <param name="Flooding">True when a flood began, false when it ended.</param>
/// <param name="Nice">The nice value the thread runs at from now on.</param>
/// <param name="FramesPerSecond">The rate of the window that decided it.</param>
/// <param name="MeanFrameBytes">The mean frame length of that window (0 if it had no frames).</param>
/// <param name="MeanBatch">The mean frames per read batch of that window (0 if it had none).</param>
public readonly record struct FloodChange(bool Flooding, int Nice, long FramesPerSecond, long MeanFrameBytes, double MeanBatch);

/// <summary>
/// Receive-livelock avoidance for one reactor thread. While a flood of small frames keeps it
/// busy, the thread runs at <see cref="FloodNice"/> instead of its usual <see cref="Nice"/>, so
/// the applications that take what it delivers get the CPU first; what they could not take then
/// waits, and is dropped unread, in the ingress queue, instead of after the whole path at a full
/// socket. Bulk traffic (super-frames, full-size packets) is never a flood, so TCP keeps the
/// usual priority: a higher nice value all the time would cost it (BENCHMARKS.md, "64-byte UDP").
/// The kernel does the same when it hands softirq work it cannot finish to ksoftirqd, a thread
/// that competes with user tasks on equal terms.
///
/// Judged per window of <see cref="WindowMilliseconds"/>: a flood is at least
/// <see cref="FloodFramesPerSecond"/> frames averaging at most <see cref="MaxFloodFrameBytes"/>
/// bytes, read <see cref="MinFloodBatch"/> or more at a time on average (the thread is not
/// keeping up: one that does reads a frame or two per wake-up, as it does a fast TCP flow's
/// acknowledgements, whatever their rate). A flood goes on while the rate stays at or above
/// <see cref="FloodEndsBelowFramesPerSecond"/>, half the threshold that starts one, because
/// stepping back itself slows the reads; it ends after <see cref="CalmWindowsToEnd"/> windows
/// below that (an idle gap counts as the windows it spans). The thread's readers report each
/// batch (<see cref="Count(int, long)"/>), so the judgement costs a clock read per batch and a
/// system call only when the state changes. Only the reactor's own thread calls it.
/// </summary>
public sealed class FloodBackoff
{
    public const int WindowMilliseconds = 100;

    /// <summary>
    /// Low enough for a data plane that a flood already starves of CPU: 64-byte floods in the
    /// integration tests started at 104,000–152,000 frames/s read in full batches (3·10⁵ in the
    /// benchmark). A ping flood is ~10⁴ a second, one frame per read.
    /// </summary>
    public const int FloodFramesPerSecond = 50_000;

    /// <summary>Half of <see cref="FloodFramesPerSecond"/>: without the margin, a flood near that rate ended and began again every few windows.</summary>
    public const int FloodEndsBelowFramesPerSecond = FloodFramesPerSecond / 2;

    /// <summary>Well below a TCP flow's mean, which its full-size segments (and, with offloads, super-frames) set whatever its ACKs weigh.</summary>
    public const int MaxFloodFrameBytes = 256;

    /// <summary>
    /// A thread that keeps up reads a frame or two per wake-up; under a 64-byte flood at nice 0
    /// the data-plane thread read 11 per batch on average, and more once it stepped back.
    /// </summary>
    public const int MinFloodBatch = 4;

    public const int CalmWindowsToEnd = 3;

    /// <summary>
    /// Frames a second from which the thread counts as busy (<see cref="IsBusy"/>): far above
    /// interactive traffic (a ping is a frame each way), far below any bulk transfer of packets.
    /// </summary>
    public const int BusyFramesPerSecond = 2_000;

    /// <summary>Half of <see cref="BusyFramesPerSecond"/>, for the same reason as <see cref="FloodEndsBelowFramesPerSecond"/>.</summary>
    public const int BusyEndsBelowFramesPerSecond = BusyFramesPerSecond / 2;

    /// <summary>
    /// The share of a window, in percent, the thread may run before it counts as busy whatever
    /// its frame rate: with offloads a bulk transfer is a few hundred super-frames a second (a
    /// 200 Mbit/s UDP stream merged 38 datagrams a frame), and a ping costs the thread about 150 µs.
    /// </summary>
    public const int BusyCpuPercent = 20;

    /// <summary>Half of <see cref="BusyCpuPercent"/>.</summary>
    public const int BusyEndsBelowCpuPercent = BusyCpuPercent / 2;

    private static readonly long WindowTicks = Stopwatch.Frequency * WindowMilliseconds / 1000;

    private readonly Func<int, string?> _setNice;
    private readonly Action<bool>? _busyChanged;
    private long _windowCpuStart;
    private long _windowStart;
    private long _frames;
    private long _bytes;
    private long _batches;
    private int _calmWindows;

    /// <param name="nice">The thread's usual nice value.</param>
    /// <param name="floodNice">Its nice value during a flood; at or below <paramref name="nice"/> there is no backoff.</param>
    /// <param name="setNice">Sets the calling thread's nice value; null, or why the kernel refused.</param>
    /// <param name="busyChanged">Told, on the thread, when it becomes busy or calm again (<see cref="IsBusy"/>); with it the
    /// windows are judged even when there is no flood backoff.</param>
    public FloodBackoff(int nice, int floodNice, Func<int, string?> setNice, Action<bool>? busyChanged = null)
    {
        Nice = nice;
        FloodNice = floodNice;
        _setNice = setNice;
        _busyChanged = busyChanged;
        IsEnabled = floodNice > nice;
    }

    /// <summary>
    /// Whether the last window read at least <see cref="BusyFramesPerSecond"/> frames a second or
    /// the thread ran <see cref="BusyCpuPercent"/> of it (and no window since fell below half of
    /// both): a flood, or bulk traffic such as TCP, which gains from batches more than from being
    /// woken first. Judged only with a busy listener (a real-time data plane).
    /// </summary>
    public bool IsBusy { get; private set; }

    public int Nice { get; }

    public int FloodNice { get; }

    /// <summary>Why <see cref="Disable"/> turned the backoff off, or null.</summary>
    public string? DisabledBecause { get; private set; }

    /// <summary>False when the flood nice value is not above the usual one, or after <see cref="Disable"/>.</summary>
    public bool IsEnabled { get; private set; }

    public bool IsFlooding { get; private set; }

    /// <summary>Floods seen so far.</summary>
    public long Floods { get; private set; }

    /// <summary>Raised on the reactor thread when a flood begins or ends.</summary>
    public event Action<FloodChange>? Changed;

    /// <summary>Raised on the reactor thread when the backoff turns itself off: the kernel refused a nice value.</summary>
    public event Action<string>? Refused;

    /// <summary>Counts one batch of frames read on this thread.</summary>
    public void Count(int frames, long bytes) => Count(frames, bytes, Stopwatch.GetTimestamp());

    /// <summary>The same, at <paramref name="now"/> (<see cref="Stopwatch"/> ticks).</summary>
    public void Count(int frames, long bytes, long now)
    {
        if (!IsEnabled && _busyChanged is null) return;
        var elapsed = now - _windowStart;
        if (elapsed >= WindowTicks)
        {
            // What was counted so far came within the window (a later count would have closed
            // it), so whole windows after it had nothing: idle. This batch opens the next one.
            var idle = (int)Math.Min(elapsed / WindowTicks - 1, CalmWindowsToEnd);
            Judge(idle == 0 ? elapsed : WindowTicks, idle);
            _windowStart = now;
            _frames = 0;
            _bytes = 0;
            _batches = 0;
        }
        _frames += frames;
        _bytes += bytes;
        if (frames > 0) _batches++;
    }

    /// <summary>Turns the backoff off for good: the thread keeps its usual nice value.</summary>
    public void Disable(string reason)
    {
        if (!IsEnabled) return;
        IsEnabled = false;
        DisabledBecause = reason;
        if (IsFlooding && _setNice(Nice) is null) IsFlooding = false;
        Refused?.Invoke(reason);
    }

    private void Judge(long span, int idleWindows)
    {
        var rate = (long)(_frames * (double)Stopwatch.Frequency / span);
        var mean = _frames == 0 ? 0 : _bytes / _frames;
        var batch = _batches == 0 ? 0 : (double)_frames / _batches;
        var cpu = CpuPercent(span);
        var busy = idleWindows == 0 && (rate >= (IsBusy ? BusyEndsBelowFramesPerSecond : BusyFramesPerSecond)
            || cpu >= (IsBusy ? BusyEndsBelowCpuPercent : BusyCpuPercent));
        if (busy != IsBusy)
        {
            IsBusy = busy;
            _busyChanged?.Invoke(busy);
        }
        if (!IsEnabled) return;
        var threshold = IsFlooding ? FloodEndsBelowFramesPerSecond : FloodFramesPerSecond;
        var flood = rate >= threshold && mean <= MaxFloodFrameBytes && batch >= MinFloodBatch;
        // A burst that idle windows have already followed is over: it does not begin a flood.
        if (flood && (IsFlooding || idleWindows < CalmWindowsToEnd))
        {
            _calmWindows = 0;
            if (!IsFlooding) Step(flooding: true, rate, mean, batch);
        }
        else
        {
            _calmWindows++;
        }
        _calmWindows += idleWindows;
        if (IsFlooding && _calmWindows >= CalmWindowsToEnd) Step(flooding: false, rate, mean, batch);
    }

    /// <summary>The share of the window that closes now the thread ran, in percent (0 without a busy judgement).</summary>
    private long CpuPercent(long span)
    {
        if (_busyChanged is null) return 0;
        var cpu = Libc.ThreadCpuNanoseconds();
        var used = cpu - _windowCpuStart;
        _windowCpuStart = cpu;
        return (long)(used * (Stopwatch.Frequency / 1e9) * 100 / Math.Max(1, span));
    }

    private void Step(bool flooding, long rate, long mean, double batch)
    {
        var nice = flooding ? FloodNice : Nice;
        if (_setNice(nice) is { } refused)
        {
            Disable(refused);
            return;
        }
        IsFlooding = flooding;
        if (flooding) Floods++;
        Changed?.Invoke(new FloodChange(flooding, nice, rate, mean, batch));
    }
}
