using System.Runtime.InteropServices;
using Engine.Native.Interop;

namespace Engine.Native.Reactor;

/// <summary>
/// A reactor's loop thread's priority: its nice value, the one it steps back to during a flood,
/// and the real-time priority it may run at otherwise. Built with the reactor; its thread takes
/// it (<see cref="Take"/>) before any work, and only that thread changes it afterwards.
/// </summary>
public sealed unsafe class LoopThreadPriority
{
    /// <summary>The range of Linux nice values.</summary>
    public const int MinNice = -20, MaxNice = 19;

    /// <summary>The range of SCHED_FIFO priorities; 0 is normal scheduling.</summary>
    public const int MaxRealtimePriority = 99;

    private readonly string _thread;
    private bool _isRealtime;

    /// <param name="thread">The loop thread's name, for errors.</param>
    /// <param name="nice">Its nice value (<see cref="MinNice"/> to <see cref="MaxNice"/>; 0 leaves it as it is).</param>
    /// <param name="floodNice">Its nice value while a flood of small frames lasts; at or below <paramref name="nice"/>, none.</param>
    /// <param name="realtimePriority">Its SCHED_FIFO priority while it is not busy (0: normal scheduling).</param>
    public LoopThreadPriority(string thread, int nice, int floodNice, int realtimePriority)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(realtimePriority, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(realtimePriority, MaxRealtimePriority);
        ArgumentOutOfRangeException.ThrowIfLessThan(nice, MinNice);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(nice, MaxNice);
        ArgumentOutOfRangeException.ThrowIfLessThan(floodNice, MinNice);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(floodNice, MaxNice);
        _thread = thread;
        RealtimePriority = realtimePriority;
        Flood = new FloodBackoff(nice, floodNice, n => StepTo(n)?.Message, realtimePriority > 0 ? OnBusyChanged : null);
    }

    /// <summary>
    /// The SCHED_FIFO priority the loop thread runs at while it is not busy (<see cref="FloodBackoff.IsBusy"/>),
    /// or 0 for normal scheduling. A woken real-time thread takes a CPU from any normal one at
    /// once, where a normal one may wait for a busy thread's slice to end (milliseconds on a
    /// 2-core machine whose cores a compiler or the runtime's JIT holds): that wait was the tail
    /// of the ping (BENCHMARKS.md, "Latency: the tail was the wait for a CPU").
    /// </summary>
    public int RealtimePriority { get; }

    /// <summary>Why the kernel refused <see cref="RealtimePriority"/> (it needs CAP_SYS_NICE or RLIMIT_RTPRIO), or null.</summary>
    public NativeException? RealtimeRefused { get; private set; }

    /// <summary>Whether the loop thread runs at its real-time priority now (not while busy or flooded, nor when refused).</summary>
    public bool IsRealtime => Volatile.Read(ref _isRealtime);

    /// <summary>The nice value the loop thread was asked to run at.</summary>
    public int Nice => Flood.Nice;

    /// <summary>Steps the loop thread back while a flood of small frames lasts; its readers count each batch into it.</summary>
    public FloodBackoff Flood { get; }

    /// <summary>Why the kernel refused <see cref="Nice"/> (a value below the thread's current one needs CAP_SYS_NICE), or null.</summary>
    public NativeException? NiceRefused { get; private set; }

    /// <summary>On the loop thread, before it takes work: its nice value, and whether it may step back for floods.</summary>
    public void Take()
    {
        if (Nice != 0) NiceRefused = SetOwnNice(Nice);
        if (RealtimePriority > 0) RealtimeRefused = SetOwnScheduling(RealtimePriority);
        if (Flood.IsEnabled && WhyNoFloodBackoff() is { } why)
            Flood.Disable(why);
    }

