using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Event;

namespace Engine.Actors.Dataplane;

/// <summary>
/// Akka's scheduler (<c>akka.scheduler.implementation</c>) as one thread that sleeps until the
/// earliest deadline, and not at all while nothing is scheduled. Akka's own
/// <see cref="HashedWheelTimerScheduler"/> wakes every <c>tick-duration</c> (10 ms) whether a
/// timer is due or not, each time through a <c>Task.Delay</c> that wakes the runtime's timer
/// thread and a thread-pool worker too: about 500 wake-ups a second in an idle engine. Here a
/// thread wakes when a timer is due, or when one is scheduled sooner than the one it waits for.
/// Work runs on this thread, as on the wheel's (a Tell, or one of Akka's short actions). A
/// timer never fires early; a repeated one keeps its rate (the next deadline is the last plus
/// the interval), so timers started on a common grid stay on it and fire in one wake-up.
/// </summary>
public sealed class DeadlineScheduler : SchedulerBase, IDateTimeOffsetNowTimeProvider, IDisposable
{
    /// <summary>The thread's name, as /proc shows it (at most 15 bytes).</summary>
    public const string ThreadName = "engine.timers";

    private readonly object _gate = new();
    private readonly PriorityQueue<Entry, long> _due = new();
    private readonly Thread _thread;
    private bool _stopping;

    public DeadlineScheduler(Config config, ILoggingAdapter log) : base(config, log)
    {
        _thread = new Thread(Run) { Name = ThreadName, IsBackground = true };
        _thread.Start();
    }

    /// <summary>Timers waiting, cancelled ones not yet dropped included (for tests).</summary>
    internal int Pending
    {
        get { lock (_gate) return _due.Count; }
    }

    protected override DateTimeOffset TimeNow => DateTimeOffset.Now;

    public override TimeSpan MonotonicClock => Stopwatch.GetElapsedTime(0);

    public override TimeSpan HighResMonotonicClock => Stopwatch.GetElapsedTime(0);

    /// <summary>The clock deadlines are kept on: CLOCK_MONOTONIC, shared by every process of the machine.</summary>
    public static long Now => Stopwatch.GetTimestamp();

    protected override void InternalScheduleTellOnce(TimeSpan delay, ICanTell receiver, object message, IActorRef sender, ICancelable cancelable) =>
        Add(delay, TimeSpan.Zero, new ScheduledTell(receiver, message, sender), cancelable);

    protected override void InternalScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, ICanTell receiver, object message, IActorRef sender,
        ICancelable cancelable) =>
        Add(initialDelay, interval, new ScheduledTell(receiver, message, sender), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, Action action, ICancelable cancelable) =>
        Add(delay, TimeSpan.Zero, new ActionRunnable(action), cancelable);

    protected override void InternalScheduleOnce(TimeSpan delay, IRunnable action, ICancelable cancelable) =>
        Add(delay, TimeSpan.Zero, action, cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, Action action, ICancelable cancelable) =>
        Add(initialDelay, interval, new ActionRunnable(action), cancelable);

    protected override void InternalScheduleRepeatedly(TimeSpan initialDelay, TimeSpan interval, IRunnable action, ICancelable cancelable) =>
        Add(initialDelay, interval, action, cancelable);

    private void Add(TimeSpan delay, TimeSpan interval, IRunnable action, ICancelable? cancelable)
    {
        var entry = new Entry(action, cancelable, Stopwatch.GetTimestamp() + ToTimestamp(delay), ToTimestamp(interval));
        lock (_gate)
        {
            if (_stopping) throw new SchedulerException("cannot schedule after the scheduler has stopped");
            Enqueue(entry);
        }
        // A cancelled timer leaves the queue at once, so the thread does not wake for it.
        if (cancelable is not null && !cancelable.IsCancellationRequested)
            entry.Registration = cancelable.Token.Register(static state => ((Entry)state!).Cancelled(), entry);
    }

    private void Enqueue(Entry entry)
    {
        entry.Owner = this;
        var wakes = !_due.TryPeek(out _, out var earliest) || entry.Deadline < earliest;
        _due.Enqueue(entry, entry.Deadline);
        if (wakes) Monitor.Pulse(_gate);
    }

    private void Remove(Entry entry)
    {
        lock (_gate)
        {
            var wasFirst = _due.TryPeek(out var first, out _) && ReferenceEquals(first, entry);
            if (_due.Remove(entry, out _, out _, ReferenceEqualityComparer.Instance) && wasFirst) Monitor.Pulse(_gate);
        }
    }

    private void Run()
    {
        while (true)
        {
            Entry entry;
            lock (_gate)
            {
                while (true)
                {
                    if (_stopping) return;
                    if (!_due.TryPeek(out entry!, out var deadline))
                    {
                        Monitor.Wait(_gate);
                        continue;
                    }
                    var wait = deadline - Stopwatch.GetTimestamp();
                    if (wait <= 0) break;
                    // Rounded up: waking a little late is a timer firing late, waking early one more wake-up.
                    Monitor.Wait(_gate, (int)Math.Min(int.MaxValue, (wait * 1000 + Stopwatch.Frequency - 1) / Stopwatch.Frequency));
                }
                _due.Dequeue();
            }
            if (entry.IsCancelled) continue;
            try
            {
                entry.Action.Run();
            }
            catch (SchedulerException)
            {
                // From a stopped actor's timer.
            }
            catch (Exception e)
            {
                Log.Error(e, "timer task {0} failed", entry.Action);
                entry.Registration.Dispose();
                continue;
            }
            if (entry.Interval <= 0 || entry.IsCancelled)
            {
                entry.Registration.Dispose();
                continue;
            }
            // The rate is kept; a thread that fell more than an interval behind starts again from now.
            var now = Stopwatch.GetTimestamp();
            entry.Deadline = entry.Deadline + entry.Interval > now ? entry.Deadline + entry.Interval : now + entry.Interval;
            lock (_gate)
            {
                if (!_stopping) _due.Enqueue(entry, entry.Deadline);
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping) return;
            _stopping = true;
            Monitor.Pulse(_gate);
        }
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(5));
    }

    private static long ToTimestamp(TimeSpan span) => (long)(span.Ticks * ((double)Stopwatch.Frequency / TimeSpan.TicksPerSecond));

    private sealed class Entry(IRunnable action, ICancelable? cancelable, long deadline, long interval)
    {
        public readonly IRunnable Action = action;
        public readonly long Interval = interval;
        public long Deadline = deadline;
        public DeadlineScheduler? Owner;
        public CancellationTokenRegistration Registration;

        public bool IsCancelled => cancelable?.IsCancellationRequested ?? false;

        public void Cancelled() => Owner?.Remove(this);
    }

    private sealed class ScheduledTell(ICanTell receiver, object message, IActorRef sender) : IRunnable
    {
        public void Run() => receiver.Tell(message, sender);

        public void Execute() => Run();

        public override string ToString() => $"[{receiver}.Tell({message})]";
    }
}
