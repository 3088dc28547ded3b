using Serilog.Events;

namespace Engine.Actors.Topology;

/// <summary>The engine-wide keys of the lab file.</summary>
/// <param name="CountersInterval">How often each port's counters are logged (<see cref="DefaultCountersInterval"/> unless written); null disables it.</param>
/// <param name="BatchSize">Frames per read batch.</param>
/// <param name="LogFile">A Serilog file sink in addition to the console, or null for console only.</param>
public sealed record EngineSettings(TimeSpan? CountersInterval, int BatchSize, string? LogFile)
{
    /// <summary>The least severe events logged; `run --log-level` overrides it.</summary>
    public LogEventLevel LogLevel { get; init; } = LogEventLevel.Information;

    /// <summary>Text or JSON lines, on the console and in the log file; `run --log-format` overrides it.</summary>
    public LogFormat LogFormat { get; init; } = LogFormat.Text;

    /// <summary>The control socket's path (<c>control.socket</c>); null for the default, /run/engine/&lt;lab file's base name&gt;.sock.</summary>
    public string? ControlSocket { get; init; }

    /// <summary>The group whose members may use the control socket too (mode 0660, owned by it); null: root and the engine's user only.</summary>
    public uint? ControlGroup { get; init; }

    /// <summary>How this engine names itself to peers in the engine protocol's HELLO.</summary>
    public string NodeName { get; init; } = DefaultNodeName();

    public const int MaxNodeNameBytes = 64;

    /// <summary>
    /// The nice value of the threads that read, route and write frames; by default the
    /// applications' (0). Higher puts the lab's hosts first on CPUs they share with the engine:
    /// a receiver that cannot keep up then gets the CPU, and what it could not take is dropped
    /// unread in the ingress device's queue instead of at its full socket. That is a trade:
    /// 64-byte UDP floods gain, TCP through a busy engine loses (BENCHMARKS.md, "64-byte UDP").
    /// </summary>
    public int DataplaneNice { get; init; } = DefaultDataplaneNice;

    public const int DefaultDataplaneNice = 0;

    /// <summary>
    /// The data-plane threads' nice value while a flood of small frames saturates them
    /// (<see cref="Engine.Native.Reactor.FloodBackoff"/>): the applications that take what the
    /// engine delivers then run first, and bulk traffic such as TCP keeps <see cref="DataplaneNice"/>.
    /// At or below <see cref="DataplaneNice"/>, the threads keep that value all the time.
    /// </summary>
    public int FloodNice { get; init; } = DefaultFloodNice;

    public const int DefaultFloodNice = 5;

    /// <summary>
    /// The data-plane threads' SCHED_FIFO priority while they are not busy (fewer than 2,000
    /// frames a second, under a fifth of the time running); 0, the default, schedules them as any
    /// thread, at <see cref="DataplaneNice"/>. Woken by a frame, a real-time thread runs at once
    /// instead of waiting for a busy thread's time slice to end (<see cref="Engine.Native.Reactor.LoopThreadPriority.RealtimePriority"/>).
    /// </summary>
    public int DataplaneRealtime { get; init; } = DefaultDataplaneRealtime;

    public const int DefaultDataplaneRealtime = 0;

    /// <summary>
    /// How long the data-plane threads keep polling after the last frame before they sleep
    /// (<see cref="Engine.Native.Reactor.Reactor.BusyPoll"/>): a reply that comes within it is
    /// read without a thread's wake-up. Zero sleeps at once.
    /// </summary>
    public TimeSpan BusyPoll { get; init; } = DefaultBusyPoll;

    public static readonly TimeSpan DefaultBusyPoll = TimeSpan.Zero;
    public static readonly TimeSpan MaxBusyPoll = TimeSpan.FromMilliseconds(10);

    /// <summary>Unique per running engine, so two engines on one host never share a name.</summary>
    public static string DefaultNodeName() => $"{Environment.MachineName}-{Environment.ProcessId}";

    public const int DefaultBatchSize = 64;
    public const int MinBatchSize = 1;
    public const int MaxBatchSize = 1024;

    /// <summary>On unless turned off: a service's log should say what it carried without being asked.</summary>
    public static readonly TimeSpan DefaultCountersInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MinCountersInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxCountersInterval = TimeSpan.FromDays(1);

    public static EngineSettings Default { get; } = new(DefaultCountersInterval, DefaultBatchSize, null);
}