    /// <summary>
    /// What the flood backoff asks for: a flood's nice value, or back to the usual one, which is
    /// the real-time priority when the thread has one and is not busy. A real-time thread that a
    /// flood keeps busy would take its CPU from the very applications it feeds.
    /// </summary>
    private NativeException? StepTo(int nice)
    {
        if (IsRealtime && SetOwnScheduling(0) is { } refused) return refused;
        if (SetOwnNice(nice) is { } notNice) return notNice;
        if (nice == Nice && !Flood.IsBusy) TakeRealtime();
        return null;
    }

    /// <summary>
    /// Busy (bulk traffic), the thread runs at normal scheduling, where the applications it feeds
    /// and it take turns in longer slices and it reads in batches (woken first on every frame, it
    /// cost TCP through a tunnel up to a fifth of its rate in trials under load). Calm again, it
    /// takes its real-time priority.
    /// </summary>
    private void OnBusyChanged(bool busy)
    {
        if (Flood.IsFlooding) return; // normal scheduling already, until the flood ends
        // Giving up a real-time priority needs no privilege: the kernel does not refuse it.
        if (busy) SetOwnScheduling(0);
        else TakeRealtime();
    }

    private void TakeRealtime()
    {
        if (RealtimePriority > 0 && RealtimeRefused is null) RealtimeRefused = SetOwnScheduling(RealtimePriority);
    }

    /// <summary>
    /// SCHED_FIFO at <paramref name="priority"/>, or SCHED_OTHER for 0 (its nice value is the one
    /// it had). Threads it starts (the runtime starts some from whichever thread needs them) begin
    /// at normal scheduling: a JIT or timer thread at real-time priority would preempt the data plane.
    /// </summary>
    private NativeException? SetOwnScheduling(int priority)
    {
        var param = new Libc.SchedParam { Priority = priority };
        var policy = priority > 0 ? Libc.SCHED_FIFO | Libc.SCHED_RESET_ON_FORK : Libc.SCHED_OTHER;
        if (Libc.sched_setscheduler(Libc.gettid(), policy, &param) < 0)
            return NativeException.FromLastError(priority > 0 ? $"set real-time priority {priority} of thread" : "set normal scheduling of thread", _thread);
        Volatile.Write(ref _isRealtime, priority > 0);
        return null;
    }

    /// <summary>Sets the calling thread's nice value: null, or why the kernel refused.</summary>
    private NativeException? SetOwnNice(int nice) =>
        Libc.setpriority(Libc.PRIO_PROCESS, (uint)Libc.gettid(), nice) < 0
            ? NativeException.FromLastError($"set nice {nice} of thread", _thread)
            : null;

    /// <summary>Null if the loop thread can step back for a flood and forward again, or why not.</summary>
    private string? WhyNoFloodBackoff()
    {
        if (NiceRefused is not null) return "the thread could not take its usual nice value";
        // Nice 0 leaves the thread at the value it inherited; stepping "back" to the flood value
        // from a higher one would raise its priority instead.
        var current = Libc.getpriority(Libc.PRIO_PROCESS, (uint)Libc.gettid());
        if (current == -1 && Marshal.GetLastPInvokeError() != 0) return NativeException.FromLastError("read nice of thread", _thread).Message;
        if (current != Nice) return $"the thread runs at nice {current}, inherited from the engine process";
        return CanReturnFromFlood();
    }

    /// <summary>
    /// Whether a thread of this process may go back from the flood nice value to the usual one:
    /// lowering a nice value needs CAP_SYS_NICE (or RLIMIT_NICE). Tried on a thread that ends
    /// at once, so a refusal cannot leave the loop thread behind. Null, or why not.
    /// </summary>
    private string? CanReturnFromFlood()
    {
        NativeException? refused = null;
        // Started from the loop thread, so it begins at the usual nice value, as the loop does.
        var probe = new Thread(() => refused = SetOwnNice(Flood.FloodNice) ?? SetOwnNice(Nice)) { Name = _thread + "-nice", IsBackground = true };
        probe.Start();
        probe.Join();
        return refused is null ? null : $"a flood's nice value could not be undone ({refused.Message})";
    }
}
